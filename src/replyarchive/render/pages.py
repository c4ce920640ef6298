"""Every HTML page of the site as (path, template, context), in a fixed order.

Paths are relative to the output folder; the renderer adds ``root`` from each path's depth.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from replyarchive.config import Config
from replyarchive.incremental.keys import SiteKeys, custom_templates, digest
from replyarchive.records.labels import KIND_LABELS, category_short
from replyarchive.records.model import Reply
from replyarchive.render.charts import Chart
from replyarchive.render.content import ContentPage
from replyarchive.render.data import DataFiles
from replyarchive.render.database import DatabaseFile
from replyarchive.render.feeds import FEED_DIMENSIONS, FEED_NAME
from replyarchive.render.model import SiteModel, department_of, session_of, year_of
from replyarchive.render.originals import LOOSE, original_suffix
from replyarchive.render.render import date_cn
from replyarchive.render.tables import CSV_COLUMNS


@dataclass(frozen=True, slots=True)
class Page:
    """One HTML file to render."""

    path: str
    """Output path relative to the site root, e.g. replies/nnh-2023-57/index.html."""
    template: str
    """Template name, e.g. reply.html."""
    context: dict[str, Any] | Callable[[], dict[str, Any]]
    """Page-specific variables (the common ones are added by the builder), or a function
    making them, for pages that are usually reused rather than rendered."""
    key: str
    """Digest of everything the page shows (keys.py), to reuse it from the previous build."""

    def variables(self) -> dict[str, Any]:
        return self.context() if callable(self.context) else self.context


def listing_key(reply: Reply, adoption: Sequence[tuple[str, str, int]]) -> str:
    """A digest of what the built-in templates show of a letter outside its own page: its row
    in every list (_row.html), its label beside its neighbours (reply_label), its entry in the
    home page's newest letters (index.html) and in feeds (feed.xml). A letter edited elsewhere
    (its text, its contacts) keeps it, so those pages are linked from the last build."""
    session = reply.session.label if reply.session else None
    return digest("listed", reply.id, reply.date, reply.doc_number, reply.kind, reply.category,
                  reply.role, reply.proposal_title, reply.title, reply.proposal_number,
                  reply.department, reply.proposers, session, adoption)


def listing_keys(model: SiteModel, config: Config) -> dict[str, str] | None:
    """``listing_key`` of every letter while the templates are the built-in ones; None when
    any is not, since a custom template may show more of a letter in a list."""
    if custom_templates(config):
        return None
    return {reply.id: listing_key(reply, model.adoption_of(reply)) for reply in model.replies}


def reply_url(reply: Reply) -> str:
    return f"replies/{reply.id}/index.html"


def citation(reply: Reply, config: Config) -> str:
    """A ready citation line: 单位：《标题》（文号），日期。URL"""
    parts = [f"{reply.department}：" if reply.department else ""]
    parts.append(f"《{reply.title or reply.proposal_title or reply.id}》")
    if reply.doc_number:
        parts.append(f"（{reply.doc_number}）")
    parts.append(f"，{date_cn(reply.date)}。" if reply.date else "。")
    parts.append(f"{config.base}replies/{reply.id}/")
    return "".join(parts)


def citation_gbt7714(reply: Reply, config: Config) -> str:
    """GB/T 7714—2015 style for an online document: 单位. 题名: 文号[EB/OL]. (日期). URL."""
    author = f"{reply.department}. " if reply.department else ""
    title = reply.title or reply.proposal_title or reply.id
    number = f": {reply.doc_number}" if reply.doc_number else ""
    date = f"({reply.date}). " if reply.date else ""
    return f"{author}{title}{number}[EB/OL]. {date}{config.base}replies/{reply.id}/."


def downloads(reply: Reply, data: DataFiles) -> list[tuple[str, str, str, bool]]:
    """(label, URL, what to find there, whether the browser saves it rather than opens it) of
    a letter's downloads: its original as its own file when published so (a PDF or DOCX),
    its original and YAML record in its year's ZIP, its JSON record a line of the year's JSON
    Lines."""
    bundle, year = data.bundles.paths[reply.id], data.year_of(reply.id)
    records = data.records[reply.id]
    names = [f"{reply.id}.yaml"]
    suffix = original_suffix(reply)
    label = "记录（YAML）"
    when = f"{year.name}年" if year.name.isdigit() else year.name
    loose = data.loose.get(reply.id)
    files = []
    if reply.id in data.originals and suffix is not None:
        kind = "原文（纯文本）" if suffix == "txt" else f"原件（{suffix.upper()}）"
        if loose is not None:
            note = f"公开的原件，可直接打开；{when}答复合集（ZIP）中也有"
            files.append((kind, loose, note, False))
        else:
            label = f"{kind}和记录（YAML）"
        names.insert(0, f"{reply.id}.{suffix}")
    return [*files, (label, bundle, f"{when}答复合集（ZIP）中的 {'、'.join(names)}", True),
            ("记录（JSON）", records, f"{when}全部记录（JSON Lines，每行一件）中 "
             f"\"id\":\"{reply.id}\" 的一行", True)]


def _reply_page(reply: Reply, model: SiteModel, config: Config, data: DataFiles,
                keys: SiteKeys) -> Page:
    newer, older = model.neighbours(reply)
    files = downloads(reply, data)
    urls = {
        "department_url": model.url_of("departments", department_of(reply)),
        "session_url": model.url_of("sessions", session_of(reply)),
        "year_url": model.url_of("years", year_of(reply)),
        "category_url": model.url_of("categories", category_short(reply.category)),
        "proposer_urls": [(p, model.url_of("proposers", p)) for p in reply.proposers],
    }
    path = reply_url(reply)
    key = keys.page(path, "reply.html", keys.record(reply), keys.shown((newer, older)), files,
                    list(urls.items()))

    def context() -> dict[str, Any]:
        return {
            "reply": reply,
            "newer": newer,
            "older": older,
            "citations": [("通用格式", citation(reply, config)),
                          ("GB/T 7714", citation_gbt7714(reply, config))],
            "part_cite_prefix": citation(reply, config).rsplit("。", 1)[0],
            "permalink": f"{config.base}replies/{reply.id}/",
            "downloads": files,
            **urls,
            "section_nav": "replies",
        }
    return Page(path, "reply.html", context, key)


def _browse_pages(model: SiteModel, keys: SiteKeys) -> Iterator[Page]:
    for dim in model.dimensions:
        about = (dim.key, dim.title, dim.label)
        path = f"{dim.key}/index.html"
        shown = [(g.name, g.slug, len(g.replies)) for g in dim.groups]
        yield Page(path, "browse_index.html", {"dimension": dim, "section_nav": dim.key},
                   keys.page(path, "browse_index.html", about, shown))
        for group in dim.groups:
            paths = page_paths(group.url(dim.key), len(group.replies), BROWSE_PAGE)
            for number, path in enumerate(paths, 1):
                rows = group.replies[(number - 1) * BROWSE_PAGE:number * BROWSE_PAGE]
                # the group's feed sits beside its first page: page/<n>/ is two folders down
                feed = None if dim.key not in FEED_DIMENSIONS else (
                    FEED_NAME if number == 1 else f"../../{FEED_NAME}")
                key = keys.page(path, "browse.html", about, group.name, group.slug,
                                keys.shown(rows), len(group.replies), feed, paths)
                pager = {"number": number, "count": len(paths), "paths": paths}
                yield Page(path, "browse.html", {"dimension": dim, "group": group,
                                                 "rows": rows, "feed": feed, "pager": pager,
                                                 "section_nav": dim.key}, key)


def home_counts(model: SiteModel) -> dict[str, list[tuple[str, int, str]]]:
    """(label, count, url) lists for the home page: by year, by kind, by category."""
    kinds = Counter(KIND_LABELS[r.kind] for r in model.replies)
    return {
        "years": [(g.name, len(g.replies), g.url("years"))
                  for g in model.dimension("years").groups],
        "categories": [(g.name, len(g.replies), g.url("categories"))
                       for g in model.dimension("categories").groups],
        "kinds": [(label, kinds[label], "") for label in KIND_LABELS.values() if kinds[label]],
    }


def _home_page(model: SiteModel, config: Config, keys: SiteKeys) -> Page:
    latest = model.replies[: config.latest_count]
    counts = home_counts(model)
    ways = [(d.key, d.title, d.label, len(d.groups)) for d in model.dimensions]
    key = keys.page("index.html", "index.html", len(model.replies), keys.shown(latest),
                    [(name, list(rows)) for name, rows in counts.items()], ways)
    return Page("index.html", "index.html",
                {"latest": latest, "counts": counts, "section_nav": "home"}, key)


LIST_PAGE = 250
"""Rows on one page of the all-replies list: 10,000 letters are 40 pages, none too big."""
BROWSE_PAGE = 250
"""Rows on one page of a department's, proposer's, session's, year's or category's list."""


