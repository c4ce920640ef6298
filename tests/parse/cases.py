"""Read a fixture file of title / rule / input / expected cases (markdown-it-py's format):

    ### <title>
    rule: <name>
    <<<
    <input>
    >>>
    <expected>
"""

from __future__ import annotations

from pathlib import Path


def read_cases(path: Path) -> list[tuple[str, str, str, str]]:
    """(title, rule, input, expected text) of every case in ``path``, in order."""
    cases = []
    for block in path.read_text("utf-8").split("\n### ")[1:]:
        title, rest = block.split("\n", 1)
        rule_line, rest = rest.split("\n", 1)
        given, expected = rest.removeprefix("<<<\n").split("\n>>>\n")
        cases.append((title, rule_line.removeprefix("rule: "), given, expected))
    return cases
