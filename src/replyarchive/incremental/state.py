"""What a stage keeps from one build for the next, typed.

Each stage that can patch its previous output instead of remaking it saves one of these in
``SiteOutput.state`` under its name; the stamp keeps them as JSON (``to_json``) and the next
build reads them back with ``from_json``, which answers None for anything it does not recognise
(an older format, a hand-edited stamp), so the stage then builds in full. Plain values only:
the stages turn them into their own objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


class StageState(Protocol):
    """A stage's state: frozen, and saved as JSON."""

    def to_json(self) -> dict[str, Any]: ...


def _ints(value: Any, length: int | None = None) -> tuple[int, ...] | None:
    """``value`` as a tuple of ints (of ``length``), or None if it is not one."""
    if not isinstance(value, list) or (length is not None and len(value) != length):
        return None
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return None
    return tuple(value)


def _table(raw: Any, name: str) -> dict[Any, Any] | None:
    """``raw[name]`` when ``raw`` is a state's JSON holding a table there."""
    found = raw.get(name) if isinstance(raw, dict) else None
    return found if isinstance(found, dict) else None


def _strings(value: Any) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    return tuple(value)


@dataclass(frozen=True, slots=True)
class DatabaseState:
    """What the last data/replies.db was made from, and whether the site held it."""

    key: str
    """Digest of the archive and the size limit it was made for."""
    size: int
    """Bytes of the whole database."""
    published: bool
    """Whether it fitted the size limit and is in the site."""
    exact: bool = True
    """False when it was not made, a lower bound of its size being over the limit."""
    floors: Mapping[str, int] = field(default_factory=dict)
    """Record key → the bytes that letter's rows take at least (``export.database.letter_floor``),
    for the letters whose floors were worked out."""
    printed: Mapping[str, int] = field(default_factory=dict)
    """Record key → the bytes of that letter's text as printed (``export.database.printed_size``),
    for every letter: their sum is the cheap floor, without reading every letter's text."""

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "size": self.size, "published": self.published,
                "exact": self.exact, "floors": dict(self.floors), "printed": dict(self.printed)}

    @classmethod
    def from_json(cls, raw: Any) -> DatabaseState | None:
        if not isinstance(raw, dict):
            return None
        key, size, published = raw.get("key"), _ints([raw.get("size")]), raw.get("published")
        exact, floors, printed = raw.get("exact"), raw.get("floors", {}), raw.get("printed", {})
        if not isinstance(key, str) or size is None or not isinstance(published, bool) \
                or not isinstance(exact, bool) or not isinstance(floors, dict) \
                or not isinstance(printed, dict):
            return None
        return cls(key, size[0], published, exact, _sizes(floors), _sizes(printed))


def _sizes(raw: dict[Any, Any]) -> dict[str, int]:
    """The entries of a record key → size table that are one (a bad one is only worked out
    again)."""
    return {k: v for k, v in raw.items()
            if isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)}


@dataclass(frozen=True, slots=True)
class IndexState:
    """The search index's letters in catalog order, its shard plan and its totals."""

    format: int
    """The index format version it was written in."""
    ids: tuple[str, ...]
    """Letter ids in catalog order."""
    keys: tuple[str, ...]
    """Each letter's record key, in the same order."""
    shards: int
    """Number of rare-term shard files."""
    hot: tuple[str, ...]
    """The hot terms (each in a file of its own), sorted."""
    rare: int
    """Postings held by the rare-term shards."""
    documents: tuple[int, int]
    """Number of text and of meta documents."""
    sums: tuple[int, ...]
    """Sum of each field's lengths over its documents."""

    def to_json(self) -> dict[str, Any]:
        return {"format": self.format, "ids": list(self.ids), "keys": list(self.keys),
                "shards": self.shards, "hot": list(self.hot), "rare": self.rare,
                "documents": list(self.documents), "sums": list(self.sums)}

    @classmethod
    def from_json(cls, raw: Any) -> IndexState | None:
        if not isinstance(raw, dict):
            return None
        ids, keys, hot = _strings(raw.get("ids")), _strings(raw.get("keys")), \
            _strings(raw.get("hot"))
        numbers = _ints([raw.get("format"), raw.get("shards"), raw.get("rare")])
        documents, sums = _ints(raw.get("documents"), 2), _ints(raw.get("sums"))
        if ids is None or keys is None or hot is None or numbers is None or documents is None \
                or sums is None or len(ids) != len(keys):
            return None
        return cls(numbers[0], ids, keys, numbers[1], hot, numbers[2],
                   (documents[0], documents[1]), sums)


