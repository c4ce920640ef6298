"""Work on every core: the parse of many input files, and the site's per-file work.

``each_file`` runs one function per input file in a pool of processes (the parse of the files
the cache does not hold). The rest of this module runs the site's work:

The work is a function ``work(start, stop)`` over positions in a list the caller already holds
(pages to render, letters whose data files to write). Workers are forked, so they see that list
and the whole build state without pickling it; each makes its chunk's files as new files in the
new site's folder (never opening an existing path, see output.py) and sends back only small
results. The files do not depend on which process made them, so the output is the same for any
number of workers. Small jobs, and platforms without ``fork``, run in this process.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from replyarchive.errors import ReplyArchiveError
from replyarchive.incremental.heap import gc_guard
from replyarchive.incremental.workers import die_with_parent
from replyarchive.ingest.sources import InputFile

T = TypeVar("T")

WORKERS: int | None = None
"""Processes to use; None means one per core (``os.cpu_count``). Tests set it."""
SERIAL_BELOW = 400
"""Fewer items than this run in this process: forking costs more than it saves."""
CHUNKS_PER_WORKER = 8
"""Chunks handed to each worker, so a slow chunk does not leave the others idle at the end."""
FILES_SERIAL_BELOW = 48
"""Fewer input files than this are handled in this process: a pool would cost more."""
FILES_CHUNK = 16
"""Input files handed to a worker at a time."""


def each_file(work: Callable[[InputFile], T], inputs: Sequence[InputFile],
              workers: int | None = None) -> list[T]:
    """``work(item)`` for each input file's bytes, in order: here, or for many files on
    ``workers`` processes (default: every core). ``work`` must be a module-level function and
    its results plain data, as they travel between processes."""
    if len(inputs) < FILES_SERIAL_BELOW or workers == 1:
        return [work(item) for item in inputs]
    with worker_pool(workers or os.cpu_count() or 1, share_heap=False) as pool:
        if pool is None:
            return [work(item) for item in inputs]
        return list(pool.map(work, inputs, chunksize=FILES_CHUNK))


@contextlib.contextmanager
def worker_pool(workers: int, *, share_heap: bool = True) -> Iterator[ProcessPoolExecutor | None]:
    """The one way a build starts worker processes; None: run in this process (one worker).
    The workers die with the build (workers.py). ``share_heap``: forked workers that see this
    process's memory without pickling it (None where there is no ``fork``), with the garbage
    collector frozen meanwhile, since a collection in a worker would touch every object and
    copy the parent's heap into it. Otherwise the platform's usual start method: work and
    results travel pickled."""
    if workers <= 1 or (share_heap and "fork" not in multiprocessing.get_all_start_methods()):
        yield None
        return
    context = multiprocessing.get_context("fork") if share_heap else None
    with contextlib.ExitStack() as stack:
        if share_heap:
            gc.collect()
            stack.enter_context(gc_guard())
        yield stack.enter_context(ProcessPoolExecutor(
            workers, mp_context=context, initializer=die_with_parent, initargs=(os.getpid(),)))

_WORK: Callable[..., Any] | None = None
"""The running job's function, set before forking so that workers inherit it."""


def fork_map(work: Callable[[int], T], count: int, workers: int,
             meanwhile: Callable[[], None] | None = None) -> list[T]:
    """``work(i)`` for each i in ``range(count)``, results in order, on up to ``workers``
    forked processes, which inherit ``work`` (a closure over the caller's data: only i and
    the results travel); ``meanwhile`` runs in this process while they work. With one worker
    or no ``fork``, everything runs here, ``meanwhile`` first."""
    global _WORK
    _WORK = work  # before the pool forks
    try:
        with worker_pool(min(workers, count)) as pool:
            if pool is None:
                if meanwhile:
                    meanwhile()
                return [work(i) for i in range(count)]
            futures = [pool.submit(_run, i) for i in range(count)]
            if meanwhile:
                meanwhile()
            return [_unwrap(future.result()) for future in futures]
    finally:
        _WORK = None


def workers_for(items: int) -> int:
    """How many processes ``items`` items are worth (1: run here)."""
    wanted = WORKERS if WORKERS is not None else (os.cpu_count() or 1)
    if items < SERIAL_BELOW or wanted < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return wanted


def chunks(items: int, workers: int) -> list[tuple[int, int]]:
    """(start, stop) ranges covering ``range(items)``, in order."""
    size = max(1, -(-items // (workers * CHUNKS_PER_WORKER)))
    return [(start, min(start + size, items)) for start in range(0, items, size)]


def run_chunks(items: int, work: Callable[[int, int], T],
               done: Callable[[int], None] | None = None) -> list[T]:
    """``work(start, stop)`` over chunks of ``range(items)``; results in chunk order.

    ``done(count)`` is called in this process as chunks finish (for progress)."""
    workers = workers_for(items)
    if workers == 1:
        results = []
        for start, stop in chunks(items, 1):
            results.append(work(start, stop))
            if done:
                done(stop - start)
        return results
    global _WORK
    _WORK = work
    try:
        with worker_pool(workers) as pool:
            assert pool is not None  # workers_for gives 1 where there is no fork
            futures = [(stop - start, pool.submit(_run, start, stop))
                       for start, stop in chunks(items, workers)]
            results = []
            for count, future in futures:
                results.append(_unwrap(future.result()))
                if done:
                    done(count)
            return results
    finally:
        _WORK = None


def _run(*args: int) -> tuple[bool, Any]:
    """In a worker: the chunk's result, or the error to raise again in the parent (our errors
    carry a path and line that pickling would drop)."""
    assert _WORK is not None
    try:
        return True, _WORK(*args)
    except ReplyArchiveError as exc:
        return False, (type(exc), exc.message, exc.path, exc.line)


def _unwrap(result: tuple[bool, Any]) -> Any:
    ok, value = result
    if ok:
        return value
    kind, message, path, line = value
    raise kind(message, path, line)
