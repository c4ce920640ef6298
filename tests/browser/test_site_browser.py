"""The site in headless Chromium: anchors land in view, permalinks work, the table filters."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import SEEDS, serve_directory

from replyarchive.config import Config
from replyarchive.pipeline import SiteOutcome, build

pytestmark = pytest.mark.browser

@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> SiteOutcome:
    """The seeds' site, as `make site` builds it."""
    return build([SEEDS], tmp_path_factory.mktemp("browser") / "site", Config())


@pytest.fixture(scope="module")
def letter(built: SiteOutcome) -> str:
    """A letter with a part s2-3, as in the issue's example link."""
    data = json.loads((built.report.out / "data/replies.json").read_text("utf-8"))
    return next(f"replies/{d['id']}/" for d in data
                if any(c["id"] == "s2-3" for s in d["sections"] for c in s["children"]))


@pytest.fixture(scope="module")
def site_url(built: SiteOutcome) -> Iterator[str]:
    server, url = serve_directory(built.report.out)
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


def test_anchor_lands_in_view_and_is_highlighted(page: Any, site_url: str, letter: str) -> None:
    page.set_viewport_size({"width": 375, "height": 700})
    page.goto(site_url + letter + "#s2-3")
    assert in_viewport(page, "#s2-3")
    assert page.eval_on_selector("#s2-3", "el => el.matches(':target')")
    colour = page.eval_on_selector("#s2-3", "el => getComputedStyle(el).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")


def test_permalink_mark_updates_the_address_and_copies_it(page: Any, site_url: str,
                                                           letter: str) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(site_url + letter)
    page.click("#s3 > .part-title .permalink")
    assert page.url.endswith(letter + "#s3")
    assert in_viewport(page, "#s3")
    assert page.inner_text("[data-toast]") == "已复制本部分链接"
    assert page.evaluate("navigator.clipboard.readText()") == page.url
    gbt = page.locator(".citation-block", has_text="GB/T 7714")
    gbt.locator("[data-copy-citation]").click()
    cited = gbt.locator("[data-citation]").inner_text()
    assert "[EB/OL]" in cited
    assert page.evaluate("navigator.clipboard.readText()") == cited


def test_skip_link_is_first_and_reaches_main(page: Any, site_url: str, letter: str) -> None:
    page.goto(site_url + letter)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_table_filters_and_sorts(page: Any, site_url: str, built: SiteOutcome) -> None:
    data = json.loads((built.report.out / "data/replies.json").read_text("utf-8"))
    total = len(data)
    page.goto(site_url + "replies/")
    rows = "table.replies tbody tr"
    assert page.locator(rows).count() == total
    doc = data[0]["doc_number"]
    page.fill("[data-filter-text]", doc)
    assert page.locator(rows + ":visible").count() == 1
    assert f"显示 1 / {total} 件" in page.inner_text("[data-filter-count]")
    page.fill("[data-filter-text]", "")
    year = data[0]["date"][:4]
    page.select_option("select[data-filter-col=year]", year)
    in_year = sum(1 for d in data if (d["date"] or "").startswith(year))
    assert page.locator(rows + ":visible").count() == in_year
    page.select_option("select[data-filter-col=year]", "")
    page.click("thead th:first-child button")
    first = page.inner_text("table.replies tbody tr:first-child td:first-child")
    assert first == min(d["date"] for d in data)


def test_screenshots(browser: Any, site_url: str, letter: str, artifacts: Path) -> None:
    for width, height in ((375, 800), (1280, 900)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        for name, path in (("letter", letter + "#s2-3"), ("home", ""), ("replies", "replies/"),
                           ("stats", "stats/"), ("data", "data/")):
            page.goto(site_url + path)
            page.screenshot(path=str(artifacts / f"site-{name}-{width}.png"), full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
            assert not overflow, f"{name} is wider than {width}px"
        context.close()
    assert (artifacts / "site-letter-375.png").stat().st_size > 0


def test_print_shows_the_letter_without_the_chrome(page: Any, site_url: str, letter: str) -> None:
    page.goto(site_url + letter)
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.site-header', '.pager', '.permalink', '.toc']
        .map(s => getComputedStyle(document.querySelector(s)).display)""")
    assert hidden == ["none"] * 4
    assert page.is_visible(".letter-body") and page.is_visible(".meta-panel")


def test_arriving_at_a_part_offers_its_citation(page: Any, site_url: str, letter: str) -> None:
    page.goto(site_url + letter + "#s2-3")
    block = "[data-part-citation]"
    assert page.is_visible(block)
    text = page.inner_text(block + " [data-citation]")
    assert "，二、（三）" in text and text.endswith(letter + "#s2-3")
    page.click("#s3 > .part-title .permalink")
    assert page.inner_text(block + " [data-citation]").endswith(letter + "#s3")
    page.goto(site_url + letter)
    assert not page.is_visible(block)


def test_on_a_phone_the_letter_comes_before_its_details(page: Any, site_url: str,
                                                         letter: str) -> None:
    """At 375 px the text starts on the first screen, after a line of key facts; the details,
    citations and downloads follow it. On a wide screen they stay in the sidebar beside it."""
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site_url + letter)
    body_top = page.eval_on_selector(".letter-body", "el => el.getBoundingClientRect().top")
    meta_top = page.eval_on_selector(".meta-panel", "el => el.getBoundingClientRect().top")
    assert body_top < 800 < meta_top
    assert page.is_visible(".letter-facts") and page.is_visible(".jump-links")
    page.click(".jump-links a[href='#cite-h']")
    top = page.eval_on_selector("#cite-h", "el => el.getBoundingClientRect().top")
    assert -1 < top < 800  # scrolled to it (sub-pixel rounding may leave it at -0.5)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_url + letter)
    body = page.eval_on_selector(".letter-body", "el => el.getBoundingClientRect().right")
    side = page.eval_on_selector(".letter-side", "el => el.getBoundingClientRect().left")
    assert body <= side and not page.is_visible(".jump-links")


def _luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_badge_colour_is_readable(page: Any, site_url: str, letter: str) -> None:
    """Badge text is small (0.8rem): each .badge-* the stylesheet defines, including statuses no
    seed letter has, keeps WCAG AA contrast (4.5:1) between its text and its background."""
    page.goto(site_url + letter)
    colours = page.evaluate("""() => {
        const names = new Set();
        for (const sheet of document.styleSheets) for (const rule of sheet.cssRules)
            for (const m of (rule.selectorText || '').matchAll(/\\.(badge-[\\w-]+)/g))
                names.add(m[1]);
        return [...names].map(name => {
            const el = document.createElement('span');
            el.className = 'badge ' + name; el.textContent = '样';
            document.querySelector('main').appendChild(el);
            const s = getComputedStyle(el);
            return [name, s.color, s.backgroundColor];
        });
    }""")
    assert len(colours) > 3
    for name, fg, bg in colours:
        light, dark = sorted((_luminance(fg), _luminance(bg)), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, f"{name}: {fg} on {bg}"


def test_on_a_phone_the_keyboard_follows_the_reading_order(page: Any, site_url: str,
                                                           letter: str) -> None:
    """The text is shown first on a phone, so Tab from the jump links goes into the text (its
    first permalink), not up to the details panel that is drawn below it."""
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site_url + letter)
    page.focus(".jump-links a:last-child")
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('.letter-body')")
