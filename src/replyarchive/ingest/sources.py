"""Finding input letters and reading each one as text, whatever its format.

Discovery takes the files named as letters (``formats.LETTER_SUFFIXES``) and any other whose
bytes are of a letter format, and reports every other file as skipped, with why. Reading
decides the format by the bytes (``formats.sniff``) and hands them to that format's reader
(``readers.READERS``); every reader gives the same ``SourceText``. Plain text is decoded
strictly by ``text.decode`` (never with errors="ignore").
"""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISLNK, S_ISREG
from typing import TYPE_CHECKING, Literal

from replyarchive.errors import SourceError
from replyarchive.folders import made_by_build
from replyarchive.ingest.extracted import Extracted, Position, ScanFound
from replyarchive.ingest.formats import HEAD, LETTER_SUFFIXES, Format, skip_reason, sniff
from replyarchive.ingest.readers import read_text, reader_for
from replyarchive.ingest.text import decode
from replyarchive.records.model import Source

if TYPE_CHECKING:
    from replyarchive.ingest.ocr import OcrRun

__all__ = ["SUFFIX", "Discovery", "InputFile", "Skipped", "SourceText", "decode", "decode_input",
           "discover", "discover_all", "discover_real", "read_input", "read_source"]

SUFFIX = ".txt"
"""The suffix of a plain-text letter."""


@dataclass(frozen=True, slots=True)
class SourceText:
    """A decoded input file."""

    source: Source
    """Where the text came from: relative path, SHA-256 of its bytes, encoding."""
    text: str
    """The decoded text, as extracted (not yet normalised)."""
    file: Path
    """The input file on disk, as given (for messages)."""
    positions: tuple[Position, ...] = ()
    """Where each line of ``text`` stands in the original (page and line of a PDF), in order;
    empty when the text's own line numbers are the file's (plain text)."""

    page_date: str | None = None
    """The 发布时间 (YYYY-MM-DD) of the web page the letter came from: a date for a letter
    that shows none, marked as taken from the page."""
    page_source: str | None = None
    """The 来源 of the web page the letter came from, when it names a body: the department of
    a letter that names none, marked as taken from the page."""
    letter_starts: tuple[int, ...] = ()
    """Lines of ``text`` where the reader saw a further letter begin (``Extracted``)."""
    warnings: tuple[str, ...] = ()
    """What the reader had to say (``Extracted.warnings``): warnings about the file."""

    def where(self, line: int) -> str:
        """Line ``line`` of ``text`` as a place in the original: ``line 7`` or
        ``page 2, line 7``."""
        if 0 < line <= len(self.positions):
            return str(self.positions[line - 1])
        return f"line {line}"


@dataclass(frozen=True, slots=True)
class InputFile:
    """One input file's bytes, read once: what is hashed is what is parsed."""

    file: Path
    """The input file on disk, as found (for messages)."""
    root: Path
    """The input folder it was found under (its folder, for a file given by name)."""
    data: bytes
    """Every byte of the file, from one open."""
    sha256: str
    """SHA-256 of ``data``, lowercase hex."""
    state: tuple[int, ...] = ()
    """The opened file's ``file_state`` when it was read."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """A path found while looking for letters that is not read, and why."""

    path: Path
    """The file or link, as found."""
    message: str
    """Why it is left out and what to do."""
    severity: Literal["error", "warning"]
    """error: a letter is left out; warning: something that is not a letter is."""


@dataclass(frozen=True, slots=True)
class Discovery:
    """The letter files under some paths, and what was passed over."""

    found: tuple[tuple[Path, Path, Path], ...]
    """Sorted ``(file, root, real path)`` triples, each real path once."""
    skipped: tuple[Skipped, ...]
    """Links that lead nowhere or outside, names that are not UTF-8, in walk order."""


class InputChanged(SourceError):
    """An input file changed (was written or replaced) while the build read it."""


def discover(paths: Sequence[Path]) -> list[tuple[Path, Path]]:
    """Files and folders → sorted, de-duplicated ``(file, root)`` pairs of letter files.

    A file is taken as given (its root is its folder); a folder is walked recursively for
    ``.txt`` files, following symlinks only when they stay inside it and never twice.
    Raises ``SourceError`` for a path that does not exist.
    """
    return [(file, root) for file, root, _ in discover_all(paths).found]


def discover_real(paths: Sequence[Path]) -> list[tuple[Path, Path, Path]]:
    """``discover``'s pairs with each file's real path (symlinks resolved) as a third item."""
    return list(discover_all(paths).found)


def discover_all(paths: Sequence[Path]) -> Discovery:
    """``discover_real``'s triples and the paths passed over (see ``Skipped``)."""
    found: dict[Path, tuple[Path, Path, Path]] = {}
    skipped: list[Skipped] = []
    for path in paths:
        if path.is_file():
            bad = _bad_name(path, path.name)
            if bad is not None:
                skipped.append(bad)
                continue
            real = Path(os.path.realpath(path))
            found.setdefault(real, (path, path.parent, real))
        elif path.is_dir():
            for item in _walk(path):
                if isinstance(item, Skipped):
                    skipped.append(item)
                else:
                    found.setdefault(item[1], (item[0], path, item[1]))
        else:
            raise SourceError("no such file or folder; check the path", path=path)
    ordered = sorted(found.values(), key=lambda item: (str(item[1]), str(item[0])))
    return Discovery(tuple(ordered), tuple(skipped))


