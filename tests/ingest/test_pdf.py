"""The text-PDF reader: page furniture dropped, paragraphs rebuilt across page breaks, and a
clear error naming the file for a PDF it cannot read."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from tests.ingest.hostile_files import (
    Block,
    Encoding,
    Printed,
    cjk_page,
    gongwen,
    image_page,
    pdf,
    placed_page,
    text_page,
)

from replyarchive.errors import SourceError
from replyarchive.ingest.pdf import PdfLine, read_pdf, unusable_share
from replyarchive.ingest.sources import read_source
from replyarchive.normalize import normalize_letter
from replyarchive.parse import parse_letters, parse_source

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PUBLISHED = sorted([*(FIXTURES / "formats").glob("*.pdf"),
                    *(FIXTURES / "devset" / "formats").glob("*.pdf")])
"""The seeds and the development set as published."""
FULL = "abcdefghij" * 6
"""A line that runs from margin to margin."""


def _two_pages() -> bytes:
    """A running header and page numbers on both pages; the first paragraph is cut by the
    page break, the second is indented."""
    first = placed_page((72, 800, "Annual Report"), (72, 700, FULL), (72, 676, FULL),
                        (72, 652, FULL), (280, 40, "- 1 -"))
    second = placed_page((72, 800, "Annual Report"), (72, 760, "end of one."),
                         (96, 736, FULL), (72, 712, "end of two."), (280, 40, "- 2 -"))
    return pdf([first, second])


def test_furniture_goes_and_a_paragraph_cut_by_a_page_break_is_whole() -> None:
    extracted = read_pdf(_two_pages(), Path("x.pdf"))
    assert extracted.text.split("\n") == [" ".join([FULL] * 3 + ["end of one."]),
                                          f"{FULL} end of two.", ""]
    assert [str(p) for p in extracted.positions] == ["page 1, line 2", "page 2, line 3"]
    assert (extracted.pages, extracted.reader) == (2, "pdf-text")


def test_a_body_line_that_ends_two_pages_is_no_running_footer() -> None:
    """The same line at the foot of two pages is a running footer only when it stands apart
    from the text: a heading's adoption line that closes two pages at the line pitch stays."""
    pages = [placed_page((72, 800, "Annual Report"), (96, 160, f"Part {n}."), (72, 136, FULL),
                         (72, 112, FULL), (72, 88, "end."), (96, 64, "Adopted."),
                         (280, 30, f"- {n} -")) for n in (1, 2, 3)]
    lines = read_pdf(pdf(pages), Path("x.pdf")).text.split("\n")[:-1]
    assert lines == [line for n in (1, 2, 3)
                     for line in (f"Part {n}.", f"{FULL} {FULL} end.", "Adopted.")]


@pytest.mark.parametrize(("data", "message"), [
    (pdf([text_page("x")], encrypted=True), "the PDF is encrypted"),
    (b"%PDF-1.7\nnot really", "cannot open the PDF"),
    (pdf([b""]), "the PDF's pages are blank"),
    (pdf([image_page(), image_page()]), "this PDF is a scan"),
    (pdf([placed_page((280, 40, "- 1 -"))]), "the PDF holds no text but page numbers"),
])
def test_a_pdf_it_cannot_read_is_an_error_naming_the_file(tmp_path: Path, data: bytes,
                                                          message: str) -> None:
    file = tmp_path / "letter.pdf"
    file.write_bytes(data)
    with pytest.raises(SourceError) as info:
        read_source(file, tmp_path)
    assert str(info.value).startswith(f"{file}: {message}")


def test_a_layer_of_private_use_and_cid_characters_is_unusable() -> None:
    def line(text: str) -> PdfLine:
        return PdfLine(text, 1, 1, 72, 500, 700, 16)
    assert unusable_share([line("\ue001\ue002\ue003中"), line("(cid:12)(cid:13)")]) > 0.8
    assert unusable_share([line("中山市工业和信息化局"), line("\ufffd")]) < 0.1


@pytest.mark.parametrize("pdf_file", PUBLISHED, ids=lambda p: p.stem)
def test_published_pdfs_lose_their_page_numbers(pdf_file: Path) -> None:
    src = read_source(pdf_file, pdf_file.parent)
    number = re.compile(r"^[—–-]\s*\d+\s*[—–-]$")
    assert not [line for line in src.text.splitlines() if number.match(line.strip())]
    assert src.source.format == "pdf" and src.source.pages and src.source.pages >= 1
    assert len(src.positions) == len(src.text.splitlines())


