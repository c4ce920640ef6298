"""Put a freshly built folder in place of the published one without a moment of no site.

On Linux the two folders are exchanged in one step (``renameat2`` with RENAME_EXCHANGE).
Elsewhere the old folder is renamed aside and the new one renamed in; if a build is killed
between those two renames, the next build puts the old folder back first (``recover``).

The folder swapped out is not deleted but kept beside the site as ``.<name>.spare``, and the
next build is made in it: a file the build makes replaces the spare's (or, when it is a link to
the same file of the live site, is already there), a file it does not make is removed, and the
folders stay: deleting a large site is mostly removing its ``replies/<id>/`` folders, and
reusing them costs nothing (docs/BENCHMARKS.md). A build claims the spare by renaming it, so two
builds never share it.

``building`` and ``finish`` are what the pipeline calls: the folder the stages write into, then
the swap.

Only folders carrying the build's stamp (guard.py) are reused, emptied or removed: a user's
own ``site.previous`` or ``.site.spare`` is left as it is.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from replyarchive.errors import BuildError
from replyarchive.folders import STAMP, STAMP_TEXT, made_by_build
from replyarchive.incremental.guard import check_output, may_remove
from replyarchive.incremental.output import Prior, SiteOutput

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two existing paths; False when the platform cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def aside(out: Path) -> Path:
    """Where the previous site waits while the new one is moved in."""
    return out.with_name(f"{out.name}.previous")


def _alive(pid: int) -> bool:
    """Whether a process with this id still runs (a build writing its temporary folder)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stale_temporaries(out: Path) -> list[Path]:
    """Temporary build folders (``site.tmp-<pid>``) left by builds that were killed."""
    stale = []
    for path in sorted(out.parent.glob(f"{out.name}.tmp-*")):
        pid = path.name.rsplit("-", 1)[-1]
        if (pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid))
                and may_remove(path)):
            stale.append(path)
    return stale


def recover(out: Path) -> None:
    """After a killed build: bring the previous site back if ``out`` is missing, and remove
    the temporary folders that dead builds left beside it."""
    old = aside(out)
    if made_by_build(old) and not out.exists():
        os.replace(old, out)
    if old.is_dir() and may_remove(old):
        shutil.rmtree(old, ignore_errors=True)
    for path in stale_temporaries(out):
        shutil.rmtree(path, ignore_errors=True)


def spare(out: Path) -> Path:
    """Where the folder of the site before last waits to be reused by the next build."""
    return out.with_name(f".{out.name}.spare")


def claim(out: Path, tmp: Path) -> tuple[set[str], set[str]]:
    """Make ``tmp`` the folder of a new build: the spare folder when there is one (renamed, so
    no other build can take it; the build replaces or links each file it makes and sweeps
    away the rest, see output.SiteOutput.sweep), else a new, empty folder. Return the folders
    (relative to it, ``""`` itself) and the other entries it holds, which the build need not
    make again or look for."""
    if made_by_build(spare(out)):
        try:
            os.rename(spare(out), tmp)
        except OSError:
            pass
        else:
            found = _writable(tmp)
            if found is not None:
                return found
            os.rename(tmp, spare(out))  # not ours to repair: build in a new folder
    tmp.mkdir(parents=True)
    (tmp / STAMP).write_text(STAMP_TEXT, encoding="utf-8")
    return {""}, {STAMP}


def _writable(folder: Path) -> tuple[set[str], set[str]] | None:
    """Make every folder under ``folder`` usable by its owner, as a build needs (a site made
    read-only becomes the spare after the next build, and the one after would fail in it);
    return them all and every other entry (relative to ``folder``), or None when one cannot
    be made so (it belongs to someone else). One pass: each folder listed once, each
    subfolder looked at once."""
    folders: set[str] = {""}
    others: set[str] = set()
    root = os.fspath(folder)
    try:
        _repair(root, os.lstat(root))
        _subfolders(root, "", folders, others)
    except OSError:
        return None
    return folders, others


def _subfolders(path: str, rel: str, folders: set[str], others: set[str]) -> None:
    """Repair and record every folder under ``path`` (``rel`` in the build), top-down: each
    folder is repaired before it is entered; every other entry goes into ``others``. Links
    are never followed."""
    prefix = f"{rel}/" if rel else ""
    with os.scandir(path) as scan:
        entries = list(scan)
    inner = []
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            inner.append(entry)
        else:
            others.add(prefix + entry.name)
    uid = os.geteuid()
    for entry in inner:
        info = entry.stat(follow_symlinks=False)
        if info.st_uid != uid or info.st_mode & stat.S_IRWXU != stat.S_IRWXU:
            _repair(entry.path, info)
        name = prefix + entry.name
        folders.add(name)
        _subfolders(entry.path, name, folders, others)


