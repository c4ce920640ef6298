"""An incremental index (previous site + changed letters) is byte for byte a clean one."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from replyarchive.incremental.output import Prior, SiteOutput
from replyarchive.index import indexer, shards
from replyarchive.index.indexer import write_index
from replyarchive.index.payloads import read_script
from replyarchive.records.model import Reply, Section

from .test_indexer import tree


def changed(reply: Reply, **fields: Any) -> Reply:
    """The reply with new fields, read from a source with other bytes."""
    source = dataclasses.replace(reply.source, sha256="f" * 64)
    return dataclasses.replace(reply, source=source, **fields)


def edit_body(reply: Reply) -> Reply:
    first = reply.sections[0]
    paragraphs = (*first.paragraphs[1:], "新增的内容：智能网联汽车试点。")
    edited = dataclasses.replace(first, paragraphs=paragraphs)
    return changed(reply, sections=(edited, *reply.sections[1:]))


def add_section(reply: Reply) -> Reply:
    """A section of about the seeds' average body length (12 sentences of 15 bigrams), so that
    the quantised averages of so small an archive stay put and the index is patched."""
    extra = Section(id=f"s{len(reply.sections) + 1}", level=1, number="十", title="其他事项",
                    paragraphs=("统筹推进数字经济与实体经济深度融合。" * 12,))
    return changed(reply, sections=(*reply.sections, extra))


def retitle(reply: Reply) -> Reply:
    """Other words of the same lengths: five letters' averages stay put (a longer title would
    move the average title length of so small an archive, and rightly rebuild everything)."""
    assert reply.title and reply.department
    return changed(reply, title=reply.title[::-1], department=reply.department[::-1])


class Spy:
    """Counts full builds."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.full = 0
        original = indexer.build_shards

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.full += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(indexer, "build_shards", counted)


def build_twice(tmp_path: Path, before: list[Reply], after: list[Reply]) -> tuple[Path, Path]:
    """(search folder of an incremental build over a first build, of a clean build)."""
    for name in ("first", "again", "clean"):
        (tmp_path / name).mkdir()
    first = SiteOutput(tmp_path / "first")
    write_index(before, first)
    prior = Prior(tmp_path / "first", dict(first.keys), first.saved_state())
    write_index(after, SiteOutput(tmp_path / "again", prior))
    write_index(after, SiteOutput(tmp_path / "clean"))
    return tmp_path / "again" / "search", tmp_path / "clean" / "search"


@pytest.mark.parametrize("change", [edit_body, add_section, retitle])
@pytest.mark.parametrize("which", [0, -1])
def test_one_changed_letter_patches_to_the_clean_bytes(
    tmp_path: Path, seed_replies: list[Reply], monkeypatch: pytest.MonkeyPatch,
    change: Callable[[Reply], Reply], which: int,
) -> None:
    ordered = sorted(seed_replies, key=lambda r: r.id)
    after = list(ordered)
    after[which] = change(after[which])
    spy = Spy(monkeypatch)
    again, clean = build_twice(tmp_path, ordered, after)
    assert spy.full == 2, "the second build should have patched, not rebuilt"
    assert tree(again) == tree(clean)


def test_patch_with_hot_terms_and_many_shards(
    tmp_path: Path, seed_replies: list[Reply], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shards, "HOT_MIN_POSTINGS", 60)
    monkeypatch.setattr(shards, "POSTINGS_PER_SHARD", 100)
    ordered = sorted(seed_replies, key=lambda r: r.id)
    after = [ordered[0], edit_body(ordered[1]), *ordered[2:]]
    again, clean = build_twice(tmp_path, ordered, after)
    catalog = read_script(clean / "catalog.js")
    assert catalog["hot"] and catalog["shards"] >= 16
    assert tree(again) == tree(clean)


def test_a_letter_added_falls_back_to_a_full_build(
    tmp_path: Path, seed_replies: list[Reply], monkeypatch: pytest.MonkeyPatch
) -> None:
    ordered = sorted(seed_replies, key=lambda r: r.id)
    spy = Spy(monkeypatch)
    again, clean = build_twice(tmp_path, ordered[1:], ordered)
    assert spy.full == 3
    assert tree(again) == tree(clean)


@pytest.mark.parametrize("parallel", [False, True])
def test_a_term_turning_hot_falls_back_to_a_full_build(
    tmp_path: Path, seed_replies: list[Reply], monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    if parallel:
        monkeypatch.setattr(indexer, "PARALLEL_FILES", 0)
    ordered = sorted(seed_replies, key=lambda r: r.id)
    (tmp_path / "probe").mkdir()
    probe = SiteOutput(tmp_path / "probe")
    write_index(ordered, probe)
    term = "融合"
    key = shards.fnv1a(term) % probe.saved_state()["index"]["shards"]
    data = read_script(tmp_path / "probe" / "search" / "shards" / f"{key}.js")
    count = sum(len(v) for t, p in data["text"]["invertedIndex"] if t == term
                for k, v in p.items() if k != "_index")
    count += sum(len(v) for t, p in (data["meta"] or {"invertedIndex": []})["invertedIndex"]
                 if t == term for k, v in p.items() if k != "_index")
    monkeypatch.setattr(shards, "HOT_MIN_POSTINGS", count + 1)
    after = list(ordered)
    after[0] = add_section(after[0])
    spy = Spy(monkeypatch)
    again, clean = build_twice(tmp_path, ordered, after)
    assert spy.full == 3
    assert term in read_script(clean / "catalog.js")["hot"]
    assert tree(again) == tree(clean)


@pytest.mark.parametrize("parallel", [False, True])
def test_several_changed_letters_patch_to_the_clean_bytes(
    tmp_path: Path, seed_replies: list[Reply], monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    """Patched files shared between worker processes or not: the same bytes."""
    if parallel:
        monkeypatch.setattr(indexer, "PARALLEL_FILES", 0)
    ordered = sorted(seed_replies, key=lambda r: r.id)
    after = [edit_body(ordered[0]), ordered[1], retitle(ordered[2]), *ordered[3:]]
    spy = Spy(monkeypatch)
    again, clean = build_twice(tmp_path, ordered, after)
    assert spy.full == 2
    assert tree(again) == tree(clean)


def test_many_changed_letters_are_built_in_full(
    tmp_path: Path, seed_replies: list[Reply], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexer, "PATCH_LIMIT", 1)
    ordered = sorted(seed_replies, key=lambda r: r.id)
    after = [edit_body(ordered[0]), edit_body(ordered[1]), *ordered[2:]]
    spy = Spy(monkeypatch)
    again, clean = build_twice(tmp_path, ordered, after)
    assert spy.full == 3
    assert tree(again) == tree(clean)
