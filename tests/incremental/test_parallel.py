"""parallel.fork_map: forked workers that see the caller's closure, results in order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from replyarchive.errors import BuildError
from replyarchive.incremental.parallel import fork_map


@pytest.mark.parametrize("workers", [1, 2])
def test_fork_map_runs_a_closure_in_order_and_meanwhile_here(workers: int) -> None:
    table = {i: (lambda i=i: i * i) for i in range(9)}  # lambdas: nothing pickles them
    here = os.getpid()
    ran: list[int] = []
    found = fork_map(lambda i: (table[i](), os.getpid() != here), 9, workers,
                     lambda: ran.append(os.getpid()))
    assert [value for value, _ in found] == [i * i for i in range(9)]
    assert ran == [here]
    if workers == 1:
        assert not any(elsewhere for _, elsewhere in found)


def test_fork_map_raises_a_workers_error_with_its_path() -> None:
    def work(i: int) -> int:
        if i == 2:
            raise BuildError("bad", Path("x.txt"), 3)
        return i

    with pytest.raises(BuildError) as caught:
        fork_map(work, 4, 2)
    assert str(caught.value).startswith("x.txt:3")
