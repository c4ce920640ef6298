"""Files of one line a letter, put together again from the previous site's lines.

A year's JSON Lines part holds one record a line, and its CSV one row a line under its header:
a line is its letter's alone, so when one letter of a year changes, every other letter's line
is the one the previous site holds. ``LinesState`` records, for each such file a build wrote,
its SHA-256 and the record key of the letter on each line; ``prior_lines`` gives back the
lines of the files still holding exactly those bytes (a file missing, changed or tampered with
gives none: its letters' lines are made again), and ``lined`` is what to record of a new one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from replyarchive.incremental.output import SiteOutput
from replyarchive.incremental.state import LinedFile, LinesState


def lined(data: bytes, keys: Iterable[str]) -> LinedFile:
    """What to record of a file written with the lines of the letters of ``keys``, in order."""
    return LinedFile(hashlib.sha256(data).hexdigest(), tuple(keys))


def prior_lines(output: SiteOutput, state: LinesState | None, paths: Iterable[str],
                head: bytes = b"") -> dict[str, bytes]:
    """Record key → its line (LF included) in the previous site's ``paths``: from each file
    whose bytes are still those ``state`` recorded, that starts with ``head`` and has after it
    exactly one line for each key recorded."""
    found: dict[str, bytes] = {}
    for path in paths:
        entry = None if state is None else state.files.get(path)
        file = None if entry is None else output.prior_file(path)
        if entry is None or file is None:
            continue
        try:
            data = file.read_bytes()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() != entry.sha256 or not data.startswith(head):
            continue
        lines = data[len(head):].split(b"\n")
        if lines.pop() or len(lines) != len(entry.keys):  # the last line ends the file
            continue
        found.update(zip(entry.keys, (line + b"\n" for line in lines), strict=True))
    return found
