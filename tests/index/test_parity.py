"""lunr.py and lunr.js give the same results: the Python query (query.py) and the browser's
engine (static/search.js, run by node) over the same search files, for every shared query and
for queries that exercise phrases, exclusions, traditional characters and hot terms."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import search_cases

from replyarchive.incremental.output import SiteOutput
from replyarchive.index import shards
from replyarchive.index.indexer import write_index
from replyarchive.index.query import SiteSearch, group_hits, looked_up, parse_query, search
from replyarchive.pipeline import parse_all
from replyarchive.records.model import Reply

ROOT = Path(__file__).resolve().parent.parent.parent
CLI = ROOT / "tests" / "js" / "search_cli.js"
EXTRA = ["生產", "數字化 企业", '"设计和生产"', '"生产和设计"', "揭榜 -鑫光", "企业 -TCL",
         "企业", "企业发展", "中工信函", "市政协", "不存在的词语", "-企业", "2025年", "产业 集群",
         "第131106号", "第 131106 号", "131106号", "B类", "B 类 资质", "86个", "500强", "e贷",
         "800米", "-B类 企业"]


def queries() -> list[str]:
    return [case["q"] for case in search_cases()] + EXTRA


Results = list[tuple[str, list[tuple[str, float]], list[tuple[str, float, list[str]]]]]


def node_results(folder: Path, qs: list[str]) -> Results:
    if shutil.which("node") is None:
        pytest.fail("node is missing: install Node.js (make test needs it)")
    out = subprocess.run(["node", str(CLI), str(folder), *qs], capture_output=True,
                         text=True, check=True, cwd=ROOT).stdout
    data: list[Any] = json.loads(out)
    return [(q, [(ref, score) for ref, score in hits],
             [(letter, score, list(refs)) for letter, score, refs in groups])
            for q, hits, groups in data]


def python_results(folder: Path, qs: list[str]) -> Results:
    """Hits and their grouping by letter, per query."""
    site = SiteSearch(folder)
    out: Results = []
    for q in qs:
        hits = search(site, q)
        groups = [(g.letter_id, g.score, [h.ref for h in g.hits]) for g in group_hits(hits)]
        out.append((q, [(h.ref, h.score) for h in hits], groups))
    return out


def _synth_module() -> Any:
    spec = importlib.util.spec_from_file_location("synth", ROOT / "bench" / "synth.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("synth", module)
    spec.loader.exec_module(module)
    return module


def test_python_and_js_agree_with_hot_terms_and_many_shards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A synthetic archive with thresholds lowered so that hot terms and many shards exist."""
    synth = _synth_module()
    synth.make_archive(24, tmp_path / "in")
    replies = parse_all([tmp_path / "in"]).replies
    monkeypatch.setattr(shards, "HOT_MIN_POSTINGS", 40)
    monkeypatch.setattr(shards, "POSTINGS_PER_SHARD", 200)
    (tmp_path / "site").mkdir()
    write_index(replies, SiteOutput(tmp_path / "site"))
    folder = tmp_path / "site" / "search"
    site = SiteSearch(folder)
    assert len(site.plan.hot) > 20 and site.plan.shard_count >= 32
    qs = queries() + long_queries(replies, site)
    assert node_results(folder, qs) == python_results(folder, qs)


def long_queries(replies: Sequence[Reply], site: SiteSearch) -> list[str]:
    """A paragraph of a letter pasted whole, and excluded: more terms than a 32-bit word of
    matched-term bits holds (the engine's bitmasks span several words)."""
    paragraphs = sorted((p for reply in replies for section in reply.sections
                         for p in section.paragraphs), key=len, reverse=True)
    long, other = (" ".join(re.findall(r"[\u4e00-\u9fff]{2,}", p)) for p in paragraphs[:2])
    hot = frozenset(site.plan.hot)
    terms = {t for item in parse_query(long) for t in looked_up(item, hot)}
    assert len(terms) > 32 and search(site, long)
    negated = " ".join("-" + word for word in other.split())
    return [long, f"{long} {negated}", f"{other} -{long.split()[-1]}"]
