"""The signature rule: the signing department and the date.

``2023 年 6 月 8 日`` (spaces removed by the normaliser), ``二〇二三年六月八日`` and a typed
``2025-09-15`` / ``2025.9.15`` / ``2025/9/15`` all become ``2025-09-15``.
"""

from __future__ import annotations

from replyarchive.normalize import Line
from replyarchive.vocab.forms import DATE_ANYWHERE, iso_date
from replyarchive.vocab.lineparts import UNIT_LINE, is_date_line, looks_like_name_line


def parse_date(text: str) -> str | None:
    """ISO date from a Chinese date, or None when there is none or it is impossible."""
    match = DATE_ANYWHERE.search(text)
    return iso_date(match) if match else None


def find_date(signature: tuple[Line, ...], fallback: tuple[Line, ...]) -> tuple[str | None, int]:
    """The signature's date and its line; else the last date line of ``fallback``."""
    for lines in (signature, tuple(reversed(fallback))):
        for line in lines:
            if is_date_line(line.text):
                return parse_date(line.text), line.number
    return None, 0


def signing_department(signature: tuple[Line, ...]) -> str | None:
    """The first line of the signature that is a body's name (alone, or before the date)."""
    for line in signature:
        name = DATE_ANYWHERE.sub("", line.text) if is_date_line(line.text) else line.text
        if looks_like_name_line(name):
            return name
    return None


def named_unit(lines: tuple[Line, ...]) -> str | None:
    """The body a 承办单位： / 联系单位： line names, when it is a whole body's name."""
    for line in lines:
        match = UNIT_LINE.match(line.text)
        if match and looks_like_name_line(match.group(1)):
            return match.group(1)
    return None
