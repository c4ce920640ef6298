"""The search tokenizer. static/tokenize.js is its twin; tests/fixtures/tokenizer_vectors.json
holds the cases both must agree on (checked by pytest and by ``node --test``).

Steps, in order:
1. fold: NFKC (full-width → half-width), traditional → simplified (OpenCC's table, per
   character), lower case, variation selectors dropped;
2. split into runs: a CJK run (Han, kana, hangul), a word run (any other letter, digit or mark),
   anything else is a separator. Code points U+E000–U+FFFF are separators too (private use and
   presentation forms; NFKC has already mapped the useful ones), so that sorting terms by code
   point (Python) and by UTF-16 unit (JavaScript) is the same order;
3. a CJK run becomes its character bigrams (a lone character stays a unigram); a word run is one
   token.
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
_CJK, _WORD, _SEP = 1, 2, 0


def _is_variation_selector(cp: int) -> bool:
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


def fold(text: str, table: Mapping[str, str] | None = None) -> str:
    """NFKC, traditional → simplified, lower case; variation selectors removed."""
    t2s = t2s_table() if table is None else table
    nfkc = unicodedata.normalize("NFKC", text)
    simplified = "".join(t2s.get(ch, ch) for ch in nfkc).lower()
    return "".join(ch for ch in simplified if not _is_variation_selector(ord(ch)))


@lru_cache(maxsize=65536)
def char_class(ch: str) -> int:
    """1 for a CJK character, 2 for another letter/digit/mark, 0 for a separator."""
    cp = ord(ch)
    for low, high in CJK_RANGES:
        if low <= cp <= high:
            return _CJK
    if 0xE000 <= cp <= 0xFFFF:
        return _SEP
    return _WORD if unicodedata.category(ch)[0] in "LNM" else _SEP


def _run_tokens(run: str, kind: int) -> list[str]:
    if kind == _WORD or len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def tokenize_folded(folded: str) -> list[str]:
    """Tokens of text that is already folded."""
    tokens: list[str] = []
    start, kind = 0, _SEP
    for i, ch in enumerate(folded):
        cls = char_class(ch)
        if cls != kind:
            if kind != _SEP:
                tokens.extend(_run_tokens(folded[start:i], kind))
            start, kind = i, cls
    if kind != _SEP:
        tokens.extend(_run_tokens(folded[start:], kind))
    return tokens


def tokenize(text: str, table: Mapping[str, str] | None = None) -> list[str]:
    """Search tokens of ``text``: CJK bigrams and whole lower-case Latin/digit words."""
    return tokenize_folded(fold(text, table))


def squash(text: str, table: Mapping[str, str] | None = None) -> str:
    """The folded text with every separator removed: what an exact phrase is matched against."""
    return "".join(ch for ch in fold(text, table) if char_class(ch) != _SEP)
