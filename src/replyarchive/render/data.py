"""Open data: the records per year as JSON Lines and CSV, each letter's YAML and original in
its year's ZIP (bundles.py), the whole archive's CSV and, while it fits a host, its JSON.

data/replies-<year>.jsonl holds one record a line (compact JSON, SCHEMA.md's keys in order),
newest first, cut into replies-<year>-2.jsonl, … past ``MAX_FILE``; ``cat data/replies-*.jsonl``
is every record. The CSVs (tables.py) have ``CSV_COLUMNS``. Text files are UTF-8 with LF line
ends, so two builds are byte-identical. The CSVs start with a BOM: Excel, which most readers
of these tables open them with, reads a CSV without one in the system's code page (GBK on a
Chinese Windows) and garbles the Chinese; Python's ``utf-8-sig``, pandas and LibreOffice read
either.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from replyarchive.config import Config
from replyarchive.incremental.keys import SiteKeys, digest
from replyarchive.incremental.lines import lined, prior_lines
from replyarchive.incremental.output import SiteOutput
from replyarchive.incremental.parallel import run_chunks
from replyarchive.incremental.state import BundledLetter, BundleState, LinedFile, LinesState
from replyarchive.records.model import Reply
from replyarchive.render.bundles import (
    MAX_FILE,
    Bundles,
    Member,
    PriorMembers,
    bundle_path,
    letter_members,
    members_of,
    placed,
    reused_parts,
    split,
    write_year,
    year_key,
)
from replyarchive.render.model import Group, SiteModel
from replyarchive.render.originals import original_bytes, original_suffix
from replyarchive.render.serialize import to_json, to_yaml
from replyarchive.render.tables import TABLES, YearTable, write_archive_csv, year_csv

BUNDLES = "bundles"
"""The stage name of ``BundleState`` in the site's state."""
RECORDS = "records"
"""The stage name of the JSON Lines parts' ``LinesState`` in the site's state."""
LISTING = "data/replies.json"
"""Every record in one JSON array: in the site while it fits a host's file size limit."""


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


@dataclass(frozen=True, slots=True)
class YearFiles:
    """One year's data files."""

    name: str
    """The year as shown, e.g. 2025 or 未注明日期."""
    slug: str
    """Its name in file names, e.g. 2025 or undated."""
    count: int
    """Letters of that year."""
    bundles: tuple[str, ...]
    """Its ZIPs of YAML records and originals (bundles.py), in order."""
    records: tuple[str, ...] = ()
    """Its JSON Lines files: data/replies-2025.jsonl, then -2, … past ``MAX_FILE``."""

    @property
    def csv(self) -> str:
        return f"data/replies-{self.slug}.csv"


@dataclass(frozen=True, slots=True)
class DataFiles:
    """What data/ holds, for the pages that link it."""

    years: tuple[YearFiles, ...]
    """Each year's files, newest first (the undated last)."""
    bundles: Bundles
    """Where each letter's YAML and original are."""
    records: Mapping[str, str]
    """Letter id → the JSON Lines file holding its record."""
    listing: bool
    """Whether data/replies.json (every record in one file) is in the site."""
    listing_size: int
    """Bytes of data/replies.json, in the site or not."""
    loose: Mapping[str, str] = field(default_factory=dict)
    """Letter id → its PDF/DOCX original's own file beside its page (originals.py)."""
    notes: tuple[str, ...] = ()
    """Originals kept in the ZIP only (past a host's limits), for whoever builds."""

    @property
    def originals(self) -> frozenset[str]:
        """The letters whose original is published (in their year's ZIP)."""
        return self.bundles.originals

    def year_of(self, reply_id: str) -> YearFiles:
        path = self.bundles.paths[reply_id]
        return next(y for y in self.years if path in y.bundles)


def records_path(slug: str, part: int) -> str:
    """data/replies-2025.jsonl, then data/replies-2025-2.jsonl, … for a year's parts."""
    return f"data/replies-{slug}.jsonl" if part == 1 else f"data/replies-{slug}-{part}.jsonl"


