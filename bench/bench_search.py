"""Search at scale, ours beside Pagefind, in headless Chromium, with every target of issue 13.

    .venv/bin/python bench/bench_search.py --sizes 1000 5000 10000 \
        [--letters DIR] [--cache DIR] [--keep DIR] [--check]

The seeds' site first (quality: precision@5 and recall@10 over tests/fixtures/queries.yaml,
whose answers are known), then for each size N the first N letters of a synthetic archive
(bench/synth.py, written into --letters once, as many as the largest size; parsed with the
parse cache --cache, not timed), built as ``replyarchive build`` does; then each index timed on
its own: ours (``index.indexer.write_index`` into a fresh folder) and Pagefind (the npm package
pinned in package.json, ``node_modules/.bin/pagefind``, over the same letter pages). Then ours
is updated incrementally over that build: one letter's text changed, one letter removed, and
that letter added back (which must give the first build's bytes; ``--check`` also compares the
changed build with a clean build of it). In Chromium, for every query of queries.yaml and the
most common terms (企业, 建议, 发展) on a cold cache: the bytes fetched from opening the search
page to the results on screen (each file counted gzip-compressed, level 6, or as stored when
smaller), the time from pressing Enter to the results, and the time for the same query again
once its files are loaded (the "≤ 100 ms" target). ``uptime`` is printed before and after each
size. Not a test: record the numbers in docs/BENCHMARKS.md, "## Search".
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from replyarchive import pipeline
from replyarchive.config import Config
from replyarchive.incremental.cache import ParseCache
from replyarchive.incremental.output import Prior, SiteOutput
from replyarchive.index import indexer
from replyarchive.index.indexer import write_index
from replyarchive.pipeline import parse_all
from replyarchive.records.model import Reply

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_index import edited  # a sibling script, not a package

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "tests" / "fixtures" / "queries.yaml"
COMMON = ["企业", "建议", "发展"]
"""The most common terms of the archive: the heaviest single-term searches."""
PAGEFIND = ROOT / "node_modules" / ".bin" / "pagefind"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PAGEFIND_PAGE = """<!doctype html><meta charset="utf-8"><title>pagefind bench</title>
<script type="module">
window.pfRun = async (q) => {
  const started = performance.now();
  const pf = await import("./pagefind/pagefind.js");
  const found = await pf.search(q);
  const data = await Promise.all(found.results.slice(0, 5).map((r) => r.data()));
  const links = data.flatMap((d) => d.sub_results.map((s) => s.url));
  return { ms: performance.now() - started, links: links.slice(0, 10),
    total: found.results.length };
};
window.pfReady = true;
</script>"""


def gzip_size(path: Path) -> int:
    raw = path.read_bytes()
    return min(len(raw), len(gzip.compress(raw, 6)))


def folder_size(folder: Path) -> tuple[int, int, int]:
    """(files, bytes on disk, bytes gzip) under ``folder``."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files), sum(gzip_size(p) for p in files)


class Server:
    """A loopback static server that remembers which files were requested."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.requested: list[str] = []
        log = self.requested

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                log.append(unquote(urlsplit(self.path).path))

        handler = functools.partial(Handler, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def bytes_since(self, start: int) -> int:
        total = 0
        for path in self.requested[start:]:
            file = self.folder / path.lstrip("/")
            if file.is_dir():
                file = file / "index.html"
            if file.is_file():
                total += gzip_size(file)
        return total


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def ours(browser: Any, server: Server, query: str) -> dict[str, Any]:
    """Cold cache: open the search page, type, Enter; bytes, ms, then ms again (warm)."""
    context = browser.new_context()
    page = context.new_page()
    start = len(server.requested)
    page.goto(server.url + "search/index.html")
    page.wait_for_selector("[data-search-app][data-search-state=done]")
    page.fill("#search-q", query)
    page.press("#search-q", "Enter")
    page.wait_for_selector("[data-search-app][data-search-state=done]")
    first = page.evaluate("window.RASearchTiming")
    sent = server.bytes_since(start)
    page.press("#search-q", "Enter")
    page.wait_for_selector("[data-search-app][data-search-state=done]")
    again = page.evaluate("window.RASearchTiming")
    links = page.locator("[data-search-results] a").evaluate_all("a => a.map(x => x.href)")
    context.close()
    return {"bytes": sent, "ms": first["ms"], "warm_ms": again["ms"], "links": links[:10]}


def pagefind(browser: Any, server: Server, query: str) -> dict[str, Any]:
    context = browser.new_context()
    page = context.new_page()
    start = len(server.requested)
    page.goto(server.url + "pf-bench.html")
    page.wait_for_function("window.pfReady === true")
    first = page.evaluate("q => window.pfRun(q)", query)
    sent = server.bytes_since(start)
    again = page.evaluate("q => window.pfRun(q)", query)
    context.close()
    return {"bytes": sent, "ms": first["ms"], "warm_ms": again["ms"], "links": first["links"]}


def link_ref(url: str) -> str:
    """…/replies/<id>/index.html#s1-2(-h) → <id>#s1-2 (a heading id ends in -h)."""
    parts = urlsplit(url)
    letter = parts.path.split("/replies/", 1)[1].split("/", 1)[0]
    fragment = unquote(parts.fragment).removesuffix("-h")
    return f"{letter}#{fragment}" if fragment else letter


