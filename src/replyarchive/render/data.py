"""Open data: every record as JSON, CSV and per-letter YAML/JSON, plus the original text.

Text files are UTF-8 with LF line ends; keys keep SCHEMA.md's order, so two builds are
byte-identical. The CSV starts with a BOM so spreadsheet programs read the Chinese correctly.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from replyarchive.config import Config
from replyarchive.incremental.keys import SiteKeys, digest
from replyarchive.incremental.output import SiteOutput
from replyarchive.incremental.parallel import run_chunks
from replyarchive.incremental.state import DataState
from replyarchive.records.labels import KIND_LABELS, category_short
from replyarchive.records.model import Reply
from replyarchive.render.model import SiteModel, adoption_summary

CSV_COLUMNS = (
    ("id", "编号"), ("date", "日期"), ("doc_number", "文号"), ("kind", "类型"),
    ("category", "答复类别"), ("department", "承办单位"), ("session", "会议届次"),
    ("proposal_number", "建议提案号"), ("proposal_title", "建议提案题目"), ("title", "答复标题"),
    ("proposers", "提出人"), ("co_handlers", "会办单位"), ("adoption", "采纳情况"),
    ("url", "网址"),
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BASE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_FIRST_CHARACTERS = frozenset(_BASE_DUMPER.yaml_implicit_resolvers)
"""First characters of every plain scalar an implicit resolver may read as not a string
(None, a resolver for any first character, would turn the shortcut below off)."""
_STR_TAG = "tag:yaml.org,2002:str"
_quote = getattr(json.encoder, "c_encode_basestring", None) or json.encoder.encode_basestring
"""What json.dumps(ensure_ascii=False) writes for a string."""


class _Dumper(_BASE_DUMPER):  # type: ignore[misc, valid-type]
    """libyaml's safe dumper when present: the same text as store.dump_yaml, much faster.

    Its resolver is asked twice about every scalar whether it would read back as something
    else than a string; a string no implicit resolver can start with is answered at once."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if (kind is yaml.ScalarNode and not self.yaml_path_resolvers
                and None not in _FIRST_CHARACTERS
                and (not implicit[0] or value[:1] not in _FIRST_CHARACTERS)):
            return _STR_TAG
        return super().resolve(kind, value, implicit)


_DUMPER = _Dumper
LISTING = "data/replies.json"
DATA_STATE = "data"
"""Name of this stage's state (see output.py): where each record sits in data/replies.json."""


def to_json(data: Any, *, compact: bool = False) -> str:
    """``json.dumps`` with ``ensure_ascii=False`` and ``indent=1`` (or compact), plus a newline.

    The standard library only has its C encoder for compact output; for the indented form the
    record is written here (strings by the same C function), about twice as fast as its
    pure-Python encoder and byte for byte the same."""
    if compact:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    try:
        return _indented(data, "\n") + "\n"
    except TypeError:  # floats, non-text keys: the standard encoder knows their rules
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _indented(value: Any, newline: str) -> str:
    """``value`` as json.dumps(indent=1) writes it at the depth ``newline`` is indented for."""
    if isinstance(value, str):
        return _quote(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return int.__repr__(value)
    inner = newline + " "
    if type(value) is list:
        if not value:
            return "[]"
        items = [_indented(item, inner) for item in value]
        return "[" + inner + ("," + inner).join(items) + newline + "]"
    if type(value) is dict:
        if not value:
            return "{}"
        if not all(type(key) is str for key in value):
            raise TypeError("JSON keys other than text")
        pairs = [_quote(k) + ": " + _indented(v, inner) for k, v in value.items()]
        return "{" + inner + ("," + inner).join(pairs) + newline + "}"
    raise TypeError(f"no plain JSON for {type(value).__name__}")


def to_yaml(reply: Reply, record: dict[str, Any] | None = None) -> str:
    """The record as store.dump_yaml writes it (block style, SCHEMA order, Chinese kept);
    ``record`` is ``reply.to_dict()`` when the caller already has it.

    The record's nodes are made here instead of by PyYAML's representer (pure Python, most of
    the time of a dump): the same nodes, serialised by the same emitter, give the same text."""
    data = reply.to_dict() if record is None else record
    try:
        node = _node(data)
    except TypeError:  # a value the representer handles differently (floats, dates): let it
        return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False,
                         default_flow_style=False, width=4096)
    stream = io.StringIO()
    dumper = _DUMPER(stream, allow_unicode=True, sort_keys=False, default_flow_style=False,
                     width=4096)
    try:
        dumper.open()
        dumper.serialize(node)
        dumper.close()
    finally:
        dumper.dispose()
    return stream.getvalue()


