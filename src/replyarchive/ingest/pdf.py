"""The text-PDF reader: PDFium's text layer, page by page, back into the letter's paragraphs.

PDFium (pypdfium2) ships the predefined CJK CMaps, so 公文 fonts without a ToUnicode map still
give their characters. Each page gives its printed lines with their boxes, sizes and colour
(red: the letterhead), in reading order: PDFium's lines are cut where text stands far apart on
one baseline, and a page set in two columns is read column by column. ``layout`` then drops
the page furniture, joins the lines into paragraphs and says where a further letter begins
under its red letterhead on a new page (``Extracted.letter_starts``).

A PDF without a text layer (or one that is mostly ``(cid:…)``, U+FFFD or private-use
characters) is a scan: ``ScanFound`` hands it to the OCR reader (``scan.py``). Broken,
encrypted and empty PDFs get an error naming the file.
"""

from __future__ import annotations

import ctypes
import itertools
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from replyarchive.errors import SourceError
from replyarchive.ingest.extracted import Extracted, Position, ScanFound
from replyarchive.ingest.layout import PdfLine, drop_furniture, join, letter_starts, paragraphs

__all__ = ["PdfLine", "read_pdf", "unusable_share"]

_UPRIGHT = 0.05
"""Sine of the largest angle (about 3°) at which a character still stands on its line."""
_BAD = re.compile(r"\(cid:\d+\)|[\ufffd\ue000-\uf8ff]")
_SCAN = "this PDF is a scan (no usable text layer): it needs OCR"


def read_pdf(data: bytes, file: Path) -> Extracted:
    """A PDF's text layer as the letter's paragraphs (see the module's docstring)."""
    pages, height, images = _pages(data, file)
    lines = [line for page in pages for line in page]
    if not pages:
        raise SourceError("the PDF has no pages; check the file", path=file)
    if (not lines and images) or (lines and unusable_share(lines) > 0.3):
        raise ScanFound(_SCAN, path=file)
    if not lines:
        raise SourceError("the PDF's pages are blank (no text, no images); check the file",
                          path=file)
    body = drop_furniture(pages, height)
    if not body:
        raise SourceError("the PDF holds no text but page numbers; check the file", path=file)
    found = list(paragraphs(body))
    text = "\n".join(text for text, _ in found) + "\n"
    positions = tuple(Position(line.page, line.number) for _, line in found)
    return Extracted(text, reader="pdf-text", pages=len(pages), positions=positions,
                     letter_starts=letter_starts(found))


