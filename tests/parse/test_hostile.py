"""Hostile and broken inputs: each gives a record with warnings or a clear error, never a crash.

The committed corpus is tests/hostile/ (see its EXPECT.yaml); big, random and linked inputs are
made here at run time. Linear time is checked without a clock: ``meter`` counts the work of a
parse at two sizes, ``regex_audit`` reads every pattern for backtracking shapes.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest
from tests.support import hostile, meter, regex_audit

from replyarchive.errors import ReplyArchiveError
from replyarchive.ingest.sources import SourceText
from replyarchive.parse import parse_source
from replyarchive.pipeline import ParseOutcome, parse_all
from replyarchive.records.model import Reply, Source

HERE = Path(__file__).resolve().parent

EXPECT = hostile.expectations()
SRC = HERE.parents[1] / "src" / "replyarchive"


def _squash(value: object) -> str:
    return re.sub(r"\s+", "", str(value))


def _only_record(outcome: ParseOutcome, records: int = 1) -> Reply | None:
    """The file's (first) record; ``records`` is how many letters the file holds."""
    assert len(outcome.replies) in (0, records)
    return outcome.replies[0] if outcome.replies else None


def test_every_corpus_file_has_an_expectation() -> None:
    files = {p.name for p in hostile.HOSTILE.glob("*.txt")}
    assert files == set(EXPECT)


# Known parser gaps, reported to the integrator; strict, so each flips to a failure once fixed.
KNOWN_GAPS: dict[str, str] = {}


def _gap(name: str) -> object:
    if name in KNOWN_GAPS:
        return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[name]))
    return name


@pytest.mark.parametrize("name", [_gap(n) for n in sorted(EXPECT)])
def test_corpus_file_gives_a_record_or_a_clear_error(name: str) -> None:
    expect = EXPECT[name]
    path = hostile.HOSTILE / name
    outcome = parse_all([path])
    record = _only_record(outcome, expect.get("records", 1))
    errors = [p for p in outcome.problems if p.severity == "error"]
    assert all(p.path.endswith(name) for p in outcome.problems), outcome.problems
    if record is None:
        assert expect["outcome"] in ("error", "either"), [str(p) for p in errors]
        assert errors, "no record and no error"
        assert all(str(e).startswith(str(path)) and len(e.message) > 20 for e in errors)
        return
    assert expect["outcome"] in ("record", "either"), record
    assert not errors
    if expect["warns"]:
        assert record.warnings, "a broken letter must say what is wrong"
    assert all(re.match(r"line \d+: ", w) or w for w in record.warnings)
    for field, value in dict(expect.get("facts") or {}).items():
        assert _squash(getattr(record, field)) == _squash(value), field


def test_whole_corpus_folder_at_once_accounts_for_every_file() -> None:
    outcome = parse_all([hostile.HOSTILE])
    parsed = {r.source.path for r in outcome.replies}
    failed = {Path(p.path).name for p in outcome.problems if p.severity == "error"}
    copies = {Path(p.path).name for p in outcome.problems if "the same letter as" in p.message}
    assert parsed | failed | copies == set(EXPECT)
    assert not parsed & failed and not parsed & copies
    # cr_only.txt is brackets_lenticular.txt with old Mac line endings: one letter, kept once.
    assert copies == {"cr_only.txt"}


def test_ten_megabyte_file_is_parsed_or_refused_by_name(tmp_path: Path) -> None:
    path = hostile.write_big_file(tmp_path)
    assert path.stat().st_size >= 10 * 1024 * 1024
    outcome = parse_all([path])
    errors = [p for p in outcome.problems if p.severity == "error"]
    assert outcome.replies or errors
    assert all(p.path == str(path) for p in outcome.problems)


def test_random_bytes_are_an_error_naming_the_file(tmp_path: Path) -> None:
    path = hostile.write_random_bytes(tmp_path)
    good = tmp_path / "good.txt"
    good.write_text(hostile.seed_letter(1), encoding="utf-8")
    outcome = parse_all([tmp_path])
    assert [r.source.path for r in outcome.replies] == ["good.txt"]
    [error] = [p for p in outcome.problems if p.severity == "error"]
    assert error.path == str(path)
    assert "byte offset" in error.message


