"""Put a freshly built folder in place of the published one without a moment of no site.

On Linux the two folders are exchanged in one step (``renameat2`` with RENAME_EXCHANGE).
Elsewhere the old folder is renamed aside and the new one renamed in; if a build is killed
between those two renames, the next build puts the old folder back first (``recover``).
"""

from __future__ import annotations

import ctypes
import os
import shutil
from pathlib import Path

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
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            stale.append(path)
    return stale


def recover(out: Path) -> None:
    """After a killed build: bring the previous site back if ``out`` is missing, and remove
    the temporary folders that dead builds left beside it."""
    old = aside(out)
    if old.is_dir() and not out.exists():
        os.replace(old, out)
    shutil.rmtree(old, ignore_errors=True)
    for path in stale_temporaries(out):
        shutil.rmtree(path, ignore_errors=True)


def swap_in(new: Path, out: Path) -> None:
    """Make ``new`` the site at ``out``; the previous site stays whole until then."""
    if out.exists() and _exchange(new, out):
        shutil.rmtree(new, ignore_errors=True)  # ``new`` now holds the previous site
        return
    old = aside(out)
    if out.exists():
        os.replace(out, old)
    try:
        os.replace(new, out)
    except OSError:
        if old.exists():
            os.replace(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)
