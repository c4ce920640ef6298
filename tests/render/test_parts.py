"""Smaller pieces of the site: Markdown pages, charts, original texts, labels."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest

from replyarchive.errors import BuildError
from replyarchive.incremental.output import safe_target
from replyarchive.ingest.files import InputFiles, originals
from replyarchive.records.model import Reply, Source
from replyarchive.render.charts import build_charts
from replyarchive.render.content import load_content, load_page
from replyarchive.render.data import original_text
from replyarchive.render.model import SiteModel
from replyarchive.render.render import date_cn, root_for


def test_markdown_pages_escape_raw_html(tmp_path: Path) -> None:
    page = tmp_path / "30-notes.md"
    page.write_text("# 说明\n\n<script>alert(1)</script>\n\n[全部](../replies/index.html)\n",
                    encoding="utf-8")
    loaded = load_page(page)
    assert (loaded.slug, loaded.title, loaded.url) == ("notes", "说明", "notes/index.html")
    assert "<script>" not in loaded.html and "&lt;script&gt;" in loaded.html
    assert '<a href="../replies/index.html">全部</a>' in loaded.html


def test_markdown_file_names_must_be_ascii(tmp_path: Path) -> None:
    (tmp_path / "关于.md").write_text("# 关于\n", encoding="utf-8")
    with pytest.raises(BuildError, match="ASCII"):
        load_content(tmp_path)


def test_content_page_cannot_take_a_site_folder(tmp_path: Path) -> None:
    (tmp_path / "10-replies.md").write_text("# 答复\n", encoding="utf-8")
    with pytest.raises(BuildError, match="site uses that folder"):
        load_content(tmp_path)


def test_builtin_content_pages_exist() -> None:
    pages = load_content(Path(__file__).resolve().parents[2] / "content")
    assert [p.slug for p in pages] == ["about", "cite"]


def test_chart_tables_hold_the_counts(records: list[Reply]) -> None:
    charts = {c.id: c for c in build_charts(SiteModel.from_replies(records))}
    assert charts["by-year"].rows == (("2025", 1), ("2024", 1), ("未注明日期", 1))
    adoption = charts["adoption-by-department"]
    assert adoption.headers == ("承办单位", "吸收采纳", "部分采纳", "正在解决或列入计划",
                                "留作参考", "合计")
    assert ("测试市工业和信息化局", 1, 1, 0, 1, 3) in adoption.rows
    assert "<b>" not in adoption.svg and "&lt;b&gt;" in adoption.svg


def test_original_text_is_found_by_hash_and_decoded(tmp_path: Path, records: list[Reply]) -> None:
    raw = "答复的函\r\n第一段。\r\n".encode("gb18030")
    (tmp_path / "letter.txt").write_bytes(raw)
    source = Source("letter.txt", hashlib.sha256(raw).hexdigest(), "gb18030")
    reply = dataclasses.replace(records[0], source=source)
    stale = dataclasses.replace(records[1], source=dataclasses.replace(source, sha256="0" * 64))
    found = originals([tmp_path], [reply, stale], InputFiles())
    assert found == {reply.id: tmp_path / "letter.txt"}
    assert original_text(reply, found[reply.id]) == "答复的函\n第一段。\n"


def test_paths_and_dates() -> None:
    assert root_for("index.html") == ""
    assert root_for("replies/x/index.html") == "../../"
    assert date_cn("2025-09-05") == "2025年9月5日"
    for bad in ("../x", "/etc/passwd", "a/../../b", ""):
        with pytest.raises(BuildError):
            safe_target(Path("/tmp/out"), bad)
