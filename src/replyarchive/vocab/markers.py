"""Numbering markers and numerals of the genre, shared by the normaliser and the parser.

A reply's body is numbered 一、 → （一） → 1. → （1）. These patterns recognise a marker at the
start of a line (after the normaliser has unified half/full-width forms) and turn Chinese
numerals into integers.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100}
CN_NUMERAL = "〇零○一二两三四五六七八九十百"

# Level 1: 一、  Level 2: （一）  Level 3: 1.  Level 4: （1）
_MARKERS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(r"^([一二三四五六七八九十]{1,3})[、．.，,](?![一二三四五六七八九十\d])")),
    (2, re.compile(r"^[（(]([一二三四五六七八九十]{1,3})[）)]")),
    (3, re.compile(r"^(\d{1,2})[.．、](?![\d%％])")),
    (4, re.compile(r"^[（(](\d{1,2})[）)]")),
)


@dataclass(frozen=True, slots=True)
class Marker:
    """A numbering marker found at the start of a line."""

    level: int
    """1 for 一、, 2 for （一）, 3 for 1., 4 for （1）."""
    number: str
    """The numeral as printed: 一, 三, 1."""
    value: int
    """The numeral as an integer."""
    rest: str
    """The line after the marker."""


def cn_to_int(text: str) -> int | None:
    """Chinese (or Arabic) numeral to int: 十三 → 13, 二十一 → 21, 一〇 → 10; None if not one."""
    if text.isdigit():
        return int(text)
    if len(text) == 1:
        return _SINGLE.get(text)
    if not text or any(ch not in CN_DIGITS and ch not in CN_UNITS for ch in text):
        return None
    if not any(ch in CN_UNITS for ch in text):
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        else:
            total += (current or 1) * CN_UNITS[ch]
            current = 0
    return total + current


_BY_FIRST: dict[str, tuple[tuple[int, re.Pattern[str]], ...]] = {
    **dict.fromkeys("（(", (_MARKERS[1], _MARKERS[3])),
    **dict.fromkeys("一二三四五六七八九十", (_MARKERS[0],)),
}
"""The patterns a line may match, by its first character (a digit: level 3 alone); each
pattern starts with a class of first characters, so the others cannot match."""
_SINGLE = {**CN_DIGITS, **CN_UNITS}
"""A one-character numeral's value (十 → 10)."""
MARKER_CACHE = 4096
"""Lines whose marker is remembered: a line is asked about by several rules, and letters share
their headings' forms. The answer depends on the text alone."""


@functools.lru_cache(maxsize=MARKER_CACHE)
def find_marker(text: str) -> Marker | None:
    """The numbering marker at the start of ``text``, if any."""
    first = text[:1]
    patterns = _BY_FIRST.get(first) or ((_MARKERS[2],) if first.isdigit() else ())
    for level, pattern in patterns:
        match = pattern.match(text)
        if match:
            value = cn_to_int(match.group(1))
            if value is None or value == 0:
                return None
            return Marker(level, match.group(1), value, text[match.end():].lstrip())
    return None