LETTER: list[Block] = [
    ("left", "(A类)"),
    ("red", "某 某 市 交 通 运 输 局"),
    ("centre", "某交函〔2024〕58号"),
    ("title", "某某市交通运输局关于市政协"),
    ("title", "九届二次会议第0123号提案答复的函"),
    ("left", "李明委员："),
    ("para", "您提出的《关于优化城区公交线路的提案》收悉，经综合市财政局、市公安局交通警察支队意"
             "见，现答复如下："),
    ("para", "一、关于增设城区公交线路"),
    ("para", "吸收采纳该建议。"),
    ("para", "近年来，我局按照城区公共交通发展规划，逐年调整公交线路布局，重点解决新建住宅区和"
             "学校周边群众出行不便的问题。今年上半年，我局会同各区人民政府对城区公交站点开展了"
             "全面排查，共梳理出需要延伸或新增的线路十二条，其中七条已经完成调整并投入运营，其"
             "余五条将结合道路建设进度分批实施。"),
    ("para", "二、关于延长夜间公交运营时间"),
    ("para", "部分采纳该建议。"),
    ("para", "夜间公交运营涉及财政补贴和驾驶员排班，我局已会同市财政局测算运营成本，拟先在客流"
             "较大的三条干线试行延长运营至二十三时，试行期间根据客流情况评估效果，再研究扩大范"
             "围。同时，我局将通过公交电子站牌和手机应用及时发布夜间线路信息，方便群众出行。"
             "下一步，我局将继续听取各方意见，不断提升城区公共交通服务水平。"),
    ("para", "专此答复。"),
    ("right", "某某市交通运输局"),
    ("right", "2024年6月18日"),
    ("para", "（联系人：王芳，联系电话：12345678）"),
    ("left", "公开方式：主动公开"),
    ("hang", "抄送：市政协提案委员会，市人民政府办公室，市财政局，市公安局交通警察支队，各区人民"
             "政府。"),
]


def _paragraphs(blocks: list[Block]) -> list[str]:
    """The paragraphs a reader should give back: one a block, the title's lines one, the
    letterhead without its letter-spacing."""
    out: list[str] = []
    for index, (kind, text) in enumerate(blocks):
        if kind == "title" and index and blocks[index - 1][0] == "title":
            out[-1] += text
        else:
            out.append(text.replace(" ", "") if kind == "red" else text)
    return out


@pytest.mark.parametrize("encoding", ["GBK-EUC-H", "UniGB-UCS2-H"])
def test_a_gongwen_in_a_cjk_font_without_tounicode_reads_as_its_paragraphs(
        tmp_path: Path, encoding: Encoding) -> None:
    """No ToUnicode map, only a predefined CMap; the red letterhead spaced out, the title in two
    centred lines, a paragraph cut by the page break, the signature and date right-aligned, 抄送
    with its units hanging under the first one; page numbers at the foot."""
    pages = gongwen(LETTER)
    assert len(pages) == 2
    file = tmp_path / "letter.pdf"
    file.write_bytes(pdf([cjk_page(page, encoding) for page in pages]))
    src = read_source(file, tmp_path)
    assert src.text.split("\n")[:-1] == _paragraphs(LETTER)
    reply = parse_source(src)
    assert (reply.department, reply.doc_number, reply.date, reply.proposers) == (
        "某某市交通运输局", "某交函〔2024〕58号", "2024-06-18", ("李明",))
    assert reply.title == "某某市交通运输局关于市政协九届二次会议第0123号提案答复的函"
    assert [s.adoption_status for s in reply.sections] == ["adopted", "partially_adopted"]


def test_a_pdf_that_only_forbids_copying_is_read(tmp_path: Path) -> None:
    """Departments publish PDFs encrypted with no password to open them and copying and
    printing forbidden: opened with the empty password, their text is read as any other's."""
    data = pdf([cjk_page(page) for page in gongwen(LETTER)], restricted=True)
    assert b"/Encrypt" in data and b" Tj ET" not in data  # the content streams are encrypted
    file = tmp_path / "letter.pdf"
    file.write_bytes(data)
    assert read_source(file, tmp_path).text.split("\n")[:-1] == _paragraphs(LETTER)


