"""Property: any text parses to a valid record or raises the project's own errors, nothing else."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replyarchive.errors import ParseError, SourceError
from replyarchive.ingest.sources import SourceText, decode
from replyarchive.parse import parse_source
from replyarchive.records.model import Source
from replyarchive.records.validate import validate_record

ROOT = Path(__file__).resolve().parents[2]
SEED_LINES = sorted(
    {
        line
        for path in (ROOT / "seeds").glob("*.txt")
        for line in path.read_text("utf-8").splitlines()
    }
)
PIECES = [
    "一、",
    "二、",
    "（一）",
    "(二)",
    "1.",
    "2．",
    "（1）",
    "答复的函",
    "提案",
    "代表建议",
    "委员：",
    "收悉",
    "吸收采纳该建议。",
    "暂不采纳",
    "〔2025〕",
    "号",
    "第",
    "2025 年 9 月 15 日",
    "联系人：",
    "抄送：",
    "公开方式：",
    "（A 类）",
    "。",
    "，",
    "、",
    " ",
    "\n",
    "\n\n",
    "\r\n",
    "\f",
    "\u3000",
    "市政协十三届四次会议",
    "经综合",
    "意见",
    "和",
    "及",
    "等",
    "局",
    "镇",
    "<p>",
    "<br>",
    "&nbsp;",
    "- 2 -",
    "（已采纳）",
    "２０２５",
    "㈠",
]
TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(PIECES), max_size=60).map("".join),
    st.lists(st.sampled_from(SEED_LINES + PIECES), max_size=40).map("\n".join),
)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _source(text: str) -> SourceText:
    return SourceText(Source("x.txt", "0" * 64, "utf-8"), text, Path("x.txt"))


@SETTINGS
@given(TEXT)
def test_any_text_gives_a_valid_record_or_a_parse_error(text: str) -> None:
    try:
        reply = parse_source(_source(text))
    except ParseError as exc:
        assert exc.path == "x.txt"
        return
    assert validate_record(reply.to_dict()) == []


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_decode_or_raise_a_source_error(data: bytes) -> None:
    try:
        text, encoding = decode(data, Path("x.bin"))
    except SourceError:
        return
    assert encoding in {"utf-8", "utf-8-sig", "utf-16", "gb18030"}
    assert isinstance(text, str)


@SETTINGS
@given(st.one_of(st.binary(max_size=400), TEXT.map(lambda t: t.encode("gb18030"))))
def test_any_file_gives_a_record_or_the_projects_own_error(data: bytes) -> None:
    try:
        text, encoding = decode(data, Path("x.txt"))
        reply = parse_source(SourceText(Source("x.txt", "0" * 64, encoding), text, Path("x.txt")))
    except (SourceError, ParseError):
        return
    assert validate_record(reply.to_dict()) == []
