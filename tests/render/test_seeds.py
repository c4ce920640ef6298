"""The seeds' site as `replyarchive build` makes it: complete, linked, and true to the records."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SEEDS
from tests.render.linkcheck import broken_links
from tests.render.test_build import tree
from tests.render.test_data import bundled
from tests.render.test_pages import _TextById

from replyarchive.cli import main
from replyarchive.config import Config
from replyarchive.index.documents import letter_parts
from replyarchive.pipeline import SiteOutcome, build
from replyarchive.records.model import Reply
from replyarchive.records.store import dump_yaml
from replyarchive.records.validate import validate_record


def test_every_seed_parses_and_is_published(seed_build: SiteOutcome,
                                            seed_records: list[Reply]) -> None:
    assert seed_build.report.replies == len(seed_records) == len(list(SEEDS.glob("*.txt")))
    assert not [p for p in seed_build.problems if p.severity == "error"]


def test_every_link_and_anchor_resolves(seed_site: Path) -> None:
    assert broken_links(seed_site, "/sub/") == []


def test_each_section_title_is_under_its_id(seed_site: Path, seed_records: list[Reply]) -> None:
    for reply in seed_records:
        parser = _TextById()
        parser.feed((seed_site / "replies" / reply.id / "index.html").read_text("utf-8"))
        assert set(parser.heading_of) == {s.id for s in reply.all_sections()}
        for section in reply.all_sections():
            assert section.title in parser.heading_of[section.id], (reply.id, section.id)


def test_data_matches_the_records(seed_site: Path, seed_records: list[Reply]) -> None:
    data = json.loads((seed_site / "data/replies.json").read_text("utf-8"))
    assert sorted(data, key=lambda d: d["id"]) == [r.to_dict() for r in seed_records]


def test_original_text_is_published(seed_site: Path, seed_records: list[Reply]) -> None:
    members = bundled(seed_site)
    for reply in seed_records:
        assert reply.date is not None
        original = members[f"{reply.id}.txt"].decode("utf-8")
        assert original.strip(), reply.id
        html = (seed_site / f"replies/{reply.id}/index.html").read_text("utf-8")
        note = f"{reply.date[:4]}年答复合集（ZIP）中的 {reply.id}.txt、{reply.id}.yaml"
        assert f"原文（纯文本）和记录（YAML）</a><br><small>{note}" in html


def test_cli_build_reports_and_rebuilds(tmp_path: Path, capsys: object) -> None:
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "junk.txt").write_bytes(b"\x00\x01\x02 not a letter")
    seeds = sorted(SEEDS.glob("*.txt"))[:1]
    (bad / seeds[0].name).write_bytes(seeds[0].read_bytes())
    out = tmp_path / "site"
    assert main(["build", "--input", str(bad), "--out", str(out)]) == 0
    captured = capsys.readouterr()  # type: ignore[attr-defined]
    assert "junk.txt" in captured.err
    assert "pages:" not in captured.err  # no progress line when stderr is not a terminal
    assert "1 letters" in captured.out and "1 inputs skipped" in captured.out
    assert (out / "index.html").is_file()


def test_seed_builds_are_byte_identical(seed_site: Path, config: Config, tmp_path: Path) -> None:
    again = build([SEEDS], tmp_path / "site", config).report.out
    assert tree(again) == tree(seed_site)


def test_record_yaml_is_what_the_parse_command_writes(seed_site: Path,
                                                      seed_records: list[Reply]) -> None:
    members = bundled(seed_site)
    for reply in seed_records:
        assert members[f"{reply.id}.yaml"].decode("utf-8") == dump_yaml(reply)


def test_published_records_validate_against_the_schema(seed_site: Path) -> None:
    for record in json.loads((seed_site / "data/replies.json").read_text("utf-8")):
        assert validate_record(record) == [], record["id"]


def test_every_search_result_lands_on_an_element_of_its_letter(seed_site: Path,
                                                                seed_records: list[Reply]) -> None:
    """Each part the search index can return (sections, preamble, closing) has its id on the
    letter page, so a result never opens a letter at the wrong place."""
    for reply in seed_records:
        html = (seed_site / "replies" / reply.id / "index.html").read_text("utf-8")
        for part in letter_parts(reply):
            assert html.count(f'id="{part.part_id}"') == 1, (reply.id, part.part_id)
