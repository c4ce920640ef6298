"""Numbering markers: looking up the patterns by a line's first character finds what trying
every pattern in order finds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replyarchive.vocab.markers import _MARKERS, CN_DIGITS, CN_UNITS, Marker, cn_to_int, find_marker


def every_pattern(text: str) -> Marker | None:
    """find_marker's answer by trying each level's pattern in turn."""
    for level, pattern in _MARKERS:
        match = pattern.match(text)
        if match:
            value = cn_to_int(match.group(1))
            if not value:
                return None
            return Marker(level, match.group(1), value, text[match.end():].lstrip())
    return None


@pytest.mark.parametrize("text", [
    "一、总体情况", "十二、其他", "（三）加强监管。", "(3)细化", "3.推进", "12、落实", "3.5%的增长",
    "一是支持中小企业", "（十一）", "〇、无", "", "１.全角", "٣. Arabic-Indic", "（0）零"])
def test_each_form_is_found_as_before(text: str) -> None:
    assert find_marker(text) == every_pattern(text)


@given(st.text(alphabet="（()）一二三十〇0123456789、．.，,%是的 ", max_size=8))
def test_any_line_start_is_read_as_before(text: str) -> None:
    assert find_marker(text) == every_pattern(text)


def test_a_one_character_numeral_keeps_its_value() -> None:
    for ch in [*CN_DIGITS, *CN_UNITS]:
        assert cn_to_int(ch) == (CN_DIGITS.get(ch) or CN_UNITS.get(ch) or 0)
    assert cn_to_int("是") is None
    assert re.fullmatch(r"\d", "٣") and cn_to_int("٣") == 3
