"""Worker processes that never outlive their build.

A build's worker processes are forked. When the build is killed (``kill -9``, the OOM killer)
nothing tells them: a pool worker waiting for work waits forever, holding its copy of the
build's memory. So every pool's workers first run ``die_with_parent``: on Linux the kernel
kills them when the build dies (``prctl(PR_SET_PDEATHSIG)``); elsewhere a thread in the worker
checks that its parent is still the build. Either way a build that died before the worker was
set up is caught by comparing the worker's parent with the build's process id.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1
WATCH_S = 1.0
"""How often a worker without PR_SET_PDEATHSIG looks for its parent."""


def die_with_parent(parent: int) -> None:
    """In a new worker (a pool's initializer): end this process when ``parent``, the build
    that forked it, ends."""
    if not _death_signal():
        threading.Thread(target=_watch, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the build died before the worker was set up
        os._exit(1)


def _death_signal() -> bool:
    """Ask the kernel for SIGKILL when the parent dies; False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return False
    return bool(prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_S)
    os._exit(1)

