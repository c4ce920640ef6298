"""The index stage: replies → the files under ``<site>/search/`` that the search page reads.

``write_index(replies, out_dir)`` writes:

- ``search/catalog.js``: letters (for filters), the shard plan, labels — always loaded;
- ``search/shards/<key>.js``: term shards, each ``{"text": lunr index of parts,
  "meta": lunr index of letters' metadata}``, loaded per query term (see shards.py);
- ``search/parts/<id>/<part>.js`` (and ``…/<id>/letter.js``): one per result, loaded for the
  results shown and for phrase checks;
- ``search/t2s.js``: the traditional→simplified table (generated from OpenCC's data);
- ``search/lunr.min.js``: lunr.js, copied from node_modules (never committed).

Every data file is a script ``RASearchLoad(key, data);`` so that the page can load it with a
``<script>`` tag, which also works when the site is opened from disk (file://), where fetch()
is blocked.
"""

from __future__ import annotations

import contextlib
import gc
import json
import multiprocessing
import os
import shutil
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from replyarchive.errors import BuildError
from replyarchive.model import Reply
from replyarchive.search.documents import (
    META_FIELDS,
    TEXT_FIELDS,
    Part,
    index_ref,
    letter_fields,
    letter_parts,
)
from replyarchive.search.payloads import LETTER_FILE, catalog, letter_summary, result_payload
from replyarchive.search.shards import (
    CountedDoc,
    Serialized,
    ShardPlan,
    Totals,
    archive_totals,
    build_group,
    count_postings,
    group_count,
    plan_shards,
    split_by_group,
    split_index,
)
from replyarchive.search.t2s import t2s_table, table_script
from replyarchive.search.tokenize import tokenize

LUNR_FILE = Path("node_modules") / "lunr" / "lunr.min.js"
LOADER = "RASearchLoad"


def find_lunr(start: Path | None = None) -> Path:
    """node_modules/lunr/lunr.min.js in the current folder, a parent, or the project folder."""
    here = (start or Path.cwd()).resolve()
    project = Path(__file__).resolve().parents[3]
    for folder in (here, *here.parents, project):
        candidate = folder / LUNR_FILE
        if candidate.is_file():
            return candidate
    raise BuildError(
        "lunr.js not found in node_modules: run `npm ci` in the project folder "
        "(it installs lunr 2.3.9 from package-lock.json)",
        here / LUNR_FILE,
    )


def text_documents(
    parts: Sequence[Part], positions: Mapping[str, int]
) -> Iterator[tuple[str, dict[str, list[str]]]]:
    """(short ref, tokens per field) for every part; ``positions``: letter id → catalog row."""
    for part in parts:
        ref = index_ref(positions[part.letter_id], part.part_id)
        yield ref, {"title": tokenize(part.title), "body": tokenize(part.body)}


def meta_documents(replies: Sequence[Reply]) -> Iterator[tuple[str, dict[str, list[str]]]]:
    """(short ref, tokens per field) for every letter's metadata, in catalog order."""
    for position, reply in enumerate(replies):
        fields = letter_fields(reply)
        yield index_ref(position), {name: tokenize(text) for name, text in fields.items()}


def script(key: str, data: Any) -> str:
    """A data file: ``RASearchLoad("key",{...});`` (compact JSON, UTF-8)."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"{LOADER}({json.dumps(key)},{payload});\n"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _labels() -> dict[str, Mapping[str, str]]:
    from replyarchive.site import labels

    return {"adoption": labels.ADOPTION_LABELS, "kind": labels.KIND_LABELS}


def counted(docs: Iterable[tuple[str, dict[str, list[str]]]]) -> list[CountedDoc]:
    """Documents as term frequencies and lengths per field (what the builder needs). Terms are
    interned: one string object per distinct term, not one per occurrence (memory at 10,000
    letters), which pickling back from a worker also keeps within a chunk."""
    return [(ref, {name: (Counter(map(sys.intern, tokens)), len(tokens))
                   for name, tokens in fields.items()})
            for ref, fields in docs]


COUNT_CHUNK = 2000
"""Documents tokenised per task when tokenising on several processes."""


def count_chunk(docs: Sequence[tuple[str, Mapping[str, str]]]) -> list[CountedDoc]:
    """Documents given as text per field, tokenised and counted."""
    return counted((ref, {name: tokenize(text) for name, text in fields.items()})
                   for ref, fields in docs)


def count_documents(docs: Sequence[tuple[str, Mapping[str, str]]],
                    workers: int) -> list[CountedDoc]:
    """``count_chunk`` of every document, in order, on up to ``workers`` processes."""
    if workers <= 1 or len(docs) <= COUNT_CHUNK or not _can_fork():
        return count_chunk(docs)
    chunks = [docs[i:i + COUNT_CHUNK] for i in range(0, len(docs), COUNT_CHUNK)]
    with _forked_pool(min(workers, len(chunks))) as pool:
        return [doc for chunk in pool.map(count_chunk, chunks) for doc in chunk]


@contextlib.contextmanager
def _forked_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of forked workers that share this process's memory. The garbage collector is
    frozen while they run: a collection in a worker would otherwise write to every object's
    header and so copy the whole parent heap into each worker (14 GB at 10,000 letters)."""
    gc.collect()
    gc.freeze()
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            yield pool
    finally:
        gc.unfreeze()


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def group_of_file(key: str, groups: int) -> int:
    """The build group of a shard file: ``12`` → 12 % groups, ``h7`` → 7 % groups."""
    return int(key.removeprefix("h")) % groups


