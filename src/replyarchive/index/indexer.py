"""The index stage: replies → the files under ``<site>/search/`` that the search page reads.

``write_index(replies, output)`` writes, through ``output`` (a ``site.output.SiteOutput``):

- ``search/catalog.js``: the shard plan, document counts, filter values, labels — always
  loaded, always rewritten; ``search/letters.js``: each letter's row (id, filter values, slot),
  loaded when a filter is set;
- ``search/shards/<key>.js``: term shards, each the packed postings of its terms for the parts'
  index and the facts' index, loaded per query term (see shards.py, packed.py);
- ``search/letters/<n>.js``: the letters' text in chunk files (payloads.py), loaded for
  phrase checks and, from disk, for the results shown;
- ``search/ids/<n>.js``: the letters' ids by slot (payloads.py): over http a result reads its
  letter's page, found through them;
- ``search/t2s.js``: the traditional→simplified table (generated from OpenCC's data);
- ``search/lunr.min.js``: lunr.js, from the installed package (the wheel's build put it there)
  or, in a checkout, from node_modules (never committed).

Every data file is a script ``RASearchLoad(key, data);`` so that the page can load it with a
``<script>`` tag, which also works when the site is opened from disk (file://).

Incremental: the stage saves its plan and totals in ``output.state["index"]`` (an
``IndexState``). Letters are named in the index by their slot (packed.letter_slots), which
other letters' coming and going does not move, so the letters added, removed or changed (or,
rarely, moved to another slot by a collision) are patched into the previous shard and chunk
files (incremental.py) and every other file is linked. Any change of plan, averages or chunk
count falls back to the full build (build.py), whose output is the same.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from replyarchive.config import THEME_PACKAGE
from replyarchive.errors import BuildError
from replyarchive.incremental.output import SiteOutput, record_key
from replyarchive.incremental.parallel import fork_map
from replyarchive.incremental.state import IndexState
from replyarchive.index.build import Totals, build_shards
from replyarchive.index.documents import letter_parts
from replyarchive.index.incremental import (
    LetterDocs,
    Patch,
    Patched,
    in_full,
    move_terms,
    patch_files,
    prepare,
)
from replyarchive.index.layout import STATE as LAYOUT_STATE
from replyarchive.index.layout import LayoutState
from replyarchive.index.packed import letter_slots, pack, pack_shard, slot_text
from replyarchive.index.payloads import (
    FORMAT_VERSION,
    LetterText,
    catalog,
    chunk_bytes,
    chunk_count,
    chunk_file,
    chunk_of,
    ids_count,
    ids_file,
    ids_text,
    letter_payload,
    letter_rows,
    read_chunk,
    script,
)
from replyarchive.index.shards import ShardPlan, hot_key, shard_count
from replyarchive.index.t2s import t2s_table, table_script
from replyarchive.records.model import Reply

LUNR_FILE = Path("node_modules") / "lunr" / "lunr.min.js"
PACKAGED_LUNR = Path(__file__).resolve().parents[1] / THEME_PACKAGE / "lunr" / "lunr.min.js"
"""Where the wheel's build step (setup.py) puts lunr.js in the installed package."""
STATE = "index"
PARALLEL_BYTES = 4_000_000
"""A patch that decodes more bytes of shard files than this (about 0.1 s of work, more than
forking and sending results back cost) is shared between processes."""
PATCH_LIMIT = 20
"""More changed letters than this are built in full: each letter patched costs a fixed share
of a full build, so beyond this the full build is cheaper (docs/BENCHMARKS.md)."""


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


@dataclass(frozen=True, slots=True)
class Letters:
    """The archive's letters in catalog (id) order, with their record keys and slots."""

    ordered: Sequence[Reply]
    ids: list[str]
    keys: list[str]
    slots: dict[str, str]
    """Letter id → its slot text."""
    chunks: int

    @classmethod
    def of(cls, replies: Sequence[Reply]) -> Letters:
        ordered = sorted(replies, key=lambda r: r.id)
        ids = [reply.id for reply in ordered]
        slots = {i: slot_text(s) for i, s in letter_slots(ids).items()}
        return cls(ordered, ids, [record_key(r) for r in ordered], slots, chunk_count(len(ids)))

    def chunk(self, letter_id: str) -> int:
        return chunk_of(int(self.slots[letter_id], 36), self.chunks)


