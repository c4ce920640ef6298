"""The seeds' search files, written once per session by the index stage alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import search_cases

from replyarchive.incremental.output import SiteOutput
from replyarchive.index.indexer import write_index
from replyarchive.pipeline import parse_all
from replyarchive.records.model import Reply

ROOT = Path(__file__).resolve().parent.parent.parent
SEEDS = ROOT / "seeds"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test taking ``search_case`` runs once per case of queries.yaml."""
    if "search_case" in metafunc.fixturenames:
        cases = search_cases()
        metafunc.parametrize("search_case", cases, ids=[c["q"] for c in cases])


@pytest.fixture(scope="session")
def seed_replies() -> list[Reply]:
    return list(parse_all([SEEDS]).replies)


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory, seed_replies: list[Reply]) -> Path:
    """``<site>/search`` for the seeds."""
    out = tmp_path_factory.mktemp("search-seeds")
    write_index(seed_replies, SiteOutput(out))
    return out / "search"
