"""Shard files: which file each term lives in, what its stored scores are, and the canonical
lunr-2.3.9 JSON of a file, written directly (no lunr Builder).

Every term has a home file: a *hot* term (one found in many documents, e.g. 企业, 发展) lives in
``h<hex fnv1a(term)>`` (two hot terms whose hashes collide share it); every other term goes to
shard ``fnv1a(term) % K``, K a power of two. static/search.js computes the same, so a query loads
only the files of its own terms, and a rare term never drags a hot term's long posting along.

A stored score depends on its own document only: BM25's term-frequency part,
``boost·(k1+1)·tf / (k1·(1−b+b·len/avg)+tf)`` with lunr's k1 and b and the archive's average
field length *quantised* to two significant figures (``quantise``), so one changed letter almost
never changes any other document's scores. The idf is applied at query time (query.py,
search.js), from the number of documents in the term's posting, which lives wholly in one file.

A file's bytes depend only on its own terms' postings, packed (packed.py): a line per term,
a group per letter in slot order. The index stage can thus patch a file (drop a letter's
group, add its new one) and get the bytes a clean build gives.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from replyarchive.index.documents import META_FIELDS

FNV_OFFSET = 0x811C9DC5
FNV_PRIME = 0x01000193
POSTINGS_PER_SHARD = 5000
"""Target number of (term, field, document) postings per ordinary shard: about 15 KB packed."""
HOT_FRACTION = 0.05
"""A term with at least this share of all documents' postings is hot."""
HOT_MIN_POSTINGS = 500
"""…and at least this many postings (small archives have no hot terms)."""
MAX_SHARDS = 2048
"""At most this many ordinary shards (about 40 KB packed each at 10,000 letters, what a first
search loads per rare term): with at most payloads.MAX_CHUNKS chunk files, payloads.MAX_IDS id
files and the hot terms' files the index stays under 3,000 files."""
K1 = 1.2
B = 0.75
"""lunr's BM25 constants."""
LUNR_VERSION = "2.3.9"
TEXT_NAMES = ("title", "body")
META_NAMES = tuple(name for name, _ in META_FIELDS)


def fnv1a(term: str) -> int:
    """32-bit FNV-1a over the term's code points (not bytes), as in static/search.js."""
    value = FNV_OFFSET
    for ch in term:
        value = ((value ^ ord(ch)) * FNV_PRIME) & 0xFFFFFFFF
    return value


def quantise(value: float) -> float:
    """``value`` to two significant figures (153.4 → 150.0): archive-wide numbers that stored
    scores or the plan depend on, so that one changed letter rarely moves them."""
    return float(f"{value:.2g}")


def hot_threshold(documents: int) -> int:
    """Postings from which a term is hot, for an archive of ``documents`` documents."""
    return max(HOT_MIN_POSTINGS, math.ceil(HOT_FRACTION * quantise(documents)))


def shard_count(rare_postings: int) -> int:
    """K: the power of two that keeps ordinary shards near POSTINGS_PER_SHARD postings."""
    wanted = max(1, math.ceil(rare_postings / POSTINGS_PER_SHARD))
    return min(MAX_SHARDS, 1 << (wanted - 1).bit_length())


def hot_key(term: str) -> str:
    """The file of a hot term: ``h`` and its hash in hex."""
    return f"h{fnv1a(term):x}"


@dataclass(frozen=True, slots=True)
class ShardPlan:
    """Which file each term lives in."""

    shard_count: int
    """K (a power of two): ordinary terms go to shard fnv1a(term) % K."""
    hot: frozenset[str]
    """Hot terms; each lives in ``hot_key(term)``."""

    def file_of(self, term: str) -> str:
        """The file key of a term: ``h<hex>`` for a hot term, else the shard number."""
        if term in self.hot:
            return hot_key(term)
        return str(fnv1a(term) % self.shard_count)


def tf_score(tf: int, length: int, average: float, boost: int) -> float:
    """The stored score of a term in a field: BM25 without its idf, rounded as lunr rounds."""
    norm = K1 * (1 - B + B * length / average) + tf
    return round(boost * ((K1 + 1) * tf) / norm, 3)
