"""The packed form of the index files, and each letter's stable slot.

*Slots.* Every letter has a number of its own, its *slot*: ``fnv1a(id) % SLOTS``, or the next
free one when letters collide (letters taken in id order). A slot depends only on the letter's
id and on the ids whose hashes land just before it, so adding, removing or changing a letter
leaves every other letter's slot, and so its entries in the index, as they were. A slot is
written as SLOT_WIDTH base-36 digits, so slots sort as text.

*Postings.* A shard file's text (before compression) is one line per term, sorted by kind (``t``
for the parts' index, ``m`` for the facts') then term: ``<kind> <term>\\t<group> <group>…``. A
group is one letter's entries for the term, in slot order: the slot, then its entries joined by
``,``, each ``<head><part>`` (no part in the facts), the part id written short
(``part_code``); the head (``entry_head``) is the field and the score in hundredths: in the
facts (``m``) the field's digit and SCORE_WIDTH base-36 digits, in the parts (``t``, two fields)
both in SCORE_WIDTH digits, a body score as it is and a title score after TITLE_FROM. A
letter's entries are one group, found by bisecting the groups on their slot, so a changed
letter is spliced into a file's text without decoding the rest of it.

*Files.* A data file is ``RASearchLoad("<key>","<zlib(text), 6 bytes in 7 characters>");``:
a script, so the page also loads it from disk (file://), compressed, so that the archive's text
and postings fit on disk (codec.py: a sixth more than the zlib stream, where base64 costs a
third); gzip on the wire gains little on it, and loses little. A shard file's stream
is made of blocks compressed apart (``pack_shard``), so a patch compresses only the blocks it
changes and reuses the previous file's bytes for the rest. ``lunr_index`` turns a
file's lines into the lunr 2.3.9 serialized index lunr loads (static/search.js does the same).
"""

from __future__ import annotations

import bisect
import itertools
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from replyarchive.index.codec import ROW, decode, encode
from replyarchive.index.layout import Layout, describe, whole_adler
from replyarchive.index.shards import LUNR_VERSION, fnv1a

SLOTS = 1 << 20
"""Slots letters are spread over (36⁴ > 2²⁰: four base-36 digits)."""
SLOT_WIDTH = 4
SCORE_WIDTH = 2
SCORE_SCALE = 100
LEVEL = 6
"""zlib level: level 9 is no smaller on this text and slower."""
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def base36(value: int, width: int = 0) -> str:
    digits = ""
    while True:
        value, digit = divmod(value, 36)
        digits = DIGITS[digit] + digits
        if value == 0:
            break
    return digits.rjust(width, "0")


def letter_slots(ids: Iterable[str]) -> dict[str, int]:
    """Each letter id's slot (ids taken in sorted order, the next free slot on a collision)."""
    taken: set[int] = set()
    out: dict[str, int] = {}
    for letter_id in sorted(ids):
        slot = fnv1a(letter_id) % SLOTS
        while slot in taken:
            slot = (slot + 1) % SLOTS
        taken.add(slot)
        out[letter_id] = slot
    return out


def slot_text(slot: int) -> str:
    return base36(slot, SLOT_WIDTH)


TEXT_KIND = "t"
TITLE_FROM = 221
"""In a part's entry, a body score (boost 1: at most (k1+1)·100 = 220 hundredths) is written
as it is, a title score (boost 3: at most 660) as TITLE_FROM + it, both below 36²."""


def score_text(score: float) -> str:
    """A stored score (BM25's tf part, at most 3·2.2) in hundredths, SCORE_WIDTH digits."""
    return base36(round(score * SCORE_SCALE), SCORE_WIDTH)


def entry_head(kind: str, field: int, score: float) -> str:
    """An entry's field and score (field: its index among the kind's fields)."""
    if kind == TEXT_KIND:
        hundredths = round(score * SCORE_SCALE)
        return base36(hundredths + (TITLE_FROM if field == 0 else 0), SCORE_WIDTH)
    return f"{field}{score_text(score)}"


