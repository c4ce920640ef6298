"""Letters copied from a web page: tell real HTML from text that only looks like it, and strip
it, saying what was taken out.

A text is HTML only on evidence: at least ``EVIDENCE`` pieces of markup, of at least two kinds,
counting only tags of HTML's own elements (``<p>``, ``<br/>``, ``</div>``, ``<td class=x>``)
and character references (``&nbsp;``, ``&amp;``, ``&#8220;``). So one ``<br>`` typed into a
letter, or ``<AI+医疗 应用指南>`` used as title quotes, is text and stays. In HTML, only those
tags go (with the content of ``<script>`` and ``<style>``); anything else in angle brackets
stays as printed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

EVIDENCE = 3
"""Fewest pieces of markup (tags of HTML elements, character references) that make a text HTML."""
_ELEMENTS = (
    "a|abbr|address|article|aside|b|big|blockquote|body|br|button|caption|center|cite|code|col|"
    "colgroup|dd|del|div|dl|dt|em|figcaption|figure|font|footer|form|h[1-6]|head|header|hr|html|"
    "i|iframe|img|input|ins|label|li|link|main|meta|nav|o:p|ol|option|p|pre|q|s|section|select|"
    "small|span|strike|strong|style|sub|sup|svg|table|tbody|td|textarea|tfoot|th|thead|title|tr|"
    "tt|u|ul"
)
"""HTML's own elements, the only tags stripped."""
TAG = re.compile(rf"</?(?:{_ELEMENTS})(?=[\s/>])[^<>]{{0,300}}>", re.I)
_BREAK = re.compile(
    r"</?(?:p|br|div|h[1-6]|li|tr|table|ul|ol|section|article|header|footer|blockquote)"
    r"(?=[\s/>])[^<>]{0,300}>", re.I)
_SCRIPT = re.compile(
    r"<(?P<element>script|style)(?=[\s>])[^<>]{0,300}>[^<]{0,10000}</(?P=element)\s{0,3}>", re.I)
ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_REMOVED = re.compile(f"{_SCRIPT.pattern}|{TAG.pattern}|{ENTITY.pattern}", re.I)
_QUOTE = 200
"""Longest removed piece quoted whole in a warning."""


@dataclass(frozen=True, slots=True)
class Stripped:
    """One line of HTML as text: the lines its break tags give, and what went."""

    parts: tuple[str, ...]
    """The text between break tags (<br>, <p>…), tags removed, references decoded; none
    empty."""
    removed: tuple[str, ...]
    """The tags, scripts and references taken out or decoded, as printed."""


def is_html(texts: tuple[str, ...]) -> bool:
    """Whether the lines are HTML by evidence (see the module's docstring)."""
    found: list[str] = []
    for text in texts:
        if "<" not in text and "&" not in text:  # no tag and no reference: most lines
            continue
        found += (m.group().lower() for m in TAG.finditer(text))
        found += ENTITY.findall(text)
        if len(found) >= EVIDENCE and len({_kind(piece) for piece in found}) >= 2:
            return True
    return False


def _kind(piece: str) -> str:
    """``</p>`` and ``<p class=x>`` are one kind (p); every reference its own."""
    match = re.match(r"</?([^\s/>]+)", piece)
    return match.group(1) if match and piece.startswith("<") else piece


def strip_line(text: str) -> Stripped:
    """The line without scripts, styles and HTML tags, split at break tags, references
    decoded."""
    removed = tuple(m.group() for m in _REMOVED.finditer(text))
    parts = (ENTITY.sub(_decode, TAG.sub("", part)) for part in _BREAK.split(_SCRIPT.sub("", text)))
    return Stripped(tuple(part for part in parts if part), removed)


def _decode(match: re.Match[str]) -> str:
    return html.unescape(match.group())


def describe(removed: list[str]) -> str:
    """The removed pieces, each once, in order, long ones cut: for a warning."""
    pieces = (p if len(p) <= _QUOTE else p[:_QUOTE] + "…" for p in dict.fromkeys(removed))
    return " ".join(pieces)
