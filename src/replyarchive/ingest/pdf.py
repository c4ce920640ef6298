"""The text-PDF reader: PDFium's text layer, page by page, back into the letter's paragraphs.

PDFium (pypdfium2) ships the predefined CJK CMaps, so 公文 fonts without a ToUnicode map still
give their characters. Each page gives its printed lines with their boxes; then

1. page furniture goes: page numbers (``— 3 —``, ``-3-``, ``第3页``, ``3/7``) and running headers
   and footers (the same text in the top or bottom band of most pages), told by position;
2. lines are joined into paragraphs: a line continues the one above when that one runs to the
   right margin and this one starts at the left margin (or is centred, as a title's second
   line) in the same size; an indented line, a change of size or a line after a short one
   starts a new paragraph. A page
   break is no boundary, so a paragraph or heading cut by one is whole again.

A PDF without a text layer (or one that is mostly ``(cid:…)``, U+FFFD or private-use
characters) is a scan: it gets an error saying OCR is not available yet. Broken, encrypted and
empty PDFs get an error naming the file.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from replyarchive.errors import SourceError
from replyarchive.ingest.extracted import Extracted, Position

_PAGE_NUMBER = re.compile(
    r"^(?:[—–\-－~·]{1,2}\s{0,3}\d{1,4}\s{0,3}[—–\-－~·]{1,2}|\d{1,4}|第\s{0,2}\d{1,4}\s{0,2}页"
    r"(?:\s{0,2}[，,/]?\s{0,2}共\s{0,2}\d{1,4}\s{0,2}页)?|\d{1,4}\s{0,2}/\s{0,2}\d{1,4})$")
_BAND = 0.1
"""Top and bottom share of a page where page numbers, running headers and footers stand."""
_BAD = re.compile(r"\(cid:\d+\)|[\ufffd\ue000-\uf8ff]")
_SCAN_FIX = ("this PDF is a scan (no usable text layer); OCR is not available yet, so save the "
             "letter's text as a .txt file (UTF-8) beside it or use the .docx or web page")
_LATIN_END = re.compile(r"[A-Za-z0-9]$")
_LATIN_START = re.compile(r"^[A-Za-z0-9]")


@dataclass(frozen=True, slots=True)
class PdfLine:
    """One printed line of a page, as PDFium lays it out."""

    text: str
    """The line's characters, stripped."""
    page: int
    """1-based page."""
    number: int
    """1-based line on the page, from the top."""
    left: float
    """x of the first character's left edge (points)."""
    right: float
    """x of the last character's right edge (points)."""
    top: float
    """y of the line's top, from the page's bottom edge (points)."""
    size: float
    """Font size of the first character (points)."""


def read_pdf(data: bytes, file: Path) -> Extracted:
    """A PDF's text layer as the letter's paragraphs (see the module's docstring)."""
    pages, height, images = _pages(data, file)
    lines = [line for page in pages for line in page]
    if not pages:
        raise SourceError("the PDF has no pages; check the file", path=file)
    if (not lines and images) or (lines and unusable_share(lines) > 0.3):
        raise SourceError(_SCAN_FIX, path=file)
    if not lines:
        raise SourceError("the PDF's pages are blank (no text, no images); check the file",
                          path=file)
    body = _drop_furniture(pages, height)
    if not body:
        raise SourceError("the PDF holds no text but page numbers; check the file", path=file)
    paragraphs = list(_paragraphs(body))
    text = "\n".join(text for text, _ in paragraphs) + "\n"
    positions = tuple(Position(line.page, line.number) for _, line in paragraphs)
    return Extracted(text, reader="pdf-text", pages=len(pages), positions=positions)


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


def _lines(page: object, number: int) -> Iterator[PdfLine]:
    """The page's printed lines, top to bottom: PDFium's runs of text, those standing on one
    line (a comma hung at the line's end, a run split off by a change of font) put together
    left to right."""
    rows: list[list[_Run]] = []
    for run in sorted(_runs(page), key=lambda r: -r.top):
        row = rows[-1] if rows else None
        if row is not None and min(r.bottom for r in row) <= run.middle <= max(r.top
                                                                                for r in row):
            row.append(run)
        else:
            rows.append([run])
    for index, row in enumerate(rows, 1):
        row.sort(key=lambda r: r.left)
        widest = max(row, key=lambda r: len(r.text))
        yield PdfLine(_join([r.text for r in row]), number, index, row[0].left,
                      max(r.right for r in row), max(r.top for r in row), widest.size)


