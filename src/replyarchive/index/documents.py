"""What the search indexes: one document per part of a letter, plus the letter's own metadata.

A *part* is a numbered section (its own heading, adoption phrase and paragraphs; the text of its
children is theirs), the preamble (``<id>#preamble``) or the closing (``<id>#closing``). Each part
links straight to ``replies/<id>/…#<part id>``. The letter's facts (title, proposal title, 文号,
proposal number, proposers, contacts, department, session) are indexed once per letter, under the
letter's id; a query word found there counts for every part of that letter, and a query found
in the facts alone leads to the facts panel, ``replies/<id>/#facts`` (see query.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from replyarchive.records.labels import KIND_SHORT
from replyarchive.records.model import Reply, Section
from replyarchive.vocab.forms import DOC_YEAR

PREAMBLE_ID = "preamble"
"""Part id of the paragraphs between the salutation and the first section."""
CLOSING_ID = "closing"
"""Part id of the paragraphs after the last section (专此答复…)."""
FACTS_ID = "facts"
"""Anchor of the letter page's facts panel (基本信息): where a match in the metadata leads."""

TEXT_FIELDS: tuple[tuple[str, int], ...] = (("title", 3), ("body", 1))
"""Fields of a part document and their build-time boosts: headings weigh more than text."""
META_FIELDS: tuple[tuple[str, int], ...] = (
    ("title", 2),
    ("proposal_title", 2),
    ("doc_number", 3),
    ("proposal_number", 3),
    ("proposers", 3),
    ("contacts", 3),
    ("department", 1),
    ("session", 1),
)
"""Fields of a letter's metadata document (its facts) and their boosts. A number (文号, 第N号)
or a name (提出人, 联系人) is short and rare: what a reader types to find one letter, so those
fields weigh more than the title, and department and session (shared by many letters) least.
The facts' idf is over letters (fewer documents than parts, so lower): a name of the facts
must still outrank the same name quoted in another letter's text."""

_YEAR_IN_DOC_NUMBER = re.compile(DOC_YEAR)


@dataclass(frozen=True, slots=True)
class Part:
    """One searchable part of a letter."""

    letter_id: str
    """The letter's id (URL slug)."""
    part_id: str
    """Anchor on the letter page: s2-3, preamble or closing."""
    path: str
    """The numbering path as printed, e.g. 二、（三）1.; empty for preamble and closing."""
    title: str
    """The section heading (empty for preamble and closing)."""
    adoption: str | None
    """The adoption phrase as printed (吸收采纳该建议), if any."""
    adoption_status: str | None
    """The normalised adoption status, if any."""
    paragraphs: tuple[str, ...]
    """The part's own paragraphs."""

    @property
    def ref(self) -> str:
        """The document reference: ``<letter id>#<part id>``."""
        return f"{self.letter_id}#{self.part_id}"

    @property
    def body(self) -> str:
        """Adoption phrase and paragraphs, one per line (lines never form bigrams together)."""
        lines = [self.adoption] if self.adoption else []
        return "\n".join([*lines, *self.paragraphs])

    @property
    def text(self) -> str:
        """Everything a phrase may be found in: heading, adoption phrase, paragraphs."""
        return f"{self.title}\n{self.body}"


def marker(section: Section) -> str:
    """一、 for level 1, （三） for level 2, 1. for level 3 and below."""
    if section.level == 1:
        return f"{section.number}、"
    if section.level == 2:
        return f"（{section.number}）"
    return f"{section.number}."


def _section_parts(letter_id: str, section: Section, prefix: str) -> list[Part]:
    path = prefix + marker(section)
    part = Part(letter_id, section.id, path, section.title, section.adoption,
                section.adoption_status, section.paragraphs)
    parts = [part]
    for child in section.children:
        parts.extend(_section_parts(letter_id, child, path))
    return parts


def letter_parts(reply: Reply) -> list[Part]:
    """Preamble, every section at every level, closing; empty preamble/closing are left out."""
    parts: list[Part] = []
    if reply.preamble:
        parts.append(Part(reply.id, PREAMBLE_ID, "", "", None, None, reply.preamble))
    for section in reply.sections:
        parts.extend(_section_parts(reply.id, section, ""))
    if reply.closing:
        parts.append(Part(reply.id, CLOSING_ID, "", "", None, None, reply.closing))
    return parts


def letter_fields(reply: Reply) -> dict[str, str]:
    """The letter's facts as the text of each META_FIELDS field. The proposal number is
    written as the letters print it (第48号提案), so its junction tokens are indexed; each
    contact is a name line and a phone line."""
    number = reply.proposal_number
    contacts = [line for c in reply.contacts for line in (c.name, c.phone) if line]
    return {
        "title": reply.title or "",
        "proposal_title": reply.proposal_title or "",
        "doc_number": reply.doc_number or "",
        "proposal_number": f"第{number}号{KIND_SHORT.get(reply.kind, '')}" if number else "",
        "proposers": "\n".join(reply.proposers),
        "contacts": "\n".join(contacts),
        "department": reply.department or "",
        "session": reply.session.label if reply.session else "",
    }


def letter_year(reply: Reply) -> int | None:
    """The year of the signature date, else the year in the document number (〔2025〕)."""
    if reply.date and reply.date[:4].isdigit():
        return int(reply.date[:4])
    match = _YEAR_IN_DOC_NUMBER.search(reply.doc_number or "")
    return int(match.group(1)) if match else None
