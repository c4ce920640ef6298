"""Patching a shard file's blocks (splice.py) gives the bytes of the file packed anew."""

from __future__ import annotations

import random
import zlib

import pytest

from replyarchive.index.incremental import _patch_line
from replyarchive.index.layout import adler_combine, describe, layout_text, read_layout
from replyarchive.index.packed import (
    DIGITS,
    blocks,
    lines_of,
    pack_shard,
    pack_shard_layout,
    unpack,
)
from replyarchive.index.splice import Edits, splice_file


def slot(rng: random.Random, cut: bool) -> str:
    """A slot; ``cut``: one starting with ``00`` (a group an ordinary file is cut before)."""
    first = "00" if cut else rng.choice(DIGITS[:23]) + rng.choice(DIGITS)
    return first + rng.choice(DIGITS) + rng.choice(DIGITS)


def group(rng: random.Random, at: str) -> str:
    return at + ",".join(rng.choice(["2a", "1b3", "0c_x", "4dP"]) for _ in range(rng.randint(1, 3)))


def text_of(lines: dict[str, list[str]]) -> str:
    return "\n".join(f"{key}\t{' '.join(sorted(lines[key]))}"
                     for key in sorted(lines) if lines[key])


def a_file(rng: random.Random, hot: bool) -> dict[str, list[str]]:
    terms = ["企业"] if hot else [rng.choice("甲乙丙丁戊己庚辛") + str(n) for n in range(30)]
    lines: dict[str, list[str]] = {}
    for term in terms:
        for kind in "tm":
            if rng.random() < (1.0 if hot else 0.6):
                count = rng.randint(40, 120) if hot else rng.randint(1, 8)
                slots = {slot(rng, rng.random() < (0.05 if hot else 0.2)) for _ in range(count)}
                lines[f"{kind} {term}"] = [group(rng, s) for s in slots]
    return lines


def some_edits(rng: random.Random, lines: dict[str, list[str]]) -> Edits:
    """A letter or two dropped from some lines and put in others (or new ones) at a slot,
    often the slot of a group that starts a block."""
    edits: dict[str, tuple[list[str], list[str]]] = {}
    keys = sorted(lines)
    for _ in range(rng.randint(1, 4)):
        if rng.random() < 0.2:
            key = f"{rng.choice('tm')} 新{rng.randint(0, 99)}"
        else:
            key = rng.choice(keys)
        present = [g[:4] for g in lines.get(key, [])]
        cut = rng.random() < 0.4
        at = rng.choice(present) if present and rng.random() < 0.7 else slot(rng, cut)
        drops, adds = edits.setdefault(key, ([], []))
        if rng.random() < 0.7:
            drops.append(at)
        if rng.random() < 0.6:
            adds.append(group(rng, at))
    return edits


def patched_text(text: str, edits: Edits) -> str:
    """The reference: the whole text's lines patched (incremental._patch_line)."""
    lines = lines_of(text)
    for key in sorted(edits):
        kind, _, term = key.partition(" ")
        _patch_line(lines, kind, term, *edits[key])
    return "\n".join(lines)


@pytest.mark.parametrize("hot", [False, True])
def test_spliced_blocks_give_the_bytes_of_the_file_packed_anew(hot: bool) -> None:
    rng = random.Random(7 if hot else 3)
    key = "h1a2b" if hot else "17"
    spliced = 0
    for _ in range(150):
        text = text_of(a_file(rng, hot))
        data, layout = pack_shard_layout(f"shard:{key}", text)
        lines = {line.partition("\t")[0]: line.partition("\t")[2].split(" ")
                 for line in lines_of(text)}
        edits = some_edits(rng, lines)
        want, want_layout = pack_shard_layout(f"shard:{key}", patched_text(text, edits))
        got = splice_file(key, data, layout, edits)
        if got is None:
            continue
        spliced += 1
        assert got == (want, want_layout)
    assert spliced > 140


def test_a_block_whose_cut_goes_away_joins_its_neighbour() -> None:
    """Dropping the letter whose group starts a block (the slot ``00…`` an ordinary file is
    cut before) merges that block into the one before; putting it back cuts it again."""
    text = "t 乙\t1a2b2a\nt 甲\t00ab2a 0c3d2a"
    data, layout = pack_shard_layout("shard:5", text)
    assert [b.start for b in layout] == [("t 乙", ""), ("t 甲", "00ab")]
    edits: Edits = {"t 甲": (["00ab"], [])}
    without, fewer = pack_shard_layout("shard:5", patched_text(text, edits))
    assert len(fewer) == 1
    assert splice_file("5", data, layout, edits) == (without, fewer)
    back: Edits = {"t 甲": ([], ["00ab2a"])}
    assert splice_file("5", without, fewer, back) == (data, layout)


def test_a_hot_line_is_cut_where_its_slots_first_digit_changes() -> None:
    text = "m 企业\t0b1b03\nt 企业\t0a1b2a 0c3d2a 1a2b2a 2a2b2a"
    data, layout = pack_shard_layout("shard:h1", text)
    assert [b.start[1] for b in layout] == ["", "", "1a2b", "2a2b"]
    edits: Edits = {"t 企业": (["1a2b"], ["0e2b2a"])}  # a letter moving to another slot
    want = pack_shard_layout("shard:h1", patched_text(text, edits))
    assert splice_file("h1", data, layout, edits) == want
    assert unpack(want[0]) == "m 企业\t0b1b03\nt 企业\t0a1b2a 0c3d2a 0e2b2a 2a2b2a"


def test_a_layout_that_does_not_match_the_file_is_refused() -> None:
    data, layout = pack_shard_layout("shard:3", "t 甲\t0a1b2a 00ab2a")
    other = pack_shard_layout("shard:3", "t 甲\t0a1b2b 00ab2a")[1]
    assert splice_file("3", data, other, {"t 甲": (["0a1b"], [])}) is None
    assert read_layout(layout_text(layout)) == layout
    assert read_layout("12 x t 甲") is None


def test_adler_of_joined_bytes_is_combined_from_the_parts() -> None:
    rng = random.Random(1)
    for _ in range(50):
        a, b = rng.randbytes(rng.randint(0, 70000)), rng.randbytes(rng.randint(0, 70000))
        assert adler_combine(zlib.adler32(a), zlib.adler32(b), len(b)) == zlib.adler32(a + b)


def test_a_run_inside_a_hot_line_is_cut_as_the_whole_line_is() -> None:
    line = "t 企业\t" + " ".join(f"{d}{d}aa2a {d}{d}bb2a" for d in "0123")
    whole = blocks(line, hot=True)
    assert blocks("".join(whole[1:]), hot=True, headless=True) == whole[1:]
    assert describe(whole)[2].start == ("t 企业", "22aa")


def test_a_key_holding_a_cut_mark_leaves_the_file_without_a_layout() -> None:
    """A number's term such as ``0031号`` puts the mark `` 00`` inside its line's key
    (``m 0031号``), so the file is cut there: it keeps no layout and is packed in full, and a
    patch that makes such a line falls back to packing the file anew."""
    text = "m 0031号\t0a1b2a 1a2b2a\nt 甲\t0a1b2a"
    data, layout = pack_shard_layout("shard:7", text)
    assert layout == ()
    assert data == pack_shard("shard:7", text)
    assert unpack(data) == text  # its checksum is the whole text's
    assert splice_file("7", data, layout, {"t 甲": (["0a1b"], [])}) is None
    plain, kept = pack_shard_layout("shard:7", "t 甲\t0a1b2a 1a2b2a")
    assert kept
    assert splice_file("7", plain, kept, {"m 0045号": ([], ["0a1b2a"])}) is None
