"""Part-rule cases from tests/fixtures/parse/parts.txt: each rule on the shapes the genre
prints, one title / input / expected case each (as tests/fixtures/normalize/rules.txt)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from replyarchive.normalize import normalize
from replyarchive.parse.contacts import parse_contacts
from replyarchive.parse.header import find_category, parse_doc_number
from replyarchive.parse.ids import reply_id
from replyarchive.parse.meeting import kind_signals, parse_kind, parse_session, proposal_number
from replyarchive.parse.preamble import co_handlers, proposal_title
from replyarchive.parse.salutation import parse_salutation
from replyarchive.parse.signature import parse_date
from replyarchive.vocab.markers import find_marker

from .cases import read_cases

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "parse" / "parts.txt"


def _contacts(text: str) -> Any:
    found, unread = parse_contacts(*text.split("\n"))
    return [[c.name, c.phone] for c in found] + [["unread", token] for token in unread]


def _salutation(text: str) -> Any:
    addressee, proposers = parse_salutation(text)
    return {"addressee": addressee, "proposers": list(proposers)}


def _session(text: str) -> Any:
    session = parse_session(text)
    return session and {"body": session.body, "term": session.term,
                        "meeting": session.meeting, "kind": parse_kind(session)}


def _doc_number(text: str) -> Any:
    found = parse_doc_number(text.replace(" ", ""))
    return {"doc_number": found, "id": reply_id(found, "proposal", None)}


def _marker(text: str) -> Any:
    marker = find_marker(text)
    return marker and {"level": marker.level, "number": marker.number}


def _kind(text: str) -> Any:
    """Input lines ``title: …``, ``salutation: …``, ``opening: …`` (any may be left out)."""
    parts = dict(line.split(": ", 1) for line in text.split("\n"))
    title = parts.get("title", "")
    signals = kind_signals(parse_session(title), title, parts.get("salutation", ""),
                           parts.get("opening", ""))
    return [kind for _, kind in signals]


RULES: dict[str, Callable[[str], Any]] = {
    "kind": _kind,
    "proposal_number": lambda text: proposal_number(text)[0],
    "contacts": _contacts,
    "salutation": _salutation,
    "co_handlers": lambda text: list(co_handlers(text)),
    "proposal_title": proposal_title,
    "session": _session,
    "doc_number": _doc_number,
    "date": parse_date,
    "marker": _marker,
    "category": lambda text: find_category(normalize(text)),
}
"""Each rule as a function from the case's input to plain data."""


@dataclass(frozen=True)
class Case:
    title: str
    rule: str
    given: str
    expected: Any


def _cases() -> list[Case]:
    return [Case(title, rule, given, yaml.safe_load(expected))
            for title, rule, given, expected in read_cases(FIXTURE)]


CASES = _cases()


@pytest.mark.parametrize("case", CASES, ids=[f"{c.rule}-{i}" for i, c in enumerate(CASES)])
def test_part_rule_case(case: Case) -> None:
    assert RULES[case.rule](case.given) == case.expected, case.title


def test_every_rule_has_cases() -> None:
    assert {case.rule for case in CASES} == set(RULES)
