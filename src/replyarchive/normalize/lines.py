"""A letter's lines as the normalisation rules pass them on, and where its body starts."""

from __future__ import annotations

from dataclasses import dataclass

from replyarchive.vocab.forms import OPENING, is_bare_salutation, is_salutation
from replyarchive.vocab.lineparts import TITLE_END


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


def opening_index(lines: tuple[Line, ...]) -> int:
    """Index of the salutation (the first short line ending with a colon, or a name and its
    form of address, 李红代表, right above the opening sentence), or -1. A label below the
    opening (单位负责人：) is no salutation."""
    for index, line in enumerate(lines[:40]):
        if is_salutation(line.text):
            return index
        if OPENING.search(line.text):
            before = index - 1
            return before if before >= 0 and is_bare_salutation(lines[before].text) else -1
    return -1


def header_end(lines: tuple[Line, ...]) -> int:
    """Index of the last line above the body: the salutation, else a title line (…答复的函)."""
    opening = opening_index(lines)
    if opening >= 0:
        return opening
    return next((i for i, line in enumerate(lines[:20]) if TITLE_END.search(line.text)), -1)