def write_index(replies: Sequence[Reply], out_dir: Path, workers: int | None = None) -> None:
    """Write the search index and its data files under ``out_dir/search/``.

    The shards are built in groups (one lunr Builder per group, fed only the group's terms,
    with the archive-wide document count and field lengths, so every score is the one a
    single index would give). Groups are built on ``workers`` processes (default: every core),
    one group per process at a time, so memory stays bounded; each group writes its own shard
    files, which no other group touches, so the files are the same for any number of workers.
    """
    lunr_js = find_lunr()
    ordered = sorted(replies, key=lambda r: r.id)
    parts = {reply.id: letter_parts(reply) for reply in ordered}
    all_parts = [part for reply in ordered for part in parts[reply.id]]
    positions = {reply.id: position for position, reply in enumerate(ordered)}
    cores = workers or os.cpu_count() or 1
    texts = [(index_ref(positions[part.letter_id], part.part_id),
              {"title": part.title, "body": part.body}) for part in all_parts]
    metas = [(index_ref(position), letter_fields(reply)) for position, reply in enumerate(ordered)]
    every_doc = count_documents([*texts, *metas], cores)
    text_docs, meta_docs = every_doc[:len(texts)], every_doc[len(texts):]
    del every_doc, texts, metas
    postings = count_postings([text_docs, meta_docs])
    plan = plan_shards(postings, len(text_docs) + len(meta_docs))
    groups = group_count(postings)
    group_of = {term: group_of_file(plan.file_of(term), groups) for term in postings}
    folder = out_dir / "search"
    if folder.exists():
        shutil.rmtree(folder / "shards", ignore_errors=True)
        shutil.rmtree(folder / "parts", ignore_errors=True)
    job = GroupJob(folder / "shards", plan,
                   archive_totals(TEXT_FIELDS, text_docs), archive_totals(META_FIELDS, meta_docs),
                   split_by_group(text_docs, group_of, groups),
                   split_by_group(meta_docs, group_of, groups))
    del text_docs, meta_docs, group_of
    written = _build_groups(job, groups, cores,
                            lambda: _write_all_results(folder / "parts", ordered, parts))
    _write_empty_shards(folder / "shards", plan, written)
    _write(folder / "catalog.js", script("catalog", catalog(ordered, plan, _labels())))
    _write(folder / "t2s.js", table_script(t2s_table()))
    shutil.copyfile(lunr_js, folder / "lunr.min.js")


@dataclass(frozen=True, slots=True)
class GroupJob:
    """What every group's build reads (shared with worker processes by fork, not pickled)."""

    folder: Path
    plan: ShardPlan
    text_totals: Totals
    meta_totals: Totals
    text_groups: Sequence[Sequence[CountedDoc]]
    """Per group, the text documents with a term in it (``split_by_group``)."""
    meta_groups: Sequence[Sequence[CountedDoc]]


_JOB: GroupJob | None = None
"""The job of the current parallel build, inherited by the forked workers."""


def build_and_write_group(job: GroupJob, group: int) -> set[str]:
    """Build one group's text and meta indexes, write its shard files; their keys."""
    text = build_group(TEXT_FIELDS, job.text_groups[group], job.text_totals)
    meta = build_group(META_FIELDS, job.meta_groups[group], job.meta_totals)
    return _write_shards(job.folder, _split(text, meta, job.plan))


def _worker_group(group: int) -> set[str]:
    assert _JOB is not None, "worker started without a job"
    return build_and_write_group(_JOB, group)


def _build_groups(job: GroupJob, groups: int, workers: int,
                  meanwhile: Callable[[], None]) -> set[str]:
    """Every group built, on up to ``workers`` forked processes; ``meanwhile`` runs here
    while they work. Serial (in this process) for one group or one worker, or where fork is
    not available."""
    global _JOB
    workers = min(workers, groups)
    if workers <= 1 or not _can_fork():
        meanwhile()
        return set().union(*(build_and_write_group(job, g) for g in range(groups)))
    _JOB = job
    try:
        with _forked_pool(workers) as pool:
            futures = [pool.submit(_worker_group, group) for group in range(groups)]
            meanwhile()
            return set().union(*(future.result() for future in futures))
    finally:
        _JOB = None


def _write_all_results(folder: Path, ordered: Sequence[Reply],
                       parts: Mapping[str, Sequence[Part]]) -> None:
    for reply in ordered:
        _write_results(folder / reply.id, reply, parts[reply.id])


def _write_results(folder: Path, reply: Reply, parts: Sequence[Part]) -> None:
    summary = letter_summary(reply)
    _write(folder / f"{LETTER_FILE}.js", script(f"part:{reply.id}", result_payload(summary, None)))
    for part in parts:
        payload = result_payload(summary, part)
        _write(folder / f"{part.part_id}.js", script(f"part:{part.ref}", payload))


def _split(
    text: Serialized | None, meta: Serialized | None, plan: ShardPlan
) -> dict[str, dict[str, Serialized | None]]:
    files: dict[str, dict[str, Serialized | None]] = {}
    for name, index in (("text", text), ("meta", meta)):
        if index is None:
            continue
        for key, part in split_index(index, plan).items():
            files.setdefault(key, {"text": None, "meta": None})[name] = part
    return files


def _write_shards(folder: Path, files: Mapping[str, Mapping[str, Serialized | None]]) -> set[str]:
    for key in sorted(files):
        _write(folder / f"{key}.js", script(f"shard:{key}", dict(files[key])))
    return set(files)


def _write_empty_shards(folder: Path, plan: ShardPlan, written: set[str]) -> None:
    """Shards with no term are written too: a missing file would be a 404 in the console."""
    empty: dict[str, Serialized | None] = {"text": None, "meta": None}
    for key in sorted({str(i) for i in range(plan.shard_count)} - written):
        _write(folder / f"{key}.js", script(f"shard:{key}", empty))
