"""Finding input letters and decoding them strictly (never with errors="ignore").

Decoding order: a byte-order mark (UTF-8, UTF-16 LE/BE) decides; otherwise UTF-8, then
GB18030 (a superset of GBK/GB2312). The encoding used is recorded in ``Source.encoding``.
Empty, binary and undecodable files raise ``SourceError`` naming the file, the encodings
tried, the byte offset and what to do.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from replyarchive.errors import SourceError
from replyarchive.records.model import Source

SUFFIX = ".txt"
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
_FALLBACKS = ("utf-8", "gb18030")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_FIX = "save the file as UTF-8 (or GB18030 / UTF-16 with BOM) plain text and run again"


@dataclass(frozen=True, slots=True)
class SourceText:
    """A decoded input file."""

    source: Source
    """Where the text came from: relative path, SHA-256 of its bytes, encoding."""
    text: str
    """The decoded text, as extracted (not yet normalised)."""
    file: Path
    """The input file on disk, as given (for messages)."""


def discover(paths: Sequence[Path]) -> list[tuple[Path, Path]]:
    """Files and folders → sorted, de-duplicated ``(file, root)`` pairs of letter files.

    A file is taken as given (its root is its folder); a folder is walked recursively for
    ``.txt`` files, following symlinks only when they stay inside it and never twice.
    Raises ``SourceError`` for a path that does not exist.
    """
    return [(file, root) for file, root, _ in discover_real(paths)]


def discover_real(paths: Sequence[Path]) -> list[tuple[Path, Path, Path]]:
    """``discover``'s pairs with each file's real path (symlinks resolved) as a third item."""
    found: dict[Path, tuple[Path, Path, Path]] = {}
    for path in paths:
        if path.is_file():
            real = path.resolve()
            found.setdefault(real, (path, path.parent, real))
        elif path.is_dir():
            for file, real in _walk(path):
                found.setdefault(real, (file, path, real))
        else:
            raise SourceError("no such file or folder; check the path", path=path)
    return sorted(found.values(), key=lambda item: (str(item[1]), str(item[0])))


def _walk(root: Path) -> Iterator[tuple[Path, Path]]:
    """(file, real path) of every letter file under ``root``. Only symlinks are resolved one
    by one; a plain file's real path is its folder's (resolved once per folder) and its name."""
    top = root.resolve()
    seen: set[Path] = set()
    for folder, dirs, files in os.walk(root, followlinks=True):
        real = Path(folder).resolve()
        if real in seen or not real.is_relative_to(top):
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(SUFFIX):
                continue
            file = Path(folder) / name
            resolved = file.resolve() if os.path.islink(file) else real / name
            if resolved.is_relative_to(top) and file.is_file():
                yield file, resolved


def read_source(file: Path, root: Path) -> SourceText:
    """Read and decode one input file; raise ``SourceError`` if it is not usable text."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read the file ({exc.strerror}); check it exists and is readable",
                          path=file) from exc
    text, encoding = decode(data, file)
    relative = file.relative_to(root) if file.is_relative_to(root) else Path(file.name)
    source = Source(relative.as_posix(), hashlib.sha256(data).hexdigest(), encoding)
    return SourceText(source=source, text=text, file=file)


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
    match = _CONTROL.search(text)
    if match:
        offset = len(text[: match.start()].encode(encoding.replace("-sig", ""), "strict"))
        raise SourceError(f"looks binary: control character {match.group()!r} at byte offset "
                          f"~{offset} (decoded as {encoding}); {_FIX}", path=file)
    if not text.strip():
        raise SourceError("the file holds only whitespace; put the letter's text in it",
                          path=file)
    return text
