"""A static audit of the project's regular expressions for super-linear backtracking.

Python's ``re`` backtracks. Two shapes make it blow up on hostile text:

- a quantifier inside an unbounded quantifier, ``(a+)+`` or ``(\\s*\\S+)*``: exponential;
- two unbounded quantifiers in a row that can match the same character, ``(.+?)\\s+`` or
  ``\\d+\\d*``: a failed match tries every split of a long run, quadratic per attempt.

The audit parses each pattern with the standard library's own parser (``re._parser``) and
walks the tree; it needs no timing. Possessive quantifiers and atomic groups never backtrack and
are allowed.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path
from re import _compiler, _constants, _parser  # type: ignore[attr-defined]
from typing import Any

MAXREPEAT = _constants.MAXREPEAT
BACKTRACKING = {_constants.MAX_REPEAT, _constants.MIN_REPEAT}
ONE_CHAR = {_constants.LITERAL, _constants.NOT_LITERAL, _constants.IN, _constants.ANY}
PROBES = (
    "".join(chr(i) for i in range(9, 127))
    + "\u3000\xa0中一二十、。，：；！？（）〔〕【】《》“”‘’…—１Ａａ０．％年月日号函局委员代表类"
)
RE_FUNCTIONS = {
    "compile",
    "search",
    "match",
    "fullmatch",
    "sub",
    "subn",
    "findall",
    "finditer",
    "split",
}


def problems(pattern: str, flags: int = 0) -> list[str]:
    """What is wrong with ``pattern`` (empty when it only has linear-time shapes)."""
    tree = _parser.parse(pattern, flags)
    found: list[str] = []
    _walk(tree, False, found)
    return found


def _walk(seq: Any, inside_unbounded: bool, found: list[str]) -> None:
    items = list(seq)
    for index, (op, av) in enumerate(items):
        if op in BACKTRACKING:
            low, high, body = av
            if inside_unbounded and high > 1 and low != high:
                found.append("a variable quantifier nested inside an unbounded one")
            if high == MAXREPEAT and index + 1 < len(items):
                nxt = _edge(items[index + 1], first=True)
                if nxt is not None and _overlap((op, av), nxt, seq.state):
                    found.append("two unbounded quantifiers in a row can match the same text")
            _walk(body, inside_unbounded or high == MAXREPEAT, found)
        elif op == _constants.SUBPATTERN:
            body = av[-1]
            last = _edge((op, av), first=False)
            if last is not None and index + 1 < len(items):
                nxt = _edge(items[index + 1], first=True)
                if nxt is not None and _overlap(last, nxt, seq.state):
                    found.append("two unbounded quantifiers in a row can match the same text")
            _walk(body, inside_unbounded, found)
        elif op == _constants.BRANCH:
            for branch in av[1]:
                _walk(branch, inside_unbounded, found)
        elif op in (_constants.ASSERT, _constants.ASSERT_NOT):
            _walk(av[1], inside_unbounded, found)
        elif op == _constants.ATOMIC_GROUP:
            continue


def _edge(item: tuple[Any, Any], first: bool) -> tuple[Any, Any] | None:
    """The unbounded one-character repeat at the start (or end) of ``item``, if any."""
    op, av = item
    if op == _constants.SUBPATTERN:
        body = list(av[-1])
        return _edge(body[0 if first else -1], first) if body else None
    if op in BACKTRACKING and av[1] == MAXREPEAT:
        body = list(av[2])
        if len(body) == 1 and body[0][0] in ONE_CHAR:
            return item
    return None


def _chars(item: tuple[Any, Any], state: Any) -> set[str] | None:
    body = item[1][2]
    try:
        compiled = _compiler.compile(_parser.SubPattern(state, list(body)), state.flags)
    except Exception:  # an odd body (group reference…): say nothing rather than guess
        return None
    return {ch for ch in PROBES if compiled.fullmatch(ch)}


def _overlap(a: tuple[Any, Any], b: tuple[Any, Any], state: Any) -> bool:
    first, second = _edge(a, first=False), b
    if first is None:
        return False
    chars_a, chars_b = _chars(first, state), _chars(second, state)
    return bool(chars_a and chars_b and chars_a & chars_b)


def module_patterns(package: str = "replyarchive") -> Iterator[tuple[str, re.Pattern[str]]]:
    """Every compiled pattern held at module level (directly or in tuples, lists, dicts)."""
    root = importlib.import_module(package)
    found = pkgutil.walk_packages(root.__path__, package + ".")
    names = [package] + [m.name for m in found if not m.name.endswith("__main__")]
    for name in names:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            for pattern in _patterns_in(value, 0):
                yield f"{name}.{attr}", pattern


def _patterns_in(value: object, depth: int) -> Iterator[re.Pattern[str]]:
    if isinstance(value, re.Pattern):
        yield value
    elif depth < 3 and isinstance(value, tuple | list):
        for item in value:
            yield from _patterns_in(item, depth + 1)
    elif depth < 3 and isinstance(value, dict):
        for item in value.values():
            yield from _patterns_in(item, depth + 1)


def literal_patterns(src: Path) -> Iterator[tuple[str, str]]:
    """Literal patterns passed straight to ``re.<function>(...)`` in the source files."""
    for path in sorted(src.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.func.attr in RE_FUNCTIONS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                yield f"{path.name}:{node.lineno}", node.args[0].value
