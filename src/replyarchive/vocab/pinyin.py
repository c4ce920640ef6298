"""How names read in pinyin: pypinyin's ``lazy_pinyin``, each text read once.

Ids take the initials of a document number's prefix (南农函 → n n h) and browse pages the
pinyin of a group's name. pypinyin holds its dictionaries in Python modules that take a fifth
of a second to import, so a ``Pinyin`` answers from the table it was given (what the last
build read, ``incremental/pinyin.py``) and imports pypinyin only for a text it lacks: a
rebuild that meets no new name never imports it. Its answers are pypinyin's, whether read
now or remembered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

STYLES = ("words", "initials")
"""``lazy_pinyin``'s styles a table holds: NORMAL (南农函 → nan nong han) and FIRST_LETTER."""


class Pinyin:
    """pypinyin's readings of texts, from ``known`` (style → text → syllables) where it has
    them, else from pypinyin, and then known too (``fresh`` says so)."""

    def __init__(self, known: Mapping[str, Mapping[str, Sequence[str]]] | None = None) -> None:
        self.known: dict[str, dict[str, tuple[str, ...]]] = {
            style: {text: tuple(read) for text, read in (known or {}).get(style, {}).items()}
            for style in STYLES}
        self.fresh = False
        """Whether a text was read from pypinyin (so the table has grown)."""

    def words(self, text: str) -> tuple[str, ...]:
        """``lazy_pinyin(text)``: 临江市 → lin jiang shi; what is not Chinese as it is."""
        return self._read("words", text)

    def initials(self, text: str) -> tuple[str, ...]:
        """``lazy_pinyin(text, style=Style.FIRST_LETTER)``: 南农函 → n n h."""
        return self._read("initials", text)

    def _read(self, style: str, text: str) -> tuple[str, ...]:
        table = self.known[style]
        read = table.get(text)
        if read is None:
            from pypinyin import Style, lazy_pinyin

            chosen = Style.FIRST_LETTER if style == "initials" else Style.NORMAL
            read = table[text] = tuple(lazy_pinyin(text, style=chosen))
            self.fresh = True
        return read

    def __reduce__(self) -> tuple[type[Pinyin], tuple[()]]:
        """A table travels to a worker process empty (the worker reads what it needs from
        pypinyin): the pipeline pickles the parse's arguments once per chunk of files."""
        return (Pinyin, ())
