"""The build replaces or removes only folders it made itself (guard.py, swap.py)."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from replyarchive.cli import main
from replyarchive.folders import STAMP
from replyarchive.index.indexer import find_lunr

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
LETTER = sorted(SEEDS.glob("*.txt"))[0]


def files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (symlinks not followed) and its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder (the working folder) with one letter in seeds/."""
    lunr = find_lunr()
    (tmp_path / "seeds").mkdir()
    shutil.copy(LETTER, tmp_path / "seeds" / LETTER.name)
    (tmp_path / "node_modules").symlink_to(lunr.parents[1])
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(("out", "says"), [
    ("seeds", "is the input seeds"),
    (".", "contains the input seeds"),
    ("", "contains the input seeds"),
    ("seeds/site", "lies inside the input seeds"),
    ("seeds/deeper/site", "lies inside the input seeds"),
])
def test_an_output_on_the_inputs_is_refused_before_anything_is_written(
        project: Path, capsys: pytest.CaptureFixture[str], out: str, says: str) -> None:
    before = files(project)
    assert main(["build", "--out", out]) == 1
    err = capsys.readouterr().err
    assert says in err and "Nothing was written" in err and "--out" in err
    assert files(project) == before
    assert sorted(p.name for p in project.iterdir()) == ["node_modules", "seeds"]


def test_a_folder_of_the_users_is_refused(project: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    (project / "site").mkdir()
    (project / "site" / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["build", "--out", "site"]) == 1
    err = capsys.readouterr().err
    assert "site: the output folder holds files and is not a site made by replyarchive" in err
    assert files(project / "site") == {"notes.txt": b"mine"}


def test_an_empty_folder_is_built_into_and_the_site_carries_the_stamp(project: Path) -> None:
    (project / "site").mkdir()
    assert main(["build", "--out", "site"]) == 0
    assert (project / "site" / STAMP).is_file()
    assert main(["build", "--out", "site"]) == 0  # its own site is replaced


def test_the_root_folder_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--out", "/"]) == 1
    assert "the output is the root of the file system" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["site.previous", ".site.spare"])
def test_a_users_folder_named_like_the_builds_own_is_kept(project: Path, name: str) -> None:
    """A backup the user called site.previous, or any folder named like the spare, is not the
    build's: two builds (a full one, then one with a changed letter) leave it as it was."""
    backup = project / name
    (backup / "replies").mkdir(parents=True)
    (backup / "replies" / "old.html").write_text("my backup", encoding="utf-8")
    (backup / "index.html").write_text("kept", encoding="utf-8")
    before = files(backup)
    assert main(["build", "--out", "site"]) == 0
    letter = project / "seeds" / LETTER.name
    letter.write_text(letter.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert main(["build", "--out", "site"]) == 0
    assert files(backup) == before


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", ""])
    child.wait()
    return child.pid


def test_only_the_builds_own_stale_temporary_folders_are_removed(project: Path) -> None:
    pid = _dead_pid()
    users, builds = project / f"site.tmp-{pid}", project / f"site.tmp-{pid + 1000000}"
    for folder in (users, builds):
        folder.mkdir()
        (folder / "a.html").write_text("a", encoding="utf-8")
    (builds / STAMP).write_text("", encoding="utf-8")
    assert main(["build", "--out", "site"]) == 0
    assert files(users) == {"a.html": b"a"}
    assert not builds.exists()


def test_serve_refuses_a_port_out_of_range(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", "99999"]) == 2
    assert "'99999' is not a port" in capsys.readouterr().err


def test_a_second_build_into_the_same_output_stops_and_says_why(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """While one build holds the output's lock another one writes nothing (two at once left a
    site mixed from both); once the lock is free, builds run again."""
    assert main(["build", "--out", "site"]) == 0
    before = files(project / "site")
    letter = project / "seeds" / LETTER.name
    letter.write_text(letter.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with open(project / ".site.lock", "a+b") as held:  # what a running build holds
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert main(["build", "--out", "site"]) == 1
        assert "another build is writing this site now" in capsys.readouterr().err
        assert files(project / "site") == before
    assert main(["build", "--out", "site"]) == 0
    assert files(project / "site") != before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders anyway")
def test_a_site_made_read_only_does_not_stop_later_builds(project: Path) -> None:
    """A read-only site becomes the spare once the next build swaps it out; every build after
    that failed in it, for good."""
    assert main(["build", "--out", "site"]) == 0
    site = project / "site"
    folders = [site, *(p for p in site.rglob("*") if p.is_dir())]
    for folder in folders:
        folder.chmod(0o555)
    letter = project / "seeds" / LETTER.name
    for _ in range(3):
        letter.write_text(letter.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        assert main(["build", "--out", "site"]) == 0
    assert (site / "index.html").is_file()
