"""``replyarchive parse`` in-process: files written, summary, messages, exit codes, determinism."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from replyarchive.cli import main
from replyarchive.ingest.sources import read_source
from replyarchive.parse import parse_source
from replyarchive.pipeline import parse_all
from replyarchive.records.store import dump_yaml, write_atomic
from replyarchive.records.validate import validate_record

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
IDS = ["zgxh-2022-38", "zgxh-2022-59", "zgxh-2025-111", "zgxh-2025-112", "zskh-2023-101"]


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_parse_writes_one_valid_yaml_per_letter(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SEEDS), "--out", str(tmp_path / "out")]) == 0
    out, err = capsys.readouterr()
    assert out == "parsed 5 letters: 0 warnings, 0 failures\n"
    assert sorted(p.stem for p in (tmp_path / "out").glob("*.yaml")) == IDS
    assert [p.name for p in (tmp_path / "out").iterdir() if p.suffix != ".yaml"] == []
    for path in (tmp_path / "out").glob("*.yaml"):
        record = yaml.safe_load(path.read_text("utf-8"))
        assert validate_record(record) == []
        assert isinstance(record["date"], str)
    for line in err.splitlines():
        assert line.startswith(f"{SEEDS / '004_a0df5861fe71b375.txt'}:")


def test_two_runs_write_identical_bytes(tmp_path: Path) -> None:
    assert main(["parse", str(SEEDS), "--out", str(tmp_path / "a")]) == 0
    assert main(["parse", str(SEEDS), "--out", str(tmp_path / "b")]) == 0
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


def test_two_parses_give_identical_records() -> None:
    for letter in sorted(SEEDS.glob("*.txt")):
        first = dump_yaml(parse_source(read_source(letter, SEEDS)))
        assert dump_yaml(parse_source(read_source(letter, SEEDS))) == first


def test_a_bad_file_fails_alone_and_exits_1(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    inputs = tmp_path / "in"
    shutil.copytree(SEEDS, inputs)
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "notes.txt").write_text("会议纪要\n今天讨论了绿化工作。\n", "utf-8")
    assert main(["parse", str(inputs), "--out", str(tmp_path / "out")]) == 1
    out, err = capsys.readouterr()
    assert out == "parsed 5 letters: 0 warnings, 2 failures\n"
    assert f"{inputs / 'empty.txt'}: the file is empty" in err
    assert f"{inputs / 'notes.txt'}:1: not a reply letter" in err
    assert len(list((tmp_path / "out").glob("*.yaml"))) == 5


def test_a_missing_path_is_a_failure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(tmp_path / "nope"), "--out", str(tmp_path / "out")]) == 1
    assert "no such file or folder" in capsys.readouterr().err


def test_id_clashes_get_suffixes_of_their_own_whatever_the_file_names(tmp_path: Path) -> None:
    """Three different letters printed with the same 文号 (a typo in two of them): the earliest
    dated keeps the bare id, the others get their proposal number, and the ids follow the
    letters, not the order their files are found in."""
    ids = []
    for names in (("a.txt", "b.txt", "c.txt"), ("c.txt", "a.txt", "b.txt")):
        folder = tmp_path / names[0]
        folder.mkdir()
        for name, seed in zip(names, ("001", "004", "000"), strict=True):
            text = next(SEEDS.glob(f"{seed}_*.txt")).read_text("utf-8")
            text = re.sub(r"中工信函〔\d{4}〕\s*\d+\s*号", "中工信函〔2022〕59号", text, count=1)
            (folder / name).write_text(text, "utf-8")
        outcome = parse_all([folder])
        ids.append({r.id: r.proposal_number for r in outcome.replies})
        clashes = [p for p in outcome.problems if "is shared with 2 others" in p.message]
        assert [p.severity for p in clashes] == ["warning"] * 3
    assert ids[0] == ids[1] == {"zgxh-2022-59": "131106", "zgxh-2022-59-p131377": "131377",
                                "zgxh-2022-59-p134008": "134008"}


def test_write_atomic_replaces_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "x.yaml"
    write_atomic(target, "one")
    write_atomic(target, b"two")
    assert target.read_text("utf-8") == "two"
    assert [p.name for p in target.parent.iterdir()] == ["x.yaml"]


def test_write_atomic_keeps_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    write_atomic(target, "old")
    with pytest.raises(TypeError):
        write_atomic(target, 42)  # type: ignore[arg-type]
    assert target.read_text("utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.yaml"]


def test_an_unwritable_out_folder_is_a_clear_error(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("a file, not a folder", "utf-8")
    assert main(["parse", str(SEEDS), "--out", str(blocker)]) == 1
    assert f"error: {blocker}: cannot write the records" in capsys.readouterr().err
