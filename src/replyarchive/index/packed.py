"""The packed form of the index files, and each letter's stable slot.

*Slots.* Every letter has a number of its own, its *slot*: ``fnv1a(id) % SLOTS``, or the next
free one when letters collide (letters taken in id order). A slot depends only on the letter's
id and on the ids whose hashes land just before it, so adding, removing or changing a letter
leaves every other letter's slot, and so its entries in the index, as they were. A slot is
written as SLOT_WIDTH base-36 digits, so slots sort as text.

*Postings.* A shard file's text (before compression) is one line per term, sorted by kind (``t``
for the parts' index, ``m`` for the facts') then term: ``<kind> <term>\\t<group> <group>…``. A
group is one letter's entries for the term, in slot order: the slot, then its entries joined by
``,``, each ``<field digit><score: SCORE_WIDTH base-36 digits, hundredths><part id>`` (no part
id in the facts). A letter's entries are one group, found by bisecting the groups on their
slot, so a changed letter is spliced into a file's text without decoding the rest of it.

*Files.* A data file is ``RASearchLoad("<key>","<base64 of zlib(text)>");``: a script, so the
page also loads it from disk (file://), compressed, so that the archive's text and postings fit
on disk; gzip on the wire gains nothing on it, and loses nothing either. ``lunr_index`` turns a
file's lines into the lunr 2.3.9 serialized index lunr loads (static/search.js does the same).
"""

from __future__ import annotations

import base64
import bisect
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

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


def score_text(score: float) -> str:
    """A stored score (BM25's tf part, at most 3·2.2) in hundredths, SCORE_WIDTH digits."""
    return base36(round(score * SCORE_SCALE), SCORE_WIDTH)


def entry(field: int, score: float, part_id: str = "") -> str:
    return f"{field}{score_text(score)}{part_id}"


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
    data = base64.b64encode(zlib.compress(text.encode("utf-8"), LEVEL))
    return b'RASearchLoad("' + key.encode() + b'","' + data + b'");\n'


def unpack(data: bytes) -> str:
    """The text held by a data file written by ``pack``."""
    start = data.index(b'","') + 3
    end = data.rindex(b'");')
    return zlib.decompress(base64.b64decode(data[start:end])).decode("utf-8")


def lines_of(text: str) -> list[str]:
    return text.split("\n") if text else []


def parse_groups(groups_text: str) -> Iterator[tuple[str, int, float, str]]:
    """(slot, field, score, part id) of every entry of a line's groups."""
    for item in groups_text.split(" "):
        slot = item[:SLOT_WIDTH]
        for one in item[SLOT_WIDTH:].split(","):
            score = int(one[1:1 + SCORE_WIDTH], 36) / SCORE_SCALE
            yield slot, int(one[0]), score, one[1 + SCORE_WIDTH:]


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
        for slot, field, score, part_id in parse_groups(groups_text):
            ref = f"{slot}#{part_id}" if part_id else slot
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
