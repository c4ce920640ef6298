"""The synthetic archive generator used by the benchmarks: deterministic, varied, unique ids."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _load_synth() -> ModuleType:
    spec = importlib.util.spec_from_file_location("synth", ROOT / "bench" / "synth.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["synth"] = module
    spec.loader.exec_module(module)
    return module


synth = _load_synth()
DOC_NUMBER = re.compile(r"\S+〔\d{4}〕\d+号")


def test_archive_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    first = [p.read_bytes() for p in synth.make_archive(12, tmp_path / "a", seed=3)]
    again = [p.read_bytes() for p in synth.make_archive(12, tmp_path / "b", seed=3)]
    other = [p.read_bytes() for p in synth.make_archive(12, tmp_path / "c", seed=4)]
    assert first == again
    assert first != other


def test_letters_differ_and_doc_numbers_are_unique(tmp_path: Path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in synth.make_archive(200, tmp_path)]
    assert len(set(texts)) == len(texts)
    numbers = [DOC_NUMBER.search(t) for t in texts]
    assert all(numbers)
    assert len({m.group() for m in numbers if m}) == len(texts)


def test_letters_are_made_of_seed_paragraphs() -> None:
    seeds = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "seeds").glob("*.txt"))
    no_digits = re.sub(r"[\d\s]", "", seeds)
    letter = synth.make_letter(5)
    paragraphs = [re.sub(r"[\d\s]", "", line) for line in letter.splitlines() if len(line) > 20]
    # Numbers, markers and facts are varied; each paragraph's ending is the seed's own text.
    assert len(paragraphs) > 5
    assert all(line[-8:] in no_digits for line in paragraphs)


def test_smaller_archive_is_a_prefix_of_a_larger_one(tmp_path: Path) -> None:
    small = synth.make_archive(5, tmp_path / "s")
    large = synth.make_archive(8, tmp_path / "l")
    assert [p.read_bytes() for p in small] == [p.read_bytes() for p in large[:5]]
