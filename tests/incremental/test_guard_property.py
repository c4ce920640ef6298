"""Property: whatever the layout of inputs, output and the user's own folders, a build never
loses a file that existed before it (guard.py, swap.py)."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replyarchive.cli import main
from replyarchive.index.indexer import find_lunr

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
LETTER = sorted(SEEDS.glob("*.txt"))[0]
LUNR = find_lunr().parents[1]

INPUTS = ["in", "a/in"]
USER_FOLDERS = ["site.previous", ".site.spare", "site.tmp-1", "notes", ".hidden", "a",
                "in/site", "in/.cache", "in/sub", "in/site.previous", "out.previous"]
OUTPUTS = ["site", ".", "", "in", "a", "a/in", "in/site", "in/sub/site", "notes", ".hidden",
           "site.previous", ".site.spare", "site.tmp-1", "new/deep/site", "in/.cache"]


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in root.rglob("*") if p.is_file() and not p.is_symlink()}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=st.sampled_from(INPUTS),
       users=st.sets(st.sampled_from(USER_FOLDERS), max_size=4),
       outs=st.lists(st.sampled_from(OUTPUTS), min_size=1, max_size=3))
def test_no_layout_loses_a_file(source: str, users: set[str], outs: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        root = Path(folder)
        (root / "node_modules").symlink_to(LUNR)
        (root / source).mkdir(parents=True)
        letter = root / source / LETTER.name
        letter.write_bytes(LETTER.read_bytes())
        for name in sorted(users):
            (root / name).mkdir(parents=True, exist_ok=True)
            (root / name / "mine.txt").write_text(f"the user's file in {name}", "utf-8")
        before = _files(root)
        for count, out in enumerate(outs):  # each build after the first sees a changed letter
            letter.write_bytes(LETTER.read_bytes() + b"\n" * count)
            before[letter.relative_to(root).as_posix()] = letter.read_bytes()
            main(["build", "--input", source, "--out", out])
        after = _files(root)
        lost = sorted(name for name, data in before.items() if after.get(name) != data)
        assert lost == []
