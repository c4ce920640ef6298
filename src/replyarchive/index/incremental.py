"""Patching the previous build's shard files for the letters that changed.

A stored score depends only on its document and the quantised average field lengths, a file's
bytes only on its own terms' postings, and the plan only on term counts, so when the letter order,
the plan and the averages stay the same, only the files holding a changed letter's old or new
terms differ from the previous build: each is read back, the changed letters' entries dropped,
their new ones added, and the file written canonically (``shards.index_json``), giving the bytes
a clean build gives. Every number needed is checked first (hot terms, K, averages, the hot
threshold); if any would move, ``patch`` returns None and the caller builds everything.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from replyarchive.index.build import BOOSTS, KINDS, Totals, score_table
from replyarchive.index.payloads import LetterText
from replyarchive.index.shards import ShardPlan, index_json, shard_bytes
from replyarchive.index.splice import Entry, find_entry, splice_kind, split_file

SortKey = tuple[int, int, int]
Record = tuple[SortKey, str, int, list[tuple[str, str]]]
"""(sort key (catalog row, part order, field id), doc ref, field id, (term, score) by term)."""


@dataclass
class LetterDocs:
    """One version of a letter, tokenised: each field's term frequencies and lengths."""

    position: int
    fields: list[tuple[int, str, int, Counter[str], int]] = field(default_factory=list)
    """(doc order in the letter, ref, field id, term frequencies, length)."""

    @classmethod
    def of(cls, text: LetterText, position: int) -> LetterDocs:
        from replyarchive.index.tokenize import tokenize

        docs = cls(position)
        for order, (ref, fields) in enumerate(text.documents(position)):
            for fid, value in fields.items():
                tokens = tokenize(value)
                docs.fields.append((order, ref, fid, Counter(tokens), len(tokens)))
        return docs

    def postings(self) -> Counter[str]:
        """term → its (field, document) postings in this letter."""
        counts: Counter[str] = Counter()
        for *_, frequencies, _ in self.fields:
            counts.update(frequencies.keys())
        return counts

    def lengths(self) -> list[int]:
        sums = [0] * len(BOOSTS)
        for _, _, fid, _, length in self.fields:
            sums[fid] += length
        return sums

    def text_documents(self) -> int:
        return len({ref for _, ref, fid, _, _ in self.fields if fid < 2})


def new_totals(totals: Totals, old: Sequence[LetterDocs], new: Sequence[LetterDocs]) -> Totals:
    sums = list(totals.sums)
    texts = totals.documents[0]
    for letter, sign in [*((o, -1) for o in old), *((n, 1) for n in new)]:
        for fid, length in enumerate(letter.lengths()):
            sums[fid] += sign * length
        texts += sign * letter.text_documents()
    return Totals((texts, totals.documents[1]), tuple(sums))


@dataclass(frozen=True, slots=True)
class Patch:
    """What patching the changed letters takes: the files to patch (key → the changed letters'
    terms in it), their new records, and the counts the plan is checked against."""

    plan: ShardPlan
    totals: Totals
    """The totals after the change."""
    files: Mapping[str, Sequence[str]]
    changed: Sequence[int]
    old_counts: Mapping[str, int]
    new_counts: Mapping[str, int]
    records: Mapping[str, tuple[list[Record], list[Record]]]


def prepare(plan: ShardPlan, totals: Totals, old: Sequence[LetterDocs],
            new: Sequence[LetterDocs]) -> Patch | None:
    """The patch of the changed letters (old and new versions), or None when the quantised
    averages or the hot threshold would move."""
    after = new_totals(totals, old, new)
    if after.averages != totals.averages or after.threshold != totals.threshold:
        return None
    old_counts = sum((letter.postings() for letter in old), Counter())
    new_counts = sum((letter.postings() for letter in new), Counter())
    by_file: dict[str, list[str]] = {}
    for term in sorted(set(old_counts) | set(new_counts)):
        by_file.setdefault(plan.file_of(term), []).append(term)
    changed = sorted({letter.position for letter in old} | {letter.position for letter in new})
    return Patch(plan, after, by_file, changed, old_counts, new_counts,
                 _new_records(new, plan, after.averages))


