"""The signature rule: the signing department and the date.

``2025 年 9 月 15 日`` (spaces removed by the normaliser), ``二〇二五年九月十五日`` and a typed
``2025-09-15`` / ``2025.9.15`` / ``2025/9/15`` all become ``2025-09-15``.
"""

from __future__ import annotations

import datetime
import re

from replyarchive.normalize import Line
from replyarchive.vocab.lineparts import is_date_line, looks_like_name_line
from replyarchive.vocab.markers import cn_to_int

_DATE = re.compile(
    r"([\d〇零○一二三四五六七八九]{4})年([\d一二三四五六七八九十]{1,3})月([\d一二三四五六七八九十]{1,3})日"
    r"|(?<!\d)((?:19|20)\d{2})([-./])(\d{1,2})\5(\d{1,2})(?!\d)"
)


def parse_date(text: str) -> str | None:
    """ISO date from a Chinese date, or None when there is none or it is impossible."""
    match = _DATE.search(text)
    if not match:
        return None
    parts = match.group(1, 2, 3) if match.group(1) else match.group(4, 6, 7)
    year, month, day = (cn_to_int(part) for part in parts)
    if year is None or month is None or day is None:
        return None
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


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
        name = _DATE.sub("", line.text) if is_date_line(line.text) else line.text
        if looks_like_name_line(name):
            return name
    return None
