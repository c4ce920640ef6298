"""Which files of a theme or user folder a build may read or publish, and the stamp that marks
the folders a build made (``made_by_build``).

A folder setting can name any folder, the project folder included (``templates_dir = "."``).
What the build takes from it is therefore chosen here, in one place, for the static files it
copies, the templates it loads and the fingerprint that tells whether a rebuild can be
incremental: never a dot-file or anything in a dot-folder (``.env``, ``.git/``, the cache
``.replyarchive-cache/``, the spare site ``.site.spare``), never anything in a ``Private``
folder (the output and the copies of it a build leaves beside it, the inputs, the cache), never
a link leading out of the folder, and, for templates, only template files.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

STAMP = ".replyarchive-site"
"""The stamp file's name, at the root of every folder a build makes."""
STAMP_TEXT = ("This folder was made by `replyarchive build`; the next build replaces it whole. "
              "Keep no files of your own in it.\n")
"""The stamp file's content."""


def made_by_build(folder: Path | str) -> bool:
    """Whether ``folder`` (not a symlink) carries the build's stamp."""
    stamp = os.path.join(folder, STAMP)
    return not os.path.islink(folder) and os.path.isfile(stamp) and not os.path.islink(stamp)


TEMPLATE_SUFFIXES = frozenset({".html", ".xml", ".j2", ".jinja", ".jinja2"})
"""The files of a templates folder that are templates (letters are .txt, pages .md)."""


def _site_copy(path: Path, site: Path) -> bool:
    """``path`` is ``site`` or in it, or in one of its copies (``site.previous``,
    ``site.tmp-<pid>``, ``.site.spare``)."""
    names = {site.name, f"{site.name}.previous", f".{site.name}.spare"}
    return any(a.parent == site.parent and (a.name in names or
                                            a.name.startswith(f"{site.name}.tmp-"))
               for a in (path, *path.parents))


@dataclass(frozen=True, slots=True)
class Private:
    """Folders one build must never publish nor read templates from."""

    sites: tuple[Path, ...] = ()
    """The output folder (resolved); its previous, temporary and spare copies too."""
    folders: tuple[Path, ...] = ()
    """The inputs and the cache (resolved)."""

    def with_folders(self, sites: Iterable[Path] = (), folders: Iterable[Path] = ()) -> Private:
        """These plus ``sites`` and ``folders`` (resolved), without repeats, in order."""
        def merge(old: tuple[Path, ...], new: Iterable[Path]) -> tuple[Path, ...]:
            return tuple(dict.fromkeys((*old, *(p.resolve() for p in new))))
        return Private(merge(self.sites, sites), merge(self.folders, folders))

    @property
    def output(self) -> Private:
        """The output folders only: what templates are kept from (an input may hold the
        theme, and letters are not template files anyway)."""
        return Private(self.sites)

    def holds(self, path: Path) -> bool:
        """Whether the resolved ``path`` lies in a private folder."""
        return (any(_site_copy(path, site) for site in self.sites)
                or any(path == f or f in path.parents for f in self.folders))


CONTENT_SUFFIXES = frozenset({".md"})
"""The files of a content folder that are pages (site.content.load_content)."""


def theme_files(folder: Path, private: Private, suffixes: frozenset[str] | None = None,
                *, nested: bool = True) -> list[tuple[str, Path]]:
    """(path relative to ``folder``, file) for every file the build may take from ``folder``,
    sorted; with ``suffixes``, only files ending so; not ``nested``, only its own files. Links
    to folders are not followed; a link to a file is taken only when it stays inside
    ``folder``."""
    root = folder.resolve()
    found: list[tuple[str, Path]] = []
    for top, dirs, files in os.walk(root):
        here = Path(top)
        dirs[:] = [d for d in dirs if nested and not d.startswith(".")
                   and not private.holds(here / d)]
        for name in files:
            path = here / name
            if name.startswith(".") or (suffixes is not None and path.suffix not in suffixes):
                continue
            real = path.resolve()
            if (root in real.parents and real.is_file() and not private.holds(real)
                    and not any(p.startswith(".") for p in real.relative_to(root).parts)):
                found.append((path.relative_to(root).as_posix(), path))
    return sorted(found)


def template_allowed(folder: Path, name: str, private: Private) -> bool:
    """Whether the template ``name`` (a / path) may be loaded from ``folder``."""
    parts = name.split("/")
    if any(p.startswith(".") for p in parts) or Path(name).suffix not in TEMPLATE_SUFFIXES:
        return False
    real = (folder / name).resolve()
    return folder.resolve() in real.parents and not private.holds(real)
