"""``replyarchive check``: every problem across all inputs at once, exit codes, --strict."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from tests.support import hostile

from replyarchive.check import check_inputs
from replyarchive.cli import main

LINE = re.compile(r"^\S+?(:\d+)?: (warning|error): .{10,}$")


def _clean_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "letters"
    folder.mkdir()
    shutil.copy(hostile.HOSTILE / "brackets_lenticular.txt", folder / "a.txt")
    return folder


def test_hostile_folder_reports_every_file_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", str(hostile.HOSTILE)])
    out = capsys.readouterr().out.splitlines()
    assert code == 1  # errors fail even without --strict
    *problems, summary = out
    assert all(LINE.match(line) for line in problems), [x for x in problems if not LINE.match(x)]
    named = {Path(line.split(":")[0]).name for line in problems}
    for name in (
        "nul_bytes.txt",
        "truncated_midchar.txt",
        "no_signature.txt",
        "two_letters.txt",
        "cr_only.txt",
        "truncated.txt",
    ):
        assert name in named
    assert re.fullmatch(r"checked: \d+ letters, \d+ warnings, 2 errors", summary)


def test_problems_come_sorted_by_file_and_line() -> None:
    report = check_inputs([hostile.HOSTILE])
    keys = [(p.path, p.line or 0) for p in report.problems]
    assert keys == sorted(keys)


def test_two_letters_in_one_file_are_pointed_at() -> None:
    report = check_inputs([hostile.HOSTILE / "two_letters.txt"])
    lines = [p.line for p in report.problems if "more than one letter" in p.message]
    # The second 文号 (69), and the parser's split: where each letter starts (3, 65).
    assert sorted(set(lines)) == [3, 65, 69]


def test_clean_input_passes_even_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _clean_folder(tmp_path)
    assert main(["check", "--strict", str(folder)]) == 0
    assert capsys.readouterr().out.splitlines() == ["checked: 1 letters, 0 warnings, 0 errors"]


def test_warnings_fail_only_in_strict_mode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _clean_folder(tmp_path)
    (folder / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert main(["check", str(folder)]) == 0
    assert main(["check", "--strict", str(folder)]) == 1
    out = capsys.readouterr().out
    assert f"{folder / 'scan.png'}: warning: skipped: an image, not a letter format" in out


def test_missing_path_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "nowhere")]) == 1
    assert "nowhere: error: no such file or folder" in capsys.readouterr().out
