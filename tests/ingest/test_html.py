"""The web-page reader: the letter out of a portal page, its chrome dropped; two letters on one
page both kept; the page's 发布时间 a date only for a letter that shows none."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from tests.parse.facts import mismatches

from replyarchive.errors import SourceError
from replyarchive.ingest.sources import read_source
from replyarchive.normalize import normalize_letter
from replyarchive.parse import parse_letters, parse_source

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
FACTS = ROOT / "tests" / "fixtures" / "expected"
CHROME = ["首页", "当前位置", "发布时间", "浏览次数", "分享到", "网站标识码", "ICP备", "附件下载",
          "关闭窗口", "打印本页"]


def _paragraphs(text: str) -> str:
    return "".join(f"<p>&nbsp;&nbsp;{line}</p>\n" for line in text.splitlines() if line.strip())


def _page(*letters: str, published: str = "2025-09-20", source: str = "本网") -> str:
    blocks = "".join(f'<div class="article"><div class="text">{_paragraphs(letter)}</div>'
                     '<div class="fj">附件下载：<a href="#">答复.pdf</a></div></div>'
                     for letter in letters)
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>答复</title></head><body>"
            "<div class='nav'><a href='/'>首页</a> <a>政务公开</a> <a>建议提案办理</a></div>"
            "<div class='crumb'>当前位置：首页 &gt; 政务公开 &gt; 建议提案办理</div>"
            f"<div class='info'>发布时间：{published} 来源：{source} 浏览次数：128</div>"
            f"<div class='main'>{blocks}</div>"
            "<div class='share'>分享到：微信 微博 <a>【打印本页】</a> <a>【关闭窗口】</a></div>"
            "<div class='foot'>主办单位：某某市人民政府办公室 网站标识码：4420000001 "
            "粤ICP备12345678号 粤公网安备 44200002000001号</div></body></html>")


def _seed(name: str) -> str:
    return (SEEDS / f"{name}.txt").read_text("utf-8")


def test_the_letter_comes_out_without_the_page_chrome(tmp_path: Path) -> None:
    name = "000_f110c3d6d4e6c248"
    page = tmp_path / "letter.html"
    page.write_text(_page(_seed(name)), "utf-8")
    src = read_source(page, tmp_path)
    assert not [word for word in CHROME if word in src.text]
    assert (src.source.format, src.source.reader, src.source.page_date) == ("html", "html",
                                                                            "2025-09-20")
    facts = yaml.safe_load((FACTS / f"{name}.yaml").read_text("utf-8"))
    assert mismatches(parse_source(src), facts) == []


def test_a_page_holding_two_letters_gives_two_records(tmp_path: Path) -> None:
    names = ["003_97f765a9b187815b", "004_a0df5861fe71b375"]
    page = tmp_path / "two.html"
    page.write_text(_page(*(_seed(name) for name in names)), "utf-8")
    src = read_source(page, tmp_path)
    replies = parse_letters(normalize_letter(src.text), src)
    assert [r.id for r in replies] == ["zskh-2023-101", "zgxh-2022-38"]
    for reply, name in zip(replies, names, strict=True):
        assert mismatches(reply, yaml.safe_load((FACTS / f"{name}.yaml").read_text("utf-8"))) == []


SHORT = """某某镇人民政府
王刚代表：
您提出的关于修缮村道路灯的建议收悉，现答复如下：
我镇已将该路段路灯修缮列入今年计划，预计十月底前完成。感谢您对我镇工作的关心和支持。
某某镇人民政府
2024年8月2日
"""
"""A short reply with no 文号 and no title: nothing in its text says a letter starts there."""


@pytest.mark.parametrize("short_first", [False, True])
def test_a_short_second_letter_on_a_page_is_a_record_of_its_own(tmp_path: Path,
                                                                short_first: bool) -> None:
    """A letter a tenth as long as the other, in a block of its own, is still a letter: both
    become records, each saying the page holds two, whichever comes first."""
    long = "000_f110c3d6d4e6c248"
    letters = [SHORT, _seed(long)] if short_first else [_seed(long), SHORT]
    page = tmp_path / "two.html"
    page.write_text(_page(*letters), "utf-8")
    src = read_source(page, tmp_path)
    replies = parse_letters(normalize_letter(src.text), src)
    assert len(replies) == 2
    [short] = [r for r in replies if r.department == "某某镇人民政府"]
    [other] = [r for r in replies if r is not short]
    assert (short.date, short.proposers) == ("2024-08-02", ("王刚",))
    assert mismatches(other, yaml.safe_load((FACTS / f"{long}.yaml").read_text("utf-8"))) == []
    assert all(any("more than one letter" in w for w in r.warnings) for r in replies)


def test_the_page_date_fills_only_a_missing_date(tmp_path: Path) -> None:
    text = _seed("003_97f765a9b187815b")
    dated = parse_source(read_source(_write(tmp_path / "a.html", _page(text)), tmp_path))
    assert dated.date == "2023-06-26"
    undated = text.replace("2023年6月26日", "")
    reply = parse_source(read_source(_write(tmp_path / "b.html", _page(undated)), tmp_path))
    assert reply.date == "2025-09-20"
    assert any("2025-09-20 is taken from the web page (发布时间)" in w for w in reply.warnings)


def test_the_page_source_fills_only_a_missing_department(tmp_path: Path) -> None:
    """来源 names the body that published the page: the department of a letter that names
    none, said to be taken from the page; never over the letter's own; 本网 names no body."""
    unsigned = "\n".join(SHORT.splitlines()[1:-2]) + "\n2024年8月2日\n"
    page = _page(unsigned, source="某某县人民政府")
    reply = parse_source(read_source(_write(tmp_path / "a.html", page), tmp_path))
    assert (reply.department, reply.source.page_source) == ("某某县人民政府", "某某县人民政府")
    assert any("某某县人民政府 is taken from the web page (来源)" in w for w in reply.warnings)
    page = _page(SHORT, source="某某县人民政府")
    signed = parse_source(read_source(_write(tmp_path / "b.html", page), tmp_path))
    assert signed.department == "某某镇人民政府"
    assert not any("来源" in w for w in signed.warnings)
    site = parse_source(read_source(_write(tmp_path / "c.html", _page(unsigned)), tmp_path))
    assert (site.department, site.source.page_source) == (None, None)


def test_a_page_in_gbk_is_read_by_its_charset(tmp_path: Path) -> None:
    page = _page(_seed("003_97f765a9b187815b")).replace("charset='utf-8'", "charset='gb2312'")
    file = tmp_path / "gbk.htm"
    file.write_bytes(page.encode("gb18030"))
    src = read_source(file, tmp_path)
    assert src.source.encoding == "gb18030"
    assert parse_source(src).id == "zskh-2023-101"


def test_a_page_without_text_is_an_error_naming_the_file(tmp_path: Path) -> None:
    file = _write(tmp_path / "empty.html", "<html><body><script>x()</script></body></html>")
    with pytest.raises(SourceError) as info:
        read_source(file, tmp_path)
    assert str(info.value).startswith(f"{file}: the web page holds no text")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path
