"""No name, number or sentence of a sample letter is written into the code (issue 12).

The parser must work by rules of the genre, so its source, comments and docstrings included,
holds no fact read from the seeds or the development set: no person, body, place or document
number, no title, no phone, no sentence of a letter. Examples in docstrings are made up.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
FACT_FILES = sorted(FIXTURES.glob("expected/*.yaml")) + sorted(
    FIXTURES.glob("devset/expected/*.yaml")
)
LETTERS = sorted((ROOT / "seeds").glob("*.txt")) + sorted(FIXTURES.glob("devset/letters/*.txt"))
CODE = sorted(
    path
    for folder in ("src", "templates", "static")
    for path in (ROOT / folder).rglob("*")
    if path.suffix in {".py", ".html", ".js", ".css", ".toml", ".json", ".xml", ".txt"}
)

# Facts that name something particular to one letter. Kind, category, adoption wording and
# disclosure are the genre's own vocabulary and may appear in the code.
NAMING_KEYS = {
    "doc_number",
    "department",
    "title",
    "proposal_title",
    "proposers",
    "co_handlers",
    "cc",
    "section_titles",
    "contacts",
    "session",
    "signer",
}
MIN_CHARS = 3  # 小榄镇 is a place; two characters are too common to tell anything
SENTENCE_CHARS = 14  # a letter's line this long is a sentence of that letter


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def sample_facts() -> set[str]:
    facts: set[str] = set()
    for path in FACT_FILES:
        record = yaml.safe_load(path.read_text("utf-8")) or {}
        for key, value in record.items():
            if key in NAMING_KEYS:
                facts.update(s for s in _strings(value) if len(s.strip()) >= MIN_CHARS)
        number = str(record.get("proposal_number") or "")
        if len(number) >= 4:
            facts.add(number)
    return facts


def sample_sentences() -> set[str]:
    sentences: set[str] = set()
    for path in LETTERS:
        for line in path.read_text("utf-8").splitlines():
            for part in re.split(r"[。；;！!？?]", line.strip()):
                if len(part) >= SENTENCE_CHARS:
                    sentences.add(part)
    return sentences


@pytest.fixture(scope="module")
def code_text() -> dict[Path, str]:
    return {path: path.read_text("utf-8", errors="replace") for path in CODE}


def test_the_samples_are_here() -> None:
    assert len(FACT_FILES) >= 25 and len(LETTERS) >= 25
    assert len(sample_facts()) > 150 and len(sample_sentences()) > 300


def _found_in(code_text: dict[Path, str], needles: set[str]) -> list[str]:
    return sorted(
        f"{path.relative_to(ROOT)}: {needle}"
        for path, text in code_text.items()
        for needle in needles
        if needle in text
    )


def test_no_fact_of_a_sample_letter_is_in_the_code(code_text: dict[Path, str]) -> None:
    found = _found_in(code_text, sample_facts())
    assert found == [], "write made-up examples instead:\n" + "\n".join(found)


def test_no_sentence_of_a_sample_letter_is_in_the_code(code_text: dict[Path, str]) -> None:
    found = _found_in(code_text, sample_sentences())
    assert found == [], "write made-up examples instead:\n" + "\n".join(found)
