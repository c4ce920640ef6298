"""Make the helper modules beside these tests (hostile, meter, regex_audit, noise) importable."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
