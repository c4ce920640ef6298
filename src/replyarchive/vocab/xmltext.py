"""Characters XML cannot carry, shared by the normaliser (which drops them from letters with a
warning) and the feed and sitemap writer (which never emits them, whatever reaches it).

XML 1.0 allows only tab, LF, CR and U+0020…U+D7FF, U+E000…U+FFFD, U+10000…U+10FFFF. Also
taken out: DEL and the C1 controls and the Unicode noncharacters (U+FDD0…U+FDEF, and U+FFFE
and U+FFFF in every plane), which XML discourages and no printed letter holds.
"""

from __future__ import annotations

import re

_NONCHARACTERS = "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}"
                         for plane in range(1, 17))
_PLANE_0 = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
XML_ILLEGAL = re.compile(f"[{_PLANE_0}{_NONCHARACTERS}]")
_MAYBE_ILLEGAL = re.compile(f"[{_PLANE_0}\U00010000-\U0010ffff]")
"""``XML_ILLEGAL``'s characters of plane 0, and any character past it: a text without one has
none of them. Ten times quicker to look for, as one range stands for the 32 noncharacters
that ``XML_ILLEGAL`` tests each character against one by one."""


def has_illegal(text: str) -> bool:
    """Whether ``text`` holds a character XML cannot carry."""
    return _MAYBE_ILLEGAL.search(text) is not None and XML_ILLEGAL.search(text) is not None


def xml_safe(text: str) -> str:
    """``text`` without the characters XML cannot carry."""
    return XML_ILLEGAL.sub("", text) if has_illegal(text) else text


def describe(chars: str) -> str:
    """``\\ufffe\\uffff`` → ``U+FFFE、U+FFFF``: the characters named, each once, in order."""
    return "、".join(f"U+{ord(ch):04X}" for ch in dict.fromkeys(chars))
