"""The compiled templates kept in the cache folder: reused while they are what Jinja would
compile, never trusted when damaged, stale or written by other code."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from replyarchive.config import Config
from replyarchive.incremental.templates import TemplateCache
from replyarchive.render.render import make_environment


def _env(folder: Path, cache: Path, version: str = "v1") -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(folder),
                              bytecode_cache=TemplateCache(cache, version))


def _render(folder: Path, cache: Path, version: str = "v1") -> str:
    return _env(folder, cache, version).get_template("page.html").render(name="x")


def test_a_second_environment_reads_the_compiled_template(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("Hello {{ name }}", encoding="utf-8")
    cache = tmp_path / "cache"
    assert _render(tmp_path, cache) == "Hello x"
    [file] = cache.iterdir()
    compiled = file.stat().st_mtime_ns
    env = _env(tmp_path, cache)
    env.compile = None  # type: ignore[method-assign]  # reading it must not compile it
    assert env.get_template("page.html").render(name="x") == "Hello x"
    assert file.stat().st_mtime_ns == compiled


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("Hello {{ name }}", encoding="utf-8")
    cache = tmp_path / "cache"
    _render(tmp_path, cache)
    page.write_text("Bye {{ name }}", encoding="utf-8")
    assert _render(tmp_path, cache) == "Bye x"


def _forged(tmp_path: Path, cache: Path) -> Path:
    """The cached file of page.html with a body compiled from other text (under the real
    source's checksum), its seal left as it was: what Jinja alone would run."""
    (tmp_path / "page.html").write_text("Hello {{ name }}", encoding="utf-8")
    _render(tmp_path, cache)
    [file] = cache.iterdir()
    env = jinja2.Environment()
    source = (tmp_path / "page.html").read_text(encoding="utf-8")
    bucket = Bucket(env, "page.html", hashlib.sha1(source.encode()).hexdigest())
    bucket.code = env.compile("FORGED", "page.html")
    body = io.BytesIO()
    bucket.write_bytecode(body)
    head = file.read_bytes().partition(b"\n")[0]
    file.write_bytes(head + b"\n" + body.getvalue())
    return file


def test_a_file_failing_its_seal_is_not_run(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    file = _forged(tmp_path, cache)
    assert _render(tmp_path, cache) == "Hello x"
    head, _, body = file.read_bytes().partition(b"\n")  # and it is written again, sealed
    assert hashlib.sha256(body).hexdigest().encode() == head


def test_damaged_files_are_compiled_again(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("Hello {{ name }}", encoding="utf-8")
    cache = tmp_path / "cache"
    _render(tmp_path, cache)
    [file] = cache.iterdir()
    for raw in (b"", b"no seal", file.read_bytes()[:40], b"\xff" * 99):
        file.write_bytes(raw)
        assert _render(tmp_path, cache) == "Hello x"


def test_other_code_does_not_read_the_files(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _forged(tmp_path, cache)
    file = next(cache.iterdir())
    _, _, body = file.read_bytes().partition(b"\n")
    file.write_bytes(hashlib.sha256(body).hexdigest().encode() + b"\n" + body)  # sealed again
    assert _render(tmp_path, cache, "v2") == "Hello x"  # another code version: its own file
    assert len(list(cache.iterdir())) == 2


def test_the_build_keeps_them_only_with_a_cache_folder(tmp_path: Path) -> None:
    assert make_environment(Config().for_build(tmp_path / "site")).bytecode_cache is None
    config = Config().for_build(tmp_path / "site", (), tmp_path / "cache")
    env = make_environment(config)
    env.get_template("base.html")
    assert list((tmp_path / "cache" / "templates").iterdir())
    assert make_environment(config.for_build(tmp_path / "site")).bytecode_cache is not None
