"""Replacing one letter's run of refs or vectors in a shard file's bytes."""

from __future__ import annotations

import pytest

from replyarchive.index.splice import REF_SEP, _ref_row, replace_run

ROWS = [1, 3, 3, 3, 7, 36, 40]


def refs(rows: list[int]) -> bytes:
    names = [f"{_base36(r)}#p{i}".encode() for i, r in enumerate(rows)]
    return REF_SEP.join(names)


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, d = divmod(n, 36)
        out = digits[d] + out
        if n == 0:
            return out


@pytest.mark.parametrize("rows", [[], [5], ROWS, [3, 3, 3], list(range(0, 200, 3))])
@pytest.mark.parametrize("row", [0, 1, 3, 4, 7, 36, 40, 99, 198])
@pytest.mark.parametrize("new", [[], [b"x#a"], [b"x#a", b"x#b"]])
def test_replace_run_equals_list_surgery(rows: list[int], row: int, new: list[bytes]) -> None:
    data = refs(rows)
    items = data.split(REF_SEP) if data else []
    keep_before = [i for i, r in zip(items, rows, strict=True) if r < row]
    keep_after = [i for i, r in zip(items, rows, strict=True) if r > row]
    expected = REF_SEP.join([*keep_before, *new, *keep_after])
    assert replace_run(data, 0, len(data), REF_SEP, row, _ref_row, new) == expected
