"""The files the index stage writes: complete, deterministic, canonical, loadable by lunr."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest
from lunr.builder import Builder
from lunr.idf import idf as lunr_idf
from lunr.index import Index
from lunr.query import QueryPresence

from replyarchive.errors import BuildError
from replyarchive.incremental.output import SiteOutput
from replyarchive.index import build, shards
from replyarchive.index.documents import letter_parts
from replyarchive.index.indexer import find_lunr, write_index
from replyarchive.index.packed import (
    SLOTS,
    entry,
    letter_slots,
    line,
    line_key,
    lines_of,
    lunr_index,
    slot_text,
    splice_groups,
    unpack,
)
from replyarchive.index.payloads import (
    chunk_count,
    chunk_file,
    chunk_of,
    ids_count,
    ids_file,
    read_chunk,
    read_script,
)
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
    assert {"catalog.js", "t2s.js", "lunr.min.js", "shards", "letters"} <= names
    catalog = read_script(seed_index / "catalog.js")
    rows = read_script(seed_index / "letters.js")
    assert [row[0] for row in rows["letters"]] == sorted(r.id for r in seed_replies)
    assert "letters" not in catalog, "the catalog stays small: rows are loaded for filters"
    parts = sum(len(letter_parts(r)) for r in seed_replies)
    assert catalog["documents"] == {"text": parts, "meta": len(seed_replies)}
    assert catalog["chunks"] == chunk_count(len(seed_replies))
    assert len(list((seed_index / "letters").glob("*.js"))) == catalog["chunks"]
    slots = dict(zip(rows["letterColumns"], zip(*rows["letters"], strict=True),
                     strict=True))["slot"]
    for reply, slot in zip(sorted(seed_replies, key=lambda r: r.id), slots, strict=True):
        chunk = chunk_of(int(slot, 36), catalog["chunks"])
        data = read_chunk((seed_index / chunk_file(chunk)).read_bytes())[slot]
        assert [row[0] for row in data["parts"]] == [p.part_id for p in letter_parts(reply)]
        assert [row[5] for row in data["parts"]] == [p.body for p in letter_parts(reply)]
        assert data["letter"]["id"] == reply.id
        assert data["letter"]["meta"][0] == reply.title
        assert reply.department in data["letter"]["meta"]


def test_id_files_name_every_letter_by_its_slot(tmp_path: Path,
                                               seed_replies: list[Reply]) -> None:
    """Over http a result finds its letter's page through the id files: each letter's slot and
    id, in the file its slot says. Five letters fit one chunk: no id files, the chunk serves."""
    seeds = SiteOutput(tmp_path / "seeds")
    write_index(seed_replies, seeds)
    assert read_script(tmp_path / "seeds" / "search" / "catalog.js")["ids"] == 0
    assert not (tmp_path / "seeds" / "search" / "ids").exists()
    many = [dataclasses.replace(r, id=f"{r.id}-{n}") for n in range(8) for r in seed_replies]
    write_index(many, SiteOutput(tmp_path / "many"))
    folder = tmp_path / "many" / "search"
    catalog = read_script(folder / "catalog.js")
    assert catalog["ids"] == ids_count(len(many)) > 0
    found = {}
    for number in range(catalog["ids"]):
        for row in unpack((folder / ids_file(number)).read_bytes()).splitlines():
            slot, letter_id = row.split(" ")
            assert chunk_of(int(slot, 36), catalog["ids"]) == number
            found[letter_id] = slot
    assert found == {i: slot_text(s) for i, s in letter_slots(r.id for r in many).items()}


def test_every_shard_is_canonical_and_loads_as_a_lunr_index(seed_index: Path) -> None:
    catalog = read_script(seed_index / "catalog.js")
    plan = ShardPlan(catalog["shards"], frozenset(catalog["hot"]))
    assert plan.shard_count & (plan.shard_count - 1) == 0
    for path in sorted((seed_index / "shards").glob("*.js")):
        lines = lines_of(unpack(path.read_bytes()))
        assert lines == sorted(lines, key=line_key)
        for text in lines:
            groups = text.partition("\t")[2].split(" ")
            assert groups == sorted(groups) and len({g[:4] for g in groups}) == len(groups)
        for kind, fields in (("t", ["title", "body"]), ("m", shards.META_NAMES)):
            data = lunr_index(lines, kind, fields)
            if data is None:
                continue
            index = Index.load(data)
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
    assert site.letter_ids == {}
    assert search(site, "企业") == []


def test_slots_stay_put_when_other_letters_come_and_go() -> None:
    ids = [f"zgxh-2025-{n}" for n in range(3000)]
    slots = letter_slots(ids)
    assert len(set(slots.values())) == len(ids)
    assert all(0 <= s < SLOTS for s in slots.values())
    fewer = letter_slots(ids[::2])
    moved = [i for i in ids[::2] if fewer[i] != slots[i]]
    assert len(moved) < 10, "only letters that collided with a removed one may move"
    unmoved = [i for i in ids if slots[i] == fnv1a(i) % SLOTS]
    assert len(unmoved) > len(ids) * 0.99, "a slot is the id's hash unless it collided"
    assert slot_text(0) == "0000" and slot_text(SLOTS - 1) == "mh33"
    assert sorted(map(slot_text, slots.values())) == [slot_text(s) for s in
                                                      sorted(slots.values())]


def test_a_group_is_spliced_in_slot_order() -> None:
    text = "000a1x,2y 00zz3w"
    assert splice_groups(text, "000b", "000b9q") == "000a1x,2y 000b9q 00zz3w"
    assert splice_groups(text, "000a", None) == "00zz3w"
    assert splice_groups(text, "000a", "000a5p") == "000a5p 00zz3w"
    assert splice_groups("", "0001", "00011a") == "00011a"


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
    per = shards.POSTINGS_PER_SHARD
    counts = [shard_count(n) for n in (0, 1, per, per + 1, 3 * per + 100, 10**12)]
    assert counts == [1, 1, 1, 2, 4, shards.MAX_SHARDS]
    assert quantise(153.4) == 150.0 and quantise(0.0123) == 0.012
    plan = ShardPlan(8, frozenset({"企业", "发展"}))
    bigger = ShardPlan(8, frozenset({"企业", "发展", "创新"}))
    assert plan.file_of("企业") == bigger.file_of("企业") == hot_key("企业")
    assert plan.file_of("创新") == str(fnv1a("创新") % 8)


CORPUS = {"a": ["企业", "发展", "企业", "x1"], "b": ["发展", "创新"], "c": ["x1", "x1", "创新"]}
"""One field; lengths 4, 2, 3: the average (3) is exact at two significant figures."""


def _ours() -> Index:
    postings: dict[str, list[str]] = {}
    for ref, tokens in CORPUS.items():
        for term in sorted(set(tokens)):
            score = tf_score(tokens.count(term), len(tokens), 3.0, 1)
            postings.setdefault(term, []).append(f"{slot_text(ord(ref))}{entry('t', 0, score)}")
    lines = sorted((line("t", term, groups) for term, groups in postings.items()), key=line_key)
    data = lunr_index(lines, "t", ["body"])
    assert data is not None
    return Index.load(data)


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
    named = {slot_text(ord(ref)): ref for ref in CORPUS}
    return {named.get(r["ref"], r["ref"]): r["score"] * norm for r in index.query(query)}


@pytest.mark.parametrize("terms", [["企业"], ["发展", "创新"], ["x1", "发展"], ["创新", "x1"]])
def test_written_index_scores_as_lunrs_builder_with_idf_at_query_time(terms: list[str]) -> None:
    ours, theirs = _scores(_ours(), terms, True), _scores(_lunrs(), terms, False)
    assert list(ours) == list(theirs)
    assert ours == pytest.approx(theirs, abs=2e-2)  # stored scores are in hundredths
