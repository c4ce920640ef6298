"""The all-replies list, paginated: every letter on exactly one page, every page linked, and
its filters links that work without JavaScript."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.render.linkcheck import broken_links

from replyarchive.config import Config
from replyarchive.pipeline import build_site
from replyarchive.records.model import Reply
from replyarchive.render import pages
from replyarchive.render.model import SiteModel


def _listed(page: Path) -> list[str]:
    return re.findall(r'<tr[^>]*>\s*<td[^>]*>.*?href="\.\./(?:\.\./)*replies/([^/"]+)/',
                      page.read_text(encoding="utf-8"), flags=re.S)


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory, records: list[Reply],
               config: Config) -> Path:
    out = tmp_path_factory.mktemp("paged") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pages, "LIST_PAGE", 2)
        build_site(records, out, config)
    return out


def test_every_letter_is_on_exactly_one_page_in_reading_order(
        paged_site: Path, records: list[Reply]) -> None:
    count = -(-len(records) // 2)
    assert count > 1, "the fixture needs more letters than one page holds"
    files = [paged_site / pages.list_path(n) for n in range(1, count + 1)]
    assert not (paged_site / pages.list_path(count + 1)).exists()
    listed = [reply_id for file in files for reply_id in _listed(file)]
    assert listed == [r.id for r in SiteModel.from_replies(records).replies]


def test_every_page_links_every_other_and_all_links_resolve(paged_site: Path) -> None:
    second = (paged_site / pages.list_path(2)).read_text(encoding="utf-8")
    assert 'rel="prev"' in second and 'href="../../../replies/index.html"' in second
    assert 'aria-current="page">2<' in second
    assert broken_links(paged_site, "/sub/") == []


def test_the_filter_works_without_javascript(fixture_site: Path, records: list[Reply]) -> None:
    """Year and category are links to pages listing exactly those letters."""
    page = (fixture_site / "replies/index.html").read_text(encoding="utf-8")
    nav = page[page.index('class="list-filter"'):page.index("</nav>", page.index("list-filter"))]
    model = SiteModel.from_replies(records)
    for key in ("years", "categories"):
        for group in model.dimension(key).groups:
            assert f'href="../{group.url(key)}"' in nav
            listed = _listed(fixture_site / group.url(key))
            assert listed == [r.id for r in group.replies]
    assert "list-pager" not in page  # one page: no pager
