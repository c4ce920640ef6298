"""Reading inputs: encodings as literal bytes, bad files, discovery of folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from replyarchive.errors import ParseError, SourceError
from replyarchive.folders import STAMP
from replyarchive.ingest.sources import discover, read_source
from replyarchive.parse import parse_source

ROOT = Path(__file__).resolve().parents[2]
LETTER = (ROOT / "seeds" / "003_97f765a9b187815b.txt").read_text("utf-8")
TITLE = "中山市科学技术局关于市十六届人大三次会议第2023105号代表建议答复的函"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (LETTER.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + LETTER.encode("utf-8"), "utf-8-sig"),
        (b"\xff\xfe" + LETTER.encode("utf-16-le"), "utf-16"),
        (b"\xfe\xff" + LETTER.encode("utf-16-be"), "utf-16"),
        (LETTER.encode("gbk"), "gb18030"),
        (LETTER.encode("gb18030"), "gb18030"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "gbk", "gb18030"],
)
def test_encodings_are_detected_and_recorded(tmp_path: Path, data: bytes, encoding: str) -> None:
    src = read_source(_write(tmp_path, "letter.txt", data), tmp_path)
    assert src.source.encoding == encoding
    assert src.text.lstrip("\ufeff") == src.text
    reply = parse_source(src)
    assert reply.title == TITLE
    assert reply.source.encoding == encoding
    assert reply.source.path == "letter.txt"


def test_gbk_bytes_literally() -> None:
    """中山 in GBK is D6 D0 C9 BD: not UTF-8, so GB18030 is used."""
    from replyarchive.ingest.sources import decode

    assert decode(b"\xd6\xd0\xc9\xbd", Path("x.txt")) == ("中山", "gb18030")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", ["empty"]),
        (b"  \n\r\n ", ["empty"]),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["binary", "byte offset", "UTF-8"]),
        (b"abc\x01\x02\x03def", ["binary", "control character", "byte offset"]),
        (b"\xff\xfe\x00\xd8", ["utf-16", "byte offset"]),
        (b"\x81\x30\x81", ["utf-8", "gb18030", "byte offset"]),
    ],
    ids=["empty", "whitespace", "png", "control", "bad-utf16", "undecodable"],
)
def test_bad_files_get_a_clear_error(tmp_path: Path, data: bytes, words: list[str]) -> None:
    path = _write(tmp_path, "bad.txt", data)
    with pytest.raises(SourceError) as info:
        read_source(path, tmp_path)
    message = str(info.value)
    assert message.startswith(str(path))
    for word in words:
        assert word.lower() in message.lower()


def test_a_text_that_is_no_letter_is_a_parse_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "notes.txt", "会议纪要\n\n今天天气很好，我们去公园散步。\n".encode())
    with pytest.raises(ParseError) as info:
        parse_source(read_source(path, tmp_path))
    assert str(info.value).startswith(f"{path}:1: not a reply letter")


def test_discover_walks_folders_sorted_and_skips_other_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    for name in ("b/2.txt", "a.txt", "b/1.txt", "notes.md"):
        (tmp_path / name).write_text("x", "utf-8")
    found = discover([tmp_path])
    assert [f.relative_to(tmp_path).as_posix() for f, _ in found] == ["a.txt", "b/1.txt", "b/2.txt"]
    assert {root for _, root in found} == {tmp_path}


def test_discover_survives_symlink_loops_and_skips_escapes(tmp_path: Path) -> None:
    inside = tmp_path / "in"
    (inside / "sub").mkdir(parents=True)
    (inside / "sub" / "a.txt").write_text("x", "utf-8")
    (tmp_path / "outside.txt").write_text("x", "utf-8")
    os.symlink(inside, inside / "sub" / "loop")
    os.symlink(tmp_path / "outside.txt", inside / "escape.txt")
    found = discover([inside])
    assert [f.name for f, _ in found] == ["a.txt"]


def test_discover_tells_plain_files_links_and_other_entries_apart(tmp_path: Path) -> None:
    """Discovery looks at each entry once (its lstat): a plain file is a letter at its own real
    path, a link inside the input is one at its target's, and a pipe, a dangling link or a
    link to a pipe is none, even named .txt."""
    from replyarchive.ingest.sources import discover_real

    (tmp_path / "a.txt").write_text("x", "utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    os.symlink(tmp_path / "a.txt", tmp_path / "b.txt")
    os.symlink(tmp_path / "pipe.txt", tmp_path / "c.txt")
    os.symlink(tmp_path / "gone.txt", tmp_path / "d.txt")
    found = discover_real([tmp_path])
    real = tmp_path.resolve()
    assert [(f.name, r) for f, _, r in found] == [("a.txt", real / "a.txt")]
    assert discover([tmp_path / "b.txt"]) == [(tmp_path / "b.txt", tmp_path)]
    (tmp_path / "a.txt").unlink()
    (tmp_path / "e.txt").write_text("x", "utf-8")
    assert [(f.name, r) for f, _, r in discover_real([tmp_path])] == [("e.txt", real / "e.txt")]


def test_discover_skips_sites_a_build_made_and_dot_folders(tmp_path: Path) -> None:
    """A site built inside the input (an old layout, or built by hand) holds data/*.txt and
    robots.txt: they are not letters. Nor is anything in the cache or .git."""
    for name in ("a.txt", "site/robots.txt", "site/data/x.txt", ".replyarchive-cache/c.txt",
                 ".git/m.txt", "sub/b.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", "utf-8")
    (tmp_path / "site" / STAMP).write_text("", "utf-8")
    found = discover([tmp_path])
    assert [f.relative_to(tmp_path).as_posix() for f, _ in found] == ["a.txt", "sub/b.txt"]


def test_discover_takes_a_file_as_given_once(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.txt", b"x")
    assert discover([path, tmp_path]) == [(path, tmp_path)]


def test_discover_names_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        discover([tmp_path / "missing"])


def test_each_letter_is_opened_once_per_parse(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Discovery tells a file named as a letter by its name; its format is told from the
    bytes its one read gives (opening every input twice was half a no-change rebuild)."""
    import io
    from collections import Counter

    from replyarchive.incremental.cache import ParseCache
    from replyarchive.pipeline import parse_all

    folder = tmp_path / "letters"
    folder.mkdir()
    for index, seed in enumerate(sorted((ROOT / "seeds").glob("*.txt"))[:3]):
        (folder / f"{index}.txt").write_bytes(seed.read_bytes())
    opened: Counter[str] = Counter()
    os_open, io_open = os.open, io.open

    def count_os(path: object, *args: object, **kwargs: object) -> object:
        opened[os.fspath(path)] += 1  # type: ignore[call-overload]
        return os_open(path, *args, **kwargs)  # type: ignore[arg-type]

    def count_io(path: object, *args: object, **kwargs: object) -> object:
        if isinstance(path, (str, os.PathLike)):
            opened[os.fspath(path)] += 1
        return io_open(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "open", count_os)
    monkeypatch.setattr(io, "open", count_io)
    for _ in range(2):  # the parse, then the cache's answer
        opened.clear()
        outcome = parse_all([folder], cache=ParseCache(tmp_path / "cache"))
        assert len(outcome.replies) == 3
        assert {p: n for p, n in opened.items() if p.startswith(str(folder))} == {
            str(folder / f"{i}.txt"): 1 for i in range(3)}
