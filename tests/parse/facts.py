"""Compare a parsed record with the key facts of ``tests/fixtures/expected`` (SCHEMA.md rules).

Text values are compared after removing all whitespace, folding full-width/half-width forms
(NFKC) and dropping one trailing 。.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from replyarchive.records.model import Reply, Section


def fold(value: Any) -> Any:
    """The comparable form of a value from either side."""
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", re.sub(r"\s+", "", value))
        return text[:-1] if text.endswith("。") else text
    if isinstance(value, list | tuple):
        return [fold(item) for item in value]
    if isinstance(value, dict):
        return {key: fold(item) for key, item in value.items()}
    return value


def _find(reply: Reply, section_id: str) -> Section:
    return next(s for s in reply.all_sections() if s.id == section_id)


def actual_fact(reply: Reply, key: str) -> Any:
    """The record's value for one key of an expected-facts file."""
    record = reply.to_dict()
    if key == "session":
        return reply.session.label if reply.session else None
    if key == "date":
        return reply.date
    if key == "section_count":
        return len(reply.sections)
    if key == "section_titles":
        return [s.title for s in reply.sections]
    if key == "adoption":
        return [s.adoption for s in reply.sections]
    if key == "adoption_status":
        return [s.adoption_status for s in reply.sections]
    if key == "subsection_counts":
        return [len(s.children) for s in reply.sections]
    return record[key] if key in record else getattr(reply, key)  # optional: signer, notes


def mismatches(reply: Reply, expected: dict[str, Any]) -> list[str]:
    """Every expected fact the record gets wrong, as readable lines."""
    out = []
    for key, want in expected.items():
        if key == "item_counts":
            got: Any = {sid: len(_find(reply, sid).children) for sid in want}
        else:
            got = actual_fact(reply, key)
        if key == "date" and want is not None:
            want = str(want)
        if fold(got) != fold(want):
            out.append(f"{key}: expected {want!r}, got {got!r}")
    return out
