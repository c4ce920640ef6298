"""The per-part rules on the shapes the genre prints, seeds' and others'."""

from __future__ import annotations

import pytest

from replyarchive.parse.cc import parse_cc, parse_disclosure
from replyarchive.parse.contacts import parse_contacts
from replyarchive.parse.header import parse_doc_number
from replyarchive.parse.ids import reply_id
from replyarchive.parse.meeting import parse_kind, parse_session, proposal_number
from replyarchive.parse.preamble import co_handlers, proposal_title
from replyarchive.parse.salutation import parse_salutation
from replyarchive.parse.signature import parse_date
from replyarchive.records.model import Contact
from replyarchive.vocab.markers import cn_to_int, find_marker


@pytest.mark.parametrize(
    ("text", "contacts"),
    [
        (
            "（联系人及电话：刘芸、王璐璐，88315789）",
            [("刘芸", "88315789"), ("王璐璐", "88315789")],
        ),
        ("（联系人及电话：徐永璐0760-88307014）", [("徐永璐", "0760-88307014")]),
        ("（联系人：及祥；联系电话：88315074）", [("及祥", "88315074")]),
        ("（联系人及电话：周岳，电话：88303920）", [("周岳", "88303920")]),
        (
            "联系人：张三，电话：13800138000；李四，电话：(0760)88888888",
            [("张三", "13800138000"), ("李四", "(0760)88888888")],
        ),
        ("（联系人：王五）", [("王五", None)]),
    ],
)
def test_contacts(text: str, contacts: list[tuple[str, str | None]]) -> None:
    found, unread = parse_contacts(text)
    assert found == tuple(Contact(name, phone) for name, phone in contacts)
    assert unread == []


@pytest.mark.parametrize(
    ("text", "addressee", "proposers"),
    [
        (
            "中山市工商业联合会，徐新霞，张燕航，郭丛枢委员：",
            None,
            ["中山市工商业联合会", "徐新霞", "张燕航", "郭丛枢"],
        ),
        ("冀鸣等委员：", "冀鸣等委员", ["冀鸣"]),
        ("民革中山市委：", "民革中山市委", ["民革中山市委"]),
        ("黄美湘、罗慧代表：", "黄美湘、罗慧代表", ["黄美湘", "罗慧"]),
        ("尊敬的赵六代表:", "尊敬的赵六代表", ["赵六"]),
        ("民盟中山市委员会：", "民盟中山市委员会", ["民盟中山市委员会"]),
        ("张三委员、李四委员：", "张三委员、李四委员", ["张三", "李四"]),
        # A salutation to a group names no proposer; the addressee keeps it.
        ("各位代表：", "各位代表", []),
        ("尊敬的各位委员：", "尊敬的各位委员", []),
        ("全体委员：", "全体委员", []),
        ("李明代表等：", "李明代表等", ["李明"]),
        # A role after a personal name is not part of the name; a body's name keeps its words.
        ("尊敬的张三副主席：", "尊敬的张三副主席", ["张三"]),
        ("李四会长、王五主任委员：", "李四会长、王五主任委员", ["李四", "王五"]),
        ("欧阳明华常务副主席等委员：", "欧阳明华常务副主席等委员", ["欧阳明华"]),
        ("市科学技术协会副主席：", "市科学技术协会副主席", ["市科学技术协会副主席"]),
        ("刘老师：", "刘老师", ["刘老师"]),
    ],
)
def test_salutation(text: str, addressee: str | None, proposers: list[str]) -> None:
    got_addressee, got_proposers = parse_salutation(text)
    assert got_addressee == (addressee or text.rstrip("：:"))
    assert list(got_proposers) == proposers


@pytest.mark.parametrize(
    ("text", "units"),
    [
        (
            "收悉，经综合市政府办公室、小榄镇和南头镇意见，现答复如下：",
            ["市政府办公室", "小榄镇", "南头镇"],
        ),
        (
            "经综合市商务局，财政局，科技局，税务局等单位意见",
            ["市商务局", "财政局", "科技局", "税务局"],
        ),
        (
            "我局会同市发展改革局、科技局、投促局及自然资源局等单位意见认真研究",
            ["市发展改革局", "科技局", "投促局", "自然资源局"],
        ),
        ("经综合小榄镇会办意见", ["小榄镇"]),
        (
            "经综合市工业和信息化局、市城市管理和综合执法局意见",
            ["市工业和信息化局", "市城市管理和综合执法局"],
        ),
        ("你们提出的建议收悉，现答复如下：", []),
        ("我局会同市住房和城乡建设局、市税务局进行了认真研究", ["市住房和城乡建设局", "市税务局"]),
        (
            "经会同市住房和城乡建设局及市城市管理局研究，现答复如下",
            ["市住房和城乡建设局", "市城市管理局"],
        ),
    ],
)
def test_co_handlers(text: str, units: list[str]) -> None:
    assert list(co_handlers(text)) == units


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "你们提出的《关于培育专精特新企业的建议》（提案第134008号）收悉",
            "关于培育专精特新企业的建议",
        ),
        (
            "你们提出的要求加强扶持政策的建议提案收悉。经综合《某办法》意见",
            "要求加强扶持政策的建议提案",
        ),
        ("现答复如下：", None),
    ],
)
def test_proposal_title(text: str, title: str | None) -> None:
    assert proposal_title(text) == title


