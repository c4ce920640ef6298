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

from replyarchive.normalize.htmltext import describe as describe_markup
from replyarchive.normalize.htmltext import is_html, strip_line
from replyarchive.vocab.adoption import classify, sentence_status, stated_status
from replyarchive.vocab.lineparts import (
    SENTENCE_END,
    SIGNATURE_PART,
    TITLE_END,
    ends_part,
    looks_like_name_line,
    starts_part,
)
from replyarchive.vocab.markers import find_marker
from replyarchive.vocab.xmltext import XML_ILLEGAL, describe

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


@dataclass(frozen=True, slots=True)
class Line:
    """One logical line of the letter."""

    text: str
    """The line's text after normalisation."""
    number: int
    """1-based number of the source line it starts on."""


@dataclass(frozen=True, slots=True)
class Notice:
    """What a rule took out of the text, for the record's warnings."""

    line: int
    """1-based source line the change was made on."""
    message: str
    """What was changed, quoting what was taken out."""


@dataclass(frozen=True, slots=True)
class Normalized:
    """A letter's lines after every rule, and what the rules took out."""

    lines: tuple[Line, ...]
    """The logical lines, each with its source line number."""
    notices: tuple[Notice, ...]
    """Every change that removed text, in rule order."""


Rule = Callable[[tuple[Line, ...]], tuple[Line, ...]]
Reporter = Callable[[tuple[Line, ...]], tuple[Notice, ...]]
"""What a rule that removes text would remove, said before it runs on the same lines."""

CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2010-\u206f"
_INVISIBLE = str.maketrans({"\ufeff": None, "\u200b": None, "\u200c": None, "\u200d": None,
                            "\u2060": None, "\u3000": " ", "\xa0": " ", "\t": " ",
                            "\f": " ", "\v": " "})
_SPACE_NEAR_CJK = re.compile(rf"\s+(?=[{CJK}])|(?<=[{CJK}])\s+")
_PAGE_NUMBER = re.compile(
    r"^(?:[-－—–]\s*\d{1,3}\s*[-－—–]|第\s*\d{1,3}\s*页(?:\s*[，,/]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3})$"
)
# Where the seal sits on the printed page: （盖章）, 【印章】, 印章, （单位公章）. Not text of the
# letter; left in, it is glued to the signature date below it and hides the date.
_SEAL = re.compile(r"^[（(【\[]?\s*(?:单位)?(?:盖章|印章|公章|签章)(?:处)?\s*[）)】\]]?$")
_WIDE = str.maketrans({chr(0xFF10 + i): chr(0x30 + i) for i in range(10)}
                      | {chr(0xFF21 + i): chr(0x41 + i) for i in range(26)}
                      | {chr(0xFF41 + i): chr(0x61 + i) for i in range(26)})
# Single characters some PDFs use for （一）…（十） and （1）…（20）.
_ENCLOSED = {chr(0x3220 + i): f"（{n}）" for i, n in enumerate("一二三四五六七八九十")}
_ENCLOSED.update({chr(0x2474 + i): f"（{i + 1}）" for i in range(20)})
_CUT_NUMBER_HEAD = re.compile(r"(?:电话|手机|方式)[：:][\d\-－()（）]*$|[：:，,\s]\d[\d\-－]*$")
_CUT_NUMBER_TAIL = re.compile(r"^[\d\-－]+(?:[，,；;。）)]|$)")
# 邮箱：shen@e / xample.cn: an e-mail address a wrap cut.
_CUT_EMAIL_HEAD = re.compile(r"(?:邮箱|邮件|信箱|mail)[：:]?[A-Za-z0-9._%+@-]{0,80}$")
_CUT_EMAIL_TAIL = re.compile(r"^[A-Za-z0-9._%+@-]{1,80}(?:[，,；;。）)]|$)")
# 会办单位：A、某某市人力资源和社会 / 保障局: a list of units in the signature block whose last
# name a wrap cut (its piece ends without a unit's last character; the rest is short).
_UNIT_LIST = re.compile(r"^[（(]?(?:抄送|抄报|主办单位|协办单位|会办单位)")
_WHOLE_UNIT = re.compile(r"(?:局|委|办|办公室|厅|院|中心|公司|集团|署|队|站|所|馆|政府|街道|镇)$")
_CUT_UNIT_TAIL = 8
_RUN_ON_SALUTATION = re.compile(r"^([^：:。，,；;]{2,60}[：:])((?:您|你|贵)[^：:]{0,300}收悉.*)$")
_SHORT_TAIL = 15
_LONG = 40
_ADOPTION_BRACKETED = re.compile(r"[（(【\[][^（）()【】\[\]]{2,16}[）)】\]]。?$")
_ADOPTION_NAMED = re.compile(
    r"(?:吸收|吸取|部分|暂不|不予|难以|未予|予以|已)?采纳(?:该|此|委员的|代表的)(?:建议|意见|提案)。?$"
)


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
    return tuple(Line(XML_ILLEGAL.sub("", line.text), line.number) for line in lines)


