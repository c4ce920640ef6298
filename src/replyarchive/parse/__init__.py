"""Parse one decoded letter into a ``Reply``: the per-part rules, composed top to bottom.

normalise → layout (header / salutation / body / closing / signature) → header → session →
salutation → preamble → sections → signature → contacts → distribution → id.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import TypeVar

from replyarchive.errors import ParseError
from replyarchive.ingest.sources import SourceText
from replyarchive.normalize import Line, Normalized, Notice, normalize_letter
from replyarchive.parse.cc import parse_cc, parse_disclosure
from replyarchive.parse.contacts import parse_contacts
from replyarchive.parse.header import Header, parse_doc_number, parse_header
from replyarchive.parse.ids import reply_id
from replyarchive.parse.layout import CONTACT, Layout, split_layout
from replyarchive.parse.meeting import parse_kind, parse_session, proposal_number
from replyarchive.parse.notes import Held, month_dates, notes
from replyarchive.parse.preamble import co_handlers, proposal_title
from replyarchive.parse.salutation import parse_salutation
from replyarchive.parse.sections import Body, parse_body
from replyarchive.parse.signature import find_date, signing_department
from replyarchive.parse.split import letter_starts
from replyarchive.records.model import Contact, Kind, Reply, Session
from replyarchive.vocab.adoption import stated_status
from replyarchive.vocab.lineparts import TITLE_WORDS
from replyarchive.vocab.markers import find_marker

__all__ = ["parse_letters", "parse_source"]

T = TypeVar("T")

_LETTER_WORDS = re.compile(rf"答复|回复|复函|函复|收悉|{TITLE_WORDS}")
_REQUEST_WORDS = re.compile(r"提案|建议|议案|意见")
# 第一，… 第二，… / 一是… 二是… at the start of paragraphs: points set out without headings.
_POINT = re.compile(r"^(第[一二三四五六七八九十]{1,2}|[一二三四五六七八九十]{1,2}是)[，,、：:]?")


def parse_source(src: SourceText) -> Reply:
    """The reply record of one letter (the first, when the file holds several); raises
    ``ParseError`` if the text is no reply letter."""
    return parse_letters(normalize_letter(src.text), src)[0]


def parse_letters(normalized: Normalized, src: SourceText) -> tuple[Reply, ...]:
    """One record per letter in the file (``normalized``: its text after normalisation): two
    letters pasted one after the other, with a clear boundary (see ``split.letter_starts``),
    become two records from the same source, each saying where the other is. Raises
    ``ParseError`` if the text is no reply letter."""
    lines = normalized.lines
    starts = [i for i in letter_starts(lines) if _is_letter(lines[i:])]
    if not starts or not _is_letter(lines[: starts[0]]):
        return (_parse_letter(lines, src, _notices(normalized.notices, 0, None)),)
    bounds = [0, *starts, len(lines)]
    parts = [lines[a:b] for a, b in itertools.pairwise(bounds)]
    where = "、".join(str(lines[i].number) for i in starts)
    replies = []
    for index, part in enumerate(parts):
        note = (f"line {part[0].number}: this file holds more than one letter (letters start on "
                f"lines {lines[0].number}、{where}); this is letter {index + 1} of {len(parts)}, "
                f"parsed as its own record. Give each letter its own file")
        after = parts[index + 1][0].number if index + 1 < len(parts) else None
        start = part[0].number if index else 0
        replies.append(_parse_letter(part, src, [note, *_notices(normalized.notices, start,
                                                                  after)]))
    return tuple(replies)


def _notices(notices: tuple[Notice, ...], start: int, stop: int | None) -> list[str]:
    """The normaliser's notices about source lines ``start`` up to ``stop``, as warnings."""
    return [f"line {n.line}: {n.message}" for n in notices
            if n.line >= start and (stop is None or n.line < stop)]


def _is_letter(lines: tuple[Line, ...]) -> bool:
    text = "\n".join(line.text for line in lines)
    return bool(_LETTER_WORDS.search(text) and _REQUEST_WORDS.search(text))


def _parse_letter(lines: tuple[Line, ...], src: SourceText, warnings: list[str]) -> Reply:
    _check_letter(lines, src)
    layout = split_layout(lines)
    header = parse_header(layout.header, lines)
    warnings += [f"line {n}: {message}" for n, message in header.warnings]
    addressee, proposers = _salutation(layout, warnings)
    intro = " ".join(line.text for line in layout.body[:2])
    session = parse_session(header.title or "") or parse_session(intro)
    kind = _kind(session, header, addressee, intro, warnings)
    number = _number(header, intro, warnings)
    body = _body(layout, warnings)
    date = _date(layout, lines, warnings)
    if header.title is None:
        warnings.append(f"line {_first(lines)}: no title line found above the salutation")
    department = _department(header, layout, warnings)
    handlers = co_handlers(intro, *(ln.text for ln in layout.closing + layout.signature))
    disclosure = _first_match(layout.signature + layout.header + layout.closing,
                              parse_disclosure)
    held = Held(frozenset(filter(None, (department, *header.letterheads, *handlers))),
                disclosure)
    return Reply(
        id=_id(src, header, kind, number, warnings),
        doc_number=header.doc_number,
        category=header.category,
        department=department,
        signer=header.signer,
        title=header.title,
        kind=kind,
        session=session,
        proposal_number=number,
        proposal_title=proposal_title(intro),
        addressee=addressee,
        proposers=proposers,
        co_handlers=handlers,
        date=date,
        contacts=_contacts(layout.signature, warnings),
        disclosure=disclosure,
        cc=_first_match(layout.signature, parse_cc) or (),
        preamble=body.preamble,
        sections=body.sections,
        closing=tuple(line.text for line in layout.closing),
        notes=tuple(line.text for line in notes(layout.signature, held)),
        source=src.source,
        warnings=tuple(warnings),
    )


