"""Nothing from a letter can inject markup into a page or write outside the output folder."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests.support import hostile

from replyarchive.config import Config
from replyarchive.errors import BuildError
from replyarchive.folders import STAMP
from replyarchive.incremental.swap import spare
from replyarchive.pipeline import build_site, parse_all

SAFE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
INJECTED = (
    "<script>alert",
    "<img src=x",
    "<svg onload",
    "<iframe",
    "<style>body",
    "<b>张三",
    "</title><script",
    "]]></feed>",
)
MARKUP_SUFFIXES = {".html", ".xml"}


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() or p.is_symlink()}


def _build(letters: Path, out: Path) -> None:
    outcome = parse_all([letters])
    assert outcome.replies, [str(p) for p in outcome.problems]
    build_site(outcome.replies, out, Config())


def _assert_inside(root: Path, out: Path, before: set[Path]) -> None:
    """Every new file is inside out/ (nothing written beside or above it), but for the build's
    spare beside it, whose files are each a hard link to out/'s file at the same path."""
    new = _files(root) - before
    assert new
    site, copy = out.resolve(), spare(out).resolve()
    outside = [p for p in new if not p.resolve().is_relative_to(site)]
    for path in [p for p in outside if p.resolve().is_relative_to(copy)]:
        twin = site / path.resolve().relative_to(copy)
        if twin.name != STAMP:
            assert twin.is_file() and twin.stat().st_ino == path.stat().st_ino, path
            outside.remove(path)
    assert [p for p in outside if p.name != STAMP or p.parent.resolve() != copy] == []


def test_markup_in_every_field_is_escaped_everywhere(tmp_path: Path) -> None:
    letters = tmp_path / "in"
    letters.mkdir()
    (letters / "x.txt").write_bytes((hostile.HOSTILE / "script_injection.txt").read_bytes())
    out = tmp_path / "work" / "site"
    before = _files(tmp_path)
    _build(letters, out)
    _assert_inside(tmp_path, out, before)
    for page in out.rglob("*"):
        if page.suffix in MARKUP_SUFFIXES:
            text = page.read_text(encoding="utf-8")
            found = [s for s in INJECTED if s in text]
            assert not found, f"{page.relative_to(out)} holds unescaped {found}"
            assert not re.search(r"""(?:href|src)\s*=\s*["']?\s*javascript:""", text, re.I)
    data = json.loads((out / "data" / "replies.json").read_text(encoding="utf-8"))
    dumped = json.dumps(data, ensure_ascii=False)
    assert "<script>alert('proposal')</script>" in dumped  # kept as text, not lost
    letter = next((out / "replies").glob("*/index.html")).read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in letter  # template syntax in a letter is text, never evaluated


MALICIOUS_DOC_NUMBERS = [
    "../../etc〔2025〕1号",
    "..\\..\\etc〔2025〕2号",
    "/etc/passwd〔2025〕3号",
    "%2e%2e%2f〔2025〕4号",
    "~root〔2025〕5号",
    "ＡＢ／．．〔2025〕6号",
    "江卫函〔2025〕../7号",
    "江卫函〔../..〕8号",
]


@pytest.mark.parametrize("doc_number", MALICIOUS_DOC_NUMBERS)
def test_document_numbers_never_make_paths(tmp_path: Path, doc_number: str) -> None:
    text = (hostile.HOSTILE / "brackets_lenticular.txt").read_text(encoding="utf-8")
    text = text.replace("江卫函【2024】31号", doc_number)
    letters = tmp_path / "in"
    letters.mkdir()
    (letters / "x.txt").write_text(text, encoding="utf-8")
    outcome = parse_all([letters])
    assert [bool(SAFE_ID.match(r.id)) for r in outcome.replies] == [True]
    out = tmp_path / "a" / "b" / "site"
    before = _files(tmp_path)
    build_site(outcome.replies, out, Config())
    _assert_inside(tmp_path, out, before)


def test_names_that_look_like_paths_stay_in_their_folder(tmp_path: Path) -> None:
    text = (hostile.HOSTILE / "brackets_lenticular.txt").read_text(encoding="utf-8")
    text = text.replace("孙丽华、赵建国代表", "..、/、../../tmp/x、.、~代表")
    text = text.replace("江华市卫生健康局\n", "../../../江华市卫生健康局\n")
    letters = tmp_path / "in"
    letters.mkdir()
    (letters / "x.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "a" / "site"
    before = _files(tmp_path)
    _build(letters, out)
    _assert_inside(tmp_path, out, before)
    for folder in out.rglob("*"):
        assert folder.name not in ("", ".", "..")
        assert re.fullmatch(r"[A-Za-z0-9._-]+", folder.name), folder


def test_a_record_with_an_unsafe_id_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    import dataclasses

    outcome = parse_all([hostile.HOSTILE / "brackets_lenticular.txt"])
    evil = dataclasses.replace(outcome.replies[0], id="../../evil")
    out = tmp_path / "site"
    with pytest.raises(BuildError, match="not a safe URL slug"):
        build_site([evil], out, Config())
    assert _files(tmp_path) == set()


def test_spreadsheet_formulas_in_a_letter_stay_text_in_the_csv(tmp_path: Path) -> None:
    import csv

    text = (hostile.HOSTILE / "brackets_lenticular.txt").read_text(encoding="utf-8")
    text = text.replace(
        "《关于加强基层医疗卫生服务能力建设的建议》", '《=HYPERLINK("http://x","y")》'
    )
    text = text.replace("孙丽华、赵建国代表", "@SUM(A1)、+cmd代表")
    letters = tmp_path / "in"
    letters.mkdir()
    (letters / "x.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "site"
    _build(letters, out)
    rows = list(
        csv.reader((out / "data" / "replies.csv").read_text(encoding="utf-8-sig").splitlines())
    )
    cells = [cell for row in rows[1:] for cell in row]
    assert any("HYPERLINK" in cell for cell in cells)
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
