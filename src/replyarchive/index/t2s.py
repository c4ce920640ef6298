"""The traditional→simplified character fold, generated from OpenCC's data at build time.

The table is read from the ``TSCharacters.txt`` dictionary that ships with the
``opencc-python-reimplemented`` package (OpenCC's own data, maintained upstream), never typed in
by hand. Only one-character → one-character entries are kept, first candidate first, so the fold
can be applied character by character, identically in Python (indexing) and JavaScript (queries).
"""

from __future__ import annotations

import base64
import json
import sys
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from replyarchive.errors import BuildError

DICTIONARY_NAME = "TSCharacters.txt"


def dictionary_path() -> Path:
    """Where OpenCC's TSCharacters.txt lives inside the installed opencc package."""
    spec = find_spec("opencc")
    if spec is None or spec.origin is None:
        raise BuildError(
            "the opencc package is missing: `pip install -e .` installs "
            "opencc-python-reimplemented, whose data the search fold is generated from"
        )
    path = Path(spec.origin).parent / "dictionary" / DICTIONARY_NAME
    if not path.is_file():
        raise BuildError("OpenCC dictionary missing: reinstall opencc-python-reimplemented", path)
    return path


def parse_dictionary(text: str) -> dict[str, str]:
    """``繁\\t简 [简…]`` lines → {traditional char: first simplified char}, single chars only."""
    table: dict[str, str] = {}
    for line in text.splitlines():
        source, _, targets = line.partition("\t")
        candidates = targets.split()
        if len(source) != 1 or not candidates or len(candidates[0]) != 1:
            continue
        if candidates[0] != source:
            table.setdefault(source, candidates[0])
    return table


@lru_cache(maxsize=1)
def t2s_table() -> dict[str, str]:
    """The traditional→simplified character table (read once per process)."""
    path = dictionary_path()
    return parse_dictionary(path.read_text(encoding="utf-8"))


def table_pair(table: dict[str, str]) -> tuple[str, str]:
    """The table as two aligned strings (sources, targets), sorted by code point."""
    sources = sorted(table)
    return "".join(sources), "".join(table[s] for s in sources)


ASTRAL = 0x10000


def table_keys(table: dict[str, str]) -> dict[str, object]:
    """Which characters the table maps, for the search page to load the table (search/t2s.js,
    about 19 KB) only when a query or a shown text holds one: ``start``, the first mapped
    code point below U+10000, ``bits``, base64 of a bitmap from it (bit ``cp - start`` of byte
    ``(cp - start) // 8``, least significant first), and ``astral``, whether any character
    above U+FFFF is mapped (then any such character loads the table)."""
    points = sorted(ord(c) for c in table if ord(c) < ASTRAL)
    start = points[0] if points else 0
    bits = bytearray((points[-1] - start) // 8 + 1 if points else 0)
    for point in points:
        bits[(point - start) // 8] |= 1 << ((point - start) % 8)
    return {"start": start, "bits": base64.b64encode(bytes(bits)).decode("ascii"),
            "astral": any(ord(c) >= ASTRAL for c in table)}


def table_script(table: dict[str, str]) -> str:
    """The table as a script that sets ``window.RA_T2S = [sources, targets]`` (works on file://)."""
    pair = json.dumps(list(table_pair(table)), ensure_ascii=False)
    return f"(typeof window !== 'undefined' ? window : globalThis).RA_T2S = {pair};\n"


def main() -> int:
    """``python -m replyarchive.index.t2s``: print the table script (used by the JS tests)."""
    sys.stdout.write(table_script(t2s_table()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
