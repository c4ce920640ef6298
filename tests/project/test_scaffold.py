"""`replyarchive new DIR`: a folder that `replyarchive build` builds with no flags."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.conftest import ROOT, SEEDS

from replyarchive.cli import main
from replyarchive.config import CONFIG_NAME, load_config
from replyarchive.errors import BuildError
from replyarchive.project.scaffold import LETTERS, new_project, starter_config


def test_new_then_build_with_no_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "archive"
    assert main(["new", str(project)]) == 0
    assert f"put the letters (.txt) into {project / LETTERS}" in capsys.readouterr().out
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*")
                  if p.is_file()) == [".gitignore", "content/10-about.md", "content/20-cite.md",
                                      "letters/README.md", CONFIG_NAME]
    for letter in SEEDS.glob("*.txt"):
        shutil.copy(letter, project / LETTERS)
    (project / "content" / "10-about.md").write_text("# 关于某市档案\n\n本地说明。\n",
                                                     encoding="utf-8")
    monkeypatch.chdir(project)
    assert main(["build"]) == 0
    printed = capsys.readouterr()
    assert "5 letters" in printed.out and "; 0 inputs skipped" in printed.out
    assert "README" not in printed.err  # the note is no letter, and no warning either
    about = (project / "site" / "about" / "index.html").read_text(encoding="utf-8")
    assert "本地说明" in about  # the project's own content/, not the built-in one


def test_the_new_settings_are_the_built_in_ones_with_input_and_content(tmp_path: Path) -> None:
    new_project(tmp_path)
    text = (tmp_path / CONFIG_NAME).read_text(encoding="utf-8")
    shipped = (ROOT / CONFIG_NAME).read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(shipped.splitlines(), text.splitlines(), strict=True)
               if a != b]
    assert changed == [('# input = "seeds"', 'input = "letters"'),
                       ('# content_dir = "content"', 'content_dir = "content"')]
    config = load_config(tmp_path / CONFIG_NAME)
    assert config.input == ((tmp_path / LETTERS).resolve(),)
    assert config.content_dir == (tmp_path / "content").resolve()


def test_new_writes_nothing_over_a_project(tmp_path: Path) -> None:
    (tmp_path / CONFIG_NAME).write_text("[site]\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"already holds replyarchive\.toml; nothing was "
                                         r"written"):
        new_project(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [CONFIG_NAME]


def test_a_built_in_settings_file_without_the_lines_says_reinstall(tmp_path: Path) -> None:
    (tmp_path / CONFIG_NAME).write_text("[site]\n# content_dir = \"content\"\n",
                                        encoding="utf-8")
    with pytest.raises(BuildError, match=r"one commented `input =` line; reinstall"):
        starter_config(tmp_path)


def test_an_empty_letters_folder_says_to_put_letters_there(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    new_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert f"no letter could be read from {(tmp_path / LETTERS).resolve()} (no .txt file " \
           "there)" in err
    assert "Put the letters (.txt) there" in err
    assert not (tmp_path / "site").exists()
