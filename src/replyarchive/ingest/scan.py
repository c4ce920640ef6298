"""The scan reader: a scanned PDF, OCRed (``ocr.py``), back into the letter's
paragraphs as the text-PDF reader makes them.

The OCR's line boxes become the text-PDF reader's lines (``layout.PdfLine``): each page is first
set straight (the scanner's tilt, the median slope of the long lines, turned back), pieces of
one printed line are put together left to right, and a line's size is its height against the
body's (so a title stands apart from the body however the scan was scaled). Then page furniture
is dropped and paragraphs are joined exactly as for a text PDF (``layout.drop_furniture``,
``layout.paragraphs``: first-line indent, full lines, page breaks undone).

``source`` gets the reader ``ocr``, the page count and the mean confidence; each line read with
low confidence and each page that had to be turned is named in a warning.
"""

from __future__ import annotations

import hashlib
import math
import statistics
from collections.abc import Sequence
from pathlib import Path

from replyarchive.errors import SourceError
from replyarchive.ingest.extracted import Extracted, Position
from replyarchive.ingest.layout import PdfLine, drop_furniture, join, paragraphs
from replyarchive.ingest.ocr import (
    OcrLine,
    OcrPage,
    OcrRun,
    cache_key,
    ocr_page,
    page_count,
    require,
)

BODY_SIZE = 16.0
"""Points: the size a line of the body's height is given (公文 body text is 16 pt)."""
MAX_WARNINGS = 12
"""Low-confidence lines named one by one; the rest are counted."""


def read_scan(data: bytes, file: Path, run: OcrRun | None = None) -> Extracted:
    """A scanned PDF OCRed into the letter's paragraphs."""
    require(file)
    run = run or OcrRun()
    pages = ocr_pages(data, file, run)
    return lay_out(pages, file, run.settings.low_confidence)


def ocr_pages(data: bytes, file: Path, run: OcrRun) -> list[OcrPage]:
    """Every page OCRed, from ``run.store`` when it holds them (then stored there)."""
    key = cache_key(hashlib.sha256(data).hexdigest(), run.settings)
    stored = run.store.load(key) if run.store is not None else None
    if stored is not None:
        return stored
    total = page_count(data)
    pages = []
    for index in range(total):
        pages.append(ocr_page(data, file, index, run.settings))
        if run.progress is not None:
            run.progress(index + 1, total)
    if run.store is not None:
        run.store.store(key, pages)
    return pages


def lay_out(pages: Sequence[OcrPage], file: Path, low: float) -> Extracted:
    """The OCRed pages as paragraphs with positions, confidence and warnings."""
    if not pages:
        raise SourceError("the scan has no pages; check the file", path=file)
    lines = _lines(pages)
    height = pages[0].height
    body = drop_furniture(lines, height)
    if not body:
        raise SourceError("this PDF is a scan, and OCR found no text on its pages (blank, or "
                          "too faint?); check the file or save the letter's text as a .txt "
                          "file beside it", path=file)
    found = list(paragraphs(body))
    text = "\n".join(text for text, _ in found) + "\n"
    positions = tuple(Position(line.page, line.number) for _, line in found)
    scores = _scores(pages)
    kept = {(line.page, line.number) for line in body}
    weighted = [(len(line.text), scores[line.page, line.number]) for line in body]
    mean = sum(n * s for n, s in weighted) / max(1, sum(n for n, _ in weighted))
    warnings = [*_turned(pages), *_unsure(body, scores, kept, low)]
    return Extracted(text, reader="ocr", pages=len(pages), positions=positions,
                     confidence=round(mean, 3), warnings=tuple(warnings))


def _turned(pages: Sequence[OcrPage]) -> list[str]:
    return [f"page {number}: the scan lies turned by {page.turned}° (on its side or upside "
            f"down); it was turned back to read it. Check the text against the original"
            for number, page in enumerate(pages, 1) if page.turned]


