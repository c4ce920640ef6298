"""The text-PDF reader: page furniture dropped, paragraphs rebuilt across page breaks, and a
clear error naming the file for a PDF it cannot read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.ingest.hostile_files import image_page, pdf, placed_page, text_page

from replyarchive.errors import SourceError
from replyarchive.ingest.pdf import PdfLine, read_pdf, unusable_share
from replyarchive.ingest.sources import read_source

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
