"""Record ids: URL slugs made from the document number (文号).

中工信函〔2025〕111号 → ``zgxh-2025-111``: pinyin initials of the prefix (pypinyin), the year and
the serial. A letter without a document number falls back to ``proposal-<n>`` /
``suggestion-<n>`` from its proposal number.
"""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

from replyarchive.model import Kind

DOC_NUMBER = re.compile(
    r"([\u4e00-\u9fffA-Za-z]{1,16}?)[〔\[【(（［]((?:19|20)\d{2})[〕\]】)）］]第?(\d{1,6})号"
)


def initials(prefix: str) -> str:
    """Lowercase ASCII initials of a prefix: 中工信函 → zgxh."""
    letters = lazy_pinyin(prefix, style=Style.FIRST_LETTER)
    return re.sub(r"[^a-z0-9]", "", "".join(letters).lower())


def reply_id(doc_number: str | None, kind: Kind, proposal_number: str | None) -> str:
    """The record id: from the 文号, else ``<kind>-<proposal number>``, else ``<kind>-unnumbered``
    (the parser makes its own id from the file's hash before it comes to that)."""
    if doc_number:
        match = DOC_NUMBER.search(doc_number)
        if match:
            prefix = initials(match.group(1)) or "doc"
            return f"{prefix}-{match.group(2)}-{int(match.group(3))}"
    digits = re.sub(r"\D", "", proposal_number or "")
    return f"{kind}-{digits or 'unnumbered'}"
