"""Every key fact of ``tests/fixtures/expected`` (a copy of ../shared/expected) holds.

``tests/fixtures/letters`` adds made-up letters in other layouts (other cities, B category,
no sections, mixed adoption statuses), each beside a facts file in the same format.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from replyarchive.ingest.sources import SourceText, read_source
from replyarchive.normalize import normalize_letter
from replyarchive.parse import parse_letters, parse_source
from replyarchive.records.model import Reply

from .facts import mismatches

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
EXPECTED = sorted((ROOT / "tests" / "fixtures" / "expected").glob("*.yaml"))
LETTERS = sorted((ROOT / "tests" / "fixtures" / "letters").glob("*.yaml"))


def test_every_seed_has_expected_facts() -> None:
    assert [p.stem for p in EXPECTED] == sorted(p.stem for p in SEEDS.glob("*.txt"))


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: p.stem)
def test_seed_matches_expected_facts(expected: Path) -> None:
    reply = parse_source(read_source(SEEDS / f"{expected.stem}.txt", SEEDS))
    assert mismatches(reply, yaml.safe_load(expected.read_text("utf-8"))) == []


@pytest.mark.parametrize("expected", LETTERS, ids=lambda p: p.stem)
def test_other_layouts_match_their_facts(expected: Path) -> None:
    letter = expected.with_suffix(".txt")
    reply = parse_source(read_source(letter, letter.parent))
    assert mismatches(reply, yaml.safe_load(expected.read_text("utf-8"))) == []


def test_a_letter_without_sections_keeps_its_body_and_says_so() -> None:
    letter = ROOT / "tests" / "fixtures" / "letters" / "b_category_no_sections.txt"
    reply = parse_source(read_source(letter, letter.parent))
    assert reply.sections == ()
    assert reply.preamble[-1].endswith("下一步将结合地铁开通情况分步实施。")
    assert any("no numbered sections" in w for w in reply.warnings)


def test_a_letter_without_salutation_still_finds_its_header(tmp_path: Path) -> None:
    text = (SEEDS / "000_f110c3d6d4e6c248.txt").read_text("utf-8")
    letter = tmp_path / "x.txt"
    letter.write_text(text.replace("中山市工商业联合会，徐新霞，张燕航，郭丛枢委员：", ""), "utf-8")
    reply = parse_source(read_source(letter, tmp_path))
    assert (reply.id, reply.addressee, reply.proposers) == ("zgxh-2025-111", None, ())
    assert reply.title == "中山市工业和信息化局关于市政协十三届四次会议第134008号提案答复的函"
    assert reply.preamble[0].startswith("你们提出的《关于培育专精特新企业")
    assert len(reply.sections) == 4
    assert reply.warnings == ("line 13: no salutation line (…委员：) found",)


def test_two_letters_in_one_file_become_two_records(tmp_path: Path) -> None:
    """After a signature date a second header (文号 and title) starts: each letter is parsed on
    its own, with every fact of its seed, and each record says where the other is."""
    seeds = ["003_97f765a9b187815b", "004_a0df5861fe71b375"]
    texts = [(SEEDS / f"{seed}.txt").read_text("utf-8") for seed in seeds]
    letter = tmp_path / "x.txt"
    letter.write_text(texts[0] + "\n\n" + texts[1], "utf-8")
    replies = parse_source_letters(read_source(letter, tmp_path))
    assert [r.id for r in replies] == ["zskh-2023-101", "zgxh-2022-38"]
    assert {r.source.path for r in replies} == {"x.txt"}
    lines = (texts[0] + "\n\n" + texts[1]).split("\n")
    first_end = texts[0].count("\n") + 1
    # The second letter starts at its first printed line, its category mark (A类).
    second_start = next(n for n, line in enumerate(lines, 1) if n > first_end and line.strip())
    assert lines[second_start - 1].startswith("(A")
    for reply, seed in zip(replies, seeds, strict=True):
        facts = yaml.safe_load((ROOT / "tests" / "fixtures" / "expected" / f"{seed}.yaml")
                               .read_text("utf-8"))
        assert mismatches(reply, facts) == []
        assert any("more than one letter" in w and f"、{second_start})" in w
                   for w in reply.warnings)
    assert parse_source(read_source(letter, tmp_path)) == replies[0]


def test_a_second_letter_without_doc_number_starts_at_its_title(tmp_path: Path) -> None:
    """After a signature date, a title (…答复的函) with a salutation below starts a letter even
    when the second letter was copied without its 文号."""
    first = (SEEDS / "003_97f765a9b187815b.txt").read_text("utf-8")
    second = (SEEDS / "004_a0df5861fe71b375.txt").read_text("utf-8")
    second = "\n".join(line for line in second.split("\n") if "〔2022〕" not in line)
    letter = tmp_path / "x.txt"
    letter.write_text(first + "\n" + second, "utf-8")
    replies = parse_source_letters(read_source(letter, tmp_path))
    assert [(r.id, r.date, r.category) for r in replies] == [
        ("zskh-2023-101", "2023-06-26", None), ("proposal-131106", "2022-06-08", "A")]


def test_a_second_doc_number_without_a_clear_boundary_is_reported(tmp_path: Path) -> None:
    """No signature date before the second 文号: no split, but a warning naming its line."""
    text = (SEEDS / "003_97f765a9b187815b.txt").read_text("utf-8")
    letter = tmp_path / "x.txt"
    letter.write_text(text.replace("专此答复", "中山科函〔2023〕102号\n\n专此答复"), "utf-8")
    [reply] = parse_source_letters(read_source(letter, tmp_path))
    assert any("two letters seem to be pasted" in w for w in reply.warnings)


def parse_source_letters(src: SourceText) -> tuple[Reply, ...]:
    return parse_letters(normalize_letter(src.text), src)


def _wrap(text: str, width: int) -> str:
    """The letter as a PDF extractor that keeps the page's lines would give it."""
    out = []
    for line in text.split("\n"):
        line = line.strip()
        while len(line) > width:
            out.append(line[:width])
            line = line[width:]
        out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("width", [22, 34, 45])
