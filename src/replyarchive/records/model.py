"""The reply record (../shared/SCHEMA.md) as frozen, typed data shared by every stage.

``Reply.to_dict()`` gives the record in the contract's key order, ready for YAML or JSON;
``Reply.from_dict()`` reads one back (a stored record). ``Reply.to_row()`` and
``Reply.from_row()`` are the parse cache's form: each record a tuple of its fields in class
order, without the keys every record repeats, holding only plain str, int, float, None and
tuples, which a rebuild reads back markedly faster.
Source line numbers ride along on the objects for messages but are never serialised.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, cast

from replyarchive.records.blank import blank_maker

if TYPE_CHECKING:  # rapidfuzz, which it imports, is only for the parse
    from replyarchive.vocab.adoption import AdoptionStatus

__all__ = ["Contact", "Kind", "LineWarning", "Reply", "Role", "Section", "Session",
           "Source"]

SCHEMA_VERSION = 1

Kind = Literal["proposal", "suggestion"]
Role = Literal["reply", "co_handler_opinion"]
"""What the letter is: a reply to the proposers, or a co-handler's opinion (协办意见的函) to the
lead handler."""

# 公开方式 values that publish a letter: 主动公开, 公开, 公开发布 (此件公开发布). Any other value
# (不予公开, 依申请公开, 删减后公开…) keeps it from proactive publication.
_PUBLIC = re.compile(r"(?:主动)?公开(?:发布)?")


class LineWarning(str):
    """A warning as the record prints it (``line 17: date missing``) that keeps its line and
    message as values: the stage that reports it reads ``line`` instead of the text."""

    line: int | None
    """1-based source line the warning is about; None when it is about the whole file."""
    message: str
    """The warning without its ``line N:`` prefix."""

    def __new__(cls, line: int | None, message: str) -> LineWarning:
        warning = super().__new__(cls, message if line is None else f"line {line}: {message}")
        warning.line, warning.message = line, message
        return warning

    def __getnewargs__(self) -> tuple[int | None, str]:  # type: ignore[override]
        return self.line, self.message


@dataclass(frozen=True, slots=True)
class Session:
    """会议届次, e.g. 市政协九届二次会议."""

    body: str
    """会议机关: 市政协, 市人大 (or the printed body for other levels)."""
    term: int | None
    """届, e.g. 13 for 十三届."""
    meeting: int | None
    """次会议, e.g. 4 for 四次会议."""
    label: str
    """The session as printed, whitespace removed: 市政协九届二次会议."""

    def to_dict(self) -> dict[str, Any]:
        return {"body": self.body, "term": self.term, "meeting": self.meeting, "label": self.label}

    def to_row(self) -> tuple[Any, ...]:
        return (self.body, self.term, self.meeting, self.label)


@dataclass(frozen=True, slots=True)
class Contact:
    """联系人及电话: one person and the phone printed for them."""

    name: str
    """联系人, e.g. 何敏."""
    phone: str | None
    """联系电话 as printed, e.g. 0731-84561234."""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "phone": self.phone}

    def to_row(self) -> tuple[Any, ...]:
        return (self.name, self.phone)


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record came from: the input file, its bytes' hash, its encoding and, for a file
    that is not plain text, its format and how the text was read."""

    path: str
    """The input file relative to the input folder, with forward slashes."""
    sha256: str
    """SHA-256 of the file's bytes, lowercase hex."""
    encoding: str
    """The encoding the text was decoded with: utf-8, utf-8-sig, gb18030, utf-16; ``binary``
    for a PDF or Word file (not decoded as text)."""
    format: str | None = None
    """The file's format, told by its bytes: html, pdf, docx, doc; None for plain text."""
    reader: str | None = None
    """How the text was obtained: html, pdf-text (text layer), ocr (a scan), docx,
    doc-soffice; None for plain text."""
    pages: int | None = None
    """Page count of the original (PDF)."""
    page_date: str | None = None
    """发布时间 of the web page the letter came from (ISO 8601): the record's date only when
    the letter shows none, with a warning saying so."""
    page_source: str | None = None
    """来源 of the web page the letter came from, when it names a body: the record's
    department only when the letter names none, with a warning saying so."""
    confidence: float | None = None
    """For a scan (reader ``ocr``): the OCR's mean confidence, 0 to 1."""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"path": self.path, "sha256": self.sha256,
                                "encoding": self.encoding}
        extra = {"format": self.format, "reader": self.reader, "pages": self.pages,
                 "page_date": self.page_date, "page_source": self.page_source,
                 "confidence": self.confidence}
        return data | {key: value for key, value in extra.items() if value is not None}

    def to_row(self) -> tuple[Any, ...]:
        return (self.path, self.sha256, self.encoding, self.format, self.reader, self.pages,
                self.page_date, self.page_source, self.confidence)

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Source:
        path, sha256, encoding, format_, reader, pages, page_date, page_source, confidence = row
        source = _blank_source()
        source.path, source.sha256, source.encoding = path, sha256, encoding
        source.format, source.reader, source.pages = format_, reader, pages
        source.page_date, source.page_source, source.confidence = (page_date, page_source,
                                                                   confidence)
        source.__class__ = cls
        return cast(Source, source)


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered part of the reply body: 一、 (level 1), （一） (level 2), 1. (level 3)."""

    id: str
    """Anchor id from the numbering path: s2 for 二、, s2-3 for 二、（三）, s2-3-1 below it."""
    level: int
    """1 for 一、, 2 for （一）, 3 for 1."""
    number: str
    """The marker's numeral as printed: 一, 三, 1."""
    title: str
    """The heading, without marker and trailing 。."""
    adoption: str | None = None
    """The adoption phrase as printed, e.g. 吸收采纳该建议."""
    adoption_status: AdoptionStatus | None = None
    """The phrase normalised: adopted, partially_adopted, planned, for_reference, not_adopted."""
    paragraphs: tuple[str, ...] = ()
    """The section's own text, one whole paragraph each."""
    children: tuple[Section, ...] = ()
    """The next level down."""
    line: int | None = field(default=None, compare=False)
    """1-based line of the heading in the source text (not serialised)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "level": self.level,
            "number": self.number,
            "title": self.title,
            "adoption": self.adoption,
            "adoption_status": self.adoption_status,
            "paragraphs": list(self.paragraphs),
            "children": [child.to_dict() for child in self.children],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Section:
        children = data["children"]
        return cls(data["id"], data["level"], data["number"], data["title"], data["adoption"],
                   data["adoption_status"], tuple(data["paragraphs"]),
                   tuple([cls.from_dict(child) for child in children]) if children else ())

    def to_row(self) -> tuple[Any, ...]:
        return (self.id, self.level, self.number, self.title, self.adoption,
                self.adoption_status, self.paragraphs,
                tuple([child.to_row() for child in self.children]))

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Section:
        # Positional, set as a plain object's slots (``_blank``), and no comprehension for the
        # (mostly empty) children: a rebuild reads back some 170,000 sections from the cache at
        # 10,000 letters (docs/BENCHMARKS.md).
        id_, level, number, title, adoption, adoption_status, paragraphs, children = row
        section = _blank_section()
        section.id, section.level, section.number, section.title = id_, level, number, title
        section.adoption, section.adoption_status = adoption, adoption_status
        section.paragraphs = tuple(paragraphs)
        section.children = tuple([cls.from_row(child) for child in children]) if children \
            else ()
        section.line = None
        section.__class__ = cls
        return cast(Section, section)

    def walk(self) -> tuple[Section, ...]:
        """This section and every section below it, in reading order."""
        out: list[Section] = [self]
        for child in self.children:
            out.extend(child.walk())
        return tuple(out)


@dataclass(frozen=True, slots=True)
class Reply:
    """One reply letter (答复的函) as a structured record; see SCHEMA.md for every field."""

    id: str
    """URL slug: nnh-2023-57 from 南农函〔2023〕57号."""
    doc_number: str | None
    """文号, e.g. 南农函〔2023〕57号."""
    category: Literal["A", "B", "C"] | None
    """答复类别 A/B/C."""
    department: str | None
    """承办单位, the issuing body: 临江市农业农村局."""
    title: str | None
    """The letter's title line: …关于…第N号提案答复的函."""
    kind: Kind
    """proposal (政协提案) or suggestion (人大代表建议)."""
    session: Session | None
    """会议届次."""
    proposal_number: str | None
    """提案/建议编号, digits only."""
    proposal_title: str | None
    """The proposal's own title, from 《》 when quoted."""
    addressee: str | None
    """The salutation line without its colon, e.g. 王某等委员."""
    proposers: tuple[str, ...]
    """People and bodies named in the salutation."""
    co_handlers: tuple[str, ...]
    """会办单位 whose views were consolidated."""
    date: str | None
    """Signature date, ISO 8601."""
    contacts: tuple[Contact, ...]
    """联系人及电话."""
    disclosure: str | None
    """公开方式, e.g. 主动公开."""
    cc: tuple[str, ...]
    """抄送 units."""
    preamble: tuple[str, ...]
    """Paragraphs between the salutation and the first section."""
    sections: tuple[Section, ...]
    """The numbered body."""
    closing: tuple[str, ...]
    """Paragraphs after the last section, before the signature (专此答复…)."""
    source: Source
    """The input file this record came from."""
    warnings: tuple[str, ...] = ()
    """What the parser was unsure of, in plain words, with the line number."""
    signer: str | None = None
    """签发人, e.g. 林国栋; optional in the record (written only when printed)."""
    notes: tuple[str, ...] = ()
    """Lines of the signature block no other field holds, as printed: 注：…, 附件：…, a date
    without its day; optional in the record (written only when there are some)."""
    letter_adoption: str | None = None
    """The verdict the letter states for the whole proposal when no section carries one of its
    own (…等两项建议均已采纳), as printed; optional in the record."""
    letter_adoption_status: AdoptionStatus | None = None
    """``letter_adoption`` normalised, as a section's ``adoption_status``."""
    role: Role = "reply"
    """reply, or co_handler_opinion for a co-handler's opinion to the lead handler (协办意见的函,
    会办意见); optional in the record (written only for a co-handler's opinion)."""
    schema_version: int = SCHEMA_VERSION
    """Always 1 for this contract."""

    def to_dict(self) -> dict[str, Any]:
        """The record in SCHEMA.md's key order, with plain lists and dicts only; the optional
        ``signer`` and ``notes`` only when the letter has them, ``role`` only when it is no
        plain reply."""
        return {
            "schema_version": self.schema_version,
            "id": self.id,
            "doc_number": self.doc_number,
            "category": self.category,
            "department": self.department,
            **({"signer": self.signer} if self.signer is not None else {}),
            "title": self.title,
            "kind": self.kind,
            **({"role": self.role} if self.role != "reply" else {}),
            "session": self.session.to_dict() if self.session else None,
            "proposal_number": self.proposal_number,
            "proposal_title": self.proposal_title,
            "addressee": self.addressee,
            "proposers": list(self.proposers),
            "co_handlers": list(self.co_handlers),
            "date": self.date,
            "contacts": [contact.to_dict() for contact in self.contacts],
            "disclosure": self.disclosure,
            "cc": list(self.cc),
            "preamble": list(self.preamble),
            "sections": [section.to_dict() for section in self.sections],
            **({"letter_adoption": self.letter_adoption,
                "letter_adoption_status": self.letter_adoption_status}
               if self.letter_adoption is not None else {}),
            "closing": list(self.closing),
            **({"notes": list(self.notes)} if self.notes else {}),
            "source": self.source.to_dict(),
            "warnings": [str(warning) for warning in self.warnings],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Reply:
        """Read a record back from its dict form (a stored YAML/JSON record)."""
        session = data["session"]
        return cls(
            schema_version=data["schema_version"],
            id=data["id"],
            doc_number=data["doc_number"],
            category=data["category"],
            department=data["department"],
            title=data["title"],
            kind=data["kind"],
            session=Session(**session) if session else None,
            proposal_number=data["proposal_number"],
            proposal_title=data["proposal_title"],
            addressee=data["addressee"],
            proposers=tuple(data["proposers"]),
            co_handlers=tuple(data["co_handlers"]),
            date=data["date"],
            contacts=tuple(Contact(**c) for c in data["contacts"]),
            disclosure=data["disclosure"],
            cc=tuple(data["cc"]),
            preamble=tuple(data["preamble"]),
            sections=tuple([Section.from_dict(s) for s in data["sections"]]),
            closing=tuple(data["closing"]),
            source=Source(**data["source"]),
            warnings=tuple(data["warnings"]),
            signer=data.get("signer"),
            role=data.get("role", "reply"),
            letter_adoption=data.get("letter_adoption"),
            letter_adoption_status=data.get("letter_adoption_status"),
            notes=tuple(data.get("notes", ())),
        )

    def to_row(self) -> tuple[Any, ...]:
        """The record as the parse cache keeps it: its fields in class order, the nested
        records as rows too, the warnings as plain str (``from_row`` reads it back)."""
        return (self.id, self.doc_number, self.category, self.department, self.title,
                self.kind, self.session.to_row() if self.session else None,
                self.proposal_number, self.proposal_title, self.addressee, self.proposers,
                self.co_handlers, self.date, tuple([c.to_row() for c in self.contacts]),
                self.disclosure, self.cc, self.preamble,
                tuple([section.to_row() for section in self.sections]), self.closing,
                self.source.to_row(), tuple([str(warning) for warning in self.warnings]),
                self.signer, self.notes, self.letter_adoption,
                self.letter_adoption_status, self.role, self.schema_version)

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Reply:
        """A record back from ``to_row``'s tuple, or the same as lists (ValueError or
        TypeError if it is none)."""
        (id_, doc_number, category, department, title, kind, session, proposal_number,
         proposal_title, addressee, proposers, co_handlers, date, contacts, disclosure, cc,
         preamble, sections, closing, source, warnings, signer, notes, letter_adoption,
         letter_adoption_status, role, schema_version) = row
        reply = _blank_reply()
        reply.id, reply.doc_number, reply.category = id_, doc_number, category
        reply.department, reply.title, reply.kind = department, title, kind
        reply.session = Session(*session) if session else None
        reply.proposal_number, reply.proposal_title = proposal_number, proposal_title
        reply.addressee, reply.proposers = addressee, tuple(proposers)
        reply.co_handlers, reply.date = tuple(co_handlers), date
        reply.contacts = tuple([Contact(*contact) for contact in contacts])
        reply.disclosure, reply.cc, reply.preamble = disclosure, tuple(cc), tuple(preamble)
        reply.sections = tuple([Section.from_row(section) for section in sections])
        reply.closing, reply.source = tuple(closing), Source.from_row(source)
        reply.warnings, reply.signer, reply.notes = tuple(warnings), signer, tuple(notes)
        reply.letter_adoption, reply.letter_adoption_status = (letter_adoption,
                                                               letter_adoption_status)
        reply.role, reply.schema_version = role, schema_version
        reply.__class__ = cls
        return cast(Reply, reply)

    @property
    def restricted(self) -> bool:
        """Whether its 公开方式 keeps it from proactive publication (不予公开, 依申请公开…);
        a letter that states none, or 主动公开, is public."""
        return self.disclosure is not None and _PUBLIC.fullmatch(self.disclosure) is None

    def all_sections(self) -> tuple[Section, ...]:
        """Every section at every level, in reading order."""
        out: list[Section] = []
        for section in self.sections:
            out.extend(section.walk())
        return tuple(out)


_blank_section, _blank_source, _blank_reply = (blank_maker(c) for c in (Section, Source, Reply))
