"""The command line: a thin layer over the library. ``main(argv) -> int`` is testable in-process.

Each subcommand is a small function ``cmd_<name>(args) -> int`` registered in ``_build_parser``.
Library errors (``ReplyArchiveError``) become messages on stderr and exit code 1 here, and only
here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from replyarchive import __version__
from replyarchive.errors import ReplyArchiveError


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="replyarchive",
        description="Turn reply letters (答复的函) into a browsable, searchable static archive.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    parse = sub.add_parser("parse", help="parse reply letters (.txt) into YAML records")
    parse.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    parse.add_argument("--out", type=Path, required=True, help="folder for the <id>.yaml records")
    parse.set_defaults(func=cmd_parse)
    return parser


def cmd_parse(args: argparse.Namespace) -> int:
    """Write OUT/<id>.yaml per letter; report problems on stderr, one summary on stdout."""
    from replyarchive.pipeline import parse_all
    from replyarchive.store import dump_yaml, write_atomic

    outcome = parse_all(args.paths)
    for reply in outcome.replies:
        write_atomic(args.out / f"{reply.id}.yaml", dump_yaml(reply))
    for problem in outcome.problems:
        print(f"{problem}", file=sys.stderr)
    print(f"parsed {len(outcome.replies)} letters: {outcome.warnings} warnings, "
          f"{outcome.failures} failures")
    return 1 if outcome.failures else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the process exit code (0 ok, 1 failure, 2 usage)."""
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help and usage errors
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except ReplyArchiveError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
