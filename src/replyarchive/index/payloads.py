"""The data files the search page reads, as plain JSON-ready values.

- the catalog (always loaded, small): the shard plan (K and the hot terms), the document
  counts the query's idf needs, C, the filters' values and the labels;
- ``letters.js``: one row per letter (id, filter values, slot), loaded when a filter is set;
- the letters' text in a bounded number of *chunk* files (``letters/<n>.js``, compressed, see
  packed.py; a letter is in chunk ``slot·C / SLOTS``, so a letter's chunk depends on its slot
  only), loaded to check an exact phrase and, from disk (file://), for the results shown: per
  letter its title, facts and metadata fields, and every part's path, heading, adoption and
  text. They hold all the text the index is made from, so an incremental build can tell a
  changed letter's old terms from them;
- the letters' ids by slot in I *id files* (``ids/<n>.js``, a letter in file ``slot·I /
  SLOTS``), about a kilobyte each: over http a result names its letter through them and reads
  its text from the letter's own page (``replies/<id>/``, whose ``search_letter`` block holds
  the summary), a tenth of a chunk's bytes, and the page the reader opens next.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from replyarchive.index.documents import (
    Part,
    letter_fields,
    letter_parts,
    letter_year,
)
from replyarchive.index.packed import SLOTS, pack, unpack
from replyarchive.index.shards import ShardPlan
from replyarchive.index.t2s import t2s_table, table_keys
from replyarchive.records.model import Reply

FORMAT_VERSION = 6
LETTER_COLUMNS = ("id", "year", "department", "kind", "category", "slot")
"""Columns of a catalog letter row; department is an index into ``departments``; slot is the
letter's slot (packed.letter_slots), which the index's refs name it by."""
LETTERS_PER_CHUNK = 16
"""About this many letters per chunk file: a phrase check, or a result read from disk, loads
its letter's whole chunk (over http a result reads its letter's page instead)."""
MAX_CHUNKS = 256
"""At most this many chunk files: few, so that the file budget goes to the term shards."""
LETTERS_PER_IDS = 128
"""About this many letters per id file (a kilobyte compressed)."""
MAX_IDS = 64
PART_COLUMNS = ("id", "path", "title", "adoption", "status", "body")
"""Columns of a part row in a letter file."""
LOADER = "RASearchLoad"


def script(key: str, data: Any) -> str:
    """A data file: ``RASearchLoad("key",{...});`` (compact JSON, UTF-8)."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"{LOADER}({json.dumps(key)},{payload});\n"


def read_script(path: Path) -> Any:
    """The JSON inside a data file ``RASearchLoad("key",{...});``."""
    text = path.read_text(encoding="utf-8")
    start, end = text.index(",") + 1, text.rindex(")")
    return json.loads(text[start:end])


def _files_for(letters: int, per_file: int, most: int) -> int:
    """The power of two nearest ``letters / per_file``, from 1 to ``most``."""
    if letters <= per_file:
        return 1
    return min(most, 1 << round(math.log2(letters / per_file)))


def chunk_count(letters: int) -> int:
    """C: the power of two nearest ``letters / LETTERS_PER_CHUNK`` (1 to MAX_CHUNKS)."""
    return _files_for(letters, LETTERS_PER_CHUNK, MAX_CHUNKS)


def ids_count(letters: int) -> int:
    """I: the power of two nearest ``letters / LETTERS_PER_IDS`` (1 to MAX_IDS); 0 when one
    chunk holds every letter: that file costs a first search less than five letters' pages."""
    if chunk_count(letters) == 1:
        return 0
    return _files_for(letters, LETTERS_PER_IDS, MAX_IDS)


def chunk_of(slot: int, chunks: int) -> int:
    """The chunk file a letter's text is in."""
    return slot * chunks // SLOTS


def chunk_file(chunk: int) -> str:
    """A chunk file's path under ``search/``."""
    return f"letters/{chunk}.js"


