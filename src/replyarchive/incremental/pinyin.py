"""The pinyin table a build read (``vocab.pinyin.Pinyin``), kept in the cache folder so the
next build need not import pypinyin for the names it met already.

``pinyin.json`` is sealed as the parse cache's entries are (``cache.seal``) and tied to the
installed pypinyin: the SHA-256 of its ``__init__.py``, which holds its ``__version__``
(reading it is free; asking ``importlib.metadata`` costs a tenth of a second). A table that
fails its seal, is of another pypinyin, or holds anything but texts and their syllables is
not read: the build reads its names from pypinyin again and writes the table anew.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path
from typing import Any

from replyarchive.incremental.cache import unseal, write_sealed
from replyarchive.vocab.pinyin import STYLES, Pinyin

FILE = "pinyin.json"


def pypinyin_version() -> str:
    """What the table's readings depend on: the installed pypinyin (its ``__init__.py``
    hashed), or ``""`` when it cannot be found."""
    spec = importlib.util.find_spec("pypinyin")
    try:
        return hashlib.sha256(Path(spec.origin).read_bytes()).hexdigest()  # type: ignore[union-attr, arg-type]
    except (AttributeError, TypeError, OSError):
        return ""


def load_pinyin(folder: Path | None) -> Pinyin:
    """The table kept in ``folder`` (a cache folder), or an empty one."""
    if folder is None:
        return Pinyin()
    try:
        data = unseal((folder / FILE).read_bytes())
        return Pinyin(_checked(data, pypinyin_version()))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return Pinyin()


def _checked(data: Any, version: str) -> dict[str, dict[str, list[str]]]:
    if not version or data["pypinyin"] != version:
        raise ValueError("another pypinyin")
    table = {style: data[style] for style in STYLES}
    for readings in table.values():
        for text, read in readings.items():
            if not (isinstance(text, str) and isinstance(read, list)
                    and all(isinstance(syllable, str) for syllable in read)):
                raise ValueError("not a reading")
    return table


def store_pinyin(folder: Path | None, pinyin: Pinyin) -> None:
    """Keep ``pinyin``'s table in ``folder`` when it has grown since it was loaded."""
    if folder is None or not pinyin.fresh:
        return
    version = pypinyin_version()
    if version:
        write_sealed(folder / FILE, {"pypinyin": version, **{
            style: {text: list(read) for text, read in sorted(pinyin.known[style].items())}
            for style in STYLES}})
