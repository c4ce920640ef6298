"""The search index stage alone at scale: a full build, then one letter changed (incremental).

    .venv/bin/python bench/bench_index.py LETTERS_FOLDER CACHE_FOLDER [--workers N]

Parses with the parse cache (not timed), then times ``write_index`` into a fresh folder, sampling
the summed PSS (``/proc/<pid>/smaps_rollup``, so pages shared by forked workers count once) of
this process and its children every 0.2 s; then changes one letter (a paragraph of its first
section, as an edit would) and times the incremental ``write_index`` over the first build, and
checks its search/ tree against a clean build of the changed archive. Not a test: record the
numbers in docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from replyarchive.incremental.cache import ParseCache
from replyarchive.incremental.output import Prior, SiteOutput
from replyarchive.index.indexer import write_index
from replyarchive.pipeline import parse_all
from replyarchive.records.model import Reply


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.extend(int(c) for c in handle.read().split())
    except OSError:
        pass
    return found


def tree_pss_kb(root: int) -> int:
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(_children(pid))
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


class Sampler:
    def __init__(self) -> None:
        self.peak = 0
        self.stop = False
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        while not self.stop:
            self.peak = max(self.peak, tree_pss_kb(os.getpid()))
            time.sleep(0.2)

    def __enter__(self) -> Sampler:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop = True
        self.thread.join()


def edited(reply: Reply) -> Reply:
    first = reply.sections[0]
    section = dataclasses.replace(first, paragraphs=(*first.paragraphs, "本段为基准测试新增。"))
    sha = hashlib.sha256(reply.source.sha256.encode()).hexdigest()
    return dataclasses.replace(reply, sections=(section, *reply.sections[1:]),
                               source=dataclasses.replace(reply.source, sha256=sha))


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("letters", type=Path)
    parser.add_argument("cache", type=Path)
    parser.add_argument("--workers", type=int)
    parser.add_argument("--no-check", action="store_true", help="skip the clean rebuild")
    parser.add_argument("--limit", type=int, help="only the first N letter files")
    args = parser.parse_args()
    paths = sorted(args.letters.iterdir())[:args.limit] if args.limit else [args.letters]
    replies = list(parse_all(paths, cache=ParseCache(args.cache)).replies)
    work = Path(tempfile.mkdtemp(prefix="bench-index-"))
    try:
        (work / "first").mkdir()
        first = SiteOutput(work / "first")
        with Sampler() as sampler:
            start = time.perf_counter()
            write_index(replies, first, args.workers)
            full = time.perf_counter() - start
        files = sum(1 for p in (work / "first" / "search").rglob("*") if p.is_file())
        size = sum(p.stat().st_size for p in (work / "first" / "search").rglob("*")
                   if p.is_file())
        print(f"full: {full:.1f} s, peak summed PSS {sampler.peak / 1024:.0f} MB, "
              f"{files} files, {size / 1e6:.0f} MB", flush=True)
        ordered = sorted(replies, key=lambda r: r.id)
        target = ordered[len(ordered) // 2]
        changed = [edited(r) if r is target else r for r in replies]
        (work / "again").mkdir()
        again = SiteOutput(work / "again", Prior(work / "first", dict(first.keys),
                                                 first.saved_state()))
        start = time.perf_counter()
        write_index(changed, again, args.workers)
        print(f"one letter changed: {time.perf_counter() - start:.2f} s, "
              f"{again.reused} files linked", flush=True)
        if not args.no_check:
            (work / "clean").mkdir()
            write_index(changed, SiteOutput(work / "clean"), args.workers)
            same = tree(work / "again" / "search") == tree(work / "clean" / "search")
            print(f"incremental == clean: {same}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