def _unsure(body: Sequence[PdfLine], scores: dict[tuple[int, int], float],
            kept: set[tuple[int, int]], low: float) -> list[str]:
    unsure = [line for line in body if scores[line.page, line.number] < low]
    out = [f"page {line.page}, line {line.number}: OCR is unsure of this line (confidence "
           f"{scores[line.page, line.number]:.2f}): 「{line.text}」; check it against the "
           "original" for line in unsure[:MAX_WARNINGS]]
    if len(unsure) > MAX_WARNINGS:
        out.append(f"and {len(unsure) - MAX_WARNINGS} more lines OCR is unsure of; check the "
                   "text against the original (a clearer scan, at 300 dpi, reads better)")
    return out


def _scores(pages: Sequence[OcrPage]) -> dict[tuple[int, int], float]:
    """Each printed line's confidence (its least sure piece), by (page, line)."""
    return {(number, index): min(piece.confidence for piece in row)
            for number, page in enumerate(pages, 1)
            for index, row in enumerate(_rows(page), 1)}


def _lines(pages: Sequence[OcrPage]) -> list[list[PdfLine]]:
    """Each page's printed lines as the text-PDF reader's lines (y from the page's bottom)."""
    heights = [_height(line.points) for page in pages for line in page.lines
               if len(line.text) > 4]
    body = statistics.median(heights) if heights else 1.0
    out = []
    for number, page in enumerate(pages, 1):
        lines = []
        for index, row in enumerate(_rows(page), 1):
            boxes = [_box(piece.points, page) for piece in row]
            size = round(max(_height(p.points) for p in row) / body * 4) / 4 * BODY_SIZE
            lines.append(PdfLine(join([piece.text for piece in row]), number, index,
                                 min(b[0] for b in boxes), max(b[1] for b in boxes),
                                 page.height - min(b[2] for b in boxes), size,
                                 height=page.height, cells=len(row)))
        out.append(lines)
    return out


def _rows(page: OcrPage) -> list[list[OcrLine]]:
    """The page's pieces grouped into printed lines, top to bottom, each left to right: a
    piece whose middle lies within the height of the line above is on that line."""
    rows: list[list[OcrLine]] = []
    spans: list[tuple[float, float]] = []
    for piece in sorted(page.lines, key=lambda p: _box(p.points, page)[2]):
        _, _, top, bottom = _box(piece.points, page)
        middle = (top + bottom) / 2
        if rows and spans[-1][0] <= middle <= spans[-1][1]:
            rows[-1].append(piece)
        else:
            rows.append([piece])
            spans.append((top, bottom))
    return [sorted(row, key=lambda p: _box(p.points, page)[0]) for row in rows]


def _box(points: Sequence[float], page: OcrPage) -> tuple[float, float, float, float]:
    """(left, right, top, bottom) of a piece on the page set straight (points, y down)."""
    angle = _tilt(page)
    cx, cy = page.width / 2, page.height / 2
    cos, sin = math.cos(-angle), math.sin(-angle)
    xs, ys = [], []
    for x, y in zip(points[0::2], points[1::2], strict=True):
        xs.append(cx + (x - cx) * cos - (y - cy) * sin)
        ys.append(cy + (x - cx) * sin + (y - cy) * cos)
    return min(xs), max(xs), min(ys), max(ys)


def _tilt(page: OcrPage) -> float:
    """The scanner's tilt (radians): the median slope of the top edges of the long lines."""
    slopes = [math.atan2(p[3] - p[1], p[2] - p[0]) for p in (line.points for line in page.lines)
              if p[2] - p[0] > 6 * _height(p)]
    return statistics.median(slopes) if slopes else 0.0


def _height(points: Sequence[float]) -> float:
    """A piece's height: the mean of its left and right edges (tilt does not change it)."""
    left = math.dist(points[0:2], points[6:8])
    right = math.dist(points[2:4], points[4:6])
    return (left + right) / 2
