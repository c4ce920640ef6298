"""Which folders a build may replace, empty or remove: only the ones it made itself.

Every folder a build makes for a site (the temporary ``site.tmp-<pid>`` it builds in, which
becomes the site, then ``site.previous`` and the spare ``.site.spare``) carries a stamp file,
``STAMP``, at its root. Before a build replaces, empties or removes a folder it checks the
stamp; a folder without one is the user's and is never touched. The input folders are
checked against the output before anything is written: a site built into its own letters
would delete them on the next build.

One build at a time writes into an output: ``replyarchive build`` holds a lock on
``.<name>.lock`` beside the output for its whole run, and a second build into the same output
stops at once and says why (waiting would only build the same site again, and could wait
forever on a build that hangs).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from replyarchive.errors import BuildError
from replyarchive.folders import STAMP, made_by_build


def may_remove(folder: Path | str) -> bool:
    """Whether a build may remove or reuse ``folder``: it carries the stamp, or it is an empty
    folder (not a symlink), so nothing can be lost."""
    if made_by_build(folder):
        return True
    try:
        return not os.path.islink(folder) and not os.listdir(folder)
    except OSError:
        return False


def check_output(out: Path, inputs: Sequence[Path]) -> None:
    """Refuse an output folder the build must not replace, before anything is written: the
    root of the file system, an input folder, a folder holding an input or inside one, and a
    non-empty folder that is not a site a build made."""
    real = out.resolve()
    if real.parent == real:
        raise BuildError("the output is the root of the file system; give --out a folder of "
                         "its own, e.g. --out site", out)
    for given in inputs:
        _check_apart(out, real, given)
    if real.exists() and not real.is_dir():
        raise BuildError("the output exists and is not a folder; choose another --out", out)
    if real.is_dir() and not may_remove(real):
        cwd = " (the current folder)" if real == Path.cwd().resolve() else ""
        raise BuildError(f"the output folder{cwd} holds files and is not a site made by "
                         f"replyarchive (it has no {STAMP} file), and a build replaces its "
                         "output whole. Nothing was written. Give --out a new or empty folder "
                         "(e.g. --out site), or move the files away first", out)


def _check_apart(out: Path, real: Path, given: Path) -> None:
    """The output and one input neither are nor contain one another."""
    source = given.resolve()
    if real == source:
        relation = "is"
    elif real in source.parents:
        relation = "contains"
    elif given.is_dir() and source in real.parents:
        relation = "lies inside"
    else:
        return
    raise BuildError(f"the output folder {relation} the input {given}; a build replaces its "
                     "output whole and would delete the letters. Nothing was written. Give "
                     "--out a folder apart from the inputs, e.g. --out site", out)


def lock_file(out: Path) -> Path:
    """The lock file of the output ``out``: ``.<name>.lock`` beside it."""
    real = out.resolve()
    return real.with_name(f".{real.name}.lock")


@contextlib.contextmanager
def output_lock(out: Path, inputs: Sequence[Path]) -> Iterator[None]:
    """Check ``out`` against ``inputs`` (``check_output``: nothing, the lock file included, is
    written beside a folder the build refuses), then hold the output's lock while the body
    runs; raise BuildError if another build holds it. The file is never written (a file of
    that name may be the user's) and is left in place (removing a lock file would let a third
    build lock another one)."""
    check_output(out, inputs)
    try:
        import fcntl
    except ImportError:  # no flock on this platform: builds are not serialised
        yield
        return
    path = lock_file(out)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except OSError as exc:
        raise BuildError(f"cannot create the build's lock file ({exc.strerror}); the folder "
                         "that holds --out must be writable", path) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise BuildError("another build is writing this site now; nothing was written. "
                             "Wait for it to finish, then run again", out) from None
        yield
    finally:
        os.close(fd)
