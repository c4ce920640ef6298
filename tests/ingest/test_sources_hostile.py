"""Inputs that fight back: odd names, links that loop, leave or change, files that change while
they are read. Each becomes a problem that names the file; the other letters still parse."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from replyarchive.check import check_inputs, format_problem
from replyarchive.cli import main
from replyarchive.config import Config
from replyarchive.errors import SourceError
from replyarchive.incremental.cache import ParseCache
from replyarchive.ingest import sources
from replyarchive.ingest.sources import InputChanged, decode, read_input
from replyarchive.pipeline import build, parse_all

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GBK_NAME = b"\xd6\xd0\xc9\xbd.txt"
"""中山.txt in GBK bytes, as unzip gives a name from a Windows zip."""


def _folder(tmp_path: Path, count: int = 1) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in SEEDS[:count]:
        (folder / seed.name).write_bytes(seed.read_bytes())
    return folder


def test_a_name_that_is_not_utf8_is_an_error_in_parse_and_check(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _folder(tmp_path)
    with open(os.path.join(os.fsencode(folder), GBK_NAME), "wb") as file:
        file.write(SEEDS[1].read_bytes())
    outcome = parse_all([folder])
    assert [r.source.path for r in outcome.replies] == [SEEDS[0].name]
    [error] = [p for p in outcome.problems if p.severity == "error"]
    assert error.path == f"{folder}/\\xd6\\xd0ɽ.txt"  # C9 BD happens to be UTF-8: ɽ
    assert "not UTF-8" in error.message and "中山.txt" in error.message
    assert "rename" in error.message
    assert check_inputs([folder]).errors == 1
    assert main(["parse", str(folder), "--out", str(tmp_path / "records")]) == 1
    assert len(list((tmp_path / "records").iterdir())) == 1
    assert "\\xd6\\xd0ɽ.txt" in capsys.readouterr().err


def test_a_link_to_itself_is_a_warning_not_a_traceback(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    os.symlink("loop.txt", folder / "loop.txt")
    for problems in (parse_all([folder]).problems, check_inputs([folder]).problems):
        [warning] = problems
        assert (warning.path, warning.severity) == (str(folder / "loop.txt"), "warning")
        assert "loop" in warning.message


def test_links_outside_or_to_nothing_are_skipped_with_a_warning(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (tmp_path / "secret.txt").write_bytes(SEEDS[1].read_bytes())
    os.symlink(tmp_path / "secret.txt", folder / "escape.txt")
    os.symlink("missing.txt", folder / "dangling.txt")
    os.symlink(tmp_path, folder / "up")
    outcome = parse_all([folder])
    assert [r.source.path for r in outcome.replies] == [SEEDS[0].name]
    said = {Path(p.path).name: p.message for p in outcome.problems if p.severity == "warning"}
    assert set(said) == {"escape.txt", "dangling.txt", "up"}
    assert str(tmp_path / "secret.txt") in said["escape.txt"]
    assert "outside the input folder" in said["escape.txt"]
    assert "missing.txt" in said["dangling.txt"] and "nothing" in said["dangling.txt"]


def test_a_newline_in_a_name_keeps_one_line_per_problem(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "two\nlines.txt").write_bytes(b"\x00\x01 not a letter")
    (folder / "tab\tand\x1bescape.md").write_bytes(b"x")
    lines = [format_problem(p) for p in check_inputs([folder]).problems]
    assert len(lines) == 2 and all("\n" not in line and "\x1b" not in line for line in lines)
    assert any(line.startswith(f"{folder}/two\\nlines.txt: error: ") for line in lines)
    assert any(line.startswith(f"{folder}/tab\\tand\\x1bescape.md: warning: ") for line in lines)


@pytest.mark.parametrize("tail", [b"\x1a", b"\x1a\x1a"])
def test_a_dos_end_of_file_byte_at_the_end_is_dropped(tail: bytes) -> None:
    text, encoding = decode(b"\xd6\xd0\xc9\xbd\r\n" + tail, Path("x.txt"))  # 中山 in GBK
    assert (text, encoding) == ("中山\r\n", "gb18030")


def test_a_dos_end_of_file_byte_inside_the_text_is_named() -> None:
    with pytest.raises(SourceError, match="DOS end-of-file mark"):
        decode(b"abc\x1adef\n", Path("x.txt"))


def test_a_letter_ending_in_ctrl_z_parses_like_the_letter(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "dos.txt").write_bytes(SEEDS[1].read_bytes() + b"\x1a")
    clean = parse_all([ROOT / "seeds"])
    outcome = parse_all([folder])
    assert not [p for p in outcome.problems if p.severity == "error"]
    [dos] = [r for r in outcome.replies if r.source.path == "dos.txt"]
    [seed] = [r for r in clean.replies if r.source.path == SEEDS[1].name]
    assert dos.to_dict() | {"source": None} == seed.to_dict() | {"source": None}


@pytest.mark.parametrize("proc", [True, False], ids=["proc-fd", "fstat"])
def test_a_link_swapped_between_listing_and_reading_is_not_followed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, proc: bool) -> None:
    """The link points inside while the folder is listed and outside when it is read."""
    folder = _folder(tmp_path)
    (folder / "sub").mkdir()
    (folder / "sub" / "inside.txt").write_bytes(SEEDS[1].read_bytes())
    secret = tmp_path / "secret.txt"
    secret.write_bytes(SEEDS[2].read_bytes())
    link = folder / "link.txt"
    os.symlink(folder / "sub" / "inside.txt", link)
    walk = os.walk

    def walk_then_swap(top: str, **kwargs: bool) -> object:
        yield from walk(top, **kwargs)
        link.unlink()
        os.symlink(secret, link)

    monkeypatch.setattr(os, "walk", walk_then_swap)
    if not proc:
        monkeypatch.setattr(sources, "_FD_PATHS", None)
    outcome = parse_all([folder])
    [leaked] = parse_all([secret]).replies
    assert leaked.title not in {r.title for r in outcome.replies}
    assert [p.path for p in outcome.problems if p.severity == "error"] == [str(link)]


def test_a_file_written_while_it_is_read_is_refused(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _folder(tmp_path)
    letter = folder / SEEDS[0].name
    read_all = sources._read_all

    def read_then_write(fd: int, size: int) -> bytes:
        data = read_all(fd, size)
        with letter.open("ab") as file:  # an editor saving, after the bytes were read
            file.write(b"\n")
        return data

    monkeypatch.setattr(sources, "_read_all", read_then_write)
    with pytest.raises(InputChanged, match="changed while it was read"):
        read_input(letter, folder)


def test_a_file_is_read_in_one_read_unless_it_gives_less(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A no-change rebuild reads every letter: one read each when the file holds the size its
    stat said; a short read (some file systems give one) still ends in every byte."""
    folder = _folder(tmp_path)
    letter = folder / SEEDS[0].name
    whole = letter.read_bytes()
    calls: list[int] = []
    real_read = os.read

    def counted(fd: int, n: int) -> bytes:
        calls.append(n)
        return real_read(fd, n)

    monkeypatch.setattr(os, "read", counted)
    assert read_input(letter, folder).data == whole
    assert calls == [len(whole) + 1]

    def short_first(fd: int, n: int) -> bytes:
        calls.append(n)
        return real_read(fd, 7 if len(calls) == 1 else n)

    calls.clear()
    monkeypatch.setattr(os, "read", short_first)
    assert read_input(letter, folder).data == whole
    assert len(calls) == 3  # 7 bytes, the rest, then the end


