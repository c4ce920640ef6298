"""ids.assign_ids: a published letter keeps its id when letters with the same 文号 come or go."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

from replyarchive.config import Config
from replyarchive.incremental.cache import ParseCache
from replyarchive.parse.ids import assign_ids
from replyarchive.pipeline import build, parse_all
from replyarchive.records.model import Reply, Source

ROOT = Path(__file__).resolve().parents[2]
SEED = sorted((ROOT / "seeds").glob("*.txt"))[1]  # 中工信函〔2022〕59号, 2022年6月13日


def _letter(path: str, date: str, proposal: str) -> Reply:
    reply = parse_all([SEED]).replies[0]
    return dataclasses.replace(reply, date=date, proposal_number=proposal,
                               source=Source(path, path.encode().hex().ljust(64, "0"), "utf-8"))


def test_a_published_id_is_kept_when_letters_with_its_id_come_and_go() -> None:
    a = _letter("b.txt", "2022-06-13", "131377")
    b = _letter("a.txt", "2022-07-01", "131378")  # found first, dated later
    (first,) = assign_ids([a], {})
    assert first == a.id
    both = assign_ids([b, a], {"b.txt": [first]})
    assert both[1] == first and both[0] == f"{a.id}-p131378"
    assert assign_ids([b, a], {}) == both  # a clean build gives the same ids
    assert assign_ids([b], {"a.txt": [both[0]]}) == [both[0]]  # a gone: b keeps its address


def test_a_letter_published_first_keeps_its_id_though_another_is_older() -> None:
    late = _letter("b.txt", "2022-07-01", "131378")
    early = _letter("a.txt", "2022-06-13", "131377")
    assert assign_ids([early, late], {}) == [late.id, f"{late.id}-p131378"]
    assert assign_ids([early, late], {"b.txt": [late.id]}) == [f"{late.id}-p131377", late.id]


def test_letters_alike_but_for_their_path_get_distinct_stable_ids() -> None:
    a, b, c = (_letter(name, "2022-06-13", "131377") for name in ("a.txt", "b.txt", "c.txt"))
    ids = assign_ids([a, b, c], {})
    assert len(set(ids)) == 3 and ids[0] == a.id
    assert assign_ids([c, b], {"b.txt": [ids[1]], "c.txt": [ids[2]]}) == [ids[2], ids[1]]


def _two_letters(folder: Path, second: bool) -> None:
    """b.txt: the seed; a.txt (found first): another letter under the same 文号, dated later."""
    folder.mkdir(exist_ok=True)
    text = SEED.read_text(encoding="utf-8")
    (folder / "b.txt").write_text(text, encoding="utf-8")
    if second:
        other = text.replace("131377", "131378").replace("2022年6月13日", "2022年7月1日")
        (folder / "a.txt").write_text(other, encoding="utf-8")


def _published(site: Path) -> dict[str, str]:
    """Each letter page's id → the source file of the record it shows."""
    records = {r["id"]: r for p in (site / "data").glob("replies-*.jsonl")
               for r in map(json.loads, p.read_text(encoding="utf-8").splitlines())}
    assert set(records) == {p.parent.name for p in (site / "replies").glob("*/index.html")}
    return {name: record["source"]["path"] for name, record in records.items()}


def test_a_cited_letter_page_still_shows_that_letter_after_another_is_added(
    tmp_path: Path,
) -> None:
    letters, out = tmp_path / "letters", tmp_path / "site"
    cache = ParseCache(tmp_path / "cache", version="v1")
    _two_letters(letters, second=False)
    build([letters], out, Config(), cache=cache)
    (cited,) = _published(out)
    _two_letters(letters, second=True)
    build([letters], out, Config(), cache=cache)
    pages = _published(out)
    assert pages[cited] == "b.txt" and len(pages) == 2
    clean = tmp_path / "clean"
    build([letters], clean, Config())
    assert _published(clean) == pages
    shutil.rmtree(tmp_path / "cache")  # the cache forgotten: the published site still says
    build([letters], out, Config(), cache=ParseCache(tmp_path / "cache", "v1"))
    assert _published(out) == pages
