"""From input letters to a built site: parse with the pipeline, then render what parsed.

Bad letters are reported and skipped; the others still build. The original text of each letter
is found again from its record's ``source.path`` and checked against its SHA-256.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from replyarchive.config import CONFIG_NAME, Config
from replyarchive.errors import BuildError, Problem
from replyarchive.incremental.cache import ParseCache, SiteStamp, file_digest, one_build, site_ids
from replyarchive.pipeline import parse_all
from replyarchive.records.model import Reply
from replyarchive.render.builder import BuildReport, Progress, build_site


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
                digest = file_digest(candidate)  # read once per build, shared with the parse
            except OSError:
                continue
            if digest == reply.source.sha256:
                found[reply.id] = candidate
                break
    return found


def _kept_report(out: Path, counts: dict[str, int]) -> BuildReport:
    """The report of a build that kept the site as it was (its counts are the last build's)."""
    return BuildReport(out.resolve(), counts["replies"], counts["pages"], counts["files"])


def build_from_inputs(inputs: Sequence[Path], out: Path, config: Config,
                      progress: Progress | None = None,
                      cache: ParseCache | None = None, *, strict: bool = False) -> SiteOutcome:
    """Parse every letter under ``inputs`` (only changed ones, with a ``cache``) and build the
    site from those that parsed; with a cache, a build with nothing new keeps the site.
    ``strict``: any problem, a warning included, raises BuildError and nothing is written."""
    with one_build():
        return _build(inputs, out, config, progress, cache, strict)


def refuse_in_strict(problems: Sequence[Problem]) -> None:
    """--strict: a build with problems stops before writing, listing them all."""
    if problems:
        listed = "\n".join(f"  {p.severity}: {p}" for p in problems)
        raise BuildError(f"--strict: the letters have {len(problems)} problems; nothing was "
                         f"written. Fix them, or build without --strict:\n{listed}")


def _build(inputs: Sequence[Path], out: Path, config: Config, progress: Progress | None,
           cache: ParseCache | None, strict: bool) -> SiteOutcome:
    config = config.for_build(out, inputs, cache.folder if cache is not None else None)
    stamp = SiteStamp(cache, out, inputs, config) if cache is not None else None
    kept = stamp.kept() if stamp is not None else None
    if kept is not None:  # same input files, theme and code, and out is as it was left
        if strict:
            refuse_in_strict(kept[1])
        return SiteOutcome(_kept_report(out, kept[0]), kept[1])
    previous = stamp.previous_ids() if stamp is not None else site_ids(out)
    outcome = parse_all(inputs, cache=cache, previous_ids=previous)
    replies, withheld = _published(outcome.replies, config)
    problems = (*outcome.problems, *_withheld(inputs, withheld))
    if strict:
        refuse_in_strict(problems)
    if not outcome.replies:
        where = ", ".join(str(p) for p in inputs)
        first = f"; first problem: {outcome.problems[0]}" if outcome.problems else ""
        raise BuildError(f"no letter could be read from {where}{first}. Nothing was written; "
                         "the previous site is kept. Check --input")
    counts = stamp.unchanged(replies) if stamp is not None else None
    if counts is not None:
        report = _kept_report(out, counts)
    else:
        sources = source_files(inputs, replies)
        prior = stamp.prior() if stamp is not None else None
        report = build_site(replies, out, config, sources=sources, progress=progress,
                            prior=prior)
    if stamp is not None:
        stamp.remember(replies, {"replies": report.replies, "pages": report.pages,
                                 "files": report.files}, problems,
                       None if counts is not None else report.keys, report.state)
    return SiteOutcome(report, problems)


def _published(replies: Sequence[Reply], config: Config) -> tuple[list[Reply], list[Reply]]:
    """The letters the site publishes, and those left out because their 公开方式 says 不予公开
    or 依申请公开 (unless ``publish_restricted``). Left out means left out of everything the
    site holds: pages, data files, search, feed, sitemap and statistics."""
    if config.publish_restricted:
        return list(replies), []
    return ([r for r in replies if not r.restricted], [r for r in replies if r.restricted])


def _withheld(inputs: Sequence[Path], withheld: Sequence[Reply]) -> list[Problem]:
    """One warning per letter left out, at the line of its 公开方式."""
    files = source_files(inputs, withheld)
    problems = []
    for reply in withheld:
        file = files.get(reply.id)
        message = (f"not published: its 公开方式 is {reply.disclosure}, so the site leaves it out "
                   f"(no page, data, search, feed or sitemap entry). To publish it on purpose, "
                   f"set publish_restricted = true in [site] of {CONFIG_NAME}")
        problems.append(Problem(str(file or reply.source.path),
                                _line_of(file, reply) if file else None, message, "warning"))
    return problems


def _line_of(file: Path, reply: Reply) -> int | None:
    """The first line of the letter printing its 公开方式 value."""
    try:
        text = file.read_bytes().decode(reply.source.encoding)
    except (OSError, UnicodeError, LookupError):
        return None
    value = reply.disclosure or ""
    return next((number for number, line in enumerate(text.splitlines(), 1)
                 if value in "".join(line.split())), None)