def write_index(replies: Sequence[Reply], output: SiteOutput, workers: int | None = None) -> None:
    """Write the search index and its data files under ``output.root/search/``; with a usable
    previous build, patch only what the changed letters touch."""
    lunr_js = find_lunr()
    letters = Letters.of(replies)
    (output.root / "search" / "shards").mkdir(parents=True, exist_ok=True)
    cores = workers or os.cpu_count() or 1
    done = _incremental(letters, output, cores)
    state, layouts = done if done is not None else _full(letters, output, cores)
    plan = ShardPlan(state.shards, frozenset(state.hot))
    documents = {"text": state.documents[0], "meta": state.documents[1]}
    output.write_text("search/catalog.js", script("catalog", catalog(
        letters.ordered, plan, documents, _labels(), letters.chunks, ids_count(len(letters.ids)))))
    _write_ids(output, letters)
    output.write_text("search/letters.js",
                      script("letters", letter_rows(letters.ordered, letters.slots)))
    if not output.link("search/t2s.js"):
        output.write_text("search/t2s.js", table_script(t2s_table()))
    output.copy("search/lunr.min.js", lunr_js)
    output.state[STATE] = state
    every = {str(k) for k in range(plan.shard_count)} | {hot_key(t) for t in plan.hot}
    output.state[LAYOUT_STATE] = LayoutState({k: v for k, v in layouts.items() if k in every})


def _write_chunks(output: SiteOutput, letters: Letters) -> None:
    """Every chunk file, each linked from the previous build when its letters are unchanged
    (keyed by their slots and record keys)."""
    members: dict[int, list[int]] = {}
    for position, letter_id in enumerate(letters.ids):
        members.setdefault(letters.chunk(letter_id), []).append(position)
    for chunk in range(letters.chunks):
        inside = members.get(chunk, [])
        digest = hashlib.sha256()
        for position in inside:
            digest.update(f"{letters.slots[letters.ids[position]]} {letters.keys[position]}\n"
                          .encode())
        rel, key = f"search/{chunk_file(chunk)}", digest.hexdigest()
        if not output.reuse(rel, key):
            payloads = [(letters.slots[letters.ids[p]],
                         letter_payload(letters.ordered[p], letter_parts(letters.ordered[p])))
                        for p in inside]
            output.write_bytes(rel, chunk_bytes(chunk, payloads), key)


def _write_ids(output: SiteOutput, letters: Letters) -> None:
    """Every id file, linked from the previous build when its text is the same."""
    count = ids_count(len(letters.ids))
    members: dict[int, list[tuple[str, str]]] = {}
    for letter_id, slot in letters.slots.items():
        members.setdefault(chunk_of(int(slot, 36), count), []).append((slot, letter_id))
    for number in range(count):
        text = ids_text(members.get(number, []))
        rel, key = f"search/{ids_file(number)}", hashlib.sha256(text.encode()).hexdigest()
        if not output.reuse(rel, key):
            output.write_bytes(rel, pack(f"ids:{number}", text), key)


def _state(letters: Letters, plan: ShardPlan, totals: Totals, rare: int) -> IndexState:
    return IndexState(FORMAT_VERSION, tuple(letters.ids), tuple(letters.keys), plan.shard_count,
                      tuple(sorted(plan.hot)), rare, totals.documents, totals.sums)


def _full(letters: Letters, output: SiteOutput, workers: int
          ) -> tuple[IndexState, dict[str, str]]:
    folder = output.root / "search" / "shards"
    ordered = letters.ordered

    def text_of(position: int) -> LetterText:
        return LetterText.of_reply(ordered[position])

    part_ids = [[part.part_id for part in letter_parts(reply)] for reply in ordered]
    slots = [letters.slots[i] for i in letters.ids]
    built = build_shards(text_of, part_ids, slots, folder, workers,
                         lambda: _write_chunks(output, letters))
    output.mark(f"search/shards/{key}.js" for key in built.written)
    layouts = dict(built.written)
    for key in range(built.plan.shard_count):
        if str(key) not in built.written:
            output.write_bytes(f"search/shards/{key}.js", pack_shard(f"shard:{key}", ""))
            layouts[str(key)] = ""
    return _state(letters, built.plan, built.totals, built.rare), layouts


def _old_letters(prior: IndexState, output: SiteOutput, wanted: Mapping[str, str]
                 ) -> dict[str, LetterText] | None:
    """The previous text of the letters ``wanted`` (id → previous slot), from the previous
    build's chunk files; None when one is missing."""
    chunks = chunk_count(len(prior.ids))
    by_chunk: dict[int, list[str]] = {}
    for letter_id, slot in wanted.items():
        by_chunk.setdefault(chunk_of(int(slot, 36), chunks), []).append(letter_id)
    out: dict[str, LetterText] = {}
    for chunk, inside in by_chunk.items():
        path = output.prior_file(f"search/{chunk_file(chunk)}")
        if path is None:
            return None
        data = read_chunk(path.read_bytes())
        for letter_id in inside:
            payload = data.get(wanted[letter_id])
            if payload is None:
                return None
            out[letter_id] = LetterText.of_payload(payload)
    return out


