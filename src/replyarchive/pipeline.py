"""The parse stage end to end, in order: sources → decode → normalise → parse → validate.

``parse_all`` never stops at a bad file: every problem is collected and reported, and the
other letters are still parsed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from replyarchive.errors import Problem, ReplyArchiveError, count
from replyarchive.incremental.cache import (
    WINDOW,
    FileResult,
    ParseCache,
    decode_result,
    discovered_all,
    encode_result,
    lookup,
)
from replyarchive.ingest.sources import InputFile, decode_input
from replyarchive.parse import parse_letters
from replyarchive.parse.ids import assign_ids
from replyarchive.records.dedupe import search
from replyarchive.records.model import Reply
from replyarchive.records.validate import validate_record

_LINE = re.compile(r"^line (\d+): ")
PARALLEL_MIN = 48
"""Fewer files to parse than this are parsed in this process: a pool would cost more."""
CHUNK = 16
"""Files handed to a worker at a time."""


@dataclass(frozen=True, slots=True)
class ParseOutcome:
    """The records parsed and the problems met."""

    replies: tuple[Reply, ...]
    """Valid records, sorted by id."""
    problems: tuple[Problem, ...]
    """Errors and warnings, in input order."""

    @property
    def failures(self) -> int:
        return count(self.problems, "error")

    @property
    def warnings(self) -> int:
        return count(self.problems, "warning")


def parse_all(paths: Sequence[Path], *, cache: ParseCache | None = None,
              workers: int | None = None,
              previous_ids: Mapping[str, Sequence[str]] | None = None) -> ParseOutcome:
    """Parse every letter under ``paths``; one bad file never stops the others.

    With a ``cache`` only changed inputs are parsed; many are parsed on ``workers`` processes
    (default: every core). The cyclic garbage collector is paused meanwhile: records hold no
    cycles, and its passes over the growing heap were two thirds of reading 10,000 cached
    records back (2.8 s → 1 s). ``previous_ids``: each source path's ids in the site built
    before, which its letters keep (``ids.assign_ids``).
    """
    with _gc_paused():
        return _parse_all(paths, cache, workers, previous_ids or {})


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parse_all(paths: Sequence[Path], cache: ParseCache | None, workers: int | None,
               previous: Mapping[str, Sequence[str]]) -> ParseOutcome:
    problems: list[Problem] = []
    inputs: list[tuple[Path, Path, Path]] = []
    for path in paths:
        try:
            found = discovered_all([path])
        except ReplyArchiveError as exc:
            problems.append(_from_error(exc, path))
            continue
        inputs += found.found
        problems += [Problem(str(s.path), None, s.message, s.severity) for s in found.skipped]
    unique: dict[Path, tuple[Path, Path, Path]] = {}
    for file, root, real in inputs:
        unique.setdefault(real, (file, root, real))
    replies: list[tuple[Reply, Path]] = []
    keys: list[frozenset[int]] = []
    for result, (file, _, _) in zip(parse_files(list(unique.values()), cache, workers),
                                    unique.values(), strict=True):
        problems += result.problems
        replies += [(reply, file) for reply in result.replies]
        keys += result.keys
    replies = _drop_duplicates(replies, keys, problems)
    records = _dedupe_ids(replies, problems, previous)
    return ParseOutcome(tuple(sorted(records, key=lambda r: r.id)), tuple(problems))


def parse_files(inputs: Sequence[tuple[Path, Path, Path]], cache: ParseCache | None = None,
                workers: int | None = None) -> list[FileResult]:
    """Every ``(file, root, real path)`` input's result, in input order: from the cache where
    it holds one, else parsed (in parallel when there are many) and then stored. Each file is
    read once: the bytes parsed are those whose hash keys the entry."""
    results: list[FileResult] = []
    for start in range(0, len(inputs), WINDOW):
        results += _parse_window(inputs[start:start + WINDOW], cache, workers)
    return results


def _parse_window(inputs: Sequence[tuple[Path, Path, Path]], cache: ParseCache | None,
                  workers: int | None) -> list[FileResult]:
    results = lookup(inputs, cache)
    todo = [(i, item) for i, item in enumerate(results) if isinstance(item, InputFile)]
    parsed = _parse_misses([item for _, item in todo], workers)
    for (index, item), data in zip(todo, parsed, strict=True):
        results[index] = decode_result(data, item.file)
        if cache is not None:
            cache.store(cache.key(item.file, item.root, item.sha256), data)
    return [r for r in results if isinstance(r, FileResult)]


def _parse_misses(misses: Sequence[InputFile], workers: int | None) -> list[dict[str, Any]]:
    """Each file's ``encode_result``ed result, parsed here or, for many files, on every core."""
    if len(misses) < PARALLEL_MIN or workers == 1:
        return [_job(item) for item in misses]
    count = workers or os.cpu_count() or 1
    with ProcessPoolExecutor(max_workers=count) as pool:
        return list(pool.map(_job, misses, chunksize=CHUNK))