def page_paths(first: str, rows: int, size: int) -> list[str]:
    """The pages of a list of ``rows`` rows, ``size`` a page: ``first`` (x/index.html), then
    x/page/2/index.html, x/page/3/index.html, …; one page for an empty list."""
    folder = first.removesuffix("index.html")
    count = max(1, -(-rows // size))
    return [first] + [f"{folder}page/{n}/index.html" for n in range(2, count + 1)]


def list_path(number: int) -> str:
    """Page 1 of the all-replies list is replies/index.html, page n replies/page/n/."""
    return "replies/index.html" if number == 1 else f"replies/page/{number}/index.html"


def _list_pages(model: SiteModel, keys: SiteKeys) -> Iterator[Page]:
    """The all-replies list, ``LIST_PAGE`` letters a page, newest first. Its filters without
    JavaScript are links to the year and category pages (every letter of that year or
    category); with it, a form filters and sorts the page's rows."""
    size, rows = LIST_PAGE, model.replies
    count = max(1, -(-len(rows) // size))
    filters = {k: [(g.name, g.url(k)) for g in model.dimension(k).groups]
               for k in ("years", "categories")}
    paths = [list_path(n) for n in range(1, count + 1)]
    for number, path in enumerate(paths, 1):
        shown = rows[(number - 1) * size:number * size]
        key = keys.page(path, "replies.html", len(rows), keys.shown(shown),
                        list(filters.items()), paths)
        pager = {"number": number, "count": count, "paths": paths}
        yield Page(path, "replies.html", {"rows": shown, "total": len(rows), "pager": pager,
                                          "filters": filters, "section_nav": "replies"}, key)


def _stats_page(model: SiteModel, charts: Sequence[Chart], keys: SiteKeys) -> Page:
    shown = [(c.id, c.title, c.svg, list(c.headers), list(c.rows)) for c in charts]
    key = keys.page("stats/index.html", "stats.html", len(model.replies), shown)
    return Page("stats/index.html", "stats.html", {"charts": charts, "section_nav": "stats"},
                key)


def _data_page(model: SiteModel, data: DataFiles, database: DatabaseFile,
               keys: SiteKeys) -> Page:
    """data/index.html: the downloads, and how to query the database."""
    years = [(y.name, y.count, list(y.records), y.csv, list(y.bundles)) for y in data.years]
    zip_only = sum(1 for r in model.replies if r.id in data.originals
                   and original_suffix(r) in LOOSE and r.id not in data.loose)
    originals = {"loose": len(data.loose), "zip_only": zip_only}
    key = keys.page("data/index.html", "data.html", len(model.replies), database.size,
                    database.published, database.exact, years, data.listing,
                    data.listing_size, sorted(originals.items()))
    return Page("data/index.html", "data.html", {"count": len(model.replies), "data": data,
                                                 "database": database, "section_nav": "data",
                                                 "csv_columns": CSV_COLUMNS,
                                                 "originals": originals},
                key)


def page_count(model: SiteModel, content: Sequence[ContentPage]) -> int:
    """How many pages ``all_pages`` yields, without making them (the originals' file budget
    is settled before the pages link them)."""
    lists = max(1, -(-len(model.replies) // LIST_PAGE))
    browse = sum(1 + sum(len(page_paths(g.url(d.key), len(g.replies), BROWSE_PAGE))
                         for g in d.groups) for d in model.dimensions)
    return 1 + lists + len(model.replies) + browse + 2 + len(content) + 1


def all_pages(
    model: SiteModel,
    config: Config,
    content: list[ContentPage],
    data: DataFiles,
    charts: Sequence[Chart],
    keys: SiteKeys,
    database: DatabaseFile,
) -> Iterator[Page]:
    """Every page in a fixed order: home, list, letters, browse, statistics, data, content,
    404."""
    yield _home_page(model, config, keys)
    yield from _list_pages(model, keys)
    for reply in model.replies:
        yield _reply_page(reply, model, config, data, keys)
    yield from _browse_pages(model, keys)
    yield _stats_page(model, charts, keys)
    yield _data_page(model, data, database, keys)
    for page in content:  # content and configuration are the same whenever a key is reused
        yield Page(page.url, "page.html", {"page": page, "section_nav": page.slug},
                   keys.page(page.url, "page.html"))
    # The server shows 404.html at whatever depth the missing address had, so relative links
    # cannot work there: this one page links from the path of base_url instead.
    yield Page("404.html", "404.html", {"section_nav": "", "root": urlsplit(config.base).path},
               keys.page("404.html", "404.html"))
