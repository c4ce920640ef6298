"""Decoding text bytes strictly (never with errors="ignore"), for the text and HTML readers.

Decoding order: a byte-order mark (UTF-8, UTF-16 LE/BE) decides; otherwise UTF-8, then
GB18030 (a superset of GBK/GB2312). The encoding used is recorded in ``Source.encoding``.
Empty, binary and undecodable files raise ``SourceError`` naming the file, the encodings
tried, the byte offset and what to do.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from replyarchive.errors import SourceError

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
_FALLBACKS = ("utf-8", "gb18030")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_DOS_EOF = "\x1a"
_FIX = "save the file as UTF-8 (or GB18030 / UTF-16 with BOM) plain text and run again"


def decode(data: bytes, file: Path) -> tuple[str, str]:
    """Decode ``data`` strictly; return the text and the encoding's name."""
    if not data.strip():
        raise SourceError("the file is empty; put the letter's text in it or remove it", path=file)
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return _check_text(_strict(data, codec, name, file), name, file), name
    if b"\x00" in data:
        offset = data.index(b"\x00")
        raise SourceError(f"looks binary: NUL byte at byte offset {offset} and no UTF-16 "
                          f"byte-order mark; {_FIX}", path=file)
    errors: list[str] = []
    for codec in _FALLBACKS:
        try:
            return _check_text(data.decode(codec), codec, file), codec
        except UnicodeDecodeError as exc:
            errors.append(f"{codec} fails at byte offset {exc.start}")
    raise SourceError(f"cannot decode: tried {', '.join(errors)}; {_FIX}", path=file)


def _strict(data: bytes, codec: str, name: str, file: Path) -> str:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise SourceError(f"cannot decode as {name} (byte-order mark found): fails at byte "
                          f"offset {exc.start}; {_FIX}", path=file) from exc
    return text.removeprefix("\ufeff")


def _check_text(text: str, encoding: str, file: Path) -> str:
    text = text.rstrip(_DOS_EOF)  # old DOS editors end a file with Ctrl-Z
    match = _CONTROL.search(text)
    if match:
        offset = len(text[: match.start()].encode(encoding.replace("-sig", ""), "strict"))
        what = " (a DOS end-of-file mark, allowed only at the very end)" if (
            match.group() == _DOS_EOF) else ""
        raise SourceError(f"looks binary: control character {match.group()!r}{what} at byte "
                          f"offset ~{offset} (decoded as {encoding}); {_FIX}", path=file)
    if not text.strip():
        raise SourceError("the file holds only whitespace; put the letter's text in it",
                          path=file)
    return text
