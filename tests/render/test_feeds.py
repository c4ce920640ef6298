"""Atom feeds: the archive's, and one per department and per proposer, linked from its page;
each valid Atom with dates from the letters, never the clock."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from replyarchive.records.model import Reply
from replyarchive.render.feeds import FEED_DIMENSIONS, FEED_SIZE, atom_time, build_time
from replyarchive.render.model import SiteModel

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://archive.example.org/sub/"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def _feeds(site: Path) -> list[Path]:
    return [site / "feed.xml", *sorted(p for key in FEED_DIMENSIONS
                                       for p in (site / key).glob("*/feed.xml"))]


def _text(element: ET.Element, tag: str) -> str:
    found = element.find(ATOM + tag)
    assert found is not None and (found.text or "").strip(), f"no {tag}"
    return found.text or ""


def check_atom(path: Path, site: Path) -> ET.Element:
    """The elements RFC 4287 requires, and a self link naming the file itself."""
    root = ET.parse(path).getroot()
    assert root.tag == ATOM + "feed"
    for tag in ("id", "title"):
        _text(root, tag)
    assert RFC3339.match(_text(root, "updated"))
    selfs = [link.get("href") for link in root.findall(ATOM + "link") if link.get("rel") == "self"]
    assert selfs == [BASE + path.relative_to(site).as_posix()]
    feed_author = root.find(ATOM + "author") is not None
    for entry in root.findall(ATOM + "entry"):
        for tag in ("id", "title"):
            _text(entry, tag)
        assert RFC3339.match(_text(entry, "updated"))
        links = entry.findall(ATOM + "link")
        assert links and all((link.get("href") or "").startswith(BASE) for link in links)
        assert feed_author or entry.find(ATOM + "author") is not None
    return root


def test_every_feed_is_valid_atom(fixture_site: Path, seed_site: Path) -> None:
    for site in (fixture_site, seed_site):
        feeds = _feeds(site)
        assert len(feeds) > 3
        for path in feeds:
            check_atom(path, site)


def test_every_department_and_proposer_has_a_feed_its_page_links(
        fixture_site: Path, records: list[Reply]) -> None:
    model = SiteModel.from_replies(records)
    for key in FEED_DIMENSIONS:
        for group in model.dimension(key).groups:
            folder = fixture_site / key / group.slug
            root = check_atom(folder / "feed.xml", fixture_site)
            entries = root.findall(ATOM + "entry")
            assert [_text(e, "id") for e in entries] == [
                f"{BASE}replies/{r.id}/" for r in group.replies[:FEED_SIZE]]
            page = (folder / "index.html").read_text(encoding="utf-8")
            assert re.search(r'<link rel="alternate" type="application/atom\+xml" '
                             r'title="[^"]+" href="feed.xml">', page), folder


def test_updated_is_the_newest_letters_date_never_the_clock(
        fixture_site: Path, records: list[Reply], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    model = SiteModel.from_replies(records)
    undated = 0
    for key in FEED_DIMENSIONS:
        for group in model.dimension(key).groups:
            root = ET.parse(fixture_site / key / group.slug / "feed.xml").getroot()
            dates = [r.date for r in group.replies if r.date]
            undated += not dates
            assert _text(root, "updated") == (atom_time(max(dates)) if dates else build_time())
    assert undated, "the fixture has a group of undated letters only"