def _walk(root: Path) -> Iterator[tuple[Path, Path] | Skipped]:
    """(file, real path) of every letter file under ``root``, and each path passed over. Only
    symlinks are resolved one by one; a plain file's real path is its folder's (resolved once
    per folder) and its name."""
    top = Path(os.path.realpath(root))
    seen: set[Path] = set()
    skip = len(str(root)) + 1
    for folder, dirs, files in os.walk(root, followlinks=True):
        real = Path(os.path.realpath(folder))
        if real in seen or not real.is_relative_to(top):
            if not real.is_relative_to(top):
                yield _bad_link(Path(folder), top)
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if _letters_may_be_in(os.path.join(folder, d)))
        base = Path(folder)  # one Path a folder, one lstat a file: 10,000 letters add up
        for name in sorted(files):
            file = base / name
            bad = _bad_name(file, str(file)[skip:])
            mode = _lstat_mode(file) if bad is None else 0
            if bad is None and S_ISLNK(mode):
                resolved = Path(os.path.realpath(file))
                if not (resolved.is_relative_to(top) and os.path.exists(file)):
                    bad = _bad_link(file, top)
                plain = bad is None and file.is_file()
            else:
                resolved = real / name
                plain = bad is None and S_ISREG(mode)  # not a link: its lstat is its stat
            why = skip_reason(file) if plain else None
            if bad is not None and file.suffix.lower() in LETTER_SUFFIXES:
                yield bad
            elif why is not None and not _hidden(str(file)[skip:]):
                yield Skipped(file, why, "warning")
            elif plain and why is None:
                yield file, resolved


def _lstat_mode(file: Path) -> int:
    """The file's own mode (a link's, not its target's); 0 when it cannot be looked at."""
    try:
        return os.lstat(file).st_mode
    except (OSError, ValueError):
        return 0


NOTES = frozenset({"readme", "readme.md"})
"""Names (in any case) of a folder's note to people, such as the one ``replyarchive new`` puts
in letters/: not a letter, and not reported as a file skipped."""


def _hidden(relative: str) -> bool:
    """A dot-file, a file in a dot-folder (``.git/``, ``.DS_Store``) or a README note: not
    looked at."""
    path = Path(relative)
    return path.name.lower() in NOTES or any(part.startswith(".") for part in path.parts)


def _letters_may_be_in(folder: str) -> bool:
    """Dot-folders (the cache, .git) and sites a build made (an output inside the input)
    hold no letters: a site's own data/*.txt must not be read back as letters."""
    return not os.path.basename(folder).startswith(".") and not made_by_build(folder)


def _bad_name(file: Path, relative: str) -> Skipped | None:
    """An error for a name that is not UTF-8 (a Windows zip unpacked without its encoding)."""
    try:
        relative.encode("utf-8")
    except UnicodeEncodeError:
        raw = os.fsencode(relative)
        try:
            hint = f" (read as GB18030 it is {raw.decode('gb18030')}; rename it to that)"
        except UnicodeDecodeError:
            hint = ""
        return Skipped(file, f"the file name is not UTF-8{hint}, so the letter is left out; "
                             "rename the file (or unpack the zip again with its encoding, e.g. "
                             "unzip -O GBK) and run again", "error")
    return None


def _bad_link(link: Path, top: Path) -> Skipped:
    """A warning for a symlink that points outside the input folder, nowhere or to itself."""
    try:
        target = os.readlink(link)
    except OSError:
        target = "?"
    try:
        os.stat(link)
        why = f"points outside the input folder {top}"
    except OSError as exc:
        why = "is a loop" if exc.errno == errno.ELOOP else "points to nothing"
    return Skipped(link, f"skipped: a symbolic link to {target}, which {why}; copy the "
                         "letter into the input folder or remove the link", "warning")


