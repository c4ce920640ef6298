"""The command line: a thin layer over the library. ``main(argv) -> int`` is testable in-process.

Each subcommand is a small function ``cmd_<name>(args) -> int`` registered in ``_build_parser``.
Library errors (``ReplyArchiveError``) become messages on stderr and exit code 1 here, and only
here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from replyarchive import __version__
from replyarchive.errors import ReplyArchiveError


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="replyarchive",
        description="Turn reply letters (答复的函) into a browsable, searchable static archive.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    del sub  # subcommands are registered below as they are added
    return parser


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
