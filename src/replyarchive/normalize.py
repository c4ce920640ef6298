"""Undo the artefacts of PDF text extraction: an ordered list of small, named rules.

Each rule takes the lines and returns new lines; every ``Line`` keeps the 1-based number of
the source line it starts on, so later warnings can point at the file. The order matters:
the heading/adoption split needs the space that the whitespace rule removes, and the
page-break join needs unified markers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from replyarchive.adoption import classify
from replyarchive.markers import find_marker


@dataclass(frozen=True, slots=True)
class Line:
    """One logical line of the letter."""

    text: str
    """The line's text after normalisation."""
    number: int
    """1-based number of the source line it starts on."""


Rule = Callable[[tuple[Line, ...]], tuple[Line, ...]]

CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2010-\u206f"
_INVISIBLE = str.maketrans({"\ufeff": None, "\u200b": None, "\u200c": None, "\u200d": None,
                            "\u2060": None, "\u3000": " ", "\xa0": " ", "\t": " ",
                            "\f": " ", "\v": " "})
_SPACE_NEAR_CJK = re.compile(rf"\s+(?=[{CJK}])|(?<=[{CJK}])\s+")
_SENTENCE_END = re.compile(r"[。！？!?；;：:…]['\"”’」』）)】》]*$")
DATE = re.compile(r"^(?:\d{4}年\d{1,2}月\d{1,2}日|[〇零○一二三四五六七八九]{4}年"
                  r"[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)$")
_SIGNATURE_PART = re.compile(r"^[（(]?(?:联系人|联系电话|公开方式|抄送|抄报|附件|此件)")
_DOC_NUMBER = re.compile(r"[〔\[【(（［](?:19|20)\d{2}[〕\]】)）］]\d+号$")
_CATEGORY = re.compile(r"^[（(]?[ABC]类[）)]?$|类别[：:]")
_PAGE_NUMBER = re.compile(
    r"^(?:[-－—–]\s*\d{1,3}\s*[-－—–]|第\s*\d{1,3}\s*页(?:\s*[，,/]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3})$"
)
_SHORT_TAIL = 15
_LONG = 40
_ADOPTION_TAIL = re.compile(r"^(.+?)\s+(\S{2,16})$")
_ADOPTION_BRACKETED = re.compile(r"^(.+?)([（(【\[][^（）()【】\[\]]{2,16}[）)】\]]。?)$")
_ADOPTION_NAMED = re.compile(
    r"^(.+?[^，、,])((?:吸收|吸取|部分|暂不|不予|难以|未予|予以|已)?采纳(?:该|此|委员的|代表的)"
    r"(?:建议|意见|提案)。?)$"
)


