"""Record ids: URL slugs made from the document number (文号).

南农函〔2023〕57号 → ``nnh-2023-57``: pinyin initials of the prefix (pypinyin), the year and
the serial. A letter without a document number falls back to ``proposal-<n>`` /
``suggestion-<n>`` from its proposal number. When letters share an id, ``assign_ids`` keeps
every published letter's id and gives the others suffixes of their own (``clash_ids``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from replyarchive.errors import Problem
from replyarchive.records.model import Kind, LineWarning, Reply
from replyarchive.vocab.forms import DOC_NUMBER
from replyarchive.vocab.pinyin import Pinyin

__all__ = ["DOC_NUMBER", "assign_ids", "clash_ids", "initials", "read_prefixes", "reply_id"]


def initials(prefix: str, pinyin: Pinyin | None = None) -> str:
    """Lowercase ASCII initials of a prefix: 南农函 → nnh (read by ``pinyin``, a table of
    readings already made, or else pypinyin)."""
    letters = (pinyin or Pinyin()).initials(prefix)
    return re.sub(r"[^a-z0-9]", "", "".join(letters).lower())


def reply_id(doc_number: str | None, kind: Kind, proposal_number: str | None,
             pinyin: Pinyin | None = None) -> str:
    """The record id: from the 文号, else ``<kind>-<proposal number>``, else ``<kind>-unnumbered``
    (the parser makes its own id from the file's hash before it comes to that)."""
    if doc_number:
        match = DOC_NUMBER.search(doc_number)
        if match:
            prefix = initials(match.group(1), pinyin) or "doc"
            return f"{prefix}-{match.group(2)}-{int(match.group(3))}"
    digits = re.sub(r"\D", "", proposal_number or "")
    return f"{kind}-{digits or 'unnumbered'}"


def read_prefixes(replies: Iterable[Reply], pinyin: Pinyin) -> None:
    """Have ``pinyin`` read the initials of every record's 文号 prefix, so a later build that
    parses one of these letters again finds them there (a letter parsed in a worker process
    read its own there, into a table the worker drops)."""
    for reply in replies:
        match = DOC_NUMBER.search(reply.doc_number or "")
        if match:
            pinyin.initials(match.group(1))


def clash_ids(reply: Reply) -> tuple[str, ...]:
    """The ids a letter may take when another letter has its id, most readable first: its
    proposal number (``-p2024018``), its date (``-d20250102``), a hash of its source path, then a
    hash of its bytes. Each is the letter's own: another letter coming or going changes none."""
    base = reply.id
    digits = re.sub(r"\D", "", reply.proposal_number or "")
    tags = [f"p{digits}" if digits and not base.endswith(f"-{digits}") else None,
            f"d{reply.date.replace('-', '')}" if reply.date else None,
            f"h{_short_hash(reply.source.path)}", f"h{reply.source.sha256[:8]}"]
    return tuple(dict.fromkeys(f"{base}-{tag}" for tag in tags if tag))


def _short_hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=4).hexdigest()


def _seniority(reply: Reply) -> tuple[str, int, str, str]:
    """Which of the letters sharing an id keeps it in a clean build: the earliest dated, then
    the lowest proposal number, then the first source path, then the first bytes' hash."""
    digits = re.sub(r"\D", "", reply.proposal_number or "")
    return (reply.date or "9999", int(digits[:18] or 10**18), reply.source.path,
            reply.source.sha256)


def assign_ids(replies: Sequence[Reply], previous: Mapping[str, Sequence[str]]) -> list[str]:
    """A unique id for each record, in ``replies``' order; ``previous`` maps a source path to
    the ids its letters had in the site built before (empty for a clean build).

    A letter keeps its previous id when that id is still of its kind (its parsed id, or that id
    with a suffix) and no other letter claims it first; the others of one parsed id are given
    it in seniority (``_seniority``): the first the bare id, each next one its first free
    ``clash_ids``. So a published letter's address never changes when others come or go, and a
    clean build is the same whatever order the inputs are found in."""
    order = sorted(range(len(replies)), key=lambda i: _seniority(replies[i]))
    out: dict[int, str] = {}
    taken: set[str] = set()
    for index in order:
        base = replies[index].id
        for old in previous.get(replies[index].source.path, ()):
            if old not in taken and (old == base or old.startswith(f"{base}-")):
                out[index] = old
                taken.add(old)
                break
    for index in order:
        if index in out:
            continue
        reply = replies[index]
        choices = (reply.id,) if reply.id not in taken else clash_ids(reply)
        chosen = next((c for c in choices if c not in taken), None)
        serial = 2
        while chosen is None:
            chosen = f"{choices[-1]}-{serial}" if f"{choices[-1]}-{serial}" not in taken else None
            serial += 1
        out[index] = chosen
        taken.add(chosen)
    return [out[i] for i in range(len(replies))]


def give_ids(found: Sequence[tuple[Reply, Path]], previous: Mapping[str, Sequence[str]]
             ) -> tuple[list[Reply], list[Problem]]:
    """Each record with its unique id (``assign_ids``), in order, and a warning for each one
    whose id is not its own: shared with another letter, or kept from the site built before.
    ``found``: each record with the file it came from."""
    ids = assign_ids([reply for reply, _ in found], previous)
    shared = Counter(reply.id for reply, _ in found)
    out, problems = [], []
    for (reply, file), new_id in zip(found, ids, strict=True):
        if shared[reply.id] > 1 or new_id != reply.id:
            held = "another letter" if shared[reply.id] == 2 else f"{shared[reply.id] - 1} others"
            note = LineWarning(1, f"id {reply.id} is shared with {held}; this one is "
                                  f"{new_id}. Check that the files are not the same letter")
            if shared[reply.id] == 1:
                note = LineWarning(1, f"this letter keeps the id {new_id} it was published "
                                      f"under (its own would be {reply.id})")
            reply = dataclasses.replace(reply, id=new_id, warnings=(*reply.warnings, note))
            problems.append(Problem(str(file), note.line, note.message, "warning"))
        out.append(reply)
    return out, problems
