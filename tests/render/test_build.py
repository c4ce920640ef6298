"""Builds are deterministic and atomic; configuration and templates can be overridden."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from replyarchive.config import BUILTIN_THEME, Config, config_from_dict, load_config
from replyarchive.errors import BuildError
from replyarchive.folders import STAMP, STAMP_TEXT
from replyarchive.incremental.swap import aside, recover, swap_in
from replyarchive.pipeline import build_site
from replyarchive.records.model import Reply
from replyarchive.render.slugs import slug_map, slugify


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(fixture_site: Path, records: list[Reply],
                                       config: Config, tmp_path: Path) -> None:
    build_site(list(reversed(records)), tmp_path / "again", config)
    assert tree(tmp_path / "again") == tree(fixture_site)


def test_failed_build_keeps_previous_site(records: list[Reply], config: Config,
                                          tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(records, out, config)
    before = tree(out)
    broken = tmp_path / "mine"
    broken.mkdir()
    (broken / "reply.html").write_text("{% extends 'base.html' %}{% block content %}{{ oops(",
                                       encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build_site(records, out, dataclasses.replace(config, templates_dir=broken))
    assert "reply.html" in str(caught.value)
    assert tree(out) == before
    # No temporary folder is left; the failed build's folder waits as the next build's spare.
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.spare", "mine", "site"]


def test_undefined_name_in_a_template_fails_the_build(records: list[Reply], config: Config,
                                                      tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "stats.html").write_text("{{ no_such_thing }}", encoding="utf-8")
    with pytest.raises(BuildError, match=r"stats\.html"):
        build_site(records, tmp_path / "site", dataclasses.replace(config, templates_dir=mine))
    assert not (tmp_path / "site").exists()


def _theme_without(tmp_path: Path, missing: str) -> Path:
    """A copy of the built-in theme whose templates/ lacks ``missing``."""
    theme = tmp_path / "theme"
    for name in ("templates", "static", "content"):
        shutil.copytree(BUILTIN_THEME / name, theme / name)
    (theme / "templates" / missing).unlink()
    return theme


def test_a_missing_template_names_it_the_folders_and_the_fix(records: list[Reply],
                                                             config: Config,
                                                             tmp_path: Path) -> None:
    theme = _theme_without(tmp_path, "404.html")
    with pytest.raises(BuildError) as caught:
        build_site(records, tmp_path / "site", dataclasses.replace(config, theme_dir=theme))
    message = str(caught.value)
    assert "template '404.html'" in message
    assert f"searched, first one wins: {theme / 'templates'}" in message
    assert "Fix: put 404.html into templates_dir" in message and "reinstall" in message


def _override_fails(records: list[Reply], config: Config, tmp_path: Path, name: str,
                    text: str) -> tuple[Path, str]:
    """templates_dir ``mine`` with the template ``name`` holding ``text``: the build's error."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / name).write_text(text, encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build_site(records, tmp_path / "site", dataclasses.replace(config, templates_dir=mine))
    return mine, str(caught.value)


def test_a_missing_included_template_is_named_with_every_folder(records: list[Reply],
                                                                config: Config,
                                                                tmp_path: Path) -> None:
    mine, message = _override_fails(records, config, tmp_path, "404.html",
                                    '{% include "gone.html" %}')
    assert message.startswith(f"{mine / '404.html'}: template '404.html' failed")
    assert "it needs template 'gone.html'" in message
    assert f"searched, first one wins: {mine}, {BUILTIN_THEME / 'templates'}." in message
    assert "Fix: put gone.html into templates_dir" in message


def test_a_broken_template_names_its_file_line_and_the_fix(records: list[Reply],
                                                           config: Config,
                                                           tmp_path: Path) -> None:
    mine, message = _override_fails(records, config, tmp_path, "stats.html", "ok\n{% if %}\n")
    assert message.startswith(f"{mine / 'stats.html'}:2: template 'stats.html' is broken")
    assert f"{mine}, {BUILTIN_THEME / 'templates'}" in message
    assert f"Fix line 2 of {mine / 'stats.html'}" in message


def test_user_template_overrides_builtin(records: list[Reply], config: Config,
                                         tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "404.html").write_text("{% extends 'base.html' %}{% block content %}"
                                   "<h1>自定义</h1>{% endblock %}", encoding="utf-8")
    build_site(records, tmp_path / "site", dataclasses.replace(config, templates_dir=mine))
    assert "<h1>自定义</h1>" in (tmp_path / "site/404.html").read_text("utf-8")


@pytest.mark.parametrize("bad_id", ["../evil", "a/b", "Upper", "", "x" * 101])
def test_unsafe_ids_are_refused(records: list[Reply], config: Config, tmp_path: Path,
                                bad_id: str) -> None:
    evil = dataclasses.replace(records[0], id=bad_id)
    with pytest.raises(BuildError, match="safe URL slug"):
        build_site([evil], tmp_path / "site", config)


def test_duplicate_ids_are_refused(records: list[Reply], config: Config, tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="share the id"):
        build_site([records[0], records[0]], tmp_path / "site", config)


def test_slugs_are_ascii_and_path_safe() -> None:
    for name in ("中山市工业和信息化局", "../../etc", "A&B <i>组</i>", "㊣", "长" * 80, ""):
        slug = slugify(name)
        assert slug and slug.isascii() and "/" not in slug and ".." not in slug
        assert all(c.isalnum() or c == "-" for c in slug)
    assert slugify("中山市工业和信息化局") == "zhong-shan-shi-gong-ye-he-xin-xi-hua-ju"


def test_slug_clashes_get_distinct_suffixes() -> None:
    slugs = slug_map(["A B", "a-b", "A B", "c"])
    assert slugify("A B") == slugify("a-b") == "a-b"
    assert slugs["c"] == "c"
    assert slugs["A B"] != slugs["a-b"] and slugs["A B"].startswith("a-b-")


def test_config_file_and_defaults(tmp_path: Path) -> None:
    assert Config().title == "建议提案答复档案"
    path = tmp_path / "replyarchive.toml"
    path.write_text('[site]\ntitle = "某市答复档案"\ntemplates_dir = "t"\n', encoding="utf-8")
    (tmp_path / "t").mkdir()
    config = load_config(path)
    assert config.title == "某市答复档案"
    assert config.templates_dir == (tmp_path / "t").resolve()
    with pytest.raises(BuildError, match="titel: unknown key"):
        config_from_dict({"titel": "x"}, path)
    with pytest.raises(BuildError, match="not a whole number"):
        config_from_dict({"latest_count": "ten"}, path)


def test_swap_exchanges_and_recovers(tmp_path: Path) -> None:
    out, new = tmp_path / "site", tmp_path / "site.tmp"
    for folder, text in ((out, "old"), (new, "new")):
        folder.mkdir()
        (folder / "a").write_text(text)
        (folder / STAMP).write_text(STAMP_TEXT)
    swap_in(new, out)
    assert (out / "a").read_text() == "new" and not new.exists()
    # a build killed between the two renames of the fallback path leaves only the old copy
    out.rename(aside(out))
    recover(out)
    assert (out / "a").read_text() == "new" and not aside(out).exists()


@pytest.mark.parametrize(("base_url", "warned"), [
    ("https://example.org/replyarchive/", True),
    ("https://archive.example.com/", True),
    ("http://site.test/", True),
    ("https://www.gov.cn/archive/", False),
    ("http://localhost:8000/", False),
])
def test_an_example_base_url_is_flagged(base_url: str, warned: bool) -> None:
    """Staff who never set base_url would publish citations to a placeholder address."""
    assert bool(Config(base_url=base_url).warnings()) is warned
