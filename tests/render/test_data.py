"""Open data files, the feed and the sitemap: they load, and they say what the records say."""

from __future__ import annotations

import csv
import dataclasses
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

from replyarchive.config import Config
from replyarchive.pipeline import build_site
from replyarchive.records.model import Reply

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_replies_json_holds_every_record(fixture_site: Path, records: list[Reply]) -> None:
    data = json.loads((fixture_site / "data/replies.json").read_text("utf-8"))
    assert sorted(data, key=lambda d: d["id"]) == sorted(
        (r.to_dict() for r in records), key=lambda d: d["id"])
    assert [Reply.from_dict(d) for d in data]  # round-trips through the model


def test_per_letter_yaml_and_json_match(fixture_site: Path, records: list[Reply]) -> None:
    for reply in records:
        as_yaml = yaml.safe_load((fixture_site / f"data/{reply.id}.yaml").read_text("utf-8"))
        as_json = json.loads((fixture_site / f"data/{reply.id}.json").read_text("utf-8"))
        assert Reply.from_dict(as_yaml) == reply
        assert as_json == reply.to_dict()
        assert list(as_yaml) == list(reply.to_dict())  # SCHEMA.md key order


def test_csv_has_one_row_per_letter(fixture_site: Path, records: list[Reply]) -> None:
    text = (fixture_site / "data/replies.csv").read_text("utf-8-sig")
    rows = list(csv.DictReader(text.splitlines()))
    assert sorted(r["编号"] for r in rows) == sorted(r.id for r in records)
    full = next(r for r in rows if r["编号"] == "csxh-2025-7")
    assert full["文号"] == "测试函〔2025〕7号"
    assert full["提出人"] == "测试商会、甲乙"
    assert full["采纳情况"] == "吸收采纳1处；部分采纳1处；留作参考1处"


def test_feed_is_atom_with_absolute_links(fixture_site: Path, config: Config) -> None:
    feed = ET.parse(fixture_site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}updated") == "2025-06-30T00:00:00Z"  # newest letter
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert ids[0] == f"{config.base}replies/csxh-2025-7/"
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert "关于<script>alert(1)</script>的答复的函" in titles  # escaped in XML, text intact


def test_sitemap_lists_every_page(fixture_site: Path, config: Config) -> None:
    urlset = ET.parse(fixture_site / "sitemap.xml").getroot()
    locs = {u.findtext(f"{SITEMAP}loc") for u in urlset}
    pages = {str(p.relative_to(fixture_site)) for p in fixture_site.rglob("*.html")}
    pages.discard("404.html")
    expected = {config.base + p.removesuffix("index.html") for p in pages}
    assert locs == expected


def test_robots_points_at_sitemap(fixture_site: Path, config: Config) -> None:
    robots = (fixture_site / "robots.txt").read_text("utf-8")
    assert f"Sitemap: {config.base}sitemap.xml" in robots


def test_feed_and_sitemap_never_hold_characters_xml_forbids(records: list[Reply],
                                                            config: Config,
                                                            tmp_path: Path) -> None:
    """A record holding U+FFFE, U+FFFF or a control character (an old cache entry, a record
    from elsewhere) still gives a feed and a sitemap that are XML."""
    bad = "\ufffe\uffff\x01\x1a\x85"
    marked = [dataclasses.replace(r, title=f"{r.title or ''}{bad}",
                                  department=f"{r.department or ''}{bad}") for r in records]
    out = tmp_path / "site"
    build_site(marked, out, config)
    for name in ("feed.xml", "sitemap.xml"):
        text = (out / name).read_text("utf-8")
        assert not any(ch in text for ch in bad), name
        ET.fromstring(text.encode("utf-8"))
