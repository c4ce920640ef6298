"""What a rebuild imports before it needs it: the stages' modules load without the libraries
only some builds use (each is imported where it runs), so a rebuild that changes one letter
does not pay for them."""

from __future__ import annotations

import subprocess
import sys

import pytest
from tests.conftest import ROOT

STAGES = ("replyarchive.pipeline", "replyarchive.render.builder", "replyarchive.render.database",
          "replyarchive.export.database", "replyarchive.parse", "replyarchive.incremental.ocr")


@pytest.mark.parametrize("library", ["sqlite_utils", "pypinyin", "importlib.metadata"])
def test_the_stages_load_without(library: str) -> None:
    code = (f"import sys; import {', '.join(STAGES)}; "
            f"sys.exit({library!r} in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         env={"PYTHONPATH": str(ROOT / "src")}, check=False)
    assert run.returncode == 0, run.stderr.decode() or f"{library} was imported"