Placed = tuple[str, int, int, int, int, str]
"""One ZIP member where the last build wrote it: name, offset of its local header, CRC-32,
size, deflated size, SHA-256 (32 hex characters) of its deflated bytes."""


@dataclass(frozen=True, slots=True)
class BundledLetter:
    """A letter's members in the data/letters-*.zip the last build left (render/bundles.py)."""

    key: str
    """Its record key then."""
    sourced: bool
    """Whether it had an input file to take its original from then."""
    path: str
    """The ZIP holding its members."""
    members: tuple[Placed, ...]
    """Its members in that ZIP, in order."""


def _placed(value: Any) -> Placed | None:
    if not isinstance(value, list) or len(value) != 6 or not isinstance(value[0], str) \
            or not isinstance(value[5], str):
        return None
    numbers = _ints(value[1:5])
    return None if numbers is None else (value[0], *numbers, value[5])  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class BundleState:
    """Where each letter's YAML and original are in the last build's ZIPs, so a year with one
    letter changed is assembled from the others' deflated members (render/bundles.py)."""

    letters: Mapping[str, BundledLetter]
    """Letter id → its members then."""

    def to_json(self) -> dict[str, Any]:
        return {"letters": {id_: [e.key, e.sourced, e.path, [list(m) for m in e.members]]
                            for id_, e in self.letters.items()}}

    @classmethod
    def from_json(cls, raw: Any) -> BundleState | None:
        letters = _table(raw, "letters")
        if letters is None:
            return None
        good = {}
        for id_, value in letters.items():  # a bad entry only costs that letter its reuse
            if not isinstance(value, list) or len(value) != 4 or not isinstance(value[0], str) \
                    or not isinstance(value[1], bool) or not isinstance(value[2], str) \
                    or not isinstance(value[3], list):
                continue
            members = [_placed(m) for m in value[3]]
            if members and all(m is not None for m in members):
                good[id_] = BundledLetter(value[0], value[1], value[2],
                                          tuple(m for m in members if m is not None))
        return cls(good)


@dataclass(frozen=True, slots=True)
class LinedFile:
    """A file of one line a letter (after a head the stage knows) as the last build wrote it:
    a year's JSON Lines part or CSV (render/data.py, render/tables.py)."""

    sha256: str
    """SHA-256 (hex) of its bytes."""
    keys: tuple[str, ...]
    """The record key of the letter on each of its lines, in order."""


@dataclass(frozen=True, slots=True)
class LinesState:
    """The files of one line a letter the last build left, so a file with one letter changed
    is put together from the others' lines (incremental/lines.py)."""

    files: Mapping[str, LinedFile]
    """Path (data/replies-2025.jsonl) → what it holds."""

    def to_json(self) -> dict[str, Any]:
        return {"files": {path: [f.sha256, list(f.keys)] for path, f in self.files.items()}}

    @classmethod
    def from_json(cls, raw: Any) -> LinesState | None:
        files = _table(raw, "files")
        if files is None:
            return None
        good = {path: LinedFile(value[0], keys) for path, value in files.items()
                if isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)
                and (keys := _strings(value[1])) is not None}  # a bad entry: that file only
        return cls(good)