def _illegal_characters(lines: tuple[Line, ...]) -> tuple[Notice, ...]:
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
    """Drop zero-width marks and BOMs; turn ideographic and no-break spaces into spaces."""
    return tuple(Line(line.text.translate(_INVISIBLE).strip(), line.number) for line in lines)


def fold_wide_letters(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """Full-width digits and Latin letters (２０２５, ＴＣＬ) become ASCII, so numbers, dates and
    文号 read the same however they were typed; punctuation stays as printed."""
    return tuple(Line(line.text.translate(_WIDE), line.number) for line in lines)


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
    """The heading and the phrase at its end: after a space, in brackets, or naming its object."""
    head, _, tail = text.rstrip().rpartition(" ")
    if head and 2 <= len(tail) <= 16 and classify(tail):
        return head.rstrip(), tail
    for pattern in (_ADOPTION_BRACKETED, _ADOPTION_NAMED):
        match = pattern.search(text[-24:])
        if match:
            cut = len(text) - 24 + match.start() if len(text) > 24 else match.start()
            head, tail = text[:cut].rstrip(), text[cut:]
            if head and head[-1] not in "，、,；;" and _states_status(tail):
                return head, tail
    return None


def _states_status(tail: str) -> bool:
    """A phrase (已采纳) or a bracketed sentence over clauses (（暂不采纳，留作参考）)."""
    if classify(tail):
        return True
    found = sentence_status(tail) if tail[:1] in "（(【[" else None
    return found is not None


def split_joined_adoption(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """After joining, a heading may end with its phrase again (``…企业活力`` / ``的建议 吸收采纳
    该建议。`` → ``…的建议吸收采纳该建议。``): split it off once more."""
    return split_adoption_tail(lines)


def collapse_spaces(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """Remove whitespace next to a CJK character; keep one space between Latin/digit words."""
    return tuple(
        Line(re.sub(r"\s{2,}", " ", _SPACE_NEAR_CJK.sub("", line.text)), line.number)
        for line in lines
    )


def unify_markers(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """``(一)``/``㈠`` → ``（一）``, ``⑴`` → ``（1）``, ``1．``/``1. `` → ``1.``,
    ``(A类)`` → ``（A类）``."""
    out = []
    for line in lines:
        text = _ENCLOSED.get(line.text[:1], line.text[:1]) + line.text[1:]
        text = re.sub(r"^[(（]\s*([一二三四五六七八九十]{1,3}|\d{1,2})\s*[)）]\s*",
                      r"（\1）", text)
        text = re.sub(r"^[(（]\s*([ABC])\s*类\s*[)）]$", r"（\1类）", text)
        text = re.sub(r"^(\d{1,2})\s*[.．]\s*(?![\d%％])", r"\1.", text)
        text = re.sub(r"^([一二三四五六七八九十]{1,3})\s*[、．.]\s*", r"\1、", text)
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
        if line.text[-1:] in "：:" and len(line.text) <= 60:
            return lines  # a salutation of its own already
    return lines


def drop_blank_lines(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """Blank lines separate paragraphs and pages alike, so they carry no structure."""
    return tuple(line for line in lines if line.text)


def join_page_breaks(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """Join a paragraph (or heading) that a page break cut in two, after the salutation."""
    start = header_end(lines)
    out: list[Line] = list(lines[: start + 1])
    body = lines[start + 1 :]
    stop_levels = _levels_ending_with_stop(body)
    tails = _heading_tails(body)
    paragraph: _Paragraph | None = None
    for index, line in enumerate(body):
        after = body[index + 1].text if index + 1 < len(body) else ""
        if paragraph is not None and paragraph.continues(line.text, stop_levels, after,
                                                         tails[index]):
            paragraph.add(line.text)
            continue
        if paragraph is not None:
            out.append(paragraph.line())
        paragraph = _Paragraph(line)
    if paragraph is not None:
        out.append(paragraph.line())
    return tuple(out)


def _levels_ending_with_stop(lines: tuple[Line, ...]) -> set[int]:
    """Heading levels whose headings mostly carry a 。 (``（一）构建…体系。``): there, a heading
    without one was cut by a page break; elsewhere (``三、支持…数字化转型``) it is whole."""
    votes: dict[int, int] = {}
    for line in lines:
        marker = find_marker(line.text)
        if marker is not None:
            votes[marker.level] = votes.get(marker.level, 0) + (1 if "。" in marker.rest else -1)
    return {level for level, vote in votes.items() if vote > 0}


class _Paragraph:
    """A paragraph being joined; what the rule needs is kept up to date piece by piece, so a
    long paragraph is never re-scanned (local to ``join_page_breaks``)."""

    def __init__(self, first: Line) -> None:
        self.first = first
        self.pieces = [first.text]
        self.marker = find_marker(first.text)
        self.signature = SIGNATURE_PART.match(first.text) is not None
        self.whole_part = ends_part(first.text)
        self.phrase = _states_status(first.text)
        self.has_stop = "。" in (self.marker.rest if self.marker else "")
        self.rest_length = len(self.marker.rest) if self.marker else 0
        self.open_brackets = _bracket_balance(first.text) if self.signature else 0

    def add(self, text: str) -> None:
        self.pieces.append(text)
        self.has_stop = self.has_stop or "。" in text
        self.rest_length += len(text)
        if self.signature:
            self.open_brackets += _bracket_balance(text)

    def line(self) -> Line:
        return Line("".join(self.pieces), self.first.number)

    def continues(self, text: str, stop_levels: set[int], after: str, leads: bool) -> bool:
        """Whether ``text`` is the rest of this paragraph, cut by a page break (``after`` is the
        line that follows ``text``; ``leads`` whether it is a fragment leading to a heading's
        end, see ``_heading_tails``)."""
        tail = self.pieces[-1]
        if self.signature and _UNIT_LIST.match(self.first.text) and _cut_unit(tail, text):
            return True
        if starts_part(text):
            return False
        if self.signature:
            # A contact line with its bracket still open or its phone number or e-mail cut
            # (联系电话：0760-12 / 34567), or a 抄送 list or 注： note without its final 。.
            cc = self.first.text.startswith(("抄送", "抄报", "注：", "注:"))
            return self.open_brackets > 0 or (cc and not SENTENCE_END.search(tail)) or (
                _CUT_NUMBER_HEAD.search(tail) is not None
                and _CUT_NUMBER_TAIL.match(text) is not None) or (
                _CUT_EMAIL_HEAD.search(tail) is not None
                and _CUT_EMAIL_TAIL.match(text) is not None)
        if SENTENCE_END.search(tail) or self.whole_part or self.phrase:
            return False
        if _states_status(text):
            # ``…覆盖行政村86%。以上建议已`` / ``采纳。``: the phrase ends a verdict sentence
            # the previous line began, rather than following a heading.
            return self.marker is None and _completes_verdict(tail, text)
        if self.marker and not self.has_stop and (
            self.marker.level == 1 or self.rest_length <= _LONG
        ):
            # A heading without 。 is whole, unless its level's headings end with 。 and what
            # follows is a short tail ending the sentence (``…向专精特新发`` / ``展。``), or a
            # fragment leads straight to a sub-heading or an adoption phrase.
            if self.marker.level in stop_levels:
                return is_short_tail(text)
            return leads or (is_short_tail(text) and (
                classify(after) is not None or _ADOPTION_NAMED.search(text) is not None))
        return True


def _cut_unit(tail: str, text: str) -> bool:
    """Whether ``text`` is the end of the unit name ``tail`` stops in the middle of."""
    last = re.split(r"[：:、，,；;]", tail)[-1]
    return (len(text) <= _CUT_UNIT_TAIL and bool(last) and not SENTENCE_END.search(tail)
            and _WHOLE_UNIT.search(last) is None and looks_like_name_line(last + text))


def _completes_verdict(tail: str, text: str) -> bool:
    """Whether ``text`` ends the sentence ``tail`` began into a verdict naming the proposal
    (以上建议已 / 采纳。), while ``tail``'s sentence alone is none."""
    begun = tail.rsplit("。", 1)[-1]
    return bool(begun) and stated_status(begun + text) is not None and \
        stated_status(begun) is None


def _heading_tails(lines: tuple[Line, ...]) -> list[bool]:
    """For each line, whether it is a short fragment without a stop from which only such
    fragments lead to a sub-heading or an adoption phrase: the rest of a wrapped heading
    (``…重点产业的`` / ``核心基础零部件…等上游企业`` / ``吸取采纳该建议。``)."""
    tails = [False] * len(lines)
    for index in range(len(lines) - 2, -1, -1):
        text, after = lines[index].text, lines[index + 1].text
        fragment = len(text) <= _LONG and "。" not in text and not SENTENCE_END.search(text) \
            and not starts_part(text)
        tails[index] = fragment and (
            tails[index + 1] or find_marker(after) is not None or classify(after) is not None
        )
    return tails


def _bracket_balance(text: str) -> int:
    return text.count("（") + text.count("(") - text.count("）") - text.count(")")


def is_short_tail(text: str) -> bool:
    """The last characters of a cut heading: short, one sentence, ending it (``展。``)."""
    return len(text) <= _SHORT_TAIL and SENTENCE_END.search(text) is not None and \
        "。" not in text[:-1]


def opening_index(lines: tuple[Line, ...]) -> int:
    """Index of the salutation (the first short line ending with a colon), or -1."""
    for index, line in enumerate(lines[:40]):
        text = line.text
        if text[-1:] in "：:" and len(text) <= 120 and not re.search(r"。|类别|如下|收悉", text):
            return index
    return -1


def header_end(lines: tuple[Line, ...]) -> int:
    """Index of the last line above the body: the salutation, else a title line (…答复的函)."""
    opening = opening_index(lines)
    if opening >= 0:
        return opening
    return next((i for i, line in enumerate(lines[:20]) if TITLE_END.search(line.text)), -1)


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
