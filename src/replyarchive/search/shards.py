"""Build lunr indexes with a bare Builder and cut them into term shards.

Every term has a home file: a *hot* term (one found in many documents, e.g. 企业, 发展) gets a file
of its own, ``h<i>``; every other term goes to shard ``fnv1a(term) % K``. static/search.js
computes the same, so a query loads only the files of its own terms, and a rare term never
drags a hot term's long posting list along. Each file holds ordinary serialized lunr indexes
(lunr.js 2.3.9 format) restricted to its terms: the inverted index entries and, for every
document, the part of its field vector for those terms. Scores are computed once over the whole
collection (idf, field lengths), so a document's score for a term is the same in any file.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lunr.builder import Builder
from lunr.field_ref import FieldRef
from lunr.idf import idf as lunr_idf
from lunr.vector import Vector

FNV_OFFSET = 0x811C9DC5
FNV_PRIME = 0x01000193
POSTINGS_PER_SHARD = 2500
"""Target number of (term, document) pairs per ordinary shard: about 15 KB gzip."""
HOT_FRACTION = 0.02
"""A term found in at least this share of all documents is hot."""
HOT_MIN_POSTINGS = 500
"""…and in at least this many documents (small archives have no hot terms)."""
MAX_SHARDS = 8192

Serialized = dict[str, Any]
"""A serialized lunr index (lunr.js 2.3.9 format)."""
FieldCounts = tuple[Mapping[str, int], int]
"""A field of a document: its term frequencies and its length in tokens."""
CountedDoc = tuple[str, Mapping[str, FieldCounts]]
"""A document as (ref, field name → FieldCounts)."""
POSTINGS_PER_GROUP = 2_000_000
"""The index is built in groups of shards of about this many postings, to bound memory."""


def fnv1a(term: str) -> int:
    """32-bit FNV-1a over the term's code points (not bytes), as in static/search.js."""
    value = FNV_OFFSET
    for ch in term:
        value = ((value ^ ord(ch)) * FNV_PRIME) & 0xFFFFFFFF
    return value


@dataclass(frozen=True, slots=True)
class ShardPlan:
    """Which file each term lives in."""

    shard_count: int
    """K: ordinary terms go to shard fnv1a(term) % K."""
    hot: tuple[str, ...]
    """Hot terms, sorted; hot[i] lives alone in file h<i>."""

    def file_of(self, term: str) -> str:
        """The file key of a term: ``h<i>`` for a hot term, else the shard number."""
        hot_index = _hot_index(self.hot, term)
        if hot_index is not None:
            return f"h{hot_index}"
        return str(fnv1a(term) % self.shard_count)


def _hot_index(hot: tuple[str, ...], term: str) -> int | None:
    low, high = 0, len(hot)
    while low < high:
        mid = (low + high) // 2
        if hot[mid] < term:
            low = mid + 1
        else:
            high = mid
    return low if low < len(hot) and hot[low] == term else None


class TokenListBuilder(Builder):  # type: ignore[misc]
    """lunr's Builder fed our token lists as they are.

    ``add`` records exactly what lunr's own ``add`` records for a document whose fields are
    lists of tokens and whose pipeline is empty (term frequencies, field lengths, postings with
    no metadata, term indexes in order of first appearance), without lunr's list tokenizer,
    which deep-copies an empty metadata dict for every token: 40% of the build time at 1,000
    letters. Scoring (``build``) is lunr's own.
    """

    def add(self, doc: Mapping[str, Any], attributes: Mapping[str, Any] | None = None) -> None:
        counts = {name: (Counter(doc[name]), len(doc[name])) for name in self._fields}
        self.add_counts(str(doc[self._ref]), counts)

    def add_counts(self, doc_ref: str, fields: Mapping[str, FieldCounts]) -> None:
        """Add a document given, per field, its term frequencies and its full length.

        The frequencies may hold only some of the document's terms (one group of shards); the
        length is always the whole field's, so scores are those of the whole archive.
        """
        self._documents[doc_ref] = {}
        self.document_count += 1
        for field_name in self._fields:
            frequencies, length = fields[field_name]
            field_ref = f"{field_name}/{doc_ref}"
            self.field_term_frequencies[field_ref] = frequencies
            self.field_lengths[field_ref] = length
            for term in frequencies:
                posting = self.inverted_index.get(term)
                if posting is None:
                    posting = {name: {} for name in self._fields}
                    posting["_index"] = self.term_index
                    self.term_index += 1
                    self.inverted_index[term] = posting
                posting[field_name].setdefault(doc_ref, {})

    archive_averages: Mapping[str, float] | None = None
    """Average field lengths of the whole archive, when only some documents were added."""

    def _calculate_average_field_lengths(self) -> None:
        if self.archive_averages is None:
            super()._calculate_average_field_lengths()
        else:
            self.average_field_length = dict(self.archive_averages)

    def _create_field_vectors(self) -> None:
        """lunr's own field vectors (same formula, same order of float operations, same
        rounding), with each vector's elements sorted once instead of inserted one by one (a
        binary search and a list insert per term: a third of the build time at 1,000 letters).
        """
        field_vectors: dict[str, Vector] = {}
        idf_cache: dict[str, float] = {}
        k1, b = self._k1, self._b
        for field_ref, term_frequencies in self.field_term_frequencies.items():
            parsed = FieldRef.from_string(field_ref)
            field_name = parsed.field_name
            field_length = self.field_lengths[field_ref]
            field_boost = self._fields[field_name].boost
            doc_boost = self._documents[parsed.doc_ref].get("boost", 1)
            average = self.average_field_length[field_name]
            pairs: list[tuple[int, float]] = []
            for term, tf in term_frequencies.items():
                posting = self.inverted_index[term]
                idf = idf_cache.get(term)
                if idf is None:
                    idf = idf_cache[term] = lunr_idf(posting, self.document_count)
                score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (field_length / average)) + tf)
                score *= field_boost
                score *= doc_boost
                pairs.append((posting["_index"], round(score, 3)))
            pairs.sort()
            field_vectors[field_ref] = Vector([x for pair in pairs for x in pair])
        self.field_vectors = field_vectors


