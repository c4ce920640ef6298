"""The rendered pages: links resolve, every section is under its id, letter text is escaped."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from tests.render.linkcheck import broken_links

from replyarchive.records.model import Reply


class _TextById(HTMLParser):
    """Text of each heading, keyed by the id of the section element enclosing it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str | None] = []
        self.heading_of: dict[str, str] = {}
        self.in_heading: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self.stack.append(dict(attrs).get("id"))
        elif tag in ("h3", "h4", "h5", "h6") and self.stack and self.stack[-1]:
            self.in_heading = self.stack[-1]
            self.heading_of[self.in_heading] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "section" and self.stack:
            self.stack.pop()
        elif tag in ("h3", "h4", "h5", "h6"):
            self.in_heading = None

    def handle_data(self, data: str) -> None:
        if self.in_heading:
            self.heading_of[self.in_heading] += data


def test_every_link_and_anchor_resolves(fixture_site: Path) -> None:
    assert broken_links(fixture_site, "/sub/") == []


def test_link_checker_catches_a_broken_anchor(fixture_site: Path, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text('<a href="a.html#nope">x</a><a href="b/">y</a>')
    (tmp_path / "a.html").write_text('<p id="yes">a</p>')
    assert broken_links(tmp_path) == ["index.html: no #nope in a.html#nope",
                                      "index.html: missing b/"]


def test_each_section_title_is_under_its_id(fixture_site: Path, records: list[Reply]) -> None:
    for reply in records:
        parser = _TextById()
        parser.feed((fixture_site / "replies" / reply.id / "index.html").read_text("utf-8"))
        for section in reply.all_sections():
            assert section.title in parser.heading_of[section.id], (reply.id, section.id)


def test_section_ids_are_unique_per_page(fixture_site: Path, records: list[Reply]) -> None:
    for reply in records:
        html = (fixture_site / "replies" / reply.id / "index.html").read_text("utf-8")
        for section in reply.all_sections():
            assert html.count(f'id="{section.id}"') == 1


@pytest.mark.parametrize("page", ["replies/csjh-2024-3/index.html", "replies/index.html",
                                  "index.html", "proposers/a-b-i-zu-i/index.html",
                                  "departments/index.html"])
def test_markup_in_letter_text_is_escaped(fixture_site: Path, page: str) -> None:
    html = (fixture_site / page).read_text("utf-8")
    assert "<script>alert" not in html
    assert "<b>住房</b>" not in html and "<i>组</i>" not in html
    assert "&lt;" in html


def test_script_letter_shows_its_text(fixture_site: Path) -> None:
    html = (fixture_site / "replies/csjh-2024-3/index.html").read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_letter_without_sections_still_renders(fixture_site: Path) -> None:
    html = (fixture_site / "replies/suggestion-2023009/index.html").read_text("utf-8")
    assert "已转有关部门办理" in html
    assert 'class="toc"' not in html


def test_every_page_is_chinese_and_has_landmarks(fixture_site: Path) -> None:
    for page in fixture_site.rglob("*.html"):
        html = page.read_text("utf-8")
        assert '<html lang="zh-CN">' in html, page
        assert 'href="#main"' in html and '<main id="main"' in html, page
        assert html.count("<h1") == 1, page


def test_urls_are_relative(fixture_site: Path) -> None:
    for page in fixture_site.rglob("*.html"):
        html = page.read_text("utf-8")
        if page.name != "404.html":
            assert 'href="/' not in html and 'src="/' not in html, page


def test_404_links_from_the_base_path(fixture_site: Path) -> None:
    html = (fixture_site / "404.html").read_text("utf-8")
    assert 'href="/sub/static/style.css"' in html and 'href="/sub/replies/index.html"' in html


def test_letter_page_has_panel_citation_downloads_and_neighbours(fixture_site: Path) -> None:
    html = (fixture_site / "replies/csxh-2025-7/index.html").read_text("utf-8")
    for expected in ("测试函〔2025〕7号", "2025年6月30日", "市政协一届二次会议", "第100001号",
                     "市科技局、市财政局", "丙丁（0760-1234567）", "主动公开",
                     "https://archive.example.org/sub/replies/csxh-2025-7/",
                     "../../data/letters-2025.zip", "../../data/replies-2025.jsonl",
                     "2025年答复合集（ZIP）中的 csxh-2025-7.yaml",
                     'href="#s2-3" data-permalink', "较早一件", "吸收采纳该建议",
                     "测试市工业和信息化局. 测试市工业和信息化局关于市政协一届二次会议第100001号"
                     "提案答复的函: 测试函〔2025〕7号[EB/OL]. (2025-06-30). "
                     "https://archive.example.org/sub/replies/csxh-2025-7/."):
        assert expected in html, expected


def test_the_letter_page_shows_signer_and_notes(tmp_path: Path) -> None:
    from replyarchive.config import Config
    from replyarchive.ingest.sources import read_source
    from replyarchive.parse import parse_source
    from replyarchive.pipeline import build_site

    letters = Path(__file__).resolve().parents[1] / "fixtures" / "letters"
    reply = parse_source(read_source(letters / "every_line_kept.txt", letters))
    build_site([reply], tmp_path / "site", Config())
    page = (tmp_path / "site" / "replies" / reply.id / "index.html").read_text("utf-8")
    assert "<dt>签发人</dt><dd>韩某某</dd>" in page
    assert all(f"<p>{note}</p>" in page for note in reply.notes)


def test_a_co_handlers_opinion_says_so_on_its_page_and_in_the_list(tmp_path: Path) -> None:
    from replyarchive.config import Config
    from replyarchive.ingest.sources import read_source
    from replyarchive.parse import parse_source
    from replyarchive.pipeline import build_site

    letters = Path(__file__).resolve().parents[1] / "fixtures" / "letters"
    opinion = parse_source(read_source(letters / "co_handler_huiban_opinion.txt", letters))
    reply = parse_source(read_source(letters / "every_line_kept.txt", letters))
    assert (opinion.role, reply.role) == ("co_handler_opinion", "reply")
    build_site([opinion, reply], tmp_path / "site", Config())
    site = tmp_path / "site"
    tag = '<span class="kind-tag role-tag">协办意见</span>'
    assert tag in (site / "replies" / opinion.id / "index.html").read_text("utf-8")
    assert "<dt>函件性质</dt>" in (site / "replies" / opinion.id / "index.html").read_text("utf-8")
    assert tag not in (site / "replies" / reply.id / "index.html").read_text("utf-8")
    listing = (site / "replies" / "index.html").read_text("utf-8")
    assert listing.count(tag) == 1


def test_a_verdict_for_the_whole_letter_is_its_adoption_badge(tmp_path: Path) -> None:
    import dataclasses

    from replyarchive.config import Config
    from replyarchive.ingest.sources import read_source
    from replyarchive.parse import parse_source
    from replyarchive.pipeline import build_site
    from replyarchive.render.model import adoption_summary

    letters = Path(__file__).resolve().parents[1] / "fixtures" / "letters"
    plain = parse_source(read_source(letters / "unit_line_phone_first.txt", letters))
    assert adoption_summary(plain) == []
    reply = dataclasses.replace(plain, letter_adoption="以上建议均已采纳",
                                letter_adoption_status="adopted")
    assert [key for key, _, _ in adoption_summary(reply)] == ["adopted"]
    build_site([reply], tmp_path / "site", Config())
    page = (tmp_path / "site" / "replies" / reply.id / "index.html").read_text("utf-8")
    assert 'class="adoption-summary"' in page
