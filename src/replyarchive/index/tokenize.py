"""The search tokenizer. static/tokenize.js is its twin; tests/fixtures/tokenizer_vectors.json
holds the cases both must agree on (checked by pytest and by ``node --test``).

Steps, in order:
1. fold: NFKC (full-width → half-width), traditional → simplified (OpenCC's table, per
   character), lower case, variation selectors dropped;
2. split into runs: a CJK run (Han, kana, hangul), a word run (any other letter, digit or mark),
   anything else is a separator. Code points U+E000–U+FFFF are separators too (private use and
   presentation forms; NFKC has already mapped the useful ones), so that sorting terms by code
   point (Python) and by UTF-16 unit (JavaScript) is the same order;
3. a CJK run becomes its character bigrams; a word run is one token (a ``.`` between digits is
   part of it: 4.5 is one word);
4. a *junction* token joins a word run to the CJK character printed right after it (the unit,
   measure word or suffix: 4261户, 103栋, 4.5米, 48号, a类, 5g通) and to an ordinal prefix right
   before it (第48); 第48号 gives 第48, 48, 48号. Other characters before a number are not
   joined: they are rarely part of what a reader types, and a junction per number and
   neighbour would grow the index's vocabulary by a term per number. A lone CJK character is
   also a unigram (家 finds 120家), but a query leaves a lone character beside a word to the
   junction (``query_tokens``): 第48号 requires 第48 and 48号, not 第 and 号 anywhere; the 约
   of 约4.5米 is not required. The letter may print 第 48 号 or 第48号: normalisation removes
   spaces beside CJK, and the query joins them the same way (query.py).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from functools import lru_cache

from replyarchive.index.t2s import t2s_table

CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3021, 0x3029),  # Hangzhou numerals
    (0x3040, 0x30FF),  # kana
    (0x3400, 0x4DBF),  # CJK Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0x20000, 0x3FFFF),  # CJK Extensions B and later
)
CJK, WORD, SEP = 1, 2, 0
DIGITS = "0123456789"
ORDINAL_PREFIXES = "第"
"""CJK characters that make one word with the number after them (第48号 is read 第48 + 号);
any other character before a number is a word of its own (共4261户: 共 + 4261户)."""


VARIATION_SELECTORS = frozenset(map(chr, [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)]))
_DROP_SELECTORS = dict.fromkeys(map(ord, VARIATION_SELECTORS))


@lru_cache(maxsize=1)
def _t2s_translation() -> tuple[frozenset[str], dict[int, str]]:
    table = t2s_table()
    return frozenset(table), {ord(ch): to for ch, to in table.items()}


def fold(text: str, table: Mapping[str, str] | None = None) -> str:
    """NFKC, traditional → simplified, lower case; variation selectors removed. Each step is
    per character; the ones a text does not need (most letters print no traditional
    character and no selector) are skipped."""
    if table is None:
        sources, translation = _t2s_translation()
    else:
        sources, translation = frozenset(table), {ord(ch): to for ch, to in table.items()}
    nfkc = unicodedata.normalize("NFKC", text)
    simplified = (nfkc if sources.isdisjoint(nfkc) else nfkc.translate(translation)).lower()
    if VARIATION_SELECTORS.isdisjoint(simplified):
        return simplified
    return simplified.translate(_DROP_SELECTORS)


@lru_cache(maxsize=65536)
def char_class(ch: str) -> int:
    """1 for a CJK character, 2 for another letter/digit/mark, 0 for a separator."""
    cp = ord(ch)
    for low, high in CJK_RANGES:
        if low <= cp <= high:
            return CJK
    if 0xE000 <= cp <= 0xFFFF:
        return SEP
    return WORD if unicodedata.category(ch)[0] in "LNM" else SEP


def _runs(folded: str) -> list[tuple[int, int, int]]:
    """(start, end, kind) of each CJK or word run; a ``.`` between two ASCII digits stays in
    its word run, so that a decimal (4.5) is one word."""
    runs: list[tuple[int, int, int]] = []
    start, kind = 0, SEP
    for i, ch in enumerate(folded):
        cls = char_class(ch)
        if cls == SEP and ch == "." and kind == WORD and _is_decimal_point(folded, i):
            continue
        if cls != kind:
            if kind != SEP:
                runs.append((start, i, kind))
            start, kind = i, cls
    if kind != SEP:
        runs.append((start, len(folded), kind))
    return runs


def _is_decimal_point(folded: str, i: int) -> bool:
    return folded[i - 1] in DIGITS and i + 1 < len(folded) and folded[i + 1] in DIGITS


def _cjk_tokens(run: str, joined: bool, query: bool) -> list[str]:
    """Bigrams; a lone character is a unigram, except in a query where a junction holds it."""
    if len(run) == 1:
        return [] if joined and query else [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def tokenize_folded(folded: str, query: bool = False) -> list[str]:
    """Tokens of text that is already folded, in text order; ``query``: a query's tokens."""
    runs = _runs(folded)
    tokens: list[str] = []
    for n, (start, end, kind) in enumerate(runs):
        before = runs[n - 1] if n and runs[n - 1][1] == start else None
        after = runs[n + 1] if n + 1 < len(runs) and runs[n + 1][0] == end else None
        run = folded[start:end]
        if kind == CJK:
            tokens.extend(_cjk_tokens(run, before is not None or after is not None, query))
            continue
        if before is not None and folded[start - 1] in ORDINAL_PREFIXES:
            tokens.append(folded[start - 1] + run)
        tokens.append(run)
        if after is not None:
            tokens.append(run + folded[end])
    return tokens


def tokenize(text: str, table: Mapping[str, str] | None = None) -> list[str]:
    """Index tokens of ``text``: CJK bigrams, lone CJK characters, whole lower-case Latin/digit
    words and their junctions with the CJK characters beside them."""
    return tokenize_folded(fold(text, table))


def query_tokens(text: str, table: Mapping[str, str] | None = None) -> list[str]:
    """A query word's tokens: as ``tokenize``, but a lone CJK character beside a word is left
    to its junction (第48号 → 第48, 48, 48号), so that it is not required on its own."""
    return tokenize_folded(fold(text, table), query=True)


def squash(text: str, table: Mapping[str, str] | None = None) -> str:
    """The folded text with every separator removed: what an exact phrase is matched against."""
    return "".join(ch for ch in fold(text, table) if char_class(ch) != SEP)
