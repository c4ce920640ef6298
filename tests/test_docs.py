"""The docs stay true to the code: every command is in the README, every record field and
section field is in docs/SCHEMA.md and in the JSON Schema the records are validated against."""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
from pathlib import Path

from tests.conftest import ROOT
from tests.test_model import _reply

from replyarchive.cli import _build_parser
from replyarchive.records.model import Section

README = (ROOT / "README.md").read_text(encoding="utf-8")
SCHEMA_DOC = (ROOT / "docs" / "SCHEMA.md").read_text(encoding="utf-8")
SCHEMA = json.loads(
    (ROOT / "src/replyarchive/records/schema/reply.schema.json").read_text(encoding="utf-8")
)


def _commands() -> list[str]:
    sub = next(a for a in _build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(sub.choices)


def _documented_fields() -> set[str]:
    return set(re.findall(r"^\| `([a-z_]+)` \|", SCHEMA_DOC, flags=re.MULTILINE))


def test_every_command_is_in_the_readme() -> None:
    assert _commands() == ["build", "check", "export", "new", "parse", "serve"]
    for command in _commands():
        assert f"replyarchive {command}" in README, command


def test_every_record_field_is_documented_and_in_the_schema() -> None:
    """Required fields are always written; the optional ones (signer, notes) when set."""
    fields = list(_reply().to_dict())
    assert fields == SCHEMA["required"]
    full = list(dataclasses.replace(_reply(), signer="某人", notes=("注：…",)).to_dict())
    assert full == list(SCHEMA["properties"])
    assert set(full) <= _documented_fields()


def test_every_section_field_is_documented_and_in_the_schema() -> None:
    fields = list(Section(id="s1", level=1, number="一", title="").to_dict())
    assert fields == SCHEMA["$defs"]["section"]["required"]
    assert set(fields) <= _documented_fields()


def test_the_readme_names_files_that_exist() -> None:
    for path in re.findall(r"`((?:docs|bench|src|tests)/[\w./-]+)`", README):
        assert (ROOT / path.rstrip("/")).exists(), path


def test_readme_test_command_is_what_ci_runs() -> None:
    assert "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert Path(ROOT / "Makefile").read_text(encoding="utf-8").count("\ntest:") == 1
