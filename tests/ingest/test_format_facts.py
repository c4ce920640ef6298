"""Each published format of a letter gives the facts its .txt gives, within 1 point of field
accuracy, scored as the .txt tests score (``tests/parse/facts.py``).

``tests/fixtures/formats`` holds the five seeds and six letters of the development set as
published (PDF, DOCX, web page), the development set's .txt and expected facts beside them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from tests.parse.facts import mismatches

from replyarchive.ingest.sources import read_source
from replyarchive.parse import parse_source

ROOT = Path(__file__).resolve().parents[2]
FORMATS = ROOT / "tests" / "fixtures" / "formats"
SEED_FACTS = ROOT / "tests" / "fixtures" / "expected"


def _letters() -> list[tuple[str, Path, Path]]:
    """(name, its .txt, its expected facts) for every letter with published formats."""
    names = sorted({p.stem for p in FORMATS.glob("*.pdf")})
    return [(name, *_text_and_facts(name)) for name in names]


def _text_and_facts(name: str) -> tuple[Path, Path]:
    if (FORMATS / f"{name}.txt").exists():
        return FORMATS / f"{name}.txt", FORMATS / f"{name}.yaml"
    return ROOT / "seeds" / f"{name}.txt", SEED_FACTS / f"{name}.yaml"


def _right(file: Path, facts: dict[str, object]) -> int:
    """How many of the expected facts the record read from ``file`` gets right."""
    return len(facts) - len(mismatches(parse_source(read_source(file, file.parent)), facts))


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".html"])
def test_each_format_reads_the_facts_of_the_text(suffix: str) -> None:
    letters = _letters()
    assert len(letters) == 11
    total = from_text = from_format = 0
    for name, text, expected in letters:
        facts = yaml.safe_load(expected.read_text("utf-8"))
        total += len(facts)
        from_text += _right(text, facts)
        from_format += _right(FORMATS / f"{name}{suffix}", facts)
    assert 100 * from_format / total >= 100 * from_text / total - 1
