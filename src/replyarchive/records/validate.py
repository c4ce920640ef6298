"""Check a record against the data contract, ``records/schema/reply.schema.json`` (JSON Schema)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker


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
