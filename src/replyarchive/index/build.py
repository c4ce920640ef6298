"""The full build of the shard files, on every core, in bounded memory.

1. *Tokenise* (chunks of letters, on every process): each document field's term frequencies,
   packed one posting per 64-bit integer ``doc << 36 | field << 32 | tf`` (doc ids run in
   document order), are written to a temporary file per (chunk, bucket), the bucket being
   ``fnv1a(term) % BUCKETS``; the parent keeps only the field lengths.
2. *Count* (per bucket): postings per term, so the plan (hot terms, K) is known.
3. *Write* (per group of buckets ``b ≡ g mod G``, G = min(BUCKETS, K), so every file's terms are
   in one group): read the group's postings, write its shard files (packed.py: one line per
   term, one group per letter in slot order, compressed).
Nothing archive-sized is ever held in one process: the postings wait on disk between the
steps.
"""

from __future__ import annotations

import pickle
import shutil
import tempfile
from array import array
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from replyarchive.incremental.parallel import fork_map
from replyarchive.index.documents import META_FIELDS, TEXT_FIELDS
from replyarchive.index.layout import layout_text
from replyarchive.index.packed import entry_head, line, line_key, pack_shard_layout, part_code
from replyarchive.index.payloads import LetterText
from replyarchive.index.shards import (
    ShardPlan,
    fnv1a,
    hot_threshold,
    quantise,
    shard_count,
    tf_score,
)
from replyarchive.index.tokenize import tokenize

BUCKETS = 64
CHUNK_LETTERS = 250
BOOSTS = tuple(boost for _, boost in (*TEXT_FIELDS, *META_FIELDS))
"""Boost of each field id: 0–1 text (title, body), 2… metadata (META_FIELDS order)."""
KINDS = ((0, "t"), (2, "m"))
"""(first field id, line kind) of the text index and of the meta index."""
TF_MASK = 0xFFFFFFFF
FIELD_BITS = 4
"""Bits of a field id in a packed posting: room for 16 fields (2 text + META_FIELDS)."""
SLOTS = 1 << FIELD_BITS
"""Field-length slots per document in the lengths array, one per possible field id."""


@dataclass(frozen=True, slots=True)
class Totals:
    """The archive-wide numbers the stored scores and the plan depend on."""

    documents: tuple[int, int]
    """Number of text and of meta documents."""
    sums: tuple[int, ...]
    """Sum of each field id's lengths over its documents."""

    @property
    def averages(self) -> tuple[float, ...]:
        """Quantised average length of each field id (1.0 for an empty collection)."""
        out = []
        for fid, total in enumerate(self.sums):
            count = self.documents[0 if fid < 2 else 1]
            out.append(quantise(total / count) if count and total else 1.0)
        return tuple(out)

    @property
    def threshold(self) -> int:
        return hot_threshold(sum(self.documents))


def score_table(averages: Sequence[float]) -> Callable[[int, int, int], str]:
    """``score(field id, length, tf)`` → an entry's head, its field and stored score as packed
    text (packed.entry_head), memoised."""
    memo: dict[tuple[int, int, int], str] = {}

    def score(fid: int, length: int, tf: int) -> str:
        key = (fid, length, tf)
        text = memo.get(key)
        if text is None:
            first, kind = KINDS[0] if fid < KINDS[1][0] else KINDS[1]
            value = tf_score(tf, length, averages[fid], BOOSTS[fid])
            text = memo[key] = entry_head(kind, fid - first, value)
        return text

    return score


@dataclass(frozen=True, slots=True)
class Job:
    """What the workers read (inherited by fork through parallel.fork_map, never pickled)."""

    letters: Callable[[int], LetterText]
    starts: Sequence[int]
    """First doc id of each letter, and the total at the end."""
    chunks: Sequence[tuple[int, int]]
    temp: Path
    shards: Path
    slots: Sequence[str] = ()
    """Each doc id's letter slot (packed.slot_text)."""
    parts: Sequence[str] = ()
    """Each doc id's part id, as postings write it (packed.part_code; "" for the facts)."""
    lengths: Sequence[int] = ()
    averages: Sequence[float] = ()
    threshold: int = 0


