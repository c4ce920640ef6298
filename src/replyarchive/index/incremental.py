"""Patching the previous build's shard files for the letters that changed.

A stored score depends only on its document and the quantised average field lengths, a file's
bytes only on its own terms' postings, a letter's entries only on its own slot, and the plan
only on term counts. So when the plan and the averages stay the same, only the lines where a
changed letter's group differs change (the lines of an edited part's terms, whose scores follow
the part's length; the letter's group in the lines of its other parts' terms comes out the
same, and a file of only such lines is left as it was): in each, the letter's group is dropped
(at its old slot) and its new group put in (at its new slot, packed.splice_groups), which
gives the bytes a clean build gives. Every number needed is checked first (K, the averages,
the hot threshold); if any would move, ``prepare`` returns None and the caller builds
everything. A term turning hot or cold leaves its file: ``patch_files`` takes its patched lines
out, ``move_terms`` puts them in its new file (its own, or its shard), as a clean build with
the new plan would.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from replyarchive.index.build import BOOSTS, KINDS, Totals, score_table
from replyarchive.index.layout import layout_text, read_layout
from replyarchive.index.packed import (
    SLOT_WIDTH,
    group,
    line_key,
    lines_of,
    pack_shard_layout,
    part_code,
    shard_blocks,
    splice_groups,
)
from replyarchive.index.payloads import LetterText
from replyarchive.index.shards import ShardPlan
from replyarchive.index.splice import splice_file

TermKey = tuple[str, str]
"""(line kind, term)."""


@dataclass
class LetterDocs:
    """One version of a letter, tokenised: each field's term frequencies and lengths."""

    slot: str
    fields: list[tuple[str, int, Counter[str], int]] = field(default_factory=list)
    """(part id, field id, term frequencies, length), in document then field order."""

    @classmethod
    def of(cls, text: LetterText, slot: str) -> LetterDocs:
        from replyarchive.index.tokenize import tokenize

        docs = cls(slot)
        for part_id, fields in text.documents():
            for fid, value in fields.items():
                tokens = tokenize(value)
                docs.fields.append((part_id, fid, Counter(tokens), len(tokens)))
        return docs

    def postings(self) -> Counter[str]:
        """term → its (field, document) postings in this letter."""
        counts: Counter[str] = Counter()
        for _, _, frequencies, _ in self.fields:
            counts.update(frequencies.keys())
        return counts

    def lengths(self) -> list[int]:
        sums = [0] * len(BOOSTS)
        for _, fid, _, length in self.fields:
            sums[fid] += length
        return sums

    def text_documents(self) -> int:
        return len({part for part, fid, _, _ in self.fields if fid < 2})

    def groups(self, averages: Sequence[float]) -> dict[TermKey, str]:
        """(kind, term) → this letter's group in that term's line."""
        score = score_table(averages)
        entries: dict[TermKey, list[str]] = {}
        for part_id, fid, frequencies, length in self.fields:
            _, kind = KINDS[0] if fid < 2 else KINDS[1]
            for term, tf in frequencies.items():
                entries.setdefault((kind, term), []).append(
                    f"{score(fid, length, tf)}{part_code(part_id)}")
        return {key: group(self.slot, found) for key, found in entries.items()}


def new_totals(totals: Totals, old: Sequence[LetterDocs], new: Sequence[LetterDocs]) -> Totals:
    sums = list(totals.sums)
    texts = totals.documents[0]
    for letter, sign in [*((o, -1) for o in old), *((n, 1) for n in new)]:
        for fid, length in enumerate(letter.lengths()):
            sums[fid] += sign * length
        texts += sign * letter.text_documents()
    return Totals((texts, totals.documents[1] - len(old) + len(new)), tuple(sums))


@dataclass(frozen=True, slots=True)
class Patch:
    """What patching the changed letters takes: the files to patch (key → the (kind, term)
    lines the changed letters touch in it), the slots dropped from each line and the groups put
    in (only where a letter's group changes), and the counts the plan is checked against."""

    plan: ShardPlan
    totals: Totals
    """The totals after the change."""
    files: Mapping[str, Sequence[TermKey]]
    dropped: Mapping[TermKey, Sequence[str]]
    added: Mapping[TermKey, Sequence[str]]
    old_counts: Mapping[str, int]
    new_counts: Mapping[str, int]


