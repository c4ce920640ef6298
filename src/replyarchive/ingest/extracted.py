"""What every reader gives: the letter's text and where each line stood in the original.

Its own module so that the readers (pdf, word) and the reader table in ``readers`` import it
without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from replyarchive.errors import SourceError


class ScanFound(SourceError):
    """A PDF with no usable text layer: a scan, for the OCR reader (``scan.read_scan``)."""


@dataclass(frozen=True, slots=True)
class Position:
    """Where one line of extracted text stands in the original."""

    page: int
    """1-based page of the original (PDF)."""
    line: int
    """1-based line on that page, counted from the top."""

    def __str__(self) -> str:
        return f"page {self.page}, line {self.line}"


@dataclass(frozen=True, slots=True)
class Extracted:
    """What a reader made of one file."""

    text: str
    """The letter's text, one line per printed line or paragraph."""
    reader: str
    """Which reader made it: text, html, pdf-text, ocr, docx, doc-soffice."""
    encoding: str = "binary"
    """The encoding text was decoded with; ``binary`` for formats not decoded as text."""
    pages: int | None = None
    """Page count of the original (PDF), when it has pages."""
    positions: tuple[Position, ...] = ()
    """Where each line of ``text`` stands in the original; empty for plain text."""
    page_date: str | None = None
    """The 发布时间 of the web page the letter was published on (YYYY-MM-DD), if given."""
    page_source: str | None = None
    """The 来源 of the web page (the body that published it), if it names one."""
    letter_starts: tuple[int, ...] = ()
    """1-based lines of ``text`` where the reader saw a further letter begin (the second
    letter block of a web page), for the parser to split at even where no header shows it."""
    confidence: float | None = None
    """The OCR's mean confidence (0 to 1, by character), for a scan."""
    warnings: tuple[str, ...] = ()
    """What the reader has to say about the text (an OCR line it is unsure of, by page and
    line), each a message for the user."""