@dataclass(frozen=True, slots=True)
class _Run:
    """A run of text PDFium gives as one line, with its box."""

    text: str
    left: float
    right: float
    bottom: float
    top: float
    size: float

    @property
    def middle(self) -> float:
        return (self.bottom + self.top) / 2


def _runs(page: object) -> Iterator[_Run]:
    import pypdfium2.raw as raw

    textpage = page.get_textpage()  # type: ignore[attr-defined]
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count) if count else ""
    start = 0
    for end in [*(i for i, ch in enumerate(text) if ch == "\n"), len(text)]:
        marks = [i for i in range(start, min(end, count)) if not text[i].isspace()]
        if marks:
            first = textpage.get_charbox(marks[0])
            last = textpage.get_charbox(marks[-1])
            size = float(raw.FPDFText_GetFontSize(textpage.raw, marks[0]))
            yield _Run(text[start:end].strip(), first[0], last[2], min(first[1], last[1]),
                       max(first[3], last[3]), size)
        start = end + 1


def unusable_share(lines: Sequence[PdfLine]) -> float:
    """Share of the characters that are (cid:…), U+FFFD or private-use: an unusable layer."""
    total = sum(len(line.text) for line in lines) or 1
    return sum(len(m.group()) for line in lines for m in _BAD.finditer(line.text)) / total


def _drop_furniture(pages: Sequence[Sequence[PdfLine]], height: float) -> list[PdfLine]:
    """The lines of every page without page numbers and running headers and footers."""
    def banded(line: PdfLine) -> bool:
        return line.top > height * (1 - _BAND) or line.top < height * _BAND * 1.3

    def key(line: PdfLine) -> str:
        return re.sub(r"\d+", "#", "".join(line.text.split()))

    repeated = Counter(key(line) for page in pages for line in {key(x): x for x in page
                                                                 if banded(x)}.values())
    many = max(2, (len(pages) + 1) // 2)
    return [line for page in pages for line in page
            if not (banded(line) and (_PAGE_NUMBER.match("".join(line.text.split()))
                                      or (len(pages) > 1 and repeated[key(line)] >= many)))]


def _paragraphs(lines: Sequence[PdfLine]) -> Iterator[tuple[str, PdfLine]]:
    """Paragraphs (text, first line) from the lines of every page, in order."""
    left, right = _margins(lines)
    parts: list[str] = []
    head = previous = lines[0]
    for line in lines:
        if parts and not _continues(previous, line, left, right):
            yield _join(parts), head
            parts, head = [], line
        parts.append(line.text)
        previous = line
    yield _join(parts), head


def _margins(lines: Sequence[PdfLine]) -> tuple[float, float]:
    """The body's left and right margins: the commonest line start and end (to 2 points)."""
    starts = Counter(round(line.left / 2) for line in lines)
    ends = Counter(round(line.right / 2) for line in lines)
    return starts.most_common(1)[0][0] * 2.0, ends.most_common(1)[0][0] * 2.0


def _continues(above: PdfLine, line: PdfLine, left: float, right: float) -> bool:
    """Whether ``line`` goes on with the paragraph of the line ``above``."""
    em = max(line.size, 1.0)
    full = above.right >= right - 1.5 * em
    flush = abs(line.left - left) < em  # an opening bracket's ink starts half an em in
    centred = abs((line.left + line.right - left - right) / 2) < em  # a title's second line
    same_size = abs(above.size - line.size) < 0.5
    return full and (flush or centred) and same_size and _near(above, line, em)


def _near(above: PdfLine, line: PdfLine, em: float) -> bool:
    """The lines follow each other: the next line on the page, or across a page break."""
    return line.page != above.page or above.top - line.top < 3 * em


def _join(parts: Sequence[str]) -> str:
    text = parts[0]
    for part in parts[1:]:
        gap = " " if _LATIN_END.search(text) and _LATIN_START.match(part) else ""
        text += gap + part
    return text
