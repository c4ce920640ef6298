"""The CSVs of data/: each year's (data/replies-<year>.csv) and the whole archive's
(data/replies.csv), one row a letter with ``CSV_COLUMNS``, in reading order.

A CSV row is its letter's alone, and the archive's rows are the years' in order (years newest
first, the undated last: the reading order), so data/replies.csv is the years' CSVs joined
under one header. A year's CSV linked from the previous site gives its rows when its SHA-256
is still the one recorded when it was made (a ``LinesState``); else its rows are made again.
A year's CSV made again takes its unchanged letters' rows from the previous one
(incremental/lines.py).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Sequence

from replyarchive.config import Config
from replyarchive.incremental.keys import SiteKeys, digest
from replyarchive.incremental.lines import lined, prior_lines
from replyarchive.incremental.output import SiteOutput
from replyarchive.incremental.state import LinedFile, LinesState
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
"""The stage name of the year CSVs' ``LinesState`` in the site's state."""
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


def csv_lines(replies: Sequence[Reply], config: Config,
              summary: Callable[[Reply], list[tuple[str, str, int]]] = adoption_summary
              ) -> list[bytes]:
    """Each letter's row as ``to_csv`` writes it, in UTF-8 (a row is its letter's alone)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    lines = []
    for reply in replies:
        writer.writerow(csv_row(reply, config, summary))
        lines.append(buffer.getvalue().encode("utf-8"))
        buffer.seek(0)
        buffer.truncate()
    return lines


def year_csv(output: SiteOutput, group: Group, path: str, config: Config, model: SiteModel,
             keys: SiteKeys, prior: LinesState | None) -> bytes:
    """A year's CSV, each unchanged letter's row taken from the previous site's file at
    ``path`` when that is what ``prior`` recorded (incremental/lines.py), the others' made."""
    head = to_csv((), config).encode("utf-8")
    kept = prior_lines(output, prior, [path], head)
    records = keys.letters(group.replies)
    made = iter(csv_lines([reply for reply, record in zip(group.replies, records, strict=True)
                           if record not in kept], config, model.adoption_of))
    return head + b"".join(kept[record] if record in kept else next(made) for record in records)


YearTable = tuple[Group, str, bytes | None]
"""A year's letters, its CSV's path, and the bytes this build wrote there (None: linked)."""


def write_archive_csv(output: SiteOutput, model: SiteModel, config: Config, keys: SiteKeys,
                      years: Sequence[YearTable], prior: LinesState | None) -> None:
    """data/replies.csv (linked when the archive is unchanged), from the years' CSVs: the
    bytes written, or a linked one's when its digest checks out; and what each year's CSV
    holds (``prior``: as the last build recorded it), for the next build."""
    known = {} if prior is None else prior.files
    files = {path: known.get(path) if data is None
             else lined(data, keys.letters(group.replies)) for group, path, data in years}
    key = digest("replies.csv", keys.archive)
    if not output.reuse(ARCHIVE_CSV, key):
        head = to_csv((), config).encode("utf-8")
        ordered = [reply for group, _, _ in years for reply in group.replies]
        if len(ordered) != len(model.replies) or any(
                a is not b for a, b in zip(ordered, model.replies, strict=True)):
            text = to_csv(model.replies, config, model.adoption_of).encode("utf-8")
        else:
            text = head + b"".join(_rows(output, year, files, head, config, model, keys)
                                   for year in years)
        output.write_bytes(ARCHIVE_CSV, text, key)
    output.state[TABLES] = LinesState({p: f for p, f in files.items() if f is not None})


def _rows(output: SiteOutput, year: YearTable, files: dict[str, LinedFile | None], head: bytes,
          config: Config, model: SiteModel, keys: SiteKeys) -> bytes:
    """A year's rows: from its CSV when written now or checked against its digest (a file
    whose digest is unknown or wrong is left out of ``files``), else made again."""
    group, path, data = year
    if data is None:
        try:
            data = output.target(path).read_bytes()
        except OSError:
            data = None
        entry = files[path]
        if data is None or entry is None or hashlib.sha256(data).hexdigest() != entry.sha256:
            files[path], data = None, None
    if data is None or not data.startswith(head):
        made = to_csv(group.replies, config, model.adoption_of).encode("utf-8")
        if files[path] is None and _same(output, path, made):  # a file made before digests
            files[path] = lined(made, keys.letters(group.replies))
        data = made
    return data[len(head):]


def _same(output: SiteOutput, path: str, data: bytes) -> bool:
    """Whether this build's file at ``path`` holds ``data``."""
    try:
        return output.target(path).read_bytes() == data
    except OSError:
        return False