def test_a_watermark_and_a_seal_ring_are_no_letter_text(tmp_path: Path) -> None:
    """Text set at an angle is no line of the letter: a diagonal watermark across a page, the
    red seal's name printed round its ring over the signature and date."""
    pages = gongwen(LETTER)
    pages[0].append(Printed(150, 300, "内部资料仅供参考", 40, angle=35))
    name, (x, y) = "某某市交通运输局", (420.0, 670.0)
    pages[1] += [Printed(x + 50 * math.cos(math.radians(a)), y + 50 * math.sin(math.radians(a)),
                         char, 12, red=True, angle=a - 90)
                 for char, a in zip(name, range(200, -20, -30), strict=True)]
    file = tmp_path / "letter.pdf"
    file.write_bytes(pdf([cjk_page(page) for page in pages]))
    assert read_source(file, tmp_path).text.split("\n")[:-1] == _paragraphs(LETTER)


def test_a_second_letter_under_its_own_letterhead_is_a_record_of_its_own(
        tmp_path: Path) -> None:
    """Two letters in one PDF, the second from a new page under its red letterhead with no
    文号 and a title that is no …答复的函: nothing in the text marks where it starts, the
    letterhead on a new page does."""
    second: list[Block] = [
        ("red", "某某镇人民政府"), ("left", "王刚代表："),
        ("para", "您提出的关于修缮村道路灯的建议收悉，现答复如下："),
        ("para", "我镇已将该路段路灯修缮列入今年计划，预计十月底前完成。感谢您对我镇工作的关心。"),
        ("right", "某某镇人民政府"), ("right", "2024年8月2日")]
    pages = gongwen(LETTER) + gongwen(second, first_page=3)
    file = tmp_path / "two.pdf"
    file.write_bytes(pdf([cjk_page(page) for page in pages]))
    src = read_source(file, tmp_path)
    replies = parse_letters(normalize_letter(src.text), src)
    assert [(r.department, r.date) for r in replies] == [
        ("某某市交通运输局", "2024-06-18"), ("某某镇人民政府", "2024-08-02")]
    assert replies[1].proposers == ("王刚",)
    assert src.where(src.letter_starts[0]) == "page 3, line 1"


def test_two_columns_are_read_one_after_the_other() -> None:
    """PDFium gives text on one baseline as one line, however far apart: the columns are told
    by the gutter the rows share, and read left, then right, each with its own margins."""
    left = ("左栏的正文从这里开始，一直写到这一栏的底部为止，中间不会跳到右栏去，"
            "读完左栏以后才接着读右栏。")
    right = ("右栏的正文在左栏读完以后才读，它也有自己的缩进和边距，不和左栏混在一起，"
             "读到这里全文就结束了。")
    lines = [Printed(200, 760, "两栏排版的说明", 22)]
    for column, text in ((80.0, left), (320.0, right)):
        y, rest = 720.0, text
        lines.append(Printed(column + 32, y, rest[:11]))
        rest = rest[11:]
        while rest:
            y -= 28
            lines.append(Printed(column, y, rest[:13]))
            rest = rest[13:]
    extracted = read_pdf(pdf([cjk_page(lines)]), Path("x.pdf"))
    assert extracted.text.split("\n")[:-1] == ["两栏排版的说明", left, right]


def test_an_attachment_page_stays_apart_from_the_letter(tmp_path: Path) -> None:
    """附件 heads a landscape page after the last page, under 抄送 that runs to the margin: it
    is no continuation of 抄送, and the landscape page's own number at its foot goes."""
    letter = gongwen(LETTER)
    rows = ((460, ("序号", "线路", "调整内容", "完成时间")),
            (430, ("1", "8路", "延伸至城东新区", "2024年9月")))
    attachment = [Printed(60, 540, "附件"), Printed(300, 500, "城区公交线路调整计划表", 22),
                  *(Printed(x, y, cell) for y, row in rows
                    for x, cell in zip((60, 160, 260, 560), row, strict=True)),
                  Printed(400, 40, "— 3 —", 14)]
    file = tmp_path / "letter.pdf"
    file.write_bytes(pdf([*(cjk_page(page) for page in letter), cjk_page(attachment)],
                         sizes=[(595, 842)] * len(letter) + [(842, 595)]))
    src = read_source(file, tmp_path)
    lines, letter_lines = src.text.split("\n")[:-1], _paragraphs(LETTER)
    assert lines[:len(letter_lines)] == letter_lines
    assert lines[len(letter_lines):] == ["附件", "城区公交线路调整计划表",
                                         "序号 线路 调整内容 完成时间",
                                         "1 8路 延伸至城东新区 2024年9月"]
    reply = parse_source(src)
    assert (reply.date, reply.department) == ("2024-06-18", "某某市交通运输局")
    assert "附件" in reply.notes
