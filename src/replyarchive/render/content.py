"""Free-text pages (about, how to cite) from Markdown in ``content/``, raw HTML off.

``content/10-about.md`` becomes ``about/index.html``; the leading number orders the nav, the
first ``# heading`` is the title. Links inside are relative to the page (one folder deep).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from replyarchive.errors import BuildError
from replyarchive.folders import CONTENT_SUFFIXES, Private, theme_files

_ORDER_PREFIX = re.compile(r"^\d+[-_]")
_SAFE_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
RESERVED = frozenset({"replies", "departments", "proposers", "sessions", "years", "categories",
                      "stats", "search", "data", "static"})
"""Folders the site itself writes; a page there would overwrite or mix with them."""


@dataclass(frozen=True, slots=True)
class ContentPage:
    """A Markdown page rendered to HTML."""

    slug: str
    """Folder name: about, cite."""
    title: str
    """The first level-1 heading."""
    html: str
    """The body as HTML (Markdown's raw HTML disabled, so the text is escaped)."""

    @property
    def url(self) -> str:
        return f"{self.slug}/index.html"


def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def load_page(path: Path) -> ContentPage:
    """Read one Markdown file; its name must give an ASCII slug."""
    slug = _ORDER_PREFIX.sub("", path.stem).lower()
    if not _SAFE_SLUG.match(slug):
        raise BuildError("content file names must be ASCII letters, digits and '-': "
                         "rename it, e.g. 20-how-to-cite.md", path)
    if slug in RESERVED:
        raise BuildError(f"a content page cannot be called {slug!r}: the site uses that folder; "
                         "rename the file", path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BuildError(f"cannot read the page as UTF-8: {exc}", path) from exc
    match = re.search(r"^# +(.+?)\s*$", text, re.MULTILINE)
    title = match.group(1) if match else slug
    return ContentPage(slug, title, _markdown().render(text))


def load_content(folder: Path, private: Private | None = None) -> list[ContentPage]:
    """Every ``*.md`` in ``folder`` in file-name order (not dot-files: ``folders.theme_files``);
    an absent folder means no pages."""
    if not folder.is_dir():
        return []
    found = theme_files(folder, private or Private(), CONTENT_SUFFIXES, nested=False)
    return [load_page(path) for _, path in found]
