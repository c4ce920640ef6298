"""Browse pages and per-year data files past their size: a group's letters over several pages,
a year's records over several JSON Lines files and ZIPs, and every link still resolving."""

from __future__ import annotations

import dataclasses
import json
import re
import zipfile
from pathlib import Path

import pytest
from tests.render.linkcheck import broken_links

from replyarchive.config import Config
from replyarchive.pipeline import build_site
from replyarchive.records.model import Reply
from replyarchive.render import data, pages
from replyarchive.render.model import SiteModel

LIMIT = 5_000
"""Bytes a data file may hold here: two records of the fixture's 2025 letter fit, not three."""


def _more(records: list[Reply]) -> list[Reply]:
    """The fixture's 2025 letter four times over (ids -7 to -10), beside the others."""
    base = next(r for r in records if r.id == "csxh-2025-7")
    copies = [dataclasses.replace(base, id=f"csxh-2025-{n}") for n in range(8, 11)]
    return [*records, *copies]


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory, records: list[Reply],
        config: Config) -> tuple[Path, list[Reply]]:
    out = tmp_path_factory.mktemp("browse") / "site"
    replies = _more(records)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pages, "BROWSE_PAGE", 3)
        patch.setattr(data, "MAX_FILE", LIMIT)
        build_site(replies, out, config)
    return out, replies


def _listed(page: Path) -> list[str]:
    return re.findall(r'<tr[^>]*>\s*<td[^>]*>.*?href="(?:\.\./)+replies/([^/"]+)/',
                      page.read_text(encoding="utf-8"), flags=re.S)


def test_a_group_past_a_page_is_paginated_every_letter_once(
        big: tuple[Path, list[Reply]]) -> None:
    site, replies = big
    group = SiteModel.from_replies(replies).dimension("years").groups[0]
    assert group.name == "2025" and len(group.replies) == 4
    first, second = site / "years/2025/index.html", site / "years/2025/page/2/index.html"
    assert _listed(first) + _listed(second) == [r.id for r in group.replies]
    assert not (site / "years/2025/page/3/index.html").exists()
    html = second.read_text("utf-8")
    assert 'rel="prev"' in html and 'href="../../../../years/2025/index.html"' in html
    assert "（第 2 页）" in html


def test_a_paginated_department_page_links_its_feed(big: tuple[Path, list[Reply]]) -> None:
    site, _ = big
    second = next(site.glob("departments/*/page/2/index.html"))
    assert 'href="../../feed.xml"' in second.read_text("utf-8")
    assert (second.parent.parent.parent / "feed.xml").is_file()


def test_a_year_past_the_limit_has_its_records_in_parts(big: tuple[Path, list[Reply]]) -> None:
    site, replies = big
    parts = sorted(site.glob("data/replies-2025*.jsonl"))
    assert [p.name for p in parts] == ["replies-2025-2.jsonl", "replies-2025.jsonl"]
    ids = [json.loads(line)["id"] for p in (parts[1], parts[0])
           for line in p.read_text("utf-8").splitlines()]
    assert ids == [r.id for r in SiteModel.from_replies(replies).dimension("years").groups[0]
                   .replies]
    zips = sorted(site.glob("data/letters-2025*.zip"))
    assert len(zips) > 1 and all(p.stat().st_size <= LIMIT for p in zips)
    for path in parts + zips:
        assert f'href="../data/{path.name}"' in (site / "data/index.html").read_text("utf-8")
    last = json.loads(parts[0].read_text("utf-8").splitlines()[0])["id"]
    page = (site / "replies" / last / "index.html").read_text("utf-8")
    assert 'href="../../data/replies-2025-2.jsonl"' in page
    holder = next(p for p in zips if f"{last}.yaml" in zipfile.ZipFile(p).namelist())
    assert f'href="../../data/{holder.name}"' in page


def test_every_link_resolves(big: tuple[Path, list[Reply]]) -> None:
    site, _ = big
    assert broken_links(site, "/sub/") == []
