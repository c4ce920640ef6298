"""A verdict stated in the opening for the whole letter (“…”等N条建议均已采纳) is read and
reported, even when the points it counts are quoted before it."""

from __future__ import annotations

from pathlib import Path

from replyarchive.ingest.sources import SourceText, read_source
from replyarchive.parse import parse_source


def test_a_counted_verdict_after_a_quoted_list_is_reported(tmp_path: Path) -> None:
    letter = tmp_path / "letter.txt"
    letter.write_text(
        "何平代表：\n"
        "您提出的《关于改善城郊公交服务的建议》收悉。经与市交通局共同研究，您提出的“加密班次、"
        "延长末班时间”等两项建议均已采纳，现将办理情况答复如下。\n"
        "今年我局已在城郊线路加密班次，末班车延长至晚上十点。\n", "utf-8")
    src: SourceText = read_source(letter, tmp_path)
    reply = parse_source(src)
    warnings = [str(w) for w in reply.warnings]
    assert any("'等两项建议均已采纳' (adopted)" in w for w in warnings), warnings
    assert (reply.letter_adoption, reply.letter_adoption_status) == ("等两项建议均已采纳",
                                                                     "adopted")
    assert reply.to_dict()["letter_adoption_status"] == "adopted"


def test_a_letter_without_a_verdict_writes_none(tmp_path: Path) -> None:
    letter = tmp_path / "letter.txt"
    letter.write_text("何平代表：\n您提出的《关于改善城郊公交服务的建议》收悉，现答复如下：\n"
                      "今年我局已在城郊线路加密班次。\n", "utf-8")
    reply = parse_source(read_source(letter, tmp_path))
    assert reply.letter_adoption is None and "letter_adoption" not in reply.to_dict()
