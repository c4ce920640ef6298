"""The SQLite database: opens with sqlite3, counts match the records, FTS finds Chinese text
(traditional folded as the site's search folds), same records → same bytes."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.render.conftest import load_records

from replyarchive.cli import main
from replyarchive.config import Config
from replyarchive.export.database import (
    TABLES,
    database_bytes,
    ideograph_count,
    ideographs,
    letter_floor,
    search_sql,
    size_floor,
)
from replyarchive.incremental import parallel
from replyarchive.incremental.keys import SiteKeys
from replyarchive.incremental.output import Prior, SiteOutput
from replyarchive.index.t2s import t2s_table
from replyarchive.index.tokenize import fold
from replyarchive.pipeline import build_site
from replyarchive.records.model import Reply, Section
from replyarchive.render import database as database_module
from replyarchive.render.database import DATABASE, METADATA, DatabaseFile, write_database
from replyarchive.render.model import newest_first

BASE = "https://archive.example.org/sub/"
PRINTED = "推动生產企業數字化轉型"
"""A paragraph as a letter may print it: traditional characters in simplified text."""


def _with_traditional(records: list[Reply]) -> list[Reply]:
    first = records[0]
    part = Section(id="s9", level=1, number="九", title="关于数字化", paragraphs=(PRINTED,))
    return [dataclasses.replace(first, sections=(*first.sections, part)), *records[1:]]


@pytest.fixture(scope="module")
def records() -> list[Reply]:
    return list(newest_first(_with_traditional(load_records())))


@pytest.fixture(scope="module")
def db(records: list[Reply],
       tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    path = tmp_path_factory.mktemp("db") / "replies.db"
    path.write_bytes(database_bytes(records, BASE))
    conn = sqlite3.connect(path)
    yield conn
    conn.close()


def _count(db: sqlite3.Connection, table: str) -> int:
    return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_counts_match_the_records(db: sqlite3.Connection, records: list[Reply]) -> None:
    assert _count(db, "replies") == len(records)
    assert _count(db, "sections") == sum(len(r.all_sections()) for r in records)
    assert _count(db, "proposers") == sum(len(r.proposers) for r in records)
    assert _count(db, "co_handlers") == sum(len(r.co_handlers) for r in records)
    assert _count(db, "contacts") == sum(len(r.contacts) for r in records)
    assert _count(db, "sections_fts") == _count(db, "sections")
    ids = [row[0] for row in db.execute("SELECT id FROM replies ORDER BY position")]
    assert ids == [r.id for r in records]


def test_every_child_table_has_a_foreign_key_to_replies(db: sqlite3.Connection) -> None:
    for table in TABLES[1:]:
        keys = db.execute(f"PRAGMA foreign_key_list({table})").fetchall()
        assert [(k[2], k[3], k[4]) for k in keys] == [("replies", "reply_id", "id")], table
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def _found(db: sqlite3.Connection, query: str) -> set[tuple[str, str]]:
    sql, params = search_sql(query)
    return {(row[0], row[1]) for row in db.execute(sql, params)}


def test_fts_finds_a_chinese_phrase_in_the_middle_of_a_paragraph(
        db: sqlite3.Connection, records: list[Reply]) -> None:
    reply = next(r for r in records if any(s.paragraphs for s in r.all_sections()))
    section = next(s for s in reply.all_sections() if s.paragraphs and len(s.paragraphs[0]) > 8)
    phrase = section.paragraphs[0][2:7]
    assert (reply.id, section.id) in _found(db, phrase)
    assert "MATCH" in search_sql(phrase)[0]  # the trigram index, not a scan


def test_traditional_and_simplified_find_each_other(db: sqlite3.Connection,
                                                    records: list[Reply]) -> None:
    where = next((r.id, "s9") for r in records if r.sections[-1].id == "s9")
    assert where in _found(db, "生产企业")  # simplified query, traditional text
    assert where in _found(db, "生產企業數字")  # traditional query, folded
    assert where in _found(db, "產企")  # two characters: the LIKE fallback


def test_two_characters_go_to_like_since_trigram_needs_three() -> None:
    sql, params = search_sql("企業")
    assert "LIKE" in sql and params == {"q": "%企业%"}
    assert search_sql("5%")[1] == {"q": "%5\\%%"}


def test_same_records_give_the_same_bytes(records: list[Reply]) -> None:
    assert database_bytes(records, BASE) == database_bytes(list(records), BASE)
    assert database_bytes(records, BASE) != database_bytes(records, "https://other.example/")


def test_the_site_holds_the_database_and_its_metadata(tmp_path: Path, records: list[Reply]
                                                      ) -> None:
    out = tmp_path / "site"
    report = build_site(records, out, Config(base_url=BASE))
    assert (out / DATABASE).read_bytes() == database_bytes(records, BASE)
    meta = json.loads((out / METADATA).read_text(encoding="utf-8"))
    assert set(meta["databases"]["replies"]["tables"]) == set(TABLES)
    assert meta["license"] and meta["license_url"].startswith("https://")
    assert report.notes == ()
    page = (out / "data/index.html").read_text(encoding="utf-8")
    assert 'href="../data/replies.db"' in page


def test_a_database_over_the_limit_is_left_out_with_a_note(tmp_path: Path,
                                                           records: list[Reply]) -> None:
    output = SiteOutput(tmp_path)
    made = write_database(output, tuple(records), Config(base_url=BASE), SiteKeys(records),
                          limit=1000)
    assert not made.published and made.size > 1000
    assert not (tmp_path / DATABASE).exists() and (tmp_path / METADATA).is_file()
    assert "replyarchive export --db" in " ".join(made.notes())


def test_a_database_known_to_be_too_big_is_not_even_made(tmp_path: Path, records: list[Reply],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Both size floors are under its true size; over the limit already, the database is left
    out without being made (at 10,000 letters that took most of a one-letter rebuild)."""
    size, cheap, tight = len(database_bytes(records, BASE)), size_floor(records), _floor(records)
    assert 0 < cheap < tight < size
    between = _write(tmp_path / "a", records, limit=(tight + size) // 2)
    assert (between.size, between.exact, between.published) == (size, True, False)
    monkeypatch.setattr(database_module, "database_bytes", _never)
    under = _write(tmp_path / "b", records, limit=cheap - 1)
    assert (under.size, under.exact, under.published) == (cheap, False, False)
    assert f"over {cheap:,} bytes" in " ".join(under.notes())
    folded = _write(tmp_path / "c", records, limit=tight - 1)
    assert (folded.size, folded.exact, folded.published) == (tight, False, False)


def test_a_rebuild_works_out_the_floors_of_changed_letters_only(
        tmp_path: Path, records: list[Reply], monkeypatch: pytest.MonkeyPatch) -> None:
    """Each letter's floor is kept for the next build: one letter changed, one floor made."""
    limit = _floor(records) - 1
    edited = [_edited(records[1]) if n == 1 else r for n, r in enumerate(records)]
    clean = SiteOutput(tmp_path / "clean")
    expected = write_database(clean, tuple(edited), Config(base_url=BASE), SiteKeys(edited),
                              limit=limit)
    again, made, folded = _rebuild(tmp_path, records, edited, limit, monkeypatch,
                                   "letter_floor")
    assert folded == [records[1].id]
    assert made == expected and not made.exact
    assert again.saved_state() == clean.saved_state()


def test_the_floors_past_the_limit_are_kept_too(
        tmp_path: Path, records: list[Reply], monkeypatch: pytest.MonkeyPatch) -> None:
    """The floor reported stops at the letter that takes the sum over the limit, but every
    letter's floor is kept: a rebuild with one letter changed works out that one alone, not
    again every letter after the limit."""
    limit = _floor(records[:1])  # over it at the second letter
    head = records[0]  # its file saved again, say; the last letter is past the limit
    edited = [dataclasses.replace(head, source=dataclasses.replace(head.source, sha256="0" * 64)),
              *records[1:]]
    _, made, folded = _rebuild(tmp_path, records, edited, limit, monkeypatch, "letter_floor")
    assert folded == [head.id]
    assert made == DatabaseFile(_floor(records[:2]), False, exact=False)


def test_a_rebuild_reads_the_printed_text_of_changed_letters_only(
        tmp_path: Path, records: list[Reply], monkeypatch: pytest.MonkeyPatch) -> None:
    """The cheap floor is each letter's printed text, kept for the next build: one letter
    changed, one letter's text read (the sum of all of them was a tenth of a one-letter
    rebuild at 1,000 letters); the floor it reports is a clean build's."""
    edited = [_edited(records[1]) if n == 1 else r for n, r in enumerate(records)]
    limit = size_floor(edited) - 1  # over it by the cheap floor alone
    clean = SiteOutput(tmp_path / "clean")
    expected = write_database(clean, tuple(edited), Config(base_url=BASE), SiteKeys(edited),
                              limit=limit)
    again, made, read = _rebuild(tmp_path, records, edited, limit, monkeypatch, "printed_size")
    assert read == [records[1].id]
    assert made == expected == DatabaseFile(size_floor(edited), False, exact=False)
    assert again.saved_state() == clean.saved_state()


def _rebuild(tmp_path: Path, records: list[Reply], edited: list[Reply], limit: int,
             monkeypatch: pytest.MonkeyPatch, counted: str
             ) -> tuple[SiteOutput, DatabaseFile, list[str]]:
    """The database of ``records``, then of ``edited`` over it: the second build's output,
    what it says, and the ids of the letters it called ``counted`` (a function of
    render.database taking the letter first) on."""
    first = SiteOutput(tmp_path / "a")
    write_database(first, tuple(records), Config(base_url=BASE), SiteKeys(records), limit=limit)
    real, called = getattr(database_module, counted), []

    def counting(reply: Reply, *args: Any) -> Any:
        called.append(reply.id)
        return real(reply, *args)

    monkeypatch.setattr(database_module, counted, counting)
    again = SiteOutput(tmp_path / "b", Prior(tmp_path / "a", first.keys, first.saved_state()))
    made = write_database(again, tuple(edited), Config(base_url=BASE), SiteKeys(edited),
                          limit=limit)
    return again, made, called


def test_the_floors_worked_out_on_workers_are_the_ones_made_here(
        tmp_path: Path, records: list[Reply], monkeypatch: pytest.MonkeyPatch) -> None:
    """Forked workers work out the letters' floors (many letters): the same floors, stopping
    at the same letter, as one process."""
    limit = _floor(records[:2])  # over it at the third letter
    one = SiteOutput(tmp_path / "one")
    expected = write_database(one, tuple(records), Config(base_url=BASE), SiteKeys(records),
                              limit=limit)
    monkeypatch.setattr(parallel, "SERIAL_BELOW", 1)
    monkeypatch.setattr(parallel, "WORKERS", 2)
    two = SiteOutput(tmp_path / "two")
    made = write_database(two, tuple(records), Config(base_url=BASE), SiteKeys(records),
                          limit=limit)
    assert made == expected and not made.exact and made.size == _floor(records[:3])
    assert two.saved_state() == one.saved_state()
    assert len(two.saved_state()["database"]["floors"]) == len(records)


def _floor(records: list[Reply]) -> int:
    return sum(letter_floor(r, BASE) for r in records)


def _write(out: Path, records: list[Reply], limit: int) -> DatabaseFile:
    return write_database(SiteOutput(out), tuple(records), Config(base_url=BASE),
                          SiteKeys(records), limit=limit)


def _edited(reply: Reply) -> Reply:
    """The letter with one more sentence, as if its file had been edited (another digest)."""
    section = reply.sections[0]
    longer = dataclasses.replace(section, paragraphs=(*section.paragraphs, "另补充一句。"))
    return dataclasses.replace(reply, sections=(longer, *reply.sections[1:]),
                               source=dataclasses.replace(reply.source, sha256="0" * 64))


IDEOGRAPHS = [chr(c) for c in range(0x4E00, 0xA000)]


def test_the_fold_keeps_every_ideograph() -> None:
    """What ``letter_floor`` counts on: each CJK ideograph stays one character of three UTF-8
    bytes or more however the fold treats the text around it."""
    table = t2s_table()
    assert all(len(table.get(ch, ch).encode("utf-8")) >= 3 for ch in IDEOGRAPHS)
    assert ideographs("关于「生產」ＡＢ１２3。") == "关于生產"
    edges = "\u4dff\u4e00\u9fff\ua000\U00020000\ud800\U0004e000"
    assert ideograph_count(edges) == len(ideographs(edges)) == 2


@given(st.text(st.sampled_from(["生", "產", "與", "\ufe0f", "\u0301", "\u3099", "Ａ", "a", "，",
                                "㍿", "\uf900", "\u1100", "\u1161", " ", "\n"])))
def test_the_fold_of_any_text_holds_its_ideographs(text: str) -> None:
    folded, kept = fold(text), ideographs(text)
    assert ideograph_count(text) == len(kept)
    assert len(folded) >= len(kept) and len(folded.encode()) >= len(kept.encode())


def _never(*_: object) -> bytes:
    raise AssertionError("the database was made")


def test_export_writes_the_whole_database_anywhere(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    letters = Path(__file__).resolve().parents[2] / "seeds"
    target = tmp_path / "deep" / "archive.db"
    assert main(["export", "--db", str(target), "--input", str(letters)]) == 0
    assert "datasette" in capsys.readouterr().out
    conn = sqlite3.connect(target)
    try:
        assert _count(conn, "replies") == len(list(letters.glob("*.txt")))
    finally:
        conn.close()
    meta = json.loads((tmp_path / "deep" / "archive.metadata.json").read_text(encoding="utf-8"))
    assert "archive" in meta["databases"]


def test_export_to_a_folder_says_what_to_give(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    letters = Path(__file__).resolve().parents[2] / "seeds"
    assert main(["export", "--db", str(tmp_path), "--input", str(letters)]) == 1
    assert "give --db the path of a file" in capsys.readouterr().err


def test_a_letter_that_numbers_two_parts_alike_still_exports(records: list[Reply]) -> None:
    """Letters do print two 1. items at one level (the parser then gives both one anchor):
    a section is keyed by its position in the letter, so both reach the database."""
    first = records[0]
    twice = dataclasses.replace(first, sections=(*first.sections, first.sections[0]))
    conn = sqlite3.connect(":memory:")
    try:
        conn.deserialize(database_bytes([twice], BASE))
        count = conn.execute("SELECT count(*) FROM sections WHERE anchor = ?",
                             (first.sections[0].id,)).fetchone()[0]
    finally:
        conn.close()
    assert count == 2