def _node(value: Any) -> yaml.Node:
    """The node SafeRepresenter makes of ``value`` with default_flow_style=False and
    sort_keys=False (for strings, None, bools, ints, lists and dicts of them)."""
    if isinstance(value, str):
        return yaml.ScalarNode("tag:yaml.org,2002:str", value)
    if value is None:
        return yaml.ScalarNode("tag:yaml.org,2002:null", "null")
    if isinstance(value, bool):
        return yaml.ScalarNode("tag:yaml.org,2002:bool", "true" if value else "false")
    if isinstance(value, int):
        return yaml.ScalarNode("tag:yaml.org,2002:int", str(value))
    if isinstance(value, list):
        return yaml.SequenceNode("tag:yaml.org,2002:seq", [_node(v) for v in value],
                                 flow_style=False)
    if isinstance(value, dict):
        pairs = [(_node(k), _node(v)) for k, v in value.items()]
        return yaml.MappingNode("tag:yaml.org,2002:map", pairs, flow_style=False)
    raise TypeError(f"no plain YAML node for {type(value).__name__}")


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


def original_text(reply: Reply, path: Path) -> str | None:
    """The input file decoded with the encoding the parser recorded; None if that fails or if
    its bytes are no longer the ones parsed (a file changed, or a link swapped, since)."""
    try:
        data = path.read_bytes()
        text = data.decode(reply.source.encoding)
    except (OSError, LookupError, UnicodeDecodeError):
        return None
    if hashlib.sha256(data).hexdigest() != reply.source.sha256:
        return None
    text = text.lstrip("\ufeff").rstrip("\x1a")  # a DOS end-of-file mark is not text
    return text.replace("\r\n", "\n").replace("\r", "\n")


ORIGINALS = {"pdf": "pdf", "docx": "docx"}
"""source.format → suffix of the published original (原件) copied beside the record; a web
page is not republished (its scripts would run on this site)."""


def original_suffix(reply: Reply) -> str | None:
    """The suffix of the letter's published original, data/<id>.<suffix>: txt for plain text,
    pdf or docx for the file as the department published it; None when none is published."""
    if reply.source.format is None:
        return "txt"
    return ORIGINALS.get(reply.source.format)


def original_bytes(reply: Reply, path: Path) -> bytes | None:
    """The input file's bytes, when they are still the ones parsed."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == reply.source.sha256 else None


@dataclass(frozen=True, slots=True)
class _Letter:
    """What one letter's data files need: which to make, and where its text is."""

    reply: Reply
    yaml: bool
    """data/<id>.yaml must be made (not linked from the previous site)."""
    json: bool
    """data/<id>.json must be made."""
    txt: Path | None
    """The input file to publish as data/<id>.txt (or .pdf, .docx: the original as
    published), when it must be made."""
    fragment: bool
    """The record's compact JSON is needed for data/replies.json."""


def write_data(output: SiteOutput, model: SiteModel, config: Config,
               sources: Mapping[str, Path], keys: SiteKeys,
               progress: Callable[[int, int], None] | None = None) -> set[str]:
    """Write data/*, reusing each file whose record is unchanged; return the ids whose original
    text was published. ``sources`` maps an id to the input file it was parsed from (the same
    bytes as its record's ``source.sha256``)."""
    replies = model.replies
    listing = digest("replies.json", keys.archive)
    whole = output.reuse(LISTING, listing)
    fragments = {} if whole else _prior_fragments(output, keys)
    published: set[str] = set()
    letters = []
    for reply in replies:
        fragment = not whole and reply.id not in fragments
        letter = _plan(output, reply, keys, sources.get(reply.id), fragment)
        if letter.txt is None and reply.id in sources:
            published.add(reply.id)  # linked from the previous site
        if letter.yaml or letter.json or letter.txt or letter.fragment:
            letters.append(letter)

    def work(start: int, stop: int) -> list[tuple[bool, bytes | None]]:
        return [_make_letter(output, letter) for letter in letters[start:stop]]

    made = run_chunks(len(letters), work, _counter(len(letters), progress))
    for letter, (text_written, piece) in zip(letters, (m for c in made for m in c), strict=True):
        reply_id, key = letter.reply.id, keys.records[letter.reply.id]
        if letter.yaml:
            output.remember({f"data/{reply_id}.yaml": digest("yaml", key)})
        if letter.json:
            output.remember({f"data/{reply_id}.json": digest("json", key)})
        if text_written:
            published.add(reply_id)
            suffix = original_suffix(letter.reply)
            output.remember({f"data/{reply_id}.{suffix}": digest(f"{suffix}", key)})
        if piece is not None:
            fragments[reply_id] = piece
    if whole:
        prior = output.prior_state(DATA_STATE, DataState.from_json)
        if prior is not None:
            output.state[DATA_STATE] = prior
    else:
        _write_listing(output, replies, fragments, listing)
    table = digest("replies.csv", keys.archive)
    if not output.reuse("data/replies.csv", table):
        output.write_text("data/replies.csv", to_csv(replies, config, model.adoption_of), table)
    return published


