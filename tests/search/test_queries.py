"""Every shared search case, and the query language, through the Python query over the seeds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from replyarchive.index.query import SiteSearch, parse_query, search


def covers(ref: str, expected: str) -> bool:
    """A result counts for an expected section when it is that section or a part inside it."""
    return ref == expected or ref.startswith(expected + "-")


@pytest.fixture(scope="module")
def site(seed_index: Path) -> SiteSearch:
    return SiteSearch(seed_index)


def refs(site: SiteSearch, query: str) -> list[str]:
    return [hit.ref for hit in search(site, query)]


def test_shared_case_in_top_five(site: SiteSearch, search_case: dict[str, Any]) -> None:
    top = refs(site, search_case["q"])[:5]
    for expected in search_case["expect"]:
        assert any(covers(ref, expected) for ref in top), (expected, top)


def test_traditional_query_finds_simplified_text(site: SiteSearch) -> None:
    assert refs(site, "數字化") == refs(site, "数字化")
    assert refs(site, "數字化")


def test_every_word_is_required(site: SiteSearch) -> None:
    both = set(refs(site, "鑫光 揭榜"))
    assert both
    assert both <= set(refs(site, "鑫光")) & set(refs(site, "揭榜"))


def test_exclusion_removes_parts_with_the_word(site: SiteSearch) -> None:
    with_word = set(refs(site, "揭榜"))
    without = set(refs(site, "揭榜 -鑫光"))
    assert without < with_word
    assert not without & set(refs(site, "鑫光 揭榜"))


def test_phrase_must_appear_as_written(site: SiteSearch) -> None:
    loose = refs(site, "生产 设计")
    exact = refs(site, '"设计和生产"')
    assert exact and set(exact) <= set(loose)
    assert refs(site, '"生产和设计"') == []


def test_unknown_word_and_only_exclusions_give_nothing(site: SiteSearch) -> None:
    assert refs(site, "不存在的词语组合") == []
    assert refs(site, "-揭榜") == []
    assert refs(site, "   ") == []


def test_metadata_counts_for_every_part(site: SiteSearch, seed_index: Path) -> None:
    letter = site.catalog["letters"][0][0]
    number = site.result(letter)["letter"]["docNumber"]
    assert letter in refs(site, number)


def test_results_are_sorted_by_score_then_ref(site: SiteSearch) -> None:
    hits = search(site, "企业")
    assert hits == sorted(hits, key=lambda h: (-h.score, h.ref))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("鑫光 揭榜", [("鑫光", False, False), ("揭榜", False, False)]),
        ('"设计和 生产" -TCL', [("设计和 生产", True, False), ("TCL", False, True)]),
        ("“灯塔工厂”", [("灯塔工厂", True, False)]),
        ("－鑫光\u3000揭榜", [("鑫光", False, True), ("揭榜", False, False)]),
        ("- 。，", []),
        ('"unclosed phrase', [("unclosed phrase", True, False)]),
    ],
)
def test_parse_query(raw: str, expected: list[tuple[str, bool, bool]]) -> None:
    assert [(i.text, i.phrase, i.negated) for i in parse_query(raw)] == expected
