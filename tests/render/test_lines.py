"""A year's JSON Lines and CSV after one letter changes: the others' lines are the previous
site's bytes (never trusted without the file's checksum) and every file equals a clean
build's; a previous file missing, altered or cut short is made again in full."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.render.test_build import tree
from tests.render.test_incremental import build, edited_copies

from replyarchive.config import Config
from replyarchive.incremental import parallel
from replyarchive.incremental.state import LinesState
from replyarchive.records.model import Reply
from replyarchive.render import data, tables
from replyarchive.render.data import RECORDS
from replyarchive.render.tables import TABLES


@pytest.fixture(autouse=True)
def serial(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "WORKERS", 1)


def _flip(path: Path) -> None:
    """One byte in the middle of the file, the size kept."""
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    path.unlink()
    path.write_bytes(bytes(raw))


def _cut(path: Path) -> None:
    raw = path.read_bytes()
    path.unlink()
    path.write_bytes(raw[:len(raw) // 2])


def _rebuilt(tmp_path: Path, config: Config, monkeypatch: pytest.MonkeyPatch,
             spoil: Callable[[Path], None] | None = None, state: bool = True
             ) -> tuple[list[str], list[str], str, int]:
    """Build, change one letter, build again over the first site and clean (equal, checked);
    the letters whose JSON line and CSV row were made again, the one changed, and how many
    letters its year has. ``spoil``: done to the changed year's previous JSON Lines and CSV;
    ``state``: keep the stage's state (else the previous build's state has none)."""
    before, after, changed = edited_copies(tmp_path)
    first = build(before, tmp_path / "site", config)
    records = LinesState.from_json(first.state[RECORDS])
    assert records is not None
    key = first.state[data.BUNDLES]["letters"][changed][0]  # its record key
    jsonl = next(path for path, f in records.files.items() if key in f.keys)
    year = len(records.files[jsonl].keys)
    assert year > 1, "another letter in the changed letter's year"
    if spoil is not None:
        spoil(tmp_path / "site" / jsonl)
        spoil(tmp_path / "site" / jsonl.replace(".jsonl", ".csv"))
    if not state:
        first = dataclasses.replace(first, state={
            k: v for k, v in first.state.items() if k not in (RECORDS, TABLES)})
    build(after, tmp_path / "clean", config)
    lines: list[str] = []
    rows: list[str] = []
    letter, csv_lines = data._letter, tables.csv_lines

    def line_made(reply: Reply, source: Path | None, line: bool, zips: bool) -> Any:
        if line:
            lines.append(reply.id)
        return letter(reply, source, line, zips)

    def rows_made(replies: list[Reply], *args: Any) -> list[bytes]:
        rows.extend(reply.id for reply in replies)
        return csv_lines(replies, *args)

    monkeypatch.setattr(data, "_letter", line_made)
    monkeypatch.setattr(tables, "csv_lines", rows_made)
    build(after, tmp_path / "site", config, prior=first)
    assert tree(tmp_path / "site") == tree(tmp_path / "clean")
    return lines, rows, changed, year


def test_one_letter_changed_only_its_line_and_row_are_made(
        tmp_path: Path, config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    lines, rows, changed, _ = _rebuilt(tmp_path, config, monkeypatch)
    assert lines == [changed]
    assert rows == [changed]


@pytest.mark.parametrize("spoil", [_flip, _cut, Path.unlink], ids=["altered", "cut", "gone"])
def test_a_spoilt_previous_file_is_made_again_in_full(
        tmp_path: Path, config: Config, monkeypatch: pytest.MonkeyPatch,
        spoil: Callable[[Path], None]) -> None:
    lines, rows, changed, year = _rebuilt(tmp_path, config, monkeypatch, spoil)
    assert changed in lines and len(lines) == year
    assert changed in rows and len(rows) == year


def test_a_previous_build_without_the_state_makes_the_year_again(
        tmp_path: Path, config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    lines, rows, _, year = _rebuilt(tmp_path, config, monkeypatch, state=False)
    assert len(lines) == year and len(rows) == year
