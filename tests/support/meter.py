"""Count the work a parse does, without a clock: Python calls plus characters handed to regexes.

A regex ``search``/``sub``/``findall``… scans the string it is given, so the sum of those strings'
lengths is a fair, machine-independent cost; a parser that re-scans a growing paragraph for every
line shows up as quadratic here. (Backtracking inside one call is ``regex_audit``'s job.)
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

SCANS = {"search": 0, "findall": 0, "finditer": 0, "split": 0, "sub": 1, "subn": 1}
MODULE_SCANS = {"search": 1, "findall": 1, "finditer": 1, "split": 1, "sub": 2, "subn": 2}


class Meter:
    """Running totals of one measurement."""

    def __init__(self) -> None:
        self.calls = 0
        self.scanned = 0

    @property
    def work(self) -> int:
        return self.calls + self.scanned


class _CountingPattern:
    """A compiled pattern that adds the length of every string it scans to a meter."""

    def __init__(self, pattern: re.Pattern[str], meter: Meter) -> None:
        self._pattern = pattern
        self._meter = meter

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._pattern, name)
        if name not in SCANS:
            return attr
        index = SCANS[name]

        def scan(*args: Any, **kwargs: Any) -> Any:
            if len(args) > index and isinstance(args[index], str):
                self._meter.scanned += len(args[index])
            return attr(*args, **kwargs)

        return scan


def _wrap(value: Any, meter: Meter, depth: int = 0) -> Any:
    if isinstance(value, re.Pattern):
        return _CountingPattern(value, meter)
    if depth < 3 and isinstance(value, tuple):
        return tuple(_wrap(v, meter, depth + 1) for v in value)
    return value


def _counting_function(
    function: Callable[..., Any], index: int, meter: Meter
) -> Callable[..., Any]:
    def scan(*args: Any, **kwargs: Any) -> Any:
        if len(args) > index and isinstance(args[index], str):
            meter.scanned += len(args[index])
        return function(*args, **kwargs)

    return scan


@contextmanager
def metered(package: str = "replyarchive") -> Iterator[Meter]:
    """Within the block, count calls and regex-scanned characters of ``package``'s code."""
    meter = Meter()
    saved: list[tuple[Any, str, Any]] = []
    for name, module in list(sys.modules.items()):
        if name == package or name.startswith(package + "."):
            for attr, value in list(vars(module).items()):
                wrapped = _wrap(value, meter)
                if wrapped is not value:
                    saved.append((module, attr, value))
                    setattr(module, attr, wrapped)
    for fname, index in MODULE_SCANS.items():
        saved.append((re, fname, getattr(re, fname)))
        setattr(re, fname, _counting_function(getattr(re, fname), index, meter))

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if event in ("call", "c_call"):
            meter.calls += 1

    sys.setprofile(profile)
    try:
        yield meter
    finally:
        sys.setprofile(None)
        for owner, attr, value in reversed(saved):
            setattr(owner, attr, value)
