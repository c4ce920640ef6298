"""The Python tokenizer against the shared vectors (static/tokenize.js is held to the same file)."""

from __future__ import annotations

import base64
import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replyarchive.index import t2s
from replyarchive.index.t2s import parse_dictionary, t2s_table, table_pair, table_script
from replyarchive.index.tokenize import (
    VARIATION_SELECTORS,
    fold,
    query_tokens,
    squash,
    tokenize,
)

VECTORS = Path(__file__).resolve().parent.parent / "fixtures" / "tokenizer_vectors.json"
CASES: list[dict[str, Any]] = json.loads(VECTORS.read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["note"] for c in CASES])
def test_vector(case: dict[str, Any]) -> None:
    assert tokenize(case["text"]) == case["tokens"]
    assert query_tokens(case["text"]) == case.get("query", case["tokens"])
    assert squash(case["text"]) == case["squashed"]


def test_query_tokens_are_index_tokens() -> None:
    """What a query word requires is in the index tokens of the same text, as printed."""
    for case in CASES:
        assert set(query_tokens(case["text"])) <= set(case["tokens"])


def test_traditional_and_simplified_give_the_same_tokens() -> None:
    assert tokenize("生產") == tokenize("生产")
    assert tokenize("數字化") == tokenize("数字化")


def test_fold_is_idempotent() -> None:
    for case in CASES:
        once = fold(case["text"])
        assert fold(once) == once


def test_dictionary_keeps_single_characters_and_first_candidate() -> None:
    text = "產\t产\n乾\t干 乾\n一目瞭然\t一目了然\n著\t著\n"
    assert parse_dictionary(text) == {"產": "产", "乾": "干"}


def test_table_comes_from_opencc_and_is_aligned() -> None:
    table = t2s_table()
    assert len(table) > 3000
    sources, targets = table_pair(table)
    assert len(sources) == len(targets) == len(table)
    assert table_script(table).startswith("(typeof window")


def _fold_by_character(text: str, table: dict[str, str]) -> str:
    """The fold's definition, one character at a time (fold skips the steps a text needs not)."""
    simplified = "".join(table.get(ch, ch) for ch in unicodedata.normalize("NFKC", text)).lower()
    return "".join(ch for ch in simplified if ch not in VARIATION_SELECTORS)


@given(st.text(alphabet=st.sampled_from([*sorted(t2s_table())[:40], "\ufe0f", "\U000e0100",
                                         "Ａ", "Σ", "İ", "①", "生", "a", " ", "，"])))
def test_fold_is_its_definition_applied_per_character(text: str) -> None:
    assert fold(text) == _fold_by_character(text, t2s_table())
    to_selector = {"生": "\ufe0f", "Ａ": "B"}  # a table may even map to a selector
    assert fold(text, to_selector) == _fold_by_character(text, to_selector)


def test_table_keys_mark_exactly_the_mapped_characters() -> None:
    table = t2s.t2s_table()
    keys = t2s.table_keys(table)
    bits = base64.b64decode(str(keys["bits"]))
    start = int(str(keys["start"]))
    marked = {chr(start + i) for i in range(len(bits) * 8) if bits[i // 8] >> (i % 8) & 1}
    assert marked == {c for c in table if ord(c) < t2s.ASTRAL}
    assert keys["astral"] == any(ord(c) >= t2s.ASTRAL for c in table)
    assert t2s.table_keys({}) == {"start": 0, "bits": "", "astral": False}