def write_data(output: SiteOutput, model: SiteModel, config: Config,
               sources: Mapping[str, Path], keys: SiteKeys,
               progress: Callable[[int, int], None] | None = None) -> DataFiles:
    """Write data/: per year the records as JSON Lines and CSV and the ZIP(s) of YAML records
    and originals, the whole archive's CSV and, when it fits ``MAX_FILE``, data/replies.json;
    each file whose inputs are unchanged is linked from the previous site. ``sources`` maps an
    id to the input file it was parsed from (the same bytes as its record's ``source.sha256``).

    The letters' own bytes (JSON line, deflated YAML and original) are made first, on every
    core when there are many (``_letter_files``); each year's files are then put together
    here. A year's ZIP made again takes its unchanged letters' members from the previous one
    (bundles.py)."""
    limit = MAX_FILE
    done = _counter(len(model.replies), progress)
    plans = [_plan(output, group, sources, keys, limit)
             for group in model.dimension("years").groups]
    done(sum(len(plan.group.replies) for plan in plans if not plan.todo))
    prior = PriorMembers(output, output.prior_state(BUNDLES, BundleState.from_json))
    stored = {reply.id: members for plan in plans if plan.zips is None
              for reply in plan.group.replies
              if (members := prior.members(reply.id, keys.record(reply), reply.id in sources))
              is not None}
    lines = output.prior_state(RECORDS, LinesState.from_json)
    kept = {key: line for plan in plans if plan.lines is None
            for key, line in prior_lines(output, lines, _parts(lines, plan.group.slug)).items()}
    made = _letter_files([plan for plan in plans if plan.todo], stored, kept, keys, sources,
                         done)
    bundled: dict[str, BundledLetter] = {}
    years, paths, originals, records = [], {}, set(), {}
    texts: list[tuple[str, bytes | None]] = []
    tables: list[YearTable] = []
    written: dict[str, LinedFile] = {}
    table_state = output.prior_state(TABLES, LinesState.from_json)
    for plan in plans:
        group = plan.group
        parts = _write_records(output, plan, kept, made, keys, limit, lines, written)
        tables.append(_write_csv(output, plan, config, model, keys, table_state))
        at = 0  # a part holds the next of the year's records, one a line, in order
        for path, text in parts:
            texts.append((path, text))
            count = len(group.replies) if text is None else text.count(b"\n")
            records.update(dict.fromkeys((r.id for r in group.replies[at:at + count]), path))
            at += count
        zips, held = _write_bundles(output, plan, made, sources, prior, stored, keys,
                                    bundled, limit)
        for reply in group.replies:
            paths[reply.id] = next(z for z in zips if reply.id in held[z])
            if held[paths[reply.id]][reply.id]:
                originals.add(reply.id)
        years.append(YearFiles(group.name, group.slug, len(group.replies), zips,
                               tuple(path for path, _ in parts)))
    output.state[BUNDLES] = BundleState(bundled)
    output.state[RECORDS] = LinesState(written)
    bundles = Bundles(paths, frozenset(originals), {y.slug: y.bundles for y in years})
    listing_size = sum(len(text) if text is not None else output.target(path).stat().st_size
                       for path, text in texts) + 2 if model.replies else 3
    listing = listing_size <= limit
    key = digest("replies.json", keys.archive)
    if listing and not output.reuse(LISTING, key):  # the lines of every part, joined by ","
        body = b",".join((output.target(path).read_bytes() if text is None else text)[:-1]
                         .replace(b"\n", b",") for path, text in texts)
        output.write_bytes(LISTING, b"[" + body + b"]\n", key)
    write_archive_csv(output, model, config, keys, tables, table_state)
    return DataFiles(tuple(years), bundles, records, listing, listing_size)


def _parts(state: LinesState | None, slug: str) -> list[str]:
    """The JSON Lines parts of a year the last build recorded."""
    paths: list[str] = []
    while state is not None and (path := records_path(slug, len(paths) + 1)) in state.files:
        paths.append(path)
    return paths


