"""The parse cache and parallel parsing: a rebuild re-parses only the inputs that changed.

An input's entry is keyed on the SHA-256 of its bytes, its path relative to its input folder
(which the record holds) and the code version (a hash of every file of this package), so a new
parser, a moved file or an edited letter is parsed again and anything else is read back from
JSON. What is stored is everything the parse stage said about the file: the validated record, or
none, and its problems. Entries are written atomically, each sealed with the SHA-256 of its
own bytes (``_seal``); an entry that is unreadable, whose bytes no longer match their checksum,
or whose records are not of the file's bytes is a miss: the file is parsed again, and what an
edited or damaged entry says is never published. The site stamp is sealed the same way: a
stamp that fails its checksum means a full build.

The cache only stores and looks up: the pipeline parses what it does not hold.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from replyarchive.errors import Problem, SourceError
from replyarchive.folders import CONTENT_SUFFIXES, TEMPLATE_SUFFIXES, theme_files
from replyarchive.ingest.sources import (
    Discovery,
    InputChanged,
    InputFile,
    discover_all,
    read_input,
)
from replyarchive.records.model import Reply

if TYPE_CHECKING:
    from replyarchive.incremental.output import Prior

DEFAULT_DIR = Path(".replyarchive-cache")
"""Where ``build`` keeps the cache, relative to the working folder (ignored by git)."""
PACKAGE = Path(__file__).resolve().parents[1]
_SLUG_PART = re.compile(r"[a-z0-9]{1,200}")
"""One part of a record id between hyphens (the schema's pattern, split on ``-``)."""


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
    """Each record's sentence keys for the duplicate search (dedupe.sentence_keys)."""


def _seal(data: Any) -> bytes:
    """``data`` as JSON, after a first line holding the SHA-256 (hex) of those JSON bytes."""
    body = json.dumps(data, ensure_ascii=False).encode()
    return hashlib.sha256(body).hexdigest().encode() + b"\n" + body


def _unseal(raw: bytes) -> Any:
    """What ``_seal`` wrote; ValueError when the bytes do not match their checksum."""
    head, newline, body = raw.partition(b"\n")
    if not newline or hashlib.sha256(body).hexdigest().encode() != head:
        raise ValueError("checksum mismatch")
    return json.loads(body)


def _write_sealed(path: Path, data: Any) -> None:
    """Write ``_seal(data)`` atomically; a cache that cannot be written is only slower."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(_seal(data))
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


def encode_result(replies: Sequence[Reply], problems: Sequence[Problem]) -> dict[str, Any]:
    """One file's result as plain data: what a cache entry holds and a worker sends back."""
    from replyarchive.records.dedupe import sentence_keys

    return {
        "replies": [reply.to_dict() for reply in replies],
        "problems": [[p.line, p.message, p.severity] for p in problems],
        "keys": [sorted(sentence_keys(reply)) for reply in replies],
    }


def decode_result(data: dict[str, Any], file: Path) -> FileResult:
    """``encode_result``'s data back as the ``FileResult`` of ``file``."""
    replies = tuple(Reply.from_dict(item) for item in data["replies"])
    problems = tuple(Problem(str(file), line, message, severity)
                     for line, message, severity in data["problems"])
    keys = tuple(frozenset(int(k) for k in item) for item in data["keys"])
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
        try:
            result = decode_result(_unseal(self._path(key).read_bytes()), file)
            if digest is not None and any(r.source.sha256 != digest for r in result.replies):
                raise ValueError("a record of other bytes")
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return result

    def store(self, key: str, data: dict[str, Any]) -> None:
        """Write one entry (``encode_result``'s data) atomically, sealed with its checksum."""
        _write_sealed(self._path(key), data)


HOLD = 64 << 20
"""Input bytes a build keeps between hashing them and parsing them (about 4,000 letters);
beyond that a file to parse is read again and its hash checked."""
WINDOW = 1024
"""Inputs looked up in the cache, and their misses parsed, at a time (bounds the bytes held)."""


@dataclass(slots=True)
class _Reads:
    """What one build has found and read: each input's SHA-256 and, until it is parsed (or
    found in the cache), some inputs' bytes, so that what is parsed is what was hashed."""

    room: int
    """Bytes that may still be held (``HOLD`` at first)."""
    found: dict[tuple[Path, ...], Discovery] = field(default_factory=dict)
    """What was found under each tuple of input paths."""
    digests: dict[Path, str] = field(default_factory=dict)
    """The SHA-256 of each file read."""
    held: dict[Path, InputFile] = field(default_factory=dict)
    """Bytes read but not yet parsed or found in the cache."""
    changed: bool = False
    """An input changed while this build read it: what the build saw is not what is there."""

    def digest(self, file: Path, root: Path, real: Path | None) -> str:
        """The file's SHA-256, reading it (once) if this build has not yet."""
        known = self.digests.get(file)
        if known is None:
            item = self._read(file, root, real)
            known = self.digests[file] = item.sha256
            if len(item.data) <= self.room:
                self.held[file] = item
                self.room -= len(item.data)
        return known

    def take(self, file: Path, root: Path, real: Path | None) -> InputFile:
        """The file's bytes, once: those held, or read again and checked against the hash
        this build already used (raise ``InputChanged`` if they differ)."""
        item = self.drop(file) or self._read(file, root, real)
        if self.digests.setdefault(file, item.sha256) != item.sha256:
            self.changed = True
            raise InputChanged("the file changed during the build (its bytes differ from when "
                               "it was first read); it is left out of this build and read "
                               "again by the next one. Run the build again once it is saved",
                               path=file)
        return item

    def drop(self, file: Path) -> InputFile | None:
        """Forget the file's bytes (its record is known); return them if they were held."""
        item = self.held.pop(file, None)
        if item is not None:
            self.room += len(item.data)
        return item

    def _read(self, file: Path, root: Path, real: Path | None) -> InputFile:
        try:
            return read_input(file, root, real)
        except InputChanged:
            self.changed = True
            raise


_BUILD: _Reads | None = None
"""What the build under way (``one_build``) has found and read; None otherwise."""


@contextlib.contextmanager
def one_build() -> Iterator[None]:
    """Within one build, look for the input files once and read and hash each of them once
    (has anything changed? which cache entry? what to parse? which file is a record's
    original text?)."""
    global _BUILD
    _BUILD = _Reads(HOLD)
    try:
        yield
    finally:
        _BUILD = None


def _reads() -> _Reads:
    """The build's reads, or fresh ones for a parse outside a build."""
    return _BUILD if _BUILD is not None else _Reads(HOLD)


def discovered_all(paths: Sequence[Path]) -> Discovery:
    """``sources.discover_all(paths)``, looked up once per build inside ``one_build``."""
    if _BUILD is None:
        return discover_all(paths)
    key = tuple(paths)
    if key not in _BUILD.found:
        _BUILD.found[key] = discover_all(paths)
    return _BUILD.found[key]


def discovered(paths: Sequence[Path]) -> list[tuple[Path, Path, Path]]:
    """``sources.discover_real(paths)``, looked up once per build inside ``one_build``."""
    return list(discovered_all(paths).found)


def file_digest(file: Path, root: Path | None = None) -> str:
    """The SHA-256 (hex) of a file's bytes, read once per build inside ``one_build`` (outside
    it, the file must lie inside ``root``, by default its folder)."""
    return _reads().digest(file, root or file.parent, None)


def inputs_changed() -> bool:
    """Whether an input changed while the build under way read it."""
    return _BUILD is not None and _BUILD.changed


def lookup(inputs: Sequence[tuple[Path, Path, Path]], cache: ParseCache | None
           ) -> list[FileResult | InputFile]:
    """Each ``(file, root, real path)`` input's stored result, or its bytes to parse (read
    once: the bytes whose hash keys its entry), or a result holding the error that kept it
    from being read, in input order. Call it for a window of inputs at a time
    (``WINDOW``): bytes are held until parsed."""
    reads = _reads()
    out: list[FileResult | InputFile] = []
    for file, root, real in inputs:
        try:
            if cache is not None:
                digest = reads.digest(file, root, real)
                stored = cache.load(cache.key(file, root, digest), file, digest)
                if stored is not None:
                    reads.drop(file)
                    out.append(stored)
                    continue
            out.append(reads.take(file, root, real))
        except SourceError as exc:
            out.append(FileResult((), (Problem(exc.path or str(file), exc.line, exc.message,
                                               "error"),)))
    return out


def _environment(config: Any) -> Any:
    """A hash started with what every build depends on besides its letters: the code, the
    configuration, SOURCE_DATE_EPOCH and the theme's files (templates, static, content, the
    lock file pinning lunr.js)."""
    digest = hashlib.sha256(code_version().encode())
    digest.update(repr(config).encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    theme = Path(config.theme_dir)
    lock = theme / "package-lock.json"
    if lock.is_file():
        digest.update(lock.read_bytes())
    private, output = config.private, config.private.output
    folders = [(theme / "templates", TEMPLATE_SUFFIXES, output),
               (config.templates_dir, TEMPLATE_SUFFIXES, output),
               (theme / "static", None, output), (config.static_dir, None, private),
               (theme / "content", CONTENT_SUFFIXES, output),
               (config.content_dir, CONTENT_SUFFIXES, output)]
    for folder, suffixes, kept in folders:  # only what the build reads (templates_dir may be ".")
        if folder is not None and Path(folder).is_dir():
            digest.update(f"{folder}\0".encode())
            nested = suffixes is not CONTENT_SUFFIXES
            _hash_files(digest, theme_files(Path(folder), kept, suffixes, nested=nested))
    return digest


def environment_fingerprint(config: Any) -> str:
    """What every file of a site depends on besides its letters (see ``_environment``)."""
    return str(_environment(config).hexdigest())


def site_fingerprint(replies: Sequence[Reply], config: Any) -> str:
    """Everything a site is rendered from: each record's id and source (whose bytes, path and
    the code version determine the record) and the environment."""
    digest = _environment(config)
    for reply in replies:
        digest.update(f"{reply.id}\0{reply.source.path}\0{reply.source.sha256}\n".encode())
    return str(digest.hexdigest())


def inputs_fingerprint(paths: Sequence[Path], config: Any) -> str | None:
    """Everything a build reads: the input paths as given, each letter file's path and bytes,
    what was passed over, and the environment; None when an input cannot be read (the full
    build reports it)."""
    from replyarchive.errors import ReplyArchiveError

    digest = _environment(config)
    reads = _reads()
    try:
        for path in paths:
            found = discovered_all([path])
            for file, root, real in found.found:
                digest.update(os.fsencode(f"{file}\0{root}\0"))
                digest.update(bytes.fromhex(reads.digest(file, root, real)))
            for skipped in found.skipped:
                digest.update(os.fsencode(f"{skipped.path}\0{skipped.message}\0"))
    except (ReplyArchiveError, OSError):
        return None
    digest.update(os.fsencode("\0".join(str(p) for p in paths)))
    return str(digest.hexdigest())


def _hash_files(digest: Any, files: Sequence[tuple[str, Path]]) -> None:
    for rel, path in files:
        digest.update(f"{rel}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def _manifest(out: Path) -> str:
    """A cheap signature of a built site as it is on disk: every entry's path, size, mtime."""
    digest = hashlib.sha256()
    folders, skip = [str(out)], len(str(out)) + 1
    while folders:
        folder = folders.pop()
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
        for entry in entries:
            stat = entry.stat(follow_symlinks=False)
            name = entry.path[skip:]
            digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
            if entry.is_dir(follow_symlinks=False):
                folders.append(entry.path)
    return digest.hexdigest()


def _ids_by_path(replies: Sequence[Reply]) -> dict[str, list[str]]:
    """Source path → the ids of its records, as ``pipeline.parse_all(previous_ids=)`` takes."""
    ids: dict[str, list[str]] = {}
    for reply in replies:
        ids.setdefault(reply.source.path, []).append(reply.id)
    return ids


def site_ids(out: Path) -> dict[str, list[str]]:
    """The ids of the records of the site built in ``out`` (its ``data/replies.json``) by
    source path; an id that is no slug is left out, and an unreadable listing gives none."""
    ids: dict[str, list[str]] = {}
    try:
        for item in json.loads((out / "data" / "replies.json").read_bytes()):
            if all(_SLUG_PART.fullmatch(part) for part in item["id"].split("-")):
                ids.setdefault(str(item["source"]["path"]), []).append(item["id"])
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return ids


class SiteStamp:
    """Remembers, in the cache folder, what the site in ``out`` was built from, so that a build
    with nothing new keeps the site as it is: with the same input files it does not even parse
    (the problems are replayed), with the same records it does not render."""

    def __init__(self, cache: ParseCache, out: Path, inputs: Sequence[Path], config: Any) -> None:
        name = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:16]
        self.path = cache.folder / "sites" / f"{name}.json"
        self.out = out
        self.config = config
        self.inputs = inputs_fingerprint(inputs, config)

    def _load(self) -> dict[str, Any] | None:
        """The stamp, if ``out`` is still exactly the site it describes (read once)."""
        if not hasattr(self, "_data"):
            data = self._stored()
            try:
                if data is not None and self.out.is_dir() and data["manifest"] == _manifest(
                        self.out):
                    self._data: dict[str, Any] | None = data
                    return data
            except (OSError, KeyError, TypeError):
                pass
            self._data = None
        return self._data

    def _stored(self) -> dict[str, Any] | None:
        """The stamp as stored, whatever ``out`` holds now; None if missing or failing its
        checksum (read once)."""
        if not hasattr(self, "_raw"):
            try:
                data = _unseal(self.path.read_bytes())
                self._raw: dict[str, Any] | None = data if isinstance(data, dict) else None
            except (OSError, ValueError):
                self._raw = None
        return self._raw

    def previous_ids(self) -> dict[str, list[str]]:
        """Each source path's record ids in the site last built into ``out``: from the stamp
        (even when the site was touched since), else from the site's ``data/replies.json``;
        empty when neither can be read."""
        ids = (self._stored() or {}).get("ids")
        try:
            if isinstance(ids, dict):
                return {str(k): [str(i) for i in v] for k, v in ids.items()}
        except TypeError:
            pass
        return site_ids(self.out)

    def kept(self) -> tuple[dict[str, int], tuple[Problem, ...]] | None:
        """The last build's counts and problems, when nothing it read has changed."""
        data = self._load()
        if data is None or self.inputs is None or data.get("inputs") != self.inputs:
            return None
        try:
            problems = tuple(Problem(*p) for p in data["problems"])
            return {k: int(v) for k, v in data["counts"].items()}, problems
        except (KeyError, TypeError, ValueError):
            return None

    def unchanged(self, replies: Sequence[Reply]) -> dict[str, int] | None:
        """The last build's counts if ``out`` holds exactly what these records would build."""
        data = self._load()
        if data is None or data.get("fingerprint") != site_fingerprint(replies, self.config):
            return None
        try:
            return {k: int(v) for k, v in data["counts"].items()}
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    def prior(self) -> Prior | None:
        """What the last build recorded of each file of the site now in ``out`` (its keys and
        the stages' state), for an incremental build; None unless that site is on disk exactly
        as that build left it and was built by this code with these templates and settings."""
        from replyarchive.incremental.output import Prior

        data = self._load()
        if data is None or data.get("environment") != environment_fingerprint(self.config):
            return None
        keys, state = data.get("keys"), data.get("state")
        if not isinstance(keys, dict) or not isinstance(state, dict):
            return None
        return Prior(self.out.resolve(), keys, state)

    def remember(self, replies: Sequence[Reply], counts: dict[str, int],
                 problems: Sequence[Problem], keys: Mapping[str, str] | None = None,
                 state: Mapping[str, Any] | None = None) -> None:
        """Record what the site in ``out`` was built from, once it is in place. Without
        ``keys`` the site was kept as it was, and so are the recorded keys and state."""
        if keys is None:
            last = self._load() or {}
            keys, state = last.get("keys") or {}, last.get("state") or {}
        data = {
            "inputs": None if inputs_changed() else self.inputs,
            "fingerprint": site_fingerprint(replies, self.config),
            "environment": environment_fingerprint(self.config),
            "manifest": _manifest(self.out),
            "counts": counts,
            "problems": [[p.path, p.line, p.message, p.severity] for p in problems],
            "ids": _ids_by_path(replies),
            "keys": dict(keys or {}),
            "state": dict(state or {}),
        }
        _write_sealed(self.path, data)
