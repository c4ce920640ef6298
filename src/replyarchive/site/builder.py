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
from replyarchive.model import Reply
from replyarchive.search.indexer import write_index
from replyarchive.site.charts import build_charts, legend
from replyarchive.site.content import load_content
from replyarchive.site.data import write_data
from replyarchive.site.feeds import write_feeds
from replyarchive.site.model import SiteModel, adoption_summary
from replyarchive.site.output import Prior, SiteOutput
from replyarchive.site.pages import all_pages, reply_url
from replyarchive.site.render import make_environment, render_page
from replyarchive.site.swap import recover, swap_in

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
    keys: Mapping[str, str] = field(default_factory=dict)
    """Path → key of the inputs of each file made with one (see output.py), for the next build."""
    state: Mapping[str, Any] = field(default_factory=dict)
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
    """The built-in static/ and then the user's static_dir over it, into static/."""
    files: dict[str, Path] = {}
    for folder in (config.theme_dir / "static", config.static_dir):
        if folder is not None and folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    files[f"static/{path.relative_to(folder).as_posix()}"] = path
    for rel, path in files.items():
        output.copy(rel, path)


def write_search(env: jinja2.Environment, output: SiteOutput, replies: Sequence[Reply],
                 common: dict[str, object]) -> list[str]:
    """The search page (template search.html) and its index files under search/."""
    out = output.root
    render_page(env, out, "search/index.html", "search.html", {**common, "section_nav": "search"})
    write_index(replies, output)
    return ["search/index.html"]


def render_site(replies: Sequence[Reply], output: SiteOutput, config: Config,
                sources: Mapping[str, Path], progress: Progress | None) -> int:
    """Write every file into ``output`` (an empty folder, reusing what the previous build
    left where its inputs are unchanged); return the number of HTML pages."""
    out = output.root
    model = SiteModel.from_replies(replies)
    env = make_environment(config)
    env.globals.update(url_of=model.url_of, reply_url=reply_url,
                       adoption_summary=adoption_summary, chart_legend=legend)
    content = load_content(config.content_dir or config.theme_dir / "content")
    common: dict[str, object] = {"site": config, "content_nav": content,
                                 "all_replies": model.replies, "model": model}
    copy_static(output, config)
    with_source = write_data(out, model.replies, config, sources)
    pages = list(all_pages(model, config, content, with_source, build_charts(model)))
    for done, page in enumerate(pages, 1):
        render_page(env, out, page.path, page.template, {**common, **page.context})
        if progress and (done % 50 == 0 or done == len(pages)):
            progress("pages", done, len(pages))
    paths = [p.path for p in pages] + write_search(env, output, model.replies, common)
    write_feeds(env, out, model.replies, config, sorted(paths))
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
    if out.exists() and not out.is_dir():
        raise BuildError("the output path exists and is not a folder; choose another --out", out)
    tmp = out.with_name(f"{out.name}.tmp-{os.getpid()}")
    try:
        recover(out)
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        output = SiteOutput(tmp, prior if prior is not None and prior.folder == out else None)
        pages = render_site(replies, output, config, sources or {}, progress)
        files = sum(1 for p in tmp.rglob("*") if p.is_file())
        swap_in(tmp, out)
    except OSError as exc:
        raise BuildError(f"cannot write the site: {exc}", getattr(exc, "filename", None)
                         or out) from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return BuildReport(out, len(replies), pages, files, output.keys, output.state, output.reused)
