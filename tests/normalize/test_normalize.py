"""Normalisation rules, one fixture case (or more) per rule: tests/fixtures/normalize/rules.txt."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.parse.cases import read_cases

from replyarchive.normalize import RULES, Line, Notice, normalize, normalize_letter

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "normalize" / "rules.txt"


@dataclass(frozen=True)
class Case:
    title: str
    rule: str
    given: str
    expected: tuple[Line, ...]


def _cases() -> list[Case]:
    cases = []
    for title, rule, given, expected in read_cases(FIXTURE):
        lines = tuple(
            Line(text, int(number))
            for number, text in (row.split(": ", 1) for row in expected.strip("\n").split("\n"))
        )
        cases.append(Case(title, rule, given, lines))
    return cases


CASES = _cases()


def _run(case: Case) -> tuple[Line, ...]:
    if case.rule == "all":
        return normalize(case.given)
    rule = dict(RULES)[case.rule]
    return rule(tuple(Line(text, n) for n, text in enumerate(case.given.split("\n"), start=1)))


@pytest.mark.parametrize("case", CASES, ids=[c.title for c in CASES])
def test_normalisation_case(case: Case) -> None:
    assert _run(case) == case.expected


def test_every_rule_has_a_case() -> None:
    assert {name for name, _ in RULES} <= {c.rule for c in CASES} | {
        c.title.split(":")[0] for c in CASES
    }


def test_crlf_and_form_feed_are_line_breaks_and_spaces() -> None:
    assert normalize("推动大型制造业企业首席\r\n\f质量官制度。") == (
        Line("推动大型制造业企业首席质量官制度。", 1),
    )


@pytest.mark.parametrize(("text", "lines", "notices"), [
    # U+FFFE / U+FFFF made feed.xml invalid XML: they go, named, and the line is quoted.
    ("王某委员：\n您提出的\ufffe建议\uffff收悉。\n", ["王某委员：", "您提出的建议收悉。"],
     (Notice(2, "removed U+FFFE、U+FFFF (no text, and XML cannot hold it) from "
                "'您提出的建议收悉。'"),)),
    # HTML by evidence: its markup goes, each piece quoted once, in the order printed.
    ("<p>王某委员：</p>\n<p>&nbsp;您提出的建议收悉。<script>x()</script></p>",
     ["王某委员：", "您提出的建议收悉。"],
     (Notice(1, "the text is a web page's HTML: removed its markup <p> </p> &nbsp; "
                "<script>x()</script>"),)),
    # One <br> is no evidence: the text, angle brackets and all, stays, with no notice.
    ("王某委员：\n您提出的《推动<AI+医疗 应用指南>落地》收悉。<br>\n",
     ["王某委员：", "您提出的《推动<AI+医疗应用指南>落地》收悉。<br>"], ()),
])
def test_what_the_normaliser_takes_out_is_noticed(text: str, lines: list[str],
                                                  notices: tuple[Notice, ...]) -> None:
    result = normalize_letter(text)
    assert [line.text for line in result.lines] == lines
    assert result.notices == notices
