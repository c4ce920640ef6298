"""Parsing speed: letters per second for decode → normalise → parse → validate.

    .venv/bin/python bench/bench_parse.py [--rounds 20] [--synthetic 500]

Parses the seeds ``--rounds`` times, then (optionally) a synthetic archive of ``--synthetic``
letters made by bench/synth.py, and prints letters/second for each, twice: the parse stage
alone (decode, normalise, parse, validate; one process) and ``pipeline.parse_all`` as the CLI
runs it (worker processes, duplicate detection, id clashes). Not a test: record the numbers in
docs/BENCHMARKS.md, "## Parsing".
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from replyarchive.ingest.sources import discover, read_source
from replyarchive.parse import parse_source
from replyarchive.pipeline import parse_all
from replyarchive.records.validate import validate_record

ROOT = Path(__file__).resolve().parent.parent


def measure(paths: Sequence[Path], rounds: int) -> tuple[int, float, float]:
    """Letters parsed, wall seconds and CPU seconds (this process) over ``rounds`` runs of
    ``parse_all``."""
    letters = 0
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        outcome = parse_all(paths)
        letters += len(outcome.replies)
        if outcome.failures:
            raise SystemExit(f"{outcome.failures} failures: {outcome.problems[0]}")
    return letters, time.perf_counter() - start, time.process_time() - cpu


def measure_stage(paths: Sequence[Path], rounds: int) -> tuple[int, float, float]:
    """Letters, wall and CPU seconds for decode → parse → validate alone, one process."""
    inputs = [pair for path in paths for pair in discover([path])]
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        for file, root in inputs:
            reply = parse_source(read_source(file, root))
            if validate_record(reply.to_dict()):
                raise SystemExit(f"{file}: invalid record")
    return len(inputs) * rounds, time.perf_counter() - start, time.process_time() - cpu


def report(label: str, letters: int, seconds: float, cpu: float) -> None:
    """Wall-clock rate, and the CPU seconds of this process (worker processes not counted);
    on a shared machine the CPU figure is the steadier one."""
    print(f"{label}: {letters} letters in {seconds:.2f} s = {letters / seconds:.0f} letters/s "
          f"(CPU {cpu:.2f} s in this process)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="runs over the seeds")
    parser.add_argument("--synthetic", type=int, default=0, help="also parse N synthetic letters")
    args = parser.parse_args(argv)
    parse_all([ROOT / "seeds"])  # warm up imports and caches
    seeds = [ROOT / "seeds"]
    report(f"parse stage, seeds x{args.rounds}", *measure_stage(seeds, args.rounds))
    report(f"parse_all, seeds x{args.rounds}", *measure(seeds, args.rounds))
    if args.synthetic:
        sys.path.insert(0, str(ROOT / "bench"))
        from synth import make_archive

        with tempfile.TemporaryDirectory() as folder:
            make_archive(args.synthetic, Path(folder))
            synthetic = [Path(folder)]
            report(f"parse stage, synthetic {args.synthetic}", *measure_stage(synthetic, 1))
            report(f"parse_all, synthetic {args.synthetic}", *measure(synthetic, 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
