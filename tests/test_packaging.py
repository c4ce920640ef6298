"""The wheel's build step (setup.py): the theme and lunr.js go into the package, and a missing
or wrong lunr.js stops the build with what to run."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from types import ModuleType

import pytest
from tests.conftest import ROOT


def _setup_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("replyarchive_setup", ROOT / "setup.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SETUP = _setup_module()


def _project(tmp_path: Path, lunr_version: str | None) -> Path:
    """A project folder with the repository's theme and lock file, and a node_modules/lunr of
    ``lunr_version`` (None: npm ci has not run)."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("package-lock.json", SETUP.STARTER):
        shutil.copyfile(ROOT / name, project / name)
    for name in SETUP.THEME:
        shutil.copytree(ROOT / name, project / name)
    if lunr_version is not None:
        lunr = project / "node_modules" / "lunr"
        lunr.mkdir(parents=True)
        (lunr / "lunr.min.js").write_text("/* lunr */\n", encoding="utf-8")
        (lunr / "LICENSE").write_text("MIT\n", encoding="utf-8")
        (lunr / "package.json").write_text(json.dumps({"version": lunr_version}),
                                           encoding="utf-8")
    return project


def _pinned() -> str:
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    return str(lock["packages"]["node_modules/lunr"]["version"])


def test_the_theme_and_lunr_go_into_the_package(tmp_path: Path) -> None:
    project = _project(tmp_path, _pinned())
    target = tmp_path / "build" / "replyarchive" / "_theme"
    target.mkdir(parents=True)
    (target / "stale.html").write_text("deleted since the last build", encoding="utf-8")
    SETUP.copy_theme(project, target)
    for name in SETUP.THEME:
        expected = sorted(p.relative_to(ROOT / name) for p in (ROOT / name).rglob("*"))
        assert sorted(p.relative_to(target / name) for p in (target / name).rglob("*")) \
            == expected
    assert (target / "templates" / "base.html").read_bytes() \
        == (ROOT / "templates" / "base.html").read_bytes()
    assert sorted(p.name for p in (target / "lunr").iterdir()) == sorted(SETUP.LUNR)
    assert (target / SETUP.STARTER).read_bytes() == (ROOT / SETUP.STARTER).read_bytes()
    assert not (target / "stale.html").exists()


def test_a_wheel_without_npm_ci_fails_saying_to_run_it(tmp_path: Path) -> None:
    project = _project(tmp_path, None)
    with pytest.raises(SETUP.SetupError, match=r"lunr\.js not found.*run `npm ci` in "):
        SETUP.copy_theme(project, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_lunr_other_than_the_pinned_one_fails(tmp_path: Path) -> None:
    project = _project(tmp_path, "0.0.1")
    with pytest.raises(SETUP.SetupError, match=rf"lunr 0\.0\.1, but package-lock\.json pins "
                                               rf"{_pinned()}.*npm ci"):
        SETUP.copy_theme(project, tmp_path / "out")


def test_lunr_is_never_committed() -> None:
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "/node_modules" in ignored
    assert not (ROOT / "src" / "replyarchive" / "_theme").exists()
