"""The wheel (setup.py's build step): the theme and lunr.js go into the package, a missing or
wrong lunr.js stops the build with what to run, and the installed wheel builds, from a folder
`replyarchive new` made, the very site the repository builds."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

import pytest
from tests.conftest import ROOT, SEEDS


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


def _run(args: list[str | Path], cwd: Path, env: dict[str, str]) -> str:
    """Run a command to its end; its output, or a failure showing it."""
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _serves(venv: Path, project: Path, env: dict[str, str]) -> bytes:
    """`replyarchive serve` from the wheel: the home page it serves."""
    server = subprocess.Popen([str(venv / "bin" / "replyarchive"), "serve", "--port", "0"],
                              cwd=project, env={**env, "PYTHONUNBUFFERED": "1"},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert url, line
        with urllib.request.urlopen(url.group(0), timeout=30) as response:
            return bytes(response.read())
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.slow
def test_the_wheel_installs_makes_a_project_and_builds_the_repositorys_site(
        tmp_path: Path) -> None:
    """python -m build; the wheel into a fresh virtualenv outside the repository; `new`, the
    seeds into letters/, `build` with no flags, the link checker, `serve`; and the same site,
    byte for byte, as the repository's code and theme build from the same folder."""
    from tests.render.linkcheck import broken_links
    from tests.render.test_build import tree

    from replyarchive import __version__
    from replyarchive.config import load_config

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    # Not from ROOT: there `python -m build` would run the repository's build.py.
    _run([sys.executable, "-m", "build", "--outdir", tmp_path / "dist", ROOT], tmp_path, env)
    wheels = sorted((tmp_path / "dist").glob("replyarchive-*.whl"))
    assert [w.name for w in wheels] == [f"replyarchive-{__version__}-py3-none-any.whl"]

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], tmp_path, env)
    python = venv / "bin" / "python"
    _run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheels[0]],
         tmp_path, env)
    where = _run([python, "-c", "import replyarchive.config as c, replyarchive.index.indexer "
                  "as i; print(c.BUILTIN_THEME); print(i.find_lunr())"], tmp_path, env).split()
    assert all(Path(p).is_relative_to(venv) for p in where), where  # nothing from the checkout
    command = venv / "bin" / "replyarchive"
    assert _run([command, "--version"], tmp_path, env) == f"replyarchive {__version__}\n"

    project = tmp_path / "archive"
    _run([command, "new", project], tmp_path, env)
    for letter in SEEDS.glob("*.txt"):
        shutil.copy(letter, project / "letters")
    same = tmp_path / "same"
    shutil.copytree(project, same)  # the same letters and settings, for the repository's build

    _run([command, "build"], project, env)
    site = project / "site"
    base = urlsplit(load_config(project / "replyarchive.toml").base).path
    assert broken_links(site, base) == []
    assert (site / "search" / "lunr.min.js").read_bytes() == \
        (SETUP.lunr_folder(ROOT) / "lunr.min.js").read_bytes()
    assert _serves(venv, project, env) == (site / "index.html").read_bytes()

    _run([sys.executable, "-m", "replyarchive", "build"], same,
         {**env, "PYTHONPATH": str(ROOT / "src")})
    from_wheel, from_repository = tree(site), tree(same / "site")
    assert sorted(from_wheel) == sorted(from_repository)
    assert [name for name in from_wheel if from_wheel[name] != from_repository[name]] == []
