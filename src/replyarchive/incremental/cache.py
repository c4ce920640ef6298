"""The parse cache: a rebuild re-parses only the inputs that changed.

An input's entry is keyed on the SHA-256 of its bytes, its path relative to its input folder
(which the record holds) and the code version (a hash of every file of this package), so a new
parser, a moved file or an edited letter is parsed again and anything else is read back from
JSON. What is stored is everything the parse stage said about the file: the validated record, or
none, and its problems. Entries are written atomically, each sealed with the SHA-256 of its
own bytes (``seal``); an entry that is unreadable, whose bytes no longer match their checksum,
or whose records are not of the file's bytes is a miss: the file is parsed again, and what an
edited or damaged entry says is never published. The site stamp (stamp.py) is sealed the
same way.

The cache only stores and looks up: the pipeline parses what it does not hold.
"""

from __future__ import annotations

import hashlib
import json
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
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(raw)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
    return raw.partition(b"\n")[0].decode()


def encode_result(replies: Sequence[Reply], problems: Sequence[Problem]) -> dict[str, Any]:
    """One file's result as plain data: what a cache entry holds and a worker sends back;
    the records as rows (``Reply.to_row``), which read back faster than their dict form."""
    from replyarchive.records.likeness import sentence_keys

    return {
        "replies": [reply.to_row() for reply in replies],
        "problems": [[p.line, p.message, p.severity] for p in problems],
        "keys": [sorted(sentence_keys(reply)) for reply in replies],
    }


def decode_result(data: dict[str, Any], file: Path) -> FileResult:
    """``encode_result``'s data back as the ``FileResult`` of ``file``."""
    replies = tuple([Reply.from_row(row) for row in data["replies"]])
    problems = tuple([Problem(str(file), line, message, severity)
                      for line, message, severity in data["problems"]])
    keys = tuple([frozenset(item) for item in data["keys"]])
    if len(keys) != len(replies):
        raise ValueError("one set of sentence keys per record")
    return FileResult(replies, problems, keys)


class ParseCache:
    """JSON entries under ``folder``, one per input state (bytes, relative path, code)."""

    def __init__(self, folder: Path = DEFAULT_DIR, version: str | None = None) -> None:
        self.folder = folder
        self.version = version or code_version()
        self.hits = 0
        self.misses = 0

    def key(self, file: Path, root: Path, digest: str) -> str:
        """The entry of ``file`` (found under ``root``) whose bytes have this SHA-256."""
        relative = file.relative_to(root).as_posix() if file.is_relative_to(root) else file.name
        return hashlib.sha256(f"{self.version}\0{relative}\0{digest}".encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def load(self, key: str, file: Path, digest: str | None = None) -> FileResult | None:
        """The stored result, or None (never stored, unreadable, failing its checksum, or
        holding records of other bytes than ``digest``: parse again)."""
        return self.decode(self.read(key), file, digest)

    def read(self, key: str) -> bytes | None:
        """The entry's JSON if it is there and passes its checksum, else None."""
        try:  # one open, stat and read, without pathlib or a buffer (10,000 a rebuild)
            entry = os.open(f"{self.folder}/{key[:2]}/{key}.json", os.O_RDONLY)
            try:  # a short read (the file grew meanwhile) only fails the checksum
                raw = os.read(entry, os.fstat(entry).st_size + 1)
            finally:
                os.close(entry)
        except OSError:
            return None
        head, newline, body = raw.partition(b"\n")
        return body if newline and hashlib.sha256(body).hexdigest().encode() == head else None

    def decode(self, body: bytes | None, file: Path, digest: str | None = None
               ) -> FileResult | None:
        """``read``'s JSON as ``load`` returns it, counted as a hit or a miss."""
        try:
            if body is None:
                raise ValueError("no entry")
            result = decode_result(json.loads(body), file)
            if digest is not None and any(r.source.sha256 != digest for r in result.replies):
                raise ValueError("a record of other bytes")
        except (ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return result

    def store(self, key: str, data: dict[str, Any]) -> None:
        """Write one entry (``encode_result``'s data) atomically, sealed with its checksum."""
        write_sealed(self._path(key), data)


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