def _job(item: InputFile) -> dict[str, Any]:
    """Parse one file's bytes (in a worker, maybe); the result travels back as plain data."""
    problems: list[Problem] = []
    replies = _parse_one(item, problems)
    return encode_result(replies, problems)


def _parse_one(item: InputFile, problems: list[Problem]) -> tuple[Reply, ...]:
    """The file's records (one per letter in it; none when it failed), validated."""
    file = item.file
    try:
        replies = parse_letters(decode_input(item))
    except ReplyArchiveError as exc:
        problems.append(_from_error(exc, file))
        return ()
    valid = []
    for reply in replies:
        invalid = validate_record(reply.to_dict())
        problems += [Problem(str(file), None, f"record does not match the schema: {m}", "error")
                     for m in invalid]
        if not invalid:
            problems += [_from_warning(file, w) for w in reply.warnings]
            valid.append(reply)
    return tuple(valid)


def _drop_duplicates(replies: list[tuple[Reply, Path]], keys: Sequence[frozenset[int]],
                     problems: list[Problem]) -> list[tuple[Reply, Path]]:
    """Keep one copy of a letter saved twice (see dedupe.py), warning about each copy left out,
    and warn about each letter nearly the same as another (both kept)."""
    found = search([reply for reply, _ in replies], keys=keys)
    dropped: set[int] = set()
    for group in found.groups:
        for index in group.drop:
            dropped.add(index)
            problems.append(Problem(str(replies[index][1]), None, group.reason(), "warning"))
    problems += [Problem(str(replies[near.second][1]), None, near.reason(), "warning")
                 for near in found.near]
    return [pair for index, pair in enumerate(replies) if index not in dropped]


def _dedupe_ids(replies: list[tuple[Reply, Path]], problems: list[Problem],
               previous: Mapping[str, Sequence[str]]) -> list[Reply]:
    """Give each letter whose id another has a suffix of its own (see ids.assign_ids)."""
    ids = assign_ids([reply for reply, _ in replies], previous)
    shared = Counter(reply.id for reply, _ in replies)
    out = []
    for (reply, file), new_id in zip(replies, ids, strict=True):
        if shared[reply.id] > 1 or new_id != reply.id:
            held = "another letter" if shared[reply.id] == 2 else f"{shared[reply.id] - 1} others"
            note = (f"line 1: id {reply.id} is shared with {held}; this one is {new_id}. Check "
                    "that the files are not the same letter")
            if shared[reply.id] == 1:
                note = (f"line 1: this letter keeps the id {new_id} it was published under "
                        f"(its own would be {reply.id})")
            reply = dataclasses.replace(reply, id=new_id, warnings=(*reply.warnings, note))
            problems.append(Problem(str(file), 1, note.removeprefix("line 1: "), "warning"))
        out.append(reply)
    return out


def _from_error(exc: ReplyArchiveError, path: Path) -> Problem:
    return Problem(exc.path or str(path), exc.line, exc.message, "error")


def _from_warning(file: Path, warning: str) -> Problem:
    match = _LINE.match(warning)
    line = int(match.group(1)) if match else None
    return Problem(str(file), line or None, _LINE.sub("", warning), "warning")