def covers(ref: str, expected: str) -> bool:
    return ref == expected or ref.startswith(expected + "-")


def quality(cases: Sequence[dict[str, Any]], links: Sequence[Sequence[str]]) -> dict[str, float]:
    """Mean precision@5 and recall@10 over the cases, from each case's links in order."""
    precision, recall = [], []
    for case, found in zip(cases, links, strict=True):
        refs = [link_ref(u) for u in found]
        top = refs[:5]
        relevant = [r for r in top if any(covers(r, e) for e in case["expect"])]
        precision.append(len(relevant) / len(top) if top else 0.0)
        hit = [e for e in case["expect"] if any(covers(r, e) for r in refs[:10])]
        recall.append(len(hit) / len(case["expect"]))
    return {"precision": statistics.mean(precision), "recall": statistics.mean(recall)}


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def updates(replies: Sequence[Reply], scratch: Path, check: bool) -> dict[str, Any]:
    """Full build, then change / remove / add back one letter, each incremental over the
    previous build: seconds, and whether each equals a clean build."""
    ordered = sorted(replies, key=lambda r: r.id)
    target = ordered[len(ordered) // 2]
    steps = [("change", [edited(r) if r is target else r for r in ordered], "full"),
             ("remove", [r for r in ordered if r is not target], "full"),
             ("add", ordered, "remove")]
    out: dict[str, Any] = {}
    (scratch / "full").mkdir()
    full = SiteOutput(scratch / "full")
    out["full_s"] = timed(lambda: write_index(ordered, full))
    outputs = {"full": full}
    for name, after, over in steps:
        base = outputs[over]
        prior = Prior(base.root, dict(base.keys), base.saved_state())
        (scratch / name).mkdir()
        made = outputs[name] = SiteOutput(scratch / name, prior)
        out[f"{name}_s"] = timed(lambda a=after, m=made: write_index(a, m))  # type: ignore[misc]
    out["add_same"] = tree(scratch / "add" / "search") == tree(scratch / "full" / "search")
    if check:
        (scratch / "clean").mkdir()
        write_index(steps[0][1], SiteOutput(scratch / "clean"))
        out["change_same"] = (tree(scratch / "change" / "search")
                              == tree(scratch / "clean" / "search"))
    return out


def build_both(replies: Sequence[Reply], out: Path, check: bool) -> dict[str, Any]:
    """The whole site but its index, then each index timed on its own (ours copied into the
    site's search/ beside the search page)."""
    real = indexer.write_index  # build_site imports it when it runs
    indexer.write_index = lambda *args, **kwargs: None  # type: ignore[assignment]
    try:
        pipeline.build_site(replies, out, Config(), sources={})
    finally:
        indexer.write_index = real
    with tempfile.TemporaryDirectory() as scratch:
        timing = updates(replies, Path(scratch), check)
        shutil.copytree(Path(scratch) / "full" / "search", out / "search", dirs_exist_ok=True)
    command = [str(PAGEFIND), "--site", str(out), "--glob", "replies/*/index.html",
               "--output-subdir", "pagefind", "--silent"]
    pf_s = timed(lambda: subprocess.run(command, check=True))
    (out / "pf-bench.html").write_text(PAGEFIND_PAGE, encoding="utf-8")
    return {**timing, "ours_build": timing["full_s"], "pf_build": pf_s,
            "ours_size": folder_size(out / "search"), "pf_size": folder_size(out / "pagefind")}


def measure(out: Path, replies: Sequence[Reply], cases: Sequence[dict[str, Any]],
            browser: Any, check: bool) -> dict[str, Any]:
    result = build_both(replies, out, check)
    server = Server(out)
    try:
        result["ours"] = [ours(browser, server, c["q"]) for c in cases]
        result["pf"] = [pagefind(browser, server, c["q"]) for c in cases]
    finally:
        server.httpd.shutdown()
    return result


def summary(runs: Sequence[dict[str, Any]], key: str) -> str:
    values = [run[key] for run in runs]
    if key == "bytes":
        return (f"{statistics.median(values) / 1024:.0f} KB "
                f"(max {max(values) / 1024:.0f})")
    return f"{statistics.median(values):.0f} ms (max {max(values):.0f})"


def report_size(name: str, result: dict[str, Any]) -> list[str]:
    rows = []
    for label, prefix in (("ours", "ours"), ("Pagefind 1.6.0", "pf")):
        files, raw, packed = result[f"{prefix}_size"]
        update = ("—" if prefix == "pf" else
                  f"{result['change_s']:.1f} / {result['remove_s']:.1f} / "
                  f"{result['add_s']:.1f} s")
        rows.append(
            f"| {name} | {label} | {raw / 1e6:.1f} MB ({packed / 1e6:.1f} gz), {files:,} | "
            f"{summary(result[prefix], 'bytes')} | {summary(result[prefix], 'ms')} | "
            f"{summary(result[prefix], 'warm_ms')} | {result[prefix + '_build']:.1f} s | "
            f"{update} |")
    return rows


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def archive(letters: Path, largest: int) -> list[Path]:
    """The letter files of the synthetic archive, made once (the first N of it are the
    N-letter archive)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from synth import make_archive

    files = sorted(letters.glob("*.txt")) if letters.is_dir() else []
    if len(files) < largest:
        make_archive(largest, letters)
        files = sorted(letters.glob("*.txt"))
    return files


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 5000, 10000])
    parser.add_argument("--letters", type=Path, help="synthetic letters (made if missing)")
    parser.add_argument("--cache", type=Path, help="parse cache folder (kept between runs)")
    parser.add_argument("--keep", type=Path, help="keep the built sites in this folder")
    parser.add_argument("--check", action="store_true",
                        help="also compare the changed index with a clean build of it")
    args = parser.parse_args(argv)
    cases: list[dict[str, Any]] = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    queries = [*cases, *({"q": q, "expect": []} for q in COMMON)]
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-search-"))
    work.mkdir(parents=True, exist_ok=True)
    letters = args.letters or work / "letters"
    cache = ParseCache(args.cache or work / "cache")
    files = archive(letters, max(args.sizes, default=0))
    print("| archive | engine | index on disk (files) | first search, fetched (gzip) | "
          "Enter → results, cold | same query again | index build | update: change / "
          "remove / add |")
    print("|---|---|---|---|---|---|---|---|")
    with chromium() as browser:
        seeds = parse_all([ROOT / "seeds"]).replies
        seed_result = measure(work / "site-seeds", seeds, queries, browser, args.check)
        for line in report_size("5 seeds", seed_result):
            print(line, flush=True)
        for size in args.sizes:
            before = uptime()
            replies = parse_all(files[:size], cache=cache).replies
            result = measure(work / f"site-{size}", replies, queries, browser, args.check)
            for line in report_size(f"{size:,} synthetic", result):
                print(line, flush=True)
            same = f"add back == first build: {result['add_same']}"
            if "change_same" in result:
                same += f"; change == clean build: {result['change_same']}"
            print(f"<!-- {size}: {same}; load before: {before}; after: {uptime()} -->",
                  flush=True)
            for run, query in zip(result["ours"], queries, strict=True):
                print(f"<!-- {size} ours {query['q']}: {run['bytes'] / 1024:.0f} KB, "
                      f"{run['ms']:.0f} ms, again {run['warm_ms']:.0f} ms -->", flush=True)
    print()
    ours_q = quality(cases, [run["links"] for run in seed_result["ours"][:len(cases)]])
    pf_q = quality(cases, [run["links"] for run in seed_result["pf"][:len(cases)]])
    print("| engine | precision@5 | recall@10 |\n|---|---|---|")
    print(f"| ours | {ours_q['precision']:.2f} | {ours_q['recall']:.2f} |")
    print(f"| Pagefind 1.6.0 | {pf_q['precision']:.2f} | {pf_q['recall']:.2f} |")
    for case, mine, theirs in zip(cases, seed_result["ours"], seed_result["pf"], strict=False):
        print(f"- {case['q']}: ours {[link_ref(u) for u in mine['links'][:5]]}; "
              f"Pagefind {[link_ref(u) for u in theirs['links'][:5]]}")
    print(f"sites kept in {work}" if args.keep else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
