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
from replyarchive.errors import BuildError, ReplyArchiveError


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
    build = sub.add_parser("build", help="parse the letters and render the static site")
    build.add_argument("--input", type=Path, action="append", metavar="PATH",
                       help="letters: a file or folder, repeatable (default: input in "
                            "replyarchive.toml, else seeds)")
    build.add_argument("--out", type=Path, default=Path("site"), help="site folder (default: site)")
    build.add_argument("--config", type=Path, help="TOML file (default: ./replyarchive.toml)")
    build.add_argument("--strict", action="store_true",
                       help="stop, writing nothing, on any warning (letters or configuration)")
    build.set_defaults(func=cmd_build)
    serve = sub.add_parser("serve", help="preview the built site on http://localhost")
    serve.add_argument("--out", type=Path, default=Path("site"), help="site folder (default: site)")
    serve.add_argument("--port", type=_port, default=8000, help="port (default: 8000)")
    serve.set_defaults(func=cmd_serve)
    new = sub.add_parser("new", help="make a folder ready to build an archive in (like "
                                     "`mkdocs new`)")
    new.add_argument("folder", type=Path, metavar="DIR", help="the folder (made if missing)")
    new.set_defaults(func=cmd_new)
    check = sub.add_parser("check", help="report every problem in the letters, write nothing")
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check.set_defaults(func=cmd_check)
    export = sub.add_parser("export", help="write the archive as one SQLite database")
    export.add_argument("--db", type=Path, required=True, metavar="PATH",
                        help="database file to write (its Datasette metadata goes beside it)")
    export.add_argument("--input", type=Path, action="append", metavar="PATH",
                        help="letters: a file or folder, repeatable (default: seeds)")
    export.add_argument("--config", type=Path, help="TOML file (default: ./replyarchive.toml)")
    export.set_defaults(func=cmd_export)
    return parser


def _port(text: str) -> int:
    """A TCP port number, 0 (any free port) to 65535."""
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: give a number from 1 to "
                                         "65535, e.g. --port 8001")
    return int(text)


def cmd_parse(args: argparse.Namespace) -> int:
    """Write OUT/<id>.yaml per letter; report problems on stderr, one summary on stdout."""
    from replyarchive.pipeline import parse_all
    from replyarchive.records.store import dump_yaml, write_atomic

    outcome = parse_all(args.paths, progress=_progress if sys.stderr.isatty() else None)
    for problem in outcome.problems:
        print(f"{problem}", file=sys.stderr)
    try:
        for reply in outcome.replies:
            write_atomic(args.out / f"{reply.id}.yaml", dump_yaml(reply))
    except OSError as exc:
        raise BuildError(f"cannot write the records ({exc.strerror}); give --out a folder you "
                         f"can write to", path=args.out) from exc
    print(f"parsed {len(outcome.replies)} letters: {outcome.warnings} warnings, "
          f"{outcome.failures} failures")
    return 1 if outcome.failures else 0


def _progress(stage: str, done: int, total: int) -> None:
    """One self-updating line on a terminal: a bar, then done/total."""
    end = "\n" if done == total else ""
    filled = 24 * done // max(total, 1)
    bar = "#" * filled + "-" * (24 - filled)
    print(f"\r{stage} [{bar}] {done}/{total}", end=end, file=sys.stderr, flush=True)


def cmd_build(args: argparse.Namespace) -> int:
    """Parse, render, swap in; problems on stderr as path:line: message, one summary on stdout."""
    from replyarchive.config import CONFIG_NAME, load_config
    from replyarchive.incremental.cache import ParseCache
    from replyarchive.incremental.guard import output_lock
    from replyarchive.pipeline import build

    config = load_config(args.config)
    for warning in config.warnings():
        print(f"{args.config or CONFIG_NAME}: warning: {warning}", file=sys.stderr)
    if args.strict and config.warnings():
        raise BuildError("--strict: the configuration has warnings; nothing was written")
    progress = _progress if sys.stderr.isatty() else None
    inputs = args.input or list(config.input) or [Path("seeds")]
    with output_lock(args.out, inputs):  # one build at a time into an output
        outcome = build(inputs, args.out, config, progress, cache=ParseCache(),
                        strict=args.strict)
    for problem in outcome.problems:
        print(problem, file=sys.stderr)
    for note in outcome.report.notes:
        print(f"note: {note}", file=sys.stderr)
    skipped = sum(1 for p in outcome.problems
                  if p.severity == "error" or p.message.startswith("skipped:"))
    report = outcome.report
    kept = f" ({report.reused} unchanged, kept from the last build)" if report.reused else ""
    print(f"built {report.out}: {report.replies} letters, {report.pages} pages, "
          f"{report.files} files{kept}; {skipped} inputs skipped")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the built site on localhost until Ctrl-C (its 404.html for missing paths)."""
    import contextlib

    from replyarchive.render.preview import make_server

    if not (args.out / "index.html").is_file():
        print(f"error: {args.out}/index.html not found; run `replyarchive build` first",
              file=sys.stderr)
        return 1
    try:
        server = make_server(args.out, "127.0.0.1", args.port)
    except OSError as exc:
        print(f"error: cannot listen on port {args.port}: {exc.strerror}; try --port 8001",
              file=sys.stderr)
        return 1
    with server:
        print(f"serving {args.out} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    """Write a new project's files; say what was made and what to do next."""
    from replyarchive.project.scaffold import LETTERS, new_project

    for path in new_project(args.folder):
        print(f"created {path}")
    print(f"next: put the letters (.txt) into {args.folder / LETTERS}, set base_url in "
          f"{args.folder / 'replyarchive.toml'}, then run `replyarchive build` and "
          f"`replyarchive serve` in {args.folder}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Every problem as path:line: severity: message on stdout, then one summary line."""
    from replyarchive.check import check_inputs, format_problem

    report = check_inputs(args.paths)
    for problem in report.problems:
        print(format_problem(problem))
    print(report.summary())
    return report.exit_code(args.strict)


def cmd_export(args: argparse.Namespace) -> int:
    """Parse the letters and write the whole database, whatever its size."""
    from replyarchive.config import load_config
    from replyarchive.export.write import export_database
    from replyarchive.incremental.cache import ParseCache
    from replyarchive.pipeline import parse_all
    from replyarchive.render.model import newest_first
    from replyarchive.render.publish import published

    config = load_config(args.config)
    outcome = parse_all(args.input or [Path("seeds")], cache=ParseCache())
    for problem in outcome.problems:
        print(problem, file=sys.stderr)
    replies, withheld = published(outcome.replies, config)
    size, meta = export_database(newest_first(replies), args.db, config)
    print(f"wrote {args.db}: {len(replies)} letters, {size:,} bytes ({len(withheld)} not "
          f"public, left out); open it with `datasette {args.db} -m {meta}`")
    return 0


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
