"""The parse cache: a rebuild re-parses only the inputs that changed.

An input's entry is keyed on the SHA-256 of its bytes, its path relative to its input folder
(which the record holds) and the code version (a hash of every file of this package), so a new
parser, a moved file or an edited letter is parsed again and anything else is read back.
What is stored is everything the parse stage said about the file: the validated record, or
none, and its problems, as plain tuples, str, int, float, None and frozensets in ``marshal``'s
form (``ENTRY_FORM``), which reads back faster than JSON and builds only data (no code runs
as it is read; never pickle). Entries are written atomically, each after a first line holding
the SHA-256 of the rest and the form's name; an entry that is unreadable, of another form (the
JSON entries of before), whose bytes no longer match their checksum, or whose records are not
of the file's bytes is a miss: the file is parsed again, and what an edited or damaged entry
says is never published. Nothing is unmarshalled before its checksum holds. The site stamp
(stamp.py) and the other files of the cache folder are sealed JSON (``seal``).

The cache only stores and looks up: the pipeline parses what it does not hold.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from replyarchive.errors import Problem, SourceError
from replyarchive.ingest.files import InputFiles
from replyarchive.ingest.sources import InputFile
from replyarchive.records.model import Reply

DEFAULT_DIR = Path(".replyarchive-cache")
"""Where ``build`` keeps the cache, relative to the working folder (ignored by git)."""
PACKAGE = Path(__file__).resolve().parents[1]


@lru_cache(maxsize=1)
def code_version() -> str:
    """SHA-256 over every file of the package (code, schema, data), in path order."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class FileResult:
    """What the parse stage made of one input file."""

    replies: tuple[Reply, ...]
    """The validated records: one per letter in the file (usually one), none when it failed."""
    problems: tuple[Problem, ...]
    """Its errors and warnings, in the order the parse met them."""
    keys: tuple[frozenset[int], ...] = ()
    """Each record's sentence keys for the duplicate search (likeness.sentence_keys)."""


def seal(data: Any) -> bytes:
    """``data`` as JSON, after a first line holding the SHA-256 (hex) of those JSON bytes."""
    body = json.dumps(data, ensure_ascii=False).encode()
    return hashlib.sha256(body).hexdigest().encode() + b"\n" + body


def unseal(raw: bytes) -> Any:
    """What ``seal`` wrote; ValueError when the bytes do not match their checksum."""
    head, newline, body = raw.partition(b"\n")
    if not newline or hashlib.sha256(body).hexdigest().encode() != head:
        raise ValueError("checksum mismatch")
    return json.loads(body)


def write_sealed(path: Path, data: Any) -> str:
    """Write ``seal(data)`` atomically; a cache that cannot be written is only slower. Return
    the checksum it was sealed with."""
    raw = seal(data)
    _write_atomically(path, raw)
    return raw.partition(b"\n")[0].decode()


def _write_atomically(path: Path, raw: bytes) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(raw)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


ENTRY_FORM = f"marshal-{marshal.version} rows-1".encode()
"""How an entry's body is written, named on its first line: another form is a miss."""


def encode_result(replies: Sequence[Reply], problems: Sequence[Problem]) -> dict[str, Any]:
    """One file's result as plain data: what a cache entry holds and a worker sends back;
    the records as rows (``Reply.to_row``), which read back faster than their dict form."""
    from replyarchive.records.likeness import sentence_keys

    return {
        "replies": tuple([reply.to_row() for reply in replies]),
        "problems": tuple([(p.line, str(p.message), p.severity) for p in problems]),
        "keys": tuple([frozenset(sentence_keys(reply)) for reply in replies]),
    }


def decode_result(data: dict[str, Any], file: Path) -> FileResult:
    """``encode_result``'s data back as the ``FileResult`` of ``file``."""
    replies = tuple([Reply.from_row(row) for row in data["replies"]])
    path = str(file)
    problems = tuple([Problem(path, line, message, severity)
                      for line, message, severity in data["problems"]])
    keys = tuple([frozenset(item) for item in data["keys"]])
    if len(keys) != len(replies):
        raise ValueError("one set of sentence keys per record")
    return FileResult(replies, problems, keys)


def seal_entry(data: Any) -> bytes:
    """``data`` marshalled, after a first line holding the SHA-256 (hex) of those bytes and
    ``ENTRY_FORM`` (ValueError if it holds anything marshal cannot write)."""
    body = marshal.dumps(data)
    return hashlib.sha256(body).hexdigest().encode() + b" " + ENTRY_FORM + b"\n" + body


