"""The index stage: replies → the files under ``<site>/search/`` that the search page reads.

``write_index(replies, output)`` writes, through ``output`` (a ``site.output.SiteOutput``):

- ``search/catalog.js``: letters (for filters), the shard plan, document counts, labels —
  always loaded, always rewritten;
- ``search/shards/<key>.js``: term shards, each ``{"text": lunr index of parts, "meta": lunr
  index of letters' metadata}``, loaded per query term (see shards.py);
- ``search/parts/<id>.js``: one per letter (its summary and every part), loaded for the results
  shown and for phrase checks;
- ``search/t2s.js``: the traditional→simplified table (generated from OpenCC's data);
- ``search/lunr.min.js``: lunr.js, from the installed package (the wheel's build put it there)
  or, in a checkout, from node_modules (never committed).

Every data file is a script ``RASearchLoad(key, data);`` so that the page can load it with a
``<script>`` tag, which also works when the site is opened from disk (file://).

Incremental: the stage saves its plan and totals in ``output.state["index"]`` (an
``IndexState``); when the previous build's state shows the same letters in the same order, the
letters whose ``record_key`` changed are patched into the previous shard files (incremental.py)
and every other file is linked. Any change of plan or averages falls back to the full build
(build.py), whose output is the same.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from replyarchive.config import THEME_PACKAGE
from replyarchive.errors import BuildError
from replyarchive.incremental.output import SiteOutput, record_key
from replyarchive.incremental.parallel import worker_pool
from replyarchive.incremental.state import IndexState
from replyarchive.index.build import Totals, build_shards
from replyarchive.index.documents import letter_parts
from replyarchive.index.incremental import LetterDocs, Patch, patch_files, prepare
from replyarchive.index.payloads import (
    FORMAT_VERSION,
    LetterText,
    catalog,
    letter_file,
    letter_payload,
    read_script,
    script,
)
from replyarchive.index.shards import ShardPlan, hot_key, shard_count, shard_script
from replyarchive.index.t2s import t2s_table, table_script
from replyarchive.records.model import Reply

LUNR_FILE = Path("node_modules") / "lunr" / "lunr.min.js"
PACKAGED_LUNR = Path(__file__).resolve().parents[1] / THEME_PACKAGE / "lunr" / "lunr.min.js"
"""Where the wheel's build step (setup.py) puts lunr.js in the installed package."""
STATE = "index"
PARALLEL_FILES = 64
"""A patch of more files than this is shared between processes."""
PATCH_LIMIT = 20
"""More changed letters than this are built in full: each letter patched costs a fixed share
of a full build, so beyond this the full build is cheaper (docs/BENCHMARKS.md)."""
"""A patch of more files than this is shared between processes."""


def find_lunr(start: Path | None = None) -> Path:
    """lunr.js in the installed package, else node_modules/lunr/lunr.min.js in the current
    folder or a parent, or in the checkout this module runs from or a parent (as Node looks)."""
    if PACKAGED_LUNR.is_file():
        return PACKAGED_LUNR
    here = (start or Path.cwd()).resolve()
    project = Path(__file__).resolve().parents[3]
    for folder in dict.fromkeys((here, *here.parents, project, *project.parents)):
        candidate = folder / LUNR_FILE
        if candidate.is_file():
            return candidate
    raise BuildError(
        "lunr.js not found in node_modules: run `npm ci` in the project folder "
        "(it installs lunr 2.3.9 from package-lock.json)",
        here / LUNR_FILE,
    )


def _labels() -> dict[str, Mapping[str, str]]:
    from replyarchive.records import labels

    return {"adoption": labels.ADOPTION_LABELS, "kind": labels.KIND_LABELS}


def write_index(replies: Sequence[Reply], output: SiteOutput, workers: int | None = None) -> None:
    """Write the search index and its data files under ``output.root/search/``; with a usable
    previous build, patch only what the changed letters touch."""
    lunr_js = find_lunr()
    ordered = sorted(replies, key=lambda r: r.id)
    ids = [reply.id for reply in ordered]
    keys = [record_key(reply) for reply in ordered]
    (output.root / "search" / "shards").mkdir(parents=True, exist_ok=True)
    cores = workers or os.cpu_count() or 1
    state = _incremental(ordered, ids, keys, output, cores)
    if state is None:
        state = _full(ordered, ids, keys, output, cores)
    plan = ShardPlan(state.shards, frozenset(state.hot))
    documents = {"text": state.documents[0], "meta": state.documents[1]}
    output.write_text("search/catalog.js",
                      script("catalog", catalog(ordered, plan, documents, _labels())))
    if not output.link("search/t2s.js"):
        output.write_text("search/t2s.js", table_script(t2s_table()))
    output.copy("search/lunr.min.js", lunr_js)
    output.state[STATE] = state


