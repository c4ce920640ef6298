"""Adoption phrases (采纳情况) → a normalised status, by fuzzy match against canonical phrases.

A reply states, after each heading, how the proposal's point was handled: 吸收采纳该建议,
已采纳, 部分采纳该意见, 留作工作参考, 暂不采纳… The table below lists canonical phrases; a
printed phrase is stripped of its object (该建议, 该意见, 委员的建议…) and matched with rapidfuzz
against the canonical phrases of the same polarity, so a negation (暂不/不予/难以) or 部分 is never
swallowed by a plain 采纳.

A sentence may state its status over several clauses (``受编制限制，目前暂不具备采纳条件，将作为
今后工作参考``): ``sentence_status`` reads each clause and combines what they say.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

AdoptionStatus = Literal["adopted", "partially_adopted", "planned", "for_reference", "not_adopted"]
"""An adoption phrase normalised (SCHEMA.md, ``adoption_status``)."""

CANONICAL: dict[str, AdoptionStatus] = {
    "吸收采纳": "adopted",
    "吸取采纳": "adopted",
    "采纳": "adopted",
    "已采纳": "adopted",
    "予以采纳": "adopted",
    "全部采纳": "adopted",
    "分别采纳": "adopted",
    "吸纳": "adopted",
    "已解决": "adopted",
    "已经解决": "adopted",
    "部分采纳": "partially_adopted",
    "部分予以采纳": "partially_adopted",
    "部分吸收采纳": "partially_adopted",
    "正在解决": "planned",
    "列入计划": "planned",
    "计划解决": "planned",
    "列入计划解决": "planned",
    "纳入计划": "planned",
    "逐步解决": "planned",
    "正在办理": "planned",
    "留作参考": "for_reference",
    "作为参考": "for_reference",
    "留作工作参考": "for_reference",
    "参考采纳": "for_reference",
    "暂不采纳": "not_adopted",
    "不予采纳": "not_adopted",
    "难以采纳": "not_adopted",
    "未予采纳": "not_adopted",
    "暂不能采纳": "not_adopted",
    "暂缓采纳": "not_adopted",
    "因条件限制无法解决": "not_adopted",
}

# What a phrase may say it adopted: 该建议, 该意见, 该提案, 委员的建议, 代表的建议, 此建议…
_OBJECT = re.compile(
    r"(?:该|此|本|上述|(?:委员|代表|您|你们)(?:的|所提)?)?(?:建议|意见|提案|议案|问题)+$"
)
# 该建议…, 您的建议…, 所提3条建议…, 等3条建议… (after a quoted list of them), 以上两项建议…
_COUNT = r"(?:[\d一二两三四五六七八九十]{1,3}|几)(?:项|条|个方面的?)"
_SUBJECT = re.compile(
    rf"^对?(?:(?:该|此|本|上述|以上|(?:您|你们|委员|代表)(?:的|所提的?)|所提的?)(?:{_COUNT}|项|条)?"
    rf"|等?{_COUNT})(?:建议|意见|提案|问题)(?:我们|我局|我委|我办)?"
)
_LABEL = re.compile(r"^(?:办理结果|办理情况|采纳情况|答复意见|结果)[：:]")
_TRAIL = re.compile(r"[。．.！!；;，,、\s]+$")
_SPACE = re.compile(r"\s+")
_BRACKETED = re.compile(r"^[（(【\[](.*)[）)】\]]$")
_CLAUSE_MARK = re.compile(r"[，、,；;。：:]")
# When no canonical phrase is near enough: the words that carry each status, checked in order.
_KEYWORDS: tuple[tuple[re.Pattern[str], AdoptionStatus], ...] = (
    (re.compile(r"(?:不|未|难以|无法|暂缓).{0,4}(?:采纳|解决|实施)"), "not_adopted"),
    (re.compile(r"部分.{0,3}(?:采纳|解决|落实)"), "partially_adopted"),
    (re.compile(r"(?:列入|纳入).{0,12}(?:计划|规划)|(?:正在|逐步|计划|推进|着手).{0,2}解决"
                r"|正在(?:积极)?(?:落实|实施|推进|办理)|(?:逐步|分步|推进)(?:落实|实施)"),
     "planned"),
    (re.compile(r"(?:留作|作为|供|工作中|予以).{0,4}参考"), "for_reference"),
    (re.compile(r"采纳|吸纳|吸收(?:到|进|入)|(?:已经?|基本)(?:基本)?(?:得到)?(?:解决|落实)"),
     "adopted"),
)
_MAX_PHRASE = 40
# A status sentence starts with its verb or an adverb, never with the tail of other words.
_KEYWORD_START = re.compile(
    r"^(?:(?:我们|我局|我委|我办|我市|我区|我县)已将(?:该|此|上述)?(?:建议|意见|提案)?)?"
    r"(?:已|正在|目前|暂|部分|列入|纳入|留作|作为|供|予以|基本|全部|吸收|吸取|采纳|计划|逐步|分步|"
    r"不|未|难以|无法|拟|将|积极|因|受)"
)
_NEGATION = ("不", "未", "难以", "无法", "暂缓")
_MAX_CORE = 12
_MAX_KEYWORD_CORE = 20
"""A phrase read by its words (no canonical one near) may be longer: 已列入2025年度重点工作计划."""
_CUTOFF = 85.0
# Words that may stand before a canonical phrase without changing it: 已采纳, 基本采纳, 均已采纳.
_ADVERBS = frozenset({"已", "已经", "基本", "全部", "均", "均已", "均被", "现已", "予以", "我们",
                      "我局", "拟", "被"})


def _polarity(text: str) -> tuple[bool, bool]:
    return any(neg in text for neg in _NEGATION), "部分" in text


_BY_POLARITY: dict[tuple[bool, bool], tuple[str, ...]] = {}
for _phrase in CANONICAL:
    _BY_POLARITY.setdefault(_polarity(_phrase), ())
    _BY_POLARITY[_polarity(_phrase)] += (_phrase,)


def core(phrase: str) -> str:
    """The phrase without whitespace, brackets, final punctuation and its object (该建议…)."""
    text = _TRAIL.sub("", _SPACE.sub("", phrase))
    text = _BRACKETED.sub(r"\1", text)
    text = _LABEL.sub("", text)
    text = _SUBJECT.sub("", _TRAIL.sub("", text))
    return _OBJECT.sub("", text).rstrip("的")


CLASSIFY_CACHE = 4096
"""Phrases whose status is remembered: the normaliser and the parser ask about the same lines
several times, and letters share their phrases. The answer depends on the text alone."""


@functools.lru_cache(maxsize=CLASSIFY_CACHE)
def classify(phrase: str) -> AdoptionStatus | None:
    """The status an adoption phrase states, or None when the text is not such a phrase."""
    if len(phrase) > _MAX_PHRASE:
        return None
    text = core(phrase)
    if not text or len(text) > _MAX_KEYWORD_CORE or _CLAUSE_MARK.search(text):
        return None
    if len(text) <= _MAX_CORE:
        candidates = _BY_POLARITY.get(_polarity(text), ())
        best = process.extractOne(text, candidates, scorer=_score, score_cutoff=_CUTOFF)
        if best:
            return CANONICAL[best[0]]
    if not _KEYWORD_START.match(text):
        return None
    return _by_keywords(text)


def _by_keywords(text: str) -> AdoptionStatus | None:
    """The status the words of ``text`` carry (a refusal or 部分 only as such)."""
    negative, partial = _polarity(text)
    for pattern, status in _KEYWORDS:
        if pattern.search(text):
            allowed = (status == "not_adopted") if negative else (
                (status == "partially_adopted") if partial else True)
            return status if allowed else None
    return None


def _score(text: str, canonical: str, **_: object) -> float:
    """Whole-phrase similarity; a canonical phrase after an adverb (已, 基本…) scores high too."""
    whole = float(fuzz.ratio(text, canonical))
    if text.endswith(canonical) and text[: len(text) - len(canonical)] in _ADVERBS:
        whole = max(whole, 90.0)
    return whole


_CLAUSES = re.compile(r"[，,；;]")
# Words that lead into a status clause without changing it: 将作为参考, 并列入计划, 但已解决.
_LEAD_IN = re.compile(r"^(?:我们|我局|我委|我办)?(?:将|并|但|同时|现|可|也)")
_MAX_SENTENCE = 60


@dataclass(frozen=True, slots=True)
class SentenceStatus:
    """What the clauses of one sentence say about adoption."""

    phrase: str
    """The sentence from the first to the last clause that states a status, as printed."""
    statuses: tuple[AdoptionStatus, ...]
    """Each such clause's status, in order."""
    status: AdoptionStatus | None
    """The combined status (see ``combine``); None when the clauses disagree."""


