"""A rebuild hashes again only the inputs whose state (size, mtime, ctime, inode) moved since
the last build read them; the table of states is sealed like the stamp."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support import hostile

from replyarchive.config import Config
from replyarchive.incremental.cache import ParseCache
from replyarchive.ingest import files as input_files
from replyarchive.ingest.files import InputFiles
from replyarchive.pipeline import build, parse_all


def _counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    read: list[str] = []
    real_read = input_files.read_input

    def counted(file: Path, root: Path, real: Path | None = None) -> input_files.InputFile:
        read.append(file.name)
        return real_read(file, root, real)

    monkeypatch.setattr(input_files, "read_input", counted)
    return read


def test_a_rebuild_reads_only_the_input_that_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    letters, out = tmp_path / "letters", tmp_path / "site"
    hostile.synth().make_archive(5, letters)
    monkeypatch.setattr(input_files, "SETTLED_NS", 0)  # the letters were written just now
    cache = ParseCache(tmp_path / "cache", version="v1")
    build([letters], out, Config(), cache=cache)
    target = sorted(letters.glob("*.txt"))[2]
    target.write_text(target.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    read = _counting_reads(monkeypatch)
    outcome = build([letters], out, Config(), cache=cache)
    assert read == [target.name]
    assert outcome.report.reused
    read.clear()
    build([letters], out, Config(), cache=cache)  # nothing new: nothing read at all
    assert read == []
    assert parse_all([letters], cache=cache).replies == parse_all([letters]).replies


def test_a_state_that_moved_in_any_part_is_read_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same size and mtime (an editor saving in place, mtime set back) but another ctime: the
    file is read and hashed, never taken from the table."""
    letter = tmp_path / "a.txt"
    letter.write_text("答复\n", encoding="utf-8")
    monkeypatch.setattr(input_files, "SETTLED_NS", 0)
    first = InputFiles()
    digest = first.digest(letter, tmp_path, letter)
    table = first.remember()
    (state, _), = table.values()
    assert state[0] == letter.stat().st_size
    key = f"{letter}\0{letter}"
    assert InputFiles(remembered={key: (state, "f" * 64)}).digest(letter, tmp_path,
                                                                   letter) == "f" * 64
    for moved in range(5):  # size, mtime, ctime, inode, device
        other = tuple(n + (part == moved) for part, n in enumerate(state))
        files = InputFiles(remembered={key: (other, "f" * 64)})
        assert files.digest(letter, tmp_path, letter) == digest
    link = tmp_path / "b.txt"  # the same file reached by another name: not in the table
    link.symlink_to(letter)
    assert InputFiles(remembered={key: (state, "f" * 64)}).digest(link, tmp_path,
                                                                   letter) == digest


def test_a_file_changed_just_before_the_build_is_not_remembered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Written in the same tick of the clock as it is read, a file could be written again
    with the same state: only a state older than ``SETTLED_NS`` is kept."""
    letter = tmp_path / "a.txt"
    letter.write_text("答复\n", encoding="utf-8")
    monkeypatch.setattr(input_files, "SETTLED_NS", 3600 * 10**9)
    files = InputFiles()
    files.digest(letter, tmp_path, letter)
    assert files.remember() == {}
    files = InputFiles(started=letter.stat().st_ctime_ns + 3601 * 10**9)
    files.digest(letter, tmp_path, letter)
    assert len(files.remember()) == 1
    files.changed = True  # an input changed while the build read it: keep nothing
    assert files.remember() == {}


def test_a_tampered_table_of_states_is_no_table(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    letters, out = tmp_path / "letters", tmp_path / "site"
    hostile.synth().make_archive(4, letters)
    monkeypatch.setattr(input_files, "SETTLED_NS", 0)
    cache = ParseCache(tmp_path / "cache", version="v1")
    build([letters], out, Config(), cache=cache)
    table, = (tmp_path / "cache" / "sites").glob("*.inputs")
    raw = table.read_bytes()
    digit = raw.index(b'"', raw.index(b"]", raw.index(b"\n"))) + 1  # a SHA-256's first digit
    table.write_bytes(raw[:digit] + (b"0" if raw[digit:digit + 1] != b"0" else b"1")
                      + raw[digit + 1:])
    read = _counting_reads(monkeypatch)
    build([letters], out, Config(), cache=cache)
    assert sorted(read) == sorted(p.name for p in letters.glob("*.txt"))
