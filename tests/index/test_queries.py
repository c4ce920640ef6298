"""Every shared search case, and the query language, through the Python query over the seeds."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import QUERIES, search_cases

from replyarchive.incremental.output import SiteOutput
from replyarchive.index.documents import letter_parts
from replyarchive.index.indexer import write_index
from replyarchive.index.query import SiteSearch, group_hits, parse_query, search
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
    letter = sorted(site.letter_ids.values())[0]
    number = site.result(letter)["letter"]["docNumber"]
    assert f"{letter}#facts" in refs(site, number)


def facts_typed(reply: Reply) -> list[str]:
    """What a reader types to find this letter by its facts: 文号, the proposal number as
    printed and as 48号, every proposer and contact name and every phone."""
    typed = [reply.doc_number or ""]
    if reply.proposal_number:
        typed += [f"第{reply.proposal_number}号", f"{reply.proposal_number}号"]
    typed += [*reply.proposers, *(c.name for c in reply.contacts)]
    typed += [c.phone for c in reply.contacts if c.phone]
    return [t for t in typed if t]


def test_a_fact_ranks_its_own_letter_first(site: SiteSearch, seed_replies: list[Reply]) -> None:
    """A number, a name or a phone of one letter (and of no other) puts that letter first, and
    its facts panel among its results."""
    owners: dict[str, set[str]] = {}
    for reply in seed_replies:
        for typed in facts_typed(reply):
            owners.setdefault(typed, set()).add(reply.id)
    checked = 0
    for typed, ids in sorted(owners.items()):
        if len(ids) > 1:
            continue
        (letter,) = ids
        found = refs(site, typed)
        assert found and found[0].split("#")[0] == letter, (typed, found[:3])
        assert f"{letter}#facts" in found, typed
        checked += 1
    assert checked >= 3 * len(seed_replies)


def test_contacts_are_searchable(site: SiteSearch, seed_replies: list[Reply]) -> None:
    reply = next(r for r in seed_replies if r.contacts and r.contacts[0].phone)
    phone = reply.contacts[0].phone
    assert phone
    assert refs(site, phone)[0] == f"{reply.id}#facts"


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


def test_facts_outrank_the_same_fact_quoted_in_another_letter(
    tmp_path: Path, seed_replies: list[Reply]
) -> None:
    """Another letter's text quoting a proposer, a contact or a proposal number does not rank
    above the letter whose facts they are."""
    ordered = sorted(seed_replies, key=lambda r: r.id)
    owner = next(r for r in ordered if r.proposers and r.contacts and r.proposal_number)
    other = next(r for r in ordered if r.id != owner.id and r.sections)
    quoted = [owner.proposers[0], owner.contacts[0].name, f"第{owner.proposal_number}号"]
    first = other.sections[0]
    paragraph = "参照" + "、".join(quoted) + "的意见办理。"
    edited = dataclasses.replace(first, paragraphs=(*first.paragraphs, paragraph))
    replies = [r if r is not other else dataclasses.replace(
        other, sections=(edited, *other.sections[1:])) for r in ordered]
    write_index(replies, SiteOutput(tmp_path))
    built = SiteSearch(tmp_path / "search")
    for typed in quoted:
        found = refs(built, typed)
        assert any(ref.startswith(f"{other.id}#") for ref in found), typed
        assert found[0].split("#")[0] == owner.id, (typed, found[:3])


def test_hits_group_by_letter_in_order_of_their_best_part(site: SiteSearch) -> None:
    hits = search(site, "企业")
    groups = group_hits(hits)
    assert len(groups) == len({hit.ref.split("#")[0] for hit in hits}) > 1
    assert [g.score for g in groups] == sorted((g.score for g in groups), reverse=True)
    for group in groups:
        assert group.score == group.hits[0].score
        assert all(hit.ref.startswith(f"{group.letter_id}#") for hit in group.hits)
    flat = [hit for group in groups for hit in group.hits]
    assert sorted(flat, key=lambda h: (-h.score, h.ref)) == hits
