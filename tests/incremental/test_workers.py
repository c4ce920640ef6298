"""A build's worker processes die with it, even when it is killed with SIGKILL (workers.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

POLL_S = 0.05
GIVE_UP_S = 120

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")

# Each script starts workers through one of the build's pools; every worker writes its process
# id into the folder given as argv[1], then waits for work that never ends.
_HANG = """
import os, sys, time
from pathlib import Path
HERE = Path(sys.argv[1])

def hang(*_args):
    (HERE / str(os.getpid())).write_text("")
    time.sleep(3600)
    return []
"""
POOLS = {
    "render": """
from replyarchive.incremental import parallel
parallel.WORKERS = 2
parallel.run_chunks(parallel.SERIAL_BELOW, hang)
""",
    "index": """
from replyarchive.incremental.parallel import worker_pool
with worker_pool(2) as pool:
    list(pool.map(hang, range(2)))
""",
    "parse": """
from replyarchive.incremental import parallel
parallel.each_file(hang, [HERE] * (parallel.FILES_SERIAL_BELOW * 2), 2)
""",
}


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name, or None if there is no process."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rpartition(")")[2].split()


def _alive(pid: int, started: str) -> bool:
    """The process ``pid`` that started at ``started`` still runs (a zombie is dead)."""
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z" and fields[19] == started


def _wait_for(condition: object, what: str) -> None:
    waited = 0.0
    while not condition():  # type: ignore[operator]
        assert waited < GIVE_UP_S, what
        time.sleep(POLL_S)
        waited += POLL_S


@pytest.mark.parametrize("pool", sorted(POOLS))
def test_workers_die_when_the_build_is_killed(tmp_path: Path, pool: str) -> None:
    script = textwrap.dedent(_HANG) + textwrap.dedent(POOLS[pool])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    build = subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], env=env)
    try:
        _wait_for(lambda: len(list(tmp_path.iterdir())) >= 2 or build.poll() is not None,
                  "the workers never started")
        assert build.poll() is None, "the script ended before its workers hung"
        workers = {int(p.name): (_stat(int(p.name)) or [""] * 20)[19]
                   for p in tmp_path.iterdir()}
        assert all(_alive(pid, started) for pid, started in workers.items())
    finally:
        os.kill(build.pid, signal.SIGKILL)
        build.wait()
    _wait_for(lambda: not any(_alive(pid, started) for pid, started in workers.items()),
              f"workers outlived the killed build: {sorted(workers)}")
