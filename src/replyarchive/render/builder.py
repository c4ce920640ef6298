"""The render stage: ``prepare`` the archive's model and templates once, then the pipeline has
the ``Site`` write its static files, data files, database, originals, pages and feeds into
the build's folder (incremental.swap.building), in that order: pages link the data files (the
ZIP holding each letter's record and original) and the originals beside them, which are
counted against the hosts' file budget once every other file is known, and the sitemap lists
the pages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2

from replyarchive.config import Config
from replyarchive.errors import BuildError
from replyarchive.folders import theme_files
from replyarchive.incremental.keys import SiteKeys, reads_archive
from replyarchive.incremental.output import SiteOutput
from replyarchive.incremental.parallel import run_chunks
from replyarchive.records.model import Reply
from replyarchive.render.charts import build_charts, legend
from replyarchive.render.content import ContentPage, load_content
from replyarchive.render.data import DataFiles, write_data
from replyarchive.render.database import DatabaseFile, write_database
from replyarchive.render.feeds import group_feeds, write_feeds
from replyarchive.render.model import SiteModel
from replyarchive.render.originals import write_originals
from replyarchive.render.pages import Page, all_pages, listing_keys, page_count, reply_url
from replyarchive.render.render import (
    load_templates,
    make_environment,
    render_html,
    table_rows,
)
from replyarchive.render.report import Progress
from replyarchive.vocab.pinyin import Pinyin

SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")


def check_ids(replies: Sequence[Reply]) -> None:
    """Ids become folder names: each must be unique and lowercase ASCII."""
    seen: set[str] = set()
    for reply in replies:
        if not SAFE_ID.match(reply.id):
            raise BuildError(f"record id {reply.id!r} is not a safe URL slug "
                             "(lowercase a-z, 0-9 and '-')", reply.source.path)
        if reply.id in seen:
            raise BuildError(f"two records share the id {reply.id!r}; ids must be unique",
                             reply.source.path)
        seen.add(reply.id)


def copy_static(output: SiteOutput, config: Config) -> None:
    """The theme's static/ and then the user's static_dir over it, into static/: never a
    dot-file nor the output, and from static_dir never the inputs nor the cache
    (``folders.theme_files``)."""
    files: dict[str, Path] = {}
    private = config.private
    for folder, kept in ((config.theme_dir / "static", private.output),
                         (config.static_dir, private)):
        if folder is not None and folder.is_dir():
            for rel, path in theme_files(folder, kept):
                files[f"static/{rel}"] = path
    for rel, path in files.items():
        output.copy(rel, path)


def write_pages(env: jinja2.Environment, output: SiteOutput, pages: Sequence[Page],
                common: dict[str, object], progress: Progress | None = None) -> None:
    """Link each page whose key the previous build recorded; render the others, on every
    core when there are many (each worker writes its own pages as new files)."""
    todo = [page for page in pages if not output.reuse(page.path, page.key)]
    load_templates(env, sorted({page.template for page in todo}))
    count = len(pages) - len(todo)

    def work(start: int, stop: int) -> None:
        for page in todo[start:stop]:
            html = render_html(env, page.path, page.template, {**common, **page.variables()})
            output.write_text(page.path, html)

    def done(items: int) -> None:
        nonlocal count
        count += items
        if progress:
            progress("pages", count, len(pages))

    run_chunks(len(todo), work, done)
    output.remember({page.path: page.key for page in todo})


@dataclass(frozen=True, slots=True)
class Site:
    """What every page, data file and feed is rendered from: the records' model, the
    configuration, the templates, the Markdown pages and each file's key."""

    model: SiteModel
    config: Config
    env: jinja2.Environment
    content: list[ContentPage]
    common: Mapping[str, object]
    """Variables every page sees."""
    keys: SiteKeys

    def copy_static(self, output: SiteOutput) -> None:
        """The theme's and the user's static files, into static/."""
        copy_static(output, self.config)

    def write_data(self, output: SiteOutput, sources: Mapping[str, Path],
                   progress: Progress | None = None) -> DataFiles:
        """data/: the records per year (JSON Lines, CSV, ZIPs of YAML and originals), the
        archive's CSV and JSON; what it holds, for the pages that link it."""
        data_progress = (lambda done, total: progress("data", done, total)) if progress else None
        return write_data(output, self.model, self.config, sources, self.keys, data_progress)

    def write_originals(self, output: SiteOutput, data: DataFiles,
                        sources: Mapping[str, Path]) -> DataFiles:
        """Each PDF/DOCX original as its own file beside its page, while the whole site (this
        build's files so far, the pages, the search page and the feeds to come) fits a host's
        file count (originals.py); ``data`` with them and with notes of what is ZIP-only."""
        feeds = 1 + len(group_feeds(self.model, self.config)) + 2  # and sitemap, robots.txt
        others = len(output.made) + page_count(self.model, self.content) + 1 + feeds
        loose = write_originals(output, self.model.replies, data.originals, sources, others)
        return replace(data, loose=loose.paths, notes=data.notes + loose.notes)

    def write_database(self, output: SiteOutput) -> DatabaseFile:
        """data/replies.db (when it fits a static host) and its Datasette metadata."""
        return write_database(output, self.model.replies, self.config, self.keys)

    def write_pages(self, output: SiteOutput, data: DataFiles, database: DatabaseFile,
                    progress: Progress | None = None) -> list[str]:
        """Every HTML page, the search page last; return their paths."""
        pages = list(all_pages(self.model, self.config, self.content, data,
                               build_charts(self.model), self.keys, database))
        common = dict(self.common)
        write_pages(self.env, output, pages, common, progress)
        search = Page("search/index.html", "search.html", {"section_nav": "search"},
                      self.keys.page("search/index.html", "search.html"))
        write_pages(self.env, output, [search], common)
        return [page.path for page in pages] + [search.path]

    def write_feeds(self, output: SiteOutput, pages: Sequence[str]) -> None:
        """The feeds (the archive's, each department's and proposer's), sitemap.xml (of
        ``pages``) and robots.txt."""
        write_feeds(self.env, output, self.model, self.config, sorted(pages), self.keys)


def prepare(replies: Sequence[Reply], config: Config, pinyin: Pinyin | None = None) -> Site:
    """The model of the archive (letters newest first, browse groups), the templates and
    the keys, checking first that every id can be a folder name. ``pinyin``: the readings
    of names made already (``vocab.pinyin``)."""
    check_ids(replies)
    model = SiteModel.from_replies(replies, pinyin)
    env = make_environment(config)
    env.globals.update(url_of=model.url_of, reply_url=reply_url,
                       adoption_summary=model.adoption_of, chart_legend=legend,
                       table_row=table_rows(env))
    content = load_content(config.content_dir or config.theme_dir / "content",
                           config.private.output)
    common: dict[str, object] = {"site": config, "content_nav": content,
                                 "all_replies": model.replies, "model": model}
    keys = SiteKeys(model.replies, wide=reads_archive(config),
                    listed=listing_keys(model, config))
    return Site(model, config, env, content, common, keys)
