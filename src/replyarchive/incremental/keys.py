"""Keys of the site's files: a digest of everything a file is made from (see output.py).

A ``Prior`` is only given when the code, templates, configuration, content and static files are
unchanged, so a key only has to cover the letters a file shows and how they are arranged: the
record keys (``output.record_key``) of the letters on it, and every name, URL or count taken
from the rest of the archive. A key that covers too much only costs a re-render; one that
misses an input would leave a stale file, so when in doubt a key includes more.

The built-in templates read only what each page is given. A theme or template override may
read the whole archive from any page (``all_replies``, ``model``, ``url_of``): when one
mentions those names, every page's key also covers every letter (``SiteKeys.wide``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from replyarchive.config import BUILTIN_THEME, Config
from replyarchive.folders import TEMPLATE_SUFFIXES, theme_files
from replyarchive.incremental.output import record_key
from replyarchive.records.model import Reply

_ARCHIVE_NAMES = re.compile(r"\b(all_replies|model|url_of)\b")
"""Names through which a template can read letters other than the ones its page shows."""


def digest(*parts: object) -> str:
    """A short SHA-256 over ``parts``: strings, numbers, None, booleans, or lists and tuples of
    them, whose ``repr`` is unambiguous (strings quoted and escaped, types told apart)."""
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:32]


def custom_templates(config: Config) -> list[Path]:
    """Template files that do not come with replyarchive: the user's overrides, and a whole
    theme's templates when ``theme_dir`` is not the built-in one."""
    folders = [config.templates_dir]
    if Path(config.theme_dir).resolve() != BUILTIN_THEME.resolve():
        folders.append(Path(config.theme_dir) / "templates")
    return [path for folder in folders if folder is not None and folder.is_dir()
            for _, path in theme_files(folder, config.private.output, TEMPLATE_SUFFIXES)]


def reads_archive(config: Config) -> bool:
    """Whether a custom template may read letters beyond those its page is given."""
    for path in custom_templates(config):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return True  # cannot tell: assume it does
        if _ARCHIVE_NAMES.search(text):
            return True
    return False


class SiteKeys:
    """Record keys of every letter, and keys of pages over them."""

    def __init__(self, replies: Iterable[Reply], *, wide: bool = False,
                 listed: Mapping[str, str] | None = None) -> None:
        self.records = {reply.id: record_key(reply) for reply in replies}
        """id → record key, in reading order."""
        self.archive = digest(list(self.records), list(self.records.values()))
        """The key of the whole archive in reading order."""
        self.wide = wide
        """Every page depends on every letter (a custom template reads the archive)."""
        self.listed: Mapping[str, str] = self.records if listed is None else listed
        """id → key of what a list, a feed or a neighbour's page shows of the letter (given
        while the templates are the built-in ones, which show only that); else its record
        key, so a custom template may show any of its record there."""

    def record(self, reply: Reply | None) -> str:
        """A letter's record key; "" for no letter (e.g. the oldest has no older neighbour)."""
        return "" if reply is None else self.records[reply.id]

    def letters(self, replies: Iterable[Reply]) -> list[str]:
        """Record keys of ``replies`` in the order given (ids are inside the record keys)."""
        return [self.records[reply.id] for reply in replies]

    def shown(self, replies: Iterable[Reply | None]) -> list[str]:
        """``listed`` keys of ``replies`` in the order given ("" for no letter): what pages
        listing them, or a letter's page naming its neighbours, show of them."""
        return ["" if reply is None else self.listed[reply.id] for reply in replies]

    def page(self, path: str, template: str, *parts: object) -> str:
        """The key of a page from what it shows (plus the whole archive when ``wide``)."""
        return digest("page", path, template, self.archive if self.wide else "", *parts)
