"""What the parser says about layouts it keeps but cannot fully read: a proposal number the
title and the preamble disagree on, points set out without headings (第一，/一是), a verdict for
the whole letter in the preamble, and a verdict at the end of a section."""

from __future__ import annotations

from pathlib import Path

from replyarchive.ingest.sources import read_source
from replyarchive.parse import parse_source
from replyarchive.records.model import Reply

LETTERS = Path(__file__).resolve().parents[1] / "fixtures" / "letters"
HEAD = ("某某市水务局\n某水函〔2024〕3号\n"
        "某某市水务局关于市政协九届二次会议第20240015号提案答复的函\n张伟委员：\n")


def _parse(tmp_path: Path, text: str) -> Reply:
    letter = tmp_path / "x.txt"
    letter.write_text(text, "utf-8")
    return parse_source(read_source(letter, tmp_path))


def test_title_number_wins_over_a_different_preamble_number() -> None:
    reply = parse_source(read_source(LETTERS / "party_jingshang_end_adoption.txt", LETTERS))
    assert reply.proposal_number == "20230088"
    assert any("gives 88; the title's is kept" in w for w in reply.warnings)


def test_same_number_with_leading_zeros_is_no_disagreement(tmp_path: Path) -> None:
    reply = _parse(tmp_path, HEAD + "您提出的《关于节水的提案》（第020240015号）收悉。"
                   "现答复如下：\n一、关于节水\n已采纳。\n专此答复。\n某某市水务局\n2024年5月6日\n")
    assert not any("first paragraph gives" in w for w in reply.warnings)


def test_points_without_headings_are_paragraphs_with_a_warning() -> None:
    for name, points in [("whole_letter_adopted_yishi", "第一、第二、第三"),
                         ("zhigong_yishi_huitong", "一是、二是、三是")]:
        reply = parse_source(read_source(LETTERS / f"{name}.txt", LETTERS))
        assert reply.sections == ()
        assert any(f"set out in points ({points}…)" in w for w in reply.warnings)


def test_a_verdict_for_the_whole_letter_is_reported_not_copied(tmp_path: Path) -> None:
    reply = _parse(tmp_path, HEAD + "您的建议我们已吸收采纳。您提出的《关于节水的提案》收悉。"
                   "现答复如下：\n一、关于节水\n全市已建成节水型小区20个。\n专此答复。\n某某市水务局\n2024年5月6日\n")
    assert [s.adoption_status for s in reply.sections] == [None]
    assert any("'您的建议我们已吸收采纳' (adopted) speaks for the whole proposal" in w
               for w in reply.warnings)


def test_verdict_at_the_end_of_a_section_stays_in_its_text(tmp_path: Path) -> None:
    reply = _parse(tmp_path, HEAD + "您提出的《关于节水的提案》收悉。现答复如下：\n"
                   "一、关于节水\n全市已建成节水型小区20个。以上建议已采纳。\n"
                   "二、关于水价\n我局已采纳企业意见，调整了阶梯水价。\n"
                   "专此答复。\n某某市水务局\n2024年5月6日\n")
    assert [(s.adoption, s.adoption_status) for s in reply.sections] == [
        ("以上建议已采纳", "adopted"), (None, None)]
    assert reply.sections[0].paragraphs == ("全市已建成节水型小区20个。以上建议已采纳。",)
