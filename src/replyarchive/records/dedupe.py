"""Find the same letter twice, and letters that are nearly the same without being one.

Staff export the same reply from a PDF twice, paste it from the web once more, or save it under
two names. Two files are one letter only when their facts agree (addressee, proposers, proposal
title and number, 文号, date, kind, department) and their texts differ by extraction noise at
most: whitespace (so page breaks), full/half width and page numbers. Anything else (a word, a
figure, a redaction, a correction that is shorter) makes two letters; when their texts are still
nearly the same (fuzz.ratio ≥ ``threshold``) the pair is a *near copy*: both are kept, and the
report quotes their first difference, so nothing is chosen silently.

Comparing every pair is quadratic (50 million pairs at 10,000 letters), so only candidates are
compared: letters sharing a rare sentence (whitespace and punctuation folded away; a sentence
held by very many letters is boilerplate, 专此答复…) or their document number. Copies of one
letter share their sentences, so they are always candidates; a candidate pair is then one
letter when the folded facts and texts are equal, and a near copy when they share at least half
their sentence keys (Jaccard) and their folded texts score at least ``threshold``.

Of each group of copies the archive keeps one, chosen the same way on every run: fewest
warnings, then the first in input order (the pipeline gives inputs in path order).

A verdict on a pair depends on the two records alone, so a rebuild can take the last build's
verdicts (``Verdicts``, kept by the parse cache) for pairs of unchanged records: each record is
named by what makes it (``record_name``: its file's path and bytes, and its place among that
file's letters), and only pairs with a changed record are compared again.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain, combinations
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from replyarchive.errors import Problem
from replyarchive.records.likeness import (
    facts,
    fold,
    full_text,
    sentence_keys,
    text_keys,
)
from replyarchive.records.model import Reply
from replyarchive.vocab.forms import DOC_NUMBER

THRESHOLD = 95.0
"""Lowest fuzz.ratio (0-100) of two folded texts that are reported as a near copy."""
MIN_JACCARD = 0.5
"""Share of sentence keys two near copies must have in common to be compared."""
RARE_KEY = 8
"""A sentence held by more letters than this is boilerplate and links no candidates (a letter
saved twice or three times shares its own sentences with only its copies)."""
QUOTE = 12
"""Characters quoted on each side of a first difference."""

@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """Files that are one letter: the copy the archive keeps and the copies it drops."""

    keep: int
    """Index (in the input sequence) of the copy that is kept."""
    drop: tuple[int, ...]
    """Indexes of the other copies, ascending."""
    keep_label: str
    """Source path of the kept copy (or ``#<index>`` for a bare text)."""
    drop_labels: tuple[str, ...]
    """Source paths of the dropped copies, in the order of ``drop``."""

    def reason(self) -> str:
        """Why a dropped copy is left out, and what to do about it."""
        return (
            f"the same letter as {self.keep_label} (the same facts and text but for whitespace, "
            f"character width or page numbers); only {self.keep_label} is published. Remove "
            "one of the two files"
        )

    def messages(self) -> tuple[str, ...]:
        """One line per dropped copy: ``label: reason``."""
        return tuple(f"{label}: {self.reason()}" for label in self.drop_labels)


@dataclass(frozen=True, slots=True)
class NearCopy:
    """Two letters nearly the same, both kept: a correction, a redacted copy, a reply re-sent."""

    first: int
    """Index of the earlier letter (in the input sequence)."""
    second: int
    """Index of the later one, which the report is about."""
    first_label: str
    """Source path of the earlier letter."""
    second_label: str
    """Source path of the later letter."""
    score: float
    """fuzz.ratio of their folded texts, 0-100 (below 100: they differ)."""
    difference: str
    """Where they first differ, quoted from both."""

    def reason(self) -> str:
        """What the report says about ``second``, and what to do."""
        return (
            f"nearly the same letter as {self.first_label} ({_percent(self.score)} alike) but "
            f"not the same: {self.difference}; both are published. If one replaces the other "
            "(a correction, a redacted copy), remove the file that must not be published"
        )


@dataclass(frozen=True, slots=True)
class Findings:
    """What the duplicate search found: copies of one letter, and near copies."""

    groups: tuple[DuplicateGroup, ...]
    """Each group of files that are one letter, ordered by the kept label."""
    near: tuple[NearCopy, ...]
    """Each letter nearly the same as an earlier one (once, with the first such letter)."""
    verdicts: Verdicts = field(default_factory=dict)
    """The verdicts on the pairs compared (by ``record_name``), when names were given."""


Verdicts = dict[tuple[str, str], list[Any]]
"""(name, name) of a pair of records (``record_name``) → [one letter?, fuzz score or None,
first difference or None]: what comparing them said, each None until asked."""


def record_name(reply: Reply, place: int) -> str:
    """What names a record for the verdicts: its source's path and bytes (as the parse cache
    keys its entry) and ``place``, its position among the records of that file."""
    text = f"{reply.source.path}\0{reply.source.sha256}\0{place}"
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:24]


