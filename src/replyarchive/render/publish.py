"""Which letters the site publishes: those whose 公开方式 allows it (see ``published``).

A letter left out is left out of everything the site holds, and the build says so, at the line
of the letter that prints its 公开方式.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from replyarchive.config import CONFIG_NAME, Config
from replyarchive.errors import Problem
from replyarchive.ingest.files import InputFiles, originals
from replyarchive.records.model import Reply


def published(replies: Sequence[Reply], config: Config) -> tuple[list[Reply], list[Reply]]:
    """The letters the site publishes, and those left out because their 公开方式 says 不予公开
    or 依申请公开 (unless ``publish_restricted``). Left out means left out of everything the
    site holds: pages, data files, search, feed, sitemap and statistics."""
    if config.publish_restricted:
        return list(replies), []
    return ([r for r in replies if not r.restricted], [r for r in replies if r.restricted])


def withheld_warnings(inputs: Sequence[Path], withheld: Sequence[Reply],
                      files: InputFiles) -> list[Problem]:
    """One warning per letter left out, at the line of its 公开方式."""
    found = originals(inputs, withheld, files)
    problems = []
    for reply in withheld:
        file = found.get(reply.id)
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
