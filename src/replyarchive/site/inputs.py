"""From input letters to a built site: parse with the pipeline, then render what parsed.

Bad letters are reported and skipped; the others still build. The original text of each letter
is found again from its record's ``source.path`` and checked against its SHA-256.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from replyarchive.cache import ParseCache, SiteStamp, site_fingerprint
from replyarchive.config import Config
from replyarchive.errors import BuildError
from replyarchive.model import Reply
from replyarchive.pipeline import Problem, parse_all
from replyarchive.site.builder import BuildReport, Progress, build_site


@dataclass(frozen=True, slots=True)
class SiteOutcome:
    """A finished build and what the parse stage had to say."""

    report: BuildReport
    """What was written."""
    problems: tuple[Problem, ...]
    """Errors (letters skipped) and warnings, in input order."""


def source_files(inputs: Sequence[Path], replies: Sequence[Reply]) -> dict[str, Path]:
    """id → input file, for every record whose file is found with the recorded SHA-256."""
    roots = [p if p.is_dir() else p.parent for p in inputs]
    found: dict[str, Path] = {}
    for reply in replies:
        for root in roots:
            candidate = root / reply.source.path
            try:
                digest = hashlib.sha256(candidate.read_bytes()).hexdigest()
            except OSError:
                continue
            if digest == reply.source.sha256:
                found[reply.id] = candidate
                break
    return found


def build_from_inputs(inputs: Sequence[Path], out: Path, config: Config,
                      progress: Progress | None = None,
                      cache: ParseCache | None = None) -> SiteOutcome:
    """Parse every letter under ``inputs`` (only changed ones, with a ``cache``) and build the
    site from those that parsed."""
    outcome = parse_all(inputs, cache=cache)
    if not outcome.replies:
        where = ", ".join(str(p) for p in inputs)
        first = f"; first problem: {outcome.problems[0]}" if outcome.problems else ""
        raise BuildError(f"no letter could be read from {where}{first}. Nothing was written; "
                         "the previous site is kept. Check --input")
    sources = source_files(inputs, outcome.replies)
    if cache is None:
        report = build_site(outcome.replies, out, config, sources=sources, progress=progress)
        return SiteOutcome(report, outcome.problems)
    stamp, fingerprint = SiteStamp(cache, out), site_fingerprint(outcome.replies, config)
    counts = stamp.unchanged(fingerprint)
    if counts is not None:  # out holds exactly this build already: keep it as it is
        return SiteOutcome(BuildReport(out.resolve(), **counts), outcome.problems)
    report = build_site(outcome.replies, out, config, sources=sources, progress=progress)
    stamp.remember(fingerprint, {"replies": report.replies, "pages": report.pages,
                                 "files": report.files})
    return SiteOutcome(report, outcome.problems)
