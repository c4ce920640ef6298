"""Reading speed of each published format: letters per second for .txt, text PDF, DOCX, web page.

    .venv/bin/python bench/bench_formats.py [--rounds 5] [--formats pdf,docx]

Reads the 25 letters of the seeds and the development set as published
(tests/fixtures/formats, tests/fixtures/devset/formats; the .txt from seeds/ and
tests/fixtures/devset/letters) ``--rounds`` times in one process and prints, per format,
letters/second for the reader alone (bytes → text, ``ingest.sources.decode_input``) and for
read → normalise → parse. Wall and CPU seconds are both given: on a shared machine the CPU
figure is the steadier one. Not a test: record the numbers in docs/BENCHMARKS.md,
"## Formats" (issue 11's target: text PDFs ≥ 20 letters/s).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path

from replyarchive.ingest.sources import InputFile, decode_input, read_input
from replyarchive.parse import parse_source

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
FOLDERS = {"txt": [ROOT / "seeds", FIXTURES / "devset" / "letters"],
           "pdf": [FIXTURES / "formats", FIXTURES / "devset" / "formats"]}
FOLDERS["docx"] = FOLDERS["html"] = FOLDERS["pdf"]


def inputs(kind: str) -> list[InputFile]:
    """The letters of one format, read into memory once (the disk is not what is measured)."""
    return [read_input(file, folder) for folder in FOLDERS[kind]
            for file in sorted(folder.glob(f"*.{kind}"))]


def measure(files: Sequence[InputFile], rounds: int, parse: bool) -> tuple[int, float, float]:
    """Letters, wall seconds and CPU seconds for ``rounds`` runs over ``files``."""
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        for item in files:
            src = decode_input(item)
            if parse:
                parse_source(src)
    return len(files) * rounds, time.perf_counter() - start, time.process_time() - cpu


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="runs over the 25 letters")
    parser.add_argument("--formats", default="txt,pdf,docx,html",
                        help="comma-separated formats to measure")
    args = parser.parse_args(argv)
    for kind in args.formats.split(","):
        files = inputs(kind)
        measure(files[:2], 1, parse=True)  # warm up the imports
        for label, parse in (("read", False), ("read+parse", True)):
            letters, wall, cpu = measure(files, args.rounds, parse)
            print(f"{kind:>4} {label:>10}: {letters} letters in {wall:.2f} s = "
                  f"{letters / wall:.1f} letters/s (CPU {cpu:.2f} s = "
                  f"{letters / cpu:.1f} letters/CPU-s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
