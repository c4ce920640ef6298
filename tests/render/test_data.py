"""Open data files, the feed and the sitemap: they load, and they say what the records say."""

from __future__ import annotations

import csv
import dataclasses
import json
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import yaml

from replyarchive.config import Config
from replyarchive.pipeline import build_site
from replyarchive.records.model import Reply
from replyarchive.records.store import dump_yaml
from replyarchive.render import data, serialize
from replyarchive.render.bundles import split

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_replies_json_holds_every_record(fixture_site: Path, records: list[Reply]) -> None:
    data = json.loads((fixture_site / "data/replies.json").read_text("utf-8"))
    assert sorted(data, key=lambda d: d["id"]) == sorted(
        (r.to_dict() for r in records), key=lambda d: d["id"])
    assert [Reply.from_dict(d) for d in data]  # round-trips through the model


def bundled(site: Path) -> dict[str, bytes]:
    """Every member of every data/letters-*.zip, by name."""
    members: dict[str, bytes] = {}
    for path in sorted(site.glob("data/letters-*.zip")):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                assert name not in members, f"{name} in two ZIPs"
                members[name] = archive.read(name)
    return members


def _jsonl(site: Path) -> dict[str, list[dict[str, object]]]:
    """Each data/replies-<year>.jsonl's records, by year slug."""
    return {p.stem.removeprefix("replies-"): [json.loads(line) for line in
                                              p.read_text("utf-8").splitlines()]
            for p in sorted(site.glob("data/replies-*.jsonl"))}


def test_each_letter_yaml_is_in_its_year_zip_and_json_in_its_jsonl(
        fixture_site: Path, records: list[Reply]) -> None:
    members, years = bundled(fixture_site), _jsonl(fixture_site)
    as_json = {d["id"]: d for lines in years.values() for d in lines}
    for reply in records:
        as_yaml = yaml.safe_load(members[f"{reply.id}.yaml"].decode("utf-8"))
        assert Reply.from_dict(as_yaml) == reply
        assert as_json[reply.id] == reply.to_dict()
        assert list(as_yaml) == list(reply.to_dict())  # SCHEMA.md key order
        year = reply.date[:4] if reply.date else "undated"
        assert reply.id in [d["id"] for d in years[year]]
    assert sum(len(lines) for lines in years.values()) == len(records)
    assert not list(fixture_site.glob("data/*.yaml")), "no per-letter file beyond the page"


def test_year_csvs_parse_and_count_the_year_letters(fixture_site: Path,
                                                    records: list[Reply]) -> None:
    """Each year's CSV parses, starts with a BOM (for Excel), and holds that year's letters
    in the order of its JSON Lines."""
    years = _jsonl(fixture_site)
    for slug, lines in years.items():
        data = (fixture_site / f"data/replies-{slug}.csv").read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(data.decode("utf-8-sig").splitlines()))
        assert [r["编号"] for r in rows] == [d["id"] for d in lines]
    assert sorted(years) == sorted({r.date[:4] if r.date else "undated" for r in records})