def _body(layout: Layout, warnings: list[str]) -> Body:
    second = next((ln for ln in layout.body + layout.closing + layout.signature
                   if parse_doc_number(ln.text) and len(ln.text) <= 30), None)
    if second is not None:
        warnings.append(f"line {second.number}: another document number here: two letters seem "
                        f"to be pasted into one file; give each letter its own file")
    body = parse_body(layout.body)
    warnings += body.warnings
    if not body.sections:
        warnings.append(f"line {_first(layout.body)}: no numbered sections (一、…) found; the "
                        f"body is kept as the preamble")
        points = [(line.number, match.group(1)) for line in layout.body
                  if (match := _POINT.match(line.text))]
        if len(points) >= 2:
            warnings.append(f"line {points[0][0]}: the body is set out in points "
                            f"({'、'.join(point for _, point in points[:3])}…) without "
                            f"headings; they are kept as paragraphs")
    _letter_verdict(layout.body, body, warnings)
    return body


def _letter_verdict(lines: tuple[Line, ...], body: Body, warnings: list[str]) -> None:
    """您的建议我们已吸收采纳。 opening the preamble speaks for the whole letter; sections have
    a field of their own, so it is reported rather than copied onto them."""
    if body.sections and all(s.adoption is not None for s in body.sections):
        return
    for line in lines[:3]:
        if find_marker(line.text):
            return
        for sentence in re.split(r"[。！]", line.text)[:2]:
            found = stated_status(sentence)
            if found is not None:
                warnings.append(f"line {line.number}: '{found[0]}' ({found[1]}) speaks for the "
                                f"whole proposal; it is kept in the preamble and not copied to "
                                f"sections without a phrase of their own")
                return


def _number(header: Header, intro: str, warnings: list[str]) -> str | None:
    number, printed = proposal_number(header.title or "", intro)
    if printed is not None:
        warnings.append(f"line {header.title_line or 1}: the proposal number is printed as "
                        f"'{printed}'; only its digits ({number}) are kept, check them")
    in_intro, _ = proposal_number(intro)
    if number and in_intro and int(number) != int(in_intro):
        warnings.append(f"line {header.title_line or 1}: the title gives proposal number "
                        f"{number} but the first paragraph gives {in_intro}; the title's is kept")
    return number


def _date(layout: Layout, lines: tuple[Line, ...], warnings: list[str]) -> str | None:
    date, line = find_date(layout.signature, layout.closing + layout.body)
    months = month_dates(layout.signature)
    if date is None and months:
        warnings += [f"line {n}: {message}" for n, message in months]
    elif date is None:
        warnings.append(f"line {line or _last(lines)}: no valid signature date found")
    return date


def _id(src: SourceText, header: Header, kind: Kind, number: str | None,
        warnings: list[str]) -> str:
    if header.doc_number is None and number is None:
        warnings.append("line 1: no document number (文号) or proposal number found; the id is "
                        "made from the file's hash")
        return f"reply-{src.source.sha256[:12]}"
    return reply_id(header.doc_number, kind, number)


def _check_letter(lines: tuple[Line, ...], src: SourceText) -> None:
    if not _is_letter(lines):
        raise ParseError(
            "not a reply letter: no 答复/回复/函/报告 and 提案/建议 wording found; check that "
            "this is the text of a reply letter (答复的函), or move it out of the input folder",
            path=src.file, line=_first(lines) or 1,
        )


def _salutation(layout: Layout, warnings: list[str]) -> tuple[str | None, tuple[str, ...]]:
    if layout.salutation is None:
        warnings.append(f"line {_first(layout.body)}: no salutation line (…委员：) found")
        return None, ()
    return parse_salutation(layout.salutation.text)


def _kind(session: Session | None, header: Header, addressee: str | None, intro: str,
          warnings: list[str]) -> Kind:
    found = parse_kind(session, header.title or "", addressee or "", intro)
    if found is None:
        warnings.append(f"line {header.title_line or 1}: cannot tell a proposal (提案) from a "
                        f"suggestion (建议); assumed proposal")
        return "proposal"
    return found


def _department(header: Header, layout: Layout, warnings: list[str]) -> str | None:
    department = header.letterhead or signing_department(layout.signature)
    if len(header.letterheads) > 1:
        warnings.append(f"line {_first(layout.header)}: a joint reply from "
                        f"{'、'.join(header.letterheads)}; the first is taken as the department")
    if department is None and header.title and "关于" in header.title:
        department = header.title.split("关于")[0] or None
    if department is None:
        warnings.append(f"line {_first(layout.signature)}: the letter never names its department")
    return department


def _contacts(signature: tuple[Line, ...], warnings: list[str]) -> tuple[Contact, ...]:
    """All contact lines read as one text, so 联系人：张三 / 联系电话：… on two lines pair up."""
    lines = [line for line in signature if CONTACT.search(line.text)]
    if not lines:
        return ()
    contacts, unread = parse_contacts(*(line.text for line in lines))
    if unread:
        warnings.append(f"line {lines[0].number}: could not read {'、'.join(unread)} in the "
                        f"contact line")
    return contacts


def _first_match(lines: tuple[Line, ...], parse: Callable[[str], T | None]) -> T | None:
    for line in lines:
        value = parse(line.text)
        if value is not None:
            return value
    return None


def _first(lines: tuple[Line, ...]) -> int:
    return lines[0].number if lines else 1


def _last(lines: tuple[Line, ...]) -> int:
    return lines[-1].number if lines else 0
