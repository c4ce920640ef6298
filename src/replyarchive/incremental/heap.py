"""Keep the garbage collector off a build's long-lived objects.

A build holds millions of objects for its whole run (10,000 records, the model, the index's
postings) and frees them all at the end; none of them is cyclic garbage. Each collection walks
the objects of the generations it collects, so without care the same records are walked again
and again: by the young collections after the parse (whose objects were made with collections
paused and so are all young), and by the full collections that later promotions trigger. A
guard moves every object alive into the collector's permanent generation, where no collection
looks, and keeps it there until the outermost guard ends (docs/BENCHMARKS.md).
"""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


@contextlib.contextmanager
def gc_guard(*, pause: bool = False) -> Iterator[None]:
    """Leave out of collections the objects alive now and, at the end, those made meanwhile
    that are still alive, until the outermost guard ends (its objects then return to the
    oldest generation, once). ``pause``: no collections at all meanwhile (the parse: records
    hold no cycles, and passes over the growing heap were most of the time spent reading
    cached records back)."""
    nested = gc.get_freeze_count() > 0
    enabled = gc.isenabled()
    gc.freeze()
    if pause:
        gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # what was made and lives on: never walked by a young collection
        if pause and enabled:
            gc.enable()
        if not nested:
            gc.unfreeze()


def guarded(function: Callable[P, T]) -> Callable[P, T]:
    """``function`` run inside one outermost ``gc_guard``, so that what each of its stages
    leaves alive stays out of collections until it returns."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        with gc_guard():
            return function(*args, **kwargs)

    return run