def read_entry(kind: str, one: str) -> tuple[int, float, str]:
    """(field, score, part code) of an entry written with ``entry_head``."""
    if kind == TEXT_KIND:
        code = int(one[:SCORE_WIDTH], 36)
        if code >= TITLE_FROM:
            return 0, (code - TITLE_FROM) / SCORE_SCALE, one[SCORE_WIDTH:]
        return 1, code / SCORE_SCALE, one[SCORE_WIDTH:]
    return int(one[0]), int(one[1:1 + SCORE_WIDTH], 36) / SCORE_SCALE, one[1 + SCORE_WIDTH:]


PART_WORDS = {"preamble": "P", "closing": "C"}
"""documents.PREAMBLE_ID and CLOSING_ID, written as one capital."""
PART_IDS = {code: part_id for part_id, code in PART_WORDS.items()}
LITERAL = "_"


def part_code(part_id: str) -> str:
    """A part id as a posting writes it: a section's ``s1-2-3`` as a base-36 digit per
    number (``123``), the preamble and closing as one capital, any other id as ``_<id>``;
    ``part_id`` reads it back (static/search.js ``partOf`` is its twin)."""
    if part_id in PART_WORDS:
        return PART_WORDS[part_id]
    numbers = part_id[1:].split("-") if part_id.startswith("s") else []
    if numbers and all(n.isdecimal() and n.isascii() and str(int(n)) == n and int(n) < 36
                       for n in numbers):
        return "".join(DIGITS[int(n)] for n in numbers)
    return LITERAL + part_id if part_id else ""


def part_id(code: str) -> str:
    """The part id a posting's ``part_code`` stands for ("" for the facts)."""
    if not code or code[0] == LITERAL:
        return code[1:]
    if code in PART_IDS:
        return PART_IDS[code]
    return "s" + "-".join(str(int(c, 36)) for c in code)


def entry(kind: str, field: int, score: float, part: str = "") -> str:
    return f"{entry_head(kind, field, score)}{part_code(part)}"


def group(slot: str, entries: Sequence[str]) -> str:
    return slot + ",".join(entries)


def line(kind: str, term: str, groups: Sequence[str]) -> str:
    return f"{kind} {term}\t{' '.join(groups)}"


def line_key(text: str) -> str:
    """The sort key of a line: ``<kind> <term>``."""
    return text.partition("\t")[0]


def splice_groups(groups_text: str, slot: str, new: str | None) -> str:
    """A line's groups with the group of ``slot`` replaced by ``new`` (dropped when None,
    inserted in slot order when absent)."""
    groups = groups_text.split(" ") if groups_text else []
    at = bisect.bisect_left(groups, slot)
    if at < len(groups) and groups[at].startswith(slot):
        del groups[at]
    if new is not None:
        groups.insert(at, new)
    return " ".join(groups)


def pack(key: str, text: str) -> bytes:
    """A data file: the script holding ``text`` compressed."""
    data = encode(zlib.compress(text.encode("utf-8"), LEVEL))
    return b'RASearchLoad("' + key.encode() + b'","' + data + b'");\n'


CUTS = (" 00", "\t00")
"""Where an ordinary shard's text is cut into blocks: before each group whose slot starts with
``00`` (one group in about 800: blocks of some 15 KB at 10,000 letters). In a hot term's file
(a line of thousands of groups, whose ``00`` slots all stand at its start) a line is cut
wherever its slots' first digit changes instead (about 23 blocks a line). Rules on the text
alone, so a clean build and a patch cut alike, and a change touches only the blocks around
it."""
ZLIB_HEADER = b"\x78\x9c"
FINAL = b"\x03\x00"
"""An empty last deflate block, which ends the stream."""
TABLE = b"//"


