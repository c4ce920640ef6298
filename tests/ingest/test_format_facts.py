"""Each published format of a letter gives the facts its .txt gives, within 1 point of field
accuracy over the seeds and the development set, scored as the .txt tests score
(``tests/parse/facts.py``).

The seeds as published are in ``tests/fixtures/formats`` (their text in ``seeds/``, their facts
in ``tests/fixtures/expected``); the development set's in ``tests/fixtures/devset/formats``
(text in ``devset/letters``, facts in ``devset/expected``). The facts are the same for every
format: the PDF and the DOCX only add a red letterhead with the department where the letter
names one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.parse.facts import mismatches

from replyarchive.errors import ReplyArchiveError
from replyarchive.ingest.sources import read_source
from replyarchive.parse import parse_source

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
DEVSET = FIXTURES / "devset"


@dataclass(frozen=True)
class Letter:
    name: str
    text: Path
    formats: Path
    facts: dict[str, Any]


def letters() -> list[Letter]:
    """Every seed and development-set letter, with its .txt, its formats' folder and facts."""
    out = []
    for facts, texts, formats in [(FIXTURES / "expected", ROOT / "seeds", FIXTURES / "formats"),
                                  (DEVSET / "expected", DEVSET / "letters", DEVSET / "formats")]:
        for file in sorted(facts.glob("*.yaml")):
            out.append(Letter(file.stem, texts / f"{file.stem}.txt", formats,
                              yaml.safe_load(file.read_text("utf-8"))))
    return out


LETTERS = letters()


@cache
def misses(file: Path) -> tuple[str, ...]:
    """The expected facts the record read from ``file`` gets wrong (all, if it cannot be read)."""
    letter = next(x for x in LETTERS if x.name == file.stem)
    try:
        reply = parse_source(read_source(file, file.parent))
    except ReplyArchiveError as exc:
        return tuple(f"{key}: {exc}" for key in letter.facts)
    return tuple(mismatches(reply, letter.facts))


def test_every_letter_is_there_in_every_format() -> None:
    assert len(LETTERS) == 25
    for letter in LETTERS:
        assert letter.text.is_file()
        for suffix in (".pdf", ".docx", ".html"):
            assert (letter.formats / f"{letter.name}{suffix}").is_file()


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".html"])
def test_each_format_reads_the_facts_of_the_text(suffix: str) -> None:
    total = from_text = from_format = 0
    report = []
    for letter in LETTERS:
        wrong_text = misses(letter.text)
        wrong_format = misses(letter.formats / f"{letter.name}{suffix}")
        total += len(letter.facts)
        from_text += len(letter.facts) - len(wrong_text)
        from_format += len(letter.facts) - len(wrong_format)
        report += [f"{letter.name}{suffix}: {miss}" for miss in wrong_format
                   if miss not in wrong_text]
    text, published = 100 * from_text / total, 100 * from_format / total
    assert published >= text - 1, (f"{suffix} {published:.1f}% vs .txt {text:.1f}%; missed "
                                   "where the .txt is right:\n" + "\n".join(report))
