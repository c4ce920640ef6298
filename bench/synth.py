"""Synthetic reply letters for benchmarks and scale tests.

Every letter is made at run time from the real letters in ``seeds/``: the letterhead, salutation,
preamble, closing and signature of one seed (the "frame") around two to five numbered parts taken
from any seed, in a shuffled order and renumbered. Facts are varied so that every text differs:
the issuing department (drawn from the bodies the seeds name), the document number (unique per
letter, so ids never clash), the proposal number, the session's meeting, the category, the date,
the proposers (names from the seeds' salutations, recombined) and every other number in the text.
Page-break artefacts and stray spaces of the seeds are kept on purpose: the parser must see them.

The output depends only on ``seed`` and the letter's index, so the first 1,000 letters of a
10,000-letter archive are the 1,000-letter archive.

    python bench/synth.py 1000 bench/out/synth-1000 [--seed 0]
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

CN_DIGITS = "一二三四五六七八九十"
_HEADING_1 = re.compile(rf"^\s*[{CN_DIGITS}]+\s*、")
_DATE_LINE = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
_DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]+)\s*〔\s*\d{4}\s*〕\s*\d+\s*号")
_PROPOSAL_NUMBER = re.compile(r"第\s*(\d+)\s*号")
_MEETING = re.compile(rf"[{CN_DIGITS}](\s*次会议)")
_CATEGORY = re.compile(r"([(（]\s*)[ABC](\s*类\s*[)）])")
_SALUTATION_SUFFIX = re.compile(r"(等?(?:委员|代表))?\s*[：:]\s*$")
_NAME_SPLIT = re.compile(r"[，、,]")
_SHORT_DEPARTMENT = re.compile(r"(?<=[、，,])([\u4e00-\u9fff]{2,7}?局)(?=[、，,等及和])")
_MARKER_NUMBER = re.compile(r"^\s*(\d+)\s*[.．]", re.MULTILINE)
_NUMBER = re.compile(r"\d+")
YEARS = tuple(range(2019, 2026))


@dataclass(frozen=True, slots=True)
class SeedParts:
    """One seed letter cut into the parts a synthetic letter recombines (raw lines, blanks kept)."""

    head: tuple[str, ...]
    salutation: str
    preamble: tuple[str, ...]
    sections: tuple[tuple[str, ...], ...]
    closing: tuple[str, ...]
    tail: tuple[str, ...]
    department: str


@dataclass(frozen=True, slots=True)
class Material:
    """Everything read from the seeds: their parts and the pools facts are drawn from."""

    seeds: tuple[SeedParts, ...]
    sections: tuple[tuple[str, ...], ...]
    names: tuple[str, ...]
    departments: tuple[str, ...]
    prefixes: dict[str, str]


def _last_index(lines: Sequence[str], before: int) -> int:
    """Index of the last non-blank line before ``before``."""
    i = before - 1
    while i >= 0 and not lines[i].strip():
        i -= 1
    return i


def cut_seed(text: str) -> SeedParts:
    """Cut a seed letter into head, salutation, preamble, numbered parts, closing and tail."""
    lines = text.splitlines()
    sal = next(
        i
        for i, line in enumerate(lines)
        if line.strip().endswith(("：", ":")) and len(line.strip()) < 80
    )
    date = max(i for i, line in enumerate(lines) if _DATE_LINE.match(line))
    signature = _last_index(lines, date)
    closing = _last_index(lines, signature)
    body = lines[sal + 1 : closing]
    starts = [i for i, line in enumerate(body) if _HEADING_1.match(line)]
    first = starts[0] if starts else len(body)
    bounds = [*starts, len(body)]
    sections = tuple(tuple(body[a:b]) for a, b in itertools.pairwise(bounds))
    return SeedParts(
        head=tuple(lines[:sal]),
        salutation=lines[sal],
        preamble=tuple(body[:first]),
        sections=sections,
        closing=tuple(lines[closing:signature]),
        tail=tuple(lines[signature:]),
        department=lines[signature].strip(),
    )


def _names(parts: Sequence[SeedParts]) -> tuple[str, ...]:
    """People and bodies named in the seeds' salutations, without 等/委员/代表."""
    out: set[str] = set()
    for part in parts:
        line = _SALUTATION_SUFFIX.sub("", part.salutation.strip())
        out.update(name.strip() for name in _NAME_SPLIT.split(line) if name.strip())
    return tuple(sorted(out))


