"""The salutation rule: who the reply is addressed to.

``王某等委员：`` → addressee 王某等委员, proposers [王某]; ``民盟某市委：`` → [民盟某市委];
``张三、李四…王五代表：`` → each deputy. Names are split on 、，, and stripped of 委员,
代表 and 等; a body's name (…委员会) is never cut. A salutation to a group (各位代表：,
全体委员：) names nobody: the addressee is kept and the proposers are empty.
"""

from __future__ import annotations

import re

_HONORIFIC = re.compile(r"^(?:尊敬的|敬爱的|亲爱的)")
_TITLE = re.compile(
    r"(?:等(?:\d{1,3}|[一二三四五六七八九十]{1,3})?[位名]?)?(?:各位)?(?:委员|代表|同志|先生|女士)们?$|等$"
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
    return stripped if stripped else name
