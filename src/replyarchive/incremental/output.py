"""The output folder of one build, and what the previous build left that it may reuse.

A build writes into a fresh, empty temporary folder that is swapped in at the end (swap.py). For
an incremental build, every stage asks, file by file, whether the previous site already holds
that file made from the same inputs: each file has a *key*, a digest of everything it is made
from (the stage computes it). If the previous build recorded the same key for the same path,
the file is hard-linked from the previous site instead of being made again. Nothing is ever
written into a linked file (that would change the previous site through the shared inode):
``write_*`` replace the path with a new file.

The keys of a build, and any state a stage wants back next time (``state``), are saved by the
caller (cache.SiteStamp) and given back as a ``Prior`` only while the previous site on disk is
exactly the one they describe and the code, templates and configuration are unchanged.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from replyarchive.errors import BuildError
from replyarchive.incremental.state import StageState
from replyarchive.records.model import Reply

S = TypeVar("S")


_NOT_A_NAME = re.compile(r"(?:^|/)\.{0,2}(?:/|\Z)")
"""A part of a relative path that is empty, ``.`` or ``..`` (so also a leading ``/``)."""


def check_relative(out: Path, rel_path: str) -> None:
    """Refuse a path that would land outside ``out`` (absolute, empty, ``..``, backslashes)."""
    if "\\" in rel_path or _NOT_A_NAME.search(rel_path):
        raise BuildError(f"refusing to write outside the output folder: {rel_path!r}", out)


def safe_target(out: Path, rel_path: str) -> Path:
    """The file ``rel_path`` inside ``out``; refuses anything that would land outside it."""
    check_relative(out, rel_path)
    return out / rel_path


def record_key(reply: Reply) -> str:
    """A digest that changes whenever the record can: a record is made from its source's bytes
    and path by the code (which a ``Prior`` guarantees unchanged), then given its id and any
    warning by the pipeline (duplicate ids)."""
    text = "\0".join((reply.id, reply.source.path, reply.source.sha256, *reply.warnings))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Prior:
    """The site a build replaces, as its build left it."""

    folder: Path
    """The previous site (the build's ``out``), untouched by this build."""
    keys: Mapping[str, str]
    """Path relative to the site root → key of the inputs it was made from."""
    state: Mapping[str, Any] = field(default_factory=dict)
    """Each stage's state as the stamp keeps it (JSON), by stage name (e.g. ``"index"``)."""


class SiteOutput:
    """The files of the new site under ``root`` (an empty folder at the start)."""

    def __init__(self, root: Path, prior: Prior | None = None,
                 folders: Iterable[str] = (), files: Iterable[str] | None = None) -> None:
        self.root = root
        self.prior = prior
        self._root = os.fspath(root)
        self._prior_root = None if prior is None else os.fspath(prior.folder)
        self.keys: dict[str, str] = {}
        """Keys of the files of this build (written with a key, or reused)."""
        self.state: dict[str, StageState] = {}
        """What stages want back next build, by stage name (incremental/state.py)."""
        self.reused = 0
        """Files linked from the previous site."""
        self._folders: set[str] = set(folders)
        """Folders (relative, ``""`` the root) known to exist under ``root``: those the folder
        held at the start (``folders``, as swap.claim found them), then those made."""
        self._present: set[str] | _Everything = _Everything() if files is None else set(files)
        """Files (relative) ``root`` may hold at the start: every path unless told (``files``,
        as swap.claim found them); ``link`` looks for no other."""
        self.made: set[str] = set()
        """Every file of this build (written, copied, linked or recorded by ``remember`` and
        ``mark``); ``sweep`` removes any other file ``root`` holds."""
        self.manifest: str | None = None
        """The manifest of ``root`` as ``sweep`` left it (None before)."""

    def target(self, rel: str) -> Path:
        """``root/rel``, refusing paths that leave the folder; its parent folder exists."""
        return Path(self._ready(rel))

    def _ready(self, rel: str) -> str:
        """``target`` as a string (no Path objects: this runs for every file of the site)."""
        check_relative(self.root, rel)
        folder = rel.rpartition("/")[0]
        if folder not in self._folders:  # one mkdir per folder, not per file
            os.makedirs(os.path.join(self.root, folder), exist_ok=True)
            self._folders.add(folder)
        return f"{self._root}/{rel}"  # rel is checked relative: no join needed

    def prior_state(self, stage: str, read: Callable[[Any], S | None]) -> S | None:
        """What ``stage`` saved in the previous build, read back with ``read`` (a state's
        ``from_json``); None without a usable previous build or a state ``read`` rejects."""
        raw = None if self.prior is None else self.prior.state.get(stage)
        return None if raw is None else read(raw)

    def saved_state(self) -> dict[str, Any]:
        """Every stage's state as JSON, for the stamp (and the next build's ``Prior``)."""
        return {stage: state.to_json() for stage, state in sorted(self.state.items())}

    def prior_file(self, rel: str) -> Path | None:
        """The previous site's copy of ``rel``, if there is a usable previous site holding it."""
        if self.prior is None:
            return None
        path = safe_target(self.prior.folder, rel)
        return path if path.is_file() else None

    def reuse(self, rel: str, key: str) -> bool:
        """Link ``rel`` from the previous site when it was made from ``key`` (True); otherwise
        return False, and the caller makes the file (with the same key)."""
        if self.prior is None or self.prior.keys.get(rel) != key:
            return False
        if not self.link(rel):
            return False
        self.keys[rel] = key
        return True

    def link(self, rel: str) -> bool:
        """Hard-link the previous site's ``rel`` into this one whatever its key (for stages that
        know for themselves that it is unchanged); False when that is impossible."""
        if self._prior_root is None:
            return False
        target = self._ready(rel)
        source = f"{self._prior_root}/{rel}"
        try:
            first = os.stat(source)  # fails on a missing file (and link on a folder)
            second = None
            try:
                if rel in self._present:
                    second = os.lstat(target)
                else:  # the folder held no such file: no need to look (one claimed empty)
                    os.link(source, target)
            except FileNotFoundError:
                os.link(source, target)
            except FileExistsError:  # made by this build after all
                second = os.lstat(target)
            if second is not None and (first.st_ino, first.st_dev) != (second.st_ino,
                                                                      second.st_dev):
                os.unlink(target)  # not the spare folder's copy of this very file
                os.link(source, target)
        except OSError:
            return False
        self.made.add(rel)
        self.reused += 1
        return True

    def write_bytes(self, rel: str, data: bytes, key: str | None = None) -> None:
        """A new file (never written through an existing inode); ``key`` is recorded."""
        target = self.target(rel)
        target.unlink(missing_ok=True)
        target.write_bytes(data)
        self.made.add(rel)
        if key is not None:
            self.keys[rel] = key

    def write_text(self, rel: str, text: str, key: str | None = None) -> None:
        """UTF-8 text, LF line ends kept as given."""
        self.write_bytes(rel, text.encode("utf-8"), key)

    def copy(self, rel: str, source: Path, key: str | None = None) -> None:
        """A copy of ``source`` as a new file."""
        target = self.target(rel)
        target.unlink(missing_ok=True)
        shutil.copyfile(source, target)
        self.made.add(rel)
        if key is not None:
            self.keys[rel] = key

    def remember(self, keys: Mapping[str, str]) -> None:
        """Record keys of files written by worker processes (which wrote new files into
        ``root`` themselves, never into a reused one)."""
        self.keys.update(keys)
        self.made.update(keys)

    def mark(self, rels: Iterable[str]) -> None:
        """Record files written into ``root`` by worker processes without a key."""
        self.made.update(rels)

    def sweep(self) -> int:
        """Remove every file under ``root`` this build did not make (the spare folder's old
        files), then the folders left empty; return the number of files kept. The same walk
        takes the new site's ``manifest`` (the stamp's, see ``manifest``), so the stamp need
        not walk the site again once it is swapped in (that changes no entry inside it)."""
        lines: list[str] = []
        kept = self._sweep(self._root, "", lines)[0]
        self.manifest = manifest_digest(lines)
        return kept

    def _sweep(self, folder: str, prefix: str, lines: list[str]) -> tuple[int, int]:
        """``sweep`` of one folder (``prefix``: its path in the site and ``/``, or ``""``),
        its subfolders first; return the files kept under it and the entries left in it. A
        folder's entry is taken once it is swept (removing changes its mtime); a link is
        never followed."""
        kept = left = 0
        made = self.made
        with os.scandir(folder) as scan:
            entries = list(scan)
        for entry in entries:
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                inner, remain = self._sweep(entry.path, f"{rel}/", lines)
                kept += inner
                if not remain:
                    os.rmdir(entry.path)
                    continue
                info = os.lstat(entry.path)  # now, not as scandir may have kept it
            elif rel in made or entry.is_dir():  # a link to a folder stays, as os.walk left it
                kept += rel in made
                info = entry.stat(follow_symlinks=False)
            else:
                os.unlink(entry.path)
                continue
            left += 1
            lines.append(manifest_line(rel, info))
        return kept, left


class _Everything:
    """The set of every path: what a folder may hold when nobody listed it."""

    def __contains__(self, item: object) -> bool:
        return True


def manifest_line(rel: str, info: os.stat_result) -> str:
    """One entry of a site's manifest: its path under the site, size and mtime."""
    return f"{rel}\0{info.st_size}\0{info.st_mtime_ns}\n"


def manifest_digest(lines: list[str]) -> str:
    """A cheap signature of a built site as it is on disk (stamp.manifest): the SHA-256 of
    every entry's ``manifest_line``, in path order, whatever order they were found in."""
    lines.sort()
    return hashlib.sha256("".join(lines).encode("utf-8", "surrogateescape")).hexdigest()
