"""The project's exceptions (a tiny hierarchy; only the CLI turns them into exit codes) and the
``Problem`` every stage reports about an input without stopping."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal


class ReplyArchiveError(Exception):
    """Base of every error the library raises on purpose.

    Carries the file and line it is about, so that the message reads ``path:line: message``.
    """

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class SourceError(ReplyArchiveError):
    """An input file cannot be read or decoded (empty, binary, unknown encoding)."""


class ParseError(ReplyArchiveError):
    """A decoded text is not a reply letter, or a required part cannot be made out."""


class BuildError(ReplyArchiveError):
    """The site cannot be built or written (templates, output folder, configuration)."""


Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """Something to tell the user about one input."""

    path: str
    """The input file (or folder) as given."""
    line: int | None
    """1-based source line, when known."""
    message: str
    """What is wrong and what to do."""
    severity: Severity
    """error: the file produced no record; warning: the record may be incomplete."""

    def __post_init__(self) -> None:  # one problem, one line: names are shown escaped
        object.__setattr__(self, "path", printable(self.path))
        object.__setattr__(self, "message", printable(self.message))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"

    @classmethod
    def of(cls, exc: ReplyArchiveError, path: Path) -> Problem:
        """The error that stopped one input (``path`` when the error names no file)."""
        return cls(exc.path or str(path), exc.line, exc.message, "error")


def count(problems: Sequence[Problem], severity: Severity) -> int:
    """How many of ``problems`` are of this severity."""
    return sum(1 for p in problems if p.severity == severity)


def printable(text: str) -> str:
    """``text`` on one line, as it would not otherwise print: bytes of a name that are not
    UTF-8 as ``\\xd6``, a newline as ``\\n``, other control and format characters escaped."""
    if text.isprintable():
        return text
    return "".join(_escape(char) for char in text)


def _escape(char: str) -> str:
    if "\udc80" <= char <= "\udcff":  # a byte os.fsdecode could not decode
        return f"\\x{ord(char) - 0xDC00:02x}"
    if unicodedata.category(char)[0] == "C" or unicodedata.category(char) in ("Zl", "Zp"):
        return repr(char)[1:-1] if char.isascii() else f"\\u{ord(char):04x}"
    return char