@dataclass(frozen=True, slots=True)
class _YearPlan:
    """One year's data files: their keys, and the parts linked from the previous site."""

    group: Group
    records_key: str
    bundles_key: str
    lines: tuple[str, ...] | None
    """Its JSON Lines parts, linked; None: to be made."""
    zips: tuple[str, ...] | None
    """Its ZIPs, linked; None: to be made."""

    @property
    def todo(self) -> bool:
        return self.lines is None or self.zips is None


def _plan(output: SiteOutput, group: Group, sources: Mapping[str, Path], keys: SiteKeys,
          limit: int) -> _YearPlan:
    """Link a year's JSON Lines parts and ZIPs when their keys are unchanged."""
    records_key = digest("records", group.slug, keys.letters(group.replies), limit)
    bundles_key = year_key(group, keys, sources, limit)
    lines = reused_parts(output, lambda n: records_path(group.slug, n), records_key)
    zips = reused_parts(output, lambda n: bundle_path(group.slug, n), bundles_key)
    return _YearPlan(group, records_key, bundles_key, lines, zips)


Made = Mapping[str, tuple[bytes, Sequence[Member]]]
"""Letter id → its JSON Lines line and its ZIP members, each empty when not needed: its
year's file holding it is linked, or its line or members are the previous build's. A letter
that needs neither is left out."""


def _letter_files(plans: Sequence[_YearPlan], stored: Mapping[str, Sequence[Member]],
                  kept: Mapping[str, bytes], keys: SiteKeys, sources: Mapping[str, Path],
                  done: Callable[[int], None]) -> Made:
    """Each letter's JSON line and ZIP members (its YAML and original, deflated) that its
    year's files need (no line for a letter whose line is ``kept`` by record key, no members
    for one whose members are ``stored``), on every core when there are many letters
    (parallel.run_chunks: workers see the records without pickling them, and send back
    deflated bytes)."""
    todo = [(reply, lines, zips) for plan in plans for reply in plan.group.replies
            if (lines := plan.lines is None and keys.record(reply) not in kept)
            | (zips := plan.zips is None and reply.id not in stored)]
    done(sum(len(plan.group.replies) for plan in plans) - len(todo))

    def work(start: int, stop: int) -> list[tuple[bytes, list[Member]]]:
        return [_letter(reply, sources.get(reply.id), lines, zips)
                for reply, lines, zips in todo[start:stop]]

    chunks = run_chunks(len(todo), work, done)
    return {reply.id: files for (reply, _, _), files in
            zip(todo, (files for chunk in chunks for files in chunk), strict=True)}


def _letter(reply: Reply, source: Path | None, lines: bool, zips: bool
            ) -> tuple[bytes, list[Member]]:
    """A letter's JSON line (when ``lines``) and its members (when ``zips``: its YAML, from
    the same ``to_dict``, and its original read from ``source``)."""
    record = reply.to_dict()
    line = to_json(record, compact=True).encode("utf-8") if lines else b""
    if not zips:
        return line, []
    return line, letter_members(reply, to_yaml(reply, record), _original(reply, source))


def _write_records(output: SiteOutput, plan: _YearPlan, kept: Mapping[str, bytes],
                   made: Made, keys: SiteKeys, limit: int, prior: LinesState | None,
                   written: dict[str, LinedFile]) -> list[tuple[str, bytes | None]]:
    """A year's JSON Lines, cut into parts within ``limit`` (linked when unchanged, else each
    letter's line ``kept`` from the previous site or ``made``); (path, bytes) of each part,
    the bytes None for a year's only part when linked (it holds every letter of the year:
    what it says is read only if it is needed). What each part holds goes into ``written``."""
    group, key = plan.group, plan.records_key
    parts: list[tuple[str, bytes | None]]
    if plan.lines is not None:
        parts = [(path, None if len(plan.lines) == 1 else output.target(path).read_bytes())
                 for path in plan.lines]
        if prior is not None:  # the same files: their lines are what they were
            written.update((path, prior.files[path]) for path in plan.lines
                           if path in prior.files)
        return parts
    records = keys.letters(group.replies)
    lines = [kept[record] if record in kept else made[reply.id][0]
             for reply, record in zip(group.replies, records, strict=True)]
    parts = []
    for n, (start, stop) in enumerate(split([len(b) for b in lines], limit), 1):
        path, text = records_path(group.slug, n), b"".join(lines[start:stop])
        output.write_bytes(path, text, digest(key, n))
        written[path] = lined(text, records[start:stop])
        parts.append((path, text))
    return parts


