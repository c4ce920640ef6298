"""The CSVs of data/: each year's (data/replies-<year>.csv) and the whole archive's
(data/replies.csv), one row a letter with ``CSV_COLUMNS``, in reading order.

A CSV row is its letter's alone, and the archive's rows are the years' in order (years newest
first, the undated last: the reading order), so data/replies.csv is the years' CSVs joined
under one header. A year's CSV linked from the previous site gives its rows when its SHA-256
is still the one recorded when it was made (``TableState``); else its rows are made again.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from replyarchive.config import Config
from replyarchive.incremental.keys import SiteKeys, digest
from replyarchive.incremental.output import SiteOutput
from replyarchive.records.labels import KIND_LABELS, category_short
from replyarchive.records.model import Reply
from replyarchive.render.model import Group, SiteModel, adoption_summary

CSV_COLUMNS = (
    ("id", "编号"), ("date", "日期"), ("doc_number", "文号"), ("kind", "类型"),
    ("category", "答复类别"), ("department", "承办单位"), ("session", "会议届次"),
    ("proposal_number", "建议提案号"), ("proposal_title", "建议提案题目"), ("title", "答复标题"),
    ("proposers", "提出人"), ("co_handlers", "会办单位"), ("adoption", "采纳情况"),
    ("url", "网址"),
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TABLES = "tables"
"""The stage name of ``TableState`` in the site's state."""
ARCHIVE_CSV = "data/replies.csv"


def _cell(value: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula (a leading ' is shown)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_row(reply: Reply, config: Config,
            summary: Callable[[Reply], list[tuple[str, str, int]]] = adoption_summary
            ) -> list[str]:
    values = {
        "id": reply.id,
        "date": reply.date or "",
        "doc_number": reply.doc_number or "",
        "kind": KIND_LABELS[reply.kind],
        "category": category_short(reply.category) if reply.category else "",
        "department": reply.department or "",
        "session": reply.session.label if reply.session else "",
        "proposal_number": reply.proposal_number or "",
        "proposal_title": reply.proposal_title or "",
        "title": reply.title or "",
        "proposers": "、".join(reply.proposers),
        "co_handlers": "、".join(reply.co_handlers),
        "adoption": "；".join(f"{label}{n}处" for _, label, n in summary(reply)),
        "url": f"{config.base}replies/{reply.id}/",
    }
    return [_cell(values[key]) for key, _ in CSV_COLUMNS]


def to_csv(replies: Sequence[Reply], config: Config,
           summary: Callable[[Reply], list[tuple[str, str, int]]] = adoption_summary) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([label for _, label in CSV_COLUMNS])
    writer.writerows(csv_row(reply, config, summary) for reply in replies)
    return "\ufeff" + buffer.getvalue()


@dataclass(frozen=True, slots=True)
class TableState:
    """The SHA-256 of each year's CSV as the build that made it wrote it."""

    digests: Mapping[str, str]
    """Path (data/replies-2025.csv) → SHA-256 (hex) of its bytes."""

    def to_json(self) -> dict[str, Any]:
        return {"digests": dict(self.digests)}

    @classmethod
    def from_json(cls, raw: Any) -> TableState | None:
        found = raw.get("digests") if isinstance(raw, dict) else None
        if not isinstance(found, dict):
            return None
        return cls({k: v for k, v in found.items() if isinstance(k, str) and isinstance(v, str)})


YearTable = tuple[Group, str, bytes | None]
"""A year's letters, its CSV's path, and the bytes this build wrote there (None: linked)."""


def write_archive_csv(output: SiteOutput, model: SiteModel, config: Config, keys: SiteKeys,
                      years: Sequence[YearTable]) -> None:
    """data/replies.csv (linked when the archive is unchanged), from the years' CSVs: the
    bytes written, or a linked one's when its digest checks out; and the years' digests."""
    prior = output.prior_state(TABLES, TableState.from_json)
    known = {} if prior is None else prior.digests
    digests = {path: hashlib.sha256(data).hexdigest() if data is not None else known.get(path)
               for _, path, data in years}
    key = digest("replies.csv", keys.archive)
    if not output.reuse(ARCHIVE_CSV, key):
        head = to_csv((), config).encode("utf-8")
        ordered = [reply for group, _, _ in years for reply in group.replies]
        if len(ordered) != len(model.replies) or any(
                a is not b for a, b in zip(ordered, model.replies, strict=True)):
            text = to_csv(model.replies, config, model.adoption_of).encode("utf-8")
        else:
            text = head + b"".join(_rows(output, group, path, data, digests, head, config, model)
                                   for group, path, data in years)
        output.write_bytes(ARCHIVE_CSV, text, key)
    output.state[TABLES] = TableState({p: d for p, d in digests.items() if d is not None})


def _rows(output: SiteOutput, group: Group, path: str, data: bytes | None,
          digests: dict[str, str | None], head: bytes, config: Config, model: SiteModel
          ) -> bytes:
    """A year's rows: from its CSV when written now or checked against its digest (a file
    whose digest is unknown or wrong is left out of ``digests``), else made again."""
    if data is None:
        try:
            data = output.target(path).read_bytes()
        except OSError:
            data = None
        if data is None or hashlib.sha256(data).hexdigest() != digests[path]:
            digests[path], data = None, None
    if data is None or not data.startswith(head):
        made = to_csv(group.replies, config, model.adoption_of).encode("utf-8")
        if digests[path] is None and _same(output, path, made):  # a file made before digests
            digests[path] = hashlib.sha256(made).hexdigest()
        data = made
    return data[len(head):]


def _same(output: SiteOutput, path: str, data: bytes) -> bool:
    """Whether this build's file at ``path`` holds ``data``."""
    try:
        return output.target(path).read_bytes() == data
    except OSError:
        return False