def _drop_city(name: str) -> str:
    """市科技局 -> 科技局, 市市场监管局 -> 市场监管局 (a list names bodies with or without 市)."""
    rest = name[1:]
    return rest if name.startswith("市") and not rest.startswith("场") else name


def _departments(parts: Sequence[SeedParts], texts: Sequence[str]) -> tuple[str, ...]:
    """The seeds' issuing bodies plus every 局 the seeds mention, under the seeds' city."""
    full = {part.department for part in parts}
    city = min(full)[: min(full).index("市") + 1]
    short = {_drop_city(m.group(1)) for text in texts for m in _SHORT_DEPARTMENT.finditer(text)}
    full.update(city + name for name in short if "市" not in name and "综合" not in name)
    return tuple(sorted(full))


def _prefixes(parts: Sequence[SeedParts], departments: Sequence[str]) -> dict[str, str]:
    """文号 prefix per department: the seed's own, else city + department initial + 函-like end."""
    known: dict[str, str] = {}
    for part in parts:
        match = _DOC_NUMBER.search("\n".join(part.head))
        if match:
            known[part.department] = match.group(1)
    ending = min(known.values())[-1]
    for dept in departments:
        if dept not in known:
            city_end = dept.index("市") + 1
            known[dept] = dept[0] + dept[city_end] + ending
    return known


@lru_cache(maxsize=4)
def load_material(seeds_dir: Path = SEEDS) -> Material:
    """Read and cut every seed letter (once per process)."""
    texts = [p.read_text(encoding="utf-8-sig") for p in sorted(seeds_dir.glob("*.txt"))]
    if not texts:
        raise FileNotFoundError(f"no seed letters (*.txt) in {seeds_dir}")
    parts = tuple(cut_seed(t) for t in texts)
    departments = _departments(parts, texts)
    return Material(
        seeds=parts,
        sections=tuple(s for p in parts for s in p.sections),
        names=_names(parts),
        departments=departments,
        prefixes=_prefixes(parts, departments),
    )


def _cn_number(n: int) -> str:
    """1..99 as Chinese numerals: 一, 十, 十三, 二十一."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens - 1] + "十")
    return head + (CN_DIGITS[ones - 1] if ones else "")


def vary_numbers(text: str, rng: random.Random) -> str:
    """Replace each number with another of the same length; years stay plausible years."""
    markers = {m.start(1) for m in _MARKER_NUMBER.finditer(text)}

    def repl(match: re.Match[str]) -> str:
        digits = match.group()
        if match.start() in markers:
            return digits
        if len(digits) == 4 and digits.startswith(("19", "20")):
            return str(rng.choice(YEARS))
        if len(digits) == 1:
            return str(rng.randint(1, 9))
        return str(rng.randint(10 ** (len(digits) - 1), 10 ** len(digits) - 1))

    return _NUMBER.sub(repl, text)


def _renumber(section: Sequence[str], n: int) -> list[str]:
    """The part's lines with its 一、 marker replaced by the n-th numeral."""
    first = _HEADING_1.sub(_cn_number(n) + "、", section[0], count=1)
    return [first, *section[1:]]


