"""The characters XML cannot carry: the quick test agrees with the pattern, in every plane."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replyarchive.vocab.xmltext import XML_ILLEGAL, has_illegal, xml_safe


@pytest.mark.parametrize(("text", "illegal"), [
    ("答复的函\n一、关于…的建议", False),
    ("emoji 😀 and 𠀀 past plane 0", False),
    ("a form feed \x0c here", True),
    ("U+FFFE \ufffe", True),
    ("a noncharacter of plane 1 \U0001fffe", True),
    ("the last of plane 16 \U0010ffff", True),
    ("", False),
])
def test_has_illegal_finds_each_kind(text: str, illegal: bool) -> None:
    assert has_illegal(text) is illegal
    assert (xml_safe(text) != text) is illegal


@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=40))
def test_has_illegal_agrees_with_the_pattern(text: str) -> None:
    assert has_illegal(text) == (XML_ILLEGAL.search(text) is not None)
    assert xml_safe(text) == XML_ILLEGAL.sub("", text)
