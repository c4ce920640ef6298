"""The query, in Python: the reference twin of static/search.js, used by the parity tests.

A query is words separated by spaces. ``"…"`` (or “…”, 「…」) is an exact phrase, ``-word``
excludes. Every word is cut by the tokenizer; every bigram of a word is required, all in the
part itself or all in its letter's metadata (title, department, proposers, numbers…), and at
least one word must be in the part itself. A phrase is also checked against the text. Results
are parts (``<id>#<part>``) and, when the metadata alone holds every word, the letter's facts
panel (``<id>#facts``); sorted by score (desc), then ref (``<slot>#<part>``).

Skipped bigrams: a hot bigram (see shards.py) of a word that also has a rarer bigram is not
looked up; it is in most documents anyway, and loading it would cost the most bytes.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from lunr.index import Index
from lunr.query import QueryPresence

from replyarchive.errors import BuildError
from replyarchive.index.documents import FACTS_ID
from replyarchive.index.packed import lines_of, lunr_index, unpack
from replyarchive.index.payloads import chunk_file, chunk_of, read_chunk, read_script
from replyarchive.index.shards import META_NAMES, TEXT_NAMES, ShardPlan
from replyarchive.index.tokenize import CJK, WORD, char_class, query_tokens, squash

QUOTES = "\"“”「」『』"
SPACES = " \t\n\r\f\v"


@dataclass(frozen=True, slots=True)
class QueryItem:
    """One word or phrase of a query."""

    text: str
    """As typed (NFKC-folded)."""
    tokens: tuple[str, ...]
    """Its search tokens."""
    phrase: bool
    """Quoted: must appear as is (ignoring spaces and punctuation)."""
    negated: bool
    """Preceded by ``-``: results must not contain it."""


@dataclass(frozen=True, slots=True)
class Hit:
    """One result: a part ``<id>#<part>`` or the letter's facts ``<id>#facts``."""

    ref: str
    score: float


def parse_query(raw: str) -> tuple[QueryItem, ...]:
    """Words, phrases and exclusions of a query string; items without tokens are dropped."""
    text = unicodedata.normalize("NFKC", raw)
    items: list[QueryItem] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] in SPACES:
            i += 1
            continue
        negated = text[i] == "-" and i + 1 < n and text[i + 1] not in SPACES
        if negated:
            i += 1
        if text[i] in QUOTES:
            end = _find_any(text, QUOTES, i + 1)
            items.append(_item(text[i + 1 : end], True, negated))
            i = end + 1
        else:
            end = _find_any(text, SPACES + QUOTES, i)
            items.append(_item(text[i:end], False, negated))
            i = end
    return tuple(_join_lone_characters([item for item in items if item.tokens]))


def _join_lone_characters(items: list[QueryItem]) -> list[QueryItem]:
    """第 48 号 → 第48号: a one-character CJK word typed beside a number or a Latin word, with
    spaces between, is read as the letters print it (normalisation removes spaces beside CJK),
    so that it is found through its junction token (see tokenize.py)."""
    out: list[QueryItem] = []
    for item in items:
        if out and _joins(out[-1], item):
            item = _item(out.pop().text + item.text, False, False)
        out.append(item)
    return out


def _joins(left: QueryItem, right: QueryItem) -> bool:
    if left.phrase or right.phrase or left.negated or right.negated:
        return False
    return (_lone_cjk(left.text) and char_class(right.text[0]) == WORD) or (
        _lone_cjk(right.text) and char_class(left.text[-1]) == WORD)


def _lone_cjk(text: str) -> bool:
    return len(text) == 1 and char_class(text) == CJK


def _find_any(text: str, chars: str, start: int) -> int:
    for j in range(start, len(text)):
        if text[j] in chars:
            return j
    return len(text)


def _item(text: str, phrase: bool, negated: bool) -> QueryItem:
    return QueryItem(text, tuple(query_tokens(text)), phrase, negated)


def looked_up(item: QueryItem, hot: frozenset[str]) -> list[str]:
    """The tokens of an item that are looked up: its non-hot ones, or all if all are hot."""
    rare = [t for t in item.tokens if t not in hot]
    return rare or list(item.tokens)


def _unique_sorted(tokens: Iterable[str]) -> list[str]:
    return sorted(set(tokens))


