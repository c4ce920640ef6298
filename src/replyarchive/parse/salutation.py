"""The salutation rule: who the reply is addressed to.

``王某等委员：`` → addressee 王某等委员, proposers [王某]; ``民盟某市委：`` → [民盟某市委];
``张三、李四…王五代表：`` → each deputy. Names are split on 、，, and stripped of 委员,
代表 and 等, and of a role after a personal name (张三副主席, 李四会长 → 张三, 李四); a body's
name (…委员会) is never cut. A salutation to a group (各位代表：, 全体委员：) names nobody: the
addressee is kept and the proposers are empty.
"""

from __future__ import annotations

import re

_HONORIFIC = re.compile(r"^(?:尊敬的?|敬爱的|亲爱的)")
_TITLE = re.compile(
    r"(?:等(?:\d{1,3}|[一二三四五六七八九十]{1,3})?[位名]?)?(?:各位)?(?:委员|代表|同志|先生|女士)们?$|等$"
)
# A role written after a person's name in a salutation (the proposer is the person).
_ROLE = re.compile(
    r"([\u4e00-\u9fff·]{2,5}?)(?:常务)?副?(?:主席|会长|主任|主委|秘书长|理事长|院长|校长|局长|"
    r"处长|部长|厅长|书记|市长|区长|县长|镇长|总经理|董事长|经理|教授|老师|医生|律师)"
)
_SPLIT = re.compile(r"[、，,；;/]|\s+")
# 各位代表, 全体委员, 诸位委员们: a form of address, not a name.
_GROUP = re.compile(r"(?:各位|诸位|全体|各)(?:政协|人大)?(?:委员|代表|同志)们?")


def parse_salutation(text: str) -> tuple[str, tuple[str, ...]]:
    """The addressee (without the colon) and the proposers it names."""
    addressee = text.rstrip("：:").strip()
    names = _HONORIFIC.sub("", addressee)
    proposers = []
    for part in _SPLIT.split(names):
        bare = re.sub(r"[（(][^（）()]*[）)]", "", part)
        if _GROUP.fullmatch(bare):
            continue
        name = _strip_title(bare)
        if name and name not in proposers:
            proposers.append(name)
    return addressee, tuple(proposers)


def _strip_title(name: str) -> str:
    """张三委员 → 张三, 李四等代表 → 李四, 李四代表等 → 李四, but 民革某市委 and …委员会 stay
    whole."""
    stripped = _TITLE.sub("", _TITLE.sub("", name)) if name.endswith("等") else _TITLE.sub("", name)
    role = _ROLE.fullmatch(stripped)
    if role:
        stripped = role.group(1)
    return stripped if stripped else name
