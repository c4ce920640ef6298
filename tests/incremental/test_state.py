"""Stage state goes into the stamp as JSON and comes back typed, or not at all."""

from __future__ import annotations

import json
from typing import Any

import pytest

from replyarchive.incremental.state import (
    BundledLetter,
    BundleState,
    DatabaseState,
    IndexState,
    LinedFile,
    LinesState,
)

STATES = [
    DatabaseState("k" * 32, 462_848, True),
    DatabaseState("k" * 32, 30_000_000, False, False, {"r" * 32: 29_000, "s" * 32: 31_000},
                  {"r" * 32: 9_000, "s" * 32: 11_000}),
    IndexState(3, ("a", "b"), ("ka", "kb"), 8, ("建议", "发展"), 1200, (40, 2), (900, 30, 7)),
    BundleState({"a-2025-1": BundledLetter("k" * 32, True, "data/letters-2025.zip", (
        ("a-2025-1.yaml", 0, 12345, 900, 400, "d" * 32),
        ("a-2025-1.txt", 461, 678, 800, 350, "e" * 32)))}),
    LinesState({"data/replies-2025.jsonl": LinedFile("f" * 64, ("k" * 32, "j" * 32))}),
]


@pytest.mark.parametrize("state", STATES, ids=lambda s: type(s).__name__)
def test_a_state_comes_back_from_its_json_unchanged(state: Any) -> None:
    again = type(state).from_json(json.loads(json.dumps(state.to_json())))
    assert again == state


@pytest.mark.parametrize(("kind", "raw"), [
    (DatabaseState, {"key": "k", "size": True, "published": True}),  # a bool is no size
    (DatabaseState, {"key": "k", "size": 3}),
    (DatabaseState, {"key": "k", "size": 3, "published": True, "exact": True, "floors": [3]}),
    (DatabaseState, {"key": "k", "size": 3, "published": True, "exact": True, "printed": [3]}),
    (IndexState, {**STATES[2].to_json(), "documents": [40]}),
    (IndexState, {**STATES[2].to_json(), "keys": ["ka"]}),  # one key for two letters
    (IndexState, {**STATES[2].to_json(), "shards": "8"}),
    (IndexState, "index"),
    (BundleState, {"letters": [1]}),
    (LinesState, {"files": [1]}),
    (LinesState, {"digests": {"data/replies-2025.csv": "f" * 64}}),  # the format before
])
def test_a_state_that_is_not_what_the_stage_wrote_is_refused(kind: Any, raw: Any) -> None:
    assert kind.from_json(raw) is None


def test_a_bad_bundled_letter_only_loses_its_own_entry() -> None:
    raw = STATES[3].to_json()
    good = raw["letters"]["a-2025-1"]
    raw["letters"].update({"b": [*good[:3], [["b.yaml", 0, 1, 2, "3", "d"]]],  # a size as text
                           "c": [good[0], "yes", *good[2:]], "d": good[:3]})
    assert BundleState.from_json(raw) == STATES[3]


def test_a_bad_lined_file_only_loses_its_own_entry() -> None:
    raw = STATES[4].to_json()
    good = raw["files"]["data/replies-2025.jsonl"]
    raw["files"].update({"a": [good[0], [1]], "b": good[:1], "c": [7, good[1]]})
    assert LinesState.from_json(raw) == STATES[4]
