"""What the last build left (the site stamp): a build with nothing new keeps the site as it is.

Stored in the cache folder (``sites/``), sealed with its checksum like a cache entry: the
inputs' and records' fingerprints, a manifest of the built site (every path, size and mtime),
every file's key and each stage's state. A stamp that fails its checksum means a full build.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from replyarchive.errors import Problem
from replyarchive.folders import CONTENT_SUFFIXES, TEMPLATE_SUFFIXES, theme_files
from replyarchive.incremental.cache import ParseCache, code_version, unseal, write_sealed
from replyarchive.ingest.files import InputFiles
from replyarchive.records.model import Reply

if TYPE_CHECKING:
    from replyarchive.incremental.output import Prior

_SLUG_PART = re.compile(r"[a-z0-9]{1,200}")
"""One part of a record id between hyphens (the schema's pattern, split on ``-``)."""


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


def inputs_fingerprint(paths: Sequence[Path], config: Any, files: InputFiles) -> str | None:
    """Everything a build reads: the input paths as given, each letter file's path and bytes,
    what was passed over, and the environment; None when an input cannot be read (the full
    build reports it)."""
    from replyarchive.errors import ReplyArchiveError

    digest = _environment(config)
    try:
        for path in paths:
            found = files.discover(path)
            for file, root, real in found.found:
                digest.update(os.fsencode(f"{file}\0{root}\0"))
                digest.update(bytes.fromhex(files.digest(file, root, real)))
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
    """A cheap signature of a built site as it is on disk: every entry's path, size, mtime
    (``output.manifest_digest``; a build's sweep takes the same of the site it makes)."""
    from replyarchive.incremental.output import manifest_digest, manifest_line

    lines: list[str] = []
    folders, skip = [str(out)], len(str(out)) + 1
    while folders:
        folder = folders.pop()
        with os.scandir(folder) as scan:
            for entry in scan:
                lines.append(manifest_line(entry.path[skip:], entry.stat(follow_symlinks=False)))
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
    return manifest_digest(lines)


def _read_remembered(path: Path) -> dict[str, tuple[tuple[int, ...], str]]:
    """``SiteStamp.remember_inputs``'s table; empty when missing, failing its checksum or not
    as it writes it (then every input is read and hashed)."""
    try:
        data = unseal(path.read_bytes())
        if data["version"] != 1:
            raise ValueError("another layout")
        found: dict[str, tuple[tuple[int, ...], str]] = {}
        for key, (state, digest) in data["files"].items():
            if not (isinstance(digest, str) and len(state) == 5
                    and all(type(n) is int for n in state)):
                raise ValueError("not a file's state")
            found[key] = (tuple(state), digest)
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return found


def _ids_by_path(replies: Sequence[Reply]) -> dict[str, list[str]]:
    """Source path → the ids of its records, as ``pipeline.parse_all(previous_ids=)`` takes."""
    ids: dict[str, list[str]] = {}
    for reply in replies:
        ids.setdefault(reply.source.path, []).append(reply.id)
    return ids


def _newest_year_first(path: Path) -> tuple[int, int, int]:
    """replies-2025.jsonl, replies-2025-2.jsonl, replies-2024.jsonl, …, replies-undated.jsonl."""
    year, _, part = path.stem.removeprefix("replies-").partition("-")
    number = int(part) if part.isdigit() else 1
    return (0, -int(year), number) if year.isdigit() else (1, 0, number)


def site_ids(out: Path) -> dict[str, list[str]]:
    """The ids of the records of the site built in ``out`` (its ``data/replies-*.jsonl``, one
    record a line, read newest year first as the site lists them) by source path; an id that
    is no slug is left out, and an unreadable record file gives none."""
    ids: dict[str, list[str]] = {}
    files = sorted((out / "data").glob("replies-*.jsonl"), key=_newest_year_first)
    try:
        for path in files:
            for line in path.read_bytes().splitlines():
                item = json.loads(line)
                if all(_SLUG_PART.fullmatch(part) for part in item["id"].split("-")):
                    ids.setdefault(str(item["source"]["path"]), []).append(item["id"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
    return ids


class SiteStamp:
    """Remembers, in the cache folder, what the site in ``out`` was built from, so that a build
    with nothing new keeps the site as it is: with the same input files it does not even parse
    (the problems are replayed), with the same records it does not render."""

    def __init__(self, cache: ParseCache, out: Path, inputs: Sequence[Path], config: Any,
                 files: InputFiles) -> None:
        name = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:16]
        self.path = cache.folder / "sites" / f"{name}.json"
        self.body_path = self.path.with_suffix(".body")
        """The large part (ids, keys, state), read only by a build that renders: sealed on
        its own, its checksum in the stamp, so a build that keeps the site reads little."""
        self.inputs_path = self.path.with_suffix(".inputs")
        """The state and SHA-256 of each input as the last build read it (``InputFiles``),
        sealed on its own: an input still in that state is not read to be hashed again."""
        self.out = out
        self.config = config
        self.files = files
        files.remembered = self._remembered = _read_remembered(self.inputs_path)
        self.inputs = inputs_fingerprint(inputs, config, files)

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
                data = unseal(self.path.read_bytes())
                self._raw: dict[str, Any] | None = data if isinstance(data, dict) else None
            except (OSError, ValueError):
                self._raw = None
        return self._raw

    def _body(self) -> dict[str, Any]:
        """The stamp's large part, if it passes its checksum and is the one the stamp names
        (written first, so a build killed between the two writes leaves a stamp naming the
        old one); empty otherwise (read once)."""
        if not hasattr(self, "_large"):
            self._large: dict[str, Any] = {}
            head = self._stored()
            try:
                raw = self.body_path.read_bytes()
                data = unseal(raw)
                if head is not None and raw.partition(b"\n")[0].decode() == head.get("body") \
                        and isinstance(data, dict):
                    self._large = data
            except (OSError, ValueError):
                pass
        return self._large

    def previous_ids(self) -> dict[str, list[str]]:
        """Each source path's record ids in the site last built into ``out``: from the stamp
        (even when the site was touched since), else from the site's record files;
        empty when neither can be read."""
        ids = self._body().get("ids")
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
        keys, state = self._body().get("keys"), self._body().get("state")
        if not isinstance(keys, dict) or not isinstance(state, dict):
            return None
        return Prior(self.out.resolve(), keys, state)

    def remember_inputs(self) -> None:
        """Keep what this build read of the inputs for the next one (rewritten only when it
        differs from what was loaded)."""
        found = self.files.remember()
        if found != self._remembered:
            write_sealed(self.inputs_path, {"version": 1, "files": found})

    def remember(self, replies: Sequence[Reply], counts: dict[str, int],
                 problems: Sequence[Problem], keys: Mapping[str, str] | None = None,
                 state: Mapping[str, Any] | None = None, manifest: str | None = None) -> None:
        """Record what the site in ``out`` was built from, once it is in place. Without
        ``keys`` the site was kept as it was, and so are the recorded keys and state.
        ``manifest``: the site's, as the build's sweep took it (else it is walked here)."""
        loaded = self._load()
        if keys is None:
            last = self._body() if loaded is not None else {}
            keys, state = last.get("keys") or {}, last.get("state") or {}
            if manifest is None and loaded is not None:
                manifest = loaded["manifest"]  # out is as this build found it
        body = write_sealed(self.body_path, {"ids": _ids_by_path(replies),
                                             "keys": dict(keys or {}),
                                             "state": dict(state or {})})
        self.remember_inputs()
        write_sealed(self.path, {
            "inputs": None if self.files.changed else self.inputs,
            "fingerprint": site_fingerprint(replies, self.config),
            "environment": environment_fingerprint(self.config),
            "manifest": manifest if manifest is not None else _manifest(self.out),
            "counts": counts,
            "problems": [[p.path, p.line, p.message, p.severity] for p in problems],
            "body": body,
        })
