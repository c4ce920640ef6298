"""dedupe.find_duplicates: the same letter twice is caught, different letters never are."""

from __future__ import annotations

from pathlib import Path

import pytest
from noise import add_noise

import hostile
from replyarchive import dedupe
from replyarchive.model import Reply, Section, Source

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in SEEDS]


def test_seeds_are_five_different_letters() -> None:
    assert dedupe.find_duplicates(_texts()) == []


def test_identical_copy_is_found_and_one_kept() -> None:
    texts = _texts()
    groups = dedupe.find_duplicates([*texts, texts[2]])
    assert len(groups) == 1
    assert (groups[0].keep, groups[0].drop, groups[0].score) == (2, (5,), 100.0)


@pytest.mark.parametrize("seed", range(5))
def test_copy_with_extraction_noise_is_found(seed: int) -> None:
    texts = _texts()
    noisy = add_noise(texts[seed], seed=seed)
    assert noisy != texts[seed]
    groups = dedupe.find_duplicates([*texts, noisy])
    assert [(g.keep, g.drop) for g in groups] == [(seed, (5,))]
    assert 95 <= groups[0].score < 100


def test_three_copies_make_one_group() -> None:
    text = _texts()[0]
    groups = dedupe.find_duplicates([add_noise(text, 1), text, add_noise(text, 2)])
    assert len(groups) == 1
    assert sorted([groups[0].keep, *groups[0].drop]) == [0, 1, 2]


def test_a_letter_sharing_only_boilerplate_is_not_a_duplicate() -> None:
    texts = _texts()
    half = texts[0][: len(texts[0]) // 2]
    assert dedupe.find_duplicates([texts[0], half]) == []


def _reply(
    path: str, doc_number: str | None, paragraphs: tuple[str, ...], warnings: int = 0
) -> Reply:
    section = Section(id="s1", level=1, number="一", title="关于某事的建议", paragraphs=paragraphs)
    return Reply(
        id=path,
        doc_number=doc_number,
        category=None,
        department="某局",
        title="某局关于某提案答复的函",
        kind="proposal",
        session=None,
        proposal_number=None,
        proposal_title=None,
        addressee=None,
        proposers=(),
        co_handlers=(),
        date="2025-01-02",
        contacts=(),
        disclosure=None,
        cc=(),
        preamble=(),
        sections=(section,),
        closing=(),
        source=Source(path, "0" * 64, "utf-8"),
        warnings=tuple(f"w{i}" for i in range(warnings)),
    )


def test_records_keep_the_copy_with_fewer_warnings_and_say_why() -> None:
    body = tuple(p for p in _texts()[1].split("\n\n") if len(p) > 40)
    noisy = tuple(add_noise(p, i, deletions=0) for i, p in enumerate(body))
    a = _reply("a.txt", "某函〔2025〕1号", noisy, warnings=2)
    b = _reply("b.txt", "某函〔2025〕1号", body)
    kept, groups = dedupe.drop_duplicates([a, b])
    assert kept == [b]
    assert groups[0].messages()[0].startswith("a.txt: the same letter as b.txt")


def test_records_with_different_doc_numbers_are_two_letters() -> None:
    body = tuple(p for p in _texts()[1].split("\n\n") if len(p) > 40)
    a = _reply("a.txt", "某函〔2025〕1号", body)
    b = _reply("b.txt", "某函〔2025〕2号", body)
    assert dedupe.find_duplicates([a, b]) == []
    assert len(dedupe.find_duplicates([a, _reply("c.txt", None, body)])) == 1


def test_synthetic_archive_has_no_false_duplicates_and_near_linear_candidates() -> None:
    synth = hostile.synth()
    material = synth.load_material()
    texts = [synth.make_letter(i, 0, material) for i in range(1500)]
    docs = [dedupe._doc(i, t) for i, t in enumerate(texts)]
    # Blocking keeps the work near-linear: 3x the letters give about 3x the candidate pairs
    # (all pairs would give 9x).
    small, large = len(dedupe._candidates(docs[:500])), len(dedupe._candidates(docs))
    assert large <= 4 * small
    assert large <= 100 * len(docs)
    texts.append(add_noise(texts[700], seed=9))
    groups = dedupe.find_duplicates(texts)
    assert [(g.keep, g.drop) for g in groups] == [(700, (1500,))]
