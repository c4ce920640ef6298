"""Nothing of a letter is lost without a word: what the normaliser takes out is reported."""

from __future__ import annotations

from pathlib import Path

from replyarchive.ingest.sources import read_source
from replyarchive.parse import parse_source

ROOT = Path(__file__).resolve().parents[2]


def test_a_character_xml_forbids_is_dropped_and_the_record_says_where(tmp_path: Path) -> None:
    text = (ROOT / "seeds" / "003_97f765a9b187815b.txt").read_text("utf-8")
    letter = tmp_path / "x.txt"
    letter.write_text(text.replace("收悉", "收\uffff悉", 1), "utf-8")
    reply = parse_source(read_source(letter, tmp_path))
    assert "\uffff" not in str(reply.to_dict())
    [warning] = [w for w in reply.warnings if "U+FFFF" in w]
    assert warning.startswith("line 11: removed U+FFFF")
