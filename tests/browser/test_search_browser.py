"""Search in headless Chromium, the way a reader uses it: type the words into the box, press
Enter, read the results, click the first one and land on the part of the letter, highlighted."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from tests.conftest import SEEDS, search_cases, serve_directory

from replyarchive.config import Config
from replyarchive.pipeline import SiteOutcome, build

pytestmark = pytest.mark.browser

CASES = search_cases()
RESULTS = "[data-search-results] a"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> SiteOutcome:
    return build([SEEDS], tmp_path_factory.mktemp("search") / "site", Config())


@pytest.fixture(scope="module")
def site_url(built: SiteOutcome) -> Iterator[str]:
    server, url = serve_directory(built.report.out)
    yield url
    server.shutdown()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == []


def type_query(page: Any, query: str) -> None:
    """Type into the page's search box like a reader and press Enter; wait for the results."""
    box = page.locator("#search-q")
    box.click()
    box.fill("")
    page.keyboard.type(query)
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-search-app][data-search-state=done]")


def result_refs(page: Any) -> list[str]:
    refs = []
    for href in page.locator(RESULTS).evaluate_all("links => links.map(a => a.href)"):
        parts = urlsplit(href)
        letter = parts.path.split("/replies/", 1)[1].split("/", 1)[0]
        refs.append(f"{letter}#{unquote(parts.fragment)}" if parts.fragment else letter)
    return refs


def covers(ref: str, expected: str) -> bool:
    return ref == expected or ref.startswith(expected + "-")


def click_first_and_check_landing(page: Any) -> str:
    """Click the first result; the letter page opens at that part, which is in view and marked."""
    first = page.locator(RESULTS).first
    first.click()
    page.wait_for_load_state("load")
    fragment = unquote(urlsplit(page.url).fragment)
    assert fragment, page.url
    page.wait_for_selector("mark.search-hit", state="attached")
    in_view = page.eval_on_selector(f"[id='{fragment}']", """el => {
        const r = el.getBoundingClientRect();
        return r.top < window.innerHeight && r.bottom > 0;
    }""")
    assert in_view, fragment
    return fragment


@pytest.mark.parametrize("case", CASES, ids=[c["q"] for c in CASES])
def test_shared_case(page: Any, site_url: str, case: dict[str, Any]) -> None:
    page.goto(site_url + "search/index.html")
    type_query(page, case["q"])
    top = result_refs(page)[:5]
    for expected in case["expect"]:
        assert any(covers(ref, expected) for ref in top), (expected, top)
    assert "q=" in page.url  # the search is a link
    first = top[0]
    landed = click_first_and_check_landing(page)
    assert first.endswith("#" + landed)


def test_back_button_returns_to_the_previous_query(page: Any, site_url: str) -> None:
    page.goto(site_url + "search/index.html")
    type_query(page, "揭榜")
    first = result_refs(page)
    type_query(page, "灯塔工厂")
    page.go_back()
    page.wait_for_function("document.querySelector('#search-q').value === '揭榜'")
    page.wait_for_selector("[data-search-app][data-search-state=done]")
    assert result_refs(page) == first


def test_header_box_on_the_home_page_leads_to_results(page: Any, site_url: str) -> None:
    page.goto(site_url + "index.html")
    page.locator("#site-q").fill("灯塔工厂")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-search-app][data-search-state=done]")
    assert page.locator(RESULTS).count() >= 2


def test_traditional_query_finds_the_simplified_text(page: Any, site_url: str) -> None:
    page.goto(site_url + "search/index.html")
    type_query(page, "數字化")
    traditional = result_refs(page)
    type_query(page, "数字化")
    assert traditional and traditional == result_refs(page)
    click_first_and_check_landing(page)


def test_two_words_must_both_appear(page: Any, site_url: str) -> None:
    page.goto(site_url + "search/index.html")
    type_query(page, "鑫光 揭榜")
    both = set(result_refs(page))
    type_query(page, "鑫光")
    assert both and both < set(result_refs(page))


