"""Golden records: the full YAML record of each seed, reviewed by reading it against the letter.

Regenerate after an intended parser change, then review the diff line by line::

    .venv/bin/replyarchive parse seeds --out tests/golden
    git diff tests/golden

(see docs/DEVELOPING.md, "Regenerating golden records").
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from replyarchive.ingest.sources import read_source
from replyarchive.parse import parse_source
from replyarchive.records.model import Reply
from replyarchive.records.store import dump_yaml
from replyarchive.records.validate import validate_record

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
GOLDEN = ROOT / "tests" / "golden"
LETTERS = sorted(SEEDS.glob("*.txt"))


def _parse(letter: Path) -> Reply:
    return parse_source(read_source(letter, SEEDS))


def test_one_golden_record_per_seed() -> None:
    assert sorted(p.stem for p in GOLDEN.glob("*.yaml")) == sorted(_parse(p).id for p in LETTERS)


@pytest.mark.parametrize("letter", LETTERS, ids=lambda p: p.stem)
def test_seed_matches_its_golden_record(letter: Path) -> None:
    reply = _parse(letter)
    assert dump_yaml(reply) == (GOLDEN / f"{reply.id}.yaml").read_text("utf-8")


@pytest.mark.parametrize("golden", sorted(GOLDEN.glob("*.yaml")), ids=lambda p: p.stem)
def test_golden_record_is_valid_and_round_trips(golden: Path) -> None:
    record = yaml.safe_load(golden.read_text("utf-8"))
    assert validate_record(record) == []
    assert isinstance(record["date"], str)
    assert Reply.from_dict(record).to_dict() == record


def _letters_and_digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def _record_text(reply: Reply) -> str:
    parts = [*reply.preamble]
    for section in reply.all_sections():
        parts += [section.title, section.adoption or "", *section.paragraphs]
    return _letters_and_digits("".join([*parts, *reply.closing]))


@pytest.mark.parametrize("letter", LETTERS, ids=lambda p: p.stem)
def test_no_body_text_is_lost_or_invented(letter: Path) -> None:
    """The body's letters and digits, markers left out, come back in the same order."""
    from replyarchive.normalize import header_end, normalize
    from replyarchive.parse.layout import is_signature_line
    from replyarchive.vocab.markers import find_marker

    lines = list(normalize(letter.read_text("utf-8")))
    while lines and is_signature_line(lines[-1].text):
        lines.pop()
    body = []
    for line in lines[header_end(tuple(lines)) + 1 :]:
        marker = find_marker(line.text)
        body.append(marker.rest if marker else line.text)
    assert _record_text(_parse(letter)) == _letters_and_digits("".join(body))
