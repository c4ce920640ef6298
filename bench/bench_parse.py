"""Parsing speed: letters per second for decode → normalise → parse → validate.

    .venv/bin/python bench/bench_parse.py [--rounds 20] [--synthetic 500]

Parses the seeds ``--rounds`` times, then (optionally) a synthetic archive of ``--synthetic``
letters made by bench/synth.py, and prints letters/second for each. Not a test: record the
numbers in docs/BENCHMARKS.md, "## Parsing".
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from replyarchive.pipeline import parse_all

ROOT = Path(__file__).resolve().parent.parent


def measure(paths: Sequence[Path], rounds: int) -> tuple[int, float]:
    """Letters parsed and seconds taken over ``rounds`` full runs of ``parse_all``."""
    letters = 0
    start = time.perf_counter()
    for _ in range(rounds):
        outcome = parse_all(paths)
        letters += len(outcome.replies)
        if outcome.failures:
            raise SystemExit(f"{outcome.failures} failures: {outcome.problems[0]}")
    return letters, time.perf_counter() - start


def report(label: str, letters: int, seconds: float) -> None:
    print(f"{label}: {letters} letters in {seconds:.2f} s = {letters / seconds:.0f} letters/s")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="runs over the seeds")
    parser.add_argument("--synthetic", type=int, default=0, help="also parse N synthetic letters")
    args = parser.parse_args(argv)
    parse_all([ROOT / "seeds"])  # warm up imports and caches
    report(f"seeds x{args.rounds}", *measure([ROOT / "seeds"], args.rounds))
    if args.synthetic:
        sys.path.insert(0, str(ROOT / "bench"))
        from synth import make_archive

        with tempfile.TemporaryDirectory() as folder:
            make_archive(args.synthetic, Path(folder))
            report(f"synthetic {args.synthetic}", *measure([Path(folder)], 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
