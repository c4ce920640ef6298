"""The files the index stage writes: complete, deterministic, loadable by lunr."""

from __future__ import annotations

from pathlib import Path

import pytest
from lunr.builder import Builder
from lunr.index import Index

from replyarchive.errors import BuildError
from replyarchive.model import Reply
from replyarchive.search import shards
from replyarchive.search.documents import TEXT_FIELDS, expand_ref, index_ref, letter_parts
from replyarchive.search.indexer import find_lunr, text_documents, write_index
from replyarchive.search.query import SiteSearch, read_script, search
from replyarchive.search.shards import ShardPlan, build_index, fnv1a


def test_writes_catalog_shards_letters_table_and_lunr(seed_index: Path,
                                                      seed_replies: list[Reply]) -> None:
    names = {p.name for p in seed_index.iterdir()}
    assert {"catalog.js", "t2s.js", "lunr.min.js", "shards", "parts"} <= names
    catalog = read_script(seed_index / "catalog.js")
    assert [row[0] for row in catalog["letters"]] == sorted(r.id for r in seed_replies)
    for reply in seed_replies:
        files = {p.stem for p in (seed_index / "parts" / reply.id).glob("*.js")}
        assert files == {"letter"} | {p.part_id for p in letter_parts(reply)}
        part = letter_parts(reply)[1]
        data = read_script(seed_index / "parts" / reply.id / f"{part.part_id}.js")
        assert data["part"][0] == part.part_id and data["part"][5] == part.body
        assert data["letter"]["id"] == reply.id


def test_every_shard_is_an_ordinary_lunr_index(seed_index: Path) -> None:
    catalog = read_script(seed_index / "catalog.js")
    plan = ShardPlan(catalog["shards"], tuple(catalog["hot"]))
    for path in sorted((seed_index / "shards").glob("*.js")):
        data = read_script(path)
        for name in ("text", "meta"):
            if data[name] is None:
                continue
            index = Index.load(data[name])
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
    write_index(list(reversed(seed_replies)), tmp_path)
    for path in sorted(seed_index.rglob("*.js")):
        again = tmp_path / "search" / path.relative_to(seed_index)
        assert again.read_bytes() == path.read_bytes(), path.name


def test_missing_lunr_says_run_npm_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("replyarchive.search.indexer.LUNR_FILE", Path("no_such") / "lunr.js")
    with pytest.raises(BuildError, match="npm ci"):
        find_lunr(tmp_path)


def test_fnv1a_known_values() -> None:
    # The 32-bit FNV-1a reference values for ASCII input (code points = bytes there).
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C
    assert fnv1a("foobar") == 0xBF9CF968


def test_token_list_builder_matches_lunrs_own_add(seed_replies: list[Reply]) -> None:
    parts = [p for reply in seed_replies for p in letter_parts(reply)]
    positions = {reply.id: i for i, reply in enumerate(seed_replies)}
    docs = list(text_documents(parts, positions))
    plain = Builder()
    plain.ref("ref")
    for name, boost in TEXT_FIELDS:
        plain.field(name, boost=boost)
    for ref, tokens in docs:
        plain.add({"ref": ref, **tokens})
    assert build_index(TEXT_FIELDS, docs) == plain.build().serialize()


def test_an_empty_archive_gives_an_empty_but_working_index(tmp_path: Path) -> None:
    write_index([], tmp_path)
    site = SiteSearch(tmp_path / "search")
    assert site.catalog["letters"] == []
    assert search(site, "企业") == []


@pytest.mark.parametrize("position", [0, 9, 35, 36, 1295, 1296, 99999])
def test_short_refs_expand_back(position: int) -> None:
    ids = [f"id-{i}" for i in range(position + 1)]
    assert expand_ref(index_ref(position, "s2-3"), ids) == f"id-{position}#s2-3"
    assert expand_ref(index_ref(position), ids) == f"id-{position}"
    assert index_ref(35) == "z" and index_ref(36) == "10"


def test_building_in_groups_gives_the_same_results(
    tmp_path: Path, seed_replies: list[Reply], seed_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shards built by several Builders (bounded memory) score exactly as one Builder."""
    monkeypatch.setattr(shards, "POSTINGS_PER_GROUP", 700)
    write_index(seed_replies, tmp_path)
    grouped, single = SiteSearch(tmp_path / "search"), SiteSearch(seed_index)
    queries = ["企业", "灯塔工厂", "中工信函", "鑫光 揭榜", "揭榜 -鑫光", '"设计和生产"', "生產"]
    for query in queries:
        assert search(grouped, query) == search(single, query), query
        assert search(single, query)


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_groups_built_in_parallel_write_the_same_bytes_as_serial(
    tmp_path: Path, seed_replies: list[Reply], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Worker processes each write their own groups' shards: same files, same bytes."""
    monkeypatch.setattr(shards, "POSTINGS_PER_GROUP", 700)
    write_index(seed_replies, tmp_path / "serial", workers=1)
    write_index(seed_replies, tmp_path / "parallel", workers=3)
    serial, parallel = _tree(tmp_path / "serial"), _tree(tmp_path / "parallel")
    assert len([name for name in serial if name.startswith("search/shards/")]) > 3
    assert parallel == serial


def test_fast_field_vectors_match_lunr_builder() -> None:
    """TokenListBuilder's sorted field vectors are lunr's own, element for element."""
    docs = [("a", ["企业", "发展", "企业", "x1"]), ("b", ["发展", "创新"]), ("c", ["x1"] * 5)]
    ours = shards.TokenListBuilder()
    theirs = Builder()
    theirs.pipeline.reset()
    theirs.search_pipeline.reset()
    for builder in (ours, theirs):
        builder.ref("ref")
        builder.field("body", boost=2)
        for ref, tokens in docs:
            builder.add({"ref": ref, "body": tokens})
    assert ours.build().serialize() == theirs.build().serialize()
