"""data/letters-<year>.zip: each letter's record as YAML and its original, a year to a file.

One file per letter beyond its page is what keeps a 10,000-letter archive inside every free
host's file count (Cloudflare Pages: 20,000), so a letter's YAML and original (纯文本, or the
PDF or DOCX as published) travel in its year's ZIP as ``<id>.yaml`` and ``<id>.txt|pdf|docx``;
its JSON is its line of ``data/replies-<year>.jsonl``. (A PDF or DOCX is also its own file
beside the letter page while the site fits ``MAX_FILES``: originals.py.) A year whose members
would pass ``MAX_FILE`` (counted before compression, so a part never passes it) is cut into
parts: ``letters-2025.zip``, ``letters-2025-2.zip``, … in reading order.

The ZIPs are deterministic: members in reading order, fixed times and modes, deflated at a fixed
level (the same bytes with the same zlib). A year's parts are keyed on its letters' records and
originals, so an unchanged year is linked from the previous site.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from replyarchive.incremental.keys import SiteKeys, digest
from replyarchive.incremental.output import SiteOutput
from replyarchive.records.model import Reply
from replyarchive.render.model import Group

MAX_FILE = 25 * 1024 * 1024
"""The largest file every host takes (Cloudflare Pages: 25 MiB)."""
MAX_FILES = 20_000
"""The most files a site may have to deploy to every free host (Cloudflare Pages: 20,000)."""
_HEADER = 200
"""Bytes a member adds to a ZIP beyond its data, bounded (headers, directory entry)."""
_TIME = (1980, 1, 1, 0, 0, 0)
_LEVEL = 6


def bundle_path(slug: str, part: int) -> str:
    """data/letters-2025.zip for a year's first part, data/letters-2025-2.zip for the next."""
    return f"data/letters-{slug}.zip" if part == 1 else f"data/letters-{slug}-{part}.zip"


@dataclass(frozen=True, slots=True)
class Bundles:
    """Where each letter's YAML and original are."""

    paths: Mapping[str, str]
    """Letter id → the ZIP holding its ``<id>.yaml``."""
    originals: frozenset[str]
    """The letters whose original is in their ZIP too."""
    parts: Mapping[str, tuple[str, ...]]
    """Year slug → its ZIPs, in order."""


def _member(name: str, data: bytes) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name, _TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 3
    return info, data


def _zip(members: Sequence[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compresslevel=_LEVEL) as archive:
        for info, data in members:
            archive.writestr(info, data, compresslevel=_LEVEL)
    return buffer.getvalue()


def letter_members(reply: Reply, yaml_text: str, original: tuple[str, bytes] | None
                   ) -> list[tuple[zipfile.ZipInfo, bytes]]:
    """A letter's members: its YAML, then its original (suffix, bytes) when published."""
    members = [_member(f"{reply.id}.yaml", yaml_text.encode("utf-8"))]
    if original is not None:
        members.append(_member(f"{reply.id}.{original[0]}", original[1]))
    return members


def split(sizes: Sequence[int], limit: int = MAX_FILE) -> list[tuple[int, int]]:
    """(start, stop) of each part: letters in order, a part's members' bytes (before
    compression, plus headers) kept within ``limit``; a letter alone over it is a part alone."""
    parts, start, total = [], 0, 0
    for i, size in enumerate(sizes):
        if i > start and total + size > limit:
            parts.append((start, i))
            start, total = i, 0
        total += size
    if sizes:
        parts.append((start, len(sizes)))
    return parts


def year_key(group: Group, keys: SiteKeys, sources: Mapping[str, Path], limit: int) -> str:
    """What a year's ZIPs hold: its letters' records, which have an original, the limit."""
    return digest("letters.zip", group.slug, limit, keys.letters(group.replies),
                  [r.id in sources for r in group.replies])


def reused_parts(output: SiteOutput, path_of: Callable[[int], str], key: str
                 ) -> tuple[str, ...] | None:
    """Link a file's parts (``path_of(1)``, ``path_of(2)``, …) from the previous site when
    they were made from ``key``; their paths, or None when they must be made."""
    prior = output.prior
    if prior is None:
        return None
    paths: list[str] = []
    while (path := path_of(len(paths) + 1)) in prior.keys:
        paths.append(path)
    if not paths or any(prior.keys[p] != digest(key, i) for i, p in enumerate(paths, 1)):
        return None
    return tuple(paths) if all(output.reuse(p, digest(key, i))
                               for i, p in enumerate(paths, 1)) else None


def members_of(output: SiteOutput, paths: Sequence[str]) -> dict[str, list[str]]:
    """Member names of each of this build's ZIPs (read from their directories)."""
    found = {}
    for path in paths:
        with zipfile.ZipFile(output.target(path)) as archive:
            found[path] = archive.namelist()
    return found


def write_year(output: SiteOutput, group: Group, key: str,
               letters: Sequence[list[tuple[zipfile.ZipInfo, bytes]]],
               limit: int = MAX_FILE) -> tuple[str, ...]:
    """Write a year's ZIPs from each letter's members (in the group's order); their paths."""
    sizes = [sum(len(data) + _HEADER for _, data in members) for members in letters]
    paths = []
    for part, (start, stop) in enumerate(split(sizes, limit), 1):
        path = bundle_path(group.slug, part)
        members = [m for letter in letters[start:stop] for m in letter]
        output.write_bytes(path, _zip(members), digest(key, part))
        paths.append(path)
    return tuple(paths)
