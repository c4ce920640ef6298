"""feed.xml (Atom), sitemap.xml and robots.txt: the only files with absolute URLs (base_url).

Besides the archive's feed.xml, each department and each proposer has its own
(``departments/<slug>/feed.xml``), linked from its browse page, so a reader can follow one.

No clock: a feed's ``updated`` is its newest letter's date, or SOURCE_DATE_EPOCH when no
letter is dated (else the epoch), so builds stay byte-identical. Both XML files are written
without the characters XML cannot carry (``xmltext``), whatever a record holds.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass

import jinja2

from replyarchive.config import Config
from replyarchive.incremental.keys import SiteKeys, digest
from replyarchive.incremental.output import SiteOutput
from replyarchive.records.model import Reply
from replyarchive.render.model import SiteModel
from replyarchive.render.render import render_html
from replyarchive.vocab.xmltext import xml_safe

FEED_SIZE = 50
FEED_NAME = "feed.xml"
FEED_DIMENSIONS = ("departments", "proposers")
"""Browse dimensions whose every group has a feed."""


@dataclass(frozen=True, slots=True)
class Feed:
    """One Atom feed: what it is called and the page it follows."""

    title: str
    """The feed's title, e.g. 临江市农业农村局 · 承办单位 · 建议提案答复档案."""
    subtitle: str
    """One line saying what it holds."""
    page: str
    """Absolute URL of the page it follows (also the feed's id), ending in /."""
    name: str = FEED_NAME
    """The feed's file name, beside that page."""


def atom_time(date: str) -> str:
    """'2025-09-15' → 2025-09-15T00:00:00Z."""
    return f"{date}T00:00:00Z"


def build_time() -> str:
    """SOURCE_DATE_EPOCH as an Atom timestamp, or the epoch: never the wall clock."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def pretty_url(path: str) -> str:
    """'replies/x/index.html' → 'replies/x/'; the address people share."""
    return path[: -len("index.html")] if path.endswith("index.html") else path


def write_feed(env: jinja2.Environment, output: SiteOutput, path: str, feed: Feed,
               replies: Sequence[Reply], config: Config, keys: SiteKeys) -> None:
    """One feed of the newest ``FEED_SIZE`` of ``replies`` (newest first) at ``path``."""
    newest = next((r.date for r in replies if r.date), None)
    updated = atom_time(newest) if newest else build_time()
    entries = replies[:FEED_SIZE]
    key = keys.page(path, "feed.xml", updated, feed.title, feed.subtitle, feed.page,
                    keys.shown(entries))
    if not output.reuse(path, key):
        context = {"site": config, "base": config.base, "updated": updated, "feed": feed,
                   "entries": entries, "atom_time": atom_time}
        output.write_text(path, xml_safe(render_html(env, path, "feed.xml", context)), key)


def group_feeds(model: SiteModel, config: Config) -> list[tuple[str, Feed, tuple[Reply, ...]]]:
    """(path, feed, letters) for every group of the ``FEED_DIMENSIONS``."""
    feeds = []
    for dim in (model.dimension(key) for key in FEED_DIMENSIONS):
        for group in dim.groups:
            folder = group.url(dim.key).removesuffix("index.html")
            feed = Feed(f"{group.name} · {dim.label} · {config.title}",
                        f"{dim.label}“{group.name}”的答复", config.base + folder)
            feeds.append((folder + FEED_NAME, feed, group.replies))
    return feeds


def write_feeds(env: jinja2.Environment, output: SiteOutput, model: SiteModel,
                config: Config, page_paths: Sequence[str], keys: SiteKeys) -> None:
    """Every feed, the sitemap and robots.txt; page_paths lists every HTML page written."""
    replies = model.replies
    site_feed = Feed(config.title, config.description, config.base)
    write_feed(env, output, FEED_NAME, site_feed, replies, config, keys)
    for path, feed, letters in group_feeds(model, config):
        write_feed(env, output, path, feed, letters, config, keys)
    dates = {f"replies/{r.id}/index.html": r.date for r in replies}
    sitemap_key = keys.page("sitemap.xml", "sitemap.xml", list(page_paths), sorted(dates.items()))
    if not output.reuse("sitemap.xml", sitemap_key):  # addresses and dates only
        urls = [(pretty_url(p), dates.get(p)) for p in page_paths if p != "404.html"]
        html = render_html(env, "sitemap.xml", "sitemap.xml", {"base": config.base, "urls": urls})
        output.write_text("sitemap.xml", xml_safe(html), sitemap_key)
    robots = f"User-agent: *\nAllow: /\nSitemap: {config.base}sitemap.xml\n"
    output.write_text("robots.txt", robots, digest("robots.txt", robots))