@dataclass(frozen=True, slots=True)
class _Doc:
    """One letter as dedupe sees it: its keys and the document number it blocks on."""

    index: int
    label: str
    item: Reply | str
    """The record or bare text (its texts are made only for the few letters compared)."""
    keys: frozenset[int]
    number: str | None
    warnings: int


def _percent(score: float) -> str:
    """``score`` rounded down, so texts that differ never read 100.0%."""
    return f"{min(math.floor(score * 10) / 10, 99.9):.1f}%"


def _doc(index: int, item: Reply | str, keys: frozenset[int] | None = None) -> _Doc:
    if isinstance(item, Reply):
        found = sentence_keys(item) if keys is None else keys
        return _Doc(index, item.source.path, item, found, item.doc_number, len(item.warnings))
    number = DOC_NUMBER.search(fold(item))
    return _Doc(index, f"#{index}", item, text_keys(item),
                "-".join(number.group(2, 3)) if number else None, 0)


def _candidates(docs: Sequence[_Doc]) -> set[tuple[int, int]]:
    """Pairs (i < j) of letters sharing a rare sentence or their document number."""
    counts = Counter(chain.from_iterable(doc.keys for doc in docs))  # in C: most keys are
    shared = {key for key, n in counts.items() if 1 < n <= RARE_KEY}  # one letter's own
    holders: dict[int, list[int]] = defaultdict(list)
    numbers: dict[str, list[int]] = defaultdict(list)
    for doc in docs:
        for key in shared.intersection(doc.keys):
            holders[key].append(doc.index)
        if doc.number is not None:
            numbers[doc.number].append(doc.index)
    pairs: set[tuple[int, int]] = set()
    for members in chain(holders.values(), numbers.values()):  # each ascending (i < j)
        if len(members) > 1:
            pairs.update(combinations(members, 2))
    return pairs


