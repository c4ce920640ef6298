"""What a build reports, and how it tells its progress: apart from the render stage, so that
a build that keeps the site as it is reports without importing the templates' machinery."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total): called as pages are written; the CLI draws it on a TTY."""


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build wrote."""

    out: Path
    """The site folder, now holding the new build."""
    replies: int
    """Letters rendered."""
    pages: int
    """HTML pages written."""
    files: int
    """All files in the output, pages included."""
    keys: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    """Path → key of the inputs of each file made with one (see output.py), for the next build.
    Not part of comparisons: a report is what was built, a kept site reports no keys."""
    state: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """What each stage saved for the next build (see output.py)."""
    reused: int = 0
    """Files linked unchanged from the previous site."""
    notes: tuple[str, ...] = ()
    """What whoever builds should know was left out (a database too big for a host)."""