def _repair(path: str, info: os.stat_result) -> None:
    """Give a folder's owner (us) read, write and search on it when they lack one."""
    if info.st_uid == os.geteuid() and info.st_mode & stat.S_IRWXU == stat.S_IRWXU:
        return  # ours, and usable: the common case, without asking the system again
    if not stat.S_ISLNK(info.st_mode) and not os.access(path, os.R_OK | os.W_OK | os.X_OK):
        os.chmod(path, stat.S_IMODE(info.st_mode) | stat.S_IRWXU)


def mirror_spare(out: Path, files: Iterable[str]) -> None:
    """After a full build, make the spare a copy of the new site made of hard links: each of
    its ``files`` at the same path, sharing the live file's inode, and no other file. The spare
    that a full build swaps out (or none, on the first build) shares no file with the new
    site, so the next build would have to link every file it keeps (and make every folder,
    when there was no spare); with the copy in place it finds each unchanged file already
    there and replaces only what changed. A full build is slow anyway. No file is ever written
    through an existing inode (``SiteOutput`` unlinks first), so the live site stays as it is.
    Only tidying: a failure leaves a spare that the next build repairs as it goes."""
    folder = spare(out)
    with contextlib.suppress(OSError):
        if folder.exists():
            if not made_by_build(folder):
                return  # not ours (guard.py): left as it is
            _remove_files(folder, keep=STAMP)
        else:
            folder.mkdir()
            (folder / STAMP).write_text(STAMP_TEXT, encoding="utf-8")
        live, copy, made = os.fspath(out), os.fspath(folder), {""}
        for rel in sorted(files):
            if rel == STAMP:
                continue
            parent = rel.rpartition("/")[0]
            if parent not in made:
                os.makedirs(f"{copy}/{parent}", exist_ok=True)
                made.add(parent)
            with contextlib.suppress(FileNotFoundError):  # recorded, never written
                os.link(f"{live}/{rel}", f"{copy}/{rel}")


def _remove_files(folder: Path, keep: str = "") -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                _remove_files(Path(entry.path))
            elif entry.name != keep:
                os.unlink(entry.path)


def set_aside(old: Path, out: Path) -> None:
    """Keep ``old`` (a site or a build's folder) as the spare for the next build; if a spare
    is already there (another build's), delete ``old`` instead."""
    try:
        os.rename(old, spare(out))
    except OSError:
        shutil.rmtree(old, ignore_errors=True)


def swap_in(new: Path, out: Path) -> None:
    """Make ``new`` the site at ``out``; the previous site stays whole until then and is
    kept as the spare afterwards."""
    if not out.exists():
        os.replace(new, out)
        return
    if _exchange(new, out):
        set_aside(new, out)  # ``new`` now holds the previous site
        return
    old = aside(out)  # a folder of the user's by this name makes the rename fail: it stays
    os.replace(out, old)
    try:
        os.replace(new, out)
    except OSError:
        os.replace(old, out)
        raise
    set_aside(old, out)


@contextlib.contextmanager
def building(out: Path, prior: Prior | None = None) -> Iterator[SiteOutput]:
    """The folder the stages write the new site of ``out`` (resolved) into: the spare folder,
    claimed as ``<out>.tmp-<pid>``, reusing what ``prior`` says is unchanged; ``finish`` swaps
    it in. On any failure ``out`` stays exactly as it was, the folder becomes the next build's
    spare, and an OSError is raised as BuildError."""
    check_output(out, ())
    tmp = out.with_name(f"{out.name}.tmp-{os.getpid()}")
    if tmp.exists() and not may_remove(tmp):
        raise BuildError("a folder of this name is in the way of the build's temporary folder "
                         "and is not one a build made; move it away and run again", tmp)
    try:
        recover(out)
        shutil.rmtree(tmp, ignore_errors=True)
        folders, files = claim(out, tmp)
        output = SiteOutput(tmp, prior if prior is not None and prior.folder == out else None,
                            folders, files)
        output.mark([STAMP])
        yield output
    except OSError as exc:
        fix = (f"; make {out.parent} and the folders in it writable by you (chmod -R u+w), "
               "then run again") if isinstance(exc, PermissionError) else ""
        raise BuildError(f"cannot write the site: {exc.strerror or exc}{fix}",
                         getattr(exc, "filename", None) or out) from exc
    finally:
        if made_by_build(tmp):  # the build failed: its folder is the next build's spare
            set_aside(tmp, out)


def finish(output: SiteOutput, out: Path) -> int:
    """Swap: remove every file the build did not make, put the new site in place of ``out``
    in one step, and return how many files it holds. After a full build the spare becomes a
    copy of the new site made of links (see ``mirror_spare``)."""
    files = output.sweep()
    swap_in(output.root, out)
    if output.prior is None:
        mirror_spare(out, output.made)
    return files
