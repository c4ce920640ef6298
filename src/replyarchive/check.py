"""``replyarchive check``: every problem in every input, reported at once, nothing written.

It runs the same parse as a build (so the same duplicates, id clashes and warnings, and the
files of an input folder that are skipped, each with why) and adds letters pasted into one file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from replyarchive.errors import Problem, ReplyArchiveError, count
from replyarchive.ingest.sources import discover_real, read_source
from replyarchive.pipeline import parse_all
from replyarchive.vocab.forms import DOC_NUMBER_LINE


@dataclass(frozen=True, slots=True)
class CheckReport:
    """What ``check`` found."""

    letters: int
    """Letters that parse into a valid record."""
    problems: tuple[Problem, ...]
    """Every error and warning, sorted by path and line."""

    @property
    def errors(self) -> int:
        return count(self.problems, "error")

    @property
    def warnings(self) -> int:
        return count(self.problems, "warning")

    def exit_code(self, strict: bool) -> int:
        """1 on any error, or on any warning in strict mode; else 0."""
        return 1 if self.errors or (strict and self.warnings) else 0

    def summary(self) -> str:
        return (f"checked: {self.letters} letters, {self.warnings} warnings, "
                f"{self.errors} errors")


def check_inputs(paths: Sequence[Path]) -> CheckReport:
    """Parse everything under ``paths`` and collect every problem; write nothing."""
    outcome = parse_all(paths)
    problems = [*outcome.problems, *pasted_letters(paths)]
    problems.sort(key=lambda p: (p.path, p.line or 0, p.severity, p.message))
    return CheckReport(letters=len(outcome.replies), problems=tuple(problems))


def pasted_letters(paths: Sequence[Path]) -> list[Problem]:
    """Files holding more than one letter: a second 文号 standing on a line of its own."""
    found: list[Problem] = []
    try:
        inputs = discover_real(paths)
    except ReplyArchiveError:
        return found  # parse_all has reported the missing path already
    for file, root, real in inputs:
        try:
            text = read_source(file, root, real).text
        except ReplyArchiveError:
            continue  # reported by parse_all
        numbers = [n for n, line in enumerate(text.splitlines(), 1)
                   if DOC_NUMBER_LINE.match(line.strip())]
        found += [Problem(
            str(file), n,
            "a second document number (文号) on a line of its own: this file seems to hold "
            "more than one letter; put each letter in its own file (the parser makes one "
            "record per letter only where a signature date comes before the next header)",
            "warning") for n in numbers[1:]]
    return found


def format_problem(problem: Problem) -> str:
    """``path:line: severity: message``, one line, as compilers print it."""
    where = f"{problem.path}:{problem.line}" if problem.line else problem.path
    return f"{where}: {problem.severity}: {problem.message}"
