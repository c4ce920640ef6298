"""The letter page offers the original as published (原件): a PDF or DOCX is its own file beside
the page (replies/<id>/original.pdf), opened by the browser, and also in its year's ZIP; past
the hosts' file count or file size it is in the ZIP only, and the build says so. The facts
panel says how the text was obtained."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from tests.render.linkcheck import broken_links
from tests.render.test_build import tree

from replyarchive.cli import main
from replyarchive.config import Config
from replyarchive.records.model import Reply
from replyarchive.render import originals
from replyarchive.render.builder import prepare
from replyarchive.render.pages import page_count

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FORMATS = FIXTURES / "formats"
DEVSET_FORMATS = FIXTURES / "devset" / "formats"
PDF_ID, DOCX_ID, WEB_ID = "zgxh-2025-111", "proposal-0479", "zskh-2023-101"


@pytest.fixture
def inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no replyarchive.toml: base_url's path is /
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FORMATS / "000_f110c3d6d4e6c248.pdf", folder)
    shutil.copy(DEVSET_FORMATS / "018_neimenggu_proposal_party.docx", folder)
    shutil.copy(FORMATS / "003_97f765a9b187815b.html", folder)
    return folder


def _build(folder: Path, site: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["build", "--input", str(folder), "--out", str(site)]) == 0
    return capsys.readouterr().err


def _members(site: Path) -> dict[str, tuple[str, bytes]]:
    members = {}
    for path in (site / "data").glob("letters-*.zip"):
        with zipfile.ZipFile(path) as archive:
            members.update({name: (path.name, archive.read(name)) for name in archive.namelist()})
    return members


def _page(site: Path, reply_id: str) -> str:
    return (site / "replies" / reply_id / "index.html").read_text("utf-8")


def test_pdf_and_docx_originals_are_their_own_files_and_in_the_zip(
        inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    err = _build(inputs, site, capsys)
    assert "letters-<year>.zip only" not in err
    pdf = (inputs / "000_f110c3d6d4e6c248.pdf").read_bytes()
    docx = (inputs / "018_neimenggu_proposal_party.docx").read_bytes()
    assert (site / "replies" / PDF_ID / "original.pdf").read_bytes() == pdf
    assert (site / "replies" / DOCX_ID / "original.docx").read_bytes() == docx
    members = _members(site)
    assert members[f"{PDF_ID}.pdf"][1] == pdf and members[f"{DOCX_ID}.docx"][1] == docx
    assert f"{WEB_ID}.yaml" in members
    assert not [n for n in members if n.startswith(f"{WEB_ID}.h")]  # a page is not republished
    assert sorted(p.name for p in (site / "replies" / WEB_ID).iterdir()) == ["index.html"]
    page = _page(site, PDF_ID)
    assert f'href="../../replies/{PDF_ID}/original.pdf">原件（PDF）</a>' in page
    zip_name = members[f"{PDF_ID}.pdf"][0]
    assert f'href="../../data/{zip_name}" download>记录（YAML）</a>' in page
    assert "<dt>文本来源</dt><dd>PDF 文本层，共13页</dd>" in page
    assert 'original.docx">原件（DOCX）</a>' in _page(site, DOCX_ID)
    web = _page(site, WEB_ID)
    assert "<dt>文本来源</dt><dd>网页</dd>" in web and "原件" not in web
    assert "replies/编号/original.pdf" in (site / "data" / "index.html").read_text("utf-8")
    assert broken_links(site) == []


def test_past_the_file_budget_the_oldest_originals_stay_in_the_zip_with_a_note(
        inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    full = tmp_path / "full"
    _build(inputs, full, capsys)
    others = len(tree(full)) - 2  # the two loose originals
    monkeypatch.setattr(originals, "MAX_FILES", others + 1)
    site = tmp_path / "site"
    err = _build(inputs, site, capsys)
    assert len(tree(site)) == others + 1  # the count the budget was checked on is exact
    newest, oldest = (PDF_ID, DOCX_ID) if (site / "replies" / PDF_ID / "original.pdf").exists() \
        else (DOCX_ID, PDF_ID)
    assert [p.name for p in (site / "replies" / oldest).iterdir()] == ["index.html"]
    assert "original." in _page(site, newest) and "original." not in _page(site, oldest)
    assert "原件（" in _page(site, oldest)  # still offered, in the ZIP
    assert {f"{PDF_ID}.pdf", f"{DOCX_ID}.docx"} <= set(_members(site))
    assert "note: PDF/DOCX originals of 1 letters are only in their year's data/letters-" in err
    assert "其余 1 件原件" in (site / "data" / "index.html").read_text("utf-8")
    assert broken_links(site) == []


def test_an_original_over_the_file_size_limit_stays_in_the_zip_with_a_note(
        inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = inputs / "000_f110c3d6d4e6c248.pdf"
    monkeypatch.setattr(originals, "MAX_FILE", pdf.stat().st_size - 1)
    site = tmp_path / "site"
    err = _build(inputs, site, capsys)
    assert not (site / "replies" / PDF_ID / "original.pdf").exists()
    assert (site / "replies" / DOCX_ID / "original.docx").exists()
    assert f"note: replies/{PDF_ID}/: its original is {pdf.stat().st_size:,} bytes, over" in err
    assert _members(site)[f"{PDF_ID}.pdf"][1] == pdf.read_bytes()


def test_a_rebuild_links_unchanged_originals_and_equals_a_clean_build(
        inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    _build(inputs, site, capsys)
    loose = site / "replies" / PDF_ID / "original.pdf"
    before = loose.stat().st_ino
    (inputs / "003_97f765a9b187815b.html").unlink()  # another letter changes
    _build(inputs, site, capsys)
    assert loose.stat().st_ino == before  # linked from the previous site, not written again
    clean = tmp_path / "clean"
    _build(inputs, clean, capsys)
    assert tree(site) == tree(clean)


def test_page_count_is_the_number_of_pages_written(fixture_site: Path, records: list[Reply],
                                                   config: Config) -> None:
    site = prepare(records, config.for_build(fixture_site))
    written = list(fixture_site.rglob("*.html"))
    assert page_count(site.model, site.content) + 1 == len(written)  # and the search page
