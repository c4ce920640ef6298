"""The notes rule: signature-block lines that no field reads are kept, as printed.

The signature block holds the signing body, the date, 联系人及电话, 公开方式, 抄送 and the
category; a line of it that one of those fields reads whole is in the record already. Every
other line (注：…, 附件：…, 此件公开发布, a contact line with an e-mail address, a 协办单位 line
naming units the record does not hold, a date without its day) goes to ``notes`` as printed,
so no text of the letter is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from replyarchive.normalize import Line
from replyarchive.parse.cc import DISCLOSURE_LABEL, parse_cc, parse_disclosure
from replyarchive.parse.contacts import has_email
from replyarchive.parse.layout import CONTACT
from replyarchive.parse.signature import parse_date
from replyarchive.vocab.forms import DATE_AT_END
from replyarchive.vocab.lineparts import (
    CATEGORY,
    is_date_line,
    is_month_line,
    looks_like_name_line,
)

_UNITS = re.compile(r"^[（(]?(?:主办|协办|会办)(?:单位|部门)[：:](.+?)[）)]?$")
_SPLIT = re.compile(r"[、，,；;和及]")
_LABEL = re.compile(rf"{DISCLOSURE_LABEL}|此件")
_PUNCTUATION = re.compile(r"[\s。.，,；;：:、（）()【】\[\]]+")


@dataclass(frozen=True, slots=True)
class Held:
    """What the record's fields hold, for telling which signature lines they read."""

    names: frozenset[str]
    """The department, letterheads and co-handlers: bodies a signature line may name."""
    disclosure: str | None
    """公开方式 as read."""


def notes(signature: tuple[Line, ...], held: Held) -> tuple[Line, ...]:
    """The signature lines no field reads whole, in order."""
    return tuple(line for line in signature if not _read(line.text, held))


def month_dates(signature: tuple[Line, ...]) -> tuple[tuple[int, str], ...]:
    """(line, message) for each date printed without its day: kept as printed in notes."""
    return tuple((line.number, f"the date '{line.text}' gives no day, so the record's date is "
                               "left empty; the line is kept as printed in notes")
                 for line in signature if is_month_line(line.text))


def _read(text: str, held: Held) -> bool:
    if is_date_line(text):
        date = DATE_AT_END.search(text)
        body = text[: date.start()] if date else ""
        return parse_date(text) is not None and (not body or body in held.names)
    if looks_like_name_line(text) or looks_like_name_line(re.sub(r"文件$", "", text)):
        return re.sub(r"文件$", "", text) in held.names
    if CONTACT.search(text):
        return not has_email(text)
    if parse_cc(text) is not None or CATEGORY.search(text):
        return True
    units = _UNITS.match(text)
    if units:
        return all(unit.strip() in held.names for unit in _SPLIT.split(units.group(1).rstrip("。")))
    disclosure = parse_disclosure(text)
    return disclosure is not None and disclosure == held.disclosure and \
        not _PUNCTUATION.sub("", _LABEL.sub("", text).replace(disclosure, "", 1))
