"""One small golden site: the hand-made records' site, compared file by file.

Any change to templates, labels or data files shows up here as a reviewable diff. After an
intended change, regenerate and review with:

    REPLYARCHIVE_REGEN_GOLDEN=1 .venv/bin/pytest tests/render/test_golden.py
    git diff tests/render/golden

The search index and static assets belong to other stages and are left out.
"""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

from tests.render.test_build import tree

GOLDEN = Path(__file__).resolve().parent / "golden"
LEFT_OUT = ("search/", "static/", "data/replies.db")
"""The database's bytes carry the SQLite version that wrote it (tests/export check its content)."""
COMPRESSED = ".zip"
"""A ZIP's deflated bytes carry the zlib that wrote it: its members are compared instead."""


def site_files(site: Path) -> dict[str, bytes]:
    files = {}
    for name, data in tree(site).items():
        if name.startswith(LEFT_OUT):
            continue
        if name.endswith(COMPRESSED):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                files.update({f"{name}/{m}": archive.read(m) for m in archive.namelist()})
        else:
            files[name] = data
    return files


def test_fixture_site_matches_golden(fixture_site: Path) -> None:
    built = site_files(fixture_site)
    if os.environ.get("REPLYARCHIVE_REGEN_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, data in built.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_bytes(data)
    golden = tree(GOLDEN)  # the ZIPs as their members: data/letters-2025.zip/<id>.yaml
    assert sorted(built) == sorted(golden)
    changed = [name for name in built if built[name] != golden[name]]
    assert changed == [], "regenerate and review: see this module's docstring"
