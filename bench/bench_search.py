"""Search at scale, ours beside Pagefind, in headless Chromium.

    .venv/bin/python bench/bench_search.py [--sizes 100 1000 5000] [--keep DIR]

For each size: a synthetic archive from bench/synth.py (recombined seed paragraphs), parsed once
(not timed) and built as ``replyarchive build`` does; then each index is timed on its own: ours
(``search.indexer.write_index``) and Pagefind (``python -m pagefind`` over the letter pages).
In Chromium, for every query of ../shared/queries.yaml on a cold cache: the bytes fetched from
opening the search page to the results on screen (each file counted gzip-compressed, level 6, or
as stored when smaller), the time from pressing Enter to the results (index files fetched from
a local server), and the time for the same query again once its files are loaded.
Precision and recall at 5 are measured on the seeds' own site, where queries.yaml's answers are
known. Not a test: record the numbers in docs/BENCHMARKS.md, "## Search".
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
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
from replyarchive.incremental.output import SiteOutput
from replyarchive.index.indexer import write_index
from replyarchive.pipeline import parse_all
from replyarchive.records.model import Reply

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT.parent / "shared" / "queries.yaml"
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
  return { ms: performance.now() - started, links: links.slice(0, 5), total: found.results.length };
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
    return {"bytes": sent, "ms": first["ms"], "warm_ms": again["ms"], "links": links[:5]}


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
    """Mean precision@5 and recall@5 over the cases, from each case's top-5 links."""
    precision, recall = [], []
    for case, top in zip(cases, links, strict=True):
        refs = [link_ref(u) for u in top[:5]]
        relevant = [r for r in refs if any(covers(r, e) for e in case["expect"])]
        precision.append(len(relevant) / len(refs) if refs else 0.0)
        hit = [e for e in case["expect"] if any(covers(r, e) for r in refs)]
        recall.append(len(hit) / len(case["expect"]))
    return {"precision": statistics.mean(precision), "recall": statistics.mean(recall)}


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def build_both(replies: Sequence[Reply], out: Path) -> dict[str, Any]:
    """The whole site (search page and index included), then each index timed on its own."""
    pipeline.build_site(replies, out, Config(), sources={})
    with tempfile.TemporaryDirectory() as scratch:
        ours_s = timed(lambda: write_index(replies, SiteOutput(Path(scratch))))
    command = [sys.executable, "-m", "pagefind", "--site", str(out), "--glob",
               "replies/*/index.html", "--output-subdir", "pagefind", "--silent"]
    pf_s = timed(lambda: subprocess.run(command, check=True))
    (out / "pf-bench.html").write_text(PAGEFIND_PAGE, encoding="utf-8")
    return {"ours_build": ours_s, "pf_build": pf_s,
            "ours_size": folder_size(out / "search"), "pf_size": folder_size(out / "pagefind")}


def measure(out: Path, replies: Sequence[Reply], cases: Sequence[dict[str, Any]],
            browser: Any) -> dict[str, Any]:
    result = build_both(replies, out)
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
    for label, prefix in (("ours (lunr shards)", "ours"), ("Pagefind 1.5.2", "pf")):
        files, raw, packed = result[f"{prefix}_size"]
        rows.append(
            f"| {name} | {label} | {summary(result[prefix], 'bytes')} | "
            f"{summary(result[prefix], 'ms')} | {summary(result[prefix], 'warm_ms')} | "
            f"{raw / 1e6:.1f} MB / {packed / 1e6:.1f} MB gz, {files} files | "
            f"{result[prefix + '_build']:.1f} s |")
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000])
    parser.add_argument("--keep", type=Path, help="keep the built sites in this folder")
    args = parser.parse_args(argv)
    cases: list[dict[str, Any]] = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    sys.path.insert(0, str(ROOT / "bench"))
    from synth import make_archive

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-search-"))
    print("| archive | engine | first search, fetched (gzip) | Enter → results, cold | "
          "same query again | index on disk | index build |")
    print("|---|---|---|---|---|---|---|")
    with chromium() as browser:
        seeds = parse_all([ROOT / "seeds"]).replies
        seed_result = measure(work / "site-seeds", seeds, cases, browser)
        for line in report_size("5 seeds", seed_result):
            print(line, flush=True)
        for size in args.sizes:
            make_archive(size, work / f"letters-{size}")
            replies = parse_all([work / f"letters-{size}"]).replies
            result = measure(work / f"site-{size}", replies, cases, browser)
            for line in report_size(f"{size:,} synthetic", result):
                print(line, flush=True)
    print()
    ours_q = quality(cases, [run["links"] for run in seed_result["ours"]])
    pf_q = quality(cases, [run["links"] for run in seed_result["pf"]])
    print("| engine | precision@5 | recall@5 |\n|---|---|---|")
    print(f"| ours | {ours_q['precision']:.2f} | {ours_q['recall']:.2f} |")
    print(f"| Pagefind | {pf_q['precision']:.2f} | {pf_q['recall']:.2f} |")
    for case, mine, theirs in zip(cases, seed_result["ours"], seed_result["pf"], strict=True):
        print(f"- {case['q']}: ours {[link_ref(u) for u in mine['links']]}; "
              f"Pagefind {[link_ref(u) for u in theirs['links']]}")
    print(f"sites kept in {work}" if args.keep else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
