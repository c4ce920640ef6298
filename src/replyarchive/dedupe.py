"""Find the same letter twice: identical copies, or copies that differ by extraction noise.

Staff export the same reply from a PDF twice, paste it from the web once more, or save it under
two names. Comparing every pair of letters is quadratic (50 million pairs at 10,000 letters), so
the search runs in three cheap-to-dear steps:

1. blocking: each letter's sentences, with whitespace and punctuation folded away, are its
   keys, and so is its document number; letters that share a key are candidates. A sentence
   shared by very many letters is boilerplate (专此答复…) and links nobody: copies of one letter
   share its own sentences, or its document number, too;
2. a candidate pair must share at least half of their keys (Jaccard), a set operation;
3. the texts, normalised the same way, must score at least ``threshold`` with rapidfuzz's
   ``fuzz.ratio``; for records, a document number, date or proposal number that differs means two
   letters, however alike their bodies.

Of each group the archive keeps one letter, chosen the same way on every run: fewest warnings,
then most text, then the first source path.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

from rapidfuzz import fuzz

from replyarchive.model import Reply

THRESHOLD = 95.0
"""Lowest fuzz.ratio (0-100) of two normalised texts that are the same letter."""
MIN_JACCARD = 0.5
"""Share of sentence keys two copies of one letter must have in common to be compared."""
RARE_KEY = 8
"""A sentence held by more letters than this is boilerplate and links no candidates (a letter
saved twice or three times shares its own sentences with only its copies)."""
MIN_SENTENCE = 8
"""Sentences shorter than this many characters (after folding) are no key."""

_SENTENCE_END = re.compile(r"[。!?;！？；]")
_NOT_WORD = re.compile(r"[^\w。!?;！？；]+|_+")
_SPACE = re.compile(r"\s+")
_DOC_NUMBER = re.compile(r"[〔【\[(（](\d{4})[〕】\])）](\d{1,6})号")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """Letters that are one letter: the one the archive keeps and the copies it drops."""

    keep: int
    """Index (in the input sequence) of the copy that is kept."""
    drop: tuple[int, ...]
    """Indexes of the other copies, ascending."""
    keep_label: str
    """Source path of the kept copy (or ``#<index>`` for a bare text)."""
    drop_labels: tuple[str, ...]
    """Source paths of the dropped copies, in the order of ``drop``."""
    score: float
    """The lowest fuzz.ratio that joined this group, 0-100 (100.0 for identical texts)."""

    def reason(self) -> str:
        """Why a dropped copy is left out, and what to do about it."""
        return (
            f"the same letter as {self.keep_label} (similarity {self.score:.1f}%); only "
            f"{self.keep_label} is published. Remove one of the two files"
        )

    def messages(self) -> tuple[str, ...]:
        """One line per dropped copy: ``label: reason``."""
        return tuple(f"{label}: {self.reason()}" for label in self.drop_labels)


@dataclass(frozen=True, slots=True)
class _Doc:
    """One letter as dedupe sees it: its keys and the facts that tell letters apart."""

    index: int
    label: str
    item: Reply | str
    """The record or bare text (its text is made only for the few letters compared)."""
    keys: frozenset[int]
    facts: tuple[str | None, ...]
    warnings: int


_WIDTH = {0xFF01 + i: 0x21 + i for i in range(94)} | {0x3000: 0x20}
"""Full-width ASCII forms (，：（）１Ａ) to half width: the part of NFKC extraction noise touches,
at str.translate speed (NFKC itself costs a millisecond per letter)."""


def fold(text: str) -> str:
    """Full/half width folded, no whitespace: the text extraction noise cannot change."""
    return _SPACE.sub("", text.translate(_WIDTH))


def reply_text(reply: Reply) -> str:
    """A record's words in reading order, for comparison."""
    parts: list[str | None] = [reply.doc_number, reply.title, reply.addressee, *reply.preamble]
    for section in reply.all_sections():
        parts.extend([section.title, section.adoption, *section.paragraphs])
    parts.extend([*reply.closing, reply.department, reply.date])
    return "\n".join(p for p in parts if p)


def _keys(text: str) -> frozenset[int]:
    """Stable 64-bit hashes of the text's sentences with whitespace (so page breaks) and
    punctuation (so half/full width marks, 【】 vs 〔〕) dropped. Stable across processes, so
    the parse cache can keep them (they are a third of the duplicate search at 10,000 letters)."""
    sentences = _SENTENCE_END.split(_NOT_WORD.sub("", text))
    return frozenset(int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little")
                     for s in sentences if len(s) >= MIN_SENTENCE)


def sentence_keys(reply: Reply) -> frozenset[int]:
    """A record's sentence keys (what ``find_duplicates`` blocks on); cacheable per record."""
    return _keys(reply_text(reply))


def _doc(index: int, item: Reply | str, keys: frozenset[int] | None = None) -> _Doc:
    if isinstance(item, Reply):
        facts = (item.doc_number, item.date, item.proposal_number)
        found = sentence_keys(item) if keys is None else keys
        return _Doc(index, item.source.path, item, found, facts, len(item.warnings))
    return _Doc(index, f"#{index}", item, _keys(item), _text_facts(fold(item)), 0)


def _text(doc: _Doc) -> str:
    return reply_text(doc.item) if isinstance(doc.item, Reply) else doc.item


def _text_facts(folded: str) -> tuple[str | None, ...]:
    """For a bare text: the first 文号's year and serial, the last full date; no 编号."""
    number = _DOC_NUMBER.search(folded)
    dates = _DATE.findall(folded[-2000:])
    return (
        "-".join(number.groups()) if number else None,
        "-".join(dates[-1]) if dates else None,
        None,
    )


def _candidates(docs: Sequence[_Doc]) -> set[tuple[int, int]]:
    """Pairs (i < j) of letters sharing a rare sentence or their document number."""
    counts = Counter(chain.from_iterable(doc.keys for doc in docs))  # in C: most keys are
    shared = {key for key, n in counts.items() if 1 < n <= RARE_KEY}  # one letter's own
    holders: dict[int, list[int]] = defaultdict(list)
    numbers: dict[str, list[int]] = defaultdict(list)
    for doc in docs:
        for key in doc.keys & shared:
            holders[key].append(doc.index)
        if doc.facts[0] is not None:
            numbers[doc.facts[0]].append(doc.index)
    blocks = [m for m in holders.values() if 1 < len(m) <= RARE_KEY]
    blocks += [m for m in numbers.values() if len(m) > 1]
    pairs: set[tuple[int, int]] = set()
    for members in blocks:
        for pos, j in enumerate(members):
            pairs.update((i, j) for i in members[:pos])
    return pairs


def _facts_differ(a: _Doc, b: _Doc) -> bool:
    """Two different document numbers (or dates, or proposal numbers) mean two letters."""
    return any(
        x is not None and y is not None and x != y for x, y in zip(a.facts, b.facts, strict=True)
    )


def _similarity(a: _Doc, b: _Doc, threshold: float, folded: dict[int, str]) -> float:
    """fuzz.ratio of the folded texts (folded once, on first need, into ``folded``), or 0.0 as
    soon as it is clear they are different letters."""
    if _facts_differ(a, b):
        return 0.0
    if a.keys or b.keys:
        shared = len(a.keys & b.keys)
        if shared < MIN_JACCARD * len(a.keys | b.keys):
            return 0.0
    for doc in (a, b):
        if doc.index not in folded:
            folded[doc.index] = fold(_text(doc))
    return float(fuzz.ratio(folded[a.index], folded[b.index], score_cutoff=threshold))


def _groups(edges: Iterable[tuple[int, int, float]], n: int) -> dict[int, tuple[list[int], float]]:
    """Union-find over matching pairs: root -> (members, lowest joining score)."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    low: dict[int, float] = {}
    for i, j, score in edges:
        ri, rj = find(i), find(j)
        root = min(ri, rj)
        parent[max(ri, rj)] = root
        low[root] = min(score, low.pop(ri, 100.0), low.pop(rj, 100.0))
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        members[find(i)].append(i)
    return {r: (m, low.get(r, 100.0)) for r, m in members.items() if len(m) > 1}


def _rank(doc: _Doc, folded: dict[int, str]) -> tuple[int, int, str, int]:
    """Which copy to keep: fewest warnings, most (folded) text, first label, first index."""
    return (doc.warnings, -len(folded[doc.index]), doc.label, doc.index)


def find_duplicates(
    items: Sequence[Reply | str], threshold: float = THRESHOLD,
    keys: Sequence[frozenset[int] | None] | None = None,
) -> list[DuplicateGroup]:
    """Every group of two or more items that are one letter, ordered by the kept label.
    ``keys``: each item's ``sentence_keys`` where already known (None: computed here)."""
    known = keys if keys is not None else [None] * len(items)
    docs = [_doc(i, item, k) for i, (item, k) in enumerate(zip(items, known, strict=True))]
    edges = []
    folded: dict[int, str] = {}
    for i, j in _candidates(docs):  # any order: union-find and min() do not care
        score = _similarity(docs[i], docs[j], threshold, folded)
        if score >= threshold:
            edges.append((i, j, score))
    out: list[DuplicateGroup] = []
    for members, score in _groups(edges, len(docs)).values():
        ranked = sorted((docs[m] for m in members), key=lambda d: _rank(d, folded))
        drop = sorted(d.index for d in ranked[1:])
        out.append(
            DuplicateGroup(
                keep=ranked[0].index,
                drop=tuple(drop),
                keep_label=ranked[0].label,
                drop_labels=tuple(docs[d].label for d in drop),
                score=score,
            )
        )
    return sorted(out, key=lambda g: (g.keep_label, g.keep))


def drop_duplicates(replies: Sequence[Reply]) -> tuple[list[Reply], list[DuplicateGroup]]:
    """The replies without the dropped copies (input order kept), and the groups found."""
    groups = find_duplicates(replies)
    dropped = {i for group in groups for i in group.drop}
    return [r for i, r in enumerate(replies) if i not in dropped], groups
