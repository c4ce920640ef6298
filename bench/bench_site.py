"""Site rendering speed and size: ``pipeline.build_site`` on parsed synthetic archives.

    .venv/bin/python bench/bench_site.py [--sizes 100 1000] [--letters DIR [--cache DIR]
        [--records FILE.pickle]] [--search]

For each size, makes a synthetic archive with bench/synth.py (or reads ``--letters``, with a
parse cache when ``--cache`` is given), parses it once (not timed), then times the render stage
without the search index (pages, charts, data files, feed, sitemap, atomic swap):

- a full render in one process, then on every core (``site.parallel``);
- a rebuild with nothing changed, and one with one letter changed, each given the previous
  build as its ``Prior`` (files linked by key);
- with ``--search``, a full build with the search index too (what `replyarchive build` does).

The names' pinyin (browse pages' addresses) is read once before the clock starts and given to
every build, as `replyarchive build` keeps it in its cache folder (incremental/pinyin.py).

Not a test: record the numbers in docs/BENCHMARKS.md, "## Site".
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import pickle
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from replyarchive import pipeline
from replyarchive.config import Config
from replyarchive.incremental import parallel, swap
from replyarchive.incremental.cache import ParseCache
from replyarchive.incremental.output import Prior
from replyarchive.index import indexer
from replyarchive.ingest.files import InputFiles, originals
from replyarchive.pipeline import parse_all
from replyarchive.records.model import Reply
from replyarchive.render import builder
from replyarchive.render.model import SiteModel
from replyarchive.vocab.pinyin import Pinyin

ROOT = Path(__file__).resolve().parent.parent


def folder_size(folder: Path) -> tuple[int, int]:
    """(files, bytes) under ``folder``."""
    sizes = [p.stat().st_size for p in folder.rglob("*") if p.is_file()]
    return len(sizes), sum(sizes)


def changed(reply: Reply) -> Reply:
    """The same letter with one more sentence in its first paragraph and so another source
    digest, as if its file had been edited and parsed again."""
    first = next((s for s in reply.all_sections() if s.paragraphs), None)
    source = dataclasses.replace(reply.source, sha256="0" * 64)
    if first is None:
        return dataclasses.replace(reply, title=(reply.title or "") + "（修订）", source=source)
    sections = [_edit(s, first.id) for s in reply.sections]
    return dataclasses.replace(reply, sections=tuple(sections), source=source)


def _edit(section: Any, target: str) -> Any:
    if section.id == target:
        paragraphs = (section.paragraphs[0] + "另补充一句。", *section.paragraphs[1:])
        return dataclasses.replace(section, paragraphs=paragraphs)
    return dataclasses.replace(section, children=tuple(_edit(c, target) for c in section.children))


def timed(label: str, replies: Sequence[Reply], out: Path, sources: dict[str, Path],
          names: Pinyin, prior: builder.BuildReport | None = None
          ) -> tuple[str, builder.BuildReport]:
    given = None if prior is None else Prior(prior.out, prior.keys, prior.state)
    finish = swap.finish
    spent: list[float] = []

    def timed_finish(*args: Any) -> int:
        spent.append(time.perf_counter() - start)  # everything before the swap: the render
        return finish(*args)

    swap.finish = timed_finish  # build_site imports the stages when it runs
    start = time.perf_counter()
    cpu = os.times()
    try:
        report = pipeline.build_site(replies, out, Config(), sources=sources, prior=given,
                                     pinyin=names)
    finally:
        swap.finish = finish
    seconds = time.perf_counter() - start
    after = os.times()
    used = (after.user + after.system + after.children_user + after.children_system
            - cpu.user - cpu.system - cpu.children_user - cpu.children_system)
    files, total = folder_size(out)
    line = (f"{len(replies)} letters, {label}: render_site {spent[0]:.1f} s, build_site "
            f"{seconds:.1f} s wall (swap and clean-up included), {used:.1f} s CPU, "
            f"{report.pages} pages, {files} files, {total / 1e6:.1f} MB, "
            f"{report.reused} reused")
    return line, report


def load(size: int, work: Path, letters: Path | None, cache: Path | None,
         records: Path | None = None) -> tuple[list[Reply], dict[str, Path]]:
    if records is not None and records.is_file():  # parsed before: seconds instead of minutes
        with records.open("rb") as handle:
            replies, sources = pickle.load(handle)
        return replies[:size], {r.id: sources[r.id] for r in replies[:size] if r.id in sources}
    if letters is None:
        sys.path.insert(0, str(ROOT / "bench"))
        from synth import make_archive

        letters = work / f"letters-{size}"
        make_archive(size, letters)
    outcome = parse_all([letters], cache=ParseCache(cache) if cache else None)
    replies = list(outcome.replies)
    sources = originals([letters], replies, InputFiles())
    if records is not None:
        with records.open("wb") as handle:
            pickle.dump((replies, sources), handle, protocol=pickle.HIGHEST_PROTOCOL)
    return replies[:size], {r.id: sources[r.id] for r in replies[:size] if r.id in sources}


def measure(size: int, work: Path, args: argparse.Namespace) -> None:
    replies, sources = load(size, work, args.letters, args.cache, args.records)
    names = Pinyin()
    SiteModel.from_replies(replies, names)  # every name read, as a build's cache holds them
    real = indexer.write_index
    indexer.write_index = lambda replies, out: None  # type: ignore[assignment]
    try:
        for workers in args.workers:
            parallel.WORKERS = workers or None
            label = "full render, 1 process" if workers == 1 else \
                f"full render, {os.cpu_count()} processes"
            line, report = timed(label, replies, work / f"site-{size}-{workers}", sources,
                                 names)
            print(line, flush=True)
        out = work / f"site-{size}-{workers}"
        line, report = timed("no change, incremental", replies, out, sources, names, report)
        print(line, flush=True)
        one = len(replies) // 2
        edited = [*replies[:one], changed(replies[one]), *replies[one + 1:]]
        line, report = timed("one letter changed, incremental", edited, out, sources, names,
                             report)
        print(line, flush=True)
    finally:
        indexer.write_index = real
        parallel.WORKERS = None
    if args.search:
        line, _ = timed("full build with search index", replies, work / f"s-{size}", sources,
                        names)
        print(line, flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: this process {peak:.0f} MB, largest worker {worker:.0f} MB", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--letters", type=Path, help="letters to read instead of synthesising")
    parser.add_argument("--cache", type=Path, help="parse cache folder for --letters")
    parser.add_argument("--search", action="store_true", help="also time a build with search")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 0],
                        help="full renders with these numbers of processes (0: every core); "
                             "the rebuilds follow the last one")
    parser.add_argument("--records", type=Path,
                        help="pickle of the parsed --letters: read if present, else written")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            measure(size, Path(folder), args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