def _empty_blocks(fixed: int) -> bytes:
    """Deflate blocks that hold nothing, from a byte boundary to one: ``fixed`` empty blocks
    of the fixed code (10 bits each), then an empty stored block (3 bits, the rest of the byte,
    LEN 0 and NLEN)."""
    bits = [0, 1, 0, 0, 0, 0, 0, 0, 0, 0] * fixed + [0, 0, 0]
    bits += [0] * (-len(bits) % 8)
    value = sum(bit << at for at, bit in enumerate(bits))
    return value.to_bytes(len(bits) // 8, "little") + b"\x00\x00\xff\xff"


PADDING = {len(empty) % ROW: empty
           for empty in sorted(map(_empty_blocks, range(12)), key=len, reverse=True)}
"""The shortest empty blocks of each length modulo codec.ROW: what brings a unit to whole
rows."""
HEAD = ZLIB_HEADER + PADDING[-len(ZLIB_HEADER) % ROW]
"""A shard's stream is cut into *units* of whole rows of the codec (codec.ROW bytes): this
head, each block's deflate bytes padded with empty blocks, and FINAL with the Adler-32; so
each unit's characters are the same in any file, and a patch reuses them for the blocks it
keeps (encoding is as costly as compressing)."""


def blocks(text: str, hot: bool = False, headless: bool = False) -> list[str]:
    """A shard file's text cut into its blocks (CUTS); ``hot``: a hot term's file. The text
    may be a run of a file's blocks (a patch's); ``headless``: it starts inside a line, at a
    group starting a block."""
    cuts = []
    if hot:
        start = 0
        for text_line in text.split("\n"):
            if start:
                cuts.append(start)
            first = 0 if headless and not start else text_line.find("\t") + 1
            at = first
            grouped = (first or (headless and not start)) and first < len(text_line)
            for digit in DIGITS[DIGITS.index(text_line[first]) + 1:] if grouped else ():
                found = text_line.find(" " + digit, at)
                if found >= 0:
                    cuts.append(start + found + 1)
                    at = found + 1
            start += len(text_line) + 1
    else:
        for mark in CUTS:
            at = text.find(mark)
            while at >= 0:
                cuts.append(at + 1)
                at = text.find(mark, at + 1)
    bounds = [0, *sorted(cuts), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds) if b > a]


def deflate_block(block: str) -> bytes:
    """One block compressed on its own (no history before it), ending on a byte (a sync
    flush), so that blocks compressed apart join into one deflate stream."""
    squeeze = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return squeeze.compress(block.encode("utf-8")) + squeeze.flush(zlib.Z_SYNC_FLUSH)


def pack_shard(key: str, text: str, known: Mapping[str, bytes] | None = None) -> bytes:
    """A shard file: like ``pack``, but its zlib stream is made of units (HEAD), one per block
    of the text, each compressed on its own and encoded on its own (``known``: blocks' units
    already encoded, e.g. ``shard_blocks`` of the previous file), and a comment after the
    script lists the units' sizes in bytes. Any inflater reads it as one stream; a patch
    compresses and encodes again only the blocks it changes."""
    return pack_shard_layout(key, text, known)[0]


def pack_shard_layout(key: str, text: str, known: Mapping[str, bytes] | None = None
                      ) -> tuple[bytes, Layout]:
    """``pack_shard``, and the file's layout (layout.py)."""
    pieces = blocks(text, key.startswith("shard:h"))
    try:
        layout = describe(pieces)
        adler = whole_adler(layout)
    except ValueError:  # a cut inside a line's key: no layout, patched in full next time
        layout, adler = (), zlib.adler32(text.encode("utf-8"))
    units = [unit_of(block, known) for block in pieces]
    return assemble(key, units, adler), layout


def unit_of(block: str, known: Mapping[str, bytes] | None = None) -> bytes:
    """A block's unit: compressed, padded to whole rows, encoded (or as ``known`` has it)."""
    unit = known.get(block) if known else None
    if unit is None:
        piece = deflate_block(block)
        unit = encode(piece + PADDING[-len(piece) % ROW])
    return unit


