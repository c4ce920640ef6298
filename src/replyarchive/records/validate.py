"""Check a record against the data contract, ``records/schema/reply.schema.json`` (JSON Schema)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from replyarchive.errors import Problem
from replyarchive.records.model import LineWarning, Reply


@cache
def _validator() -> Draft202012Validator:
    schema = resources.files("replyarchive.records").joinpath("schema/reply.schema.json")
    text = schema.read_text("utf-8")
    return Draft202012Validator(json.loads(text), format_checker=FormatChecker())


def validate_record(record: dict[str, Any]) -> list[str]:
    """Every way ``record`` breaks the schema, as ``field.path: message``; empty when valid."""
    problems = []
    for error in sorted(_validator().iter_errors(record), key=lambda e: list(e.absolute_path)):
        where = ".".join(str(part) for part in error.absolute_path) or "record"
        problems.append(f"{where}: {error.message}")
    return problems


def validated(replies: Sequence[Reply], file: Path, where: Callable[[int], str] | None = None,
              ) -> tuple[tuple[Reply, ...], list[Problem]]:
    """The records of ``file`` that match the schema, and its problems: an error for each way
    a record breaks the schema (that record is left out), the parser's warnings of the others.
    ``where`` tells a line of the text read from a paged original (PDF) as its page and line."""
    valid, problems = [], []
    for reply in replies:
        invalid = validate_record(reply.to_dict())
        problems += [Problem(str(file), None, f"record does not match the schema: {m}", "error")
                     for m in invalid]
        if not invalid:
            problems += [_from_warning(file, w, where) for w in reply.warnings]
            valid.append(reply)
    return tuple(valid), problems


def _from_warning(file: Path, warning: str, where: Callable[[int], str] | None) -> Problem:
    """A parser's warning as a problem: its line and message are values (``LineWarning``); a
    plain text warning is about the whole file."""
    line = warning.line if isinstance(warning, LineWarning) else None
    message = warning.message if isinstance(warning, LineWarning) else warning
    if line and where is not None:
        return Problem(str(file), None, f"{where(line)}: {message}", "warning")
    return Problem(str(file), line or None, message, "warning")
