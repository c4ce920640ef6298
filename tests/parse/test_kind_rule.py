"""The kind rule keeps the strongest signal and names the parts that disagree."""

from __future__ import annotations

from pathlib import Path

from replyarchive.ingest.sources import read_source
from replyarchive.parse import parse_source


def _parse(tmp_path: Path, text: str) -> tuple[str, list[str]]:
    letter = tmp_path / "letter.txt"
    letter.write_text(text, "utf-8")
    reply = parse_source(read_source(letter, tmp_path))
    return reply.kind, [str(w) for w in reply.warnings]


def test_a_conflict_keeps_the_session_and_warns(tmp_path: Path) -> None:
    kind, warnings = _parse(tmp_path, "关于市政协八届五次会议第7号提案的答复\n周红代表：\n"
                            "您提出的《关于修缮老街的建议》收悉，现答复如下：\n我局已安排修缮。\n")
    assert kind == "proposal"
    assert any("the salutation (代表) says otherwise" in w for w in warnings), warnings


def test_the_salutation_alone_makes_a_suggestion_without_a_warning(tmp_path: Path) -> None:
    kind, warnings = _parse(tmp_path, "马丽代表：\n您提出的关于修缮村道的建议收悉，现答复如下：\n"
                            "我镇已安排修缮。\n")
    assert kind == "suggestion"
    assert not any("otherwise" in w or "cannot tell" in w for w in warnings), warnings
