"""The pasted-letters rule: where a second letter starts in one file.

Office staff sometimes paste two replies into one text file. A second letter is recognised
only when its boundary is unambiguous: after a signature date, a new header block starts — a
文号 standing on a short line of its own with a title line (…的函, …的答复, 关于…) right below
it, or a title line (…答复的函) with a salutation (…委员：) right below it. The block begins
there, or above it at the category mark and letterhead lines that directly precede it.
Anything less clear is left to the caller's warning.
"""

from __future__ import annotations

import re

from replyarchive.normalize import Line, header_end
from replyarchive.vocab.forms import DOC_NUMBER, is_salutation
from replyarchive.vocab.lineparts import TITLE_END, is_date_line, looks_like_name_line

_DOC_LINE = 60
"""Longest line that may hold a 文号 of its own (签发人：… may stand beside it)."""
_TITLE_LINE = 100
_TITLE_GAP = 3
"""Lines the title may be below its 文号 (a title wraps, a 签发人 line comes between)."""
_HEAD_ABOVE = 3
"""Category mark and letterhead lines that may stand above the 文号."""
_ISSUER = re.compile(r"^(?:签发人|密级|紧急程度|特急|加急|急件|平件)")
_CATEGORY_MARK = re.compile(r"^[（(]?[ABC]类?[）)]?$")


def letter_starts(lines: tuple[Line, ...]) -> tuple[int, ...]:
    """Indexes of the lines where a second, third… letter starts (empty for one letter)."""
    starts: list[int] = []
    first_body = header_end(lines) + 1
    dated = -1
    for index in range(max(first_body, 1), len(lines)):
        text = lines[index].text
        if is_date_line(text):
            dated = index
            continue
        if dated < 0 or not _starts_header(lines, index):
            continue
        start = index
        while (start - 1 > dated and index - start < _HEAD_ABOVE
               and _is_head_line(lines[start - 1].text)):
            start -= 1
        starts.append(start)
        dated = -1
    return tuple(starts)


def _starts_header(lines: tuple[Line, ...], index: int) -> bool:
    text = lines[index].text
    if _is_doc_line(text):
        return _title_below(lines, index)
    return _is_title_line(text) and _salutation_below(lines, index)


def _is_doc_line(text: str) -> bool:
    match = DOC_NUMBER.search(text)
    return match is not None and match.start() == 0 and len(text) <= _DOC_LINE


def _title_below(lines: tuple[Line, ...], index: int) -> bool:
    for line in lines[index + 1 : index + 1 + _TITLE_GAP]:
        text = line.text
        if len(text) <= _TITLE_LINE and (TITLE_END.search(text) or text.startswith("关于")
                                         or "关于" in text[:40]):
            return True
    return False


def _is_title_line(text: str) -> bool:
    return len(text) <= _TITLE_LINE and TITLE_END.search(text) is not None


def _salutation_below(lines: tuple[Line, ...], index: int) -> bool:
    """A title with no 文号 above it still starts a letter when a salutation (…委员：) follows."""
    return index + 1 < len(lines) and is_salutation(lines[index + 1].text)


def _is_head_line(text: str) -> bool:
    """A category mark, a letterhead (…局, …文件) or an issuer line above a 文号."""
    return bool(_CATEGORY_MARK.match(text) or looks_like_name_line(re.sub(r"文件$", "", text))
                or _ISSUER.match(text))