def prepare(plan: ShardPlan, totals: Totals, old: Sequence[LetterDocs],
            new: Sequence[LetterDocs]) -> Patch | None:
    """The patch of the changed letters (old and new versions), or None when the quantised
    averages or the hot threshold would move."""
    after = new_totals(totals, old, new)
    if after.averages != totals.averages or after.threshold != totals.threshold:
        return None
    old_counts = sum((letter.postings() for letter in old), Counter())
    new_counts = sum((letter.postings() for letter in new), Counter())
    was = _groups_by_slot(old, totals.averages)
    now = _groups_by_slot(new, after.averages)
    dropped: dict[TermKey, list[str]] = {}
    added: dict[TermKey, list[str]] = {}
    for key in was.keys() | now.keys():
        before, later = was.get(key, {}), now.get(key, {})
        gone = [slot for slot, text in before.items() if later.get(slot) != text]
        came = [text for slot, text in later.items() if before.get(slot) != text]
        if gone:
            dropped[key] = gone
        if came:
            added[key] = came
    by_file: dict[str, list[TermKey]] = {}
    for key in sorted(set(dropped) | set(added)):
        by_file.setdefault(plan.file_of(key[1]), []).append(key)
    return Patch(plan, after, by_file, dropped, added, old_counts, new_counts)


def _groups_by_slot(letters: Sequence[LetterDocs], averages: Sequence[float]
                    ) -> dict[TermKey, dict[str, str]]:
    """(kind, term) → slot → that letter's group in the term's line."""
    out: dict[TermKey, dict[str, str]] = {}
    for letter in letters:
        for key, text in letter.groups(averages).items():
            out.setdefault(key, {})[letter.slot] = text
    return out


def _entries(groups_text: str) -> int:
    return groups_text.count(",") + groups_text.count(" ") + 1 if groups_text else 0


@dataclass(frozen=True, slots=True)
class Patched:
    """What patching some files found: the change in rare postings, the terms that leave
    their file (turning hot or cold) with their patched lines, the files written (a hot
    term's file left with no line is not: a clean build has none) and their layouts."""

    delta: int
    moving: Mapping[str, Sequence[str]]
    written: Sequence[str]
    layouts: Mapping[str, str] = field(default_factory=dict)
    """File key → its layout (layout.layout_text), for the files written."""


def _counted(patch: Patch, terms: Iterable[str]) -> tuple[int, bool]:
    """(the change in rare postings, whether a term may cross the hot threshold) of a file's
    ``terms``, as far as it is known without counting their postings."""
    delta, crossing = 0, False
    for term in terms:
        change = patch.new_counts.get(term, 0) - patch.old_counts.get(term, 0)
        if term in patch.plan.hot:
            crossing |= change < 0
        else:
            crossing |= change > 0
            delta += change
    return delta, crossing


def in_full(patch: Patch, key: str) -> bool:
    """Whether the file ``key`` is patched in full: one of its terms may cross the hot
    threshold, so its postings must be counted."""
    return _counted(patch, {term for _, term in patch.files[key]})[1]


def patch_files(patch: Patch, keys: Sequence[str], read: Callable[[str], bytes | None],
                write: Callable[[str, bytes], None],
                layouts: Mapping[str, str] | None = None) -> Patched | None:
    """Patch and write the files ``keys``, less the lines of terms turning hot or cold
    (``Patched.moving``, for ``move_terms``); None when a file is missing (the caller then
    builds everything, replacing what was written). With a file's layout (``layouts``), and
    none of its terms near the hot threshold, only the blocks the changed lines touch are
    decoded (splice.py); otherwise its text is, and only the touched lines are split up."""
    delta = 0
    moving: dict[str, list[str]] = {}
    written: list[str] = []
    found: dict[str, str] = {}
    for key in keys:
        data = read(key)
        if data is None:
            return None
        terms = {term for _, term in patch.files[key]}
        change, crossing = _counted(patch, terms)
        old = read_layout(layouts.get(key, "")) if layouts and key in layouts else None
        spliced = None
        if old is not None and not crossing:
            edits = {f"{kind} {term}": (patch.dropped.get((kind, term), ()),
                                        patch.added.get((kind, term), ()))
                     for kind, term in patch.files[key]}
            spliced = splice_file(key, data, old, edits)
        if spliced is not None:
            delta += change
            if spliced[1] or not key.startswith("h"):
                write(key, spliced[0])
                written.append(key)
                found[key] = layout_text(spliced[1])
            continue
        text, known = shard_blocks(data)
        lines = lines_of(text)
        delta += _patch_text(patch, key, terms, lines, moving)
        if lines or not key.startswith("h"):
            packed, layout = pack_shard_layout(f"shard:{key}", "\n".join(lines), known)
            write(key, packed)
            written.append(key)
            found[key] = layout_text(layout)
    return Patched(delta, moving, written, found)


