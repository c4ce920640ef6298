"""Every key fact of ``tests/fixtures/expected`` (a copy of ../shared/expected) holds."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from replyarchive.parser import parse_source
from replyarchive.sources import read_source

from .facts import mismatches

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
EXPECTED = sorted((ROOT / "tests" / "fixtures" / "expected").glob("*.yaml"))


def test_every_seed_has_expected_facts() -> None:
    assert [p.stem for p in EXPECTED] == sorted(p.stem for p in SEEDS.glob("*.txt"))


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: p.stem)
def test_seed_matches_expected_facts(expected: Path) -> None:
    reply = parse_source(read_source(SEEDS / f"{expected.stem}.txt", SEEDS))
    assert mismatches(reply, yaml.safe_load(expected.read_text("utf-8"))) == []
