"""The pinyin table kept in the cache folder: read back as it was stored, and never trusted
when damaged, edited, of another pypinyin or not a table of readings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import ROOT

from replyarchive.incremental import pinyin as kept
from replyarchive.incremental.cache import seal
from replyarchive.incremental.pinyin import FILE, load_pinyin, pypinyin_version, store_pinyin
from replyarchive.parse.ids import read_prefixes, reply_id
from replyarchive.vocab.pinyin import Pinyin


def _stored(folder: Path) -> Pinyin:
    pinyin = Pinyin()
    pinyin.words("临江市农业农村局")
    pinyin.initials("南农函")
    store_pinyin(folder, pinyin)
    return pinyin


def test_a_stored_table_is_read_back(tmp_path: Path) -> None:
    stored = _stored(tmp_path)
    loaded = load_pinyin(tmp_path)
    assert loaded.known == stored.known
    assert loaded.words("临江市农业农村局") == ("lin", "jiang", "shi", "nong", "ye", "nong",
                                                 "cun", "ju")
    assert not loaded.fresh


def test_nothing_is_written_when_nothing_was_read(tmp_path: Path) -> None:
    store_pinyin(tmp_path, Pinyin())
    assert not (tmp_path / FILE).exists()
    store_pinyin(None, Pinyin())  # no cache folder: nothing to keep


def _forged(folder: Path, version: str | None = None) -> None:
    """A table saying 南农函 reads ``x y z``, sealed, for ``version`` (default: this pypinyin)."""
    data = {"pypinyin": version or pypinyin_version(), "words": {},
            "initials": {"南农函": ["x", "y", "z"]}}
    (folder / FILE).write_bytes(seal(data))


def test_a_sealed_table_is_what_is_read(tmp_path: Path) -> None:
    _forged(tmp_path)  # the control: the forged reading is used when the table is sound
    assert reply_id("南农函〔2023〕57号", "proposal", None, load_pinyin(tmp_path)) == "xyz-2023-57"


def test_an_edited_table_is_not_trusted(tmp_path: Path) -> None:
    _forged(tmp_path)
    raw = (tmp_path / FILE).read_bytes()
    (tmp_path / FILE).write_bytes(raw.replace(b'"x"', b'"q"'))  # the seal no longer holds
    assert reply_id("南农函〔2023〕57号", "proposal", None, load_pinyin(tmp_path)) == "nnh-2023-57"


def test_a_table_of_another_pypinyin_is_not_trusted(tmp_path: Path) -> None:
    _forged(tmp_path, version="0" * 64)
    assert load_pinyin(tmp_path).known == Pinyin().known


@pytest.mark.parametrize("body", [
    {"words": {}, "initials": {}},                                    # no version
    {"words": {"南农函": "nnh"}, "initials": {}},                      # not a list
    {"words": {"南农函": [1, 2]}, "initials": {}},                     # not syllables
    {"words": []},                                                    # not a table
    ["not", "a", "table"],
])
def test_what_is_not_a_table_is_not_read(tmp_path: Path, body: object) -> None:
    data = {"pypinyin": pypinyin_version(), **body} if isinstance(body, dict) else body
    (tmp_path / FILE).write_bytes(seal(data))
    assert load_pinyin(tmp_path).known == Pinyin().known


@pytest.mark.parametrize("raw", [b"", b"\xff\xfe", b"abc\n{}"])
def test_a_damaged_table_is_not_read(tmp_path: Path, raw: bytes) -> None:
    (tmp_path / FILE).write_bytes(raw)
    assert load_pinyin(tmp_path).known == Pinyin().known


def test_without_pypinyin_found_nothing_is_kept(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kept.importlib.util, "find_spec", lambda name: None)
    _stored(tmp_path)
    assert not (tmp_path / FILE).exists()


def test_the_prefixes_of_the_records_are_read() -> None:
    class Record:
        def __init__(self, doc_number: str | None) -> None:
            self.doc_number = doc_number

    pinyin = Pinyin()
    read_prefixes([Record("南农函〔2023〕57号"), Record(None), Record("无文号")], pinyin)  # type: ignore[list-item]
    assert pinyin.known["initials"] == {"南农函": ("n", "n", "h")}


def test_a_rebuild_that_meets_known_names_does_not_import_pypinyin(tmp_path: Path) -> None:
    _stored(tmp_path)
    code = ("import sys; from pathlib import Path; "
            "from replyarchive.incremental.pinyin import load_pinyin; "
            "from replyarchive.parse.ids import reply_id; "
            "from replyarchive.render.slugs import slugify; "
            f"p = load_pinyin(Path({str(tmp_path)!r})); "
            "print(reply_id('南农函〔2023〕57号', 'proposal', None, p), "
            "slugify('临江市农业农村局', p), 'pypinyin' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT / "src")}, check=True)
    assert run.stdout.split() == ["nnh-2023-57", "lin-jiang-shi-nong-ye-nong-cun-ju", "False"]


def test_the_table_is_json_of_texts_and_syllables(tmp_path: Path) -> None:
    _stored(tmp_path)
    data = json.loads((tmp_path / FILE).read_bytes().partition(b"\n")[2])
    assert data == {"pypinyin": pypinyin_version(),
                    "words": {"临江市农业农村局": ["lin", "jiang", "shi", "nong", "ye", "nong",
                                                   "cun", "ju"]},
                    "initials": {"南农函": ["n", "n", "h"]}}
