"""Cut a letter's lines into its parts: header, salutation, body, closing and signature.

Top to bottom a reply reads: category mark, letterhead, 文号, title; the salutation (…委员：);
the body (preamble paragraphs, then numbered sections); the closing (专此答复…); the
signature block (department, date, 联系人及电话, 公开方式, 抄送).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from replyarchive.normalize import Line, header_end, opening_index
from replyarchive.vocab.forms import DOC_NUMBER
from replyarchive.vocab.lineparts import (
    SIGNATURE_LABEL,
    TITLE_END,
    is_date_line,
    is_month_line,
    looks_like_name_line,
)
from replyarchive.vocab.markers import find_marker

CLOSING = re.compile(r"^(?:专此|特此|此复|此致|以上答复|(?:再次|衷心|诚挚|最后，?)?(?:感谢|谢谢))")
_CLOSING_LIMIT = 120
_NOTE = re.compile(r"^(?:注|附注|说明)[：:]")
_NOTE_LINES = 12
CONTACT = re.compile(r"联系人|联系电话|联系方式|联系单位")
_SIGNATURE = re.compile(
    rf"^[（(]?(?:公开方式|公开属性|抄送|抄报|此件|附件|签发|{SIGNATURE_LABEL}|(?:办复|答复|办理)?类别|(?:办复|答复|办理)(?:结果|类型)[：:]\s*[ABC])|主动公开[）)]?$"
)


@dataclass(frozen=True, slots=True)
class Layout:
    """The parts of one letter, as runs of normalised lines."""

    header: tuple[Line, ...]
    """Everything above the salutation: category mark, letterhead, 文号, title."""
    salutation: Line | None
    """The line naming the addressee (…委员：)."""
    body: tuple[Line, ...]
    """Preamble and numbered sections."""
    closing: tuple[Line, ...]
    """专此答复… up to the signature."""
    signature: tuple[Line, ...]
    """Department, date, contacts, 公开方式, 抄送."""


def is_signature_line(text: str) -> bool:
    """A line that belongs to the signature block."""
    return bool(
        is_date_line(text)
        or is_month_line(text)
        or (CONTACT.search(text) and len(text) <= 120)
        or _SIGNATURE.search(text)
        or looks_like_name_line(text)
    )


def _wrapped_salutation(
    header: tuple[Line, ...], salutation: Line
) -> tuple[tuple[Line, ...], Line]:
    """A salutation wrapped over lines (many names): the lines between the title (…答复的函) and
    the colon belong to it."""
    title = max((i for i, line in enumerate(header) if TITLE_END.search(line.text)), default=-1)
    if title < 0 or title == len(header) - 1:
        return header, salutation
    rest = header[title + 1 :]
    if any(len(line.text) > 60 or DOC_NUMBER.search(line.text) for line in rest):
        return header, salutation
    text = "".join(line.text for line in rest) + salutation.text
    return header[: title + 1], Line(text, rest[0].number)


def _after_attachments(lines: tuple[Line, ...], end: int) -> int:
    """附件：… printed between the closing and the signing body stays with the closing (its text
    is kept), together with the numbered attachment lines under it (1.…, 2.…)."""
    index = end
    while index < len(lines) and lines[index].text.startswith("附件"):
        index += 1
        while index < len(lines) and find_marker(lines[index].text) \
                and not is_signature_line(lines[index].text):
            index += 1
    if index == end or not any(is_date_line(ln.text) or looks_like_name_line(ln.text)
                               for ln in lines[index:]):
        return end  # nothing signs after it: the attachment note belongs to the signature
    return index


def _before_note(lines: tuple[Line, ...], start: int) -> int:
    """Where the signature block ends when a note under it (注：办复类别共分三类。 / A类——…)
    runs on over lines of its own: at the 注 line right under a signature line; else the end."""
    for index in range(len(lines) - 1, max(start, len(lines) - _NOTE_LINES) - 1, -1):
        if _NOTE.match(lines[index].text) and is_signature_line(lines[index - 1].text):
            return index
    return len(lines)


def split_layout(lines: tuple[Line, ...]) -> Layout:
    """Find the salutation, the signature block (from the end) and the closing."""
    opening = opening_index(lines)
    start = header_end(lines) + 1
    end = _before_note(lines, start)
    while end > start and is_signature_line(lines[end - 1].text):
        end -= 1
    # Numbered lines under 附件： list attachments, not sections.
    attachments = next((i for i in range(start, end) if lines[i].text.startswith("附件")), end)
    markers = [i for i in range(start, attachments) if find_marker(lines[i].text)]
    # A closing is a line or two of thanks: a long paragraph opening 感谢… is the body's.
    closings = [i for i in range(markers[-1] if markers else start, end)
                if CLOSING.match(lines[i].text) and len(lines[i].text) <= _CLOSING_LIMIT]
    close = end
    if closings:
        # After the closing, the signature starts at its first signature line; lines left after
        # the signature (a web page's footer) stay with it rather than the closing.
        close = closings[0] if markers else closings[-1]
        end = next((i for i in range(close + 1, len(lines)) if is_signature_line(lines[i].text)),
                   end)
    end = _after_attachments(lines, end)
    header = lines[: opening if opening >= 0 else start]
    salutation = lines[opening] if opening >= 0 else None
    if salutation is not None:
        header, salutation = _wrapped_salutation(header, salutation)
    return Layout(
        header=header,
        salutation=salutation,
        body=lines[start:close],
        closing=lines[close:end],
        signature=lines[end:],
    )
