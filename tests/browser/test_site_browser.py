"""The site in headless Chromium: anchors land in view, permalinks work, the table filters."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.conftest import FIXTURES, serve_directory

from replyarchive.config import Config
from replyarchive.model import Reply
from replyarchive.site.builder import build_site

pytestmark = pytest.mark.browser

LETTER = "replies/csxh-2025-7/"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    records = [Reply.from_dict(yaml.safe_load(p.read_text("utf-8")))
               for p in sorted((FIXTURES / "records").glob("*.yaml"))]
    out = tmp_path_factory.mktemp("browser") / "site"
    build_site(records, out, Config())
    server, url = serve_directory(out)
    yield url
    server.shutdown()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == []


def in_viewport(page: Any, selector: str) -> bool:
    return bool(page.eval_on_selector(selector, """el => {
        const r = el.getBoundingClientRect();
        return r.top >= 0 && r.top < window.innerHeight && r.bottom > 0;
    }"""))


def test_anchor_lands_in_view_and_is_highlighted(page: Any, site_url: str) -> None:
    page.set_viewport_size({"width": 375, "height": 700})
    page.goto(site_url + LETTER + "#s2-3")
    assert in_viewport(page, "#s2-3")
    assert page.eval_on_selector("#s2-3", "el => el.matches(':target')")
    colour = page.eval_on_selector("#s2-3", "el => getComputedStyle(el).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")


def test_permalink_mark_updates_the_address(page: Any, site_url: str) -> None:
    page.goto(site_url + LETTER)
    page.click("#s3 > .part-title .permalink")
    assert page.url.endswith(LETTER + "#s3")
    assert in_viewport(page, "#s3")
    page.wait_for_selector("[data-toast]:not(:empty)")


def test_table_filters_and_sorts(page: Any, site_url: str) -> None:
    page.goto(site_url + "replies/")
    rows = "table.replies tbody tr"
    assert page.locator(rows).count() == 3
    page.fill("[data-filter-text]", "小微企业")
    assert page.locator(rows + ":visible").count() == 1
    assert "显示 1 / 3 件" in page.inner_text("[data-filter-count]")
    page.fill("[data-filter-text]", "")
    page.select_option("select[data-filter-col=category]", "B类")
    assert page.locator(rows + ":visible").count() == 1
    page.select_option("select[data-filter-col=category]", "")
    page.click("thead th:first-child button")
    first = page.inner_text("table.replies tbody tr:first-child td:first-child")
    assert first == "2024-03-01"  # ascending dates; the undated letter sorts first as empty


def test_screenshots(browser: Any, site_url: str, artifacts: Path) -> None:
    for width, height in ((375, 800), (1280, 900)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        for name, path in (("letter", LETTER + "#s2-3"), ("home", ""), ("replies", "replies/"),
                           ("stats", "stats/")):
            page.goto(site_url + path)
            page.screenshot(path=str(artifacts / f"site-{name}-{width}.png"), full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
            assert not overflow, f"{name} is wider than {width}px"
        context.close()
    assert (artifacts / "site-letter-375.png").stat().st_size > 0
