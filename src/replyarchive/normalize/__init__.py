"""Undo the artefacts of PDF text extraction: an ordered list of small, named rules.

Each rule takes the lines and returns new lines; every ``Line`` keeps the 1-based number of
the source line it starts on, so later warnings can point at the file. The order matters:
the heading/adoption split needs the space that the whitespace rule removes, and the
page-break join needs unified markers.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from replyarchive.normalize.htmltext import describe as describe_markup
from replyarchive.normalize.htmltext import is_html, strip_line
from replyarchive.normalize.lines import Line, Normalized, Notice, header_end, opening_index
from replyarchive.normalize.paragraphs import (
    join_page_breaks,
    split_adoption_tail,
    split_joined_adoption,
)
from replyarchive.vocab.forms import WIDE_LETTERS, is_salutation
from replyarchive.vocab.lineparts import looks_like_name_line
from replyarchive.vocab.xmltext import XML_ILLEGAL, describe, has_illegal

__all__ = [
    "RULES",
    "Line",
    "Normalized",
    "Notice",
    "header_end",
    "looks_like_name_line",
    "normalize",
    "normalize_letter",
    "opening_index",
]


Rule = Callable[[tuple[Line, ...]], tuple[Line, ...]]
Reporter = Callable[[tuple[Line, ...]], tuple[Notice, ...]]
"""What a rule that removes text would remove, said before it runs on the same lines."""

CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2010-\u206f"
_INVISIBLE = str.maketrans({"\ufeff": None, "\u200b": None, "\u200c": None, "\u200d": None,
                            "\u2060": None, "\u3000": " ", "\xa0": " ", "\t": " ",
                            "\f": " ", "\v": " "})
_SPACE_NEAR_CJK = re.compile(rf"\s+(?=[{CJK}])|(?<=[{CJK}])\s+")
# 抄送：/抄 报：/主送： then units, and a space between two names of two characters or more.
_UNIT_LIST = re.compile(r"^\s*(?:抄\s*[送报]|主\s*送)\s*[:：]\s*")
_BETWEEN_NAMES = re.compile(r"(?<=[\u4e00-\u9fff）)]{2})\s+(?=[\u4e00-\u9fff]{2})")
_PAGE_NUMBER = re.compile(
    r"^(?:[-－—–]\s*\d{1,3}\s*[-－—–]|第\s*\d{1,3}\s*页(?:\s*[，,/]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3})$"
)
# Where the seal sits on the printed page: （盖章）, 【印章】, 印章, （单位公章）. Not text of the
# letter; left in, it is glued to the signature date below it and hides the date.
_SEAL = re.compile(r"^[（(【\[]?\s*(?:单位)?(?:盖章|印章|公章|签章)(?:处)?\s*[）)】\]]?$")
_WIDE = WIDE_LETTERS
# Single characters some PDFs use for （一）…（十） and （1）…（20）.
_ENCLOSED = {chr(0x3220 + i): f"（{n}）" for i, n in enumerate("一二三四五六七八九十")}
_ENCLOSED.update({chr(0x2474 + i): f"（{i + 1}）" for i in range(20)})
_SPACES = re.compile(r"\s{2,}")
_WHITESPACE = re.compile(r"\s")
_INVISIBLE_CHARS = re.compile("[\ufeff\u200b\u200c\u200d\u2060\u3000\xa0\t\f\v]")
_WIDE_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(WIDE_LETTERS)) + "]")
# unify_markers' forms, each anchored at the line's start: a line whose first character none
# of them can start with (most lines) is left as it is without trying them.
_ROUND_MARKER = re.compile(r"^[(（]\s*([一二三四五六七八九十]{1,3}|\d{1,2})\s*[)）]\s*")
_CATEGORY_MARKER = re.compile(r"^[(（]\s*([ABC])\s*类\s*[)）]$")
_DIGIT_MARKER = re.compile(r"^(\d{1,2})\s*[.．]\s*(?![\d%％])")
_NUMERAL_MARKER = re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、．.]\s*")
_MARKER_STARTS = frozenset("(（一二三四五六七八九十")
_RUN_ON_SALUTATION = re.compile(r"^([^：:。，,；;]{2,60}[：:])((?:您|你|贵)[^：:]{0,300}收悉.*)$")


def strip_markup(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """A letter copied from a web page (HTML by evidence, see ``htmltext``): tags that break
    lines (<br>, <p>…) become line breaks, other HTML tags and scripts go, character references
    (&nbsp; &amp;) are decoded. Any other text is untouched, ``<AI+医疗 应用指南>`` included."""
    if not is_html(tuple(line.text for line in lines)):
        return lines
    return tuple(Line(part, line.number) for line in lines
                 for part in strip_line(line.text).parts)


def _markup(lines: tuple[Line, ...]) -> tuple[Notice, ...]:
    if not is_html(tuple(line.text for line in lines)):
        return ()
    removed = [(line.number, strip_line(line.text).removed) for line in lines]
    found = [piece for _, pieces in removed for piece in pieces]
    first = next(number for number, pieces in removed if pieces)
    return (Notice(first, f"the text is a web page's HTML: removed its markup "
                          f"{describe_markup(found)}"),)


def drop_illegal_characters(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """Drop characters that are no text and that XML cannot carry (U+FFFE, U+FFFF, control
    characters other than tab and line breaks, lone surrogates): a feed holding one is no
    longer XML."""
    if not _has_illegal(lines):
        return lines
    return tuple(Line(XML_ILLEGAL.sub("", line.text), line.number) for line in lines)


def _has_illegal(lines: tuple[Line, ...]) -> bool:
    """One scan of the whole letter (a line break is legal), not one per line: most have none."""
    return has_illegal("\n".join(line.text for line in lines))


def _illegal_characters(lines: tuple[Line, ...]) -> tuple[Notice, ...]:
    if not _has_illegal(lines):
        return ()
    return tuple(
        Notice(line.number, f"removed {describe(''.join(found))} (no text, and XML cannot hold "
                            f"it) from '{_quote(XML_ILLEGAL.sub('', line.text))}'")
        for line in lines if (found := XML_ILLEGAL.findall(line.text))
    )


def _quote(text: str, limit: int = 60) -> str:
    """The start of a line for a warning: whole when short, else cut with an ellipsis."""
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "…"


def strip_invisibles(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """Drop zero-width marks and BOMs; turn ideographic and no-break spaces into spaces. (A
    line without any is only stripped: the translation looks up every character.)"""
    return tuple(Line((line.text.translate(_INVISIBLE) if _INVISIBLE_CHARS.search(line.text)
                       else line.text).strip(), line.number) for line in lines)


def fold_wide_letters(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """Full-width digits and Latin letters (２０２５, ＴＣＬ) become ASCII, so numbers, dates and
    文号 read the same however they were typed; punctuation stays as printed."""
    if _WIDE_CHARS.search("\n".join(line.text for line in lines)) is None:
        return lines  # one scan of the letter: most have none
    return tuple(Line(line.text.translate(_WIDE), line.number) for line in lines)


def collapse_spaces(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """Remove whitespace next to a CJK character; keep one space between Latin/digit words. In
    a list of units (抄 送:县气象台 县档案馆) a space between two names separates them, so it
    becomes 、 first. (Each change needs a space: a line without one stays as it is.)"""
    return tuple(
        Line(_SPACES.sub(" ", _SPACE_NEAR_CJK.sub("", _list_spaces(line.text))), line.number)
        if _WHITESPACE.search(line.text) else line
        for line in lines
    )


def _list_spaces(text: str) -> str:
    match = _UNIT_LIST.match(text)
    if match is None:
        return text
    return text[: match.end()] + _BETWEEN_NAMES.sub("、", text[match.end() :])


def unify_markers(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """``(一)``/``㈠`` → ``（一）``, ``⑴`` → ``（1）``, ``1．``/``1. `` → ``1.``,
    ``(A类)`` → ``（A类）``."""
    out = []
    for line in lines:
        first = line.text[:1]
        if first in _ENCLOSED:
            first = _ENCLOSED[first]
        elif first not in _MARKER_STARTS and not first.isdigit():
            out.append(line)  # no marker's form starts so
            continue
        text = first + line.text[1:]
        text = _ROUND_MARKER.sub(r"（\1）", text)
        text = _CATEGORY_MARKER.sub(r"（\1类）", text)
        text = _DIGIT_MARKER.sub(r"\1.", text)
        text = _NUMERAL_MARKER.sub(r"\1、", text)
        out.append(Line(text, line.number))
    return tuple(out)


def drop_page_numbers(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """Drop the page numbers PDF extraction leaves between pages: ``- 2 -``, ``第2页``, ``2/5``,
    and a seal mark alone on its line (``（盖章）``, ``印章``) near the signature."""
    return tuple(line for line in lines
                 if not _PAGE_NUMBER.match(line.text) and not _SEAL.match(line.text))


def split_run_on_salutation(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """``张三委员：您提出的《…》收悉，…`` (copied from a web page): the salutation goes on a line
    of its own, so it is read as one and the rest as the first paragraph."""
    for index, line in enumerate(lines[:40]):
        match = _RUN_ON_SALUTATION.match(line.text)
        if match:
            parts = (Line(match.group(1), line.number), Line(match.group(2), line.number))
            return lines[:index] + parts + lines[index + 1 :]
        if is_salutation(line.text):
            return lines  # a salutation of its own already
    return lines


def drop_blank_lines(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """Blank lines separate paragraphs and pages alike, so they carry no structure."""
    return tuple(line for line in lines if line.text)


RULES: tuple[tuple[str, Rule], ...] = (
    ("strip_markup", strip_markup),
    ("strip_invisibles", strip_invisibles),
    ("drop_illegal_characters", drop_illegal_characters),
    ("fold_wide_letters", fold_wide_letters),
    ("split_adoption_tail", split_adoption_tail),
    ("collapse_spaces", collapse_spaces),
    ("unify_markers", unify_markers),
    ("drop_page_numbers", drop_page_numbers),
    ("drop_blank_lines", drop_blank_lines),
    ("split_run_on_salutation", split_run_on_salutation),
    ("join_page_breaks", join_page_breaks),
    ("split_joined_adoption", split_joined_adoption),
)


REPORTERS: dict[str, Reporter] = {
    "strip_markup": _markup,
    "drop_illegal_characters": _illegal_characters,
}
"""For each rule that removes text, what it removes, so the record can say so."""


def normalize_letter(text: str) -> Normalized:
    """Split ``text`` into lines and run every rule of ``RULES`` in order, noting what the
    rules of ``REPORTERS`` take out."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = tuple(Line(part, number) for number, part in enumerate(raw, start=1))
    notices: list[Notice] = []
    for name, rule in RULES:
        if name in REPORTERS:
            notices += REPORTERS[name](lines)
        lines = rule(lines)
    return Normalized(lines, tuple(notices))


def normalize(text: str) -> tuple[Line, ...]:
    """The lines of ``normalize_letter``, for callers that need no notices."""
    return normalize_letter(text).lines