class _Compared:
    """The folded facts and texts of the letters compared, each made once, on first need."""

    def __init__(self, docs: Sequence[_Doc], names: Sequence[str] | None = None,
                 known: Verdicts | None = None) -> None:
        self.docs = docs
        self.names = names
        self.known = known or {}
        self.said: Verdicts = {}
        """The verdicts of this search, known or worked out (what the next one may take)."""
        self._facts: dict[int, tuple[tuple[str, str], ...]] = {}
        self._text: dict[int, str] = {}

    def _verdict(self, i: int, j: int, slot: int, work: Any) -> Any:
        """Slot ``slot`` of the pair's verdict: the known one, else ``work()``."""
        if self.names is None:
            return work()
        said = self._said(i, j)
        if said[slot] is None:
            said[slot] = work()
        return said[slot]

    def _said(self, i: int, j: int) -> list[Any]:
        """This search's verdict on the pair, begun as the known one (a verdict depends on the
        two records alone, so each slot known holds), or as nothing known."""
        assert self.names is not None
        pair = (self.names[i], self.names[j])
        said = self.said.get(pair)
        if said is None:
            known = self.known.get(pair)
            said = self.said[pair] = [None, None, None] if known is None else list(known)
        return said

    def same_letters(self, pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
        """The pairs that are one letter (``same_letter`` of each, in one loop: at 10,000
        letters there are tens of thousands of candidate pairs, almost all with a verdict)."""
        if self.names is None:
            return [(i, j) for i, j in pairs if self.same_letter(i, j)]
        found = []
        for i, j in pairs:
            said = self._said(i, j)
            if said[0] is None:
                said[0] = self.facts(i) == self.facts(j) and self.text(i) == self.text(j)
            if said[0]:
                found.append((i, j))
        return found

    def facts(self, index: int) -> tuple[tuple[str, str], ...]:
        if index not in self._facts:
            self._facts[index] = facts(self.docs[index].item)
        return self._facts[index]

    def text(self, index: int) -> str:
        if index not in self._text:
            self._text[index] = full_text(self.docs[index].item)
        return self._text[index]

    def same_letter(self, i: int, j: int) -> bool:
        return bool(self._verdict(i, j, 0, lambda: self.facts(i) == self.facts(j)
                                  and self.text(i) == self.text(j)))

    def near(self, i: int, j: int, threshold: float) -> float:
        """fuzz.ratio of the folded texts, or 0.0 when too few sentences are shared."""
        if self.names is None:
            return self._near(i, j, threshold)
        said = self._said(i, j)  # _verdict inlined: this runs for every candidate pair
        if said[1] is None:
            said[1] = self._near(i, j, threshold)
        return float(said[1])

    def _near(self, i: int, j: int, threshold: float) -> float:
        a, b = self.docs[i], self.docs[j]
        common = len(a.keys & b.keys)  # |a ∪ b| = |a| + |b| - |a ∩ b|, without making it
        if (a.keys or b.keys) and common < MIN_JACCARD * (len(a.keys) + len(b.keys) - common):
            return 0.0
        return float(fuzz.ratio(self.text(i), self.text(j), score_cutoff=threshold))

    def difference(self, i: int, j: int) -> str:
        """The first fact that differs, else the first place their texts differ, quoted."""
        return str(self._verdict(i, j, 2, lambda: self._difference(i, j)))

    def _difference(self, i: int, j: int) -> str:
        for (name, x), (_, y) in zip(self.facts(i), self.facts(j), strict=True):
            if x != y:
                return f"{name} is {_quote(y, 0, 40)} here, {_quote(x, 0, 40)} there"
        a, b = self.text(i), self.text(j)
        at = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                  min(len(a), len(b)))
        return f"the text reads {_quote(b, at)} here, {_quote(a, at)} there"


def _quote(text: str, at: int, width: int = QUOTE) -> str:
    """``text`` around position ``at``, in 「」; (empty) or (ends) where there is nothing."""
    if not text:
        return "(empty)"
    if at >= len(text):
        return f"(ends) after 「…{text[-width:]}」"
    start, end = max(0, at - width), at + width
    return f"「{'…' * (start > 0)}{text[start:end]}{'…' * (end < len(text))}」"


