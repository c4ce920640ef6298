"""The section tree rule on small bodies: numbering sequence, adoption phrases, run-on titles."""

from __future__ import annotations

from replyarchive.normalize import normalize
from replyarchive.parse.sections import parse_body


def _body(text: str):  # type: ignore[no-untyped-def]
    return parse_body(normalize(text))


def _outline(text: str) -> list[tuple[str, str, str | None, str | None]]:
    body = _body(text)
    return [
        (s.id, s.title, s.adoption, s.adoption_status) for top in body.sections for s in top.walk()
    ]


def test_numbering_restarts_below_a_new_parent() -> None:
    text = (
        "一、甲\n（一）子一。\n1.项一。\n2.项二。\n（二）子二。\n1.项三。\n二、乙\n（一）子三。\n"
    )
    assert [row[0] for row in _outline(text)] == [
        "s1",
        "s1-1",
        "s1-1-1",
        "s1-1-2",
        "s1-2",
        "s1-2-1",
        "s2",
        "s2-1",
    ]


def test_inline_enumerations_and_numbers_are_text() -> None:
    body = _body("一、甲\n一是做了这个。二是做了那个。\n2024年完成。\n1.5亿元已到位。\n")
    assert len(body.sections) == 1
    assert body.sections[0].paragraphs == (
        "一是做了这个。二是做了那个。",
        "2024年完成。",
        "1.5亿元已到位。",
    )
    assert body.warnings == ()


def test_a_numeral_out_of_sequence_is_text_with_a_warning() -> None:
    body = _body("一、甲\n正文。\n三、丙\n正文。\n")
    assert [s.number for s in body.sections] == ["一"]
    assert body.sections[0].paragraphs == ("正文。", "三、丙", "正文。")
    assert body.warnings == (
        "line 3: '三' does not continue the numbering here, so it is kept as text",
    )


def test_adoption_phrase_shapes() -> None:
    text = (
        "一、甲\n吸收采纳该建议。\n"
        "二、乙\n已采纳。我局已完成。\n"
        "三、丙\n已列入下一年度工作计划，逐步推进。\n"
        "四、丁 暂不采纳该建议。\n"
    )
    assert [(s[2], s[3]) for s in _outline(text)] == [
        ("吸收采纳该建议", "adopted"),
        ("已采纳", "adopted"),
        ("已列入下一年度工作计划", "planned"),
        ("暂不采纳该建议", "not_adopted"),
    ]
    sections = _body(text).sections
    assert sections[1].paragraphs == ("我局已完成。",)
    assert sections[2].paragraphs == ("已列入下一年度工作计划，逐步推进。",)


def test_run_on_heading_and_an_absurdly_long_one() -> None:
    long_text = "市政务服务数据管理局" + "认真贯彻落实各项部署，" * 10 + "提升服务质量。后文。"
    body = _body(f"一、甲\n（一）构建政策支撑体系。成立专班。\n（二）{long_text}\n")
    first, second = body.sections[0].children
    assert (first.title, first.paragraphs) == ("构建政策支撑体系", ("成立专班。",))
    assert (second.title, second.paragraphs) == ("", (long_text,))
    assert body.warnings[0].startswith("line 3: heading '二' runs on for")


def test_text_before_the_first_heading_is_the_preamble() -> None:
    body = _body("你们提出的建议收悉，现答复如下：\n一、甲\n")
    assert body.preamble == ("你们提出的建议收悉，现答复如下：",)


def test_a_half_width_stop_ends_a_title_only_after_chinese() -> None:
    body = _body("一、甲\n（一）全面摸查.2024年完成.\n（二）推进5G.A网络建设\n")
    first, second = body.sections[0].children
    assert (first.title, first.paragraphs) == ("全面摸查", ("2024年完成.",))
    assert (second.title, second.paragraphs) == ("推进5G.A网络建设", ())


def test_a_long_whole_line_heading_keeps_its_title() -> None:
    title = "关于加快中山优势产业的发展，特别是重点关注光电、先进装备等重点产业的" * 2 + "上游企业"
    body = _body(f"一、{title}\n吸取采纳该建议。\n")
    assert (body.sections[0].title, body.warnings) == (title, ())
