"""replies/<id>/original.pdf|docx: a letter's original as published, its own file beside its
page, so a reader who taps 原件 gets the PDF or DOCX (opened by the browser), not a ZIP.

Every original stays in its year's ZIP too (the complete download, bundles.py); plain text is
only there (the page shows it). A loose original costs a file: the letters, newest first, get
one while the whole site stays within ``MAX_FILES``, and an original over ``MAX_FILE`` never
gets one; whatever is left in the ZIP only is said in the build's notes. Each file is keyed on
the bytes parsed, so an unchanged original is linked from the previous site.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from replyarchive.incremental.keys import digest
from replyarchive.incremental.output import SiteOutput
from replyarchive.records.model import Reply
from replyarchive.render.bundles import MAX_FILE, MAX_FILES

ORIGINALS = {"pdf": "pdf", "docx": "docx"}
"""source.format → suffix of the published original (原件); a web page is not republished (its
scripts would run on this site)."""


def original_suffix(reply: Reply) -> str | None:
    """The suffix of the letter's original, <id>.<suffix> in its year's ZIP: txt for plain text,
    pdf or docx for the file as the department published it; None when none is published."""
    if reply.source.format is None:
        return "txt"
    return ORIGINALS.get(reply.source.format)


def original_bytes(reply: Reply, path: Path) -> bytes | None:
    """The input file's bytes, when they are still the ones parsed."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == reply.source.sha256 else None


LOOSE = frozenset({"pdf", "docx"})
"""Suffixes of the originals published as their own file (text is on the page already)."""


def original_path(reply: Reply, suffix: str) -> str:
    """replies/<id>/original.pdf: an ASCII name whose suffix tells the browser the type."""
    return f"replies/{reply.id}/original.{suffix}"


@dataclass(frozen=True, slots=True)
class Loose:
    """The originals published as their own file, and what was kept in the ZIP only."""

    paths: Mapping[str, str]
    """Letter id → its original's own file, e.g. replies/<id>/original.pdf."""
    notes: tuple[str, ...] = ()
    """Why some originals are in their year's ZIP only (for whoever builds)."""


def write_originals(output: SiteOutput, replies: Sequence[Reply], held: frozenset[str],
                    sources: Mapping[str, Path], others: int, files: int | None = None,
                    size: int | None = None) -> Loose:
    """Write (or link) the loose originals of ``replies`` (newest first) whose original is in
    the ZIPs (``held``), while ``others`` (the site's other files) plus them fit ``files``
    (``MAX_FILES``), none over ``size`` (``MAX_FILE``)."""
    files = MAX_FILES if files is None else files
    size = MAX_FILE if size is None else size
    room = max(0, files - others)
    paths: dict[str, str] = {}
    big: list[tuple[str, int]] = []
    over = 0
    for reply in replies:
        suffix = original_suffix(reply)
        source = sources.get(reply.id)
        if reply.id not in held or suffix not in LOOSE or source is None or suffix is None:
            continue
        if (length := _size(source)) > size:
            big.append((reply.id, length))
        elif len(paths) >= room:
            over += 1
        elif _write(output, reply, source, original_path(reply, suffix)):
            paths[reply.id] = original_path(reply, suffix)
    return Loose(paths, _notes(big, over, others + len(paths), files, size))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _write(output: SiteOutput, reply: Reply, source: Path, path: str) -> bool:
    """Link the file from the previous site when made from the same bytes, else copy them
    (when the input still holds the bytes parsed); whether the file is in the site."""
    key = digest("original", reply.source.sha256)
    if output.reuse(path, key):
        return True
    data = original_bytes(reply, source)
    if data is None:
        return False
    output.write_bytes(path, data, key)
    return True


def _notes(big: Sequence[tuple[str, int]], over: int, total: int, files: int, size: int
           ) -> tuple[str, ...]:
    notes = [f"replies/{i}/: its original is {n:,} bytes, over the {size:,} a file static hosts "
             "take; it is only in its year's data/letters-<year>.zip" for i, n in big]
    if over:
        notes.append(f"PDF/DOCX originals of {over:,} letters are only in their year's "
                     "data/letters-<year>.zip, not beside the letter page: with them the site "
                     f"would pass the {files:,} files Cloudflare Pages takes a deployment "
                     f"({total:,} without them)")
    return tuple(notes)
