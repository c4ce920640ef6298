"""The Word readers: paragraphs and tables in order, headers and footers set aside, a clear
error for an empty or broken file, and .doc/.wps through LibreOffice when it is installed."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from tests.ingest.hostile_files import empty_docx

from replyarchive.errors import SourceError
from replyarchive.ingest.sources import read_source

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
_BOX = ('<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
        '<w:p><w:r><w:t>{}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict>'
        '</w:r>')


def _letter(path: Path) -> Path:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "某某市人民政府办公室文件"
    document.sections[0].footer.paragraphs[0].text = "— 1 —"
    document.add_paragraph("某某市商务局关于市政协十三届五次会议第15号提案答复的函")
    document.add_paragraph("")
    document.add_paragraph("黄丽萍委员：")
    boxed = document.add_paragraph("您提出的提案收悉。")
    boxed._p.append(parse_xml(_BOX.format("（A类）")))
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ["联系人", "张明", "联系电话", "0760-1234"],
                          strict=True):
        cell.text = text
    document.add_paragraph("某某市商务局\n2024年5月20日")
    document.save(str(path))
    return path


def test_paragraphs_tables_and_boxes_in_order_without_headers_or_footers(tmp_path: Path) -> None:
    src = read_source(_letter(tmp_path / "letter.docx"), tmp_path)
    assert src.text.split("\n") == [
        "某某市商务局关于市政协十三届五次会议第15号提案答复的函", "黄丽萍委员：", "（A类）",
        "您提出的提案收悉。", "联系人：张明　联系电话：0760-1234", "某某市商务局",
        "2024年5月20日", ""]
    assert (src.source.format, src.source.reader, src.source.encoding) == ("docx", "docx",
                                                                           "binary")


def test_a_letter_laid_out_in_a_one_cell_table_keeps_its_paragraphs(tmp_path: Path) -> None:
    """WPS and Word users lay a letter out in a table of one cell (one row a part, merged
    across columns): each of the cell's paragraphs is a line, not one line of them all."""
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    head = table.rows[0].cells[0].merge(table.rows[0].cells[1])
    head.text = "某某市商务局"
    head.add_paragraph("某商函〔2024〕105号")
    body = table.rows[1].cells[0].merge(table.rows[1].cells[1])
    body.text = "黄丽萍委员："
    for text in ("您提出的提案收悉，现答复如下：", "我局已排查夜间消费集聚区12个。", "某某市商务局",
                 "2024年5月20日"):
        body.add_paragraph(text)
    file = tmp_path / "letter.docx"
    document.save(str(file))
    assert read_source(file, tmp_path).text.split("\n")[:-1] == [
        "某某市商务局", "某商函〔2024〕105号", "黄丽萍委员：", "您提出的提案收悉，现答复如下：",
        "我局已排查夜间消费集聚区12个。", "某某市商务局", "2024年5月20日"]


@pytest.mark.parametrize(("make", "message"), [
    (lambda path: empty_docx(path), "the Word file holds no text"),
    (lambda path: path.write_bytes(b"PK\x03\x04 not a zip"), "cannot open the Word file"),
])
def test_an_empty_or_broken_docx_is_an_error_naming_the_file(tmp_path: Path, make: object,
                                                             message: str) -> None:
    file = tmp_path / "letter.docx"
    make(file)  # type: ignore[operator]
    with pytest.raises(SourceError) as info:
        read_source(file, tmp_path)
    assert str(info.value).startswith(f"{file}: {message}")


def test_a_doc_without_libreoffice_names_the_package(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    file = tmp_path / "letter.doc"
    file.write_bytes(OLE)
    with pytest.raises(SourceError) as info:
        read_source(file, tmp_path)
    assert "apt-get install libreoffice-writer" in str(info.value)


def test_a_wps_is_converted_by_libreoffice(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A stand-in soffice that writes the converted .docx where LibreOffice would."""
    converted = _letter(tmp_path / "converted.docx")
    tools = tmp_path / "bin"
    tools.mkdir()
    soffice = tools / "soffice"
    soffice.write_text('#!/bin/sh\n# soffice --headless --convert-to docx --outdir DIR FILE\n'
                       f'cp "{converted}" "$5/$(basename "$6" | sed "s/\\.[^.]*$//").docx"\n',
                       "utf-8")
    soffice.chmod(soffice.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    file = tmp_path / "letter.wps"
    file.write_bytes(OLE)
    src = read_source(file, tmp_path)
    assert (src.source.format, src.source.reader) == ("doc", "doc-soffice")
    assert src.text.startswith("某某市商务局关于市政协十三届五次会议第15号提案答复的函\n")
