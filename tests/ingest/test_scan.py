"""The scan reader without the models: OCR line boxes laid out as the text-PDF reader lays out
its lines, warnings by page and line, and a clear error when the ``ocr`` extra is missing
(these run whether or not it is installed)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from tests.ingest.hostile_files import image_page, pdf

from replyarchive.errors import SourceError
from replyarchive.ingest.ocr import ENABLE, OcrLine, OcrPage
from replyarchive.ingest.scan import lay_out
from replyarchive.ingest.sources import read_source
from replyarchive.pipeline import parse_all

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
FULL = "这是一行从左边距一直写到右边距的正文文字内容"
"""A line of 22 characters that runs from margin to margin."""


def _piece(text: str, left: float, top: float, right: float | None = None, *,
           tilt: float = 0.0, confidence: float = 0.99, height: float = 18.0) -> OcrLine:
    """A box (points from the page's top left) whose right side sits ``tilt`` lower."""
    right = right if right is not None else left + 16 * len(text)
    return OcrLine(text, confidence, (left, top, right, top + tilt, right, top + tilt + height,
                                      left, top + height))


def _page(*lines: OcrLine) -> OcrPage:
    return OcrPage(595.0, 842.0, 0, lines)


def test_indents_start_paragraphs_and_a_page_break_is_no_boundary() -> None:
    first = _page(_piece("（A类）", 72, 80), _piece(FULL, 104, 200, 520),
                  _piece(FULL, 72, 230, 520), _piece(FULL, 72, 260, 520),
                  _piece("—1—", 280, 800, 320))
    second = _page(_piece("完。", 72, 80, 104), _piece(FULL, 104, 110, 520),
                   _piece("结尾。", 72, 140, 120), _piece("—2—", 280, 800, 320))
    extracted = lay_out([first, second], Path("x.pdf"), 0.8)
    assert extracted.text.split("\n") == ["（A类）", FULL * 3 + "完。", FULL + "结尾。", ""]
    assert [str(p) for p in extracted.positions] == ["page 1, line 1", "page 1, line 2",
                                                     "page 2, line 2"]
    assert (extracted.reader, extracted.pages, extracted.warnings) == ("ocr", 2, ())


def test_a_tilted_scan_is_set_straight_before_margins_are_compared() -> None:
    # 3° of tilt moves the left margin by 35 points (two ems) from the top of the page to the
    # bottom. Set straight, all the flush lines continue the indented one.
    tops = range(100, 790, 30)
    lines = [_piece(FULL, (104 if top == 100 else 72) - 0.052 * top, top, 520 - 0.052 * top,
                    tilt=448 * 0.052) for top in tops]
    extracted = lay_out([_page(*lines)], Path("x.pdf"), 0.8)
    assert extracted.text == FULL * len(tops) + "\n"


def test_a_line_read_with_low_confidence_is_named_by_page_and_line() -> None:
    page = _page(_piece(FULL, 104, 200, 520), _piece("模糊不清", 72, 230, 140, confidence=0.61))
    extracted = lay_out([page], Path("x.pdf"), 0.8)
    assert extracted.warnings == ("page 1, line 2: OCR is unsure of this line (confidence "
                                  "0.61): 「模糊不清」; check it against the original",)
    assert extracted.confidence is not None and 0.9 < extracted.confidence < 0.99


def test_a_page_that_was_turned_is_reported() -> None:
    page = OcrPage(595.0, 842.0, 90, (_piece(FULL, 104, 200, 520),))
    warning, = lay_out([page], Path("x.pdf"), 0.8).warnings
    assert warning.startswith("page 1: the scan lies turned by 90°")


def test_without_the_ocr_extra_a_scan_says_how_to_enable_it_and_the_rest_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # import fails
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(pdf([image_page()]))
    (tmp_path / "letter.txt").write_bytes(next(SEEDS.glob("*.txt")).read_bytes())
    with pytest.raises(SourceError) as info:
        read_source(scan, tmp_path)
    assert str(info.value).startswith(f"{scan}: this PDF is a scan")
    assert ENABLE in str(info.value)
    outcome = parse_all([tmp_path], workers=1)
    assert len(outcome.replies) == 1
    error, = [p for p in outcome.problems if p.severity == "error"]
    assert (error.path, ENABLE in error.message) == (str(scan), True)
