"""The session rule: 会议届次, the kind of proposal and its number.

市政协九届二次会议 → body 市政协, term 9, meeting 2; 县十五届人大一次会议 → body 县人大.
提案 is a CPPCC proposal; 代表建议 (or a 人大 session) a deputies' suggestion.
"""

from __future__ import annotations

import re

from replyarchive.records.model import Kind, Session
from replyarchive.vocab.forms import PARTIES
from replyarchive.vocab.markers import CN_NUMERAL, cn_to_int

_N = rf"[{CN_NUMERAL}\d]{{1,4}}"
SESSION = re.compile(
    rf"(全国|自治[区州县旗]|特别行政区|[省市区县州旗])?(?:第?({_N})届)?(人大|人民代表大会|(?:中国人民)?政治协商会议|政协)"
    rf"(?:[\u4e00-\u9fff]{{1,8}}?([省市区县州旗]))?(?:委员会)?(?:第?({_N})届)?(?:委员会|人民代表大会)?"
    rf"第?({_N})次(?:全体)?会议"
)
# 第 2024 0123 号: spaces printed inside the number are not part of it.
_NUMBER = re.compile(r"第(\d{1,16}(?: \d{1,8}){0,3})号")
# A number printed with letters or hyphens (第ZX-2024-015号, 第A2024015号): its digits are kept.
_NUMBER_MIXED = re.compile(r"第([A-Za-z]{0,4}[-－—]?\d{1,8}(?:[-－—][A-Za-z]{0,4}\d{1,8}){0,3})号")
# 提案1234, 提案编号：2024123, and a bare （编号：20240123） after the proposal's title.
_NUMBER_LOOSE = re.compile(
    r"(?:(?:提案|建议|议案)(?:编?号)?[：:第]?|[（(]编号[：:])(\d{3,16})号?"
    r"|(?<![\dA-Za-z\-－—〕\]】)）])(\d{1,16})号(?:代表|委员)?(?:建议|提案|议案)"
)


def parse_session(text: str) -> Session | None:
    """The first session named in ``text``."""
    match = SESSION.search(text)
    if not match:
        return None
    level, term_before, body, level_after, term_after, meeting = match.groups()
    body = "人大" if body == "人民代表大会" else "政协" if body.endswith("政治协商会议") else body
    term = term_before or term_after
    return Session(
        body=f"{level or level_after or ''}{body}",
        term=_positive(term),
        meeting=_positive(meeting),
        label=match.group(0),
    )


def _positive(numeral: str | None) -> int | None:
    value = cn_to_int(numeral) if numeral else None
    return value if value else None


def parse_kind(session: Session | None, *texts: str) -> Kind | None:
    """proposal or suggestion from the session's body, then from the words of the texts."""
    if session is not None:
        return "suggestion" if session.body.endswith("人大") else "proposal"
    for text in texts:
        if re.search(r"代表建议|人大代表|议案|代表：", text):
            return "suggestion"
        if "提案" in text or "政协" in text or "委员" in text:
            return "proposal"
    return None


# What each part of a letter says of the kind. Title: the request as numbered (第N号提案, 1号建议,
# 代表建议); a quoted subject (…的建议) says nothing, proposals are often titled 关于…的建议.
_TITLE_KIND: tuple[tuple[re.Pattern[str], Kind], ...] = (
    (re.compile(r"号(?:委员|政协)?提案|委员提案|政协提案|提案第"), "proposal"),
    (re.compile(r"号(?:代表|人大)?建议|代表建议|人大建议|建议第|议案"), "suggestion"),
)
# Salutation: 张三代表 / 等十位代表 / 代表小组 → deputies; 委员 / 委员小组 / a party committee
# → members.
_ADDRESSEE_KIND: tuple[tuple[re.Pattern[str], Kind], ...] = (
    (re.compile(r"代表(?:们|小组|团)?$"), "suggestion"),
    (re.compile(rf"委员(?:们|小组)?$|^(?:{PARTIES})"), "proposal"),
)
# Opening: 您提出的…提案 / 人大代表 / 代表建议.
_INTRO_KIND: tuple[tuple[re.Pattern[str], Kind], ...] = (
    (re.compile(r"提案|政协"), "proposal"),
    (re.compile(r"代表建议|人大代表|代表提出|人大"), "suggestion"),
)


def kind_signals(session: Session | None, title: str, addressee: str,
                 intro: str) -> list[tuple[str, Kind]]:
    """What each part of the letter says it answers, strongest first: the session's body, the
    title's numbered request, the salutation's form of address, the opening's words."""
    signals: list[tuple[str, Kind]] = []
    if session is not None:
        signals.append((f"the session {session.label}",
                        "suggestion" if session.body.endswith("人大") else "proposal"))
    for part, text, table in (("the title", title, _TITLE_KIND),
                              ("the salutation", addressee, _ADDRESSEE_KIND),
                              ("the opening", intro, _INTRO_KIND)):
        found = [(match.group(0), kind) for pattern, kind in table
                 if (match := pattern.search(text))]
        if len(found) == 1:
            signals.append((f"{part} ({found[0][0]})", found[0][1]))
    return signals


def proposal_number(*texts: str) -> tuple[str | None, str | None]:
    """提案/建议编号: 第1234号 (or 提案1234) in the first text that has one, digits only.

    The second value is the number as printed when it held more than digits (第ZX-2024-015号 →
    ``("2024015", "ZX-2024-015")``), so the caller can warn that only its digits were kept.
    """
    for text in texts:
        match = _NUMBER.search(text) or _NUMBER_LOOSE.search(text)
        if match:
            return (match.group(1) or match.group(2)).replace(" ", ""), None
        mixed = _NUMBER_MIXED.search(text)
        if mixed:
            return re.sub(r"\D", "", mixed.group(1)), mixed.group(1)
    return None, None
