"""The development set: 20 real letters from 13 provinces (tests/fixtures/devset, copied from
the project's shared development set), scored with the seeds' comparison (``facts.py``), and
each letter's full record against its reviewed golden record (tests/golden/devset).

Regenerate the golden records after an intended parser change, then review the diff against
the letters line by line::

    PYTHONPATH=src python -m tests.parse.test_devset
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from replyarchive.ingest.sources import read_source
from replyarchive.parse import parse_source
from replyarchive.records.model import Reply
from replyarchive.records.store import dump_yaml

from .facts import mismatches

ROOT = Path(__file__).resolve().parents[2]
DEVSET = ROOT / "tests" / "fixtures" / "devset"
GOLDEN = ROOT / "tests" / "golden" / "devset"
EXPECTED = sorted((DEVSET / "expected").glob("*.yaml"))
LETTERS = sorted((DEVSET / "letters").glob("*.txt"))
REQUIRED = 0.98
"""The share of hand-read facts the parser must get right (issue 12)."""


def _parse(letter: Path) -> Reply:
    return parse_source(read_source(letter, letter.parent))


def test_every_devset_letter_has_expected_facts_and_a_golden_record() -> None:
    stems = [p.stem for p in LETTERS]
    assert len(stems) == 20
    assert [p.stem for p in EXPECTED] == stems
    assert sorted(p.stem for p in GOLDEN.glob("*.yaml")) == stems


def test_devset_field_accuracy() -> None:
    total, misses = 0, []
    for expected in EXPECTED:
        facts = yaml.safe_load(expected.read_text("utf-8"))
        total += len(facts)
        reply = _parse(DEVSET / "letters" / f"{expected.stem}.txt")
        misses += [f"{expected.stem}: {miss}" for miss in mismatches(reply, facts)]
    accuracy = (total - len(misses)) / total
    print(f"devset: {total - len(misses)}/{total} = {accuracy:.1%}", *misses, sep="\n")
    assert accuracy >= REQUIRED, "\n".join(misses)


@pytest.mark.parametrize("letter", LETTERS, ids=lambda p: p.stem)
def test_devset_letter_matches_its_golden_record(letter: Path) -> None:
    assert dump_yaml(_parse(letter)) == (GOLDEN / f"{letter.stem}.yaml").read_text("utf-8")


if __name__ == "__main__":  # regenerate: python -m tests.parse.test_devset
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for path in LETTERS:
        (GOLDEN / f"{path.stem}.yaml").write_text(dump_yaml(_parse(path)), "utf-8")
    sys.exit(0)
