"""The rules over headings and paragraphs: split an adoption phrase off the heading it ends,
and join a paragraph or heading that a page break cut in two."""

from __future__ import annotations

import re

from replyarchive.normalize.lines import Line, header_end
from replyarchive.vocab.adoption import classify, sentence_status, stated_status
from replyarchive.vocab.forms import WHOLE_NAME_ENDS, ends_with
from replyarchive.vocab.lineparts import (
    SENTENCE_END,
    SIGNATURE_PART,
    ends_part,
    looks_like_name_line,
    starts_part,
)
from replyarchive.vocab.markers import find_marker

_CUT_NUMBER_HEAD = re.compile(r"(?:电话|手机|方式)[：:][\d\-－()（）]*$|[：:，,\s]\d[\d\-－]*$")
_CUT_NUMBER_TAIL = re.compile(r"^[\d\-－]+(?:[，,；;。）)]|$)")
# 邮箱：shen@e / xample.cn: an e-mail address a wrap cut.
_CUT_EMAIL_HEAD = re.compile(r"(?:邮箱|邮件|信箱|mail)[：:]?[A-Za-z0-9._%+@-]{0,80}$")
_CUT_EMAIL_TAIL = re.compile(r"^[A-Za-z0-9._%+@-]{1,80}(?:[，,；;。）)]|$)")
# 会办单位：A、某某市人力资源和社会 / 保障局: a list of units in the signature block whose last
# name a wrap cut (its piece ends without a unit's last character; the rest is short).
_UNIT_LIST = re.compile(r"^[（(]?(?:抄送|抄报|主办单位|协办单位|会办单位)")
_WHOLE_UNIT = re.compile(f"{ends_with(WHOLE_NAME_ENDS)}$")
_CUT_UNIT_TAIL = 8
_SHORT_TAIL = 15
_LONG = 40
_ADOPTION_BRACKETED = re.compile(r"[（(【\[][^（）()【】\[\]]{2,16}[）)】\]]。?$")
_ADOPTION_NAMED = re.compile(
    r"(?:吸收|吸取|部分|暂不|不予|难以|未予|予以|已)?采纳(?:该|此|委员的|代表的)(?:建议|意见|提案)。?$"
)


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