def _incremental(letters: Letters, output: SiteOutput, workers: int
                 ) -> tuple[IndexState, dict[str, str]] | None:
    """Patch the previous build's index for the changed letters (its state and the shard
    files' layouts); None if it cannot be."""
    prior = output.prior_state(STATE, IndexState.from_json)
    if prior is None or prior.format != FORMAT_VERSION \
            or chunk_count(len(prior.ids)) != letters.chunks:
        return None
    old_slots = {i: slot_text(s) for i, s in letter_slots(prior.ids).items()}
    old_keys = dict(zip(prior.ids, prior.keys, strict=True))
    new_keys = dict(zip(letters.ids, letters.keys, strict=True))
    gone = {i: old_slots[i] for i in prior.ids
            if new_keys.get(i) != old_keys[i] or letters.slots.get(i) != old_slots[i]}
    came = [p for p, i in enumerate(letters.ids)
            if old_keys.get(i) != new_keys[i] or old_slots.get(i) != letters.slots[i]]
    if len(gone) + len(came) > 2 * PATCH_LIMIT:
        return None
    old_text = _old_letters(prior, output, gone)
    if old_text is None:
        return None
    old_docs = [LetterDocs.of(old_text[i], slot) for i, slot in gone.items()]
    new_docs = [LetterDocs.of(LetterText.of_reply(letters.ordered[p]),
                              letters.slots[letters.ids[p]]) for p in came]
    plan = ShardPlan(prior.shards, frozenset(prior.hot))
    work = prepare(plan, Totals(prior.documents, prior.sums), old_docs, new_docs)
    if work is None:
        return None

    def meanwhile() -> None:
        _link_unchanged(output, plan, work.files)
        _write_chunks(output, letters)

    known = output.prior_state(LAYOUT_STATE, LayoutState.from_json)
    layouts = dict(known.files) if known is not None else {}
    found = _patch_everywhere(work, output, workers, meanwhile, layouts)
    if found is not None:
        written = {key for part in found for key in part.written}
        output.mark(f"search/shards/{key}.js" for key in written)  # written by the workers
        for part in found:
            layouts.update(part.layouts)
        plan, moved = move_terms(work, found, _current(output, work, written), _writer(output))
        layouts.update(moved)
        rare = prior.rare + sum(part.delta for part in found)
        if shard_count(rare) == plan.shard_count:
            return _state(letters, plan, work.totals, rare), layouts
    folder = output.root / "search" / "shards"
    shutil.rmtree(folder)
    folder.mkdir()
    return None


def _current(output: SiteOutput, work: Patch, written: set[str]
             ) -> Callable[[str], bytes | None]:
    """A shard file as this build has it so far: patched, left out, or the previous one."""
    def read(key: str) -> bytes | None:
        if key in written:
            return output.target(f"search/shards/{key}.js").read_bytes()
        if key in work.files:
            return None
        path = output.prior_file(f"search/shards/{key}.js")
        return None if path is None else path.read_bytes()

    return read


def _writer(output: SiteOutput) -> Callable[[str, bytes], None]:
    def write(key: str, data: bytes) -> None:
        output.write_bytes(f"search/shards/{key}.js", data)

    return write


def _patch_everywhere(work: Patch, output: SiteOutput, workers: int,
                      meanwhile: Callable[[], None], layouts: Mapping[str, str]
                      ) -> list[Patched] | None:
    """Patch the files on up to ``workers`` processes while ``meanwhile`` runs here; what
    each share found, or None if a file was missing."""
    keys = sorted(work.files)
    shares = [keys[i::workers] for i in range(workers)] \
        if _decoded_bytes(work, output, keys, layouts) > PARALLEL_BYTES else [keys]

    def read(key: str) -> bytes | None:
        path = output.prior_file(f"search/shards/{key}.js")
        return None if path is None else path.read_bytes()

    def patch_share(share: int) -> Patched | None:
        return patch_files(work, shares[share], read, _writer(output), layouts)

    found = fork_map(patch_share, len(shares), len(shares), meanwhile)
    return None if any(part is None for part in found) else [p for p in found if p is not None]


def _decoded_bytes(work: Patch, output: SiteOutput, keys: Sequence[str],
                   layouts: Mapping[str, str]) -> int:
    """About how many bytes of the previous shard files patching ``keys`` decodes: a whole
    file when it is patched in full, else a block of it (its share by its layout)."""
    total = 0
    for key in keys:
        path = output.prior_file(f"search/shards/{key}.js")
        size = path.stat().st_size if path is not None else 0
        layout = layouts.get(key)
        if layout is None or in_full(work, key):
            total += size
        else:
            total += size // (layout.count("\n") + 1)
    return total


def _link_unchanged(output: SiteOutput, plan: ShardPlan, patched: Mapping[str, object]) -> None:
    """Link every shard file the patch leaves alone (a missing one is made by the patch's
    fallback, the full build)."""
    every = [str(k) for k in range(plan.shard_count)] + sorted({hot_key(t) for t in plan.hot})
    for key in every:
        if key not in patched:
            output.link(f"search/shards/{key}.js")