@pytest.mark.parametrize(
    ("text", "body", "term", "meeting", "kind"),
    [
        ("关于市政协十三届四次会议第134008号提案答复的函", "市政协", 13, 4, "proposal"),
        ("关于市十六届人大三次会议第2023105号代表建议答复的函", "市人大", 16, 3, "suggestion"),
        ("关于省政协第十二届第三次会议第1号提案", "省政协", 12, 3, "proposal"),
        ("关于区七届人民代表大会二次会议第5号建议", "区人大", 7, 2, "suggestion"),
        ("关于政协中山市第十三届委员会第二次会议第131号提案", "市政协", 13, 2, "proposal"),
        ("关于中山市第十六届人民代表大会第三次会议第9号建议", "市人大", 16, 3, "suggestion"),
        ("政协某某市委员会十四届二次会议第5号提案", "市政协", 14, 2, "proposal"),
    ],
)
def test_session_and_kind(text: str, body: str, term: int, meeting: int, kind: str) -> None:
    session = parse_session(text)
    assert session is not None
    assert (session.body, session.term, session.meeting) == (body, term, meeting)
    assert parse_kind(session) == kind


def test_kind_without_session_comes_from_words() -> None:
    assert parse_kind(None, "关于第5号代表建议答复的函") == "suggestion"
    assert parse_kind(None, "关于第5号提案答复的函") == "proposal"
    assert parse_kind(None, "答复的函") is None


@pytest.mark.parametrize(
    ("text", "doc_number", "slug"),
    [
        ("中工信函〔2025〕111 号", "中工信函〔2025〕111号", "zgxh-2025-111"),
        ("中山科函[2023]101号", "中山科函〔2023〕101号", "zskh-2023-101"),
        ("某区建函【2023】015号", "某区建函〔2023〕015号", "mqjh-2023-15"),
        ("中府办函(2024)第8号", "中府办函〔2024〕8号", "zfbh-2024-8"),
        ("没有文号", None, "proposal-unnumbered"),
    ],
)
def test_doc_number_and_id(text: str, doc_number: str | None, slug: str) -> None:
    found = parse_doc_number(text.replace(" ", ""))
    assert found == doc_number
    assert reply_id(found, "proposal", None) == slug


def test_id_without_doc_number() -> None:
    assert reply_id(None, "suggestion", "2023105") == "suggestion-2023105"
    assert reply_id(None, "proposal", "134008") == "proposal-134008"
    assert reply_id(None, "proposal", None) == "proposal-unnumbered"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2025年9月15日", "2025-09-15"),
        ("2022年6月8日", "2022-06-08"),
        ("二〇二五年九月十五日", "2025-09-15"),
        ("二〇二三年十二月三十一日", "2023-12-31"),
        ("2023年2月30日", None),
        ("2024-05-20", "2024-05-20"),
        ("2024.5.20", "2024-05-20"),
        ("2024/5/2", "2024-05-02"),
        ("2024-5.20", None),
        ("2024-13-01", None),
        ("今天", None),
    ],
)
def test_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


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


@pytest.mark.parametrize(
    ("text", "level", "number"),
    [
        ("一、构建全链条服务体系", 1, "一"),
        ("十一、其他", 1, "十一"),
        ("（二）提升服务", 2, "二"),
        ("3.完善数字创意产业政策体系", 3, "3"),
        ("3、完善", 3, "3"),
        ("（1）细项", 4, "1"),
    ],
)
def test_markers(text: str, level: int, number: str) -> None:
    marker = find_marker(text)
    assert marker is not None
    assert (marker.level, marker.number) == (level, number)


@pytest.mark.parametrize("text", ["一是动态更新", "2024年全年", "1.5亿元", "6.1万家次", "十三届"])
def test_not_markers(text: str) -> None:
    assert find_marker(text) is None


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


@pytest.mark.parametrize(
    "line", ["办复类别：B类", "答复类别：B类", "办理结果：B类", "办理类型：B类", "（B类）"]
)
def test_category_line_shapes(line: str) -> None:
    from replyarchive.normalize import normalize
    from replyarchive.parse.header import find_category

    assert find_category(normalize(line)) == "B"


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


@pytest.mark.parametrize(("text", "units"), [
    ("您的提案收悉。我局并商市气象局、市应急管理局认真研究，现答复如下：",
     ("市气象局", "市应急管理局")),
    ("您的提案收悉。经商市林业局和市水利局同意，现答复如下：", ("市林业局", "市水利局")),
    ("您的提案收悉。经与市体育局、市卫生健康委共同研究，现答复如下：",
     ("市体育局", "市卫生健康委")),
    ("您的提案收悉。该提案由我局主办，市民政局、市残联协办。经综合协办单位意见，现答复如下：",
     ("市民政局", "市残联")),
    ("您的提案收悉。经商请市林业局、市人社局提出意见，现答复如下：", ("市林业局", "市人社局")),
    ("您的提案收悉。我局联合市体育局、市教育局对提案进行了认真研究，现答复如下：",
     ("市体育局", "市教育局")),
    ("您的提案收悉。本提案市林业局、市税务局为会办单位。现答复如下：", ("市林业局", "市税务局")),
    ("您的提案收悉。经与市林业局、市税务局沟通协商，现答复如下：", ("市林业局", "市税务局")),
    ("您的提案收悉。我局商市自然资源局研究，现答复如下：", ("市自然资源局",)),
    ("您提出的《关于发展商业街区的提案》收悉。我局认真研究，现答复如下：", ()),
])
def test_co_handlers_in_other_wordings(text: str, units: tuple[str, ...]) -> None:
    assert co_handlers(text) == units


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