def _salutation(frame: SeedParts, material: Material, rng: random.Random) -> str:
    """New proposers in the frame's salutation style (separator and 委员/代表 suffix)."""
    line = frame.salutation.strip()
    suffix_match = _SALUTATION_SUFFIX.search(line)
    suffix = suffix_match.group(1) or "" if suffix_match else ""
    sep = "、" if "、" in line else "，"
    people = [n for n in material.names if 2 <= len(n) <= 3]
    names: list[str] = []
    for _ in range(rng.randint(1, 4)):
        if people and rng.random() < 0.8:
            names.append(rng.choice(people)[0] + rng.choice(people)[1:])
        else:
            names.append(rng.choice(material.names))
    return sep.join(dict.fromkeys(names)) + suffix + line[-1]


@dataclass(frozen=True, slots=True)
class Facts:
    """The varied facts of one synthetic letter."""

    department: str
    doc_number: str
    proposal_number: str
    year: int
    date: str
    category: str
    meeting: str


def _facts(index: int, material: Material, rng: random.Random) -> Facts:
    year = YEARS[index % len(YEARS)]
    serial = index // len(YEARS) + 1
    dept = rng.choice(material.departments)
    spaced = rng.random() < 0.3
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    date = f"{year} 年 {month} 月 {day} 日" if spaced else f"{year}年{month}月{day}日"
    return Facts(
        department=dept,
        doc_number=f"{material.prefixes[dept]}〔{year}〕{serial}号",
        proposal_number=str(100000 + index * 7 % 900000),
        year=year,
        date=date,
        category=rng.choice("AABC"),
        meeting=rng.choice(CN_DIGITS[:5]),
    )


def _apply(line: str, frame: SeedParts, facts: Facts) -> str:
    """Put the letter's facts into a frame line (head, salutation area or tail)."""
    line = line.replace(frame.department, facts.department)
    line = _DOC_NUMBER.sub(facts.doc_number, line)
    line = _PROPOSAL_NUMBER.sub(f"第{facts.proposal_number}号", line)
    line = _MEETING.sub(lambda m: facts.meeting + m.group(1), line)
    return _CATEGORY.sub(lambda m: m.group(1) + facts.category + m.group(2), line)


def make_letter(index: int, seed: int = 0, material: Material | None = None) -> str:
    """The text of synthetic letter number ``index`` (deterministic for ``seed``)."""
    material = material or load_material()
    rng = random.Random(f"replyarchive-synth-{seed}-{index}")
    frame = rng.choice(material.seeds)
    facts = _facts(index, material, rng)
    chosen = rng.sample(material.sections, rng.randint(2, min(5, len(material.sections))))
    body: list[str] = []
    for n, section in enumerate(chosen, start=1):
        body.extend(_renumber(section, n))
    preamble = vary_numbers("\n".join(rng.choice(material.seeds).preamble), rng)
    tail = [
        facts.date if _DATE_LINE.match(line) else vary_numbers(_apply(line, frame, facts), rng)
        for line in frame.tail
    ]
    parts = [
        "\n".join(_apply(line, frame, facts) for line in frame.head),
        _salutation(frame, material, rng),
        _PROPOSAL_NUMBER.sub(f"第{facts.proposal_number}号", preamble),
        vary_numbers("\n".join(body), rng),
        "\n".join(frame.closing),
        "\n".join(tail),
    ]
    return "\n".join(parts) + "\n"


def make_archive(n: int, out_dir: Path, seed: int = 0) -> list[Path]:
    """Write ``n`` synthetic letters as UTF-8 ``.txt`` into ``out_dir``; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    material = load_material()
    width = max(5, len(str(n)))
    paths: list[Path] = []
    for index in range(n):
        path = out_dir / f"synth-{index:0{width}d}.txt"
        path.write_text(make_letter(index, seed, material), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write N synthetic reply letters into OUT.")
    parser.add_argument("n", type=int, help="number of letters")
    parser.add_argument("out", type=Path, help="output folder (created)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    paths = make_archive(args.n, args.out, args.seed)
    print(f"wrote {len(paths)} letters to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
