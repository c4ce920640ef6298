"""The part rules of a letter, each ``rule(state) -> bool`` (see ``state.py``), in the order
``RULES`` runs them: what one rule finds, the rules after it read from the state.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from replyarchive.normalize import Line
from replyarchive.parse.cc import parse_cc, parse_disclosure
from replyarchive.parse.contacts import parse_contacts
from replyarchive.parse.header import parse_doc_number
from replyarchive.parse.ids import reply_id
from replyarchive.parse.layout import CONTACT
from replyarchive.parse.meeting import kind_signals, parse_session, proposal_number
from replyarchive.parse.notes import Held, month_dates, notes
from replyarchive.parse.preamble import co_handlers
from replyarchive.parse.salutation import parse_salutation
from replyarchive.parse.sections import parse_body
from replyarchive.parse.signature import find_date, named_unit, signing_department
from replyarchive.parse.state import LetterState, Rule, first_line, last_line
from replyarchive.vocab.adoption import stated_status
from replyarchive.vocab.lineparts import CO_HANDLER_OPENING, CO_HANDLER_TITLE
from replyarchive.vocab.markers import find_marker

T = TypeVar("T")

# 第一，… 第二，… / 一是… 二是… at the start of paragraphs: points set out without headings.
# 张三委员 / 李四等代表 / 代表小组: a salutation to the proposers themselves.
_TO_PROPOSERS = re.compile(r"(?:委员|代表)(?:们|小组)?$")
# The opening's clauses, a quoted list of the points dropped (“…”等两项建议均已采纳).
_CLAUSE = re.compile(r"[。！，,；;]")
_QUOTED = re.compile(r"“[^“”]{0,300}”")
_CLAUSES = 8
_POINT = re.compile(r"^(第[一二三四五六七八九十]{1,2}|[一二三四五六七八九十]{1,2}是)[，,、：:]?")


def header_rule(state: LetterState) -> bool:
    """The header is read when the state is made; here its warnings are reported."""
    for line, message in state.header.warnings:
        state.warn(line, message)
    return state.header.doc_number is not None or state.header.title is not None


def salutation_rule(state: LetterState) -> bool:
    if state.layout.salutation is None:
        state.warn(first_line(state.layout.body), "no salutation line (…委员：) found")
        return False
    state.addressee, state.proposers = parse_salutation(state.layout.salutation.text)
    return True


def session_rule(state: LetterState) -> bool:
    state.session = parse_session(state.header.title or "") or parse_session(state.intro)
    return state.session is not None


def kind_rule(state: LetterState) -> bool:
    """Proposal or suggestion from every part that says so; when they disagree, the strongest
    (session, title, salutation, opening) is kept and the others are named in a warning."""
    header = state.header
    line = header.title_line or first_line(state.layout.body)
    signals = kind_signals(state.session, header.title or "", state.addressee or "", state.intro)
    if not signals:
        state.warn(line, "cannot tell a proposal (提案) from a suggestion (建议); assumed "
                         "proposal")
        return False
    state.kind = signals[0][1]
    against = [part for part, kind in signals if kind != state.kind]
    if against:
        state.warn(line, f"{signals[0][0]} says {state.kind}, but {'、'.join(against)} "
                         f"says otherwise; {state.kind} is kept, check it")
    return True


def role_rule(state: LetterState) -> bool:
    """A co-handler's opinion (协办意见的函) is titled so, or says so in its opening while it
    addresses the lead handler rather than members or deputies."""
    title = state.header.title or ""
    to_proposers = _TO_PROPOSERS.search(state.addressee or "") is not None
    if CO_HANDLER_TITLE.search(title) or (CO_HANDLER_OPENING.search(state.intro)
                                          and not to_proposers):
        state.role = "co_handler_opinion"
        if to_proposers:
            state.warn(state.header.title_line or 1, "the title says this is a co-handler's "
                       "opinion (协办意见) but it addresses the proposers; check the role")
        return True
    return False


def number_rule(state: LetterState) -> bool:
    line = state.header.title_line or 1
    number, printed = proposal_number(state.header.title or "", state.intro)
    if printed is not None:
        state.warn(line, f"the proposal number is printed as '{printed}'; only its digits "
                         f"({number}) are kept, check them")
    in_intro, _ = proposal_number(state.intro)
    if number and in_intro and int(number) != int(in_intro):
        state.warn(line, f"the title gives proposal number {number} but the first paragraph "
                         f"gives {in_intro}; the title's is kept")
    state.number = number
    return number is not None


def body_rule(state: LetterState) -> bool:
    layout = state.layout
    second = next((ln for ln in layout.body + layout.closing + layout.signature
                   if len(ln.text) <= 30 and parse_doc_number(ln.text)), None)
    if second is not None:
        state.warn(second.number, "another document number here: two letters seem to be pasted "
                                  "into one file; give each letter its own file")
    state.body = parse_body(layout.body)
    state.warnings += state.body.warnings
    if not state.body.sections:
        state.warn(first_line(layout.body), "no numbered sections (一、…) found; the body is "
                                            "kept as the preamble")
        points = [(line.number, match.group(1)) for line in layout.body
                  if (match := _POINT.match(line.text))]
        if len(points) >= 2:
            listed = "、".join(point for _, point in points[:3])
            state.warn(points[0][0], f"the body is set out in points ({listed}…) without "
                                     f"headings; they are kept as paragraphs")
    _letter_verdict(state)
    return bool(state.body.sections)


def _letter_verdict(state: LetterState) -> None:
    """您的建议我们已吸收采纳。 opening the preamble speaks for the whole letter; sections have
    a field of their own, so it is reported rather than copied onto them."""
    sections = state.body.sections
    if sections and all(s.adoption is not None for s in sections):
        return
    for line in state.layout.body[:3]:
        if find_marker(line.text):
            return
        for clause in _CLAUSE.split(_QUOTED.sub("“”", line.text))[:_CLAUSES]:
            found = stated_status(clause.rsplit("”", 1)[-1])
            if found is not None:
                state.verdict = found
                state.warn(line.number, f"'{found[0]}' ({found[1]}) speaks for the whole "
                                        f"proposal; it is kept in the preamble and not copied "
                                        f"to sections without a phrase of their own")
                return


def date_rule(state: LetterState) -> bool:
    """The signature date; for a letter without one, the 发布时间 of the web page it came from
    (``SourceText.page_date``), with a warning saying so."""
    layout = state.layout
    state.date, line = find_date(layout.signature, layout.closing + layout.body)
    months = month_dates(layout.signature)
    page_date = state.src.page_date
    if state.date is None and months:
        for number, message in months:
            state.warn(number, message)
    elif state.date is None and page_date is not None:
        state.warn(line or last_line(state.lines), "no valid signature date found; the date "
                   f"{page_date} is taken from the web page (发布时间), not the letter")
        state.date = page_date
    elif state.date is None:
        state.warn(line or last_line(state.lines), "no valid signature date found")
    return state.date is not None


def title_rule(state: LetterState) -> bool:
    if state.header.title is None:
        state.warn(first_line(state.lines), "no title line found above the salutation")
        return False
    return True


def department_rule(state: LetterState) -> bool:
    header, layout = state.header, state.layout
    department = (header.letterhead or signing_department(layout.signature)
                  or named_unit(layout.signature + layout.closing))
    if len(header.letterheads) > 1:
        state.warn(first_line(layout.header), f"a joint reply from "
                   f"{'、'.join(header.letterheads)}; the first is taken as the department")
    if department is None and header.title and "关于" in header.title:
        department = header.title.split("关于")[0] or None
    if department is None and state.src.page_source is not None:
        department = state.src.page_source
        state.warn(first_line(layout.signature), f"the letter never names its department; "
                   f"{department} is taken from the web page (来源), not the letter")
    elif department is None:
        state.warn(first_line(layout.signature), "the letter never names its department")
    state.department = department
    return department is not None


def co_handlers_rule(state: LetterState) -> bool:
    layout = state.layout
    state.co_handlers = co_handlers(state.intro,
                                    *(ln.text for ln in layout.closing + layout.signature))
    return bool(state.co_handlers)


def distribution_rule(state: LetterState) -> bool:
    """公开方式 (in the signature block, the header or the closing) and 抄送."""
    layout = state.layout
    state.disclosure = _first_match(layout.signature + layout.header + layout.closing,
                                    parse_disclosure)
    state.cc = _first_match(layout.signature, parse_cc) or ()
    return state.disclosure is not None or bool(state.cc)


def id_rule(state: LetterState) -> bool:
    if state.header.doc_number is None and state.number is None:
        state.warn(1, "no document number (文号) or proposal number found; the id is made from "
                      "the file's hash")
        state.id = f"reply-{state.src.source.sha256[:12]}"
        return False
    state.id = reply_id(state.header.doc_number, state.kind, state.number, state.pinyin)
    return True


def contacts_rule(state: LetterState) -> bool:
    """All contact lines read as one text, so 联系人：张三 / 联系电话：… on two lines pair up."""
    lines = [line for line in state.layout.signature if CONTACT.search(line.text)]
    if not lines:
        return False
    state.contacts, unread = parse_contacts(*(line.text for line in lines))
    if unread:
        state.warn(lines[0].number, f"could not read {'、'.join(unread)} in the contact line")
    return True


def notes_rule(state: LetterState) -> bool:
    """The signature-block lines no field reads whole, kept as printed."""
    names = (state.department, *state.header.letterheads, *state.co_handlers)
    held = Held(frozenset(name for name in names if name), state.disclosure)
    state.notes = tuple(line.text for line in notes(state.layout.signature, held))
    return bool(state.notes)


def _first_match(lines: tuple[Line, ...], parse: Callable[[str], T | None]) -> T | None:
    return next((value for line in lines if (value := parse(line.text)) is not None), None)


RULES: tuple[tuple[str, Rule], ...] = (
    ("header", header_rule),
    ("salutation", salutation_rule),
    ("session", session_rule),
    ("kind", kind_rule),
    ("role", role_rule),
    ("number", number_rule),
    ("body", body_rule),
    ("date", date_rule),
    ("title", title_rule),
    ("department", department_rule),
    ("co_handlers", co_handlers_rule),
    ("distribution", distribution_rule),
    ("id", id_rule),
    ("contacts", contacts_rule),
    ("notes", notes_rule),
)
"""Every part rule, in the order they run."""