def _roots(edges: Sequence[tuple[int, int]], n: int) -> list[int]:
    """Union-find over pairs that are one letter: each index's group root (lowest index)."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in edges:
        ri, rj = find(i), find(j)
        parent[max(ri, rj)] = min(ri, rj)
    return [find(i) for i in range(n)]


def _kept_pairs(pairs: list[tuple[int, int]], kept: list[int]) -> list[tuple[int, int]]:
    """The candidate pairs (sorted) with each letter replaced by the copy kept of it, sorted
    and without repeats (the same pairs when no letter has a copy)."""
    if all(k == index for index, k in enumerate(kept)):
        return pairs
    ordered = set()
    for i, j in pairs:
        a, b = kept[i], kept[j]
        ordered.add((a, b) if a < b else (b, a))
    return sorted(ordered)


def search(items: Sequence[Reply | str], threshold: float = THRESHOLD,
           keys: Sequence[frozenset[int] | None] | None = None,
           names: Sequence[str] | None = None, verdicts: Verdicts | None = None) -> Findings:
    """The copies of one letter among ``items``, and the near copies.
    ``keys``: each item's ``sentence_keys`` where already known (None: computed here);
    ``names``: each item's ``record_name``, with ``verdicts`` on pairs of them from a search
    of the same threshold (taken as they are, for the pairs they hold)."""
    given = keys if keys is not None else [None] * len(items)
    docs = [_doc(i, item, k) for i, (item, k) in enumerate(zip(items, given, strict=True))]
    compared = _Compared(docs, names, verdicts)
    pairs = sorted(_candidates(docs))
    roots = _roots(compared.same_letters(pairs), len(docs))
    members: dict[int, list[_Doc]] = defaultdict(list)
    for doc in docs:
        members[roots[doc.index]].append(doc)
    groups, kept = [], {}
    for root, copies in members.items():
        if len(copies) == 1:  # most letters: no copy, nothing to rank
            kept[root] = copies[0].index
            continue
        ranked = sorted(copies, key=lambda d: (d.warnings, d.index))
        kept[root] = ranked[0].index
        if len(ranked) > 1:
            drop = sorted(d.index for d in ranked[1:])
            groups.append(DuplicateGroup(ranked[0].index, tuple(drop), ranked[0].label,
                                         tuple(docs[d].label for d in drop)))
    near: dict[int, NearCopy] = {}
    for i, j in _kept_pairs(pairs, [kept[root] for root in roots]):
        if i == j or j in near:
            continue
        score = compared.near(i, j, threshold)
        if score >= threshold:
            near[j] = NearCopy(i, j, docs[i].label, docs[j].label, score,
                               compared.difference(i, j))
    return Findings(tuple(sorted(groups, key=lambda g: (g.keep_label, g.keep))),
                    tuple(near[j] for j in sorted(near)), compared.said)


def find_duplicates(
    items: Sequence[Reply | str], threshold: float = THRESHOLD,
    keys: Sequence[frozenset[int] | None] | None = None,
) -> list[DuplicateGroup]:
    """Every group of two or more items that are one letter, ordered by the kept label."""
    return list(search(items, threshold, keys).groups)


def drop_copies(found: Sequence[tuple[Reply, Path]], keys: Sequence[frozenset[int]],
                verdicts: Verdicts | None = None
                ) -> tuple[list[tuple[Reply, Path]], list[Problem], Verdicts]:
    """Keep one copy of a letter saved twice (input order kept), with a warning about each
    copy left out, and a warning about each letter nearly the same as another (both kept).
    ``found``: each record with the file it came from; ``keys``: their ``sentence_keys``;
    ``verdicts``: the last search's (``Findings.verdicts``), whose pairs are not compared
    again. Also return this search's verdicts, for the next."""
    places: Counter[tuple[str, str]] = Counter()
    names = []
    for reply, _ in found:
        source = (reply.source.path, reply.source.sha256)
        names.append(record_name(reply, places[source]))
        places[source] += 1
    findings = search([reply for reply, _ in found], keys=keys, names=names, verdicts=verdicts)
    dropped: set[int] = set()
    problems = []
    for group in findings.groups:
        for index in group.drop:
            dropped.add(index)
            problems.append(Problem(str(found[index][1]), None, group.reason(), "warning"))
    problems += [Problem(str(found[near.second][1]), None, near.reason(), "warning")
                 for near in findings.near]
    return ([pair for index, pair in enumerate(found) if index not in dropped], problems,
            findings.verdicts)
