"""What the build takes from the folder settings: never dot-files, the output, the inputs or
the cache, whatever folder static_dir and templates_dir name (issue 9, items 8 and 22)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from replyarchive.config import Config
from replyarchive.errors import BuildError
from replyarchive.incremental.cache import ParseCache
from replyarchive.pipeline import build

SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds"


def _project(tmp_path: Path) -> Path:
    """A project folder as a user has it: letters, secrets, git, a cache."""
    project = tmp_path / "project"
    shutil.copytree(SEEDS, project / "letters")
    (project / ".env").write_text("TOKEN=secret\n", encoding="utf-8")
    (project / ".git").mkdir()
    (project / ".git" / "config").write_text("[remote]\n", encoding="utf-8")
    return project


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_static_dir_never_publishes_dot_files_inputs_cache_or_links_out(tmp_path: Path) -> None:
    public = _project(tmp_path)
    (public / "css").mkdir()
    (public / "css" / "extra.css").write_text("p{}\n", encoding="utf-8")
    (public / "css" / ".extra.css.swp").write_text("x", encoding="utf-8")
    outside = tmp_path / "outside.txt"
    outside.write_text("not mine\n", encoding="utf-8")
    (public / "link.txt").symlink_to(outside)
    out = tmp_path / "site"
    build([public / "letters"], out, Config(static_dir=public),
                      cache=ParseCache(public / "cache", version="t"))
    assert _files(out / "static") - _files(SEEDS.parent / "static") == {"css/extra.css"}


@pytest.mark.parametrize("where", ["holds", "inside"])
def test_static_dir_holding_or_inside_the_output_is_refused(tmp_path: Path, where: str) -> None:
    out = tmp_path / "public" / "site"
    (out / "static").mkdir(parents=True)
    static = tmp_path / "public" if where == "holds" else out / "static"
    with pytest.raises(BuildError, match="static_dir"):
        build([SEEDS], out, Config(static_dir=static))


@pytest.mark.parametrize("name", [".env", ".git/config", "site/index.html",
                                  "site.previous/index.html", "letters/notes.txt"])
def test_templates_are_never_read_from_dot_folders_or_the_site(tmp_path: Path,
                                                                name: str) -> None:
    project = _project(tmp_path)
    (project / "site.previous").mkdir()
    (project / "site.previous" / "index.html").write_text("old site", encoding="utf-8")
    (project / "letters" / "notes.txt").write_text("secret notes", encoding="utf-8")
    out = project / "site"
    build([project / "letters"], out, Config())
    (project / "404.html").write_text(f'{{% include "{name}" %}}', encoding="utf-8")
    with pytest.raises(BuildError, match=r"template '404\.html' failed"):
        build([project / "letters"], out, Config(templates_dir=project))


def test_templates_dir_at_the_project_keeps_rebuilds_incremental(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "404.html").write_text('{% extends "base.html" %}', encoding="utf-8")
    config, out = Config(templates_dir=project), project / "site"
    cache = ParseCache(project / ".replyarchive-cache", version="t")
    build([project / "letters"], out, config, cache=cache)
    index = (out / "index.html").stat().st_mtime_ns
    build([project / "letters"], out, config, cache=cache)
    assert (out / "index.html").stat().st_mtime_ns == index  # nothing changed: site kept
    letter = sorted((project / "letters").glob("*.txt"))[0]
    letter.write_text(letter.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    again = build([project / "letters"], out, config, cache=cache)
    assert again.report.reused > 0  # one letter changed: the rest is linked, not rebuilt
