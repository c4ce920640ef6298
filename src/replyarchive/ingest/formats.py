"""Which format a file is in, told by its bytes (the name only says which files to look at).

``%PDF-`` is a PDF; a zip holding ``word/document.xml`` is a Word .docx; an OLE compound file
named .doc or .wps is an old binary Word/WPS file; a page starting (after a byte-order mark,
blanks and comments) with ``<!DOCTYPE html``, ``<html``, ``<head`` or ``<meta`` is a web page;
anything else is what its name says (text for .txt, and a .pdf that is no PDF goes to the
PDF reader, which says so). So a .pdf saved from a browser that is really HTML is
read as HTML, and a .txt that is really a PDF is read as a PDF.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

Format = Literal["text", "html", "pdf", "docx", "doc"]
"""text: plain text; html: a web page; pdf; docx: Word 2007+; doc: binary .doc/.wps (OLE)."""

_NAMED: dict[str, Format] = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html",
                             ".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".wps": "doc"}
"""The format a name claims, for bytes of no format: its reader then says what is wrong."""
LETTER_SUFFIXES = frozenset(_NAMED)
"""Names a letter is published under; every other file is looked at and, if its bytes are no
letter format, reported as skipped."""
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_HTML = re.compile(rb"<(?:!doctype\s{1,10}html|html|head|meta|body)[\s>/]", re.I)
HEAD = 4096
"""Bytes read to tell a format."""


def sniff(file: Path, head: bytes) -> Format | None:
    """The format of ``file`` whose first bytes are ``head``; None when they are of no letter
    format (an image, a spreadsheet, an archive) and the name is no text name either."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(_ZIP) and _is_docx(file):
        return "docx"
    if head.startswith(_OLE) and file.suffix.lower() in {".doc", ".wps"}:
        return "doc"
    if _is_html(head):
        return "html"
    return _NAMED.get(file.suffix.lower())


def _is_html(head: bytes) -> bool:
    """The bytes start, after a byte-order mark, blanks and comments, with an HTML tag."""
    rest = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    while rest.startswith(b"<!--") and b"-->" in rest:
        rest = rest[rest.index(b"-->") + 3:].lstrip()
    return _HTML.match(rest) is not None


def _is_docx(file: Path) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(file) as archive:
            return "word/document.xml" in archive.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def read_head(file: Path) -> bytes:
    """The first ``HEAD`` bytes of ``file`` (empty when it cannot be read)."""
    try:
        with file.open("rb") as stream:
            return stream.read(HEAD)
    except OSError:
        return b""


def skip_reason(file: Path) -> str | None:
    """Why a file in an input folder is not read as a letter (None: it is one). A file named
    as a letter is not opened here: its reader tells its format from the bytes it reads."""
    if file.suffix.lower() in LETTER_SUFFIXES:
        return None
    head = read_head(file)
    if sniff(file, head) is not None:
        return None
    kind = _what(head)
    return (f"skipped: {kind}, not a letter format (text, PDF, Word .docx/.doc/.wps or a web "
            f"page); convert the letter to one of those or move the file out of the input folder")


def _what(head: bytes) -> str:
    if head.startswith(_ZIP):
        return "a zip archive that is no Word .docx (no word/document.xml)"
    if head.startswith(_OLE):
        return "an Office file (OLE) not named .doc or .wps"
    if head[:4] in {b"\x89PNG", b"GIF8"} or head[:3] == b"\xff\xd8\xff":
        return "an image"
    return "a file of unknown format" if b"\x00" in head else "not named as a letter (.txt)"
