"""The letters' printed forms, each defined once: the 文号, the date, the endings of a body's
name, full-width characters and the salutation. Every stage that reads one of them derives its
pattern from here, so a new form of the genre is added in one place.
"""

from __future__ import annotations

import datetime
import re

from replyarchive.vocab.markers import cn_to_int

# 文号: 南农函〔2023〕57号, printed with 〔〕, [], 【】, (), （） or ［］ around the year.
DOC_OPEN = "〔\\[【(（［"
DOC_CLOSE = "〕\\]】)）］"
DOC_YEAR = rf"[{DOC_OPEN}]((?:19|20)\d{{2}})[{DOC_CLOSE}]"
"""The bracketed year of a 文号; group 1 is the year."""
DOC_NUMBER = re.compile(rf"([\u4e00-\u9fffA-Za-z]{{1,16}}?){DOC_YEAR}第?(\d{{1,6}})号")
"""A 文号 anywhere: groups prefix, year, serial."""
DOC_NUMBER_END = re.compile(rf"{DOC_YEAR}第?\d{{1,6}}号$")
"""A line ending with a 文号's year and serial."""
DOC_NUMBER_LINE = re.compile(
    rf"^[^\s，。：:]{{1,20}}[{DOC_OPEN}]\s?(?:19|20)\d{{2}}\s?[{DOC_CLOSE}]\s?第?\d{{1,6}}\s?号$"
)
"""A raw (unnormalised) line that is a 文号 alone, spaces allowed inside."""

# The date: 2025年9月15日, 二〇二三年六月八日, or typed 2025-09-15 / 2025.9.15 / 2025/9/15.
_CN_YEAR = "〇零○一二三四五六七八九"
_CN_DAY = "一二三四五六七八九十"
DATE = (rf"([\d{_CN_YEAR}]{{4}})年([\d{_CN_DAY}]{{1,3}})月([\d{_CN_DAY}]{{1,3}})日"
        r"|(?<!\d)((?:19|20)\d{2})([-./])(\d{1,2})\5(\d{1,2})(?!\d)")
"""A full date; groups year, month, day (Chinese form) or year, separator, month, day."""
DATE_ANYWHERE = re.compile(DATE)
DATE_AT_END = re.compile(rf"(?:{DATE})$")
MONTH_AT_END = re.compile(rf"[\d{_CN_YEAR}]{{4}}年[\d{_CN_DAY}]{{1,3}}月$")
"""A date without its day (2024年9月), ending a line."""


def iso_date(match: re.Match[str]) -> str | None:
    """The ISO date a ``DATE`` match names, or None when it is impossible (2月30日)."""
    groups = match.groups()
    parts = groups[0:3] if groups[0] else (groups[3], groups[5], groups[6])
    year, month, day = (cn_to_int(part) if part else None for part in parts)
    if year is None or month is None or day is None:
        return None
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


# The endings of a body's name, in three rings: each ring holds the one inside it.
WHOLE_NAME_ENDS = ("局", "委", "办", "办公室", "院", "政府", "中心", "厅", "公司", "集团", "署",
                   "镇", "街道", "所", "站", "馆", "队")
"""Endings that end only a whole name: a name cut before them is cut (…社会 / 保障局)."""
NAME_ENDS = (*WHOLE_NAME_ENDS, "部", "会", "委员会", "处", "区", "行", "社", "校")
"""Endings of a body's name alone on a line (a letterhead, a signature); 会, 部, 区… end other
words too (社会, 内部, 地区), so a line cut there may go on."""
UNIT_ENDS = (*NAME_ENDS, "分行", "团", "管委会", "园", "场", "台")
"""Endings of a unit in a list the letter gives as units (经综合A、B和C意见)."""
OFFICE_ENDS = (*WHOLE_NAME_ENDS, "科", "股", "室", "处", "组")
"""Endings of an office named where a contact person would be (联系单位：…养老服务科)."""


def ends_with(endings: tuple[str, ...]) -> str:
    """A regex alternation matching any of ``endings`` (longest first), for ``…$``."""
    return "(?:" + "|".join(sorted(set(endings), key=lambda end: (-len(end), end))) + ")"


# Full-width forms: ＡＢＣ１２３，：（）.
FULL_WIDTH = {0xFF01 + i: 0x21 + i for i in range(94)} | {0x3000: 0x20}
"""Full-width ASCII forms and the ideographic space, to their ASCII forms."""
WIDE_LETTERS = {wide: narrow for wide, narrow in FULL_WIDTH.items() if chr(narrow).isalnum()}
"""Only the digits and Latin letters of ``FULL_WIDTH`` (punctuation stays as printed)."""

# The parties and bodies that sit in the CPPCC and address proposals as a body (民盟某市委).
PARTIES = ("民革|民盟|民建|民进|农工党|农工民主党|致公党|九三学社|台盟"
           "|工商联|共青团|妇联|科协|侨联|台联|青联")
"""The first words of a party's or a people's organisation's name, as an alternation."""

# The salutation: 王某等委员：, a short line ending with a colon that is no sentence.
SALUTATION_LIMIT = 120
"""Longest salutation line."""
_NO_SALUTATION = re.compile(r"。|类别|如下|收悉")


# 李红代表 / 尊敬的张三委员 printed without its colon: a name (or names) and the form of address.
_BARE_SALUTATION = re.compile(
    r"^(?:尊敬的?|敬爱的)?[\u4e00-\u9fff·、，, ]{1,60}?"
    r"(?:等(?:\d{1,3}|[一二三四五六七八九十]{1,3})[位名]?)?(?:代表|委员|同志)(?:小组|们)?$"
)
# The body's opening sentence (…收悉, 现答复如下): the salutation is above it, never below.
OPENING = re.compile(r"收悉|(?:答复|回复|复函|函复|报告)如下")


def is_bare_salutation(text: str) -> bool:
    """A salutation without its colon (李红代表), told by the opening sentence under it."""
    return len(text) <= SALUTATION_LIMIT and _BARE_SALUTATION.match(text) is not None


def is_salutation(text: str) -> bool:
    """A short line ending with a colon that is neither a sentence (。), a category line, nor the
    opening's 现答复如下： / …收悉："""
    return (text[-1:] in ("：", ":") and len(text) <= SALUTATION_LIMIT
            and _NO_SALUTATION.search(text) is None)
