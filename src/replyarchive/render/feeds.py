"""feed.xml (Atom), sitemap.xml and robots.txt: the only files with absolute URLs (base_url).

No clock: the feed's ``updated`` is the newest letter's date, or SOURCE_DATE_EPOCH when no
letter is dated (else the epoch), so builds stay byte-identical. Both XML files are written
without the characters XML cannot carry (``xmltext``), whatever a record holds.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

import jinja2

from replyarchive.config import Config
from replyarchive.incremental.keys import SiteKeys, digest
from replyarchive.incremental.output import SiteOutput
from replyarchive.records.model import Reply
from replyarchive.render.render import render_html
from replyarchive.vocab.xmltext import xml_safe

FEED_SIZE = 50


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


def write_feeds(env: jinja2.Environment, output: SiteOutput, replies: Sequence[Reply],
                config: Config, page_paths: Sequence[str], keys: SiteKeys) -> None:
    """replies are newest first; page_paths lists every HTML page written."""
    newest = next((r.date for r in replies if r.date), None)
    updated = atom_time(newest) if newest else build_time()
    entries = replies[:FEED_SIZE]
    feed_key = keys.page("feed.xml", "feed.xml", updated, keys.letters(entries))
    if not output.reuse("feed.xml", feed_key):
        context = {"site": config, "base": config.base, "updated": updated,
                   "entries": entries, "atom_time": atom_time}
        feed = xml_safe(render_html(env, "feed.xml", "feed.xml", context))
        output.write_text("feed.xml", feed, feed_key)
    dates = {f"replies/{r.id}/index.html": r.date for r in replies}
    sitemap_key = keys.page("sitemap.xml", "sitemap.xml", list(page_paths), sorted(dates.items()))
    if not output.reuse("sitemap.xml", sitemap_key):  # addresses and dates only
        urls = [(pretty_url(p), dates.get(p)) for p in page_paths if p != "404.html"]
        html = render_html(env, "sitemap.xml", "sitemap.xml", {"base": config.base, "urls": urls})
        output.write_text("sitemap.xml", xml_safe(html), sitemap_key)
    robots = f"User-agent: *\nAllow: /\nSitemap: {config.base}sitemap.xml\n"
    output.write_text("robots.txt", robots, digest("robots.txt", robots))