def test_phrase_and_exclusion(page: Any, site_url: str) -> None:
    page.goto(site_url + "search/index.html")
    type_query(page, '"设计和生产"')
    assert result_refs(page) == ["zgxh-2025-112#s1-2-3"]
    snippet = page.locator(".result-snippet mark").first.inner_text()
    assert snippet == "设计和生產"
    type_query(page, "揭榜 -鑫光")
    without = set(result_refs(page))
    type_query(page, "揭榜")
    assert without and without < set(result_refs(page))


def test_page_without_a_query_invites_one(page: Any, site_url: str) -> None:
    page.goto(site_url + "search/index.html")
    page.wait_for_selector("[data-search-app][data-search-state=done]")
    assert "输入要查找的词" in page.locator("[data-search-status]").inner_text()


def test_no_results_gives_help(page: Any, site_url: str) -> None:
    page.goto(site_url + "search/index.html")
    type_query(page, "不存在的词语组合")
    assert page.locator(RESULTS).count() == 0
    message = page.locator("[data-search-status]").inner_text()
    assert "没有找到" in message and "错别字" in message


def test_a_lone_character_query_says_what_it_finds(page: Any, site_url: str) -> None:
    """The index holds character pairs: a one-character word is found only where it stands
    alone (家 after a number: 120家), and the page says so instead of looking complete."""
    page.goto(site_url + "search/index.html")
    type_query(page, "家")
    assert page.locator(RESULTS).count() > 0
    assert "单个汉字" in page.locator("[data-search-status]").inner_text()
    type_query(page, "专精特新")
    assert "单个汉字" not in page.locator("[data-search-status]").inner_text()


def test_filters_narrow_the_results_and_stay_in_the_url(page: Any, site_url: str) -> None:
    page.goto(site_url + "search/index.html?q=" + "揭榜")
    page.wait_for_selector("[data-search-app][data-search-state=done]")
    everything = result_refs(page)
    page.select_option("select[name=year]", "2022")
    page.wait_for_selector("[data-search-app][data-search-state=done]")
    narrowed = result_refs(page)
    assert narrowed and set(narrowed) < set(everything)
    assert all(ref.startswith("zgxh-2022-") for ref in narrowed)
    assert "year=2022" in page.url


def test_works_from_disk(page: Any, built: SiteOutcome) -> None:
    url = (built.report.out / "search" / "index.html").as_uri() + "?q=低空经济"
    page.goto(url)
    page.wait_for_selector("[data-search-app][data-search-state=done]")
    assert page.locator(RESULTS).count() >= 2
    click_first_and_check_landing(page)


def test_header_box_works_from_disk_too(page: Any, built: SiteOutcome) -> None:
    page.goto((built.report.out / "index.html").as_uri())
    page.locator("#site-q").fill("揭榜")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-search-app][data-search-state=done]")
    assert page.locator(RESULTS).count() >= 3


def test_snippet_text_is_escaped(page: Any, site_url: str) -> None:
    page.goto(site_url + "search/index.html?q=" + "<img src=x onerror=alert(1)>")
    page.wait_for_selector("[data-search-app][data-search-state=done]")
    assert page.locator("[data-search-app] img").count() == 0


def test_result_links_are_the_sections_own_addresses(page: Any, site_url: str) -> None:
    """On a server a result links to ../replies/<id>/#<part>, the address a reader cites; the
    words to highlight travel beside it, not in it."""
    page.goto(site_url + "search/index.html?q=揭榜")
    page.wait_for_selector("[data-search-app][data-search-state=done]")
    hrefs = page.locator(RESULTS).evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs
    for href in hrefs:
        assert re.fullmatch(r"\.\./replies/[a-z0-9-]+/#[\w-]+", href), href


def test_a_shared_link_with_words_highlights_them(page: Any, site_url: str) -> None:
    page.goto(site_url + "replies/zgxh-2025-111/?hl=粤科融#s1-3")
    page.wait_for_selector("mark.search-hit", state="attached")
    assert "粤科融" in page.locator("mark.search-hit").first.inner_text()
