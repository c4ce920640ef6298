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
    assert claim(out, tmp) == {"", "replies", "replies/a"}
    assert tmp.is_dir() and not folder.exists()


def test_a_new_folder_holds_only_itself(tmp_path: Path) -> None:
    tmp = tmp_path / "site.tmp-1"
    assert claim(tmp_path / "site", tmp) == {""}
    assert (tmp / STAMP).is_file()


def test_the_files_written_into_the_spare_make_none_of_its_folders(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One pass over the spare's folders at the start instead of a mkdir per folder."""
    out = tmp_path / "site"
    _spare(out)
    tmp = tmp_path / "site.tmp-1"
    made = output.SiteOutput(tmp, folders=claim(out, tmp))
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