@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: p.stem)
def test_seed_wrapped_at_a_fixed_width_keeps_its_facts(
    tmp_path: Path, expected: Path, width: int
) -> None:
    letter = tmp_path / "x.txt"
    letter.write_text(_wrap((SEEDS / f"{expected.stem}.txt").read_text("utf-8"), width), "utf-8")
    reply = parse_source(read_source(letter, tmp_path))
    assert mismatches(reply, yaml.safe_load(expected.read_text("utf-8"))) == []


@pytest.mark.parametrize("width", [22, 34, 45])
@pytest.mark.parametrize("expected", LETTERS, ids=lambda p: p.stem)
def test_other_layouts_wrapped_at_a_fixed_width_keep_their_facts(
    tmp_path: Path, expected: Path, width: int
) -> None:
    """Wrapping cuts contact lines too (联系电话：0760-12 / 34567): the phone is joined again."""
    letter = tmp_path / "x.txt"
    letter.write_text(_wrap(expected.with_suffix(".txt").read_text("utf-8"), width), "utf-8")
    reply = parse_source(read_source(letter, tmp_path))
    assert mismatches(reply, yaml.safe_load(expected.read_text("utf-8"))) == []


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: p.stem)
def test_seed_typed_with_full_width_digits_keeps_its_facts(tmp_path: Path, expected: Path) -> None:
    wide = {ord(digit): 0xFF10 + int(digit) for digit in "0123456789"}
    letter = tmp_path / "x.txt"
    letter.write_text((SEEDS / f"{expected.stem}.txt").read_text("utf-8").translate(wide), "utf-8")
    reply = parse_source(read_source(letter, tmp_path))
    assert mismatches(reply, yaml.safe_load(expected.read_text("utf-8"))) == []
    assert reply.id.isascii()


def test_numbered_attachment_list_stays_with_the_closing(tmp_path: Path) -> None:
    """附件：1.… / 2.… between the closing and the signature: kept as closing text, not taken
    for sections, and the signature after it is still read."""
    letter = tmp_path / "x.txt"
    letter.write_text(
        "某某市商务局\n某商函〔2024〕105号\n某某市商务局关于市政协十三届五次会议第15号提案答复的函\n"
        "黄丽萍委员：\n您提出的《关于促进夜间经济发展的提案》收悉，现答复如下：\n"
        "一、关于打造夜间消费集聚区\n部分采纳。\n我局已排查夜间消费集聚区12个。\n专此函复。\n"
        "附件：1.某某市夜间消费集聚区名单\n2.某某市夜间经济发展规划\n某某市商务局\n2024年5月20日\n",
        "utf-8",
    )
    reply = parse_source(read_source(letter, tmp_path))
    assert reply.closing == ("专此函复。", "附件：1.某某市夜间消费集聚区名单",
                             "2.某某市夜间经济发展规划")
    assert [s.paragraphs for s in reply.sections] == [("我局已排查夜间消费集聚区12个。",)]
    assert (reply.department, reply.date, reply.warnings) == ("某某市商务局", "2024-05-20", ())


def test_two_statuses_in_brackets_after_a_heading(tmp_path: Path) -> None:
    """（暂不采纳，留作参考） after a heading is its phrase, read as for_reference; two statuses
    that do not combine keep the phrase, leave the status empty and warn with the line."""
    letter = tmp_path / "x.txt"
    letter.write_text(
        "某某市商务局\n某商函〔2024〕105号\n某某市商务局关于市政协十三届五次会议第15号提案答复的函\n"
        "黄丽萍委员：\n您提出的《关于促进夜间经济发展的提案》收悉，现答复如下：\n"
        "一、关于延长公交运营时间（暂不采纳，留作参考）\n公交运营时间调整涉及财政补贴。\n"
        "二、关于举办消费节（已采纳，并列入计划）\n今年下半年将举办。\n"
        "专此函复。\n某某市商务局\n2024年5月20日\n",
        "utf-8",
    )
    reply = parse_source(read_source(letter, tmp_path))
    assert [(s.title, s.adoption, s.adoption_status, s.paragraphs) for s in reply.sections] == [
        ("关于延长公交运营时间", "暂不采纳，留作参考", "for_reference",
         ("公交运营时间调整涉及财政补贴。",)),
        ("关于举办消费节", "已采纳，并列入计划", None, ("今年下半年将举办。",)),
    ]
    assert reply.warnings == ("line 8: the adoption sentence '已采纳，并列入计划' names more than "
                              "one status; kept it as printed and left adoption_status empty",)
