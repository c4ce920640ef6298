"""The reader interface: one reader per format, each giving the same ``Extracted`` text.

A reader is ``(data, file) -> Extracted``: the file's bytes in, the letter's text out, one line
per printed line or paragraph, with where each line stands in the original when the format has
pages. Nothing after the ingest stage needs to know the format. A reader raises
``SourceError`` naming the file for input it cannot read (broken, encrypted, empty, a scan).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from replyarchive.ingest.extracted import Extracted
from replyarchive.ingest.formats import Format
from replyarchive.ingest.text import decode

Reader = Callable[[bytes, Path], Extracted]


def read_text(data: bytes, file: Path) -> Extracted:
    """The plain-text reader: ``data`` decoded strictly (``text.decode``)."""
    text, encoding = decode(data, file)
    return Extracted(text, reader="text", encoding=encoding)


def _read_html(data: bytes, file: Path) -> Extracted:
    from replyarchive.ingest.html import read_html

    return read_html(data, file)


def _read_pdf(data: bytes, file: Path) -> Extracted:
    from replyarchive.ingest.pdf import read_pdf

    return read_pdf(data, file)


def _read_docx(data: bytes, file: Path) -> Extracted:
    from replyarchive.ingest.word import read_docx

    return read_docx(data, file)


def _read_doc(data: bytes, file: Path) -> Extracted:
    from replyarchive.ingest.word import read_doc

    return read_doc(data, file)


READERS: dict[Format, Reader] = {
    "html": _read_html,
    "pdf": _read_pdf,
    "docx": _read_docx,
    "doc": _read_doc,
}
"""The reader of each format but plain text (``sources.read_text``)."""


def reader_for(kind: Format) -> Reader:
    """The reader of ``kind``."""
    return READERS[kind]
