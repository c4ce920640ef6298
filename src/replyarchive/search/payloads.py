"""The data files the search page reads, as plain JSON-ready values.

- the catalog (always loaded, small): one row per letter for filters and for grouping, the shard
  plan (K and the hot terms), and the labels the page shows;
- one small file per result (a part, or a letter matched by its metadata alone), loaded only
  for the results on screen or to check an exact phrase: the letter's title, facts and
  metadata text, and the part's path, heading, adoption and text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from replyarchive.model import Reply
from replyarchive.search.documents import Part, letter_meta_text, letter_year
from replyarchive.search.shards import ShardPlan

FORMAT_VERSION = 1
LETTER_COLUMNS = ("id", "year", "department", "kind", "category")
"""Columns of a catalog letter row; department is an index into ``departments``."""
PART_COLUMNS = ("id", "path", "title", "adoption", "status", "body")
"""Columns of the part row in a result file."""
LETTER_FILE = "letter"
"""File name (without .js) of a letter's own result file, beside its parts' files."""


def catalog(
    replies: Sequence[Reply], plan: ShardPlan, labels: Mapping[str, Mapping[str, str]]
) -> dict[str, Any]:
    """The always-loaded catalog."""
    departments = sorted({r.department for r in replies if r.department})
    position = {name: i for i, name in enumerate(departments)}
    rows = [
        [r.id, letter_year(r), position.get(r.department or "", -1), r.kind, r.category]
        for r in sorted(replies, key=lambda r: r.id)
    ]
    return {
        "version": FORMAT_VERSION,
        "shards": plan.shard_count,
        "hot": list(plan.hot),
        "letterColumns": list(LETTER_COLUMNS),
        "letters": rows,
        "departments": departments,
        "labels": {name: dict(table) for name, table in labels.items()},
    }


def letter_summary(reply: Reply) -> dict[str, Any]:
    """What a result shows of its letter, and the metadata text phrases are checked against."""
    return {
        "id": reply.id,
        "title": reply.title or reply.doc_number or reply.id,
        "docNumber": reply.doc_number,
        "department": reply.department,
        "date": reply.date,
        "meta": letter_meta_text(reply),
    }


def result_payload(letter: Mapping[str, Any], part: Part | None) -> dict[str, Any]:
    """One result file: the letter's summary and the part's row (None for the letter itself)."""
    row = None
    if part is not None:
        row = [part.part_id, part.path, part.title, part.adoption, part.adoption_status,
               part.body]
    return {"letter": letter, "partColumns": list(PART_COLUMNS), "part": row}
