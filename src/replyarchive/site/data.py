"""Open data: every record as JSON, CSV and per-letter YAML/JSON, plus the original text.

Text files are UTF-8 with LF line ends; keys keep SCHEMA.md's order, so two builds are
byte-identical. The CSV starts with a BOM so spreadsheet programs read the Chinese correctly.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from replyarchive.config import Config
from replyarchive.model import Reply
from replyarchive.site.labels import KIND_LABELS, category_short
from replyarchive.site.model import adoption_summary
from replyarchive.site.render import write_text

CSV_COLUMNS = (
    ("id", "编号"), ("date", "日期"), ("doc_number", "文号"), ("kind", "类型"),
    ("category", "答复类别"), ("department", "承办单位"), ("session", "会议届次"),
    ("proposal_number", "建议提案号"), ("proposal_title", "建议提案题目"), ("title", "答复标题"),
    ("proposers", "提出人"), ("co_handlers", "会办单位"), ("adoption", "采纳情况"),
    ("url", "网址"),
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""libyaml's safe dumper when present: the same text as store.dump_yaml, forty times faster."""


def to_json(data: Any, *, compact: bool = False) -> str:
    if compact:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def to_yaml(reply: Reply) -> str:
    """The record as store.dump_yaml writes it (block style, SCHEMA order, Chinese kept)."""
    return yaml.dump(reply.to_dict(), Dumper=_DUMPER, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=4096)


def _cell(value: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula (a leading ' is shown)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_row(reply: Reply, config: Config) -> list[str]:
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
        "adoption": "；".join(f"{label}{n}处" for _, label, n in adoption_summary(reply)),
        "url": f"{config.base}replies/{reply.id}/",
    }
    return [_cell(values[key]) for key, _ in CSV_COLUMNS]


def to_csv(replies: Sequence[Reply], config: Config) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([label for _, label in CSV_COLUMNS])
    writer.writerows(csv_row(reply, config) for reply in replies)
    return "\ufeff" + buffer.getvalue()


def original_text(reply: Reply, path: Path) -> str | None:
    """The input file decoded with the encoding the parser recorded; None if that fails."""
    try:
        text = path.read_bytes().decode(reply.source.encoding)
    except (OSError, LookupError, UnicodeDecodeError):
        return None
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def write_data(out: Path, replies: Sequence[Reply], config: Config,
               sources: Mapping[str, Path]) -> set[str]:
    """Write data/*; return the ids whose original text was published."""
    write_text(out, "data/replies.json", to_json([r.to_dict() for r in replies], compact=True))
    write_text(out, "data/replies.csv", to_csv(replies, config))
    published: set[str] = set()
    for reply in replies:
        write_text(out, f"data/{reply.id}.yaml", to_yaml(reply))
        write_text(out, f"data/{reply.id}.json", to_json(reply.to_dict()))
        source = sources.get(reply.id)
        text = original_text(reply, source) if source else None
        if text is not None:
            write_text(out, f"data/{reply.id}.txt", text)
            published.add(reply.id)
    return published
