"""OCR speed and memory: scanned pages per second, peak memory, and a rebuild that runs no OCR.

    .venv/bin/python bench/bench_ocr.py [--workers 2] [--dpi 100] [FOLDER_OR_PDF ...]

Needs the ``ocr`` extra (``pip install -e '.[ocr]'``). OCRs every page of the scans given
(default: tests/fixtures/scans, the five seeds and six development-set letters, 58 pages) as a
build does, ``incremental.ocr.ocr_scans`` on ``--workers`` processes into a fresh cache, and
prints pages/s (wall clock), the CPU seconds of each page (this process and its workers) and
the peak resident memory of this process and of the largest worker. Then it parses the same
files twice through ``pipeline.parse_all`` with a parse cache and counts the pages OCRed:
the first parse (cache warm from the OCR run) and a rebuild with nothing changed must OCR
none. Prints ``uptime`` first and last: the machine may be shared. Not a test: record the
numbers in docs/BENCHMARKS.md, "## OCR".
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANS = ROOT / "tests" / "fixtures" / "scans"


def scans(paths: Sequence[Path]) -> list[Path]:
    """The .pdf files under ``paths`` (folders searched recursively), sorted."""
    out: list[Path] = []
    for path in paths:
        out += sorted(path.rglob("*.pdf")) if path.is_dir() else [path]
    return out


def main(argv: Sequence[str] | None = None) -> int:
    from replyarchive.incremental.cache import ParseCache
    from replyarchive.incremental.ocr import OcrCache, ocr_scans
    from replyarchive.ingest import ocr
    from replyarchive.ingest.ocr import OcrSettings, available, page_count
    from replyarchive.ingest.sources import read_input
    from replyarchive.pipeline import parse_all

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[SCANS], metavar="PATH")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--dpi", type=int, default=OcrSettings().dpi)
    args = parser.parse_args(argv)
    if not available():
        print("the ocr extra is not installed: pip install -e '.[ocr]'", file=sys.stderr)
        return 1
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    files = scans(args.paths)
    inputs = [read_input(file, file.parent) for file in files]
    pages = sum(page_count(item.data) for item in inputs)
    settings = OcrSettings(dpi=args.dpi)
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        start, cpu = time.perf_counter(), _cpu()
        ocr_scans(inputs, OcrCache(cache), workers=args.workers, settings=settings)
        wall, cpu = time.perf_counter() - start, _cpu() - cpu
        print(f"OCR: {len(files)} scans, {pages} pages at {args.dpi} dpi on {args.workers} "
              f"workers in {wall:.1f} s = {pages / wall:.2f} pages/s; CPU {cpu / pages:.2f} s "
              f"a page (this process and its workers)")
        print(f"peak memory: {_peak(resource.RUSAGE_SELF):.0f} MiB this process, "
              f"{_peak(resource.RUSAGE_CHILDREN):.0f} MiB the largest worker")
        calls: list[int] = []
        read_page = ocr._read_page

        def counted(*page: object) -> object:
            calls.append(1)
            return read_page(*page)
        ocr._read_page = counted  # type: ignore[assignment]
        folders = sorted({file.parent for file in files})
        if args.dpi == OcrSettings().dpi:  # the build OCRs with the default settings
            parse_all(folders, cache=ParseCache(cache), workers=args.workers)
            first = len(calls)
            start = time.perf_counter()
            parse_all(folders, cache=ParseCache(cache), workers=args.workers)
            print(f"parse after OCR: {first} pages OCRed again; rebuild with nothing changed: "
                  f"{len(calls) - first} pages OCRed, {time.perf_counter() - start:.2f} s")
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    return 0


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _peak(who: int) -> float:
    """Peak resident set (MiB) of this process, or of its largest finished child."""
    return resource.getrusage(who).ru_maxrss / 1024


if __name__ == "__main__":
    raise SystemExit(main())
