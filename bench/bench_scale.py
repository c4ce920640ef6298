"""Scale benchmark: build synthetic archives and time full, no-change and one-change rebuilds.

For each size N it writes N synthetic letters (bench/synth.py) under bench/out/scale-N/, then
runs ``replyarchive build`` as a child process, each time measuring wall and CPU time, the
largest process's peak resident memory (``os.wait4``) and the peak of the memory of the child
and all its workers together (PSS, sampled every 0.2 s from /proc; pages shared by forked
workers count once):

1. full build: empty parse cache, no site;
2. no-change rebuild: same inputs, warm cache;
3. one-letter-changed rebuild: one letter gains a sentence.

It prints a Markdown table (paste it into docs/BENCHMARKS.md, "## Scale") and the same numbers
as JSON on the last line. ``--parse-only`` times just the parse stage (``parse_all``: serial,
on every core, then from a warm cache, duplicates check included), in this process.

``--reuse DIR`` keeps the archive and its built site in DIR between runs (made there the first
time): only the no-change and one-letter rebuilds are timed, each run changing the letter
once more, so a rebuild can be measured again without paying the full build.

After the full build it prints the site's footprint: files, bytes and the largest file, the
search index's share (search/) apart, and whether the site fits each host (``HOSTS``).
``--footprint`` makes only the full build and that table (file counts and bytes do not depend
on the machine's load).

    python bench/bench_scale.py 1000 10000
    python bench/bench_scale.py --footprint 1000 10000
    python bench/bench_scale.py --parse-only 10000
    python bench/bench_scale.py --reuse /tmp/scale-10k 10000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synth import make_archive  # noqa: E402

OUT = HERE / "out"


@dataclass(frozen=True)
class Run:
    """One measured build."""

    letters: int
    kind: str
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    peak_pss_sum_mb: float
    site_mb: float
    site_files: int


def _tree_size(folder: Path) -> tuple[float, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 1e6, len(files)


MIB = 1024 * 1024


@dataclass(frozen=True)
class Host:
    """A static host's limits (None: none documented)."""

    name: str
    files: int | None
    site_bytes: int | None
    file_bytes: int | None


HOSTS = (
    Host("GitHub Pages", None, 1_000_000_000, 100 * MIB),
    Host("Cloudflare Pages (Free)", 20_000, None, 25 * MIB),
    Host("Netlify", None, None, None),
    Host("git push to GitHub", None, None, 100 * MIB),
)
"""GitHub Pages: a published site of at most 1 GB, and a file over 100 MiB is refused by the
push; Cloudflare Pages Free: 20,000 files a deploy, 25 MiB a file; Netlify documents no cap
on files or bytes for a static deploy; a git push to GitHub refuses a file over 100 MiB."""


@dataclass(frozen=True)
class Footprint:
    """What a built site holds, the search index apart."""

    letters: int
    files: int
    bytes: int
    largest: str
    largest_bytes: int
    search_files: int
    search_bytes: int


def footprint(site: Path, letters: int) -> Footprint:
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size
             for p in site.rglob("*") if p.is_file()}
    largest = max(sizes, key=lambda k: (sizes[k], k))
    search = [size for rel, size in sizes.items() if rel.startswith("search/")]
    return Footprint(letters, len(sizes), sum(sizes.values()), largest, sizes[largest],
                     len(search), sum(search))


def _fits(value: int, limit: int | None) -> str:
    return "no limit" if limit is None else ("fits" if value <= limit else "**over**")


def footprint_table(prints: list[Footprint]) -> str:
    lines = ["| letters | files (search/) | MB (search/) | largest file | "
             + " | ".join(h.name for h in HOSTS) + " |",
             "|---:|---:|---:|---|" + "---|" * len(HOSTS)]
    for f in prints:
        verdicts = []
        for host in HOSTS:
            checks = [("files", _fits(f.files, host.files)),
                      ("site", _fits(f.bytes, host.site_bytes)),
                      ("file", _fits(f.largest_bytes, host.file_bytes))]
            over = [name for name, verdict in checks if verdict == "**over**"]
            verdicts.append("fits" if not over else "**over: " + ", ".join(over) + "**")
        lines.append(f"| {f.letters:,} | {f.files:,} ({f.search_files:,}) | "
                     f"{f.bytes / 1e6:,.1f} ({f.search_bytes / 1e6:,.1f}) | "
                     f"{f.largest} ({f.largest_bytes / MIB:.1f} MiB) | " + " | ".join(verdicts)
                     + " |")
    lines.append("")
    lines.append("Without search/: " + "; ".join(
        f"{f.letters:,} letters {f.files - f.search_files:,} files, "
        f"{(f.bytes - f.search_bytes) / 1e6:,.1f} MB" for f in prints) + ".")
    return "\n".join(lines)