@dataclass
class SiteSearch:
    """The search data of a built site, read from ``<site>/search`` as the browser reads it."""

    folder: Path
    _files: dict[str, dict[str, Index | None]] = field(default_factory=dict)
    _results: dict[str, dict[str, Any]] = field(default_factory=dict)

    @cached_property
    def catalog(self) -> dict[str, Any]:
        path = self.folder / "catalog.js"
        if not path.is_file():
            raise BuildError("no search catalog: build the site first", path)
        data: dict[str, Any] = read_script(path)
        return data

    @cached_property
    def letter_ids(self) -> dict[str, str]:
        """Slot → letter id: the index's refs name a letter by its slot."""
        data = read_script(self.folder / "letters.js")
        column = data["letterColumns"].index("slot")
        return {row[column]: row[0] for row in data["letters"]}

    @cached_property
    def slots(self) -> dict[str, str]:
        """Letter id → slot."""
        return {letter_id: slot for slot, letter_id in self.letter_ids.items()}

    @cached_property
    def plan(self) -> ShardPlan:
        return ShardPlan(self.catalog["shards"], frozenset(self.catalog["hot"]))

    def shard(self, key: str) -> dict[str, Index | None]:
        if key not in self._files:
            path = self.folder / "shards" / f"{key}.js"
            lines = lines_of(unpack(path.read_bytes())) if path.is_file() else []
            loaded: dict[str, Index | None] = {}
            for name, kind, fields in (("text", "t", TEXT_NAMES), ("meta", "m", META_NAMES)):
                data = lunr_index(lines, kind, fields)
                loaded[name] = None if data is None else Index.load(data)
            self._files[key] = loaded
        return self._files[key]

    def letter(self, letter_id: str) -> dict[str, Any]:
        """A letter's payload, from its chunk file ``letters/<n>.js``."""
        if letter_id not in self._results:
            slot = self.slots[letter_id]
            chunk = chunk_of(int(slot, 36), int(self.catalog["chunks"]))
            data = read_chunk((self.folder / chunk_file(chunk)).read_bytes())
            self._results[letter_id] = data[slot]
        return self._results[letter_id]

    def result(self, ref: str) -> dict[str, Any]:
        """What a result shows: ``{"letter": summary with its metadata text joined, "part":
        the part's row, or None for the facts (``<id>#facts``)}``."""
        letter_id, _, part_id = ref.partition("#")
        data = self.letter(letter_id)
        letter = {**data["letter"], "meta": "\n".join(data["letter"]["meta"])}
        rows = [row for row in data["parts"] if row[0] == part_id]
        return {"letter": letter, "part": rows[0] if rows else None}


Accumulator = tuple[dict[str, set[str]], dict[str, float]]


def idf(df: int, documents: int) -> float:
    """lunr's idf of a term found in ``df`` of ``documents`` documents, to 6 decimals (so that
    Python and JavaScript agree even where their logarithms differ in the last bit)."""
    x = (documents - df + 0.5) / (df + 0.5)
    return max(1e-6, math.floor(math.log(1 + abs(x)) * 1e6 + 0.5) / 1e6)


def idf_scale(documents: dict[str, int]) -> float:
    """What the facts' idf is multiplied by: a term found in one letter's facts weighs what a
    term found in one part weighs. The facts are counted over letters, the parts over parts
    (twenty times as many), so without it a name in its own letter's facts would rank below
    the same name quoted once in another letter's text."""
    return idf(1, int(documents["text"])) / idf(1, int(documents["meta"]))


def docs_with(index: Index, term: str) -> int:
    """The number of distinct documents in a term's posting."""
    posting = index.inverted_index[term]
    seen: set[str] = set()
    for name in index.fields:
        seen.update(posting[name])
    return len(seen)


def _run(index: Index, terms: Sequence[str], required: Callable[[str], bool],
         acc: Accumulator, letter_ids: dict[str, str], documents: int, scale: float) -> None:
    """Query one shard index, each term boosted by its idf; add each result's matched terms
    and score to acc, under its full ref. lunr divides a score by the query vector's length
    (the boosts' norm), which is multiplied back so that scores add up across files."""
    query = index.create_query()
    squares = 0.0
    for term in terms:
        presence = QueryPresence.REQUIRED if required(term) else QueryPresence.OPTIONAL
        boost = 1.0
        if term in index.inverted_index:
            boost = idf(docs_with(index, term), documents) * scale
            squares += boost * boost
        query.term(term, use_pipeline=False, presence=presence, boost=boost)
    factor = math.sqrt(squares)
    matched, scores = acc
    for result in index.query(query):
        slot, sep, part_id = result["ref"].partition("#")
        ref = f"{letter_ids[slot]}{sep}{part_id}"
        matched.setdefault(ref, set()).update(result["match_data"].metadata)
        scores[ref] = scores.get(ref, 0.0) + result["score"] * factor


