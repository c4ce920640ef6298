"""Parse one decoded letter into a ``Reply``: the part rules, run in order over one state.

normalise → split pasted letters → layout (header / salutation / body / closing / signature)
→ ``rules.RULES`` (header, salutation, session, kind, role, number, body, date, title, department,
co-handlers, distribution, id, contacts, notes), each ``rule(state) -> bool`` on one
``LetterState`` per letter → the record.
"""

from __future__ import annotations

import itertools
import re

from replyarchive.errors import ParseError
from replyarchive.ingest.sources import SourceText
from replyarchive.normalize import Line, Normalized, Notice, normalize_letter
from replyarchive.parse.header import parse_header
from replyarchive.parse.layout import split_layout
from replyarchive.parse.preamble import proposal_title
from replyarchive.parse.rules import RULES
from replyarchive.parse.split import letter_starts
from replyarchive.parse.state import LetterState, first_line
from replyarchive.records.model import LineWarning, Reply
from replyarchive.vocab.lineparts import TITLE_WORDS
from replyarchive.vocab.pinyin import Pinyin

__all__ = ["parse_letters", "parse_source"]

_LETTER_WORDS = re.compile(rf"答复|回复|复函|函复|收悉|{TITLE_WORDS}")
_REQUEST_WORDS = re.compile(r"提案|建议|议案|意见")
_NEAR_HEADER = 3
"""A web page's letter block starting this near a header the text shows starts there."""
def parse_source(src: SourceText) -> Reply:
    """The reply record of one letter (the first, when the file holds several); raises
    ``ParseError`` if the text is no reply letter."""
    return parse_letters(normalize_letter(src.text), src)[0]


def parse_letters(normalized: Normalized, src: SourceText, pinyin: Pinyin | None = None
                  ) -> tuple[Reply, ...]:
    """One record per letter in the file (``normalized``: its text after normalisation): two
    letters pasted one after the other, with a clear boundary (see ``split.letter_starts``) or
    in blocks of their own on a web page (``SourceText.letter_starts``), become two records
    from the same source, each saying where the other is. Raises ``ParseError`` if the text
    is no reply letter. ``pinyin``: the readings the build has made already."""
    pinyin = pinyin or Pinyin()
    lines = normalized.lines
    headed = letter_starts(lines)
    blocks = {next((i for i, line in enumerate(lines) if line.number >= start), len(lines))
              for start in src.letter_starts}
    blocks = {i for i in blocks if 0 < i < len(lines)
              and not any(abs(i - start) <= _NEAR_HEADER for start in headed)}
    starts = [i for i in sorted({*headed, *blocks}) if _is_letter(lines[i:])]
    if not starts or not _is_letter(lines[: starts[0]]):
        return (_parse_letter(lines, src, _notices(normalized.notices, 0, None), pinyin),)
    bounds = [0, *starts, len(lines)]
    parts = [lines[a:b] for a, b in itertools.pairwise(bounds)]
    where = "、".join(str(lines[i].number) for i in starts)
    replies = []
    for index, part in enumerate(parts):
        note = LineWarning(part[0].number, f"this file holds more than one letter (letters "
                           f"start on lines {lines[0].number}、{where}); this is letter "
                           f"{index + 1} of {len(parts)}, parsed as its own record. Give each "
                           f"letter its own file")
        after = parts[index + 1][0].number if index + 1 < len(parts) else None
        start = part[0].number if index else 0
        replies.append(_parse_letter(part, src, [note, *_notices(normalized.notices, start,
                                                                  after)], pinyin))
    return tuple(replies)


def _notices(notices: tuple[Notice, ...], start: int, stop: int | None) -> list[LineWarning]:
    """The normaliser's notices about source lines ``start`` up to ``stop``, as warnings."""
    return [LineWarning(n.line, n.message) for n in notices
            if n.line >= start and (stop is None or n.line < stop)]


def _is_letter(lines: tuple[Line, ...]) -> bool:
    text = "\n".join(line.text for line in lines)
    return bool(_LETTER_WORDS.search(text) and _REQUEST_WORDS.search(text))


def _parse_letter(lines: tuple[Line, ...], src: SourceText, warnings: list[LineWarning],
                  pinyin: Pinyin) -> Reply:
    """Run every part rule over one state for this letter, then make its record."""
    _check_letter(lines, src)
    layout = split_layout(lines)
    state = LetterState(src, lines, layout, parse_header(layout.header, lines), warnings,
                        pinyin)
    for _name, rule in RULES:
        rule(state)
    return _record(state)


def _record(state: LetterState) -> Reply:
    header, layout, body = state.header, state.layout, state.body
    return Reply(
        id=state.id, doc_number=header.doc_number, category=header.category,
        department=state.department, signer=header.signer, title=header.title,
        kind=state.kind, role=state.role, session=state.session,
        letter_adoption=state.verdict[0] if state.verdict else None,
        letter_adoption_status=state.verdict[1] if state.verdict else None,
        proposal_number=state.number,
        proposal_title=proposal_title(state.intro), addressee=state.addressee,
        proposers=state.proposers, co_handlers=state.co_handlers, date=state.date,
        contacts=state.contacts, disclosure=state.disclosure, cc=state.cc,
        preamble=body.preamble, sections=body.sections,
        closing=tuple(line.text for line in layout.closing), notes=state.notes,
        source=state.src.source, warnings=tuple(state.warnings),
    )


def _check_letter(lines: tuple[Line, ...], src: SourceText) -> None:
    if not _is_letter(lines):
        raise ParseError(
            "not a reply letter: no 答复/回复/函/报告 and 提案/建议 wording found; check that "
            "this is the text of a reply letter (答复的函), or move it out of the input folder",
            path=src.file, line=first_line(lines),
        )