def _pages(data: bytes, file: Path) -> tuple[list[list[PdfLine]], float, bool]:
    """Each page's lines, the height of the first page and whether a page without text shows
    an image. Each page is loaded once: loading is most of the time taken."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise SourceError(_open_error(str(exc)), path=file) from exc
    pages: list[list[PdfLine]] = []
    height, images = 0.0, False
    try:
        for index in range(len(document)):
            page = document[index]
            pages.append(list(_lines(page, index + 1)))
            height = height or page.get_height()
            if not pages[-1] and not images:  # no text: a scanned page shows an image
                found = page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=1)
                images = next(iter(found), None) is not None
            page.close()
    finally:
        document.close()
    return pages, height, images


def _open_error(reason: str) -> str:
    if "password" in reason.lower():
        return ("the PDF is encrypted (it asks for a password); save an unprotected copy "
                "(print to PDF) and run again")
    return (f"cannot open the PDF ({reason}); the file is broken or no PDF: save it again "
            "from the program that made it")


def _lines(page: Any, number: int) -> Iterator[PdfLine]:
    """The page's printed lines in reading order (``_reading_order``), each line's runs put
    together left to right, a space where they stand apart."""
    height = float(page.get_height())
    for index, (column, row) in enumerate(_reading_order(list(_runs(page))), 1):
        text, cells = row[0].text, 1
        for before, run in itertools.pairwise(row):
            apart = run.left - before.right > run.size
            text, cells = join([text + (" " if apart else ""), run.text]), cells + apart
        widest = max(row, key=lambda r: len(r.text))
        red = sum(len(r.text) for r in row if r.red) * 2 > sum(len(r.text) for r in row)
        yield PdfLine(text, number, index, row[0].left, max(r.right for r in row),
                      max(r.top for r in row), widest.size, red, height, column, cells)


def _rows(runs: Sequence[_Run]) -> list[list[_Run]]:
    """Runs standing on one line (a comma hung at the line's end, a run split off by a change
    of font, 文号 and 签发人) as rows, top to bottom, each left to right."""
    rows: list[list[_Run]] = []
    for run in sorted(runs, key=lambda r: -r.top):
        row = rows[-1] if rows else None
        if row is not None and min(r.bottom for r in row) <= run.middle <= max(r.top
                                                                                for r in row):
            row.append(run)
        else:
            rows.append([run])
    for row in rows:
        row.sort(key=lambda r: r.left)
    return rows


def _reading_order(runs: Sequence[_Run]) -> list[tuple[int, list[_Run]]]:
    """The rows of a page as they are read, each with its column (0: across the page): on a
    page set in two columns, between the rows that run across the gutter (a title, a footer),
    the left column's rows (1), then the right's (2)."""
    rows = _rows(runs)
    gutter = _gutter(rows)
    if gutter is None:
        return [(0, row) for row in rows]
    ordered: list[tuple[int, list[_Run]]] = []
    left: list[_Run] = []
    right: list[_Run] = []
    for row in [*rows, []]:
        if not row or any(run.left < gutter < run.right for run in row):
            ordered += [(1, part) for part in _rows(left)] + [(2, part) for part in _rows(right)]
            ordered += [(0, row)] if row else []
            left, right = [], []
        else:
            for run in row:
                (left if run.right <= gutter else right).append(run)
    return ordered


def _gutter(rows: Sequence[Sequence[_Run]]) -> float | None:
    """The x of a gutter between two columns: a gap that at least four rows, and more rows
    than run across it, have text on both sides of; None for a page set in one column."""
    gaps = [(before.right + after.left) / 2 for row in rows
            for before, after in itertools.pairwise(row) if after.left - before.right > after.size]
    best, most = None, 3
    for x in gaps:
        both = sum(1 for row in rows if row[0].right <= x <= row[-1].left
                   and not any(run.left < x < run.right for run in row))
        across = sum(1 for row in rows if any(run.left < x < run.right for run in row))
        if both > most and both > across:
            best, most = x, both
    return best


@dataclass(frozen=True, slots=True)
class _Run:
    """A run of text PDFium gives as one line, with its box."""

    text: str
    left: float
    right: float
    bottom: float
    top: float
    size: float
    red: bool

    @property
    def middle(self) -> float:
        return (self.bottom + self.top) / 2


def _runs(page: Any) -> Iterator[_Run]:
    """PDFium's lines of text without the characters set at an angle (a watermark, a seal's
    ring: no letter text), each cut where a space stands for a gap wider than one and a
    half characters: PDFium puts text on one baseline into one line, however far apart (two
    columns, 文号 and 签发人)."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count) if count else ""
    start = 0
    angle = raw.FPDFText_GetCharAngle
    for end in [*(i for i, ch in enumerate(text) if ch == "\n"), len(text)]:
        marks = [i for i in range(start, min(end, count)) if not text[i].isspace()
                 and abs(math.sin(angle(textpage.raw, i))) < _UPRIGHT]
        for part in _apart(textpage, text, marks):
            first = textpage.get_charbox(part[0])
            last = textpage.get_charbox(part[-1])
            size = float(raw.FPDFText_GetFontSize(textpage.raw, part[0]))
            yield _Run(text[part[0]:part[-1] + 1], first[0], last[2], min(first[1], last[1]),
                       max(first[3], last[3]), size, _red(textpage, part))
        start = end + 1


def _apart(textpage: Any, text: str, marks: list[int]) -> Iterator[list[int]]:
    """The characters ``marks`` of one PDFium line, cut where a gap wider than one and a half
    of the characters before it separates them (looked at only where PDFium put a space)."""
    import pypdfium2.raw as raw

    part: list[int] = []
    for index in marks:
        if part and index > part[-1] + 1:  # a space between
            gap = textpage.get_charbox(index)[0] - textpage.get_charbox(part[-1])[2]
            if gap > 1.5 * raw.FPDFText_GetFontSize(textpage.raw, part[-1]):
                yield part
                part = []
        part.append(index)
    if part:
        yield part


def _red(textpage: Any, marks: Sequence[int]) -> bool:
    """Most of the run's first, middle and last characters are filled in red."""
    import pypdfium2.raw as raw

    red = 0
    sample = {marks[0], marks[len(marks) // 2], marks[-1]}
    for index in sample:
        r, g, b, a = (ctypes.c_uint() for _ in range(4))
        if raw.FPDFText_GetFillColor(textpage.raw, index, r, g, b, a):
            red += r.value >= 150 and max(g.value, b.value) <= r.value * 0.45
    return red * 2 > len(sample)


def unusable_share(lines: Sequence[PdfLine]) -> float:
    """Share of the characters that are (cid:…), U+FFFD or private-use: an unusable layer."""
    total = sum(len(line.text) for line in lines) or 1
    return sum(len(m.group()) for line in lines for m in _BAD.finditer(line.text)) / total
