"""The header rule: category mark, letterhead (department), 文号 and title.

Above the salutation a reply prints an optional category mark ``（A类）``, the letterhead,
the document number ``X函〔2025〕111号`` and the title, which may wrap over two lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from replyarchive.normalize import Line
from replyarchive.parse.cc import DISCLOSURE_LABEL
from replyarchive.vocab.forms import DOC_NUMBER
from replyarchive.vocab.lineparts import (
    SENTENCE_END,
    TITLE_END,
    TITLE_WORDS,
    looks_like_name_line,
)

Category = Literal["A", "B", "C"]
_CATEGORIES: dict[str, Category] = {"A": "A", "B": "B", "C": "C"}
_CATEGORY_MARK = re.compile(r"^（?([ABC])类）?$")
# In the header only, the mark may be the bare letter on a line of its own (A above the
# letterhead); elsewhere in a letter a lone A is too weak a sign.
_BARE_MARK = re.compile(r"^[（(]?([ABC])[）)]?$")
# 办复类别：B类, 答复类别：C, 办理结果：A类, 办理类型：B类.
_CATEGORY_FIELD = re.compile(
    r"(?:(?:办复|答复|办理)?类别|(?:办复|答复|办理)(?:结果|类型))[：:]?([ABC])类?"
)
_TITLE_HINT = re.compile(rf"关于|答复|回复|复函|(?:{TITLE_WORDS})$")
_NOISE = re.compile(
    rf"^[（(]?(?:签发人|密级|紧急程度|特急|加急|急件|平件|编号|第\d+页|{DISCLOSURE_LABEL}"
    r"|此件(?:主动|依申请|不予|不)?公开)"
)
# Header lines a field reads: 签发人 (signer) and 公开方式 (disclosure, see cc.py).
_READ_NOISE = re.compile(rf"^[（(]?(?:签发人|{DISCLOSURE_LABEL}|此件)")
SIGNER = re.compile(r"签发人[：:]\s?([\u4e00-\u9fff·]{2,8}(?:[、，,\s][\u4e00-\u9fff·]{2,8}){0,3})")
_CATEGORY_AFTER = re.compile(r"^[（(]?([ABC])类[）)]?$")
# 市政协八届二次会议 printed above the 文号 names a session, never the department.
_SESSION_WORDS = re.compile(r"会议|届")
_LEFT_OVER = re.compile(r"[\s，,、；;：:。.]+")


@dataclass(frozen=True, slots=True)
class Header:
    """What the header says."""

    category: Category | None
    """答复类别 A/B/C."""
    letterhead: str | None
    """The department as printed above the 文号."""
    doc_number: str | None
    """文号 with 〔〕 brackets: 南农函〔2023〕57号."""
    title: str | None
    """The title, its lines joined."""
    title_line: int | None
    """Source line of the title."""
    letterheads: tuple[str, ...] = ()
    """Every body named in the letterhead: more than one in a joint reply (联合答复)."""
    signer: str | None = None
    """签发人, beside the 文号 or on a line of its own."""
    warnings: tuple[tuple[int, str], ...] = ()
    """(line, message) for header text no field holds, each quoting it."""


def find_category(lines: tuple[Line, ...]) -> Category | None:
    """The category from a ``（A类）`` mark or a ``办复类别：B类`` line anywhere in the letter."""
    for line in lines:
        match = _CATEGORY_MARK.match(line.text) or _CATEGORY_FIELD.search(line.text)
        if match:
            return _CATEGORIES[match.group(1)]
    return None


def parse_doc_number(text: str) -> str | None:
    """``南农函[2023]57号`` → ``南农函〔2023〕57号``; None if the text holds none."""
    match = DOC_NUMBER.search(text)
    return f"{match.group(1)}〔{match.group(2)}〕{match.group(3)}号" if match else None


def parse_header(header: tuple[Line, ...], letter: tuple[Line, ...]) -> Header:
    """Split the header lines into category, letterhead, 文号, title and 签发人; every other
    header line is quoted in a warning.

    The category may also be printed elsewhere in the ``letter`` (办复类别：B类 at the end), or
    after the 文号 on its line (…111号（B类）). A title printed above the letterhead is the title
    when none follows the 文号.
    """
    lines = [ln for ln in header if not _is_category(ln.text) and not _NOISE.match(ln.text)]
    doc_index = next((i for i, ln in enumerate(lines) if parse_doc_number(ln.text)), None)
    if doc_index is not None:
        above, below = lines[:doc_index], lines[doc_index + 1 :]
        doc_line: Line | None = lines[doc_index]
    else:
        first = next((i for i, ln in enumerate(lines) if _TITLE_HINT.search(ln.text)), len(lines))
        first = _wrapped_start(lines, first)
        above, below, doc_line = lines[:first], lines[first:], None
    if not below:
        below = _title_above(above)
        above = [ln for ln in above if ln not in below]
    # SCHEMA: the title with whitespace removed (第 2024 0123 号 printed with spaces inside).
    title = re.sub(r"\s+", "", "".join(ln.text for ln in below)) or None
    heads = _letterheads(above)
    letterhead = heads[0] if heads else _letterhead(above)
    after, warnings = _after_number(doc_line)
    warnings += [(ln.number, f"'{ln.text}' above the 文号 is no letterhead, title or category; "
                             f"it is kept only in this warning") for ln in above
                 if _bare(ln.text) not in (*heads, letterhead)]
    warnings += [(ln.number, f"'{ln.text}' in the header is kept only in this warning")
                 for ln in header if _NOISE.match(ln.text) and not _READ_NOISE.match(ln.text)]
    signer = next((m.group(1) for ln in header if (m := SIGNER.search(ln.text))), None)
    return Header(
        category=find_category(header) or _bare_category(header) or after
        or find_category(letter),
        letterhead=letterhead,
        doc_number=parse_doc_number(doc_line.text) if doc_line else None,
        title=title,
        title_line=below[0].number if below else None,
        letterheads=heads,
        signer=signer,
        warnings=tuple(warnings),
    )


def _wrapped_start(lines: list[Line], first: int) -> int:
    """A title wrapped over two or three lines, the line with its title words last (对县某届人大
    某次会议 / 第N号建议答复): the lines right above it that are no body's name, no sentence and
    no 文号 start it."""
    if first >= len(lines) or lines[first].text.startswith("关于"):
        return first
    start = first
    while start > 0 and first - start < 2:
        text = lines[start - 1].text
        if (len(text) > 60 or looks_like_name_line(_bare(text)) or SENTENCE_END.search(text)
                or re.search(r"[，,。]", text)):
            break
        start -= 1
        if text.startswith(("关于", "对")):
            break
    return start


def _title_above(lines: list[Line]) -> list[Line]:
    """A title printed above the letterhead: from a line starting 关于 (or ending like a title)
    down to the line that ends it (…的答复), a wrapped title's lines included."""
    start = next((i for i, ln in enumerate(lines) if len(ln.text) <= 100 and (
        ln.text.startswith("关于") or TITLE_END.search(ln.text))), None)
    if start is None:
        return []
    end = start
    while not TITLE_END.search("".join(ln.text for ln in lines[start : end + 1])) and \
            end + 1 < len(lines) and not looks_like_name_line(_bare(lines[end + 1].text)):
        end += 1
    return lines[start : end + 1]


