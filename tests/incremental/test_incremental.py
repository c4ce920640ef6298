"""Incremental builds end to end: after each kind of change, a rebuild that reuses the previous
site gives byte for byte the site a clean build gives, reuses what it can, and never writes
through a file it shares with the previous site."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.support import hostile

from replyarchive.config import Config
from replyarchive.incremental.cache import ParseCache
from replyarchive.pipeline import SiteOutcome, build

Change = Callable[[Path], None]


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _letters(folder: Path) -> list[Path]:
    return sorted(folder.glob("synth-*.txt"))


def _append(folder: Path) -> None:
    target = _letters(folder)[3]
    target.write_text(target.read_text(encoding="utf-8") + "\n补充说明：本答复已更新。\n",
                      encoding="utf-8")


def _edit_heading(folder: Path) -> None:
    target = _letters(folder)[1]
    text = target.read_text(encoding="utf-8")
    assert "一、" in text
    target.write_text(text.replace("一、", "一、关于进一步", 1), encoding="utf-8")


def _add(folder: Path) -> None:
    spare = folder.parent / "spare"
    for path in sorted(spare.glob("*.txt"))[:1]:
        shutil.move(path, folder / path.name)


def _remove(folder: Path) -> None:
    _letters(folder)[0].unlink()


def _rename(folder: Path) -> None:
    first = _letters(folder)[-1]
    first.rename(folder / "renamed.txt")


CHANGES: dict[str, Change] = {
    "body appended": _append,
    "heading edited": _edit_heading,
    "letter added": _add,
    "letter removed": _remove,
    "file renamed": _rename,
}


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """Twelve synthetic letters and two seeds in letters/; two more synthetic ones in spare/."""
    made = tmp_path / "made"
    hostile.synth().make_archive(14, made)
    files = sorted(made.glob("*.txt"))
    (tmp_path / "letters").mkdir()
    (tmp_path / "spare").mkdir()
    for index, path in enumerate(files):
        shutil.move(path, tmp_path / ("spare" if index in (5, 9) else "letters") / path.name)
    for seed in sorted(hostile.SEEDS.glob("*.txt"))[:2]:
        shutil.copy(seed, tmp_path / "letters" / seed.name)
    return tmp_path / "letters"


def _build(letters: Path, out: Path, cache: Path) -> SiteOutcome:
    return build([letters], out, Config(), cache=ParseCache(cache, version="t"))


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_incremental_build_equals_a_clean_build(archive: Path, tmp_path: Path,
                                                name: str) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    _build(archive, site, cache)
    CHANGES[name](archive)
    again = _build(archive, site, cache)
    clean = _build(archive, tmp_path / "clean", tmp_path / "clean-cache")
    assert _tree(site) == _tree(tmp_path / "clean")
    assert again.report.files == clean.report.files
    assert again.problems == clean.problems
    assert clean.report.reused == 0


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_incremental_build_reuses_most_files(archive: Path, tmp_path: Path, name: str) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    _build(archive, site, cache)
    CHANGES[name](archive)
    again = _build(archive, site, cache)
    assert again.report.reused > again.report.files // 2


def test_every_change_in_a_row_stays_equal_to_a_clean_build(archive: Path,
                                                            tmp_path: Path) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    _build(archive, site, cache)
    for name in sorted(CHANGES):
        CHANGES[name](archive)
        _build(archive, site, cache)
        clean = tmp_path / f"clean-{name.replace(' ', '-')}"
        _build(archive, clean, tmp_path / f"cache-{name.replace(' ', '-')}")
        assert _tree(site) == _tree(clean), name


def test_the_previous_site_is_never_written_through(archive: Path, tmp_path: Path) -> None:
    """Files the new site shares with the old one are links: a build that wrote into one would
    change the old site under its readers. A hard-linked copy of the old site shows it."""
    site, cache = tmp_path / "site", tmp_path / "cache"
    _build(archive, site, cache)
    _append(archive)
    _build(archive, site, cache)  # the first site is now the spare the next build is made in
    before = _tree(site)
    witness = tmp_path / "witness"
    for path in site.rglob("*"):
        target = witness / path.relative_to(site)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, target)
    for name in sorted(CHANGES):
        if name != "body appended":
            CHANGES[name](archive)
    again = _build(archive, site, cache)
    assert again.report.reused > 0
    assert _tree(witness) == before


def test_a_full_build_leaves_a_spare_of_links_to_its_files(archive: Path,
                                                           tmp_path: Path) -> None:
    """After a full build the spare holds each file of the new site as a hard link and nothing
    else, so the next build finds every unchanged file in place; that build writes none of
    them, and the site it makes is the clean build's."""
    site, cache = tmp_path / "site", tmp_path / "cache"
    _build(archive, site, cache)
    spare = tmp_path / ".site.spare"
    live = {p.relative_to(site): p.stat().st_ino for p in site.rglob("*") if p.is_file()}
    mirrored = {p.relative_to(spare): p.stat().st_ino for p in spare.rglob("*") if p.is_file()}
    stamp = Path(".replyarchive-site")
    assert mirrored.pop(stamp) != live.pop(stamp)  # each folder keeps its own stamp
    assert mirrored == live
    before = _tree(site)
    _append(archive)
    again = _build(archive, site, cache)
    assert again.report.reused > again.report.files // 2
    assert _tree(spare) == before  # the site it replaced, not written through
    clean = tmp_path / "clean"
    _build(archive, clean, tmp_path / "clean-cache")
    assert _tree(site) == _tree(clean)


def test_a_hand_edited_site_is_rebuilt_not_reused(archive: Path, tmp_path: Path) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    _build(archive, site, cache)
    page = next((site / "replies").rglob("index.html"))
    page.write_text("edited by hand", encoding="utf-8")
    _append(archive)
    again = _build(archive, site, cache)
    assert again.report.reused == 0
    assert page.read_text(encoding="utf-8") != "edited by hand"


def test_the_site_before_last_is_the_folder_the_next_build_is_made_in(
    archive: Path, tmp_path: Path
) -> None:
    """Deleting a large site is slow (mostly its folders): the swapped-out site is kept as a
    hidden spare and built in by the next build, which then keeps none of its old files and no
    folder a clean build would not make."""
    site, cache = tmp_path / "site", tmp_path / "cache"
    _build(archive, site, cache)
    first = site.stat().st_ino
    _append(archive)
    _build(archive, site, cache)
    assert (tmp_path / ".site.spare").stat().st_ino == first
    _remove(archive)
    _build(archive, site, cache)
    assert site.stat().st_ino == first
    clean = tmp_path / "clean"
    _build(archive, clean, tmp_path / "clean-cache")
    assert _tree(site) == _tree(clean)
    folders = {p.relative_to(site) for p in site.rglob("*") if p.is_dir()}
    assert folders == {p.relative_to(clean) for p in clean.rglob("*") if p.is_dir()}
