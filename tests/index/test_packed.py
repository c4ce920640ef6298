"""Shard files made of blocks compressed apart: one zlib stream, and a patch recompresses only
the blocks it changes."""

from __future__ import annotations

import random

from replyarchive.index.documents import CLOSING_ID, PREAMBLE_ID
from replyarchive.index.packed import (
    SCORE_SCALE,
    TITLE_FROM,
    blocks,
    entry_head,
    pack_shard,
    parse_groups,
    part_code,
    part_id,
    read_entry,
    shard_blocks,
    slot_text,
    unpack,
)
from replyarchive.index.shards import K1


def _line(kind: str, term: str, slots: list[int]) -> str:
    return f"{kind} {term}\t" + " ".join(f"{slot_text(s)}1a3s1-2,04bs2" for s in sorted(slots))


def _shard_text(rng: random.Random, lines: int, groups: int) -> str:
    terms = sorted({f"词{rng.randrange(10**6)}" for _ in range(lines)})
    return "\n".join(_line("t", term, rng.sample(range(1 << 20), groups)) for term in terms)


def test_a_shard_file_is_one_zlib_stream_of_its_blocks() -> None:
    text = _shard_text(random.Random(1), 300, 12)
    data = pack_shard("shard:7", text)
    assert unpack(data) == text
    assert "".join(blocks(text)) == text and len(blocks(text)) > 1
    found, known = shard_blocks(data)
    assert found == text and set(known) == set(blocks(text))
    # each block's characters stand in the file as they are: a patch encodes no block again
    assert all(unit in data and len(unit) % 7 == 0 for unit in known.values())


def test_a_changed_group_changes_only_its_blocks() -> None:
    """A hot term's line of thousands of groups: the bytes of the blocks away from the change
    are the previous file's, so a patch compresses only what it changed."""
    rng = random.Random(2)
    slots = rng.sample(range(1 << 20), 6000)
    before = _line("t", "企业", slots)
    after = _line("t", "企业", [*slots[1:], rng.randrange(1 << 20)])
    old, new = blocks(before, hot=True), blocks(after, hot=True)
    assert len(old) > 10
    assert len(set(new) - set(old)) <= 4
    _, known = shard_blocks(pack_shard("shard:h1f", before))
    assert pack_shard("shard:h1f", after, known) == pack_shard("shard:h1f", after)


PARTS = {"": "", "s1": "1", "s1-12-2": "1c2", "s0": "0", PREAMBLE_ID: "P", CLOSING_ID: "C",
         "s1-40": "_s1-40", "s01": "_s01", "x": "_x"}
"""Part ids and how a posting writes them (tests/js/search.test.js reads the same back)."""


def test_a_posting_writes_a_part_id_short_and_reads_it_back() -> None:
    assert {part: part_code(part) for part in PARTS} == PARTS
    assert {code: part_id(code) for code in PARTS.values()} == {v: k for k, v in PARTS.items()}
    groups = "000a0021,10dP 000b1zz_s1-40"
    assert [entry[3] for entry in parse_groups("m", groups)] == ["s1", PREAMBLE_ID, "s1-40"]


def test_a_parts_entry_holds_its_field_and_score_in_two_digits() -> None:
    """Every score BM25's tf part can store (title boost 3, body 1: at most 3·2.2) reads back
    with its field; a facts' entry keeps its field digit."""
    for field, boost in ((0, 3), (1, 1)):
        for hundredths in range(round(boost * (K1 + 1) * SCORE_SCALE) + 1):
            score = hundredths / SCORE_SCALE
            head = entry_head("t", field, score)
            assert len(head) == 2
            assert read_entry("t", head + "1") == (field, score, "1")
    assert read_entry("m", entry_head("m", 7, 6.6)) == (7, 6.6, "")
    assert round((K1 + 1) * SCORE_SCALE) + 1 == TITLE_FROM
