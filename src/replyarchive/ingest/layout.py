"""Printed lines with their boxes back into the letter's paragraphs (text layer or OCR boxes).

A page gives its printed lines, each with its box, font size, whether it is printed in red and
its column. Then

1. page furniture goes: page numbers (``— 3 —``, ``-3-``, ``第3页``, ``3/7``) and running headers
   and footers (the same text in the top or bottom band of most pages, set apart from the
   text by more than its line pitch), told by position on each page (a landscape attachment
   page has bands of its own);
2. lines are joined into paragraphs. Each column of each page size has its margins: the left
   one is the leftmost start that at least a quarter as many body-size lines share as the
   commonest start (not the commonest: in a short letter of short paragraphs the indent is as
   common as the margin), the right one the commonest end. A line continues the one above
   when that one runs to the right margin and this one starts at the left margin, at the
   paragraph's hanging indent (``抄送：`` and the units aligned under its first one) or is
   centred (a title's last line), in the same size. The title's lines, larger than the body
   and centred, are one paragraph even when none runs to the margin. The red letterhead (红头)
   is a line of its own, each line (a joint letter stacks its departments), its
   letter-spacing gone. A short line ending near the right margin, well in from the left one
   (the right-aligned signature and date), a line of pieces standing apart (a table's row)
   and 附件 alone on a line are lines of their own. An indented line, a change of size or of
   page size, or a line after a short one starts a new paragraph. A page break is no
   boundary, so a paragraph or heading cut by one is whole again.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

_PAGE_NUMBER = re.compile(
    r"^(?:[—–\-－~·]{1,2}\s{0,3}\d{1,4}\s{0,3}[—–\-－~·]{1,2}|\d{1,4}|第\s{0,2}\d{1,4}\s{0,2}页"
    r"(?:\s{0,2}[，,/]?\s{0,2}共\s{0,2}\d{1,4}\s{0,2}页)?|\d{1,4}\s{0,2}/\s{0,2}\d{1,4})$")
_BAND = 0.1
"""Top and bottom share of a page where page numbers, running headers and footers stand."""
_LATIN_END = re.compile(r"[A-Za-z0-9]$")
_LATIN_START = re.compile(r"^[A-Za-z0-9]")
_LABEL = re.compile(r"^\S{1,4}\s{0,2}[:：]")
"""A line opening with a short label (抄送：, 附件：): its next lines may hang under the text."""
_ATTACHMENT = re.compile(r"^附\s{0,2}件\s{0,2}\d{0,2}\s{0,2}[:：]?$")
"""附件 (附件1, 附件2：) alone on a line heads an attachment: a paragraph of its own."""
_TITLE_SCALE = 1.8
"""A title is larger than the body but less than this many times (a letterhead is larger)."""


@dataclass(frozen=True, slots=True)
class PdfLine:
    """One printed line of a page, with its box (points, from the page's bottom-left)."""

    text: str
    """The line's characters, stripped."""
    page: int
    """1-based page."""
    number: int
    """1-based line on the page, from the top."""
    left: float
    """x of the first character's left edge."""
    right: float
    """x of the last character's right edge."""
    top: float
    """y of the line's top, from the page's bottom edge."""
    size: float
    """Font size of the line's longest run."""
    red: bool = False
    """Most of its characters are printed in red (a 红头 letterhead)."""
    height: float = 0.0
    """Height of its page (0: unknown, then the first page's counts)."""
    column: int = 0
    """0 for a line across the page; 1 or 2 for a line of the left or right column of a page
    set in two columns (each column has margins of its own)."""
    cells: int = 1
    """Pieces of text standing apart on the line (a table's cells, 文号 and 签发人)."""


def drop_furniture(pages: Sequence[Sequence[PdfLine]], height: float) -> list[PdfLine]:
    """The lines of every page without page numbers and running headers and footers;
    ``height`` is the page height for lines that do not know their own."""
    def banded(line: PdfLine) -> bool:
        tall = line.height or height
        return line.top > tall * (1 - _BAND) or line.top < tall * _BAND * 1.3

    def key(line: PdfLine) -> str:
        return re.sub(r"\d+", "#", "".join(line.text.split()))

    repeated = Counter(key(line) for page in pages for line in {key(x): x for x in page
                                                                 if banded(x)}.values())
    many = max(2, (len(pages) + 1) // 2)
    pitch = _pitch(pages)

    def running(line: PdfLine, page: Sequence[PdfLine]) -> bool:
        """Repeated on most pages and set apart from the text (a body line that happens to
        open or close two pages, 吸收采纳该建议。, stands at the body's line pitch)."""
        gaps = [abs(line.top - other.top) for other in page if other is not line]
        return (len(pages) > 1 and repeated[key(line)] >= many
                and min(gaps, default=pitch * 2) > pitch * 1.3)

    return [line for page in pages for line in page
            if not (banded(line) and (_PAGE_NUMBER.match("".join(line.text.split()))
                                      or running(line, page)))]


def _pitch(pages: Sequence[Sequence[PdfLine]]) -> float:
    """The commonest distance between one line's top and the next's (to a point)."""
    steps = Counter(round(above.top - below.top) for page in pages
                    for above, below in itertools.pairwise(page)
                    if above.top > below.top)
    return float(steps.most_common(1)[0][0]) if steps else 0.0


@dataclass(frozen=True, slots=True)
class _Body:
    """The body text's size and margins."""

    size: float
    left: float
    right: float

    @property
    def middle(self) -> float:
        return (self.left + self.right) / 2

    def full(self, line: PdfLine) -> bool:
        """The line runs to the right margin."""
        return line.right >= self.right - 1.5 * max(line.size, 1.0)

    def centred(self, line: PdfLine) -> bool:
        """The line stands in the middle, short of both margins (an indented line that runs
        to the margin is off the middle by only its indent's half)."""
        em = max(line.size, 1.0)
        return (abs((line.left + line.right) / 2 - self.middle) < em / 2
                and line.right < self.right - em)

    def right_aligned(self, line: PdfLine) -> bool:
        """A signature or a date: short, ending near the right margin, well in from the left
        one and not centred (a long department name starts left of the middle)."""
        em = max(line.size, 1.0)
        return (line.right - line.left < 0.6 * (self.right - self.left)
                and line.right > self.right - 6 * em and line.left > self.left + 4 * em
                and not self.centred(line))

    def title_size(self, line: PdfLine) -> bool:
        return self.size + 1 < line.size < self.size * _TITLE_SCALE


def paragraphs(lines: Sequence[PdfLine]) -> Iterator[tuple[str, PdfLine]]:
    """Paragraphs (text, first line) from the lines of every page, in order."""
    if not lines:
        return
    bodies = {key: _body([line for line in lines if _frame(line) == key])
              for key in {_frame(line) for line in lines}}
    parts: list[str] = []
    head = previous = lines[0]
    hang: float | None = None
    for line in lines:
        if parts and not _continues(previous, line, bodies, head, hang):
            yield join(parts), head
            parts, head, hang = [], line, None
        elif parts and len(parts) == 1:
            hang = line.left
        parts.append("".join(line.text.split()) if line.red else line.text)
        previous = line
    yield join(parts), head


def letter_starts(found: Sequence[tuple[str, PdfLine]]) -> tuple[int, ...]:
    """The 1-based paragraphs where a further letter begins: the first on a page, after the
    first page, whose opening lines (a category mark, then the letterhead) include a red one.
    A PDF of several letters prints each from a new page under its 红头, whether or not its
    text shows a 文号 or a title to split at."""
    starts: list[int] = []
    opening: int | None = None
    for index, (_, line) in enumerate(found):
        if index and line.page != found[index - 1][1].page:
            opening = index
        if (opening is not None and line.red and index - opening <= 2
                and line.page != found[0][1].page):
            starts.append(opening + 1)
            opening = None
    return tuple(starts)


def _body(lines: Sequence[PdfLine]) -> _Body:
    """The body's size (of most characters) and its margins (see the module's docstring)."""
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[round(line.size)] += len(line.text)
    size = float(sizes.most_common(1)[0][0])
    text = [line for line in lines if abs(line.size - size) < 1] or list(lines)
    starts = _groups(sorted(line.left for line in text), size / 4)
    enough = max(2, max(len(group) for group in starts) // 4)
    left = next((group for group in starts if len(group) >= enough), starts[0])
    right = max(_groups(sorted(line.right for line in text), size / 4), key=len)
    return _Body(size, left[len(left) // 2], right[len(right) // 2])


def _groups(values: Sequence[float], near: float) -> list[list[float]]:
    """The sorted ``values`` in runs, each within ``near`` of its run's first."""
    groups: list[list[float]] = []
    for value in values:
        if groups and value - groups[-1][0] <= near:
            groups[-1].append(value)
        else:
            groups.append([value])
    return groups


def _frame(line: PdfLine) -> tuple[int, float]:
    """What a line's margins are those of: its column on pages of its height."""
    return line.column, line.height


def _continues(above: PdfLine, line: PdfLine, bodies: dict[tuple[int, float], _Body],
               head: PdfLine,
               hang: float | None) -> bool:
    """Whether ``line`` goes on with the paragraph whose first line is ``head``, whose line
    ``above`` it stands under, whose second line started at ``hang``; ``bodies`` are the
    body's measures in each column of each page size."""
    over, body = bodies[_frame(above)], bodies[_frame(line)]
    em = max(line.size, 1.0)
    if (above.red or line.red or abs(above.size - line.size) >= 0.5
            or line.height != above.height or not _near(above, line, em)):
        return False
    if body.title_size(line) and body.centred(above) and body.centred(line):
        return True  # the title's lines, each centred
    if (over.right_aligned(above) or body.right_aligned(line) or above.cells > 1
            or line.cells > 1 or _ATTACHMENT.match(line.text)):
        return False
    flush = abs(line.left - body.left) < em  # an opening bracket's ink starts half an em in
    if hang is not None and line.column == head.column:
        flush = flush or abs(line.left - hang) < em / 2
    elif above is head and _LABEL.match(head.text):
        flush = flush or head.left + em < line.left < head.left + 5 * em
    return over.full(above) and (flush or body.centred(line))


def _near(above: PdfLine, line: PdfLine, em: float) -> bool:
    """The lines follow each other: the next line in the column, across a page break or from
    the foot of the left column to the head of the right one."""
    return (line.page != above.page or line.column != above.column
            or above.top - line.top < 3 * em)


def join(parts: Sequence[str]) -> str:
    """Lines as one text: no space between them but between two Latin words or numbers."""
    text = parts[0]
    for part in parts[1:]:
        gap = " " if _LATIN_END.search(text) and _LATIN_START.match(part) else ""
        text += gap + part
    return text
