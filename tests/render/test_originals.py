"""The letter page offers the original as published (原件: the PDF or DOCX, copied beside the
record) and its facts panel says how the text was obtained."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from replyarchive.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FORMATS = FIXTURES / "formats"
DEVSET_FORMATS = FIXTURES / "devset" / "formats"


def test_pdf_and_docx_originals_are_published_and_the_page_says_how_read(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    pdf = shutil.copy(FORMATS / "000_f110c3d6d4e6c248.pdf", folder)
    docx = shutil.copy(DEVSET_FORMATS / "018_neimenggu_proposal_party.docx", folder)
    shutil.copy(FORMATS / "003_97f765a9b187815b.html", folder)
    site = tmp_path / "site"
    assert main(["build", "--input", str(folder), "--out", str(site)]) == 0
    capsys.readouterr()
    assert (site / "data" / "zgxh-2025-111.pdf").read_bytes() == Path(pdf).read_bytes()
    assert (site / "data" / "proposal-0479.docx").read_bytes() == Path(docx).read_bytes()
    assert not (site / "data" / "zskh-2023-101.html").exists()  # a page is not republished
    page = (site / "replies" / "zgxh-2025-111" / "index.html").read_text("utf-8")
    assert 'href="../../data/zgxh-2025-111.pdf" download>原件（PDF）' in page
    assert "<dt>文本来源</dt><dd>PDF 文本层，共13页</dd>" in page
    web = (site / "replies" / "zskh-2023-101" / "index.html").read_text("utf-8")
    assert "<dt>文本来源</dt><dd>网页</dd>" in web and "原件" not in web
