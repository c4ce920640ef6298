"""The part rules share one signature and one state, and their warnings are values."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from replyarchive.ingest.sources import read_source
from replyarchive.normalize import normalize_letter
from replyarchive.parse import parse_source
from replyarchive.parse.header import parse_header
from replyarchive.parse.layout import split_layout
from replyarchive.parse.rules import RULES
from replyarchive.parse.state import LetterState
from replyarchive.records.model import LineWarning
from replyarchive.records.validate import validated

ROOT = Path(__file__).resolve().parents[2]
LETTER = ROOT / "tests" / "fixtures" / "letters" / "every_line_kept.txt"


def test_every_rule_takes_the_state_and_says_whether_it_found_its_part() -> None:
    src = read_source(LETTER, LETTER.parent)
    lines = normalize_letter(src.text).lines
    layout = split_layout(lines)
    state = LetterState(src, lines, layout, parse_header(layout.header, lines))
    found = {name: rule(state) for name, rule in RULES}
    assert all(isinstance(value, bool) for value in found.values())
    assert found["date"] is False and found["notes"] is True  # 2024年9月 has no day
    assert state.warnings and all(isinstance(w, LineWarning) and w.line for w in state.warnings)


def test_a_warning_keeps_its_line_as_a_value_up_to_the_problem() -> None:
    """The problem's line is the rule's, never read back out of the text: a message that
    itself says "line 9:" stays as it is."""
    reply = parse_source(read_source(LETTER, LETTER.parent))
    odd = dataclasses.replace(reply, warnings=(LineWarning(7, "line 9: as printed"),
                                               "line 5: a plain text warning"))
    _, problems = validated([odd], LETTER)
    assert [(p.line, p.message) for p in problems] == [
        (7, "line 9: as printed"), (None, "line 5: a plain text warning")]
    assert odd.to_dict()["warnings"] == ["line 7: line 9: as printed",
                                         "line 5: a plain text warning"]
