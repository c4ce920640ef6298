"""Every shared search case, and the query language, through the Python query over the seeds."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import QUERIES, search_cases

from replyarchive.index.documents import letter_parts
from replyarchive.index.query import SiteSearch, parse_query, search
from replyarchive.index.tokenize import squash
from replyarchive.records.model import Reply

FIGURE = re.compile(r"(?<![0-9A-Za-z.])[0-9A-Za-z]+(?:\.[0-9]+)?[\u4e00-\u9fff]")
"""A number or Latin word and the CJK character printed right after it."""


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


def test_number_with_its_characters_finds_its_letter(site: SiteSearch,
                                                      seed_replies: list[Reply]) -> None:
    """第N号 as printed in a letter, typed with or without spaces, or as N号, finds it: the
    one-character words 第 and 号 are held by junction tokens."""
    reply = next(r for r in seed_replies if r.proposal_number and r.title
                 and f"第{r.proposal_number}号" in r.title)
    number = reply.proposal_number
    for query in (f"第{number}号", f"第 {number} 号", f"{number}号"):
        assert any(ref.split("#")[0] == reply.id for ref in refs(site, query)), query


def test_figure_with_its_unit_is_found_in_context(site: SiteSearch,
                                                   seed_replies: list[Reply]) -> None:
    """Every figure or Latin word printed with the CJK character after it (86个, B类, 800米),
    typed as printed or with a space, finds a part holding it, first among the parts."""
    bodies = [part.body for reply in seed_replies for part in letter_parts(reply)]
    figures = sorted({m for body in bodies for m in FIGURE.findall(body)})
    assert len(figures) > 20
    for figure in figures:
        spaced = f"{figure[:-1]} {figure[-1]}"
        for query in (figure, spaced):
            hits = [ref for ref in refs(site, query) if "#" in ref]
            assert hits, query
            assert squash(figure) in squash(site.result(hits[0])["part"][5]), query


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
        ("第 48 号", [("第48号", False, False)]),
        ("4261 户 -TCL", [("4261户", False, False), ("TCL", False, True)]),
        ("TCL 企业 A 类", [("TCL", False, False), ("企业", False, False), ("A类", False, False)]),
        ('"第" 48 -号', [("第", True, False), ("48", False, False), ("号", False, True)]),
        ("镇 村", [("镇", False, False), ("村", False, False)]),
    ],
)
def test_parse_query(raw: str, expected: list[tuple[str, bool, bool]]) -> None:
    assert [(i.text, i.phrase, i.negated) for i in parse_query(raw)] == expected


def test_the_search_cases_are_in_the_repository() -> None:
    """The cases live in tests/fixtures, not beside the repository: a clone has them all."""
    assert QUERIES.is_relative_to(Path(__file__).resolve().parents[1])
    cases = search_cases()
    assert len(cases) >= 10
    assert all(case["q"] and case["expect"] for case in cases)
