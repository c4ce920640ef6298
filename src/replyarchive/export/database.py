"""The archive as one SQLite database (made with sqlite-utils), ready for ``datasette``.

Tables: ``replies`` (one row per letter), ``sections`` (every numbered part, any level),
``proposers``, ``co_handlers`` and ``contacts`` (one row per name, in the letter's order); each
of the last four has a foreign key ``reply_id`` → ``replies.id``. ``sections_fts`` is an FTS5
index with the trigram tokenizer over the sections' ``folded`` column, so any Chinese
substring of three characters or more matches. ``folded`` is the title and text folded as the
site's search folds (NFKC, traditional → simplified, lower case): a simplified query finds a
letter that printed 生產, and a traditional query, folded first (``search_sql``), finds 生产.
Trigram needs three characters: a one- or two-character query is a ``LIKE`` over
``sections.folded`` instead (``search_sql``).

The same records give the same bytes with the same SQLite library: the database is made in
memory in a fixed order, vacuumed and serialised; no clock, no random row ids. SQLite writes its
own version number into the file header, so another SQLite version may give other bytes.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from replyarchive.index.tokenize import fold
from replyarchive.records.labels import KIND_LABELS
from replyarchive.records.model import Reply, Section

if TYPE_CHECKING:  # sqlite-utils (and click, pluggy, dateutil) only for a database made
    import sqlite_utils

TABLES = ("replies", "sections", "proposers", "co_handlers", "contacts")
FTS_TABLE = "sections_fts"
FTS_COLUMNS = ("folded",)
"""One index over the folded text: every query the original text would match once the query
is folded, at a third of the size of indexing title, text and folded apart."""
TRIGRAM = 3
"""FTS5's trigram tokenizer matches queries of at least this many characters."""
_NOT_IDEOGRAPHS = re.compile("[^\u4e00-\u9fff]+")

_REPLY_COLUMNS: dict[str, Any] = {
    "id": str, "position": int, "date": str, "year": str, "doc_number": str, "kind": str,
    "kind_label": str, "category": str, "department": str, "session": str, "session_body": str,
    "session_term": int, "session_meeting": int, "proposal_number": str,
    "proposal_title": str, "title": str, "addressee": str, "disclosure": str, "preamble": str,
    "closing": str, "cc": str, "warnings": str, "source_path": str, "source_sha256": str,
    "url": str,
}
_SECTION_COLUMNS: dict[str, Any] = {
    "reply_id": str, "anchor": str, "position": int, "parent": str, "level": int,
    "number": str, "title": str, "adoption": str, "adoption_status": str, "text": str,
    "folded": str, "url": str,
}
_NAME_COLUMNS: dict[str, Any] = {"reply_id": str, "position": int, "name": str}
_CONTACT_COLUMNS: dict[str, Any] = {**_NAME_COLUMNS, "phone": str}


def reply_row(reply: Reply, position: int, base: str) -> dict[str, Any]:
    """One ``replies`` row; list fields other than names are JSON arrays."""
    session = reply.session
    return {
        "id": reply.id, "position": position, "date": reply.date,
        "year": reply.date[:4] if reply.date else None, "doc_number": reply.doc_number,
        "kind": reply.kind, "kind_label": KIND_LABELS[reply.kind], "category": reply.category,
        "department": reply.department, "session": session.label if session else None,
        "session_body": session.body if session else None,
        "session_term": session.term if session else None,
        "session_meeting": session.meeting if session else None,
        "proposal_number": reply.proposal_number, "proposal_title": reply.proposal_title,
        "title": reply.title, "addressee": reply.addressee, "disclosure": reply.disclosure,
        "preamble": "\n".join(reply.preamble), "closing": "\n".join(reply.closing),
        "cc": json.dumps(list(reply.cc), ensure_ascii=False),
        "warnings": json.dumps(list(reply.warnings), ensure_ascii=False),
        "source_path": reply.source.path, "source_sha256": reply.source.sha256,
        "url": f"{base}replies/{reply.id}/",
    }


def section_rows(reply: Reply, base: str,
                 folding: Callable[[str], str] = fold) -> Iterator[dict[str, Any]]:
    """Every section of a letter, parents before children, with its text joined by newlines
    (``folding`` makes the ``folded`` column)."""
    position = 0

    def walk(section: Section, parent: str | None) -> Iterator[dict[str, Any]]:
        nonlocal position
        position += 1
        text = "\n".join(section.paragraphs)
        yield {
            "reply_id": reply.id, "anchor": section.id, "position": position, "parent": parent,
            "level": section.level, "number": section.number, "title": section.title,
            "adoption": section.adoption, "adoption_status": section.adoption_status,
            "text": text, "folded": folding(f"{section.title}\n{text}"),
            "url": f"{base}replies/{reply.id}/#{section.id}",
        }
        for child in section.children:
            yield from walk(child, section.id)

    for section in reply.sections:
        yield from walk(section, None)


LetterRows = dict[str, list[dict[str, Any]]]
"""One letter's rows, by table (``TABLES``, in that order)."""


def letter_rows(reply: Reply, position: int, base: str,
                folding: Callable[[str], str] = fold) -> LetterRows:
    """Every row ``reply`` puts in the database, ``position`` its place in reading order."""
    return {
        "replies": [reply_row(reply, position, base)],
        "sections": list(section_rows(reply, base, folding)),
        "proposers": _names(reply, "proposers"),
        "co_handlers": _names(reply, "co_handlers"),
        "contacts": [{"reply_id": reply.id, "position": n, "name": contact.name,
                      "phone": contact.phone} for n, contact in enumerate(reply.contacts, 1)],
    }


