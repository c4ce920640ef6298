"""The parse cache: a rebuild re-parses only changed inputs, and gives the very same outcome."""

from __future__ import annotations

import hashlib
import marshal
import shutil
from pathlib import Path
from typing import Any

import pytest
from tests.support import hostile

from replyarchive import pipeline
from replyarchive.config import Config
from replyarchive.incremental import parallel
from replyarchive.incremental.cache import ParseCache, code_version, seal_entry
from replyarchive.ingest.files import HOLD, InputFiles
from replyarchive.pipeline import build, build_site, parse_all
from replyarchive.records.model import Reply


@pytest.fixture
def letters(tmp_path: Path) -> Path:
    folder = tmp_path / "letters"
    hostile.synth().make_archive(6, folder)
    for seed in sorted(hostile.SEEDS.glob("*.txt"))[:2]:
        shutil.copy(seed, folder / seed.name)
    shutil.copy(hostile.HOSTILE / "nul_bytes.txt", folder / "broken.txt")
    return folder


def test_second_run_reads_everything_from_the_cache(letters: Path, tmp_path: Path) -> None:
    clean = parse_all([letters])
    first_cache = ParseCache(tmp_path / "cache", version="v1")
    first = parse_all([letters], cache=first_cache)
    again_cache = ParseCache(tmp_path / "cache", version="v1")
    again = parse_all([letters], cache=again_cache)
    assert (first_cache.hits, first_cache.misses) == (0, 9)
    assert (again_cache.hits, again_cache.misses) == (9, 0)
    assert clean == first == again  # records and problems (the broken file's error too)


