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

ZIP members are deflated one by one, so a ZIP is its members' deflated bytes behind local
headers, then a central directory (``assemble``, the bytes ``zipfile`` writes for them). When
one letter of a year changes, the others' members are cut out of the previous site's ZIP
(``BundleState`` says where, and their SHA-256: a member whose bytes no longer match is made
again) and only the changed letter is serialised and deflated.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from replyarchive.incremental.keys import SiteKeys, digest
from replyarchive.incremental.output import SiteOutput
from replyarchive.incremental.state import BundleState, Placed
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
_DOS_DATE = (_TIME[0] - 1980) << 9 | _TIME[1] << 5 | _TIME[2]
_DOS_TIME = _TIME[3] << 11 | _TIME[4] << 5 | _TIME[5] // 2
_MODE = 0o644 << 16
_VERSION = 20
"""ZIP 2.0: deflate, no ZIP64 (``assemble`` leaves anything larger to ``zipfile``)."""
_UNIX = 3
_SMALL = zipfile.ZIP64_LIMIT // 2
"""Members and ZIPs below this need no ZIP64 record (zipfile asks for one past 1.05 × size)."""
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")


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


@dataclass(frozen=True, slots=True)
class Member:
    """One ZIP member, deflated on its own."""

    name: str
    crc: int
    """CRC-32 of its bytes."""
    size: int
    """Its bytes before compression."""
    data: bytes
    """Its deflated bytes."""

    def header(self) -> bytes:
        """Its local file header, as ``zipfile`` writes it for this name, time and mode."""
        name, flags = _name(self.name)
        return _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, zipfile.ZIP_DEFLATED, _DOS_TIME,
                           _DOS_DATE, self.crc, len(self.data), self.size, len(name), 0) + name

    def digest(self) -> str:
        """SHA-256 (hex, 32 characters) of its deflated bytes."""
        return hashlib.sha256(self.data).hexdigest()[:32]


def _name(name: str) -> tuple[bytes, int]:
    """A member name's bytes and flags: ASCII, or UTF-8 with bit 11 set (as zipfile does)."""
    return (name.encode("ascii"), 0) if name.isascii() else (name.encode("utf-8"), 0x800)


def deflate(name: str, data: bytes) -> Member:
    """``data`` as a member, deflated as ``zipfile`` deflates it at ``_LEVEL``."""
    compressor = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)
    return Member(name, zlib.crc32(data), len(data), compressor.compress(data) + compressor.flush())


def inflate(member: Member) -> bytes:
    """A member's bytes before compression."""
    return zlib.decompress(member.data, -15)


def assemble(members: Sequence[Member]) -> tuple[bytes, list[int]]:
    """A ZIP of deflated members, byte for byte what ``zipfile`` writes for them (``_zip``),
    and each member's offset in it; ValueError when it would need ZIP64."""
    if len(members) >= 0xFFFF or sum(len(m.data) + m.size for m in members) >= _SMALL:
        raise ValueError("a ZIP that needs ZIP64")
    chunks: list[bytes] = []
    offsets: list[int] = []
    position = 0
    for member in members:
        offsets.append(position)
        header = member.header()
        chunks += (header, member.data)
        position += len(header) + len(member.data)
    start = position
    for member, offset in zip(members, offsets, strict=True):
        name, flags = _name(member.name)
        chunks.append(_CENTRAL.pack(b"PK\x01\x02", _VERSION, _UNIX, _VERSION, 0, flags,
                                    zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE, member.crc,
                                    len(member.data), member.size, len(name), 0, 0, 0, 0, _MODE,
                                    offset) + name)
        position += len(chunks[-1])
    chunks.append(_END.pack(b"PK\x05\x06", 0, 0, len(members), len(members), position - start,
                            start, 0))
    return b"".join(chunks), offsets


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
                   ) -> list[Member]:
    """A letter's members: its YAML, then its original (suffix, bytes) when published."""
    members = [deflate(f"{reply.id}.yaml", yaml_text.encode("utf-8"))]
    if original is not None:
        members.append(deflate(f"{reply.id}.{original[0]}", original[1]))
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


def write_year(output: SiteOutput, group: Group, key: str, letters: Sequence[Sequence[Member]],
               limit: int = MAX_FILE) -> tuple[tuple[str, ...], list[tuple[str, list[int]]]]:
    """Write a year's ZIPs from each letter's members (in the group's order): their paths, and
    each letter's ZIP and its members' offsets there (empty for a ZIP ``zipfile`` wrote:
    one needing ZIP64, whose members are never cut out again)."""
    sizes = [sum(m.size + _HEADER for m in members) for members in letters]
    paths, placed = [], []
    for part, (start, stop) in enumerate(split(sizes, limit), 1):
        path = bundle_path(group.slug, part)
        members = [m for letter in letters[start:stop] for m in letter]
        try:
            data, offsets = assemble(members)
        except ValueError:
            data, offsets = _zip([_member(m.name, inflate(m)) for m in members]), []
        at = iter(offsets)
        placed += [(path, [next(at) for _ in letter] if offsets else [])
                   for letter in letters[start:stop]]
        output.write_bytes(path, data, digest(key, part))
        paths.append(path)
    return tuple(paths), placed


class PriorMembers:
    """The members of letters the last build bundled, cut out of its ZIPs: only those whose
    local header and deflated bytes are still what ``BundleState`` recorded (SHA-256)."""

    def __init__(self, output: SiteOutput, state: BundleState | None) -> None:
        self.output = output
        self.state = state
        self._zips: dict[str, bytes | None] = {}

    def _read(self, path: str) -> bytes | None:
        if path not in self._zips:
            found = self.output.prior_file(path)
            try:
                self._zips[path] = None if found is None else found.read_bytes()
            except OSError:
                self._zips[path] = None
        return self._zips[path]

    def members(self, reply_id: str, key: str, sourced: bool) -> list[Member] | None:
        """The letter's members as last bundled, if its record key and whether it had an input
        file are unchanged and its bytes check out; None: make them."""
        entry = None if self.state is None else self.state.letters.get(reply_id)
        if entry is None or entry.key != key or entry.sourced != sourced:
            return None
        raw = self._read(entry.path)
        if raw is None:
            return None
        found = []
        for name, offset, crc, size, length, checksum in entry.members:
            start = offset + _LOCAL.size + len(_name(name)[0])
            member = Member(name, crc, size, raw[start:start + length])
            if len(member.data) != length or raw[offset:start] != member.header() \
                    or member.digest() != checksum:
                return None
            found.append(member)
        return found


def placed(members: Sequence[Member], offsets: Sequence[int]) -> tuple[Placed, ...]:
    """The members where ``write_year`` put them, as ``BundleState`` keeps them."""
    return tuple((m.name, offset, m.crc, m.size, len(m.data), m.digest())
                 for m, offset in zip(members, offsets, strict=True))