def _collect(site: SiteSearch, terms: Sequence[str], which: str,
             required: Callable[[str], bool]) -> Accumulator:
    acc: Accumulator = ({}, {})
    by_file: dict[str, list[str]] = {}
    for term in terms:
        by_file.setdefault(site.plan.file_of(term), []).append(term)
    documents = int(site.catalog["documents"][which])
    scale = idf_scale(site.catalog["documents"]) if which == "meta" else 1.0
    for key in sorted(by_file):
        index = site.shard(key)[which]
        if index is not None:
            _run(index, by_file[key], required, acc, site.letter_ids, documents, scale)
    return acc


def search(site: SiteSearch, raw: str) -> list[Hit]:
    """Run a query over a built site's search files; results best first."""
    items = parse_query(raw)
    hot = frozenset(site.plan.hot)
    wanted = [item for item in items if not item.negated]
    required = _unique_sorted(t for item in wanted for t in looked_up(item, hot))
    if not required:
        return []
    letter_terms, letter_scores = _collect(site, required, "meta", lambda t: False)
    in_meta = set().union(*letter_terms.values()) if letter_terms else set()
    doc_terms, doc_scores = _collect(site, required, "text", lambda t: t not in in_meta)
    is_excluded = _exclusions(site, [i for i in items if i.negated], hot)
    words = [set(looked_up(item, hot)) for item in wanted]
    hits: list[Hit] = []
    for ref, score in doc_scores.items():
        letter_id = ref.split("#", 1)[0]
        meta = letter_terms.get(letter_id, set())
        if _part_matches(words, doc_terms[ref], meta) and not is_excluded(ref, letter_id):
            hits.append(Hit(ref, score + letter_scores.get(letter_id, 0.0)))
    for letter_id, score in letter_scores.items():
        found = letter_terms[letter_id]
        if all(word <= found for word in words) and not is_excluded(letter_id, letter_id):
            hits.append(Hit(f"{letter_id}#{FACTS_ID}", score))
    phrases = [squash(item.text) for item in wanted if item.phrase]
    if phrases:
        hits = [hit for hit in hits if _has_phrases(site, hit.ref, phrases)]
    return sorted(hits, key=lambda hit: (-hit.score, _slot_ref(site, hit.ref)))


def _slot_ref(site: SiteSearch, ref: str) -> str:
    """The ref as the index names it (``<slot>#<part>``): ties are ordered by it, as in
    static/search.js, whose hits keep it."""
    letter_id, _, part_id = ref.partition("#")
    return f"{site.slots[letter_id]}#{part_id}"


def _part_matches(words: Sequence[set[str]], own: set[str], meta: set[str]) -> bool:
    """Each word wholly in the part or wholly in its letter's metadata; one in the part."""
    in_part = [word <= own for word in words]
    pairs = zip(words, in_part, strict=True)
    return any(in_part) and all(inside or word <= meta for word, inside in pairs)


def _exclusions(site: SiteSearch, negated: Sequence[QueryItem],
                hot: frozenset[str]) -> Callable[[str, str], bool]:
    """A test (ref, letter id) → True when the result holds one of the excluded words."""
    words = [looked_up(item, hot) for item in negated]
    terms = _unique_sorted(t for word in words for t in word)
    doc_terms, _ = _collect(site, terms, "text", lambda t: False)
    letter_terms, _ = _collect(site, terms, "meta", lambda t: False)

    def excluded(ref: str, letter_id: str) -> bool:
        have = doc_terms.get(ref, set()) | letter_terms.get(letter_id, set())
        return any(set(word) <= have for word in words)

    return excluded


def _has_phrases(site: SiteSearch, ref: str, phrases: Sequence[str]) -> bool:
    data = site.result(ref)
    texts = [data["letter"]["meta"]]
    if data["part"] is not None:
        texts.append(f"{data['part'][2]}\n{data['part'][5]}")
    squashed = [squash(text) for text in texts]
    return all(any(p in s for s in squashed) for p in phrases)


@dataclass(frozen=True, slots=True)
class Group:
    """One letter among the results, with its matching parts best first."""

    letter_id: str
    score: float
    """Its best part's score: what the letters are ranked by."""
    hits: tuple[Hit, ...]


def group_hits(hits: Sequence[Hit]) -> list[Group]:
    """One entry per letter, in the order of its best part (hits are best first), the parts
    under it in their own order; static/search.js ``groupHits`` is its twin."""
    by_letter: dict[str, list[Hit]] = {}
    for hit in hits:
        by_letter.setdefault(hit.ref.split("#", 1)[0], []).append(hit)
    return [Group(letter_id, parts[0].score, tuple(parts))
            for letter_id, parts in by_letter.items()]
