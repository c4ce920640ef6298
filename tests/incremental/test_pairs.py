"""The duplicate verdicts kept between builds (pairs.json): what is read back is what was kept,
and anything else is no verdict at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from replyarchive.incremental.cache import ParseCache, write_sealed
from replyarchive.incremental.pairs import LAYOUT, VerdictCache


def test_tampered_or_foreign_verdicts_are_no_verdicts(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path / "cache", version="v1")
    verdicts = VerdictCache(cache)
    verdicts.store({("a", "b"): [True, None, None], ("a", "c"): [False, 96.5, "x"]})
    assert VerdictCache(cache).load() == {("a", "b"): [True, None, None],
                                          ("a", "c"): [False, 96.5, "x"]}
    assert VerdictCache(ParseCache(tmp_path / "cache", version="v2")).load() == {}
    raw = verdicts.path.read_bytes()
    verdicts.path.write_bytes(raw.replace(b"96.5", b"99.5"))  # its checksum no longer holds
    assert VerdictCache(cache).load() == {}


def _kept(tmp_path: Path) -> tuple[VerdictCache, dict[str, object]]:
    cache = ParseCache(tmp_path / "cache", version="v1")
    verdicts = VerdictCache(cache)
    verdicts.store({("a", "b"): [True, None, None], ("b", "c"): [False, 96.5, "x"],
                    ("a", "c"): [None, 0.0, None]})
    data = {"version": "v1", "layout": LAYOUT, "names": ["a", "b", "c"], "a": [0, 1, 0],
            "b": [1, 2, 2], "same": [True, False, None], "score": [None, 96.5, 0.0],
            "difference": [None, "x", None]}
    return verdicts, data


def test_verdicts_are_read_back_as_kept(tmp_path: Path) -> None:
    verdicts, data = _kept(tmp_path)
    again = VerdictCache(ParseCache(tmp_path / "cache", version="v1"))
    assert again.load() == {("a", "b"): [True, None, None], ("b", "c"): [False, 96.5, "x"],
                            ("a", "c"): [None, 0.0, None]}
    write_sealed(verdicts.path, data)  # the layout, written by hand, says the same
    assert VerdictCache(ParseCache(tmp_path / "cache", version="v1")).load() == again.known


@pytest.mark.parametrize(("field", "value"), [
    ("layout", 1), ("score", [True, 96.5, 0.0]), ("same", [1, False, None]),
    ("difference", [None, 7, None]), ("a", [0, 1, 3]), ("b", [1, -1, 2]),
    ("names", ["a", 2, "c"]), ("same", [True, False]), ("b", [1, 2])])
def test_verdicts_not_as_written_are_no_verdicts(tmp_path: Path, field: str,
                                                 value: object) -> None:
    """A bool is no score, a place must name a name, every field holds one value a pair."""
    verdicts, data = _kept(tmp_path)
    write_sealed(verdicts.path, {**data, field: value})
    assert VerdictCache(ParseCache(tmp_path / "cache", version="v1")).load() == {}
