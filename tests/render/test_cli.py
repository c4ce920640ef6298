"""The build and serve subcommands as a user meets them."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from replyarchive.cli import _progress, main
from replyarchive.folders import STAMP, STAMP_TEXT


def test_build_with_no_letters_keeps_the_previous_site(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("old", encoding="utf-8")
    (out / STAMP).write_text(STAMP_TEXT, encoding="utf-8")  # a site a build made
    assert main(["build", "--input", str(tmp_path / "nowhere"), "--out", str(out)]) == 1
    assert "previous site is kept" in capsys.readouterr().err
    assert (out / "index.html").read_text(encoding="utf-8") == "old"


def test_serve_without_a_site_says_what_to_do(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--out", str(tmp_path)]) == 1
    assert "run `replyarchive build` first" in capsys.readouterr().err


def test_progress_rewrites_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    _progress("pages", 50, 100)
    _progress("pages", 100, 100)
    assert capsys.readouterr().err == (f"\rpages [{'#' * 12}{'-' * 12}] 50/100"
                                       f"\rpages [{'#' * 24}] 100/100\n")


def test_bad_config_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[site]\nbase = 1\n", encoding="utf-8")
    assert main(["build", "--config", str(config), "--out", str(tmp_path / "s")]) == 1
    assert "base: unknown key; did you mean base_url?" in capsys.readouterr().err


def test_serve_on_a_busy_port_says_so(fixture_site: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--out", str(fixture_site), "--port", str(port)]) == 1
    assert f"cannot listen on port {port}" in capsys.readouterr().err