def _after_number(line: Line | None) -> tuple[Category | None, list[tuple[int, str]]]:
    """What the 文号's line prints beside it: a category (…111号（B类）) is read, 签发人 is read
    by the caller, anything else is quoted in a warning."""
    if line is None:
        return None, []
    rest = _LEFT_OVER.sub(" ", SIGNER.sub("", DOC_NUMBER.sub("", line.text, count=1))).strip()
    category = _CATEGORY_AFTER.match(rest)
    if category:
        return _CATEGORIES[category.group(1)], []
    if rest:
        return None, [(line.number, f"'{rest}' beside the 文号 is kept only in this warning")]
    return None, []


def _bare(text: str) -> str:
    """A letterhead line without the trailing 文件 of 某某局文件."""
    return re.sub(r"文件$", "", text)


def _is_category(text: str) -> bool:
    return bool(_CATEGORY_MARK.match(text) or _CATEGORY_FIELD.fullmatch(text)
                or _BARE_MARK.match(text))


def _bare_category(header: tuple[Line, ...]) -> Category | None:
    """A bare ``A`` (or ``(B)``) on a line of its own above the letterhead."""
    match = next((m for ln in header if (m := _BARE_MARK.match(ln.text.strip()))), None)
    return _CATEGORIES[match.group(1)] if match else None


def _letterheads(lines: list[Line]) -> tuple[str, ...]:
    """The run of body names (…局, …委员会) nearest above the 文号, top first, without a
    trailing 文件: one for most letters; a joint reply prints the lead body first."""
    names = [_bare(line.text) for line in lines]
    last = next((i for i in range(len(names) - 1, -1, -1) if looks_like_name_line(names[i])),
                None)
    if last is None:
        return ()
    first = last
    while first > 0 and looks_like_name_line(names[first - 1]):
        first -= 1
    return tuple(dict.fromkeys(names[first : last + 1]))


def _letterhead(lines: list[Line]) -> str | None:
    """The last line above the 文号 that names a body (…局, …委员会), without a trailing 文件;
    failing that, the last short line without punctuation."""
    names = [_bare(line.text) for line in reversed(lines)]
    for text in names:
        if looks_like_name_line(text):
            return text
    for text in names:
        if 2 <= len(text) <= 40 and not re.search(r"[。，：:|>]", text) \
                and not _SESSION_WORDS.search(text):
            return text
    return None
