"""What a patch needs to know of a shard file's blocks without decoding them: its *layout*.

A shard file's stream holds one unit per block of its text (packed.pack_shard), and its
checksum (Adler-32) covers the whole text. To patch one block and keep the others' bytes, a
patch must know, of every block, where it starts in the text (the line and the slot its first
group has, to find the blocks a changed letter touches) and its length and Adler-32 (to work
out the new checksum without reading the others). That is the layout: one entry per block,
``(length, adler, start)``, ``start`` being ``<line key>\\t<slot>`` (no slot for a block
that starts with its line's head). The index stage keeps each file's layout in its state
(``LayoutState``), written as text, one line per block.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

ADLER_BASE = 65521
STATE = "index-layout"


class Block(NamedTuple):
    """One block of a shard file's text, as the layout tells it."""

    length: int
    """Its UTF-8 bytes."""
    adler: int
    """Adler-32 of its UTF-8 bytes alone."""
    start: tuple[str, str]
    """(line key, slot) of where it starts; slot "" when it starts with the line's head."""


Layout = tuple[Block, ...]


def adler_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two byte strings joined, from each one's and the second's length."""
    rest = second_length % ADLER_BASE
    low = first & 0xFFFF
    total = (rest * low + (first >> 16) + (second >> 16) + ADLER_BASE - rest) % ADLER_BASE
    return (low + (second & 0xFFFF) + ADLER_BASE - 1) % ADLER_BASE | total << 16


def whole_adler(layout: Iterable[Block]) -> int:
    """The Adler-32 of the text of all these blocks, in order."""
    adler = 1
    for block in layout:
        adler = adler_combine(adler, block.adler, block.length)
    return adler


def describe(pieces: Sequence[str], line: str = "") -> Layout:
    """The layout of consecutive blocks ``pieces``; ``line``: the key of the line the first
    one continues ("" when it starts with a head, or at the file's start). ValueError when a
    cut falls inside a line's key (a key holding a cut mark, such as a number's term after
    its field): such a file has no layout and is patched in full."""
    out: list[Block] = []
    at_head = not line
    for piece in pieces:
        data = piece.encode("utf-8")
        if at_head:
            line = piece[:piece.index("\t")]
            start = (line, "")
        else:
            start = (line, piece[:4])
        out.append(Block(len(data), zlib.adler32(data), start))
        newline = piece.rfind("\n")
        if newline == len(piece) - 1:
            at_head = True
        else:
            at_head = False
            if newline >= 0:
                line = piece[newline + 1:piece.index("\t", newline + 1)]
    return tuple(out)


def layout_text(layout: Layout) -> str:
    return "\n".join(f"{b.length} {b.adler} {b.start[0]}\t{b.start[1]}" for b in layout)


def read_layout(text: str) -> Layout | None:
    """The layout ``layout_text`` wrote (None if ``text`` is not one)."""
    if not text:
        return ()
    out = []
    try:
        for row in text.split("\n"):
            length, adler, start = row.split(" ", 2)
            line, tab, slot = start.rpartition("\t")
            if not tab:
                return None
            out.append(Block(int(length), int(adler), (line, slot)))
    except ValueError:
        return None
    return tuple(out)


@dataclass(frozen=True, slots=True)
class LayoutState:
    """Each shard file's layout (file key → ``layout_text``), kept between builds."""

    files: Mapping[str, str]

    def to_json(self) -> dict[str, Any]:
        return {"files": dict(self.files)}

    @classmethod
    def from_json(cls, raw: Any) -> LayoutState | None:
        files = raw.get("files") if isinstance(raw, dict) else None
        if not isinstance(files, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
            return None
        return cls(files)
