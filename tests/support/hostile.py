"""Hostile inputs too big or too random to commit, made at test time (and by bench/).

``PATHOLOGICAL`` maps a name to ``make(n) -> str``: a text whose size grows linearly with ``n``
and that aims at a known weakness of line-based, regex-driven parsers (long runs of one
character, lines that never end a sentence, markers without end).
"""

from __future__ import annotations

import importlib.util
import os
import random
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
HOSTILE = ROOT / "tests" / "hostile"
SEEDS = ROOT / "seeds"
HEAD = "某市某局关于某提案答复的函\n\n某某委员：\n\n"


def expectations() -> dict[str, dict[str, object]]:
    """tests/hostile/EXPECT.yaml: file name -> what the pipeline must make of it."""
    data = yaml.safe_load((HOSTILE / "EXPECT.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def synth() -> ModuleType:
    """bench/synth.py, the synthetic archive generator (bench/ is not a package)."""
    if "synth" not in sys.modules:
        spec = importlib.util.spec_from_file_location("synth", ROOT / "bench" / "synth.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules["synth"] = module
        spec.loader.exec_module(module)
    return sys.modules["synth"]


def seed_letter(index: int = 0) -> str:
    return sorted(SEEDS.glob("*.txt"))[index].read_text(encoding="utf-8")


def big_letter(size: int) -> str:
    """One letter whose numbered parts repeat until the text is ``size`` bytes of UTF-8."""
    text = seed_letter(0)
    head, _, rest = text.partition("一、")
    body, _, tail = rest.rpartition("专此答复")
    chunk = "一、" + body
    repeats = max(1, (size - len(text.encode())) // len(chunk.encode()) + 2)
    return head + chunk * repeats + "专此答复" + tail


def write_big_file(folder: Path, size: int = 10 * 1024 * 1024) -> Path:
    path = folder / "big.txt"
    path.write_text(big_letter(size), encoding="utf-8")
    return path


def write_random_bytes(folder: Path, size: int = 64 * 1024, seed: int = 0) -> Path:
    path = folder / "random.txt"
    path.write_bytes(random.Random(seed).randbytes(size))
    return path


def make_symlink_loop(folder: Path) -> Path:
    """A folder holding one letter, a link to itself, a link to its parent and a dangling link."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "letter.txt").write_text(seed_letter(3), encoding="utf-8")
    os.symlink(".", folder / "loop")
    os.symlink("..", folder / "up")
    inner = folder / "inner"
    inner.mkdir()
    os.symlink("..", inner / "back")
    os.symlink("missing.txt", folder / "dangling.txt")
    return folder


def _long_space_run(n: int) -> str:
    return HEAD + "x" + " " * (1000 * n) + "y" * 40 + "\n"


def _unended_lines(n: int) -> str:
    return HEAD + "这是一行没有句末标点的文字\n" * (500 * n)


def _one_long_line(n: int) -> str:
    return HEAD + "专精特新企业发展" * (2000 * n)


def _markers(n: int) -> str:
    return HEAD + "一、" * (5000 * n)


def _open_brackets(n: int) -> str:
    return HEAD + "（〔【《“" * (2000 * n)


def _spaced_cjk(n: int) -> str:
    return HEAD + "中 " * (5000 * n)


def _digits(n: int) -> str:
    return HEAD + "1" * (10000 * n)


def _doc_numbers(n: int) -> str:
    return HEAD + "〔2024〕" * (2000 * n)


def _dates(n: int) -> str:
    return HEAD + "2024年6月" * (2000 * n)


def _colons(n: int) -> str:
    return HEAD + "联系人：" * (2000 * n)


def _headings_without_end(n: int) -> str:
    return HEAD + "".join(f"（{i % 9 + 1}）关于某事的建议\n" for i in range(500 * n))


PATHOLOGICAL: dict[str, Callable[[int], str]] = {
    "long_space_run": _long_space_run,
    "unended_lines": _unended_lines,
    "one_long_line": _one_long_line,
    "markers": _markers,
    "open_brackets": _open_brackets,
    "spaced_cjk": _spaced_cjk,
    "digits": _digits,
    "doc_numbers": _doc_numbers,
    "dates": _dates,
    "colons": _colons,
    "headings_without_end": _headings_without_end,
}
