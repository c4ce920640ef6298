"""The duplicate search's verdicts on pairs of records, kept for the next build.

records/dedupe.py compares only candidate pairs, and a verdict on a pair depends on the two
records alone, so a rebuild takes the last build's verdicts for pairs of unchanged records
(named by ``dedupe.record_name``). At 10,000 letters there are tens of thousands of candidate
pairs, so the file is laid out to be read and written in C: the names once, then one flat
list per field of the verdicts (``a``, ``b``: the pair's two names by their place in
``names``; ``same``, ``score``, ``difference``), instead of one small list per pair that
would each be looked at in Python.

The file is sealed like a cache entry and tied to the code version (which holds the search's
thresholds); anything else (missing, failing its checksum, of other code or laid out
otherwise) is no verdict at all, and the pairs are compared again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from replyarchive.incremental.cache import ParseCache, unseal, write_sealed

if TYPE_CHECKING:
    from replyarchive.records.dedupe import Verdicts

LAYOUT = 2
"""The file's layout (1: one list per pair)."""
_FIELDS = ("same", "score", "difference")
_ALLOWED: dict[str, set[type]] = {"same": {bool, type(None)},
                                  "score": {int, float, type(None)},
                                  "difference": {str, type(None)}}
"""What each field of a verdict may hold (a bool is no score: ``type`` is checked exactly)."""


class VerdictCache:
    """The verdicts in one file of the cache folder (``pairs.json``)."""

    def __init__(self, cache: ParseCache) -> None:
        self.path = cache.folder / "pairs.json"
        self.version = cache.version
        self.known: Verdicts = {}

    def load(self) -> Verdicts:
        """The last build's verdicts; empty when missing, failing their checksum, of other
        code or not as this class wrote them."""
        try:
            data = unseal(self.path.read_bytes())
            found = _verdicts(data) if data["version"] == self.version else {}
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            found = {}
        self.known = found
        return found

    def store(self, verdicts: Verdicts) -> None:
        """Keep this build's verdicts (rewritten only when they are not the ones loaded)."""
        if verdicts == self.known:
            return
        index: dict[str, int] = {}
        a = [index.setdefault(first, len(index)) for first, _ in verdicts]
        b = [index.setdefault(second, len(index)) for _, second in verdicts]
        said = list(verdicts.values())
        columns = {name: [row[slot] for row in said] for slot, name in enumerate(_FIELDS)}
        write_sealed(self.path, {"version": self.version, "layout": LAYOUT,
                                 "names": list(index), "a": a, "b": b, **columns})


def _verdicts(data: dict[str, Any]) -> Verdicts:
    """The verdicts a file of this layout holds; ValueError when it is not one."""
    if data["layout"] != LAYOUT:
        raise ValueError("another layout")
    names, a, b = data["names"], data["a"], data["b"]
    columns = [data[name] for name in _FIELDS]
    if not (isinstance(names, list) and {type(n) for n in names} <= {str}):
        raise ValueError("not names")
    for places in (a, b):
        if not (isinstance(places, list) and {type(p) for p in places} <= {int}
                and (not places or 0 <= min(places) <= max(places) < len(names))):
            raise ValueError("not places of names")
    for name, column in zip(_FIELDS, columns, strict=True):
        if not (isinstance(column, list) and len(column) == len(a)
                and {type(v) for v in column} <= _ALLOWED[name]):
            raise ValueError("not a verdict")
    if len(b) != len(a):
        raise ValueError("not pairs")
    pairs = zip(map(names.__getitem__, a), map(names.__getitem__, b), strict=True)
    return dict(zip(pairs, map(list, zip(*columns, strict=True)), strict=True))
