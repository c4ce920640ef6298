"""What the duplicate search compares two letters on: their folded facts, their folded text and
the keys of their sentences.

Folding takes away only what text extraction changes in a letter saved twice (whitespace, so
page breaks; full and half width; page numbers in a bare text), so two folded texts are equal
exactly when the letters say the same. The sentence keys are stable hashes, so the parse cache
can keep them between builds.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from replyarchive.records.model import Reply
from replyarchive.vocab.forms import DATE_ANYWHERE, DOC_NUMBER, FULL_WIDTH, iso_date

MIN_SENTENCE = 8
"""Sentences shorter than this many characters (after folding) are no key."""
FACTS = ("addressee", "proposers", "proposal_title", "proposal_number", "doc_number", "date",
         "kind", "department")
"""The record fields that must agree for two files to be one letter."""

_SENTENCE_END = re.compile(r"[。!?;！？；]")
_NOT_WORD = re.compile(r"[^\w。!?;！？；]+|_+")
_SPACE = re.compile(r"\s+")
_PAGE_NUMBER = re.compile(
    r"^[ \t　]*(?:[-－—–]\s*\d{1,3}\s*[-－—–]|第\s*\d{1,3}\s*页(?:\s*[，,/]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3})[ \t　]*$", re.M)
"""A page number alone on its line (``- 2 -``, ``第2页``, ``2/5``): page furniture, in bare texts
(records have none: the normaliser drops them)."""


_WIDTH = FULL_WIDTH
"""Full-width ASCII forms (，：（）１Ａ) to half width: the part of NFKC extraction noise touches,
at str.translate speed (NFKC itself costs a millisecond per letter)."""


def fold(text: str) -> str:
    """Full/half width folded, no whitespace: the text extraction noise cannot change."""
    return _SPACE.sub("", text.translate(_WIDTH))


def reply_text(reply: Reply) -> str:
    """A record's words in reading order, for comparison."""
    parts: list[str | None] = [reply.doc_number, reply.title, reply.addressee, *reply.preamble]
    for section in reply.all_sections():
        parts.extend([section.title, section.adoption, *section.paragraphs])
    parts.extend([*reply.closing, reply.department, reply.date])
    return "\n".join(p for p in parts if p)


def leaves(value: Any) -> list[str]:
    """Every string and number in a record's dict, in order (section ids aside)."""
    if isinstance(value, dict):
        return [s for key, item in value.items() if key != "id" for s in leaves(item)]
    if isinstance(value, list):
        return [s for item in value for s in leaves(item)]
    return [] if value is None else [str(value)]


def facts(item: Reply | str) -> tuple[tuple[str, str], ...]:
    """The facts that tell letters apart, folded: (field, value) pairs."""
    if isinstance(item, str):
        return text_facts(fold(item))
    # each field as to_dict gives it (a tuple as a list), without making the whole dict
    return tuple((name, fold("\n".join(leaves(_as_dict_value(getattr(item, name))))))
                 for name in FACTS)


def _as_dict_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def full_text(item: Reply | str) -> str:
    """Everything a letter says, folded: for a record, every field but its id, source and
    warnings; for a bare text, the text without its page numbers."""
    if isinstance(item, str):
        return fold(_PAGE_NUMBER.sub("", item))
    data = item.to_dict()
    for name in ("id", "source", "warnings"):
        data.pop(name, None)
    return fold("\n".join(leaves(data)))


def text_keys(text: str) -> frozenset[int]:
    """Stable 64-bit hashes of the text's sentences with whitespace (so page breaks) and
    punctuation (so half/full width marks, 【】 vs 〔〕) dropped. Stable across processes, so
    the parse cache can keep them (computing them is a large part of the duplicate search)."""
    sentences = _SENTENCE_END.split(_NOT_WORD.sub("", text))
    return frozenset(int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little")
                     for s in sentences if len(s) >= MIN_SENTENCE)


def sentence_keys(reply: Reply) -> frozenset[int]:
    """A record's sentence keys (what the search blocks on); cacheable per record."""
    return text_keys(reply_text(reply))


def text_facts(folded: str) -> tuple[tuple[str, str], ...]:
    """For a bare text: its first 文号's year and serial and its last full date."""
    number = DOC_NUMBER.search(folded)
    dates = [iso_date(match) for match in DATE_ANYWHERE.finditer(folded[-2000:])]
    return (("doc_number", "-".join(number.group(2, 3)) if number else ""),
            ("date", dates[-1] or "" if dates else ""))