def _write_letter(output: SiteOutput, reply: Reply, key: str) -> None:
    rel = f"search/{letter_file(reply.id)}"
    if not output.reuse(rel, key):
        text = script(f"letter:{reply.id}", letter_payload(reply, letter_parts(reply)))
        output.write_text(rel, text, key)


def _state(ids: list[str], keys: list[str], plan: ShardPlan, totals: Totals,
           rare: int) -> IndexState:
    return IndexState(FORMAT_VERSION, tuple(ids), tuple(keys), plan.shard_count,
                      tuple(sorted(plan.hot)), rare, totals.documents, totals.sums)


def _full(ordered: Sequence[Reply], ids: list[str], keys: list[str], output: SiteOutput,
          workers: int) -> IndexState:
    folder = output.root / "search" / "shards"

    def letters(position: int) -> LetterText:
        return LetterText.of_reply(ordered[position])

    def write_letters() -> None:
        for reply, key in zip(ordered, keys, strict=True):
            _write_letter(output, reply, key)

    part_ids = [[part.part_id for part in letter_parts(reply)] for reply in ordered]
    built = build_shards(letters, part_ids, folder, workers, write_letters)
    output.mark(f"search/shards/{key}.js" for key in built.written)
    for key in range(built.plan.shard_count):
        if str(key) not in built.written:
            output.write_text(f"search/shards/{key}.js", shard_script(str(key), None, None))
    return _state(ids, keys, built.plan, built.totals, built.rare)




def _incremental(ordered: Sequence[Reply], ids: list[str], keys: list[str],
                 output: SiteOutput, workers: int) -> IndexState | None:
    """Patch the previous build's index for the changed letters; None if it cannot be."""
    prior = output.prior_state(STATE, IndexState.from_json)
    if prior is None or prior.format != FORMAT_VERSION or prior.ids != tuple(ids):
        return None
    changed = [i for i, (old, new) in enumerate(zip(prior.keys, keys, strict=True))
               if old != new]
    if len(changed) > PATCH_LIMIT:
        return None
    old_docs, new_docs = [], []
    for position in changed:
        path = output.prior_file(f"search/{letter_file(ids[position])}")
        if path is None:
            return None
        old_docs.append(LetterDocs.of(LetterText.of_payload(read_script(path)), position))
        new_docs.append(LetterDocs.of(LetterText.of_reply(ordered[position]), position))
    plan = ShardPlan(prior.shards, frozenset(prior.hot))
    work = prepare(plan, Totals(prior.documents, prior.sums), old_docs, new_docs)
    if work is None:
        return None

    def meanwhile() -> None:
        _link_unchanged(output, plan, work.files)
        for reply, key in zip(ordered, keys, strict=True):
            _write_letter(output, reply, key)

    delta = _patch_everywhere(work, output, workers, meanwhile)
    if delta is None or shard_count(prior.rare + delta) != plan.shard_count:
        folder = output.root / "search" / "shards"
        shutil.rmtree(folder)
        folder.mkdir()
        return None
    output.mark(f"search/shards/{key}.js" for key in work.files)  # written by the workers
    return _state(ids, keys, plan, work.totals, prior.rare + delta)


_PATCH: tuple[Patch, SiteOutput] | None = None
"""The patch being written, inherited by forked workers."""


def _patch_some(keys: list[str]) -> int | None:
    assert _PATCH is not None, "worker started without a patch"
    work, output = _PATCH

    def read(key: str) -> bytes | None:
        path = output.prior_file(f"search/shards/{key}.js")
        return None if path is None else path.read_bytes()

    def write(key: str, data: bytes) -> None:
        output.write_bytes(f"search/shards/{key}.js", data)

    return patch_files(work, keys, read, write)


def _patch_everywhere(work: Patch, output: SiteOutput, workers: int,
                      meanwhile: Callable[[], None]) -> int | None:
    """Patch the files on up to ``workers`` processes while ``meanwhile`` runs here; the change
    in rare postings, or None if any part found the plan would move."""
    global _PATCH
    keys = sorted(work.files)
    shares = [keys[i::workers] for i in range(workers)] if len(keys) > PARALLEL_FILES else [keys]
    _PATCH = (work, output)
    try:
        with worker_pool(len(shares)) as pool:
            if pool is None:
                meanwhile()
                deltas = [_patch_some(share) for share in shares]
            else:
                futures = [pool.submit(_patch_some, share) for share in shares]
                meanwhile()
                deltas = [future.result() for future in futures]
    finally:
        _PATCH = None
    return None if any(d is None for d in deltas) else sum(d for d in deltas if d is not None)


def _link_unchanged(output: SiteOutput, plan: ShardPlan, patched: Mapping[str, object]) -> None:
    """Link every shard file the patch leaves alone (a missing one is made by the patch's
    fallback, the full build)."""
    every = [str(k) for k in range(plan.shard_count)] + sorted({hot_key(t) for t in plan.hot})
    for key in every:
        if key not in patched:
            output.link(f"search/shards/{key}.js")
