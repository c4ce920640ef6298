"""Site rendering speed and size: ``site.builder.build_site`` on parsed synthetic archives.

    .venv/bin/python bench/bench_site.py [--sizes 100 1000]

For each size, makes a synthetic archive with bench/synth.py, parses it once (not timed), then
times one render without the search index (pages, charts, data files, feed, sitemap, atomic
swap) and one with it (what `replyarchive build` does), with the output's file count and size.
Not a test: record the numbers in docs/BENCHMARKS.md, "## Site".
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from replyarchive.config import Config
from replyarchive.pipeline import parse_all
from replyarchive.site import builder

ROOT = Path(__file__).resolve().parent.parent


def folder_size(folder: Path) -> tuple[int, int]:
    """(files, bytes) under ``folder``."""
    sizes = [p.stat().st_size for p in folder.rglob("*") if p.is_file()]
    return len(sizes), sum(sizes)


def measure(size: int, work: Path) -> str:
    sys.path.insert(0, str(ROOT / "bench"))
    from synth import make_archive

    letters = work / f"letters-{size}"
    make_archive(size, letters)
    replies = parse_all([letters]).replies
    lines = []
    for with_search in (False, True):
        indexer = builder.write_index
        if not with_search:  # the render stage alone: skip the search index
            builder.write_index = lambda replies, out: None
        out = work / f"site-{size}-{with_search}"
        start = time.perf_counter()
        report = builder.build_site(replies, out, Config(), sources={})
        seconds = time.perf_counter() - start
        builder.write_index = indexer
        files, total = folder_size(out)
        label = "with search index" if with_search else "pages and data only"
        lines.append(f"{len(replies)} letters, {label}: {seconds:.1f} s, {report.pages} pages, "
                     f"{files} files, {total / 1e6:.1f} MB")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            print(measure(size, Path(folder)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