def _names(reply: Reply, field: str) -> list[dict[str, Any]]:
    return [{"reply_id": reply.id, "position": position, "name": name}
            for position, name in enumerate(getattr(reply, field), 1)]


def letter_floor(reply: Reply, base: str) -> int:
    """Fewer bytes than ``reply``'s rows take in the database, found without folding: every
    text value of its rows in UTF-8 (SQLite stores each value whole, in its table), where the
    folded copy of a section counts only its CJK ideographs (the fold keeps each one as one
    character of three bytes or more, ``test_the_fold_keeps_every_ideograph``), plus a byte per
    trigram the FTS index holds of that copy (each position is a varint of one byte or more).
    The same letter gives the same floor wherever it stands: a build keeps each one."""
    kept: list[int] = []  # each section's ideographs: its folded copy's characters

    def counted(text: str) -> str:
        kept.append(ideograph_count(text))
        return ""  # the copy's bytes are added below, 3 an ideograph

    rows = letter_rows(reply, 0, base, folding=counted)
    text = len("".join([value for table in rows.values() for row in table
                        for value in row.values() if isinstance(value, str)]).encode("utf-8"))
    return text + sum(3 * n + max(0, n - TRIGRAM + 1) for n in kept)


def ideographs(text: str) -> str:
    """The CJK unified ideographs of ``text`` (U+4E00–U+9FFF), in order."""
    return _NOT_IDEOGRAPHS.sub("", text)


_OTHER_HIGH_BYTES = bytes(b for b in range(256) if not 0x4E <= b <= 0x9F)


def ideograph_count(text: str) -> int:
    """``len(ideographs(text))`` without a regular expression walking the text: in UTF-16
    every character of U+4E00–U+9FFF is one unit whose high byte is 0x4E–0x9F, and no other
    unit's is (a surrogate's is 0xD8–0xDF), so the count is that of those high bytes."""
    return len(text.encode("utf-16-be", "surrogatepass")[::2].translate(None, _OTHER_HIGH_BYTES))


def fill(db: sqlite_utils.Database, letters: Sequence[LetterRows]) -> None:
    """Create every table in ``db`` (empty) and insert the ``letters``' rows in the order given."""
    fk = [("reply_id", "replies", "id")]
    db["replies"].create(_REPLY_COLUMNS, pk="id", not_null={"id", "kind"})  # type: ignore[union-attr]
    db["replies"].insert_all(row for rows in letters for row in rows["replies"])  # type: ignore[union-attr]
    children: tuple[tuple[str, dict[str, Any]], ...] = (
        ("sections", _SECTION_COLUMNS), ("proposers", _NAME_COLUMNS),
        ("co_handlers", _NAME_COLUMNS), ("contacts", _CONTACT_COLUMNS),
    )
    for name, columns in children:
        table = db.table(name)
        pk = ("reply_id", "position")
        table.create(columns, pk=pk, foreign_keys=fk, not_null=set(pk))
        table.insert_all(row for rows in letters for row in rows[name])
        table.create_index(["reply_id"])
    db.table("sections").enable_fts(list(FTS_COLUMNS), tokenize="trigram")


def size_floor(replies: Sequence[Reply]) -> int:
    """Fewer bytes than the database of ``replies`` takes: only the sections' text as printed
    (the ``text`` column), without the folded copy, the other columns or any index. Cheaper
    than ``letter_floor``, so a build knows a database far too big for a
    static host without making its rows. The sum of the letters' ``printed_size``."""
    return sum(printed_size(reply) for reply in replies)


def printed_size(reply: Reply) -> int:
    """The UTF-8 bytes of ``reply``'s sections' text as printed: its share of ``size_floor``
    (the same wherever the letter stands, so a build keeps each letter's)."""
    return len("".join(paragraph for section in reply.all_sections()
                       for paragraph in section.paragraphs).encode("utf-8"))


def database_bytes(replies: Sequence[Reply], base: str) -> bytes:
    """The whole database file for ``replies`` (in reading order), ``base`` the site's URL."""
    import sqlite_utils

    conn = sqlite3.connect(":memory:")
    try:
        rows = [letter_rows(reply, n, base) for n, reply in enumerate(replies, 1)]
        fill(sqlite_utils.Database(conn), rows)
        conn.commit()
        conn.execute("VACUUM")
        return conn.serialize()
    finally:
        conn.close()


def search_sql(query: str) -> tuple[str, dict[str, str]]:
    """SQL and parameters finding the sections that hold ``query`` (folded as the site's search
    folds it): FTS5 for three characters or more, a LIKE scan for shorter queries."""
    folded = fold(query).strip()
    if len(folded) >= TRIGRAM:
        phrase = '"' + folded.replace('"', '""') + '"'
        return (f"SELECT sections.* FROM {FTS_TABLE} JOIN sections "
                f"ON sections.rowid = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH :q "
                "ORDER BY sections.rowid", {"q": f"folded : {phrase}"})
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return ("SELECT * FROM sections WHERE folded LIKE :q ESCAPE '\\' ORDER BY rowid",
            {"q": f"%{escaped}%"})