def test_listing_is_left_out_past_the_file_limit(fixture_site: Path, records: list[Reply],
                                                 config: Config, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """data/replies.json is in the site while it fits a host's file limit, else left out and
    the data page says so."""
    assert (fixture_site / "data/replies.json").stat().st_size > 3_000
    monkeypatch.setattr(data, "MAX_FILE", 3_000)
    out = tmp_path / "site"
    build_site(records, out, config)
    assert not (out / "data/replies.json").exists()
    assert "本站只按年份提供" in (out / "data/index.html").read_text("utf-8")
    assert bundled(out) == bundled(fixture_site)


def test_a_year_past_the_limit_is_cut_into_zips_each_within_it() -> None:
    assert split([10, 10, 10, 10], 25) == [(0, 2), (2, 4)]
    assert split([30, 10, 40, 5], 25) == [(0, 1), (1, 2), (2, 3), (3, 4)]  # one alone if over
    assert split([], 25) == []


def test_letter_page_links_the_zip_holding_its_yaml(fixture_site: Path) -> None:
    for page in fixture_site.glob("replies/*/index.html"):
        reply_id = page.parent.name
        holder = next(p for p in fixture_site.glob("data/letters-*.zip")
                      if f"{reply_id}.yaml" in zipfile.ZipFile(p).namelist())
        assert f'href="../../data/{holder.name}"' in page.read_text("utf-8")


def test_csv_has_one_row_per_letter(fixture_site: Path, records: list[Reply]) -> None:
    text = (fixture_site / "data/replies.csv").read_text("utf-8-sig")
    rows = list(csv.DictReader(text.splitlines()))
    assert sorted(r["编号"] for r in rows) == sorted(r.id for r in records)
    full = next(r for r in rows if r["编号"] == "csxh-2025-7")
    assert full["文号"] == "测试函〔2025〕7号"
    assert full["提出人"] == "测试商会、甲乙"
    assert full["采纳情况"] == "吸收采纳1处；部分采纳1处；留作参考1处"


def test_feed_is_atom_with_absolute_links(fixture_site: Path, config: Config) -> None:
    feed = ET.parse(fixture_site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}updated") == "2025-06-30T00:00:00Z"  # newest letter
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert ids[0] == f"{config.base}replies/csxh-2025-7/"
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert "关于<script>alert(1)</script>的答复的函" in titles  # escaped in XML, text intact


def test_sitemap_lists_every_page(fixture_site: Path, config: Config) -> None:
    urlset = ET.parse(fixture_site / "sitemap.xml").getroot()
    locs = {u.findtext(f"{SITEMAP}loc") for u in urlset}
    pages = {str(p.relative_to(fixture_site)) for p in fixture_site.rglob("*.html")}
    pages.discard("404.html")
    expected = {config.base + p.removesuffix("index.html") for p in pages}
    assert locs == expected


def test_robots_points_at_sitemap(fixture_site: Path, config: Config) -> None:
    robots = (fixture_site / "robots.txt").read_text("utf-8")
    assert f"Sitemap: {config.base}sitemap.xml" in robots


def test_feed_and_sitemap_never_hold_characters_xml_forbids(records: list[Reply],
                                                            config: Config,
                                                            tmp_path: Path) -> None:
    """A record holding U+FFFE, U+FFFF or a control character (an old cache entry, a record
    from elsewhere) still gives a feed and a sitemap that are XML."""
    bad = "\ufffe\uffff\x01\x1a\x85"
    marked = [dataclasses.replace(r, title=f"{r.title or ''}{bad}",
                                  department=f"{r.department or ''}{bad}") for r in records]
    out = tmp_path / "site"
    build_site(marked, out, config)
    for name in ("feed.xml", "sitemap.xml"):
        text = (out / name).read_text("utf-8")
        assert not any(ch in text for ch in bad), name
        ET.fromstring(text.encode("utf-8"))


def test_each_record_maps_to_the_jsonl_part_holding_it_without_reading_it_back(
        tmp_path: Path, records: list[Reply], config: Config,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts are cut from the year's records in order, so their ids are known: the JSON is not
    parsed again (that was a second of a 10,000-letter rebuild)."""
    from types import SimpleNamespace

    from replyarchive.incremental.keys import SiteKeys
    from replyarchive.incremental.output import SiteOutput
    from replyarchive.render.model import SiteModel

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("JSON Lines read back")

    monkeypatch.setattr(data, "json", SimpleNamespace(**{**vars(json), "loads": refuse}),
                        raising=False)  # data.py may not even import json
    monkeypatch.setattr(data, "MAX_FILE", 1)  # one record a part
    output = SiteOutput(tmp_path)
    files = data.write_data(output, SiteModel.from_replies(records), config, {},
                            SiteKeys(records))
    assert sorted(files.records) == sorted(r.id for r in records)
    for reply_id, path in files.records.items():
        lines = (tmp_path / path).read_text("utf-8").splitlines()
        assert [json.loads(line)["id"] for line in lines] == [reply_id]


def test_an_unchanged_rebuild_reads_back_no_zip_and_no_json_lines(
        tmp_path: Path, records: list[Reply], config: Config,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every year's files linked: which ZIP holds which letter (and its original) comes from
    the stage's state, and a year's only JSON Lines part holds all its letters, so neither is
    opened again (a tenth of a no-change render at 1,000 letters)."""
    from replyarchive.incremental.keys import SiteKeys
    from replyarchive.incremental.output import Prior, SiteOutput
    from replyarchive.render import bundles
    from replyarchive.render.model import SiteModel

    model, keys = SiteModel.from_replies(records), SiteKeys(records)
    first = SiteOutput(tmp_path / "a")
    made = data.write_data(first, model, config, {}, keys)
    read_bytes = Path.read_bytes

    def no_json_lines(path: Path) -> bytes:
        assert path.suffix != ".jsonl", f"{path} read back"
        return read_bytes(path)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a ZIP read back")

    monkeypatch.setattr(Path, "read_bytes", no_json_lines)
    monkeypatch.setattr(bundles.zipfile, "ZipFile", refuse)
    again = SiteOutput(tmp_path / "b", Prior(tmp_path / "a", first.keys, first.saved_state()))
    assert data.write_data(again, model, config, {}, keys) == made
    assert again.reused == len(first.keys)


def test_the_archive_csv_never_takes_rows_from_an_altered_year_csv(
        tmp_path: Path, records: list[Reply], config: Config) -> None:
    """data/replies.csv joins the years' CSVs: one linked from the previous site gives its rows
    only while its SHA-256 is the one recorded when it was made (here another year's letter
    changed, and an unchanged year's CSV was altered since); else its rows are made again."""
    from replyarchive.incremental.keys import SiteKeys
    from replyarchive.incremental.output import Prior, SiteOutput
    from replyarchive.render.model import SiteModel, year_of

    def write(out: Path, replies: list[Reply], prior: SiteOutput | None = None) -> SiteOutput:
        given = None if prior is None else Prior(prior.root, prior.keys, prior.saved_state())
        output = SiteOutput(out, given)
        model = SiteModel.from_replies(replies)
        data.write_data(output, model, config, {}, SiteKeys(model.replies))
        return output

    first = write(tmp_path / "a", records)
    edited = records[0]
    other = next(year_of(r) for r in records if year_of(r) != year_of(edited))
    changed = [dataclasses.replace(edited, title=f"{edited.title}（修订）",
                                   source=dataclasses.replace(edited.source, sha256="0" * 64)),
               *records[1:]]
    table = tmp_path / "a" / "data" / f"replies-{other}.csv"
    head, rows = table.read_bytes().split(b"\n", 1)
    table.write_bytes(head + b"\n" + rows.replace(b"\n", "，改\n".encode(), 1))
    write(tmp_path / "b", changed, first)
    write(tmp_path / "clean", changed)
    made = (tmp_path / "b" / "data" / "replies.csv").read_bytes()
    assert made == (tmp_path / "clean" / "data" / "replies.csv").read_bytes()
    assert "，改".encode() not in made


READ_AS_OTHER = ["", "~", "null", "Null", "yes", "No", "ON", "off", "y", "n", "true", "False",
                 "1", "-1", "+1", "0x1f", "0o17", "1_000", "1.5", ".5", "-.inf", ".NaN", "1e3",
                 "2025-01-01", "2025-01-01 10:00:00", "12:30:00", "=", "<<", "!x", "&a", "*a",
                 "-", "- x", "? x", ": x", "#x", "a: b", "临江市", " lead", "multi\nline"]
"""Scalars an implicit resolver may read as something else than a string, and some it
cannot: each must be written as the representer writes it (quoted where it must be)."""


def test_yaml_is_what_the_representer_writes(records: list[Reply]) -> None:
    """serialize.to_yaml answers the dumper's resolver itself: the same text as yaml.dump
    for scalars of every first character the resolvers know, in lists and as keys."""
    record = {**records[0].to_dict(), "odd": READ_AS_OTHER, "keys": {s: s for s in READ_AS_OTHER},
              "plain": [None, True, False, 0, 7, -3, [], {}, [[]], {"x": []}]}
    expected = yaml.dump(record, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
                         allow_unicode=True, sort_keys=False, default_flow_style=False,
                         width=4096)
    assert serialize.to_yaml(records[0], record) == expected
    assert all(serialize.to_yaml(r) == dump_yaml(r) for r in records)
