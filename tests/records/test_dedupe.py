"""dedupe.find_duplicates: the same letter twice is caught, different letters never are."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from tests.support import hostile
from tests.support.noise import add_noise

from replyarchive.pipeline import parse_all
from replyarchive.records import dedupe, likeness
from replyarchive.records.model import Reply, Section, Source

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
    assert [(g.keep, g.drop) for g in groups] == [(2, (5,))]


@pytest.mark.parametrize("seed", range(5))
def test_copy_with_extraction_noise_is_found(seed: int) -> None:
    """Spaces, moved page breaks and half-width marks are noise: still one letter."""
    texts = _texts()
    noisy = add_noise(texts[seed], seed=seed, deletions=0) + "\n\n- 3 -\n"
    assert noisy != texts[seed]
    found = dedupe.search([*texts, noisy])
    assert [(g.keep, g.drop) for g in found.groups] == [(seed, (5,))]
    assert found.near == ()


@pytest.mark.parametrize("seed", range(5))
def test_a_copy_missing_characters_is_kept_and_reported(seed: int) -> None:
    """Lost characters are not extraction noise: both letters are kept, the report quotes
    where they differ and never says 100.0% for texts that differ."""
    texts = _texts()
    lossy = add_noise(texts[seed], seed=seed, deletions=1)
    found = dedupe.search([*texts, lossy])
    assert found.groups == ()
    assert [(n.first, n.second) for n in found.near] == [(seed, 5)]
    reason = found.near[0].reason()
    assert "100.0%" not in reason and "here" in reason and "both are published" in reason


def test_three_copies_make_one_group() -> None:
    text = _texts()[0]
    groups = dedupe.find_duplicates(
        [add_noise(text, 1, deletions=0), text, add_noise(text, 2, deletions=0)])
    assert len(groups) == 1
    assert sorted([groups[0].keep, *groups[0].drop]) == [0, 1, 2]


def test_a_letter_sharing_only_boilerplate_is_not_a_duplicate() -> None:
    texts = _texts()
    half = texts[0][: len(texts[0]) // 2]
    assert dedupe.search([texts[0], half]) == dedupe.Findings((), ())


def _reply(
    path: str, doc_number: str | None, paragraphs: tuple[str, ...], warnings: int = 0,
    **facts: object,
) -> Reply:
    section = Section(id="s1", level=1, number="一", title="关于某事的建议", paragraphs=paragraphs)
    reply = Reply(
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
    return dataclasses.replace(reply, **facts)  # type: ignore[arg-type]


def _body() -> tuple[str, ...]:
    return tuple(p for p in _texts()[1].split("\n\n") if len(p) > 40)


def test_records_keep_the_copy_with_fewer_warnings_and_say_why() -> None:
    body = _body()
    spaced = tuple(add_noise(p, i, deletions=0) for i, p in enumerate(body))
    a = _reply("a.txt", "某函〔2025〕1号", spaced, warnings=2)
    b = _reply("b.txt", "某函〔2025〕1号", body)
    found = [(a, Path("a.txt")), (b, Path("b.txt"))]
    kept, problems, _ = dedupe.drop_copies(found, [likeness.sentence_keys(r) for r in (a, b)])
    assert kept == [(b, Path("b.txt"))]
    assert [(p.path, p.severity) for p in problems] == [("a.txt", "warning")]
    assert problems[0].message.startswith("the same letter as b.txt")


def test_a_paragraph_cut_in_two_by_a_page_break_is_still_one_letter() -> None:
    body = _body()
    cut = (body[0][:30], body[0][30:], *body[1:])
    found = dedupe.search([_reply("a.txt", None, body), _reply("b.txt", None, cut)])
    assert [(g.keep, g.drop) for g in found.groups] == [(0, (1,))]


def _near(*replies: Reply) -> list[tuple[int, int, str]]:
    found = dedupe.search(replies)
    assert found.groups == ()  # two letters: nothing dropped
    return [(n.first, n.second, n.reason()) for n in found.near]


def test_records_with_different_doc_numbers_are_two_letters() -> None:
    body = _body()
    a = _reply("a.txt", "某函〔2025〕1号", body)
    ((_, _, reason),) = _near(a, _reply("b.txt", "某函〔2025〕2号", body))
    assert "doc_number is 「某函〔2025〕2号」 here, 「某函〔2025〕1号」 there" in reason
    assert len(_near(a, _reply("c.txt", None, body))) == 1  # a 文号 lost is not noise


def test_one_reply_sent_to_different_proposers_is_two_letters() -> None:
    body = _body()
    a = _reply("a.txt", None, body, date=None, proposers=("张三",))
    b = _reply("b.txt", None, body, date=None, proposers=("李四",))
    ((first, second, reason),) = _near(a, b)
    assert (first, second) == (0, 1)
    assert "proposers is 「李四」 here, 「张三」 there" in reason


def test_replies_to_different_proposals_under_one_doc_number_are_two_letters() -> None:
    body = _body()
    a = _reply("a.txt", "某函〔2025〕1号", body, proposal_title="关于加强某工作的建议",
               proposers=("张三",))
    other = (body[0].replace("专精特新", "数字经济"), *body[1:])
    b = _reply("b.txt", "某函〔2025〕1号", other, proposal_title="关于发展某产业的建议",
               proposers=("李四",))
    ((_, _, reason),) = _near(a, b)
    assert "proposers is 「李四」 here" in reason


def _seed_copies(folder: Path, *texts: str) -> list[Path]:
    folder.mkdir()
    for index, text in enumerate(texts):
        (folder / f"{index}.txt").write_text(text, encoding="utf-8")
    return sorted(folder.glob("*.txt"))


def test_a_letter_saved_twice_is_published_once_with_a_warning_naming_both(
    tmp_path: Path,
) -> None:
    text = _texts()[1]
    respaced = "\n".join(line + "  " for line in text.split("\n")).replace("，", ",")
    _, second = _seed_copies(tmp_path / "in", text, respaced)
    outcome = parse_all([tmp_path / "in"])
    assert [r.source.path for r in outcome.replies] == ["0.txt"]
    (warning,) = [p for p in outcome.problems if "the same letter" in p.message]
    assert warning.path == str(second) and "0.txt" in warning.message


def test_a_near_copy_is_published_beside_the_original_with_a_warning(tmp_path: Path) -> None:
    text = _texts()[1]
    at = text.index("60%")
    changed = text[:at] + text[at + 1:]  # 60% → 0%
    _seed_copies(tmp_path / "in", text, changed)
    outcome = parse_all([tmp_path / "in"])
    assert sorted(r.source.path for r in outcome.replies) == ["0.txt", "1.txt"]
    (warning,) = [p for p in outcome.problems if "nearly the same" in p.message]
    assert "0.txt" in warning.message and "60%" in warning.message


def test_a_shorter_correction_is_kept_beside_the_original() -> None:
    body = _body()
    original = _reply("a.txt", "某函〔2025〕1号", body)
    correction = _reply("b.txt", "某函〔2025〕1号", (*body[:-1], body[-1][:-8]))
    ((_, _, reason),) = _near(original, correction)
    assert "(ends) after" in reason


def test_a_redacted_copy_is_not_quietly_merged_with_the_original() -> None:
    body = _body()
    plain = _reply("plain.txt", "某函〔2025〕1号", body)
    name = body[0][40:43]
    redacted = _reply("redacted.txt", "某函〔2025〕1号",
                      (body[0].replace(name, "×××"), *body[1:]))
    ((_, _, reason),) = _near(plain, redacted)
    assert "×××" in reason and name in reason and "plain.txt" in reason


def test_a_near_copy_is_never_said_to_be_100_percent_alike() -> None:
    body = _body()
    a = _reply("a.txt", "某函〔2025〕1号", body)
    b = _reply("b.txt", "某函〔2025〕1号", (body[0].replace("。", "，", 1), *body[1:]))
    ((_, _, reason),) = _near(a, b)
    assert "100.0%" not in reason and "99.9% alike" in reason


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
    texts.append(add_noise(texts[700], seed=9, deletions=0))
    found = dedupe.search(texts)
    assert [(g.keep, g.drop) for g in found.groups] == [(700, (1500,))]
    assert found.near == ()


def test_a_records_facts_are_its_dict_fields_folded() -> None:
    """The facts are read from the record's fields, not from its whole dict (made for every
    candidate pair, that was most of the duplicate search): the same values either way."""
    for reply in parse_all([ROOT / "seeds"]).replies:
        data = reply.to_dict()
        assert likeness.facts(reply) == tuple(
            (name, likeness.fold("\n".join(likeness.leaves(data[name]))))
            for name in likeness.FACTS)


def _archive_of_near_copies() -> tuple[list[Reply], list[str]]:
    """Letters that are copies, near copies and strangers, and their record names."""
    body = _body()
    replies = [_reply("a.txt", "某函〔2025〕1号", body),
               _reply("b.txt", "某函〔2025〕1号", body),  # a copy of a
               _reply("c.txt", "某函〔2025〕1号", (*body[:-1], body[-1][:-8])),  # near a
               _reply("d.txt", "某函〔2025〕2号", body[1:])]
    return replies, [dedupe.record_name(r, 0) for r in replies]


def test_a_search_with_the_last_verdicts_compares_only_pairs_with_a_changed_record(
        monkeypatch: pytest.MonkeyPatch) -> None:
    replies, names = _archive_of_near_copies()
    first = dedupe.search(replies, names=names)
    assert len(first.verdicts) >= 3
    changed = dataclasses.replace(replies[3], sections=replies[0].sections)
    replies[3] = changed
    names[3] = dedupe.record_name(dataclasses.replace(
        changed, source=dataclasses.replace(changed.source, sha256="e" * 64)), 0)
    clean = dedupe.search(replies)
    compared: list[str] = []
    full_text = likeness.full_text

    def counted(item: Reply | str) -> str:
        compared.append(item.source.path if isinstance(item, Reply) else item)
        return full_text(item)

    monkeypatch.setattr(dedupe, "full_text", counted)
    again = dedupe.search(replies, names=names, verdicts=first.verdicts)
    assert (again.groups, again.near) == (clean.groups, clean.near)
    assert "d.txt" in compared and set(compared) < {"a.txt", "b.txt", "c.txt", "d.txt"}
    assert all(names[3] in pair for pair in set(again.verdicts) - set(first.verdicts))


def test_a_verdict_is_taken_for_its_pair_of_names_only() -> None:
    """What a verdict says is believed for its two names (so they must name the records)."""
    replies, names = _archive_of_near_copies()
    said = dedupe.search(replies, names=names).verdicts
    wrong = {pair: [not v[0], *v[1:]] if v[0] is not None else v for pair, v in said.items()}
    believed = dedupe.search(replies, names=names, verdicts=wrong)
    assert believed.groups != dedupe.search(replies).groups
    other = [dedupe.record_name(r, 1) for r in replies]  # the second letter of each file
    assert dedupe.search(replies, names=other, verdicts=wrong).groups == \
        dedupe.search(replies).groups
