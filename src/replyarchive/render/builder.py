"""Build the whole site into a temporary sibling folder, then swap it in atomically.

``build_site`` is the render stage's one entry point. A failure anywhere raises BuildError and
leaves the previous site exactly as it was.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from replyarchive.config import Config
from replyarchive.errors import BuildError
from replyarchive.folders import check_folders, theme_files
from replyarchive.incremental.keys import SiteKeys, reads_archive
from replyarchive.incremental.output import Prior, SiteOutput
from replyarchive.incremental.parallel import frozen_heap, run_chunks
from replyarchive.incremental.swap import claim, empty_spare, recover, set_aside, swap_in
from replyarchive.index.indexer import write_index
from replyarchive.records.model import Reply
from replyarchive.render.charts import build_charts, legend
from replyarchive.render.content import load_content
from replyarchive.render.data import write_data
from replyarchive.render.feeds import write_feeds
from replyarchive.render.model import SiteModel
from replyarchive.render.pages import Page, all_pages, reply_url
from replyarchive.render.render import (
    load_templates,
    make_environment,
    render_html,
    table_rows,
)

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total): called as pages are written; the CLI draws it on a TTY."""

SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build wrote."""

    out: Path
    """The site folder, now holding the new build."""
    replies: int
    """Letters rendered."""
    pages: int
    """HTML pages written."""
    files: int
    """All files in the output, pages included."""
    keys: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    """Path → key of the inputs of each file made with one (see output.py), for the next build.
    Not part of comparisons: a report is what was built, a kept site reports no keys."""
    state: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """What each stage saved for the next build (see output.py)."""
    reused: int = 0
    """Files linked unchanged from the previous site."""


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


def write_search(env: jinja2.Environment, output: SiteOutput, replies: Sequence[Reply],
                 common: dict[str, object], keys: SiteKeys) -> list[str]:
    """The search page (template search.html) and its index files under search/."""
    write_pages(env, output, [Page("search/index.html", "search.html", {"section_nav": "search"},
                                   keys.page("search/index.html", "search.html"))], common)
    write_index(replies, output)
    return ["search/index.html"]


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


def render_site(replies: Sequence[Reply], output: SiteOutput, config: Config,
                sources: Mapping[str, Path], progress: Progress | None) -> int:
    """Write every file into ``output`` (an empty folder, reusing what the previous build
    left where its inputs are unchanged); return the number of HTML pages."""
    with frozen_heap():
        return _render_site(replies, output, config, sources, progress)


def _render_site(replies: Sequence[Reply], output: SiteOutput, config: Config,
                 sources: Mapping[str, Path], progress: Progress | None) -> int:
    model = SiteModel.from_replies(replies)
    env = make_environment(config)
    env.globals.update(url_of=model.url_of, reply_url=reply_url,
                       adoption_summary=model.adoption_of, chart_legend=legend,
                       table_row=table_rows(env))
    content = load_content(config.content_dir or config.theme_dir / "content",
                           config.private.output)
    common: dict[str, object] = {"site": config, "content_nav": content,
                                 "all_replies": model.replies, "model": model}
    keys = SiteKeys(model.replies, wide=reads_archive(config))
    copy_static(output, config)
    data_progress = (lambda done, total: progress("data", done, total)) if progress else None
    with_source = write_data(output, model, config, sources, keys, data_progress)
    pages = list(all_pages(model, config, content, with_source, build_charts(model), keys))
    write_pages(env, output, pages, common, progress)
    paths = [p.path for p in pages] + write_search(env, output, model.replies, common, keys)
    write_feeds(env, output, model.replies, config, sorted(paths), keys)
    return len(paths)


def build_site(
    replies: Sequence[Reply],
    out: Path,
    config: Config,
    *,
    sources: Mapping[str, Path] | None = None,
    progress: Progress | None = None,
    prior: Prior | None = None,
) -> BuildReport:
    """Render the archive into ``out``; on any failure raise BuildError, ``out`` untouched.

    With a ``prior`` (what the build of the site now in ``out`` recorded), files whose inputs
    are unchanged are linked from it instead of being made again."""
    check_ids(replies)
    out = out.resolve()
    check_folders(config, out)
    config = config.for_build(out)
    if out.exists() and not out.is_dir():
        raise BuildError("the output path exists and is not a folder; choose another --out", out)
    tmp = out.with_name(f"{out.name}.tmp-{os.getpid()}")
    try:
        recover(out)
        shutil.rmtree(tmp, ignore_errors=True)
        claim(out, tmp)
        output = SiteOutput(tmp, prior if prior is not None and prior.folder == out else None)
        pages = render_site(replies, output, config, sources or {}, progress)
        files = output.sweep()
        swap_in(tmp, out)
        if output.prior is None:
            empty_spare(out)
    except OSError as exc:
        raise BuildError(f"cannot write the site: {exc}", getattr(exc, "filename", None)
                         or out) from exc
    finally:
        if tmp.exists():  # the build failed: its folder is the next build's spare
            set_aside(tmp, out)
    return BuildReport(out, len(replies), pages, files, output.keys, output.state, output.reused)