def read_input(file: Path, root: Path, real: Path | None = None) -> InputFile:
    """Read one input file once, from one open; raise ``SourceError`` if it cannot be read.

    The opened file itself must be ``real`` (the real path discovery found) or, without it,
    lie inside ``root``: a link changed between listing and reading is refused, not
    followed. A file written or replaced while it is read raises ``InputChanged``.
    """
    try:
        fd = os.open(file, os.O_RDONLY | _OPEN_FLAGS)
    except OSError as exc:
        raise SourceError(f"cannot read the file ({exc.strerror}); check it exists and is "
                          "readable", path=file) from exc
    try:
        before = os.fstat(fd)
        _check_opened(fd, before, file, root, real)
        data = _read_all(fd, before.st_size)
        after = os.stat(file)
    except OSError as exc:
        raise InputChanged(f"the file changed while it was read ({exc.strerror}); run the "
                           "build again once it is saved", path=file) from exc
    finally:
        os.close(fd)
    if _identity(before) != _identity(after) or len(data) != before.st_size:
        raise InputChanged("the file changed while it was read (an editor or sync client "
                           "saving?); it is left out of this build and read again by the "
                           "next one. Run the build again once it is saved", path=file)
    return InputFile(file, root, data, hashlib.sha256(data).hexdigest(), file_state(before))


def read_source(file: Path, root: Path, real: Path | None = None) -> SourceText:
    """Read one input file with its format's reader; raise ``SourceError`` if it gives no
    usable text."""
    return decode_input(read_input(file, root, real))


def decode_input(item: InputFile, ocr: OcrRun | None = None) -> SourceText:
    """An input's bytes (``read_input``) read with their format's reader into its text and
    source; raises ``SourceError`` if they give no usable text. A scanned PDF is OCRed as
    ``ocr`` says (its cache and settings), or, without the ``ocr`` extra, an error says how
    to turn OCR on."""
    file, root, data = item.file, item.root, item.data
    kind = sniff(file, data[:HEAD]) or "text"
    extracted = read_text(data, file) if kind == "text" else _read(kind, data, file, ocr)
    relative = file.relative_to(root) if file.is_relative_to(root) else Path(file.name)
    plain = kind == "text"
    source = Source(relative.as_posix(), item.sha256, extracted.encoding,
                    format=None if plain else kind, reader=None if plain else extracted.reader,
                    pages=extracted.pages, page_date=extracted.page_date,
                    page_source=extracted.page_source, confidence=extracted.confidence)
    return SourceText(source, extracted.text, file, positions=extracted.positions,
                      page_date=extracted.page_date, page_source=extracted.page_source,
                      letter_starts=extracted.letter_starts, warnings=extracted.warnings)


def _read(kind: Format, data: bytes, file: Path, ocr: OcrRun | None) -> Extracted:
    try:
        return reader_for(kind)(data, file)
    except ScanFound:
        from replyarchive.ingest.scan import read_scan

        return read_scan(data, file, ocr)


_OPEN_FLAGS = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
_FD_PATHS = Path("/proc/self/fd") if os.path.isdir("/proc/self/fd") else None
"""Where the kernel names each open file (Linux); elsewhere the opened file is compared."""


def file_state(stat: os.stat_result) -> tuple[int, int, int, int, int]:
    """What any change to a file's bytes changes: size, mtime and ctime (ns), inode, device.
    No program sets a ctime: writing, replacing or touching the file moves it to the clock's
    now (``files.InputFiles`` trusts a state only once that now is long past)."""
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev


def _identity(stat: os.stat_result) -> tuple[int, int, int, int]:
    return stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_dev


def _check_opened(fd: int, stat: os.stat_result, file: Path, root: Path,
                  real: Path | None) -> None:
    """Refuse an opened file that is not a plain file or not the one that was found."""
    if not S_ISREG(stat.st_mode):
        raise SourceError("not a plain file; put the letter's text in a .txt file", path=file)
    opened = _opened_path(fd, stat, file)
    if real is not None:
        inside = opened == os.fspath(real)  # both normalised, absolute: as Paths compare
    else:
        inside = opened is not None and Path(opened).is_relative_to(os.path.realpath(root))
    if not inside:
        raise SourceError(f"opening it gave {opened or 'another file'}, not the file that was "
                          "found (a link changed while the build ran, or points outside the "
                          "input folder), so it is not read; check the link and run again",
                          path=file)


def _opened_path(fd: int, stat: os.stat_result, file: Path) -> str | None:
    """The real path of the file open on ``fd``; None if ``file`` no longer leads to it."""
    if _FD_PATHS is not None:  # the kernel's own name for what was opened
        return os.readlink(os.path.join(_FD_PATHS, str(fd)))
    real = os.path.realpath(file)
    now = os.stat(real)
    return real if (now.st_ino, now.st_dev) == (stat.st_ino, stat.st_dev) else None


def _read_all(fd: int, size: int) -> bytes:
    """Every byte from ``fd``: its size in one read, then reads until end of file. A plain
    file that gives exactly its size when asked one byte more is at its end: no second read
    (growth after that shows in ``read_input``'s stat after the read)."""
    chunks = [os.read(fd, size + 1)]
    if len(chunks[0]) == size:
        return chunks[0]
    while chunks[-1]:
        chunks.append(os.read(fd, max(size, 1 << 16)))
    return b"".join(chunks)