def test_a_fifo_named_like_a_letter_does_not_hang(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    os.mkfifo(folder / "pipe.txt")
    with pytest.raises(SourceError, match="not a plain file"):
        read_input(folder / "pipe.txt", folder)
    assert [r.source.path for r in parse_all([folder]).replies] == [SEEDS[0].name]


def test_a_build_reports_the_same_problems_and_builds_the_rest(tmp_path: Path) -> None:
    """Odd names and links in a build: reported as parse and check report them, not raised,
    and reported again by the rebuild that keeps the site."""
    folder = _folder(tmp_path)
    with open(os.path.join(os.fsencode(folder), GBK_NAME), "wb") as file:
        file.write(SEEDS[1].read_bytes())
    os.symlink("loop.txt", folder / "loop.txt")
    (folder / "dos.txt").write_bytes(SEEDS[2].read_bytes() + b"\x1a")
    cache = ParseCache(tmp_path / "cache")
    out = tmp_path / "site"
    built = build([folder], out, Config(), cache=cache)
    assert built.report.replies == 2
    assert sorted(built.problems, key=str) == sorted(parse_all([folder]).problems, key=str)
    again = build([folder], out, Config(), cache=cache)
    assert again.problems == built.problems
    txt = {p.name: p.read_text("utf-8") for p in (out / "data").glob("*.txt")}
    assert not [name for name, text in txt.items() if "\x1a" in text]
