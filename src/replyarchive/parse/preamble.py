"""The preamble rule: the proposal's title and the co-handling units (会办单位).

``你们提出的《…》（提案第1234号）收悉，经综合A、B和C意见`` → proposal_title …, co_handlers
[A, B, C]. Lists split on 、，, and on 和/及/与 only where both sides are whole unit names, so
工业和信息化局 stays one name.
"""

from __future__ import annotations

import re

from replyarchive.vocab.forms import UNIT_ENDS, ends_with

_QUOTED = re.compile(r"[《<]([^《》<>]{2,200})[》>]")
_QUOTED_AFTER_VERB = re.compile(
    r"提[出交](?:的|了)?(?:[《<]([^《》<>]{2,200})[》>]|“(关于[^“”]{2,200})”)")
_SUBJECT = re.compile(r"提出(?:的|了)?(.{2,200}?)(?:（[^（）]*）)?(?:已)?收悉")
# 您提出的关于…的建议，现答复如下 (no 收悉): a subject 关于…建议/提案 ending its clause.
_SUBJECT_CLAUSE = re.compile(r"提出(?:的|了)?(关于[^，,。；;]{2,200}?(?:建议|提案|议案))[，,。；;]")
_CO_HANDLERS = re.compile(
    r"(?:经综合|综合了?|会同了?|征求了?|商请了?|汇总了?|经与|联合)([^。；：:]{2,300}?)"
    r"(?:等?(?:相关|有关)?(?:单位|部门|会办单位))?(?:的|会办|共同)?(?:对(?:该|本|此)?(?:提案|建议))?"
    r"(?:办理)?(?:进行了?|开展了?)?(?:意见|认真研究|研究办理|共同研究|共同办理|办理|研究|同意|"
    r"沟通协商|协商|沟通)"
)
# 经商A、B和C，现将… / 并商A、B认真研究 / 经商A、B同意: the units consulted, up to the clause's
# end (the verb after them is cut by _TAIL).
_CONSULTED = re.compile(
    r"(?:经商|并商|会商|商请|经征求|(?<=[局委办])商(?![务业品户场标贸]))了?([^，。；：:]{2,200})"
)
# 由我局主办，A、B协办 / 协办单位：A、B / A、B为会办单位: the units named as co-handlers.
_ASSISTING = (
    re.compile(r"(?:^|[，。；,;])([^，。；：:,;]{2,200}?)(?:为|作为)?(?:协办|会办)(?:单位)?[，。；,;]"),
    re.compile(r"(?:协办|会办)(?:单位|部门)(?:为|是|有|[：:])([^。；;]{2,200})"),
)
# What 经综合协办单位意见 names instead of units: no unit of its own.
_PLACEHOLDER = re.compile(r"^(?:各?(?:协办|会办|相关|有关|主办)(?:单位|部门)?|各(?:单位|部门))$")
# A clause, not a unit: 本件由我局协办 / 《…》提出的….
_NO_UNIT = re.compile(r"我|《|》|提出|会议")
_LIST_SPLIT = re.compile(r"[、，,；;]")
_CONJUNCTION = re.compile(r"[和及与]")
_UNIT_END = re.compile(f"{ends_with(UNIT_ENDS)}$")
_LEAD = re.compile(r"^(?:了|市内|各|(?:本|该|此)(?:提案|建议)由?)?")
_TAIL = re.compile(
    r"(?:等单位|等部门|等|会办|协办|相关单位|的|意见|提出|同意|(?:认真|共同)?研究(?:办理)?)$"
)


def proposal_title(text: str) -> str | None:
    """The 《quoted》 title after 提出的, else the subject between 提出的 and 收悉."""
    head = text.split("收悉")[0] if "收悉" in text else text
    quoted = _QUOTED_AFTER_VERB.search(head) or _QUOTED.search(head)
    if quoted:
        return quoted.group(1) or quoted.group(2)
    subject = _SUBJECT.search(text) or _SUBJECT_CLAUSE.search(text)
    if subject is None:
        return None
    # “关于…的建议” in quotes: the title inside them.
    found = subject.group(1)
    return found[1:-1] if found[:1] in "“\"「" and found[-1:] in "”\"」" else found


def co_handlers(text: str, *elsewhere: str) -> tuple[str, ...]:
    """The units whose views were consolidated (经综合…意见, 会同…等单位意见, 并商…研究, 经与…共同
    研究, 经商…同意), else the units named as 协办 in ``text`` or on a line of ``elsewhere``
    (协办单位：…). A placeholder (经综合协办单位意见) names no unit of its own."""
    match = _CO_HANDLERS.search(text) or _CONSULTED.search(text)
    units = _units(match.group(1)) if match else []
    if units and not all(_PLACEHOLDER.match(unit) for unit in units):
        return tuple(units)
    for source in (text, *elsewhere):
        for pattern in _ASSISTING:
            assisting = pattern.search(source)
            if assisting and (named := _units(assisting.group(1))):
                return tuple(named)
    return ()


def _units(listing: str) -> list[str]:
    units: list[str] = []
    for part in _LIST_SPLIT.split(listing):
        for unit in split_conjunctions(_clean(part)):
            if unit and unit not in units and not _PLACEHOLDER.match(unit) \
                    and not _NO_UNIT.search(unit):
                units.append(unit)
    return units


def _clean(part: str) -> str:
    text = part.strip()
    for _ in range(3):
        text = _TAIL.sub("", _LEAD.sub("", text, count=1))
    return text


def split_conjunctions(text: str) -> list[str]:
    """``东坑镇和石岭镇`` → two units; ``工业和信息化局`` stays one (its left side is no unit)."""
    for match in _CONJUNCTION.finditer(text):
        left, right = text[: match.start()], text[match.end() :]
        if len(left) >= 2 and _UNIT_END.search(left) and _UNIT_END.search(right):
            return [left, *split_conjunctions(right)]
    return [text] if text else []
