"""The wheel's build step: the built-in theme and lunr.js go into the package.

templates/, static/, content/ and replyarchive.toml stay at the top of the repository, where a
checkout (and an editable install) reads them. A wheel has no repository around it, so
``build_py`` copies each of them into ``replyarchive/_theme/``, and lunr.js, from the npm
package ``lunr`` that `npm ci` installs at the version package-lock.json pins, into
``replyarchive/_theme/lunr/``. lunr.js is never committed; the sdist carries its copy so that
a wheel can be built from the sdist. An editable install copies nothing.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist
from setuptools.errors import SetupError

HERE = Path(__file__).resolve().parent
THEME = ("templates", "static", "content")
"""The theme's folders, copied whole (but for dot-files) into the package's _theme/."""
STARTER = "replyarchive.toml"
"""The commented settings file, which ``replyarchive new`` starts a project's from."""
LUNR = ("lunr.min.js", "LICENSE", "package.json")
"""What the wheel takes of node_modules/lunr: the script, its licence and its version."""


def lunr_folder(project: Path = HERE) -> Path:
    """``node_modules/lunr`` of ``project`` (or of a folder above it, where Node also looks),
    holding the version package-lock.json pins; SetupError saying what to run otherwise."""
    lock = json.loads((project / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"]["node_modules/lunr"]["version"]
    fix = (f"run `npm ci` in {project} (it installs lunr {pinned}, pinned by "
           "package-lock.json), then build the wheel again")
    for folder in (project, *project.parents):
        found = folder / "node_modules" / "lunr"
        if (found / "lunr.min.js").is_file():
            missing = [name for name in LUNR if not (found / name).is_file()]
            if missing:
                raise SetupError(f"{found} has no {', '.join(missing)}: {fix}")
            meta = json.loads((found / "package.json").read_text(encoding="utf-8"))
            if meta.get("version") != pinned:
                raise SetupError(f"{found} holds lunr {meta.get('version')}, but "
                                 f"package-lock.json pins {pinned}: {fix}")
            return found
    raise SetupError(f"lunr.js not found: no {project / 'node_modules/lunr/lunr.min.js'}; "
                     f"the wheel ships lunr.js from npm: {fix}")


def copy_theme(project: Path, target: Path) -> None:
    """Fill ``target`` (the package's _theme/) with the theme's folders and lunr.js."""
    lunr = lunr_folder(project)  # first, so a missing lunr.js fails before anything is copied
    if target.exists():
        shutil.rmtree(target)  # a theme file deleted since the last build must not linger
    for name in THEME:
        shutil.copytree(project / name, target / name, ignore=shutil.ignore_patterns(".*"))
    shutil.copyfile(project / STARTER, target / STARTER)
    (target / "lunr").mkdir()
    for name in LUNR:
        shutil.copyfile(lunr / name, target / "lunr" / name)


class BuildPy(build_py):
    """build_py, then the theme and lunr.js into the built package (not for -e installs)."""

    def run(self) -> None:
        super().run()
        if not getattr(self, "editable_mode", False):
            copy_theme(HERE, Path(self.build_lib) / "replyarchive" / "_theme")


class Sdist(sdist):
    """sdist, with lunr.js (from node_modules) in the archive for the wheel built from it."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        lunr = lunr_folder()
        target = Path(base_dir) / "node_modules" / "lunr"
        target.mkdir(parents=True, exist_ok=True)
        for name in LUNR:
            shutil.copyfile(lunr / name, target / name)


if __name__ == "__main__":  # as setuptools runs it; tests import the steps above
    setup(cmdclass={"build_py": BuildPy, "sdist": Sdist})