def combine(statuses: tuple[AdoptionStatus, ...]) -> AdoptionStatus | None:
    """One status for several clauses: all the same → that one; a refusal plus a reference
    (暂不具备采纳条件，将作为今后工作参考: the C-category 因条件限制…留作参考) → for_reference;
    anything else is unsure → None."""
    distinct = set(statuses)
    if len(distinct) == 1:
        return statuses[0]
    if distinct == {"not_adopted", "for_reference"}:
        return "for_reference"
    return None


def sentence_status(sentence: str) -> SentenceStatus | None:
    """The clauses of a short sentence that state a status, or None when none does."""
    if len(sentence) > _MAX_SENTENCE:
        return None
    sentence = _BRACKETED.sub(r"\1", sentence.strip())
    spans: list[tuple[int, int, AdoptionStatus]] = []
    start = 0
    for match in [*_CLAUSES.finditer(sentence), None]:
        end = match.start() if match else len(sentence)
        clause = sentence[start:end].strip()
        status = classify(clause) or classify(_LEAD_IN.sub("", clause, count=1))
        if status is not None:
            spans.append((start, end, status))
        start = match.end() if match else end
    if not spans:
        return None
    statuses = tuple(status for _, _, status in spans)
    phrase = sentence[spans[0][0] : spans[-1][1]].strip()
    return SentenceStatus(phrase, statuses, combine(statuses))


def stated_status(sentence: str) -> tuple[str, AdoptionStatus] | None:
    """A sentence naming the proposal and what became of it (``以上建议已采纳``, ``该建议我们将在
    今后工作中参考``, ``您的建议我们已吸收采纳``): the phrase as printed and its status. Without
    that subject a sentence is no verdict (我局已采纳企业意见 reports something else)."""
    text = _TRAIL.sub("", sentence.strip())
    if not _SUBJECT.match(text) or len(text) > _MAX_PHRASE:
        return None
    status = classify(text)
    if status is None and (found := sentence_status(text)) is not None:
        status = found.status
    if status is None and "，" not in text:
        # The subject already says this is a verdict, so a longer one (已列入我局2025年工作
        # 计划) is read by its words.
        status = _by_keywords(core(text))
    return (text, status) if status is not None else None
