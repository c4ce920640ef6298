"""An incremental index (previous site + changed letters) is byte for byte a clean one."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from replyarchive.incremental.output import Prior, SiteOutput
from replyarchive.index import incremental, indexer, shards
from replyarchive.index.indexer import write_index
from replyarchive.index.packed import lines_of, parse_groups, unpack
from replyarchive.index.payloads import LetterText, read_script
from replyarchive.index.tokenize import tokenize
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


def edit_subsection(reply: Reply) -> Reply:
    """A sentence added to the first section's first subsection (where hot terms are: their
    scores there change with its length)."""
    first = reply.sections[0]
    child = first.children[0]
    added = "新增的内容：智能网联汽车试点。"
    child = dataclasses.replace(child, paragraphs=(*child.paragraphs, added))
    edited = dataclasses.replace(first, children=(child, *first.children[1:]))
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


def copies(reply: Reply, numbers: list[int]) -> list[Reply]:
    """The letter under other ids: an archive whose averages no letter of it moves."""
    return [dataclasses.replace(reply, id=f"{reply.id}-{n:03d}") for n in numbers]


@pytest.mark.parametrize("case", ["add", "remove", "change"])
def test_a_letter_added_removed_or_changed_patches_to_the_clean_bytes(
    tmp_path: Path, seed_replies: list[Reply], monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    """Letters are named in the index by their slot, which others' coming and going does not
    move: the letter's groups are spliced in or out of the previous files."""
    reply = sorted(seed_replies, key=lambda r: r.id)[0]
    archive = copies(reply, list(range(0, 40, 2)))
    if case == "add":
        after = sorted([*archive, *copies(reply, [17])], key=lambda r: r.id)
    elif case == "remove":
        after = archive[:7] + archive[8:]
    else:
        after = [*archive[:7], retitle(archive[7]), *archive[8:]]
    spy = Spy(monkeypatch)
    again, clean = build_twice(tmp_path, archive, after)
    assert spy.full == 2, "the second build should have patched, not rebuilt"
    assert tree(again) == tree(clean)


def _postings(search: Path, term: str) -> int:
    """The term's postings (both kinds) in a built index."""
    total = 0
    for path in (search / "shards").glob("*.js"):
        for text in lines_of(unpack(path.read_bytes())):
            if text.split("\t")[0][2:] == term:
                total += sum(1 for _ in parse_groups(text[0], text.split("\t")[1]))
    return total


