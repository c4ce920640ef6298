"""Patching a shard file in place of its blocks: only the blocks a changed letter touches are
decoded, changed and encoded again; the others' bytes are copied as they are.

With the file's layout (layout.py), each line edit (a letter's group dropped from a term's line
at its slot, or put in) is placed in the block holding that spot: the last block starting at
or before it. The touched blocks, in runs of neighbours, are decoded, edited and cut again by
the rules a clean build cuts by (packed.blocks), so a run's new blocks are those a clean build
gives, as long as the run's first and last cuts stay where they were. That is checked after the
edits; when it fails (a letter's group that made a cut is gone, a group joins its neighbour's
block), the run takes in its neighbouring block and is patched again, up to the whole file. The
file's Adler-32 is put together from the blocks' (layout.adler_combine).
"""

from __future__ import annotations

import bisect
import zlib
from collections.abc import Mapping, Sequence

from replyarchive.index.codec import ROW, decode
from replyarchive.index.layout import Block, Layout, describe, whole_adler
from replyarchive.index.packed import HEAD, SLOT_WIDTH, assemble, blocks, unit_of

Edits = Mapping[str, tuple[Sequence[str], Sequence[str]]]
"""Line key → (slots dropped, groups put in)."""


def splice_file(key: str, data: bytes, layout: Layout, edits: Edits
                ) -> tuple[bytes, Layout] | None:
    """The shard file ``key`` (``data``, whose layout is ``layout``) with ``edits`` made, and
    its layout; None when ``data`` does not match ``layout`` (patch it in full then)."""
    units = _units(data, layout)
    if units is None or not layout:
        return None
    starts = [block.start for block in layout]
    touched: dict[int, dict[str, tuple[list[str], list[str]]]] = {}
    for line, (dropped, added) in edits.items():
        for slot, group in [*((s, None) for s in dropped), *((g[:SLOT_WIDTH], g) for g in added)]:
            at = max(0, bisect.bisect_right(starts, (line, slot)) - 1)
            drops, adds = touched.setdefault(at, {}).setdefault(line, ([], []))
            if group is None:
                drops.append(slot)
            else:
                adds.append(group)
    hot = key.startswith("h")
    chosen = set(touched)
    while True:
        done, more = _patch_runs(hot, layout, units, touched, chosen)
        if not more:
            break
        if more <= chosen:
            return None  # the whole file did not patch: not a file of this format
        chosen |= more
    new_units: list[bytes] = []
    new_layout: list[Block] = []
    at = 0
    for first in sorted(done):
        last, pieces, made = done[first]
        new_units += units[at:first]
        new_layout += layout[at:first]
        known = {texts: units[first + i] for i, texts in enumerate(pieces)}
        new_units += [unit_of(block, known) for block in made]
        try:
            new_layout += describe(made, "" if not layout[first].start[1]
                                   else layout[first].start[0])
        except ValueError:  # a cut inside a line's key: patch the file in full
            return None
        at = last
    new_units += units[at:]
    new_layout += layout[at:]
    return assemble(f"shard:{key}", new_units, whole_adler(new_layout)), tuple(new_layout)


def _units(data: bytes, layout: Layout) -> list[bytes] | None:
    """Each block's encoded unit in ``data``, if its table and checksum match ``layout``."""
    start = data.find(b'","') + 3
    end = data.rfind(b'");')
    if start < 3 or end < start:
        return None
    try:
        sizes = [int(size) for size in data[end + 5:].strip().split(b",") if size]
        final = decode(data[end - ROW - 1:end])
    except ValueError:
        return None
    if len(sizes) != len(layout) or final[2:] != whole_adler(layout).to_bytes(4, "big"):
        return None
    units = []
    at = start + len(HEAD) // ROW * (ROW + 1)
    for size in sizes:
        width = size // ROW * (ROW + 1)
        units.append(data[at:at + width])
        at += width
    return units if at == end - ROW - 1 else None


Run = tuple[int, list[str], list[str]]
"""(block after the run, the run's old block texts, its new block texts)."""