class ParseCache:
    """Marshalled entries under ``folder``, one per input state (bytes, relative path, code)."""

    def __init__(self, folder: Path = DEFAULT_DIR, version: str | None = None) -> None:
        self.folder = folder
        self.version = version or code_version()
        self.hits = 0
        self.misses = 0

    def key(self, file: Path, root: Path, digest: str) -> str:
        """The entry of ``file`` (found under ``root``) whose bytes have this SHA-256."""
        name, top = str(file), str(root)
        if name.startswith(top) and name[len(top):len(top) + 1] == os.sep:  # as discovered
            relative = name[len(top) + 1:].replace(os.sep, "/")  # without pathlib's parsing
        else:
            relative = (file.relative_to(root).as_posix() if file.is_relative_to(root)
                        else file.name)
        return hashlib.sha256(f"{self.version}\0{relative}\0{digest}".encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.entry"

    def load(self, key: str, file: Path, digest: str | None = None) -> FileResult | None:
        """The stored result, or None (never stored, unreadable, failing its checksum, or
        holding records of other bytes than ``digest``: parse again)."""
        return self.decode(self.read(key), file, digest)

    def read(self, key: str) -> bytes | None:
        """The entry's body if it is there, of this form and passes its checksum, else None."""
        try:  # one open, stat and read, without pathlib or a buffer (10,000 a rebuild)
            entry = os.open(f"{self.folder}/{key[:2]}/{key}.entry", os.O_RDONLY)
            try:  # a short read (the file grew meanwhile) only fails the checksum
                raw = os.read(entry, os.fstat(entry).st_size + 1)
            finally:
                os.close(entry)
        except OSError:
            return None
        head, newline, body = raw.partition(b"\n")
        if not newline or head[64:] != b" " + ENTRY_FORM:
            return None
        return body if hashlib.sha256(body).hexdigest().encode() == head[:64] else None

    def decode(self, body: bytes | None, file: Path, digest: str | None = None
               ) -> FileResult | None:
        """``read``'s body as ``load`` returns it, counted as a hit or a miss."""
        try:
            if body is None:
                raise ValueError("no entry")
            result = decode_result(marshal.loads(body), file)
            if digest is not None and any(r.source.sha256 != digest for r in result.replies):
                raise ValueError("a record of other bytes")
        except (ValueError, KeyError, TypeError, AttributeError, IndexError, EOFError):
            self.misses += 1
            return None
        self.hits += 1
        return result

    def store(self, key: str, data: dict[str, Any]) -> None:
        """Write one entry (``encode_result``'s data) atomically, sealed with its checksum; a
        cache that cannot be written is only slower."""
        try:
            raw = seal_entry(data)
        except ValueError:  # not plain data (a str subclass): the file is parsed next time
            return
        _write_atomically(self._path(key), raw)


WINDOW = 1024
"""Inputs looked up in the cache, and their misses parsed, at a time (bounds the bytes held)."""


def lookup(inputs: Sequence[tuple[Path, Path, Path]], cache: ParseCache | None,
           files: InputFiles) -> list[FileResult | InputFile]:
    """Each ``(file, root, real path)`` input's stored result, or its bytes to parse (read
    once, by ``files``: the bytes whose hash keys its entry), or a result holding the error
    that kept it from being read, in input order. Call it for a window of inputs at a time
    (``WINDOW``): bytes are held until parsed. The entries are read here, not on a thread
    ahead: decoding holds the interpreter's lock, so a reader thread waited for it at every
    step and the decoding waited for the reader (at 10,000 letters, 175 MB of entries)."""
    keys: list[str | SourceError | None] = []
    for file, root, real in inputs:
        try:
            keys.append(None if cache is None else cache.key(file, root, files.digest(file,
                                                                                   root, real)))
        except SourceError as exc:
            keys.append(exc)
    out: list[FileResult | InputFile] = []
    for (file, root, real), key in zip(inputs, keys, strict=True):
        if isinstance(key, SourceError):
            out.append(FileResult((), (Problem.of(key, file),)))
            continue
        stored = cache.load(key, file, files.digests[file]) if cache and key else None
        if stored is not None:
            files.drop(file)
            out.append(stored)
            continue
        try:
            out.append(files.take(file, root, real))
        except SourceError as exc:
            out.append(FileResult((), (Problem.of(exc, file),)))
    return out


def unparsed(held: Sequence[FileResult | InputFile]) -> list[InputFile]:
    """What ``lookup`` found no result for: the bytes to parse, in order."""
    return [item for item in held if isinstance(item, InputFile)]


def fill(held: Sequence[FileResult | InputFile], parsed: Sequence[dict[str, Any]],
         cache: ParseCache | None) -> list[FileResult]:
    """``lookup``'s results with ``parsed`` (``encode_result``'s data of each ``unparsed``
    input, in order) in the gaps, each stored in the cache for next time."""
    fresh = iter(parsed)
    results = []
    for item in held:
        if isinstance(item, InputFile):
            data = next(fresh)
            result = decode_result(data, item.file)
            if cache is not None:
                cache.store(cache.key(item.file, item.root, item.sha256), data)
            results.append(result)
        else:
            results.append(item)
    return results
