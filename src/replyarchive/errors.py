"""The project's exceptions: a tiny hierarchy; only the CLI turns them into exit codes."""

from __future__ import annotations

from pathlib import Path


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