def _write_csv(output: SiteOutput, plan: _YearPlan, config: Config, model: SiteModel,
               keys: SiteKeys, prior: LinesState | None) -> YearTable:
    """A year's CSV, linked when unchanged, else made again (``year_csv``)."""
    group = plan.group
    path, key = YearFiles(group.name, group.slug, 0, ()).csv, digest("csv", plan.records_key)
    if output.reuse(path, key):
        return group, path, None
    table = year_csv(output, group, path, config, model, keys, prior)
    output.write_bytes(path, table, key)
    return group, path, table


Held = dict[str, dict[str, bool]]
"""ZIP path → the letters it holds → whether it holds that letter's original."""


def _write_bundles(output: SiteOutput, plan: _YearPlan, made: Made,
                   sources: Mapping[str, Path], prior: PriorMembers,
                   stored: Mapping[str, Sequence[Member]], keys: SiteKeys,
                   bundled: dict[str, BundledLetter], limit: int
                   ) -> tuple[tuple[str, ...], Held]:
    """A year's ZIPs (linked when unchanged; else from the ``stored`` members of unchanged
    letters and the others' made ones): their paths, and for each the ids it holds and whether
    it holds that letter's original. Where each letter's members are goes into ``bundled``."""
    zips = plan.zips
    if zips is not None:
        for reply in plan.group.replies:  # the same ZIPs: the members are where they were
            entry = None if prior.state is None else prior.state.letters.get(reply.id)
            if entry is not None and entry.key == keys.record(reply) and entry.path in zips:
                bundled[reply.id] = entry
        if all(reply.id in bundled for reply in plan.group.replies):
            return zips, _held(plan.group.replies, bundled)  # what the ZIPs hold is known
    else:
        letters = [stored.get(reply.id) or made[reply.id][1] for reply in plan.group.replies]
        zips, where = write_year(output, plan.group, plan.bundles_key, letters, limit)
        for reply, members, (path, offsets) in zip(plan.group.replies, letters, where,
                                                   strict=True):
            if offsets:
                bundled[reply.id] = BundledLetter(keys.record(reply), reply.id in sources, path,
                                                  placed(members, offsets))
    held: Held = {}
    for path, names in members_of(output, zips).items():
        with_original = {n.rpartition(".")[0] for n in names if not n.endswith(".yaml")}
        held[path] = {n[:-5]: n[:-5] in with_original for n in names if n.endswith(".yaml")}
    return zips, held


def _held(replies: Sequence[Reply], bundled: Mapping[str, BundledLetter]) -> Held:
    """What linked ZIPs hold, from where the state says each letter's members are (the
    members the build that wrote them put there): its YAML, and its original or not."""
    held: Held = {}
    for reply in replies:
        entry = bundled[reply.id]
        held.setdefault(entry.path, {})[reply.id] = any(
            not name.endswith(".yaml") for name, *_ in entry.members)
    return held


def _original(reply: Reply, path: Path | None) -> tuple[str, bytes] | None:
    """The letter's original as published (suffix, bytes), when its file still holds the
    bytes parsed: plain text decoded and written as UTF-8 with LF line ends."""
    suffix = original_suffix(reply)
    if path is None or suffix is None:
        return None
    if suffix == "txt":
        text = original_text(reply, path)
        return None if text is None else (suffix, text.encode("utf-8"))
    data = original_bytes(reply, path)
    return None if data is None else (suffix, data)


def _counter(total: int, progress: Callable[[int, int], None] | None) -> Callable[[int], None]:
    count = 0

    def done(items: int) -> None:
        nonlocal count
        count += items
        if progress:
            progress(count, total)
    return done
