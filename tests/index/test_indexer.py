"""The files the index stage writes: complete, deterministic, canonical, loadable by lunr."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from lunr.builder import Builder
from lunr.idf import idf as lunr_idf
from lunr.index import Index
from lunr.query import QueryPresence

from replyarchive.errors import BuildError
from replyarchive.incremental.output import SiteOutput
from replyarchive.index import build
from replyarchive.index.documents import expand_ref, index_ref, letter_parts
from replyarchive.index.incremental import Record, assemble
from replyarchive.index.indexer import find_lunr, write_index
from replyarchive.index.payloads import read_script
from replyarchive.index.query import SiteSearch, search
from replyarchive.index.shards import (
    ShardPlan,
    fnv1a,
    hot_key,
    quantise,
    shard_count,
    tf_score,
)
from replyarchive.records.model import Reply


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_writes_catalog_shards_letters_table_and_lunr(seed_index: Path,
                                                      seed_replies: list[Reply]) -> None:
    names = {p.name for p in seed_index.iterdir()}
    assert {"catalog.js", "t2s.js", "lunr.min.js", "shards", "parts"} <= names
    catalog = read_script(seed_index / "catalog.js")
    assert [row[0] for row in catalog["letters"]] == sorted(r.id for r in seed_replies)
    parts = sum(len(letter_parts(r)) for r in seed_replies)
    assert catalog["documents"] == {"text": parts, "meta": len(seed_replies)}
    assert {p.stem for p in (seed_index / "parts").glob("*.js")} == {r.id for r in seed_replies}
    for reply in seed_replies:
        data = read_script(seed_index / "parts" / f"{reply.id}.js")
        assert [row[0] for row in data["parts"]] == [p.part_id for p in letter_parts(reply)]
        assert [row[5] for row in data["parts"]] == [p.body for p in letter_parts(reply)]
        assert data["letter"]["id"] == reply.id
        assert data["letter"]["meta"][0] == reply.title
        assert reply.department in data["letter"]["meta"]


def test_every_shard_is_a_canonical_lunr_index(seed_index: Path) -> None:
    catalog = read_script(seed_index / "catalog.js")
    plan = ShardPlan(catalog["shards"], frozenset(catalog["hot"]))
    assert plan.shard_count & (plan.shard_count - 1) == 0
    for path in sorted((seed_index / "shards").glob("*.js")):
        data = read_script(path)
        for name in ("text", "meta"):
            if data[name] is None:
                continue
            index = Index.load(data[name])
            terms = [term for term, _ in data[name]["invertedIndex"]]
            assert terms == sorted(terms)
            assert [p["_index"] for _, p in data[name]["invertedIndex"]] == list(range(len(terms)))
            assert all(plan.file_of(term) == path.stem for term in index.inverted_index)


def test_parts_link_to_sections_preamble_and_closing(seed_replies: list[Reply]) -> None:
    reply = seed_replies[0]
    ids = [p.part_id for p in letter_parts(reply)]
    assert ids[0] == "preamble" and ids[-1] == "closing"
    assert ids[1:-1] == [s.id for s in reply.all_sections()]
    paths = {p.part_id: p.path for p in letter_parts(reply)}
    assert paths["s1"] == "一、" and paths["s1-1"] == "一、（一）"


def test_output_is_deterministic(tmp_path: Path, seed_replies: list[Reply],
                                 seed_index: Path) -> None:
    write_index(list(reversed(seed_replies)), SiteOutput(tmp_path))
    assert tree(tmp_path / "search") == tree(seed_index)


def test_missing_lunr_says_run_npm_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("replyarchive.index.indexer.LUNR_FILE", Path("no_such") / "lunr.js")
    with pytest.raises(BuildError, match="npm ci"):
        find_lunr(tmp_path)


def test_fnv1a_known_values() -> None:
    # The 32-bit FNV-1a reference values for ASCII input (code points = bytes there).
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C
    assert fnv1a("foobar") == 0xBF9CF968


def test_an_empty_archive_gives_an_empty_but_working_index(tmp_path: Path) -> None:
    write_index([], SiteOutput(tmp_path))
    site = SiteSearch(tmp_path / "search")
    assert site.catalog["letters"] == []
    assert search(site, "企业") == []


@pytest.mark.parametrize("position", [0, 9, 35, 36, 1295, 1296, 99999])
def test_short_refs_expand_back(position: int) -> None:
    ids = [f"id-{i}" for i in range(position + 1)]
    assert expand_ref(index_ref(position, "s2-3"), ids) == f"id-{position}#s2-3"
    assert expand_ref(index_ref(position), ids) == f"id-{position}"
    assert index_ref(35) == "z" and index_ref(36) == "10"


def test_parallel_build_writes_the_same_bytes_as_serial(
    tmp_path: Path, seed_replies: list[Reply], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks tokenised and groups written by worker processes: same files, same bytes."""
    monkeypatch.setattr(build, "CHUNK_LETTERS", 2)
    for name, workers in (("serial", 1), ("parallel", 3)):
        (tmp_path / name).mkdir()
        write_index(seed_replies, SiteOutput(tmp_path / name), workers=workers)
    serial, parallel = tree(tmp_path / "serial"), tree(tmp_path / "parallel")
    assert len([name for name in serial if name.startswith("search/shards/")]) > 3
    assert parallel == serial


