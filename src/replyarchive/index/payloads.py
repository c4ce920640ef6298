"""The data files the search page reads, as plain JSON-ready values.

- the catalog (always loaded, small): one row per letter for filters and for grouping, the shard
  plan (K and the hot terms), the document counts the query's idf needs, and the labels;
- one file per letter (``parts/<id>.js``), loaded for the results shown and to check an exact
  phrase: the letter's title, facts and metadata fields, and every part's path, heading,
  adoption and text. It holds all the text the index is made from, so an incremental build
  can tell a changed letter's old terms from it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from replyarchive.index.documents import (
    Part,
    index_ref,
    letter_fields,
    letter_parts,
    letter_year,
)
from replyarchive.index.shards import ShardPlan
from replyarchive.records.model import Reply

FORMAT_VERSION = 3
LETTER_COLUMNS = ("id", "year", "department", "kind", "category")
"""Columns of a catalog letter row; department is an index into ``departments``."""
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


def letter_file(letter_id: str) -> str:
    """The letter file's path under ``search/``."""
    return f"parts/{letter_id}.js"


def catalog(replies: Sequence[Reply], plan: ShardPlan, documents: Mapping[str, int],
            labels: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """The always-loaded catalog; ``documents``: number of text and meta documents."""
    departments = sorted({r.department for r in replies if r.department})
    position = {name: i for i, name in enumerate(departments)}
    rows = [
        [r.id, letter_year(r), position.get(r.department or "", -1), r.kind, r.category]
        for r in sorted(replies, key=lambda r: r.id)
    ]
    return {
        "version": FORMAT_VERSION,
        "shards": plan.shard_count,
        "hot": sorted(plan.hot),
        "documents": dict(documents),
        "letterColumns": list(LETTER_COLUMNS),
        "letters": rows,
        "departments": departments,
        "labels": {name: dict(table) for name, table in labels.items()},
    }


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

    def documents(self, position: int) -> list[tuple[str, dict[int, str]]]:
        """(short ref, field id → text) of each part, then of the letter's metadata: field ids
        0–1 are the text fields (title, body), 2… the metadata fields."""
        docs: list[tuple[str, dict[int, str]]] = [
            (index_ref(position, part_id), {0: title, 1: body})
            for part_id, title, body in self.parts]
        docs.append((index_ref(position), {2 + i: text for i, text in enumerate(self.meta)}))
        return docs
