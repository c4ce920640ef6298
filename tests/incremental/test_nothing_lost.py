"""Killing a build at any moment leaves the previous site complete and unchanged."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.support import hostile

POLL_S = 0.02
GIVE_UP_S = 300


def _digest(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def _build(work: Path, inputs: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "replyarchive", "build", "--input", inputs, "--out", "site"]
    return subprocess.Popen(command, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _partial_output(work: Path) -> list[Path]:
    """Files the running build has written into its temporary folder so far. The build
    removes folders from it as it goes (its sweep), so a folder may vanish while it is read:
    os.walk passes over what is gone where Path.rglob raises."""
    return [Path(folder, name) for tmp in work.glob("site.tmp-*")
            for folder, _, names in os.walk(tmp) for name in names]


@pytest.fixture
def work(tmp_path: Path) -> Path:
    shutil.copytree(hostile.SEEDS, tmp_path / "seeds")
    hostile.synth().make_archive(120, tmp_path / "more")
    assert (
        subprocess.run(
            [sys.executable, "-m", "replyarchive", "build", "--input", "seeds", "--out", "site"],
            cwd=tmp_path,
            capture_output=True,
        ).returncode
        == 0
    )
    return tmp_path


@pytest.mark.parametrize("files_before_kill", [1, 40])
def test_sigkill_mid_build_keeps_the_previous_site(work: Path, files_before_kill: int) -> None:
    before = _digest(work / "site")
    assert "index.html" in before
    child = _build(work, "more")
    waited = 0.0
    while len(_partial_output(work)) < files_before_kill:
        assert child.poll() is None, "the build ended before it could be interrupted"
        assert waited < GIVE_UP_S
        time.sleep(POLL_S)
        waited += POLL_S
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert _digest(work / "site") == before  # complete and untouched
    # The next build runs normally, clears the way and publishes the new site.
    assert _build(work, "more").wait() == 0
    assert not list(work.glob("site.tmp-*")), "the killed build's temporary folder was left"
    after = _digest(work / "site")
    assert after != before
    assert sum(1 for name in after if name.startswith("replies/") and name.endswith(".html")) > 100


def test_sigkill_while_the_cache_is_written_leaves_no_bad_entry(work: Path) -> None:
    """Killed while storing parse results: the next build reads the cache and still publishes
    exactly what a build without any cache publishes."""
    before = _digest(work / "site")
    child = _build(work, "more")
    waited = 0.0
    while len(list((work / ".replyarchive-cache").rglob("*.entry"))) < 30:
        assert child.poll() is None, "the build ended before it could be interrupted"
        assert waited < GIVE_UP_S
        time.sleep(POLL_S)
        waited += POLL_S
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert _digest(work / "site") == before
    assert _build(work, "more").wait() == 0
    clean = work / "clean"
    clean.mkdir()
    shutil.copytree(work / "more", clean / "more")
    assert _build(clean, "more").wait() == 0
    assert _digest(work / "site") == _digest(clean / "site")


@pytest.mark.parametrize("files_before_kill", [1, 200])
def test_sigkill_mid_incremental_build_keeps_the_previous_site(
    work: Path, files_before_kill: int
) -> None:
    """An incremental build links most files from the live site into its temporary folder:
    killed half way, the live site is still whole and unchanged, and the next build is the
    site a clean build makes."""
    assert _build(work, "more").wait() == 0
    before = _digest(work / "site")
    letter = sorted((work / "more").glob("*.txt"))[7]
    letter.write_text(letter.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    child = _build(work, "more")
    waited = 0.0
    while len(_partial_output(work)) < files_before_kill:
        assert child.poll() is None, "the build ended before it could be interrupted"
        assert waited < GIVE_UP_S
        time.sleep(POLL_S)
        waited += POLL_S
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert _digest(work / "site") == before
    assert _build(work, "more").wait() == 0
    clean = work / "clean"
    clean.mkdir()
    shutil.copytree(work / "more", clean / "more")
    assert _build(clean, "more").wait() == 0
    assert _digest(work / "site") == _digest(clean / "site")