def test_plan_is_stable_and_keyed_by_hash() -> None:
    assert [shard_count(n) for n in (0, 1, 2500, 2501, 7600, 10**9)] == [1, 1, 1, 2, 4, 8192]
    assert quantise(153.4) == 150.0 and quantise(0.0123) == 0.012
    plan = ShardPlan(8, frozenset({"企业", "发展"}))
    bigger = ShardPlan(8, frozenset({"企业", "发展", "创新"}))
    assert plan.file_of("企业") == bigger.file_of("企业") == hot_key("企业")
    assert plan.file_of("创新") == str(fnv1a("创新") % 8)


CORPUS = {"a": ["企业", "发展", "企业", "x1"], "b": ["发展", "创新"], "c": ["x1", "x1", "创新"]}
"""One field; lengths 4, 2, 3: the average (3) is exact at two significant figures."""


def _ours() -> Index:
    records: list[Record] = []
    for order, (ref, tokens) in enumerate(CORPUS.items()):
        pairs = [(t, repr(tf_score(tokens.count(t), len(tokens), 3.0, 1)))
                 for t in sorted(set(tokens))]
        records.append(((order, 0, 0), ref, 0, pairs))
    text = assemble(["body"], 0, records)
    assert text is not None
    return Index.load(json.loads(text))


def _lunrs() -> Index:
    builder = Builder()
    builder.pipeline.reset()
    builder.search_pipeline.reset()
    builder.ref("ref")
    builder.field("body")
    for ref, tokens in CORPUS.items():
        builder.add({"ref": ref, "body": tokens})
    return builder.build()


def _scores(index: Index, terms: list[str], with_idf: bool) -> dict[str, float]:
    query = index.create_query()
    boosts = [lunr_idf(index.inverted_index[t], 3) if with_idf else 1.0 for t in terms]
    for term, boost in zip(terms, boosts, strict=True):
        query.term(term, use_pipeline=False, presence=QueryPresence.OPTIONAL, boost=boost)
    norm = math.sqrt(sum(b * b for b in boosts))
    return {r["ref"]: r["score"] * norm for r in index.query(query)}


@pytest.mark.parametrize("terms", [["企业"], ["发展", "创新"], ["x1", "发展"], ["创新", "x1"]])
def test_written_index_scores_as_lunrs_builder_with_idf_at_query_time(terms: list[str]) -> None:
    ours, theirs = _scores(_ours(), terms, True), _scores(_lunrs(), terms, False)
    assert list(ours) == list(theirs)
    assert ours == pytest.approx(theirs, abs=3e-3)
