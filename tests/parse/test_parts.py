"""The per-part rules on shapes that need more than one input and one value; the cases of one
input and one value are in tests/fixtures/parse/parts.txt (test_part_cases.py)."""

from __future__ import annotations

import pytest

from replyarchive.parse.cc import parse_cc, parse_disclosure
from replyarchive.parse.contacts import parse_contacts
from replyarchive.parse.ids import reply_id
from replyarchive.parse.meeting import parse_kind, proposal_number
from replyarchive.parse.preamble import co_handlers, proposal_title
from replyarchive.parse.salutation import parse_salutation
from replyarchive.records.model import Contact
from replyarchive.vocab.markers import cn_to_int


def test_kind_without_session_comes_from_words() -> None:
    assert parse_kind(None, "关于第5号代表建议答复的函") == "suggestion"
    assert parse_kind(None, "关于第5号提案答复的函") == "proposal"
    assert parse_kind(None, "答复的函") is None


def test_id_without_doc_number() -> None:
    assert reply_id(None, "suggestion", "2023105") == "suggestion-2023105"
    assert reply_id(None, "proposal", "134008") == "proposal-134008"
    assert reply_id(None, "proposal", None) == "proposal-unnumbered"


def test_disclosure_and_cc() -> None:
    assert parse_disclosure("公开方式：主动公开。") == "主动公开"
    assert parse_disclosure("（此件主动公开）") == "主动公开"
    assert parse_disclosure("（此件公开发布）") == "公开发布"
    assert parse_disclosure("公开方式：不予公开") == "不予公开"
    assert parse_disclosure("公开属性：依申请公开（涉及个人信息）") == "依申请公开"
    assert parse_disclosure("信息公开选项：主动公开") == "主动公开"
    assert parse_disclosure("（此件不予公开）") == "不予公开"
    assert parse_cc("抄送:市政协提案、市政府办公室，小榄镇。") == (
        "市政协提案",
        "市政府办公室",
        "小榄镇",
    )
    assert parse_cc("市政府办公室") is None


def test_chinese_numerals() -> None:
    assert [cn_to_int(t) for t in ("一", "十", "十三", "二十一", "二〇二五", "百")] == [
        1,
        10,
        13,
        21,
        2025,
        100,
    ]


def test_more_contact_shapes() -> None:
    found, unread = parse_contacts("（联系人：张三 电话：0760 88888888；传真：0760-88888889）")
    assert found == (Contact("张三", "0760 88888888"),)
    assert unread == []


def test_salutation_drops_notes_in_brackets() -> None:
    assert parse_salutation("张三委员（第一提案人）、李四委员：")[1] == ("张三", "李四")


def test_co_handlers_ending_with_banli() -> None:
    assert co_handlers("收悉。本件由我局会同市财政局、市教育局办理，现答复如下") == (
        "市财政局",
        "市教育局",
    )


def test_salutation_with_a_count_of_members() -> None:
    assert parse_salutation("张三等5位委员：")[1] == ("张三",)
    assert parse_salutation("李四等三名代表：")[1] == ("李四",)


def test_contacts_on_two_lines_pair_up() -> None:
    found, unread = parse_contacts("联系人：张三", "联系电话：0760-88888888")
    assert found == (Contact("张三", "0760-88888888"),)
    assert unread == []


def test_signature_with_department_and_date_on_one_line() -> None:
    from replyarchive.normalize import Line
    from replyarchive.parse.signature import find_date, signing_department

    lines = (Line("中山市科学技术局 2023年6月26日".replace(" ", ""), 9),)
    assert find_date(lines, ()) == ("2023-06-26", 9)
    assert signing_department(lines) == "中山市科学技术局"


def test_proposal_title_prefers_the_quote_after_tichu() -> None:
    text = "根据《中山市政协提案工作条例》，你们提出的《关于加快发展的建议》（第1号）收悉"
    assert proposal_title(text) == "关于加快发展的建议"


def test_letterhead_prefers_a_body_name_over_a_code_line() -> None:
    from replyarchive.normalize import normalize
    from replyarchive.parse.header import parse_header

    lines = normalize(
        "中山市财政局文件\nZSCZ-2024-0012\n中财函〔2024〕3号\n中山市财政局关于…的答复\n"
    )
    header = parse_header(lines, lines)
    assert (header.letterhead, header.doc_number) == ("中山市财政局", "中财函〔2024〕3号")
    assert header.title == "中山市财政局关于…的答复"