def build_index(
    fields: Sequence[tuple[str, int]], docs: Iterable[tuple[str, Mapping[str, list[str]]]]
) -> Serialized | None:
    """A bare lunr index (no pipeline, no positions) of pre-tokenised documents; None if empty."""
    builder = TokenListBuilder()
    builder.ref("ref")
    for name, boost in fields:
        builder.field(name, boost=boost)
    count = 0
    for ref, tokens in docs:
        builder.add({"ref": ref, **tokens})
        count += 1
    if count == 0:
        return None
    serialized: Serialized = builder.build().serialize()
    return serialized


def count_postings(collections: Iterable[Sequence[CountedDoc]]) -> Counter[str]:
    """term → number of (field, document) postings over all the collections."""
    postings: Counter[str] = Counter()
    for docs in collections:
        for _, fields in docs:
            for frequencies, _ in fields.values():
                postings.update(frequencies.keys())
    return postings


Totals = tuple[int, Mapping[str, float]]
"""Archive-wide document count and average length of each field, as lunr computes them."""


def archive_totals(fields: Sequence[tuple[str, int]], docs: Sequence[CountedDoc]) -> Totals:
    """The document count and average field lengths of a whole collection (lunr's sums)."""
    count = len(docs)
    averages = {name: sum(doc[name][1] for _, doc in docs) / count if count else 0.0
                for name, _ in fields}
    return count, averages


def split_by_group(docs: list[CountedDoc], group_of: Mapping[str, int],
                   groups: int) -> list[list[CountedDoc]]:
    """Each document's terms split by build group, in one pass. Group g holds, in the original
    order, only the documents with a term in g (their other fields empty, lengths whole).
    ``docs`` is emptied on the way, so each document is freed once split."""
    out: list[list[CountedDoc]] = [[] for _ in range(groups)]
    docs.reverse()
    while docs:
        ref, fields = docs.pop()
        found: dict[int, dict[str, dict[str, int]]] = {}
        for name, (frequencies, _) in fields.items():
            for term, n in frequencies.items():
                found.setdefault(group_of[term], {}).setdefault(name, {})[term] = n
        for group in sorted(found):
            pieces = found[group]
            out[group].append((ref, {name: (pieces.get(name, {}), length)
                                     for name, (_, length) in fields.items()}))
    return out


def build_group(fields: Sequence[tuple[str, int]], docs: Sequence[CountedDoc],
                totals: Totals) -> Serialized | None:
    """A lunr index of one group's documents (``split_by_group``), scored with the whole
    archive's ``totals``, so every score is the one an index of every term would give."""
    builder = TokenListBuilder()
    builder.ref("ref")
    for name, boost in fields:
        builder.field(name, boost=boost)
    for ref, counts in docs:
        builder.add_counts(ref, counts)
    if not docs or not builder.inverted_index:
        return None
    builder.document_count, builder.archive_averages = totals
    serialized: Serialized = builder.build().serialize()
    return serialized


def group_count(postings: Counter[str]) -> int:
    """How many groups the shards are built in."""
    return max(1, math.ceil(sum(postings.values()) / POSTINGS_PER_GROUP))


def plan_shards(postings: Mapping[str, int], documents: int) -> ShardPlan:
    """Pick the hot terms and K from the postings of every term."""
    threshold = max(HOT_MIN_POSTINGS, math.ceil(HOT_FRACTION * documents))
    hot = tuple(sorted(term for term, count in postings.items() if count >= threshold))
    rare = sum(count for count in postings.values() if count < threshold)
    shard_count = min(MAX_SHARDS, max(1, math.ceil(rare / POSTINGS_PER_SHARD)))
    return ShardPlan(shard_count, hot)


def split_index(index: Serialized, plan: ShardPlan) -> dict[str, Serialized]:
    """The index cut into files by ``plan``: file key → that file's part of the index."""
    file_of_index: dict[int, str] = {}
    postings: dict[str, list[list[Any]]] = {}
    for term, posting in index["invertedIndex"]:
        key = plan.file_of(term)
        file_of_index[posting["_index"]] = key
        postings.setdefault(key, []).append([term, posting])
    vectors: dict[str, list[list[Any]]] = {key: [] for key in postings}
    for field_ref, elements in index["fieldVectors"]:
        pieces: dict[str, list[Any]] = {}
        for term_index, score in zip(elements[0::2], elements[1::2], strict=True):
            piece = pieces.get(file_of_index[term_index])
            if piece is None:
                pieces[file_of_index[term_index]] = [term_index, score]
            else:
                piece += (term_index, score)
        for key, piece in pieces.items():
            vectors[key].append([field_ref, piece])
    return {key: _part(index, postings[key], vectors[key]) for key in postings}


def _part(index: Serialized, postings: list[list[Any]], vectors: list[list[Any]]) -> Serialized:
    return {
        "version": index["version"],
        "fields": index["fields"],
        "fieldVectors": vectors,
        "invertedIndex": postings,
        "pipeline": index["pipeline"],
    }
