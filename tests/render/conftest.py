"""Sites built once per test session: the hand-made fixture records (and the seeds)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from replyarchive.config import Config
from replyarchive.pipeline import SiteOutcome, build, build_site, parse_all
from replyarchive.records.model import Reply

RECORDS = Path(__file__).resolve().parent.parent / "fixtures" / "records"


def load_records() -> list[Reply]:
    return [Reply.from_dict(yaml.safe_load(p.read_text(encoding="utf-8")))
            for p in sorted(RECORDS.glob("*.yaml"))]


@pytest.fixture(scope="session")
def records() -> list[Reply]:
    return load_records()


@pytest.fixture(scope="session")
def config() -> Config:
    return Config(base_url="https://archive.example.org/sub/")


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory, records: list[Reply],
                 config: Config) -> Path:
    out = tmp_path_factory.mktemp("fixture") / "site"
    build_site(records, out, config)
    return out


SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds"


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory, config: Config) -> SiteOutcome:
    """The seeds' site, built the way `replyarchive build` builds it."""
    out = tmp_path_factory.mktemp("seeds") / "site"
    return build([SEEDS], out, config)


@pytest.fixture(scope="session")
def seed_site(seed_build: SiteOutcome) -> Path:
    return seed_build.report.out


@pytest.fixture(scope="session")
def seed_records() -> list[Reply]:
    return list(parse_all([SEEDS]).replies)