def test_co_handlers_after_jingshang() -> None:
    text = "收悉。经商市发展和改革局、市自然资源局和市财政局，现将办理情况答复如下："
    assert co_handlers(text) == ("市发展和改革局", "市自然资源局", "市财政局")


def test_contact_with_a_role_in_brackets() -> None:
    found, unread = parse_contacts("（联系人：张三（科员），电话：(0760)88888888）")
    assert (found, unread) == ((Contact("张三", "(0760)88888888"),), [])


def test_proposal_number_printed_with_letters_keeps_its_digits() -> None:
    assert proposal_number("关于第134008号提案答复的函") == ("134008", None)
    assert proposal_number("第ZX-2024-015号提案") == ("2024015", "ZX-2024-015")
    assert proposal_number("关于加快发展的提案", "（提案第A2024015号）收悉") == (
        "2024015", "A2024015")
    assert proposal_number("现答复如下") == (None, None)


def test_joint_reply_takes_the_first_letterhead() -> None:
    from replyarchive.normalize import normalize
    from replyarchive.parse.header import parse_header

    lines = normalize("某某市交通运输局\n某某市公安局\n某交函〔2024〕8号\n关于…的答复\n")
    header = parse_header(lines, lines)
    assert header.letterhead == "某某市交通运输局"
    assert header.letterheads == ("某某市交通运输局", "某某市公安局")


def test_contact_given_as_an_office() -> None:
    found, unread = parse_contacts("联系单位及电话：市民政局养老服务科，0760-88776655")
    assert (found, unread) == ((Contact("市民政局养老服务科", "0760-88776655"),), [])


@pytest.mark.parametrize(
    "title",
    [
        "某某市自然资源局关于市政协十四届二次会议第2024067号提案办理情况的函",
        "关于市十六届人大三次会议第18号建议办理意见的函",
        "某某县卫生健康局对县十八届人大三次会议第35号建议的答复函",
        "关于区政协十四届二次会议第20240123号提案的答复",
    ],
)
def test_title_endings_are_whole_parts(title: str) -> None:
    from replyarchive.vocab.lineparts import TITLE_END, ends_part

    assert TITLE_END.search(title) and ends_part(title)
    assert not ends_part("专此答复")


def test_contact_with_a_spaced_mobile_an_extension_and_an_email() -> None:
    """Two phones after one name are two entries for that name; the e-mail is no phone."""
    found, unread = parse_contacts(
        "（联系人：赵六，手机：139 1234 5678；办公电话：0591-87654321-8001，邮箱：zl@example.cn）")
    assert found == (Contact("赵六", "139 1234 5678"), Contact("赵六", "0591-87654321-8001"))
    assert unread == []


def test_a_phone_after_a_new_name_is_not_the_previous_persons() -> None:
    found, _ = parse_contacts("联系人：张三，13712345678；李四，0760-88888888")
    assert found == (Contact("张三", "13712345678"), Contact("李四", "0760-88888888"))


def test_proposal_number_printed_with_spaces_inside() -> None:
    title = "关于市政协十四届三次会议第2024 0123号提案答复的函"
    assert proposal_number(title) == ("20240123", None)


def test_co_handlers_from_a_line_after_the_body() -> None:
    """经综合协办单位意见 names nobody; the 协办单位： line below the closing does."""
    assert co_handlers("您的提案收悉，经综合协办单位意见，现答复如下：",
                       "主办单位：某某市教育局", "协办单位：某某市财政局、某某市团委") == (
        "某某市财政局", "某某市团委")


def test_phone_in_brackets_after_the_name() -> None:
    found, unread = parse_contacts("联系人：吴芳（手机 13912345678），电子邮箱：wf@example.cn")
    assert (found, unread) == ((Contact("吴芳", "13912345678"),), [])


def test_local_number_with_an_extension() -> None:
    for phone in ("88888888-8001", "88888888转8001"):
        assert parse_contacts(f"联系人：张三，电话：{phone}") == ((Contact("张三", phone),), [])


def test_proposal_number_given_as_a_bare_bracketed_number() -> None:
    assert proposal_number("您提出的《关于规范停车的提案》（编号：20240123）收悉") == (
        "20240123", None)


def test_a_session_above_the_doc_number_is_no_letterhead() -> None:
    from replyarchive.normalize import Line
    from replyarchive.parse.header import parse_header

    lines = (Line("市政协八届二次会议", 1), Line("平水函〔2024〕3号", 2),
             Line("关于第5号提案的答复", 3))
    header = parse_header(lines, lines)
    assert (header.letterhead, header.title) == (None, "关于第5号提案的答复")