def assemble(key: str, units: Sequence[bytes], adler: int) -> bytes:
    """A shard file of its blocks' encoded ``units`` and its text's Adler-32."""
    sizes = ",".join(str(len(unit) // (ROW + 1) * ROW) for unit in units)
    return b'RASearchLoad("' + key.encode() + b'","' + encode(HEAD) + b"".join(units) \
        + encode(FINAL + adler.to_bytes(4, "big")) + b'");' + TABLE + sizes.encode() + b"\n"


def shard_blocks(data: bytes) -> tuple[str, dict[str, bytes]]:
    """A shard file's text and its blocks' encoded units by block text (for ``pack_shard``'s
    ``known``), each block read from its own bytes (a file whose table of sizes does not
    match its stream gives no blocks)."""
    start = data.index(b'","') + 3
    end = data.rindex(b'");')
    stream = decode(data[start:end])
    sizes = data[end + 3 + len(TABLE):].strip()
    lengths = [int(size) for size in sizes.split(b",")] if sizes else []
    if sum(lengths) + len(HEAD) + len(FINAL) + 4 != len(stream) \
            or any(size % ROW for size in lengths) or not stream.startswith(HEAD):
        return zlib.decompress(stream).decode("utf-8"), {}
    known: dict[str, bytes] = {}
    parts = []
    at = len(HEAD)
    for size in lengths:
        block = zlib.decompressobj(-15).decompress(stream[at:at + size]).decode("utf-8")
        first = start + at // ROW * (ROW + 1)
        known[block] = data[first:first + size // ROW * (ROW + 1)]
        parts.append(block)
        at += size
    return "".join(parts), known


def unpack(data: bytes) -> str:
    """The text held by a data file written by ``pack``."""
    start = data.index(b'","') + 3
    end = data.rindex(b'");')
    return zlib.decompress(decode(data[start:end])).decode("utf-8")


def lines_of(text: str) -> list[str]:
    return text.split("\n") if text else []


def parse_groups(kind: str, groups_text: str) -> Iterator[tuple[str, int, float, str]]:
    """(slot, field, score, part id) of every entry of a ``kind`` line's groups."""
    for item in groups_text.split(" "):
        slot = item[:SLOT_WIDTH]
        for one in item[SLOT_WIDTH:].split(","):
            field, score, code = read_entry(kind, one)
            yield slot, field, score, part_id(code)


def lunr_index(lines: Sequence[str], kind: str, fields: Sequence[str]) -> dict[str, Any] | None:
    """The serialized lunr 2.3.9 index of one kind's lines (None if the file has none). A
    document's ref is ``<slot>`` (facts) or ``<slot>#<part id>``; terms in sorted order."""
    prefix = kind + " "
    inverted: list[list[Any]] = []
    vectors: dict[str, list[float]] = {}
    order: list[str] = []
    for text in lines:
        if not text.startswith(prefix):
            continue
        head, _, groups_text = text.partition("\t")
        index = len(inverted)
        postings: list[dict[str, dict[str, Any]]] = [{} for _ in fields]
        for slot, field, score, part in parse_groups(kind, groups_text):
            ref = f"{slot}#{part}" if part else slot
            postings[field][ref] = {}
            field_ref = f"{fields[field]}/{ref}"
            vector = vectors.get(field_ref)
            if vector is None:
                vector = vectors[field_ref] = []
                order.append(field_ref)
            vector.append(index)
            vector.append(score)
        posting: dict[str, Any] = {"_index": index}
        posting.update(zip(fields, postings, strict=True))
        inverted.append([head[len(prefix):], posting])
    if not inverted:
        return None
    return {"version": LUNR_VERSION, "fields": list(fields),
            "fieldVectors": [[ref, vectors[ref]] for ref in order],
            "invertedIndex": inverted, "pipeline": []}


def sorted_lines(by_key: Mapping[str, str]) -> str:
    """The file text of lines given by their ``line_key``."""
    return "\n".join(by_key[k] for k in sorted(by_key))
