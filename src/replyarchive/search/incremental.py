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

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from replyarchive.search.build import KINDS, Totals, score_table
from replyarchive.search.payloads import LetterText
from replyarchive.search.shards import ShardPlan, index_json, shard_count

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
        from replyarchive.search.tokenize import tokenize

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
        sums = [0] * 8
        for _, _, fid, _, length in self.fields:
            sums[fid] += length
        return sums

    def text_documents(self) -> int:
        return len({ref for _, ref, fid, _, _ in self.fields if fid < 2})


@dataclass(frozen=True, slots=True)
class Patch:
    """The patched files (key → file text parts, text and meta) and the new totals."""

    files: Mapping[str, tuple[str | None, str | None]]
    totals: Totals
    rare: int


def new_totals(totals: Totals, old: Sequence[LetterDocs], new: Sequence[LetterDocs]) -> Totals:
    sums = list(totals.sums)
    texts = totals.documents[0]
    for letter, sign in [*((o, -1) for o in old), *((n, 1) for n in new)]:
        for fid, length in enumerate(letter.lengths()):
            sums[fid] += sign * length
        texts += sign * letter.text_documents()
    return Totals((texts, totals.documents[1]), tuple(sums))


def patch(plan: ShardPlan, totals: Totals, rare: int, old: Sequence[LetterDocs],
          new: Sequence[LetterDocs], read: Any) -> Patch | None:
    """The patched files, or None when the plan or the averages would change. ``read(key)``:
    the previous build's shard file as data (``{"text": …, "meta": …}``), or None."""
    after = new_totals(totals, old, new)
    if after.averages != totals.averages or after.threshold != totals.threshold:
        return None
    old_counts = sum((letter.postings() for letter in old), Counter())
    new_counts = sum((letter.postings() for letter in new), Counter())
    terms = set(old_counts) | set(new_counts)
    by_file: dict[str, list[str]] = {}
    for term in terms:
        by_file.setdefault(plan.file_of(term), []).append(term)
    previous: dict[str, Any] = {}
    for key in by_file:
        data = read(key)
        if data is None:
            return None
        previous[key] = data
    delta = 0
    for key, file_terms in by_file.items():
        before = _counts(previous[key])
        for term in file_terms:
            count = before.get(term, 0) - old_counts[term] + new_counts[term]
            if (count >= after.threshold) != (term in plan.hot):
                return None
            if term not in plan.hot:
                delta += new_counts[term] - old_counts[term]
    if shard_count(rare + delta) != plan.shard_count:
        return None
    changed = {letter.position for letter in old} | {letter.position for letter in new}
    records = _new_records(new, plan, after.averages)
    files = {key: _patch_file(previous[key], changed, records.get(key, ([], [])))
             for key in by_file}
    return Patch(files, after, rare + delta)


def _counts(data: Mapping[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for index in (data.get("text"), data.get("meta")):
        if index:
            for term, posting in index["invertedIndex"]:
                n = sum(len(v) for k, v in posting.items() if k != "_index")
                counts[term] = counts.get(term, 0) + n
    return counts


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


def _patch_file(data: Mapping[str, Any], changed: set[int],
                new: tuple[list[Record], list[Record]]) -> tuple[str | None, str | None]:
    text, meta = (_patch_index(data.get(name), first, names, changed, records)
                  for (first, names), name, records in zip(KINDS, ("text", "meta"), new,
                                                           strict=True))
    return text, meta


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
