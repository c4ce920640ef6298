"""Search in headless Chromium, the way a reader uses it: type the words into the box, press
Enter, read the results, click the first one and land on the part of the letter, highlighted."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from tests.conftest import FIXTURES, SEEDS, search_cases, serve_directory

from replyarchive.config import Config
from replyarchive.index.documents import letter_parts
from replyarchive.index.payloads import read_chunk
from replyarchive.pipeline import SiteOutcome, build, parse_all

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


def letters_shown(page: Any) -> list[str]:
    return page.locator("[data-search-results] > li").evaluate_all(
        "items => items.map(li => li.getAttribute('data-letter'))")


@pytest.mark.parametrize("width", [375, 1280])
def test_results_are_grouped_by_letter(browser: Any, site_url: str, width: int,
                                       artifacts: Path) -> None:
    """One entry per letter, its best parts under it (every link a part of that letter, none
    twice), a count line "N 件答复，M 处", and nothing wider than the screen."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(site_url + "search/index.html")
    type_query(page, "企业")
    letters = letters_shown(page)
    assert len(letters) >= 3 and len(set(letters)) == len(letters)
    status = page.locator("[data-search-status]").inner_text()
    counted = re.search(r"(\d+) 件答复，(\d+) 处", status)
    assert counted, status
    assert int(counted.group(1)) == len(letters)
    refs = result_refs(page)
    assert len(set(refs)) == len(refs) and int(counted.group(2)) >= len(refs) > len(letters)
    for item in page.locator("[data-search-results] > li").all():
        letter = item.get_attribute("data-letter")
        hrefs = item.locator("a").evaluate_all("links => links.map(a => a.href)")
        assert 1 <= len(hrefs) <= 3
        assert all(f"/replies/{letter}/#" in href for href in hrefs)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, overflow
    page.screenshot(path=str(artifacts / f"search-grouped-{width}.png"), full_page=True)
    context.close()


def fact_queries() -> list[tuple[str, str, str]]:
    """(query, letter id, where it must land) for the seeds' facts and figures: a proposal
    number, a proposer, a contact and a phone of one letter only; a figure with its unit."""
    replies = sorted(parse_all([SEEDS]).replies, key=lambda r: r.id)
    owner = next(r for r in replies if r.proposal_number and r.contacts and r.contacts[0].phone
                 and r.proposers)
    contact = owner.contacts[0]
    assert contact.phone
    cases = [(f"第 {owner.proposal_number} 号", owner.id, ""),
             (owner.proposers[0], owner.id, "facts"),
             (contact.name, owner.id, "facts"),
             (contact.phone, owner.id, "facts")]
    figure = re.compile(r"(?<![0-9A-Za-z.])[0-9]+[\u4e00-\u9fff]")
    for reply in replies:
        for part in letter_parts(reply):
            found = sorted(set(figure.findall(part.body)))
            unique = [f for f in found if sum(f in p.body for r in replies
                                              for p in letter_parts(r)) == 1]
            if unique:
                cases.append((unique[0], reply.id, part.part_id))
                return cases
    raise AssertionError("no figure with a unit in the seeds")


@pytest.mark.parametrize("case", fact_queries(), ids=lambda c: c[0])
def test_number_name_phone_and_unit_land_on_their_letter(
    page: Any, site_url: str, case: tuple[str, str, str]
) -> None:
    query, letter, part = case
    page.goto(site_url + "search/index.html")
    type_query(page, query)
    assert letters_shown(page)[0] == letter, query
    first = result_refs(page)[0]
    assert first.split("#")[0] == letter
    if part:
        assert first == f"{letter}#{part}", query
    landed = click_first_and_check_landing(page)
    assert f"/replies/{letter}/" in page.url
    assert landed == first.split("#", 1)[1]


@pytest.fixture(scope="module")
def larger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds and the devset's letters: more letters than a page shows."""
    out = tmp_path_factory.mktemp("larger") / "site"
    build([SEEDS, FIXTURES / "devset" / "letters"], out, Config())
    return out


@pytest.fixture(scope="module")
def larger_url(larger: Path) -> Iterator[str]:
    server, url = serve_directory(larger)
    yield url
    server.shutdown()


def chunk_letters(site: Path) -> dict[str, Any]:
    """Every letter's data as the index's chunk files hold it, by letter id."""
    found = {}
    for path in sorted((site / "search" / "letters").glob("*.js")):
        for data in read_chunk(path.read_bytes()).values():
            found[data["letter"]["id"]] = data
    return found


READ_PAGES = """async (ids) => {
  const out = {};
  for (const id of ids) {
    const html = await (await fetch("../replies/" + id + "/")).text();
    const doc = new DOMParser().parseFromString(html, "text/html");
    out[id] = window.RASearchPage.readLetter(doc, id);
  }
  return out;
}"""


@pytest.mark.parametrize("which", ["seeds", "seeds and devset"])
def test_a_letter_page_gives_the_text_its_chunk_holds(
    page: Any, request: pytest.FixtureRequest, which: str
) -> None:
    """Over http a result's summary and part rows are read from its letter's page (search-page.js
    readLetter); they must be the chunk's, every field of every part of every letter."""
    site = request.getfixturevalue("built").report.out if which == "seeds" \
        else request.getfixturevalue("larger")
    server, url = serve_directory(site)
    try:
        page.goto(url + "search/index.html")
        page.wait_for_selector("[data-search-app][data-search-state=done]")
        expected = chunk_letters(site)
        assert len(expected) >= 5
        assert page.evaluate(READ_PAGES, sorted(expected)) == expected
    finally:
        server.shutdown()


def test_results_over_http_come_from_the_letters_pages(page: Any, larger_url: str) -> None:
    """A first search over http loads the shown letters' pages (and an id file), no chunk; an
    exact phrase is checked in the pages of few letters, in the chunks of many."""
    asked: list[str] = []
    page.on("request", lambda r: asked.append(urlsplit(r.url).path))
    page.goto(larger_url + "search/index.html")
    type_query(page, "建议")
    shown = letters_shown(page)
    assert shown
    assert not [p for p in asked if "/search/letters/" in p]
    assert [p for p in asked if "/search/ids/" in p]
    assert not [p for p in asked if p.endswith("/lunr.min.js")]  # the engine scores without it
    assert {f"/replies/{letter}/" for letter in shown} <= set(asked)
    type_query(page, '"设计和生产"')
    assert result_refs(page) == ["zgxh-2025-112#s1-2-3"]
    assert not [p for p in asked if "/search/letters/" in p]
    type_query(page, '"建议"')
    counted = re.search(r"(\d+) 件答复", page.locator("[data-search-status]").inner_text())
    assert counted and int(counted.group(1)) > 10
    assert [p for p in asked if "/search/letters/" in p]


def test_a_page_shows_five_letters_and_more_shows_five_more(page: Any, larger_url: str) -> None:
    """Each letter shown loads its chunk of letters' text: five a page keeps a first search
    small; the count line still counts them all."""
    page.goto(larger_url + "search/index.html")
    type_query(page, "建议")
    status = page.locator("[data-search-status]").inner_text()
    counted = re.search(r"(\d+) 件答复", status)
    assert counted and int(counted.group(1)) > 5, status
    assert len(letters_shown(page)) == 5
    page.locator("[data-search-more]").click()
    page.wait_for_function("document.querySelectorAll('[data-search-results] > li').length > 5")
    shown = letters_shown(page)
    assert len(shown) == min(10, int(counted.group(1))) and len(set(shown)) == len(shown)
