"""Patching a shard file's bytes without parsing it.

A file's index JSON (``shards.index_json``) keeps a letter's entries together: its field vectors
are one run of the ``fieldVectors`` list, and in each term's posting its refs are one run of each
field's object, all in catalog order. When a changed letter neither brings a term new to the
file nor takes a term's last posting away, no ``_index`` moves, so the new bytes are the old ones
with those runs replaced. A run is found by binary search over the bytes (reading the catalog
row of the ref at a separator), never by reading the file into objects: a hot term's file holds
100,000 postings. Otherwise ``splice_kind`` returns None and the caller rebuilds the file from
its parsed JSON.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

VECTORS = b'"fieldVectors":['
INVERTED = b'],"invertedIndex":['
REF_SEP = b'":{},"'
VECTOR_SEP = b']],["'
Record = tuple[tuple[int, int, int], str, int, list[tuple[str, str]]]
Key = Callable[[bytes, int], int]


def split_file(data: bytes) -> tuple[bytes | None, bytes | None]:
    """A shard file's text and meta index JSON (None where ``null``)."""
    start = data.index(b'{"text":') + len(b'{"text":')
    cut = data.rindex(b',"meta":')
    end = data.rindex(b"});")
    text, meta = data[start:cut], data[cut + len(b',"meta":'):end]
    return (None if text == b"null" else text, None if meta == b"null" else meta)


def _row(ref: bytes) -> int:
    return int(ref.partition(b"#")[0], 36)


def _ref_row(data: bytes, at: int) -> int:
    """Catalog row of the posting ref starting at ``at`` (``3f#s2-3":{},"…``, or the last)."""
    end = data.find(b'"', at)
    return _row(data[at:end if end >= 0 else len(data)])


def _vector_row(data: bytes, at: int) -> int:
    """Catalog row of the field vector starting at ``at`` (``body/3f#s2-3",[…``)."""
    end = data.index(b'"', at)
    return _row(data[data.index(b"/", at, end) + 1:end])


def lower_bound(data: bytes, low: int, high: int, sep: bytes, row: int, key: Key) -> int:
    """The start of the first entry of ``data[low:high]`` (entries joined by ``sep``, sorted by
    ``key``) whose key is ≥ ``row``; ``high`` if none."""
    if low >= high or key(data, low) >= row:
        return low
    a, b = low, high
    while True:
        s = data.find(sep, (a + b) // 2, b)
        c = s + len(sep) if s >= 0 else b
        if c >= b:
            s = data.rfind(sep, a, b - 1)
            if s < 0:
                return b
            c = s + len(sep)
        if key(data, c) < row:
            a = c
        else:
            b = c


def replace_run(data: bytes, low: int, high: int, sep: bytes, row: int, key: Key,
                new: Sequence[bytes]) -> bytes:
    """``data[low:high]`` (entries joined by ``sep``) with the run of ``row`` replaced."""
    start = lower_bound(data, low, high, sep, row, key)
    end = lower_bound(data, start, high, sep, row + 1, key)
    before = b""
    if start >= high:
        before = data[low:high]
    elif start > low:
        before = data[low:start - len(sep)]
    items = [item for item in (before, sep.join(new), data[end:high]) if item]
    return sep.join(items)


@dataclass(frozen=True, slots=True)
class Entry:
    """A term's entry in an index's ``invertedIndex``: its span, its ``_index``, and the span
    of each field's refs (inside ``{"…":{}}``, empty span for ``{}``)."""

    start: int
    end: int
    index: int
    fields: tuple[tuple[int, int], ...]
    count: int


def _prefix(term: str) -> bytes:
    return f'[{json.dumps(term, ensure_ascii=False)},{{"_index":'.encode()


def find_entry(data: bytes, term: str, names: Sequence[str]) -> Entry | None:
    """The term's entry, or None when the index does not hold the term."""
    prefix = _prefix(term)
    start = data.find(prefix)
    if start < 0:
        return None
    at = start + len(prefix)
    comma = data.index(b",", at)
    index = int(data[at:comma])
    at = comma + 1
    fields = []
    count = 0
    for name in names:
        at += len(name) + 3
        if data.startswith(b"{}", at):
            fields.append((at, at))
            at += 3
        else:
            close = data.index(b"{}}", at) + 3
            fields.append((at + 2, close - 5))
            count += data.count(b'":{}', at, close)
            at = close + 1
    return Entry(start, at + 1, index, tuple(fields), count)


def _posting(data: bytes) -> bytes:
    return b'{"' + data + b'":{}}' if data else b"{}"


def splice_kind(data: bytes, names: Sequence[str], first: int, changed: Sequence[int],
                records: Sequence[Record], entries: Mapping[str, Entry]) -> bytes | None:
    """The index JSON with the ``changed`` letters' entries replaced by ``records`` (theirs,
    sorted); ``entries``: every term of the changed letters the index holds. None when the
    file's term set would change."""
    if any(term not in entries for record in records for term, _ in record[3]):
        return None
    new_refs: dict[tuple[str, int, int], list[bytes]] = {}
    by_letter: dict[int, list[bytes]] = {}
    for (row, _, fid), ref, _, pairs in records:
        for term, _ in pairs:
            new_refs.setdefault((term, fid - first, row), []).append(ref.encode())
        elements = ",".join(f"{entries[term].index},{score}" for term, score in pairs)
        by_letter.setdefault(row, []).append(f'{names[fid - first]}/{ref}",[{elements}'.encode())
    replacements: list[tuple[int, int, bytes]] = []
    for term, entry in entries.items():
        fields = []
        for slot, (low, high) in enumerate(entry.fields):
            refs = data[low:high]
            for row in changed:
                adding = new_refs.get((term, slot, row), [])
                refs = replace_run(refs, 0, len(refs), REF_SEP, row, _ref_row, adding)
            fields.append(refs)
        if not any(fields):
            return None
        postings = b",".join(b'"' + name.encode() + b'":' + _posting(refs)
                             for name, refs in zip(names, fields, strict=True))
        replacements.append((entry.start, entry.end,
                             _prefix(term) + str(entry.index).encode() + b"," + postings + b"}]"))
    start = data.index(VECTORS) + len(VECTORS)
    end = data.index(INVERTED, start)
    vectors = data[start + 2:end - 2] if end > start else b""
    for row in changed:
        vectors = replace_run(vectors, 0, len(vectors), VECTOR_SEP, row, _vector_row,
                              by_letter.get(row, []))
    out = [data[:start], b'["' + vectors + b"]]" if vectors else b""]
    cursor = end
    for low, high, text in sorted(replacements):
        out.append(data[cursor:low])
        out.append(text)
        cursor = high
    out.append(data[cursor:])
    return b"".join(out)
