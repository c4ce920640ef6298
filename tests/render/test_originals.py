"""The letter page offers the original as published (原件: the PDF or DOCX, in its year's ZIP
beside the record) and its facts panel says how the text was obtained."""

from __future__ import annotations

import shutil
import zipfile
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
    members = {}
    for path in (site / "data").glob("letters-*.zip"):
        with zipfile.ZipFile(path) as archive:
            members.update({name: (path.name, archive.read(name)) for name in archive.namelist()})
    assert members["zgxh-2025-111.pdf"][1] == Path(pdf).read_bytes()
    assert members["proposal-0479.docx"][1] == Path(docx).read_bytes()
    assert "zskh-2023-101.yaml" in members
    assert not [n for n in members if n.startswith("zskh-2023-101.h")]  # a page is not republished
    page = (site / "replies" / "zgxh-2025-111" / "index.html").read_text("utf-8")
    zip_name = members["zgxh-2025-111.pdf"][0]
    assert f'href="../../data/{zip_name}" download>原件（PDF）和记录（YAML）' in page
    assert "<dt>文本来源</dt><dd>PDF 文本层，共13页</dd>" in page
    web = (site / "replies" / "zskh-2023-101" / "index.html").read_text("utf-8")
    assert "<dt>文本来源</dt><dd>网页</dd>" in web and "原件" not in web
