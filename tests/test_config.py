"""replyarchive.toml: every mistake reported at once, with its key, line and what is allowed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from replyarchive.cli import main
from replyarchive.config import Config, load_config
from replyarchive.errors import BuildError
from replyarchive.index.indexer import find_lunr

ROOT = Path(__file__).resolve().parent.parent


def _load(tmp_path: Path, text: str | bytes) -> Config:
    path = tmp_path / "replyarchive.toml"
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return load_config(path)


def _problems(tmp_path: Path, text: str) -> str:
    with pytest.raises(BuildError) as caught:
        _load(tmp_path, text)
    return str(caught.value)


def test_keys_above_the_site_table_and_other_tables_are_errors(tmp_path: Path) -> None:
    message = _problems(tmp_path, 'title = "某市"\n[site]\nfooter = "x"\n[theme]\nname = "y"\n')
    assert "replyarchive.toml:1: title: a key outside [site]" in message
    assert "replyarchive.toml:4: theme: a table outside [site]" in message


def test_every_problem_is_reported_at_once_with_its_line(tmp_path: Path) -> None:
    message = _problems(tmp_path, '[site]\nlatest_count = true\ncontent_dir = "contnet"\n'
                                  'latst = 3\nbase_url = "javascript:alert(1)"\n')
    assert "4 problems" in message
    assert ":2: latest_count = true is not a whole number; allowed: a whole number" in message
    assert ":3: content_dir = \"contnet\" names " in message and "does not exist" in message
    assert ":4: latst: unknown key; did you mean latest_count?" in message
    assert ":5: base_url = \"javascript:alert(1)\" is not an absolute http" in message


@pytest.mark.parametrize("value", ["-3", "true", "1001", "2.5", '"10"'])
def test_latest_count_must_be_a_count(tmp_path: Path, value: str) -> None:
    assert "latest_count" in _problems(tmp_path, f"[site]\nlatest_count = {value}\n")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "https://",
                                 "/replies/", "example.org", "https://x.org/a b",
                                 'https://x.org/"><script>', "https://x.org/?q=1",
                                 "https://x.org/#top", "https://x.org:99999/", "ftp://x.org/"])
def test_base_url_must_be_an_http_address_with_a_host(tmp_path: Path, url: str) -> None:
    assert "base_url" in _problems(tmp_path, f"[site]\nbase_url = '{url}'\n")


@pytest.mark.parametrize("url", ["https://archive.gov.cn/", "http://10.0.0.7:8080/replies",
                                 "https://档案.中国/答复/"])
def test_base_url_accepts_real_addresses(tmp_path: Path, url: str) -> None:
    assert _load(tmp_path, f"[site]\nbase_url = '{url}'\n").base_url == url


def test_folder_settings_must_be_existing_folders(tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    message = _problems(tmp_path, '[site]\ntemplates_dir = "file.txt"\nstatic_dir = "nowhere"\n'
                                  'theme_dir = "empty"\ncontent_dir = ""\n')
    assert "templates_dir = \"file.txt\" names" in message and "not a folder" in message
    assert "static_dir = \"nowhere\"" in message
    assert "theme_dir = \"empty\"" in message and "no templates/ folder" in message
    assert "content_dir = \"\" is not a folder name" in message


@pytest.mark.parametrize("folder", [".", "..", ""])
def test_static_dir_is_never_the_project_folder(tmp_path: Path, folder: str) -> None:
    (tmp_path / "project").mkdir()
    with pytest.raises(BuildError, match="static_dir"):
        _load(tmp_path / "project", f'[site]\nstatic_dir = "{folder}"\n')


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    config = _load(tmp_path, b'\xef\xbb\xbf[site]\ntitle = "\xe6\x9f\x90"\n')
    assert config.title == "某"


def test_not_utf8_and_not_toml_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match=r"not UTF-8 .*save it as UTF-8"):
        _load(tmp_path, '[site]\ntitle = "某市答复档案"\n'.encode("gbk"))
    with pytest.raises(BuildError, match="not valid TOML") as caught:
        _load(tmp_path, "[site]\ntitle = \n")
    assert caught.value.line == 2
    with pytest.raises(BuildError, match="no such configuration file"):
        load_config(tmp_path / "missing.toml")


def test_input_names_letters_that_exist(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b.txt").write_text("", encoding="utf-8")
    assert _load(tmp_path, '[site]\ninput = "a"\n').input == ((tmp_path / "a").resolve(),)
    assert _load(tmp_path, '[site]\ninput = ["a", "b.txt"]\n').input == (
        (tmp_path / "a").resolve(), (tmp_path / "b.txt").resolve())
    message = _problems(tmp_path, '[site]\ninput = ["a", "gone"]\n')
    assert f"replyarchive.toml:2: input = [\'a\', \'gone\'] names {tmp_path / 'gone'}, which " \
           "does not exist" in message
    assert "is not a folder name" in _problems(tmp_path, "[site]\ninput = []\n")


def test_build_reads_input_from_the_settings_unless_given(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    _letters(tmp_path)
    (tmp_path / "replyarchive.toml").write_text('[site]\ninput = "letters"\n',
                                                encoding="utf-8")
    assert main(["build", "--out", "one"]) == 0
    assert "built" in capsys.readouterr().out and (tmp_path / "one" / "index.html").is_file()
    assert main(["build", "--out", "two", "--input", "nowhere"]) == 1  # --input wins
    assert "nowhere" in capsys.readouterr().err


def test_the_shipped_file_is_valid() -> None:
    assert load_config(ROOT / "replyarchive.toml").base_url.startswith("https://")


def _letters(tmp_path: Path) -> Path:
    """A one-letter input beside node_modules (the build runs in tmp_path, the cache's folder)."""
    (tmp_path / "node_modules").symlink_to(find_lunr(ROOT).parent.parent)
    letters = tmp_path / "letters"
    letters.mkdir()
    shutil.copy(ROOT / "seeds" / "000_f110c3d6d4e6c248.txt", letters)
    return letters


def test_build_strict_stops_on_a_config_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "c.toml"
    config.write_text('[site]\nbase_url = "https://example.org/"\n', encoding="utf-8")
    argv = ["build", "--input", str(_letters(tmp_path)), "--out", str(tmp_path / "site"),
            "--config", str(config)]
    assert main([*argv, "--strict"]) == 1
    assert "--strict" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()
    assert main(argv) == 0


def test_build_strict_stops_on_any_problem_of_the_letters(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    letters = _letters(tmp_path)
    (letters / "broken.txt").write_text("这不是一封答复的函。\n", encoding="utf-8")
    config = tmp_path / "c.toml"
    config.write_text('[site]\nbase_url = "https://archive.gov.cn/"\n', encoding="utf-8")
    argv = ["build", "--input", str(letters), "--out", str(tmp_path / "site"),
            "--config", str(config), "--strict"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "--strict: the letters have" in err and "broken.txt" in err
    assert not (tmp_path / "site").exists()