def _plan(output: SiteOutput, reply: Reply, keys: SiteKeys, source: Path | None,
          fragment: bool) -> _Letter:
    """Link what the previous site holds of this letter's files; say what is left to make."""
    key, base = keys.records[reply.id], f"data/{reply.id}"
    yaml_new = not output.reuse(f"{base}.yaml", digest("yaml", key))
    json_new = not output.reuse(f"{base}.json", digest("json", key))
    txt, suffix = None, original_suffix(reply)
    if (source is not None and suffix is not None
            and not output.reuse(f"{base}.{suffix}", digest(suffix, key))):
        txt = source
    return _Letter(reply, yaml_new, json_new, txt, fragment)


def _make_letter(output: SiteOutput, letter: _Letter) -> tuple[bool, bytes | None]:
    """Write a letter's files (in a worker, or here); (text published, compact JSON or None)."""
    reply, base = letter.reply, f"data/{letter.reply.id}"
    record = reply.to_dict() if letter.yaml or letter.json or letter.fragment else None
    if letter.yaml:
        output.write_text(f"{base}.yaml", to_yaml(reply, record))
    if letter.json:
        output.write_text(f"{base}.json", to_json(record))
    published = False
    suffix = original_suffix(reply)
    if letter.txt is not None and suffix == "txt":
        text = original_text(reply, letter.txt)
        if text is not None:
            output.write_text(f"{base}.txt", text)
            published = True
    elif letter.txt is not None:
        data = original_bytes(reply, letter.txt)
        if data is not None:
            output.write_bytes(f"{base}.{suffix}", data)
            published = True
    fragment = None
    if letter.fragment:
        fragment = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return published, fragment


def _prior_fragments(output: SiteOutput, keys: SiteKeys) -> dict[str, bytes]:
    """Each unchanged record's compact JSON, cut from the previous data/replies.json at the
    offsets its build saved (so a rebuild does not serialise 10,000 records again)."""
    state = output.prior_state(DATA_STATE, DataState.from_json)
    source = output.prior_file(LISTING)
    if output.prior is None or source is None or state is None:
        return {}
    old = source.read_bytes()
    fragments = {}
    for reply_id, key in keys.records.items():
        span = state.spans.get(reply_id)
        if span is None or output.prior.keys.get(f"data/{reply_id}.json") != digest("json", key):
            continue
        piece = old[span[0]:span[1]]
        if piece.startswith(b"{") and piece.endswith(b"}"):
            fragments[reply_id] = piece
    return fragments


def _write_listing(output: SiteOutput, replies: Sequence[Reply], fragments: dict[str, bytes],
                   key: str) -> None:
    """data/replies.json, byte for byte ``to_json([records], compact=True)``; the offsets of
    each record are kept in the state for the next build."""
    parts = [b"["]
    spans: dict[str, tuple[int, int]] = {}
    offset = 1
    for i, reply in enumerate(replies):
        if i:
            parts.append(b",")
            offset += 1
        piece = fragments[reply.id]
        parts.append(piece)
        spans[reply.id] = (offset, offset + len(piece))
        offset += len(piece)
    parts.append(b"]\n")
    output.write_bytes(LISTING, b"".join(parts), key)
    output.state[DATA_STATE] = DataState(spans)


def _counter(total: int, progress: Callable[[int, int], None] | None) -> Callable[[int], None]:
    count = 0

    def done(items: int) -> None:
        nonlocal count
        count += items
        if progress:
            progress(count, total)
    return done