def test_one_changed_letter_is_the_only_one_parsed(letters: Path, tmp_path: Path) -> None:
    parse_all([letters], cache=ParseCache(tmp_path / "cache", version="v1"))
    target = sorted(letters.glob("synth-*.txt"))[2]
    target.write_text(target.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    cache = ParseCache(tmp_path / "cache", version="v1")
    outcome = parse_all([letters], cache=cache)
    assert (cache.hits, cache.misses) == (8, 1)
    assert outcome == parse_all([letters])


def test_new_code_version_parses_everything_again(letters: Path, tmp_path: Path) -> None:
    parse_all([letters], cache=ParseCache(tmp_path / "cache", version="v1"))
    cache = ParseCache(tmp_path / "cache", version="v2")
    parse_all([letters], cache=cache)
    assert (cache.hits, cache.misses) == (0, 9)


def test_code_version_is_a_hash_of_the_package() -> None:
    assert len(code_version()) == 64
    assert code_version() == code_version()


def test_corrupt_entries_are_misses_not_crashes(letters: Path, tmp_path: Path) -> None:
    parse_all([letters], cache=ParseCache(tmp_path / "cache", version="v1"))
    entries = sorted((tmp_path / "cache").rglob("*.entry"))
    entries[0].write_text("{not json", encoding="utf-8")
    entries[1].write_text('{"reply": {"id": 1}, "problems": []}', encoding="utf-8")
    cache = ParseCache(tmp_path / "cache", version="v1")
    assert parse_all([letters], cache=cache) == parse_all([letters])
    assert (cache.hits, cache.misses) == (7, 2)


def test_same_bytes_under_another_name_is_another_entry(letters: Path, tmp_path: Path) -> None:
    parse_all([letters], cache=ParseCache(tmp_path / "cache", version="v1"))
    first = sorted(letters.glob("synth-*.txt"))[0]
    first.rename(letters / "renamed.txt")
    cache = ParseCache(tmp_path / "cache", version="v1")
    outcome = parse_all([letters], cache=cache)
    assert cache.misses == 1
    assert "renamed.txt" in {r.source.path for r in outcome.replies}


def test_parallel_parse_gives_the_serial_outcome(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "many"
    hostile.synth().make_archive(24, folder)
    monkeypatch.setattr(parallel, "FILES_SERIAL_BELOW", 8)
    assert parse_all([folder], workers=2) == parse_all([folder], workers=1)


def test_site_from_the_cache_is_identical_to_a_clean_build(letters: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    build_site(parse_all([letters]).replies, clean, Config())
    parse_all([letters], cache=ParseCache(tmp_path / "cache", version="v1"))
    cached = tmp_path / "cached"
    replies = parse_all([letters], cache=ParseCache(tmp_path / "cache", version="v1")).replies
    build_site(replies, cached, Config())
    files = sorted(p.relative_to(clean) for p in clean.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(cached) for p in cached.rglob("*") if p.is_file())
    assert all((clean / f).read_bytes() == (cached / f).read_bytes() for f in files)


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _mtimes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*")}


def test_unchanged_rebuild_keeps_the_site_as_it_is(letters: Path, tmp_path: Path) -> None:
    cache, out = ParseCache(tmp_path / "cache", version="v1"), tmp_path / "site"
    first = build([letters], out, Config(), cache=cache)
    before = _mtimes(out)
    again = build([letters], out, Config(), cache=cache)
    assert again.report == first.report
    assert again.problems == first.problems
    assert _mtimes(out) == before  # nothing rewritten


def test_changed_inputs_templates_or_site_rebuild(letters: Path, tmp_path: Path) -> None:
    cache, out = ParseCache(tmp_path / "cache", version="v1"), tmp_path / "site"
    build([letters], out, Config(), cache=cache)
    before = _mtimes(out)
    (out / "robots.txt").unlink()  # a damaged site is rebuilt, not trusted
    build([letters], out, Config(), cache=cache)
    assert (out / "robots.txt").is_file() and _mtimes(out) != before
    before = _mtimes(out)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "robots.txt").write_text("User-agent: *\n", encoding="utf-8")
    build([letters], out, Config(templates_dir=templates), cache=cache)
    assert _mtimes(out) != before


def test_one_changed_letter_rebuilds_identical_to_a_clean_build(
    letters: Path, tmp_path: Path
) -> None:
    cache, out = ParseCache(tmp_path / "cache", version="v1"), tmp_path / "site"
    build([letters], out, Config(), cache=cache)
    target = sorted(letters.glob("synth-*.txt"))[1]
    target.write_text(target.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    build([letters], out, Config(), cache=cache)
    clean = tmp_path / "clean"
    build([letters], clean, Config())
    assert _tree(out) == _tree(clean)


def test_unchanged_inputs_are_not_even_parsed(
    letters: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache, out = ParseCache(tmp_path / "cache", version="v1"), tmp_path / "site"
    first = build([letters], out, Config(), cache=cache)

    def no_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed although nothing changed")

    monkeypatch.setattr(pipeline, "find_letters", no_parse)
    again = build([letters], out, Config(), cache=cache)
    assert again == first  # same report, same problems replayed
    (letters / "new.txt").write_text(hostile.seed_letter(4), encoding="utf-8")
    with pytest.raises(AssertionError, match="parsed although"):
        build([letters], out, Config(), cache=cache)


def _data(site: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (site / "data").glob("*.json")}


def test_an_edited_entry_is_a_miss_and_the_true_record_is_published(
    letters: Path, tmp_path: Path
) -> None:
    cache, out = ParseCache(tmp_path / "cache", version="v1"), tmp_path / "site"
    build([letters], out, Config(), cache=cache)
    clean = _data(out)
    edited = 0
    for entry in sorted((tmp_path / "cache").glob("??/*.entry")):
        raw = entry.read_bytes()
        if "亿元".encode() in raw:  # one digit fewer before 亿元 (98亿元 → 9亿元)
            at = raw.index("亿元".encode())
            entry.write_bytes(raw[: at - 1] + raw[at:])
            edited += 1
    assert edited
    shutil.rmtree(out)
    again = ParseCache(tmp_path / "cache", version="v1")
    build([letters], out, Config(), cache=again)
    assert again.misses == edited
    assert _data(out) == clean


def test_a_tampered_site_stamp_means_a_full_build(letters: Path, tmp_path: Path) -> None:
    cache, out = ParseCache(tmp_path / "cache", version="v1"), tmp_path / "site"
    first = build([letters], out, Config(), cache=cache)
    (stamp,) = (tmp_path / "cache" / "sites").glob("*.json")
    raw = stamp.read_bytes()
    stamp.write_bytes(raw.replace(b'"replies": ', b'"replies": 1', 1))  # 8 letters → 18
    again = build([letters], out, Config(), cache=cache)
    assert again.report == first.report


@pytest.mark.parametrize("hold", [HOLD, 0], ids=["bytes-held", "read-again"])
@pytest.mark.parametrize("written", [0, 0.5], ids=["truncated", "half-written"])
def test_a_letter_rewritten_while_it_is_read_is_never_cached_half_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hold: int, written: float) -> None:
    """An editor truncates and rewrites the letter right after the build hashed it: what is
    parsed must be what was hashed, or nothing (and said), never the half under the whole's
    hash, which every later build would publish."""
    folder = tmp_path / "letters"
    folder.mkdir()
    seed = sorted(hostile.SEEDS.glob("*.txt"))[0]
    letter = folder / "a.txt"
    whole = seed.read_bytes()
    letter.write_bytes(whole)
    half = whole[: whole.index(b"\n", int(len(whole) * written)) + 1] if written else b""
    sha256 = hashlib.sha256

    def hash_then_rewrite(data: bytes = b"", **kwargs: bool) -> Any:
        if data == whole:
            letter.write_bytes(half)  # the editor has written half of the new file
        return sha256(data, **kwargs)

    monkeypatch.setattr(hashlib, "sha256", hash_then_rewrite)
    cache = ParseCache(tmp_path / "cache")
    first = parse_all([folder], cache=cache, files=InputFiles(room=hold))
    monkeypatch.setattr(hashlib, "sha256", sha256)
    letter.write_bytes(whole)  # the editor is done: the same bytes as before
    if hold == 0:
        assert [p.message for p in first.problems if "changed during the build" in p.message]
    again = parse_all([folder], cache=ParseCache(tmp_path / "cache"))
    assert again.replies == parse_all([folder]).replies


def test_after_a_one_letter_build_nothing_new_keeps_the_site(
    letters: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stamp takes the new site's manifest from the build's own sweep, not from a walk of
    the site once it is in place: it must be the manifest the next build finds on disk, in the
    spare folder the build after a full one is made in too."""
    cache, out = ParseCache(tmp_path / "cache", version="v1"), tmp_path / "site"
    build([letters], out, Config(), cache=cache)
    target = sorted(letters.glob("synth-*.txt"))[1]
    for line in ("补充说明。", "再次补充。"):  # the second is made in the spare
        target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
        changed = build([letters], out, Config(), cache=cache)
        assert changed.report.reused

    def no_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed although nothing changed")

    monkeypatch.setattr(pipeline, "find_letters", no_parse)
    kept = build([letters], out, Config(), cache=cache).report
    assert (kept.replies, kept.pages, kept.files) == (
        changed.report.replies, changed.report.pages, changed.report.files)


def test_the_sweep_takes_the_manifest_a_walk_of_the_site_gives(tmp_path: Path) -> None:
    from replyarchive.incremental.output import SiteOutput
    from replyarchive.incremental.stamp import _manifest

    root = tmp_path / "site"
    for rel in ("index.html", "a/b/kept.txt", "a/old.txt", "gone/x/y.txt", "c/kept.js"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(rel, encoding="utf-8")
    (root / "empty").mkdir()
    output = SiteOutput(root)
    output.mark(["index.html", "a/b/kept.txt", "c/kept.js"])
    assert output.sweep() == 3
    assert not (root / "gone").exists() and not (root / "empty").exists()
    assert output.manifest == _manifest(root)


def test_the_duplicate_verdicts_are_kept_and_a_rebuild_equals_a_clean_parse(
        tmp_path: Path) -> None:
    from replyarchive.incremental.pairs import VerdictCache

    letters = tmp_path / "letters"
    hostile.synth().make_archive(8, letters)
    seed = sorted(hostile.SEEDS.glob("*.txt"))[0]
    shutil.copy(seed, letters / "copy-a.txt")
    text = seed.read_text(encoding="utf-8")
    (letters / "copy-b.txt").write_text(text.replace("，", ",", 1), encoding="utf-8")
    cache = ParseCache(tmp_path / "cache", version="v1")
    parse_all([letters], cache=cache)
    kept = VerdictCache(cache)
    assert kept.load(), "the verdicts of the first search are kept"
    target = sorted(letters.glob("synth-*.txt"))[2]
    target.write_text(target.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    outcome = parse_all([letters], cache=ParseCache(tmp_path / "cache", version="v1"))
    assert outcome == parse_all([letters])
    assert any("the same letter" in p.message for p in outcome.problems)


def test_an_entry_is_read_and_checked_apart_from_its_decoding(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path / "cache", version="v1")
    data = {"replies": [], "problems": [[3, "a warning", "warning"]], "keys": []}
    cache.store("ab" * 32, data)
    body = cache.read("ab" * 32)
    assert body is not None
    decoded = cache.decode(body, Path("letters/x.txt"))
    assert decoded is not None and decoded.problems[0].line == 3
    entry = tmp_path / "cache" / "ab" / f"{'ab' * 32}.entry"
    entry.write_bytes(entry.read_bytes().replace(b"a warning", b"A warning"))
    assert cache.read("ab" * 32) is None  # fails its checksum: never decoded
    assert cache.read("cd" * 32) is None
    assert cache.decode(None, Path("letters/x.txt")) is None
    assert (cache.hits, cache.misses) == (1, 1)


def test_an_entry_of_the_old_json_form_is_a_miss(letters: Path, tmp_path: Path) -> None:
    """An entry of the sealed JSON form of before (checksum and all, under a pinned code
    version) is parsed again, never half read."""
    from replyarchive.incremental.cache import write_sealed

    parse_all([letters], cache=ParseCache(tmp_path / "cache", version="v1"))
    entries = sorted((tmp_path / "cache").glob("??/*.entry"))
    for entry in entries:
        data = marshal.loads(entry.read_bytes().partition(b"\n")[2])
        write_sealed(entry, {"replies": [list(row) for row in data["replies"]],
                             "problems": [list(p) for p in data["problems"]],
                             "keys": [sorted(k) for k in data["keys"]]})
    cache = ParseCache(tmp_path / "cache", version="v1")
    assert parse_all([letters], cache=cache) == parse_all([letters])
    assert (cache.hits, cache.misses) == (0, len(entries))


@pytest.mark.parametrize("data", [
    {"replies": ({"id": "a"},), "problems": (), "keys": ((),)},  # a record in its dict form
    {"replies": (tuple(f"field{n}" for n in range(27)),), "problems": (), "keys": ((),)},
    {"replies": (), "problems": ((1, "a warning"),), "keys": ()},
    {"replies": (), "problems": ()},
    [1, 2, 3],
    None,
], ids=["dict-record", "strings-record", "short-problem", "no-keys", "list", "none"])
def test_a_sealed_entry_not_of_the_rows_form_is_a_miss(tmp_path: Path, data: Any) -> None:
    """An entry whose checksum and form hold but whose data are not ``encode_result``'s is a
    miss, never a crash."""
    cache = ParseCache(tmp_path / "cache", version="v1")
    entry = tmp_path / "cache" / "ab" / f"{'ab' * 32}.entry"
    entry.parent.mkdir(parents=True)
    entry.write_bytes(seal_entry(data))
    assert cache.load("ab" * 32, Path("letters/x.txt")) is None
    assert (cache.hits, cache.misses) == (0, 1)


def _one_entry(letters: Path, tmp_path: Path) -> tuple[ParseCache, str, Path]:
    """A cache holding the entry of one letter: (cache, key, letter)."""
    letter = sorted(letters.glob("synth-*.txt"))[0]
    parse_all([letter], cache=ParseCache(tmp_path / "cache", version="v1"))
    cache = ParseCache(tmp_path / "cache", version="v1")
    files = InputFiles()
    return cache, cache.key(letter, letter.parent, files.digest(letter, letter.parent,
                                                                 letter.resolve())), letter


def test_an_entry_reads_back_as_the_letter_parsed(letters: Path, tmp_path: Path) -> None:
    cache, key, letter = _one_entry(letters, tmp_path)
    stored = cache.load(key, letter)
    assert stored is not None and cache.hits == 1
    assert stored.replies == parse_all([letter]).replies
    assert all(type(r) is Reply for r in stored.replies)


@pytest.mark.parametrize("where", [0, 63, 64, 66, 80, "body", -1])
def test_an_entry_with_one_byte_changed_is_a_miss(letters: Path, tmp_path: Path,
                                                  where: int | str) -> None:
    """A changed byte in the checksum, the form's name or the body: never unmarshalled."""
    cache, key, letter = _one_entry(letters, tmp_path)
    entry = tmp_path / "cache" / key[:2] / f"{key}.entry"
    raw = bytearray(entry.read_bytes())
    at = raw.index(b"\n") + 40 if where == "body" else int(where)
    raw[at] ^= 0x01
    entry.write_bytes(bytes(raw))
    assert cache.load(key, letter) is None
    assert (cache.hits, cache.misses) == (0, 1)


@pytest.mark.parametrize("keep", [0, 0.1, 0.5, 0.99])
def test_a_half_written_entry_is_a_miss(letters: Path, tmp_path: Path, keep: float) -> None:
    """Cut short (a copy or a disk that stopped midway): a miss, and the letter is parsed."""
    cache, key, letter = _one_entry(letters, tmp_path)
    entry = tmp_path / "cache" / key[:2] / f"{key}.entry"
    raw = entry.read_bytes()
    entry.write_bytes(raw[:int(len(raw) * keep)])
    assert cache.load(key, letter) is None
    again = ParseCache(tmp_path / "cache", version="v1")
    assert parse_all([letter], cache=again) == parse_all([letter])
    assert again.misses == 1


@pytest.mark.parametrize(("file", "root"), [
    ("letters/a.txt", "letters"), ("letters/sub/a.txt", "letters"), ("/abs/x/a.txt", "/abs"),
    ("a.txt", "."), ("lettersx/a.txt", "letters"), ("/a.txt", "/"), ("other/a.txt", "letters"),
    ("letters/a.txt", "letters/a.txt"),
])
def test_an_entry_key_is_the_one_the_relative_path_gives(file: str, root: str) -> None:
    """``key`` takes the path below the root by its text where it can: the key must be the
    one pathlib's relative path gives."""
    cache = ParseCache(Path("cache"), version="v1")
    path, top = Path(file), Path(root)
    relative = path.relative_to(top).as_posix() if path.is_relative_to(top) else path.name
    assert cache.key(path, top, "0" * 64) == hashlib.sha256(
        f"v1\0{relative}\0{'0' * 64}".encode()).hexdigest()
