"""Claiming the spare folder a build is made in (incremental/swap.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from replyarchive.folders import STAMP, STAMP_TEXT
from replyarchive.incremental import output
from replyarchive.incremental.swap import claim, spare


def _spare(out: Path) -> Path:
    folder = spare(out)
    (folder / "replies" / "a").mkdir(parents=True)
    (folder / STAMP).write_text(STAMP_TEXT, encoding="utf-8")
    (folder / "replies" / "a" / "index.html").write_text("old", encoding="utf-8")
    return folder


def test_claiming_the_spare_lists_its_folders_without_following_links(tmp_path: Path) -> None:
    """The build is told which folders are there already (it need not make them again); a
    link to a folder elsewhere is not one of them."""
    out = tmp_path / "site"
    folder = _spare(out)
    (tmp_path / "elsewhere" / "inner").mkdir(parents=True)
    (folder / "link").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    tmp = tmp_path / "site.tmp-1"
    assert claim(out, tmp) == ({"", "replies", "replies/a"},
                               {STAMP, "link", "replies/a/index.html"})
    assert tmp.is_dir() and not folder.exists()


def test_a_new_folder_holds_only_itself(tmp_path: Path) -> None:
    tmp = tmp_path / "site.tmp-1"
    assert claim(tmp_path / "site", tmp) == ({""}, {STAMP})
    assert (tmp / STAMP).is_file()


def test_the_files_written_into_the_spare_make_none_of_its_folders(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One pass over the spare's folders at the start instead of a mkdir per folder."""
    out = tmp_path / "site"
    _spare(out)
    tmp = tmp_path / "site.tmp-1"
    made = output.SiteOutput(tmp, None, *claim(out, tmp))
    calls: list[str] = []
    real = os.makedirs

    def makedirs(path: str, mode: int = 0o777, exist_ok: bool = False) -> None:
        calls.append(path)
        real(path, mode, exist_ok)

    monkeypatch.setattr(os, "makedirs", makedirs)
    made.write_text("replies/a/index.html", "new")
    made.write_text("index.html", "home")
    made.write_text("replies/b/index.html", "other")
    assert calls == [os.path.join(tmp, "replies/b")]
    assert (tmp / "replies" / "b" / "index.html").read_text(encoding="utf-8") == "other"


def test_a_file_is_linked_without_looking_for_one_the_spare_did_not_hold(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Into a spare emptied of files (after a full build), each link is made at once; a file
    the spare holds is still replaced by the previous site's."""
    out = tmp_path / "site"
    _spare(out)
    for name in ("index.html", "replies/a/index.html"):
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text("live", encoding="utf-8")
    tmp = tmp_path / "site.tmp-1"
    made = output.SiteOutput(tmp, output.Prior(out, {}), *claim(out, tmp))
    looked: list[str] = []
    real = os.lstat

    def lstat(path: str) -> os.stat_result:
        looked.append(os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "lstat", lstat)
    assert made.link("index.html") and made.link("replies/a/index.html")
    assert looked == [os.path.join(tmp, "replies/a/index.html")]
    for name in ("index.html", "replies/a/index.html"):
        assert (tmp / name).stat().st_ino == (out / name).stat().st_ino


def test_the_sweep_keeps_what_was_made_and_links_to_folders_and_takes_folders_as_left(
        tmp_path: Path) -> None:
    """Files not made go, links included (never followed), folders left empty go, a link to a
    folder stays; the manifest sees each folder as the sweep left it (its mtime after the
    removals inside it), as the next build's walk of the site will."""
    from replyarchive.incremental.stamp import _manifest

    root, outside = tmp_path / "spare", tmp_path / "outside"
    (outside / "keep").mkdir(parents=True)
    (outside / "keep" / "mine.txt").write_text("mine", encoding="utf-8")
    for rel in ("replies/a/index.html", "replies/a/old.txt", "replies/b/old.txt",
                "data/x.json", "data/deep/er/old.txt"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(rel, encoding="utf-8")
    (root / "data" / "to-file").symlink_to(outside / "keep" / "mine.txt")
    (root / "data" / "to-folder").symlink_to(outside / "keep")
    swept = output.SiteOutput(root)
    swept.mark(["replies/a/index.html", "data/x.json"])
    assert swept.sweep() == 2
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == [
        "data", "data/to-folder", "data/x.json", "replies", "replies/a",
        "replies/a/index.html"]
    assert (outside / "keep" / "mine.txt").read_text(encoding="utf-8") == "mine"
    assert swept.manifest == _manifest(root)
