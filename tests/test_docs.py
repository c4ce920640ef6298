"""The docs stay true to the code: every command is in the README, every record field and
section field is in docs/SCHEMA.md and in the JSON Schema the records are validated against."""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import inspect
import json
import re
from pathlib import Path

from tests.conftest import ROOT
from tests.records.test_model import _reply

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
    """Required fields are always written; the optional ones (signer, role, letter_adoption,
    notes) when set."""
    fields = list(_reply().to_dict())
    assert fields == SCHEMA["required"]
    full = list(dataclasses.replace(_reply(), signer="某人", notes=("注：…",),
                                    role="co_handler_opinion", letter_adoption="均已采纳",
                                    letter_adoption_status="adopted").to_dict())
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


ARCHITECTURE = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
DEVELOPING = (ROOT / "docs" / "DEVELOPING.md").read_text(encoding="utf-8")
PACKAGE = ROOT / "src" / "replyarchive"
STAGES = [p.name for p in sorted(PACKAGE.iterdir()) if (p / "__init__.py").is_file()]


_FILE_NAME = re.compile(r"\.(?:py|json|js|db|yaml|csv|txt|html|xml|md|toml)$")
"""A span that names a file (``metadata.json``), not a module's attribute."""


def _code_spans(text: str) -> list[str]:
    return re.findall(r"`([^`\n]+)`", text)


def _source_file(path: str) -> bool:
    """``path`` names a file of the repository: from its root, from the package, or (a bare
    file name) anywhere in it."""
    if (ROOT / path).exists() or (PACKAGE / path).exists():
        return True
    return "/" not in path and any(ROOT.glob(f"[!.]*/**/{path}"))


def _resolves(dotted: str) -> bool:
    """``a.b.c`` is a module of the package or an attribute of one, from the package or from
    one of its stage folders (``builder.write_pages`` in the render section)."""
    for prefix in ("replyarchive", *(f"replyarchive.{stage}" for stage in STAGES)):
        parts = f"{prefix}.{dotted}".split(".")
        for cut in range(len(parts), 1, -1):
            try:
                value: object = importlib.import_module(".".join(parts[:cut]))
            except ImportError:
                continue
            try:
                for name in parts[cut:]:
                    value = getattr(value, name)
            except AttributeError:
                break
            return True
    return False


def test_every_python_file_the_docs_name_exists() -> None:
    named = [span for text in (README, ARCHITECTURE, DEVELOPING) for span in _code_spans(text)
             if re.fullmatch(r"[\w./-]+\.py", span)]
    assert named
    assert [path for path in named if not _source_file(path)] == []


def test_every_stage_folder_in_the_architecture_exists() -> None:
    columns = re.findall(r"^\| [a-z]+ \| (`[a-z]+/`(?:, `[a-z]+/`)*) \|", ARCHITECTURE,
                         flags=re.MULTILINE)
    folders = [folder for column in columns for folder in re.findall(r"`([a-z]+)/`", column)]
    assert len(folders) >= 10  # one row per stage of pipeline.build
    assert sorted(set(folders) - set(STAGES)) == []
    unnamed = [stage for stage in STAGES if f"`{stage}/`" not in ARCHITECTURE]
    assert unnamed == []  # every folder of the package is at least named


def test_every_module_and_function_the_architecture_names_exists() -> None:
    modules = {path.stem for path in PACKAGE.rglob("*.py")} | set(STAGES)
    dotted = [re.sub(r"\(.*", "", span) for span in _code_spans(ARCHITECTURE)]
    named = [d for d in dotted if re.fullmatch(r"[a-z_]+(\.[A-Za-z_]+)+", d)
             and d.split(".")[0] in modules and not _FILE_NAME.search(d)]
    assert len(named) >= 20
    assert [d for d in named if not _resolves(d)] == []


def test_the_architecture_opens_with_the_stages_of_pipeline_build() -> None:
    from replyarchive import pipeline

    table = ARCHITECTURE.split("\n## ", 1)[0]
    stages = re.findall(r"^\| ([a-z]+) \| `", table, flags=re.MULTILINE)
    listed = re.findall(r"^    ([a-z]+) +[a-z]+/", pipeline.__doc__ or "", flags=re.MULTILINE)
    assert stages == listed
    source = inspect.getsource(pipeline.build)
    for call in re.findall(r"^\| [a-z]+ \| `[a-z]+/`[^|]* \| `(?:[A-Za-z_.]+\.)?(\w+)\(",
                           table, flags=re.MULTILINE):
        assert f"{call}(" in source or f"{call}(" in inspect.getsource(pipeline.parse_file), call


def test_every_documented_record_field_is_in_the_schema() -> None:
    known = set(SCHEMA["properties"])
    for definition in SCHEMA.get("$defs", {}).values():
        known |= set(definition.get("properties", {}))
    assert sorted(_documented_fields() - known) == []