def _patch_text(patch: Patch, key: str, terms: Iterable[str], lines: list[str],
                moving: dict[str, list[str]]) -> int:
    """Patch a file's ``lines`` in place, taking out those of terms turning hot or cold (into
    ``moving``); the change in rare postings."""
    delta = 0
    threshold, hot = patch.totals.threshold, patch.plan.hot
    before: Counter[str] = Counter()
    for term in terms:
        for _, kind in KINDS:  # a term is hot by its postings of both kinds
            at, found = _find(lines, f"{kind} {term}")
            before[term] += _entries(lines[at].partition("\t")[2]) if found else 0
    for kind, term in patch.files[key]:
        _patch_line(lines, kind, term, patch.dropped.get((kind, term), ()),
                    patch.added.get((kind, term), ()))
    for term, count in before.items():
        after = count - patch.old_counts.get(term, 0) + patch.new_counts.get(term, 0)
        was_hot, is_hot = term in hot, after >= threshold
        delta += (0 if is_hot else after) - (0 if was_hot else count)
        if was_hot != is_hot:
            moving[term] = [lines.pop(at) for at, found in
                            (_find(lines, f"{k} {term}") for _, k in reversed(KINDS))
                            if found][::-1]
    return delta


def move_terms(patch: Patch, found: Sequence[Patched], read: Callable[[str], bytes | None],
               write: Callable[[str, bytes], None]) -> tuple[ShardPlan, dict[str, str]]:
    """Put the lines of the terms turning hot or cold into their new files, after
    ``patch_files`` wrote the rest. ``read(key)``: the file as this build has it so far (None
    for none). The plan after the change, and the layouts of the files written."""
    moving = {term: lines for part in found for term, lines in part.moving.items()}
    plan = ShardPlan(patch.plan.shard_count, patch.plan.hot ^ frozenset(moving))
    by_file: dict[str, list[str]] = {}
    layouts: dict[str, str] = {}
    for term in sorted(moving):
        by_file.setdefault(plan.file_of(term), []).extend(moving[term])
    for key, lines in sorted(by_file.items()):
        data = read(key)
        text, known = shard_blocks(data) if data else ("", {})
        by_key = {line_key(text): text for text in lines_of(text)}
        by_key.update((line_key(text), text) for text in lines)
        packed, layout = pack_shard_layout(
            f"shard:{key}", "\n".join(by_key[k] for k in sorted(by_key)), known)
        write(key, packed)
        layouts[key] = layout_text(layout)
    return plan, layouts


def _find(lines: Sequence[str], head: str) -> tuple[int, bool]:
    """Where the line of ``head`` (``<kind> <term>``) is in a file's sorted lines, or would
    be; whether it is there. A tab sorts before any character of a term, so lines sort as
    their keys do."""
    at = bisect.bisect_left(lines, head + "\t")
    return at, at < len(lines) and lines[at].startswith(head + "\t")


def _patch_line(lines: list[str], kind: str, term: str, dropped: Sequence[str],
                added: Sequence[str]) -> None:
    head = f"{kind} {term}"
    at, found = _find(lines, head)
    groups_text = lines[at][len(head) + 1:] if found else ""
    for slot in dropped:
        groups_text = splice_groups(groups_text, slot, None)
    for text in added:
        groups_text = splice_groups(groups_text, text[:SLOT_WIDTH], text)
    if groups_text and found:
        lines[at] = f"{head}\t{groups_text}"
    elif groups_text:
        lines.insert(at, f"{head}\t{groups_text}")
    elif found:
        del lines[at]