def build(work: Path, letters: int, kind: str) -> Run:
    """Run one ``replyarchive build`` in ``work`` and measure it."""
    command = [sys.executable, "-m", "replyarchive", "build", "--input", "letters",
               "--out", "site"]
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    sampler = PssSampler(child.pid)
    sampler.start()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    sampler.stop()
    output = child.stdout.read().decode() if child.stdout else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed ({status}): {output}")
    size, files = _tree_size(work / "site")
    # ru_maxrss: KiB on Linux, for the largest process among the child and its waited children.
    return Run(letters, kind, round(wall, 2), round(usage.ru_utime + usage.ru_stime, 2),
               round(usage.ru_maxrss / 1024, 1), round(sampler.peak_kb / 1024, 1),
               round(size, 1), files)


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                found += [int(c) for c in handle.read().split()]
    except OSError:
        pass
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class PssSampler(threading.Thread):
    """The largest sum of PSS over a process and all its descendants, sampled."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self._done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.2):
            pids, total = [self.pid], 0
            while pids:
                pid = pids.pop()
                total += _pss_kb(pid)
                pids += _children(pid)
            self.peak_kb = max(self.peak_kb, total)

    def stop(self) -> None:
        self._done.set()
        self.join()


def measure(n: int, prints: list[Footprint], reuse: Path | None = None,
            only_footprint: bool = False) -> list[Run]:
    work = reuse if reuse is not None else OUT / f"scale-{n}"
    runs = []
    if reuse is None or not (work / "site").is_dir():
        shutil.rmtree(work, ignore_errors=True)
        make_archive(n, work / "letters")
        runs.append(build(work, n, "full build (cold cache)"))
        prints.append(footprint(work / "site", n))
    if only_footprint:
        return runs
    runs.append(build(work, n, "no-change rebuild"))
    target = sorted((work / "letters").glob("*.txt"))[n // 2]
    with target.open("a", encoding="utf-8") as handle:
        handle.write("\n补充说明：本答复内容已于近期更新。\n")
    runs.append(build(work, n, "one letter changed"))
    return runs


def measure_parse(n: int) -> list[Run]:
    """parse_all on n letters: one process, every core (cold cache), warm cache."""
    import resource

    from replyarchive.incremental.cache import ParseCache
    from replyarchive.pipeline import parse_all

    work = OUT / f"parse-{n}"
    shutil.rmtree(work, ignore_errors=True)
    make_archive(n, work / "letters")
    runs: list[Run] = []
    for kind, workers, cache in (("parse, 1 process", 1, None),
                                 ("parse, every core, cold cache", None, "cold"),
                                 ("parse, warm cache", None, "warm")):
        start, cpu = time.perf_counter(), time.process_time()
        outcome = parse_all([work / "letters"], workers=workers,
                            cache=ParseCache(work / "cache") if cache else None)
        wall = time.perf_counter() - start
        assert len(outcome.replies) == n, outcome.problems[:3]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        runs.append(Run(n, kind, round(wall, 2), round(time.process_time() - cpu, 2),
                        round(peak, 1), 0.0, 0.0, 0))
    return runs


def table(runs: list[Run]) -> str:
    lines = ["| letters | build | wall s | CPU s | largest process MB | all processes MB (PSS) "
             "| site MB | files |",
             "|---:|---|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {r.letters:,} | {r.kind} | {r.wall_s} | {r.cpu_s} | {r.peak_rss_mb} | "
              f"{r.peak_pss_sum_mb} | {r.site_mb} | {r.site_files:,} |" for r in runs]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--parse-only", action="store_true", help="time parse_all only")
    parser.add_argument("--reuse", type=Path, metavar="DIR",
                        help="keep the archive and site in DIR; time only the rebuilds")
    parser.add_argument("--footprint", action="store_true",
                        help="only the full build and the per-host footprint table")
    args = parser.parse_args()
    if args.reuse is not None and len(args.sizes) != 1:
        parser.error("--reuse takes one size")
    runs: list[Run] = []
    prints: list[Footprint] = []
    for n in args.sizes:
        runs += measure_parse(n) if args.parse_only else measure(n, prints, args.reuse,
                                                                 args.footprint)
        print(table(runs), flush=True)
        if prints:
            print(footprint_table(prints), flush=True)
    print(json.dumps([asdict(r) for r in runs] + [asdict(f) for f in prints],
                     ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
