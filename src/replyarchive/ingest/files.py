"""The input files of one build: found once, each read once, what is hashed is what is parsed.

A build makes one ``InputFiles`` and hands it to whatever looks for or reads inputs (has
anything changed? which cache entry? what to parse? which file is a record's original text?).
It keeps each input's SHA-256 and, until the file is parsed or found in the cache, some files'
bytes (up to ``HOLD``), so that the bytes parsed are those whose hash keys the cache entry.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG

from replyarchive.errors import Problem, ReplyArchiveError
from replyarchive.ingest.sources import (
    Discovery,
    InputChanged,
    InputFile,
    discover_all,
    file_state,
    read_input,
)
from replyarchive.records.model import Reply

HOLD = 64 << 20
"""Input bytes a build keeps between hashing them and parsing them (about 4,000 letters);
beyond that a file to parse is read again and its hash checked."""
SETTLED_NS = 3_000_000_000
"""How long before a build began a file must have last changed for its state to be kept for
the next build (``InputFiles.remembered``): a file written again after it was read then shows
a later ctime, even on a clock that moves in steps of a second or two."""
Remembered = Mapping[str, tuple[tuple[int, ...], str]]
"""``"<file>\0<real path>"`` → the file's ``file_state`` and SHA-256 as a build read them."""


@dataclass(slots=True)
class InputFiles:
    """What one build has found and read: each input's SHA-256 and, until it is parsed (or
    found in the cache), some inputs' bytes, so that what is parsed is what was hashed."""

    room: int = HOLD
    """Bytes that may still be held."""
    found: dict[Path, Discovery] = field(default_factory=dict)
    """What was found under each input path."""
    digests: dict[Path, str] = field(default_factory=dict)
    """The SHA-256 of each file read."""
    held: dict[Path, InputFile] = field(default_factory=dict)
    """Bytes read but not yet parsed or found in the cache."""
    changed: bool = False
    """An input changed while this build read it: what the build saw is not what is there."""
    remembered: Remembered = field(default_factory=dict)
    """What the last build read (the site stamp keeps it): a file whose state is still the one
    recorded is not read again to be hashed; its bytes are read only to be parsed."""
    states: dict[Path, tuple[Path, tuple[int, ...]]] = field(default_factory=dict)
    """Each file hashed: its real path and its state when it was read."""
    started: int = field(default_factory=time.time_ns)
    """When this build began (ns since the epoch)."""

    def discover(self, path: Path) -> Discovery:
        """``sources.discover_all([path])``, looked for once."""
        if path not in self.found:
            self.found[path] = discover_all([path])
        return self.found[path]

    def digest(self, file: Path, root: Path, real: Path | None) -> str:
        """The file's SHA-256, reading it (once) if this build has not yet."""
        known = self.digests.get(file) or self._unchanged(file, real)
        if known is None:
            item = self._read(file, root, real)
            known = self.digests[file] = item.sha256
            if real is not None:
                self.states[file] = (real, item.state)
            if len(item.data) <= self.room:
                self.held[file] = item
                self.room -= len(item.data)
        return known

    def _unchanged(self, file: Path, real: Path | None) -> str | None:
        """The SHA-256 the last build took of ``file``, if it is still the plain file at
        ``real`` in the state recorded then; None otherwise (read it)."""
        entry = self.remembered.get(f"{file}\0{real}") if real is not None else None
        if entry is None or real is None:
            return None
        try:
            info = os.stat(real)
        except (OSError, ValueError):
            return None
        if not S_ISREG(info.st_mode) or file_state(info) != entry[0]:
            return None
        self.states[file] = (real, entry[0])
        self.digests[file] = entry[1]
        return entry[1]

    def remember(self) -> dict[str, tuple[tuple[int, ...], str]]:
        """What the next build may take without reading: each file hashed, by its state, if
        it had last changed ``SETTLED_NS`` before this build began; nothing if an input changed
        while the build read it."""
        if self.changed:
            return {}
        settled = self.started - SETTLED_NS
        return {f"{file}\0{real}": (state, self.digests[file])
                for file, (real, state) in self.states.items()
                if max(state[1], state[2]) < settled}

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


def find_letters(paths: Sequence[Path], files: InputFiles
                 ) -> tuple[list[tuple[Path, Path, Path]], list[Problem]]:
    """Every letter file under ``paths`` once (a file reached by two paths or a link counts
    once) as ``(file, root, real path)``, and a problem for each path that cannot be looked
    through and each path passed over; one bad path never stops the others."""
    problems: list[Problem] = []
    unique: dict[Path, tuple[Path, Path, Path]] = {}
    for path in paths:
        try:
            found = files.discover(path)
        except ReplyArchiveError as exc:
            problems.append(Problem.of(exc, path))
            continue
        for file, root, real in found.found:
            unique.setdefault(real, (file, root, real))
        problems += [Problem(str(s.path), None, s.message, s.severity) for s in found.skipped]
    return list(unique.values()), problems


def originals(paths: Sequence[Path], replies: Sequence[Reply],
              files: InputFiles) -> dict[str, Path]:
    """id → input file, for every record whose file is found under ``paths`` with the recorded
    SHA-256 (the original text the site publishes beside the record)."""
    roots = [p if p.is_dir() else p.parent for p in paths]
    found: dict[str, Path] = {}
    for reply in replies:
        for root in roots:
            candidate = root / reply.source.path
            try:
                digest = files.digest(candidate, candidate.parent, None)
            except (OSError, ReplyArchiveError):
                continue
            if digest == reply.source.sha256:
                found[reply.id] = candidate
                break
    return found
