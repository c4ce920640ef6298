"""Discovery tells a file's format by its bytes and names every file it skips, with why."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from replyarchive.cli import main
from replyarchive.ingest.formats import sniff
from replyarchive.ingest.sources import discover, discover_all, read_source
from replyarchive.records.validate import validate_record

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_f110c3d6d4e6c248.txt"


def _docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return path


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("a.pdf", b"%PDF-1.7\n", "pdf"),
    ("a.txt", b"%PDF-1.4\n", "pdf"),
    ("a.pdf", b"\xef\xbb\xbf  <!-- saved -->\n<!DOCTYPE html><html>", "html"),
    ("a.html", b"<html lang=zh>", "html"),
    ("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "doc"),
    ("a.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "doc"),
    ("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", None),
    ("a.txt", "中山市".encode(), "text"),
    ("a.txt", b"<AI+\xe5\x8c\xbb> not a page", "text"),
    ("a.md", b"# notes", None),
    ("a.png", b"\x89PNG\r\n\x1a\n", None),
])
def test_the_bytes_tell_the_format(tmp_path: Path, name: str, data: bytes,
                                   kind: str | None) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert sniff(path, data) == kind


def test_a_zip_is_word_only_with_its_document(tmp_path: Path) -> None:
    docx = _docx(tmp_path / "letter.zip")
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("a.txt", "x")
    assert sniff(docx, docx.read_bytes()) == "docx"
    assert sniff(other, other.read_bytes()) is None


def test_every_file_not_taken_is_skipped_with_why(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x", "utf-8")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.7\n")
    (tmp_path / "c.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "notes.md").write_text("# notes", "utf-8")
    (tmp_path / "d.bin").write_bytes(b"%PDF-1.7\n")
    (tmp_path / ".hidden").write_text("x", "utf-8")
    assert [f.name for f, _ in discover([tmp_path])] == ["a.txt", "b.pdf", "d.bin"]
    found = {s.path.name: s.message for s in discover_all([tmp_path]).skipped}
    assert list(found) == ["c.png", "notes.md"]
    assert found["c.png"].startswith("skipped: an image, not a letter format")
    assert found["notes.md"].startswith("skipped: not named as a letter (.txt)")


def test_a_folders_readme_note_is_neither_read_nor_reported(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x", "utf-8")
    (tmp_path / "README.md").write_text("# 来函放在这里", "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "ReadMe").write_text("notes", "utf-8")
    (tmp_path / "sub" / "README.pdf").write_bytes(b"%PDF-1.7\n")  # named as a letter: read
    discovery = discover_all([tmp_path])
    assert [f.name for f, _, _ in discovery.found] == ["a.txt", "README.pdf"]
    assert discovery.skipped == ()


def test_a_pdf_that_is_really_a_page_is_read_as_html(tmp_path: Path) -> None:
    text = SEED.read_text("utf-8")
    paragraphs = "".join(f"<p>{line}</p>\n" for line in text.splitlines())
    page = tmp_path / "letter.pdf"
    page.write_text(f"<!DOCTYPE html>\n<html><body><div>{paragraphs}</div></body></html>",
                    "utf-8")
    src = read_source(page, tmp_path)
    assert (src.source.format, src.source.reader, src.source.encoding) == ("html", "html",
                                                                           "utf-8")
    assert src.source.to_dict()["format"] == "html"


def test_plain_text_records_keep_their_old_source_fields(tmp_path: Path) -> None:
    src = read_source(SEED, SEED.parent)
    assert list(src.source.to_dict()) == ["path", "sha256", "encoding"]


def test_source_facts_validate_and_are_optional() -> None:
    from replyarchive.parse import parse_source

    record = parse_source(read_source(SEED, SEED.parent)).to_dict()
    assert validate_record(record) == []
    record["source"] |= {"format": "pdf", "reader": "pdf-text", "pages": 3}
    assert validate_record(record) == []
    record["source"]["format"] = "odt"
    assert validate_record(record) != []


def test_build_counts_skipped_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert main(["build", "--input", str(folder), "--out", str(tmp_path / "site")]) == 0
    captured = capsys.readouterr()
    assert f"{folder / 'photo.png'}: skipped: an image" in captured.err
    assert captured.out.rstrip().endswith("; 1 inputs skipped")