def tokenise_chunk(job: Job, chunk: int) -> array[int]:
    """Step 1 for one chunk of letters; the field lengths of its documents (SLOTS per doc)."""
    first, last = job.chunks[chunk]
    doc0 = job.starts[first]
    lengths = array("I", bytes(4 * SLOTS * (job.starts[last] - doc0)))
    buckets: list[tuple[dict[str, list[int]], dict[str, list[int]]]] = [
        ({}, {}) for _ in range(BUCKETS)]
    bucket_of: dict[str, int] = {}
    doc = doc0
    for position in range(first, last):
        for _, fields in job.letters(position).documents():
            for fid, text in fields.items():
                tokens = tokenize(text)
                lengths[(doc - doc0) * SLOTS + fid] = len(tokens)
                kind = 0 if fid < 2 else 1
                base = (doc << (32 + FIELD_BITS)) | (fid << 32)
                for term, tf in Counter(tokens).items():
                    b = bucket_of.get(term)
                    if b is None:
                        b = bucket_of[term] = fnv1a(term) % BUCKETS
                    target = buckets[b][kind]
                    found = target.get(term)
                    if found is None:
                        target[term] = [base | tf]
                    else:
                        found.append(base | tf)
            doc += 1
    for b, (text_terms, meta_terms) in enumerate(buckets):
        packed = ({t: array("Q", v) for t, v in text_terms.items()},
                  {t: array("Q", v) for t, v in meta_terms.items()})
        with open(job.temp / f"{b}-{chunk}.pkl", "wb") as handle:
            pickle.dump(packed, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return lengths


def _load_buckets(job: Job, buckets: Sequence[int]) -> tuple[dict[str, list[array[int]]], ...]:
    """Each kind's term → its posting arrays in document order, for the given buckets."""
    kinds: tuple[dict[str, list[array[int]]], ...] = ({}, {})
    for b in buckets:
        for chunk in range(len(job.chunks)):
            with open(job.temp / f"{b}-{chunk}.pkl", "rb") as handle:
                parts = pickle.load(handle)
            for target, part in zip(kinds, parts, strict=True):
                for term, postings in part.items():
                    target.setdefault(term, []).append(postings)
    return kinds


def count_bucket(job: Job, bucket: int) -> tuple[list[str], int]:
    """Step 2 for one bucket: its hot terms and the number of its other postings."""
    counts: Counter[str] = Counter()
    for kind in _load_buckets(job, [bucket]):
        for term, arrays in kind.items():
            counts[term] += sum(map(len, arrays))
    hot = [term for term, n in counts.items() if n >= job.threshold]
    return hot, sum(n for n in counts.values() if n < job.threshold)


def write_group(job: Job, group: int, groups: int, plan: ShardPlan) -> list[tuple[str, str]]:
    """Step 3 for one group: write its shard files; their keys and layouts (layout.py)."""
    kinds = _load_buckets(job, range(group, BUCKETS, groups))
    score = score_table(job.averages)
    files: dict[str, list[str]] = {}
    for (_, kind), terms in zip(KINDS, kinds, strict=True):
        _kind_lines(terms, kind, plan, job, score, files)
        terms.clear()
    written = []
    for key, lines in files.items():
        path = job.shards / f"{key}.js"
        path.unlink(missing_ok=True)
        data, layout = pack_shard_layout(f"shard:{key}", "\n".join(sorted(lines, key=line_key)))
        path.write_bytes(data)
        written.append((key, layout_text(layout)))
    return written


def _kind_lines(terms: Mapping[str, list[array[int]]], kind: str,
                plan: ShardPlan, job: Job, score: Callable[[int, int, int], str],
                files: dict[str, list[str]]) -> None:
    """Add one kind's (text or meta) line of each term to its file's lines."""
    slots, parts, lengths = job.slots, job.parts, job.lengths
    for term, arrays in terms.items():
        groups: dict[str, list[str]] = {}
        for packed in arrays:
            for p in packed:
                k = p >> 32
                fid = k & (SLOTS - 1)
                doc = k >> FIELD_BITS
                slot = slots[doc]
                found = groups.get(slot)
                if found is None:
                    found = groups[slot] = []
                found.append(f"{score(fid, lengths[k], p & TF_MASK)}{parts[doc]}")
        text = line(kind, term, [slot + ",".join(groups[slot]) for slot in sorted(groups)])
        files.setdefault(plan.file_of(term), []).append(text)


@dataclass(frozen=True, slots=True)
class Built:
    """What a full build decided: the plan and the totals (saved for the next build)."""

    plan: ShardPlan
    totals: Totals
    rare: int
    written: Mapping[str, str]
    """The files written → their layouts."""


def build_shards(letters: Callable[[int], LetterText], part_ids: Sequence[Sequence[str]],
                 slots: Sequence[str], shards: Path, workers: int,
                 meanwhile: Callable[[], None]) -> Built:
    """Write every shard file into ``shards`` (a folder of new files). ``letters(i)``: the
    text of the letter in catalog row i; ``part_ids[i]``: its parts' ids, in order;
    ``slots[i]``: its slot (packed.slot_text).
    ``meanwhile`` runs in this process while workers write the shards."""
    starts = [0]
    for ids in part_ids:
        starts.append(starts[-1] + len(ids) + 1)
    n = len(part_ids)
    chunks = [(i, min(n, i + CHUNK_LETTERS)) for i in range(0, n, CHUNK_LETTERS)]
    temp = Path(tempfile.mkdtemp(prefix="replyarchive-index-"))
    try:
        first = Job(letters, starts, chunks, temp, shards)
        lengths = array("I")
        for piece in fork_map(lambda c: tokenise_chunk(first, c), len(chunks), workers):
            lengths.extend(piece)
        totals = _totals(lengths, [len(ids) for ids in part_ids])
        doc_slots = [slot for slot, ids in zip(slots, part_ids, strict=True)
                     for slot in [slot] * (len(ids) + 1)]
        doc_parts = [part_code(part) for ids in part_ids for part in (*ids, "")]
        job = Job(letters, starts, chunks, temp, shards, doc_slots, doc_parts, lengths,
                  totals.averages, totals.threshold)
        counted = fork_map(lambda b: count_bucket(job, b), BUCKETS, workers)
        plan = ShardPlan(shard_count(sum(r for _, r in counted)),
                         frozenset(t for hot, _ in counted for t in hot))
        groups = min(BUCKETS, plan.shard_count)
        written = dict(item for items in fork_map(lambda g: write_group(job, g, groups, plan),
                                                  groups, workers, meanwhile) for item in items)
        return Built(plan, totals, sum(r for _, r in counted), written)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def _totals(lengths: array[int], part_counts: Sequence[int]) -> Totals:
    sums = [sum(lengths[fid::SLOTS]) for fid in range(len(BOOSTS))]
    return Totals((sum(part_counts), len(part_counts)), tuple(sums))