def strip_invisibles(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """Drop zero-width marks and BOMs; turn ideographic and no-break spaces into spaces."""
    return tuple(Line(line.text.translate(_INVISIBLE).strip(), line.number) for line in lines)


def split_adoption_tail(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """``四、关于…的建议 吸收采纳该建议。`` → the heading, then the phrase on its own line.

    The phrase may also follow without a space when it names its object (…的建议吸收采纳该建议)
    or sits in brackets (…的建议（已采纳）).
    """
    out: list[Line] = []
    for line in lines:
        split = _adoption_split(line.text) if find_marker(line.text) else None
        if split:
            out += [Line(split[0], line.number), Line(split[1], line.number)]
        else:
            out.append(line)
    return tuple(out)


def _adoption_split(text: str) -> tuple[str, str] | None:
    for pattern in (_ADOPTION_TAIL, _ADOPTION_BRACKETED, _ADOPTION_NAMED):
        match = pattern.match(text)
        if match and classify(match.group(2)):
            return match.group(1).rstrip(), match.group(2)
    return None


def collapse_spaces(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """Remove whitespace next to a CJK character; keep one space between Latin/digit words."""
    return tuple(
        Line(re.sub(r"\s{2,}", " ", _SPACE_NEAR_CJK.sub("", line.text)), line.number)
        for line in lines
    )


def unify_markers(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """``(一)`` → ``（一）``, ``1．``/``1. `` → ``1.``, ``(A类)`` → ``（A类）``."""
    out = []
    for line in lines:
        text = re.sub(r"^[(（]\s*([一二三四五六七八九十]{1,3}|\d{1,2})\s*[)）]\s*",
                      r"（\1）", line.text)
        text = re.sub(r"^[(（]\s*([ABC])\s*类\s*[)）]$", r"（\1类）", text)
        text = re.sub(r"^(\d{1,2})\s*[.．]\s*(?![\d%％])", r"\1.", text)
        text = re.sub(r"^([一二三四五六七八九十]{1,3})\s*[、．.]\s*", r"\1、", text)
        out.append(Line(text, line.number))
    return tuple(out)


def drop_page_numbers(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """Drop the page numbers PDF extraction leaves between pages: ``- 2 -``, ``第2页``, ``2/5``."""
    return tuple(line for line in lines if not _PAGE_NUMBER.match(line.text))


def drop_blank_lines(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """Blank lines separate paragraphs and pages alike, so they carry no structure."""
    return tuple(line for line in lines if line.text)


def join_page_breaks(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """Join a paragraph (or heading) that a page break cut in two, after the salutation."""
    start = opening_index(lines)
    out: list[Line] = list(lines[: start + 1])
    for line in lines[start + 1 :]:
        if out and len(out) > start + 1 and _continues(out[-1].text, line.text):
            out[-1] = Line(out[-1].text + line.text, out[-1].number)
        else:
            out.append(line)
    return tuple(out)


def opening_index(lines: tuple[Line, ...]) -> int:
    """Index of the salutation (the first short line ending with a colon), or -1."""
    for index, line in enumerate(lines[:40]):
        text = line.text
        if text[-1:] in "：:" and len(text) <= 120 and not re.search(r"。|类别|如下|收悉", text):
            return index
    return -1


def _continues(previous: str, text: str) -> bool:
    """Whether ``text`` is the rest of ``previous``, cut by a page break."""
    if _starts_part(text):
        return False
    if _SIGNATURE_PART.match(previous):
        # A contact line with its bracket still open, or a 抄送 list without its final 。.
        return _unclosed(previous) or (previous.startswith(("抄送", "抄报"))
                                       and not _SENTENCE_END.search(previous))
    if _SENTENCE_END.search(previous) or _ends_part(previous):
        return False
    if classify(text) or classify(previous):
        return False
    marker = find_marker(previous)
    if marker and "。" not in marker.rest and (marker.level == 1 or len(marker.rest) <= _LONG):
        # A heading without 。 is whole unless what follows is a short tail ending a sentence.
        return len(text) <= _SHORT_TAIL and _SENTENCE_END.search(text) is not None and \
            "。" not in text[:-1]
    return True


def _unclosed(text: str) -> bool:
    return text.count("（") + text.count("(") > text.count("）") + text.count(")")


def _starts_part(text: str) -> bool:
    """A line that starts a part of its own: a heading, a signature or header part."""
    return find_marker(text) is not None or _ends_part(text)


def _ends_part(text: str) -> bool:
    """A line that is a whole part of its own: signature or header part."""
    return bool(
        DATE.match(text)
        or _SIGNATURE_PART.match(text)
        or _DOC_NUMBER.search(text)
        or _CATEGORY.search(text)
        or looks_like_name_line(text)
    )


def looks_like_name_line(text: str) -> bool:
    """A short line of a body's name alone (a signature), e.g. 中山市工业和信息化局."""
    return (
        len(text) <= 30
        and re.fullmatch(r"[\u4e00-\u9fff（）()]+", text) is not None
        and re.search(r"(?:局|委|办|办公室|院|政府|中心|厅|部|会|委员会|公司|集团|署|处|"
                      r"镇|街道|区|行|所|站|馆|社|校|队)$", text) is not None
    )


RULES: tuple[tuple[str, Rule], ...] = (
    ("strip_invisibles", strip_invisibles),
    ("split_adoption_tail", split_adoption_tail),
    ("collapse_spaces", collapse_spaces),
    ("unify_markers", unify_markers),
    ("drop_page_numbers", drop_page_numbers),
    ("drop_blank_lines", drop_blank_lines),
    ("join_page_breaks", join_page_breaks),
)


def normalize(text: str) -> tuple[Line, ...]:
    """Split ``text`` into lines and run every rule of ``RULES`` in order."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = tuple(Line(part, number) for number, part in enumerate(raw, start=1))
    for _name, rule in RULES:
        lines = rule(lines)
    return lines