@pytest.mark.parametrize("parallel", [False, True])
def test_a_term_turning_hot_moves_to_its_own_file(
    tmp_path: Path, seed_replies: list[Reply], monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    if parallel:
        monkeypatch.setattr(indexer, "PARALLEL_BYTES", -1)
    ordered = sorted(seed_replies, key=lambda r: r.id)
    (tmp_path / "probe").mkdir()
    write_index(ordered, SiteOutput(tmp_path / "probe"))
    term = "融合"
    monkeypatch.setattr(shards, "HOT_MIN_POSTINGS",
                        _postings(tmp_path / "probe" / "search", term) + 1)
    after = list(ordered)
    after[0] = add_section(after[0])
    spy = Spy(monkeypatch)
    again, clean = build_twice(tmp_path, ordered, after)
    assert spy.full == 2, "the second build should have patched, not rebuilt"
    assert term in read_script(clean / "catalog.js")["hot"]
    assert (clean / "shards" / f"{shards.hot_key(term)}.js").is_file()
    assert tree(again) == tree(clean)


@pytest.mark.parametrize("case", ["remove", "add"])
def test_a_letter_removed_or_added_moves_a_term_across_the_threshold(
    tmp_path: Path, seed_replies: list[Reply], monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    """Removing a letter takes the terms just hot back to their shards (their own files go);
    adding one takes terms just cold to files of their own. Both patched (copies of one letter
    keep the averages put), both a clean build's bytes."""
    reply = sorted(seed_replies, key=lambda r: r.id)[0]
    archive = copies(reply, list(range(0, 40, 2)))
    (tmp_path / "probe").mkdir()
    write_index(archive, SiteOutput(tmp_path / "probe"))
    counts: Counter[str] = Counter()
    for path in (tmp_path / "probe" / "search" / "shards").glob("*.js"):
        for text in lines_of(unpack(path.read_bytes())):
            head, _, groups = text.partition("\t")
            counts[head[2:]] += sum(1 for _ in parse_groups(head[0], groups))
    most = max(counts.values())
    crossing = sorted(term for term, n in counts.items() if n == most)
    monkeypatch.setattr(shards, "HOT_MIN_POSTINGS", most + 1)  # hot from one copy more
    bigger = sorted([*archive, *copies(reply, [17])], key=lambda r: r.id)
    before, after = (bigger, archive) if case == "remove" else (archive, bigger)
    spy = Spy(monkeypatch)
    again, clean = build_twice(tmp_path, before, after)
    assert spy.full == 2, "the second build should have patched, not rebuilt"
    hot = read_script(clean / "catalog.js")["hot"]
    assert (case == "add") == all(term in hot for term in crossing) and crossing
    if case == "remove":
        assert not hot and not list((clean / "shards").glob("h*.js"))
    assert tree(again) == tree(clean)


@pytest.mark.parametrize("parallel", [False, True])
def test_several_changed_letters_patch_to_the_clean_bytes(
    tmp_path: Path, seed_replies: list[Reply], monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    """Patched files shared between worker processes or not: the same bytes."""
    if parallel:
        monkeypatch.setattr(indexer, "PARALLEL_BYTES", -1)
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


def _terms(reply: Reply) -> tuple[set[str], set[str]]:
    """(terms of its parts, terms of its facts)."""
    text: set[str] = set()
    meta: set[str] = set()
    for part_id, fields in LetterText.of_reply(reply).documents():
        for value in fields.values():
            (text if part_id else meta).update(tokenize(value))
    return text, meta


def test_a_term_hot_by_both_kinds_stays_hot_when_a_letter_has_it_in_one(
    tmp_path: Path, seed_replies: list[Reply], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hot is counted over the parts' and the facts' postings together: a changed letter that
    holds a hot term in its text only must not count the term's text postings alone."""
    ordered = sorted(seed_replies, key=lambda r: r.id)
    pairs = [(a, b, a_meta & b_text - b_meta) for a in ordered for b in ordered if a is not b
             for (_, a_meta), (b_text, b_meta) in [(_terms(a), _terms(b))]]
    a, b, terms = next(pair for pair in pairs if pair[2])
    archive = sorted([*copies(a, list(range(0, 20))), *copies(b, list(range(20, 40)))],
                     key=lambda r: r.id)
    (tmp_path / "probe").mkdir()
    write_index(archive, SiteOutput(tmp_path / "probe"))
    term = sorted(terms)[0]
    total = _postings(tmp_path / "probe" / "search", term)
    monkeypatch.setattr(shards, "HOT_MIN_POSTINGS", total)  # hot, just
    after = [changed(r) if r.id == f"{b.id}-025" else r for r in archive]
    spy = Spy(monkeypatch)
    again, clean = build_twice(tmp_path, archive, after)
    assert term in read_script(clean / "catalog.js")["hot"]
    assert spy.full == 2, "the second build should have patched, not rebuilt"
    assert tree(again) == tree(clean)


def test_a_patch_splices_blocks_and_keeps_the_layouts_a_clean_build_has(
    tmp_path: Path, seed_replies: list[Reply], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the previous files' layouts, the touched files are patched block by block
    (splice.py), and the layouts kept for the next build are those of a clean build."""
    monkeypatch.setattr(shards, "HOT_MIN_POSTINGS", 60)
    monkeypatch.setattr(shards, "POSTINGS_PER_SHARD", 100)
    spliced: list[str] = []
    original = incremental.splice_file

    def counted(key: str, *args: Any) -> Any:
        result = original(key, *args)
        if result is not None:
            spliced.append(key)
        return result

    monkeypatch.setattr(incremental, "splice_file", counted)
    ordered = sorted(seed_replies, key=lambda r: r.id)
    after = [ordered[0], edit_subsection(ordered[1]), *ordered[2:]]
    outputs = []
    for name in ("first", "again", "clean"):
        (tmp_path / name).mkdir()
        prior = Prior(tmp_path / "first", dict(outputs[0].keys), outputs[0].saved_state()) \
            if name == "again" else None
        outputs.append(SiteOutput(tmp_path / name, prior))
        write_index(ordered if name == "first" else after, outputs[-1], workers=1)
    assert tree(tmp_path / "again" / "search") == tree(tmp_path / "clean" / "search")
    assert any(key.startswith("h") for key in spliced) and len(spliced) > 10
    assert outputs[1].saved_state()["index-layout"] == outputs[2].saved_state()["index-layout"]


def test_a_letter_edited_in_one_part_patches_only_the_files_of_lines_it_changes(
    tmp_path: Path, seed_replies: list[Reply], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A letter's group in the line of a term of its other parts comes out the same (scores
    follow their own part's length): the files holding only such lines are linked, not
    patched, and the bytes are a clean build's."""
    monkeypatch.setattr(shards, "POSTINGS_PER_SHARD", 100)
    patched: list[str] = []
    original = indexer.patch_files

    def counted(work: Any, keys: Any, *args: Any) -> Any:
        patched.extend(keys)
        return original(work, keys, *args)

    monkeypatch.setattr(indexer, "patch_files", counted)
    ordered = sorted(seed_replies, key=lambda r: r.id)
    after = [ordered[0], edit_body(ordered[1]), *ordered[2:]]
    spy = Spy(monkeypatch)
    again, clean = build_twice(tmp_path, ordered, after)
    assert spy.full == 2, "the second build should have patched, not rebuilt"
    assert tree(again) == tree(clean)
    catalog = read_script(clean / "catalog.js")
    plan = shards.ShardPlan(catalog["shards"], frozenset(catalog["hot"]))

    def files_of(reply: Reply, part: str | None) -> set[str]:
        text = LetterText.of_reply(reply)
        return {plan.file_of(term) for part_id, title, body in text.parts
                if part in (None, part_id) for term in (*tokenize(title), *tokenize(body))}

    edited = files_of(ordered[1], "s1") | files_of(after[1], "s1")  # the part edit_body edits
    assert patched and set(patched) <= edited
    assert files_of(ordered[1], None) - edited, "the letter's other files are left alone"