def test_symlink_loop_is_walked_once_and_ends(tmp_path: Path) -> None:
    folder = hostile.make_symlink_loop(tmp_path / "letters")
    outcome = parse_all([folder])
    assert [r.source.path for r in outcome.replies] == ["letter.txt"]
    assert not [p for p in outcome.problems if p.severity == "error"]


def _work(text: str) -> int:
    src = SourceText(Source("x.txt", "0" * 64, "utf-8"), text, Path("x.txt"))
    with meter.metered() as m, contextlib.suppress(ReplyArchiveError):
        parse_source(src)
    return m.work


@pytest.mark.parametrize("name", [_gap(n) for n in sorted(hostile.PATHOLOGICAL)])
def test_parse_work_grows_linearly_on_pathological_text(name: str) -> None:
    make = hostile.PATHOLOGICAL[name]
    small, large = _work(make(1)), _work(make(4))
    # Four times the text may cost about four times the work; quadratic code costs sixteen.
    assert large <= 6 * small, f"{name}: work {small} -> {large} for 4x the input"


def test_meter_sees_quadratic_code() -> None:
    def quadratic(text: str) -> None:
        for i in range(0, len(text), 10):
            re.search("z", text[:i])

    def work(text: str) -> int:
        with meter.metered("no-such-package") as m:
            quadratic(text)
        return m.work

    assert work("a" * 4000) > 10 * work("a" * 1000)


def test_audit_catches_backtracking_shapes() -> None:
    assert regex_audit.problems(r"(a+)+b")
    assert regex_audit.problems(r"^(.+?)\s+(\S{2,16})$")
    assert not regex_audit.problems(r"^（([一二三四五六七八九十]{1,3})）\s*")
    assert not regex_audit.problems(r"\s+(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])\s+")


# Reviewed shapes that look quadratic but cannot be on the text they see. Each entry is a
# pattern and why; anything new must be made linear or argued here.
REVIEWED = {
    r"^(?:抄送|抄报)[：:]\s*(.+)$": "one normalised line (no newline): .+ always reaches $",
    r"公开(?:方式|属性|形式)[：:]\s*([^。；;）)]+)|此件((?:主动|依申请|不予)?公开(?:发布)?)":
    "nothing after the group can fail, so the split of \\s* and the class is never retried",
    r"^# +(.+?)\s*$": "site content headings: the project's own Markdown, not letter text",
}


def _all_patterns() -> list[tuple[str, str, int]]:
    found = [(w, p.pattern, p.flags) for w, p in regex_audit.module_patterns()]
    found += [(w, p, 0) for w, p in regex_audit.literal_patterns(SRC)]
    return found


def test_no_pattern_in_the_package_can_blow_up() -> None:
    bad = [
        f"{where}: {pattern!r}: {', '.join(problems)}"
        for where, pattern, flags in _all_patterns()
        if pattern not in REVIEWED
        and (problems := regex_audit.problems(pattern, flags & ~re.UNICODE))
    ]
    assert not bad, "\n".join(bad)


def test_every_adoption_phrase_is_classified_or_warned() -> None:
    [record] = parse_all([hostile.HOSTILE / "unseen_wordings.txt"]).replies
    last = record.sections[-1]
    # 暂不具备采纳条件，将作为今后工作参考: a refusal for now, kept for reference (C category).
    assert last.adoption == "目前暂不具备采纳条件，将作为今后工作参考"
    assert last.adoption_status == "for_reference"
    assert last.paragraphs[0].startswith("受编制总量限制")


def test_two_pasted_letters_become_two_records_naming_each_other() -> None:
    replies = parse_all([hostile.HOSTILE / "two_letters.txt"]).replies
    assert sorted(r.id for r in replies) == ["zgxh-2022-38", "zskh-2023-101"]
    assert {r.source.path for r in replies} == {"two_letters.txt"}
    by_id = {r.id: r for r in replies}
    # Each keeps its own date and category: nothing of one letter leaks into the other.
    assert (by_id["zskh-2023-101"].date, by_id["zskh-2023-101"].category) == ("2023-06-26", None)
    assert (by_id["zgxh-2022-38"].date, by_id["zgxh-2022-38"].category) == ("2022-06-08", "A")
    for record in replies:
        assert any("more than one letter" in w and "65" in w for w in record.warnings)
