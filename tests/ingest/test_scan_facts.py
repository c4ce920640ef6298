"""Scans read by OCR (the ``ocr`` extra; CI installs it): the facts of each scan within 3
points of field accuracy of those of its .txt, scored as the .txt tests score
(``tests/parse/facts.py``); a scan lying on its side or upside down turned back; OCR run once
and then read from its cache.

``tests/fixtures/scans`` holds the scans of the five seeds and of six of the development set's
letters (one page each; their .txt and facts are in ``tests/fixtures/devset``); the seeds have 7
to 14 pages. The seeds' scans are most of the size (5 MB), but they are the long letters: page
breaks, the seal on the last page. The other 14 scans of the development set would add 31
pages of OCR to every CI run for little: they score as these do (docs/BENCHMARKS.md).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from tests.parse.facts import mismatches

pytest.importorskip("rapidocr_onnxruntime", reason="the ocr extra is not installed")

import replyarchive.ingest.ocr as ocr
from replyarchive.incremental.cache import ParseCache
from replyarchive.incremental.ocr import OcrCache, ocr_scans
from replyarchive.ingest.ocr import OcrRun
from replyarchive.ingest.scan import read_scan
from replyarchive.ingest.sources import decode_input, read_input, read_source
from replyarchive.parse import parse_source
from replyarchive.pipeline import parse_all

ROOT = Path(__file__).resolve().parents[2]
SCANS = ROOT / "tests" / "fixtures" / "scans"
DEVSET = ROOT / "tests" / "fixtures" / "devset"
ONE_PAGE = SCANS / "012_luozhuang_zhifa_proposal.scan.pdf"


def _name(scan: Path) -> str:
    return scan.name.removesuffix(".scan.pdf")


def _text_and_facts(name: str) -> tuple[Path, dict[str, object]]:
    if (DEVSET / "letters" / f"{name}.txt").exists():
        text, facts = DEVSET / "letters" / f"{name}.txt", DEVSET / "expected" / f"{name}.yaml"
    else:
        text = ROOT / "seeds" / f"{name}.txt"
        facts = ROOT / "tests" / "fixtures" / "expected" / f"{name}.yaml"
    return text, yaml.safe_load(facts.read_text("utf-8"))


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> OcrRun:
    """Every fixture scan OCRed once, on every core, into a cache the tests read."""
    inputs = [read_input(scan, SCANS) for scan in sorted(SCANS.glob("*.scan.pdf"))]
    return ocr_scans(inputs, OcrCache(tmp_path_factory.mktemp("ocr")))


def test_each_scan_reads_the_facts_of_the_text_within_3_points(run: OcrRun) -> None:
    scans = sorted(SCANS.glob("*.scan.pdf"))
    assert len(scans) == 11
    total = from_text = from_scan = 0
    for scan in scans:
        text, facts = _text_and_facts(_name(scan))
        source = decode_input(read_input(scan, SCANS), run)
        assert (source.source.reader, source.source.format) == ("ocr", "pdf")
        assert source.source.confidence is not None and source.source.confidence > 0.9
        total += len(facts)
        from_text += len(facts) - len(mismatches(parse_source(read_source(text, text.parent)),
                                                 facts))
        from_scan += len(facts) - len(mismatches(parse_source(source), facts))
    assert 100 * from_scan / total >= 100 * from_text / total - 3


def test_the_seal_over_the_date_is_not_read_as_letter_text(run: OcrRun) -> None:
    seed = SCANS / "004_a0df5861fe71b375.scan.pdf"
    text = decode_input(read_input(seed, SCANS), run).text.split("\n")
    signature = text.index("中山市工业和信息化局", 3)  # the letterhead is line 2
    assert text[signature + 1] == "2022年6月8日"  # nothing of the seal between or around


def _turned(scan: Path, degrees: int) -> bytes:
    """``scan``'s first page as an image-only PDF turned by ``degrees`` counter-clockwise."""
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(scan.read_bytes())[0]
    image = page.render(scale=100 / 72).to_pil().rotate(degrees, expand=True)
    out = io.BytesIO()
    image.convert("RGB").save(out, "PDF", resolution=100)
    return out.getvalue()


@pytest.fixture(scope="module")
def upright() -> str:
    return read_scan(ONE_PAGE.read_bytes(), ONE_PAGE).text


@pytest.mark.parametrize("degrees", [90, 180])
def test_a_scan_lying_turned_is_turned_back_and_reported(upright: str, degrees: int) -> None:
    extracted = read_scan(_turned(ONE_PAGE, degrees), Path("turned.pdf"))
    # turned counter-clockwise by ``degrees``: turned back clockwise by as many
    assert extracted.warnings[0].startswith(f"page 1: the scan lies turned by {degrees}°")
    same = sum(1 for a, b in zip(upright, extracted.text, strict=False) if a == b)
    assert same > 0.9 * len(upright)


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real: Callable[..., ocr.OcrPage] = ocr._read_page

    def counted(*args: object) -> ocr.OcrPage:
        calls.append(1)
        return real(*args)
    monkeypatch.setattr(ocr, "_read_page", counted)
    return calls


def test_a_rebuild_runs_no_ocr_and_a_new_parser_reads_the_cached_pages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    letters = tmp_path / "letters"
    letters.mkdir()
    (letters / ONE_PAGE.name).write_bytes(ONE_PAGE.read_bytes())
    calls = _counting(monkeypatch)
    progress: list[tuple[str, int, int]] = []
    first = parse_all([letters], cache=ParseCache(tmp_path / "cache"), workers=1,
                      progress=lambda *step: progress.append(step))
    assert (len(calls), progress) == (1, [("OCR pages", 1, 1)])
    again = parse_all([letters], cache=ParseCache(tmp_path / "cache"), workers=1)
    new_parser = parse_all([letters], cache=ParseCache(tmp_path / "cache", "another version"),
                           workers=1)
    assert len(calls) == 1
    assert first.replies == again.replies == new_parser.replies
    assert first.replies[0].source.reader == "ocr"