def chunk_bytes(chunk: int, payloads: Sequence[tuple[str, dict[str, Any]]]) -> bytes:
    """A chunk file: ``{slot: letter payload}`` of its letters, in slot order, compressed."""
    data = {slot: payload for slot, payload in sorted(payloads, key=lambda p: p[0])}
    return pack(f"letters:{chunk}", json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def ids_file(number: int) -> str:
    """An id file's path under ``search/``."""
    return f"ids/{number}.js"


def ids_text(pairs: Sequence[tuple[str, str]]) -> str:
    """An id file's text: ``<slot> <id>`` a line, in slot order."""
    return "".join(f"{slot} {letter_id}\n" for slot, letter_id in sorted(pairs))


def read_chunk(data: bytes) -> dict[str, Any]:
    """A chunk file's ``{slot: letter payload}``."""
    found: dict[str, Any] = json.loads(unpack(data))
    return found


def catalog(replies: Sequence[Reply], plan: ShardPlan, documents: Mapping[str, int],
            labels: Mapping[str, Mapping[str, str]], chunks: int, ids: int) -> dict[str, Any]:
    """The always-loaded catalog, small at any size: the plan, ``documents`` (number of text
    and meta documents), C (``chunks``), I (``ids``), each filter's values, the labels and
    which characters the traditional→simplified table maps (``t2s``, see t2s.table_keys). The
    letters' own rows are in ``letter_rows``, loaded only when a filter is set."""
    departments = sorted({r.department for r in replies if r.department})
    return {
        "version": FORMAT_VERSION,
        "chunks": chunks,
        "ids": ids,
        "shards": plan.shard_count,
        "hot": sorted(plan.hot),
        "documents": dict(documents),
        "departments": departments,
        "values": {
            "year": sorted({y for y in map(letter_year, replies) if y is not None}),
            "kind": sorted({r.kind for r in replies}),
            "category": sorted({r.category for r in replies if r.category}),
        },
        "labels": {name: dict(table) for name, table in labels.items()},
        "t2s": table_keys(t2s_table()),
    }


def letter_rows(replies: Sequence[Reply], slots: Mapping[str, str]) -> dict[str, Any]:
    """``search/letters.js``: a row per letter (id order) with its filter values and slot."""
    departments = sorted({r.department for r in replies if r.department})
    position = {name: i for i, name in enumerate(departments)}
    rows = [
        [r.id, letter_year(r), position.get(r.department or "", -1), r.kind, r.category,
         slots[r.id]]
        for r in sorted(replies, key=lambda r: r.id)
    ]
    return {"letterColumns": list(LETTER_COLUMNS), "letters": rows}


def letter_summary(reply: Reply) -> dict[str, Any]:
    """What a result shows of its letter; ``meta``: the metadata fields' texts (META_FIELDS
    order), which phrases are checked against and which the index was made from."""
    return {
        "id": reply.id,
        "title": reply.title or reply.doc_number or reply.id,
        "docNumber": reply.doc_number,
        "department": reply.department,
        "date": reply.date,
        "meta": list(letter_fields(reply).values()),
    }


def part_row(part: Part) -> list[Any]:
    return [part.part_id, part.path, part.title, part.adoption, part.adoption_status, part.body]


def letter_payload(reply: Reply, parts: Sequence[Part]) -> dict[str, Any]:
    """A letter file: the letter's summary and a row per part, in the letter's order."""
    return {"letter": letter_summary(reply), "partColumns": list(PART_COLUMNS),
            "parts": [part_row(part) for part in parts]}


@dataclass(frozen=True, slots=True)
class LetterText:
    """All a letter's indexed text: its parts (id, heading, body) and its metadata fields."""

    parts: tuple[tuple[str, str, str], ...]
    meta: tuple[str, ...]

    @classmethod
    def of_reply(cls, reply: Reply) -> LetterText:
        parts = tuple((p.part_id, p.title, p.body) for p in letter_parts(reply))
        return cls(parts, tuple(letter_fields(reply).values()))

    @classmethod
    def of_payload(cls, payload: Mapping[str, Any]) -> LetterText:
        """From a letter file written by ``letter_payload``."""
        parts = tuple((row[0], row[2], row[5]) for row in payload["parts"])
        return cls(parts, tuple(payload["letter"]["meta"]))

    def documents(self) -> list[tuple[str, dict[int, str]]]:
        """(part id, field id → text) of each part, then ("", …) of the letter's metadata:
        field ids 0–1 are the text fields (title, body), 2… the metadata fields."""
        docs: list[tuple[str, dict[int, str]]] = [
            (part_id, {0: title, 1: body}) for part_id, title, body in self.parts]
        docs.append(("", {2 + i: text for i, text in enumerate(self.meta)}))
        return docs