def _patch_runs(hot: bool, layout: Layout, units: Sequence[bytes],
                touched: Mapping[int, Mapping[str, tuple[list[str], list[str]]]],
                chosen: set[int]) -> tuple[dict[int, Run], set[int]]:
    """Each run of the ``chosen`` blocks patched (by its first block), and the blocks to take
    in when a run's ends would move (a run that failed adds its neighbours, or nothing when
    it has none)."""
    runs: list[list[int]] = []
    for index in sorted(chosen):
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    out: dict[int, Run] = {}
    more: set[int] = set()
    for run in runs:
        first, last = run[0], run[-1] + 1
        old = [_inflate(unit) for unit in units[first:last]]
        text = "".join(old)
        line = layout[first].start[0] if layout[first].start[1] else None
        edits: dict[str, tuple[list[str], list[str]]] = {}
        for index in run:
            for key, (drops, adds) in touched.get(index, {}).items():
                edits.setdefault(key, ([], []))[0].extend(drops)
                edits[key][1].extend(adds)
        at_end = last == len(layout)
        patched: str | None = text
        for key in sorted(edits):
            if patched is not None:
                patched = _edit(patched, line, key, *edits[key], at_start=first == 0,
                                at_end=at_end)
        after = layout[last].start if not at_end else None
        if patched is None or not _ends_hold(patched, layout[first].start, first, after, hot):
            more |= {index for index in (first - 1, last) if 0 <= index < len(layout)} or {first}
            continue
        out[first] = (last, old, blocks(patched, hot, line is not None))
    return out, more


def _inflate(unit: bytes) -> str:
    return zlib.decompressobj(-15).decompress(decode(unit)).decode("utf-8")


def _ends_hold(text: str, start: tuple[str, str], first: int, after: tuple[str, str] | None,
               hot: bool) -> bool:
    """Whether a run patched into ``text`` still starts and ends on a cut of the file."""
    if first > 0:
        if len(text) < 2:
            return False
        head = text[1] == " "
        if start[1] == "":
            if not head:
                return False
        elif head or text[0] == "\n" or (not hot and not text.startswith("00")):
            return False
    if after is None:
        return True
    if not text:
        return False
    if not hot:
        return text[-1] in " \t"
    if after[1] == "":
        return text[-1] == "\n"
    if text[-1] != " ":
        return False
    last = max(text.rfind(" ", 0, len(text) - 1), text.rfind("\t")) + 1
    return last < len(text) and text[last] != after[1][0]


def _edit(text: str, line: str | None, head: str, dropped: Sequence[str],
          added: Sequence[str], *, at_start: bool, at_end: bool) -> str | None:
    """``text`` (a run of blocks, starting inside line ``line``, if not None) with the line
    ``head``'s groups of ``dropped`` slots taken out and ``added`` groups put in; None when the
    edit reaches past the run."""
    if line == head:
        lead, begin = None, 0
    elif text.startswith(head + "\t") and line is None:
        lead, begin = 0, len(head) + 1
    else:
        found = text.find("\n" + head + "\t")
        lead, begin = (None, -1) if found < 0 else (found + 1, found + len(head) + 2)
    if begin < 0:
        return _new_line(text, line, head, added, at_end=at_end) if added else text
    end = text.find("\n", begin)
    end = len(text) if end < 0 else end
    segment = text[begin:end]
    goes_on = end == len(text) and not at_end
    if goes_on and segment:
        if not segment.endswith(" "):
            return None
        segment = segment[:-1]
    groups = segment.split(" ") if segment else []
    for slot in dropped:
        at = bisect.bisect_left(groups, slot)
        if at < len(groups) and groups[at].startswith(slot):
            del groups[at]
    for group in added:
        _put(groups, group)
    if groups or goes_on:
        return text[:begin] + " ".join(groups) + (" " if goes_on and groups else "") \
            + text[end:]
    if lead is None:
        return None  # the line's other groups are in an earlier block
    if end < len(text):
        return text[:lead] + text[end + 1:]
    if lead > 0:
        return text[:lead - 1]
    return "" if at_start else None


def _new_line(text: str, line: str | None, head: str, added: Sequence[str], *,
              at_end: bool) -> str | None:
    """``text`` with the new line of ``head`` put in its place among the run's lines."""
    groups: list[str] = []
    for group in added:
        _put(groups, group)
    new = f"{head}\t{' '.join(groups)}"
    if line is None:
        at = 0 if text else -1
    else:
        newline = text.find("\n")
        at = newline + 1 if newline >= 0 else -1
    while 0 <= at < len(text):
        key_end = text.find("\t", at)
        if key_end < 0:
            return None
        if text[at:key_end] > head:
            return text[:at] + new + "\n" + text[at:]
        newline = text.find("\n", at)
        at = newline + 1 if newline >= 0 else -1
    if text.endswith("\n"):
        return text + new + "\n"
    if at_end:
        return f"{text}\n{new}" if text else new
    return None


def _put(groups: list[str], group: str) -> None:
    """Put ``group`` in a line's sorted groups, in place of the one of its slot if any."""
    at = bisect.bisect_left(groups, group[:SLOT_WIDTH])
    if at < len(groups) and groups[at].startswith(group[:SLOT_WIDTH]):
        groups[at] = group
    else:
        groups.insert(at, group)