def patch_files(patch: Patch, keys: Sequence[str], read: Callable[[str], bytes | None],
                write: Callable[[str, bytes], None]) -> int | None:
    """Patch and write the files ``keys``; the change in rare postings, or None when a term
    would turn hot or cold or a file is missing (the caller then builds everything, replacing
    what was written)."""
    delta = 0
    threshold, hot = patch.totals.threshold, patch.plan.hot
    for key in keys:
        data = read(key)
        if data is None:
            return None
        kinds = split_file(data)
        terms = patch.files[key]
        entries = tuple(_entries(kind, terms, names) for kind, (_, names) in zip(kinds, KINDS,
                                                                                strict=True))
        for term in terms:
            before = sum(found[term].count for found in entries if term in found)
            old, new = patch.old_counts.get(term, 0), patch.new_counts.get(term, 0)
            if (before - old + new >= threshold) != (term in hot):
                return None
            if term not in hot:
                delta += new - old
        text, meta = _patch_file(kinds, entries, patch.changed,
                                 patch.records.get(key, ([], [])))
        write(key, shard_bytes(key, text, meta))
    return delta


def _entries(kind: bytes | None, terms: Sequence[str], names: Sequence[str]) -> dict[str, Entry]:
    if kind is None:
        return {}
    out = {}
    for term in terms:
        entry = find_entry(kind, term, names)
        if entry is not None:
            out[term] = entry
    return out


def _new_records(new: Sequence[LetterDocs], plan: ShardPlan,
                 averages: Sequence[float]) -> dict[str, tuple[list[Record], list[Record]]]:
    """Per file key, the new letters' records (text, meta)."""
    score = score_table(averages)
    out: dict[str, tuple[list[Record], list[Record]]] = {}
    for letter in new:
        for order, ref, fid, frequencies, length in letter.fields:
            pieces: dict[str, list[tuple[str, str]]] = {}
            for term in sorted(frequencies):
                pair = (term, score(fid, length, frequencies[term]))
                pieces.setdefault(plan.file_of(term), []).append(pair)
            for key, pairs in pieces.items():
                slot = 0 if fid < 2 else 1
                out.setdefault(key, ([], []))[slot].append(
                    ((letter.position, order, fid), ref, fid, pairs))
    return out


def _patch_file(kinds: tuple[bytes | None, ...], entries: tuple[dict[str, Entry], ...],
                changed: Sequence[int], new: tuple[list[Record], list[Record]]
                ) -> tuple[bytes | None, bytes | None]:
    out: list[bytes | None] = []
    for kind, found, (first, names), records in zip(kinds, entries, KINDS, new, strict=True):
        if kind is not None and not found and not records:
            out.append(kind)
            continue
        spliced = None if kind is None else splice_kind(kind, names, first, changed, records,
                                                         found)
        if spliced is None:
            parsed = None if kind is None else json.loads(kind)
            whole = _patch_index(parsed, first, names, set(changed), records)
            spliced = None if whole is None else whole.encode()
        out.append(spliced)
    return out[0], out[1]


def _patch_index(index: Mapping[str, Any] | None, first: int, names: Sequence[str],
                 changed: set[int], new: list[Record]) -> str | None:
    records: list[Record] = []
    if index:
        terms = [term for term, _ in index["invertedIndex"]]
        fid_of = {name: first + i for i, name in enumerate(names)}
        rank, last = 0, ""
        for field_ref, elements in index["fieldVectors"]:
            name, ref = field_ref.split("/", 1)
            position = int(ref.partition("#")[0], 36)
            if position in changed:
                continue
            if ref != last:
                rank, last = rank + 1, ref
            pairs = [(terms[elements[j]], repr(elements[j + 1]))
                     for j in range(0, len(elements), 2)]
            fid = fid_of[name]
            records.append(((position, rank, fid), ref, fid, pairs))
    records.extend(new)
    records.sort(key=lambda record: record[0])
    return assemble(names, first, records)


def assemble(names: Sequence[str], first: int, records: Sequence[Record]) -> str | None:
    """The canonical index JSON of records in document order; None when there are none."""
    terms = sorted({term for record in records for term, _ in record[3]})
    if not terms:
        return None
    index = {term: i for i, term in enumerate(terms)}
    postings: list[list[list[str]]] = [[[] for _ in names] for _ in terms]
    vectors: list[tuple[str, str]] = []
    for _, ref, fid, pairs in records:
        elements: list[str] = []
        for term, score in pairs:
            i = index[term]
            elements.append(str(i))
            elements.append(score)
            postings[i][fid - first].append(ref)
        vectors.append((f"{names[fid - first]}/{ref}", ",".join(elements)))
    return index_json(names, terms, postings, vectors)
