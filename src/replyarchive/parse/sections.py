"""The sections rule: the numbered body as a tree of ``Section``.

Levels: 一、 (1) → （一） (2) → 1. (3) → （1） (4). A marker is a heading only when its
numeral continues its siblings' sequence (一 then 二; 1 again below a new parent), so
``一是…二是…``, ``2024年`` or a stray ``3.`` inside text stay text. The adoption phrase on the
line after a heading is taken off as ``adoption``. A heading that runs on into text ends at its
first 。; the rest is the section's first paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from replyarchive.normalize import Line
from replyarchive.records.model import LineWarning, Section
from replyarchive.vocab.adoption import AdoptionStatus, classify, sentence_status, stated_status
from replyarchive.vocab.markers import Marker, find_marker

MAX_TITLE = 80
"""Longest title cut from a heading that runs on into text (before its first 。)."""
MAX_LINE_TITLE = 150
"""Longest title of a heading that is a whole line."""
NUMBERED_PARAGRAPH_LEVEL = 3
"""From this level down (1. 2.) a marker that runs on is a numbered paragraph, a layout of the
genre (``1. 市某局认真贯彻…，一是…二是…``), not a heading the parser misread: it has no title
and no warning. A 一、 or （一） that runs on is warned about."""
# 。 ends a run-on title; so does a half-width . typed right after a Chinese character or a
# closing bracket (全面摸查.2024年…), but not one inside 1.5亿 or 5G.A.
_STOP = re.compile(r"。|(?<=[\u4e00-\u9fff）)”\"])\.")
_ADOPTION_LINE = 24
_CLAUSE = re.compile(r"[，,；;]")


@dataclass(slots=True)
class _Node:
    """A section while the tree is being built (local to this module)."""

    marker: Marker
    line: int
    title: str
    path: tuple[int, ...]
    adoption: str | None = None
    status: AdoptionStatus | None = None
    paragraphs: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)

    def freeze(self) -> Section:
        return Section(
            id="s" + "-".join(str(n) for n in self.path),
            level=self.marker.level,
            number=self.marker.number,
            title=self.title,
            adoption=self.adoption,
            adoption_status=self.status,
            paragraphs=tuple(self.paragraphs),
            children=tuple(child.freeze() for child in self.children),
            line=self.line,
        )


@dataclass(frozen=True, slots=True)
class Body:
    """The body split into preamble and sections."""

    preamble: tuple[str, ...]
    """Paragraphs before the first heading (你们提出的…收悉, 现答复如下)."""
    sections: tuple[Section, ...]
    """The numbered parts, 一、 at the top."""
    warnings: tuple[LineWarning, ...]
    """Markers kept as text, headings without a short title."""


def parse_body(lines: tuple[Line, ...]) -> Body:
    """Build the section tree; text before the first heading is the preamble."""
    roots: list[_Node] = []
    stack: list[_Node] = []
    preamble: list[str] = []
    warnings: list[LineWarning] = []
    for line in lines:
        marker = find_marker(line.text)
        siblings = _siblings(roots, stack, marker) if marker else None
        if marker and siblings is not None and _continues(siblings, marker):
            node = _open(marker, line, stack, siblings, warnings)
            siblings.append(node)
            stack[:] = [n for n in stack if n.marker.level < marker.level] + [node]
        elif stack and (adoption := _adoption_line(stack[-1], line.text)):
            rest = _set_adoption(stack[-1], adoption, line.number, warnings)
            if rest:
                stack[-1].paragraphs.append(rest)
        else:
            if marker:
                warnings.append(LineWarning(line.number, f"'{marker.number}' does not continue "
                                            "the numbering here, so it is kept as text"))
            (stack[-1].paragraphs if stack else preamble).append(line.text)
    for root in roots:
        _closing_adoption(root)
    return Body(tuple(preamble), tuple(n.freeze() for n in roots), tuple(warnings))


def _closing_adoption(node: _Node) -> None:
    """A section with no phrase after its heading may end with its verdict instead
    (``…覆盖行政村86%。以上建议已采纳。``): the last sentence of its own text (before its
    sub-sections), naming the proposal, is its phrase. The sentence stays in the paragraph, so
    no text is cut."""
    for child in node.children:
        _closing_adoption(child)
    if node.adoption is not None or not node.paragraphs:
        return
    sentences = [part for part in node.paragraphs[-1].split("。") if part.strip()]
    found = stated_status(sentences[-1]) if sentences else None
    if found is not None:
        node.adoption, node.status = found


def _siblings(roots: list[_Node], stack: list[_Node], marker: Marker) -> list[_Node]:
    """The list a heading of this level would join: its parent's children, or the roots."""
    parents = [n for n in stack if n.marker.level < marker.level]
    return parents[-1].children if parents else roots


def _continues(siblings: list[_Node], marker: Marker) -> bool:
    same = [n for n in siblings if n.marker.level == marker.level]
    expected = same[-1].marker.value + 1 if same else 1
    return marker.value == expected


def _open(marker: Marker, line: Line, stack: list[_Node], siblings: list[_Node],
          warnings: list[LineWarning]) -> _Node:
    parents = [n for n in stack if n.marker.level < marker.level]
    path = (parents[-1].path if parents else ()) + (marker.value,)
    title, rest = _split_title(marker.rest)
    limit = MAX_TITLE if rest else MAX_LINE_TITLE
    if len(title) > limit or "一是" in title:
        if marker.level < NUMBERED_PARAGRAPH_LEVEL:
            warnings.append(LineWarning(
                line.number, f"heading '{marker.number}' runs on for {len(title)} characters "
                "before its first 。; kept the text as its first paragraph and left the title "
                "empty"))
        title, rest = "", marker.rest
    node = _Node(marker=marker, line=line.number, title=title, path=path)
    adoption = _adoption_line(node, rest) if rest else None
    if adoption:
        rest = _set_adoption(node, adoption, line.number, warnings)
    if rest:
        node.paragraphs.append(rest)
    return node


def _split_title(text: str) -> tuple[str, str]:
    """``构建政策支撑体系。成立由…`` → (构建政策支撑体系, 成立由…); a half-width ``.`` that is no
    decimal point ends a title too (letters typed in half-width punctuation)."""
    match = _STOP.search(text)
    if not match:
        return text, ""
    return text[: match.start()], text[match.end() :]


_Adoption = tuple[str, AdoptionStatus | None, str]
"""The phrase as printed, its status (None when unsure), the text left for the paragraphs."""


def _set_adoption(node: _Node, found: _Adoption, line: int, warnings: list[LineWarning]) -> str:
    """Record the phrase on the node (warning when its status is unsure); the text left."""
    node.adoption, node.status, rest = found
    if node.status is None:
        warnings.append(LineWarning(line, f"the adoption sentence '{node.adoption}' names more "
                                          "than one status; kept it as printed and left "
                                          "adoption_status empty"))
    return rest


def _adoption_line(node: _Node, text: str) -> _Adoption | None:
    """An adoption phrase right after a heading, its status and the text left for the section's
    paragraphs.

    ``吸收采纳该建议。`` → (吸收采纳该建议, adopted, ""); ``已采纳。我局已…`` → (已采纳, adopted,
    我局已…). When clauses of the first sentence state it (``已列入下一年度工作计划，逐步推进。``,
    ``受编制限制，暂不具备采纳条件，将作为今后工作参考。``) those clauses are the phrase, their
    statuses are combined (see ``adoption.combine``) and the whole sentence stays a paragraph,
    so no text is cut.
    """
    if node.adoption is not None or node.paragraphs or node.children:
        return None
    head, rest = _split_title(text)  # 。 or a half-width . after a Chinese character
    if len(head) <= _ADOPTION_LINE and (status := classify(head)) is not None:
        return _printed(head), status, rest
    if _CLAUSE.search(head) and (found := sentence_status(head)) is not None:
        phrase = _printed(found.phrase)
        if phrase == _printed(head):  # the sentence is all phrase: （暂不采纳，留作参考）
            return phrase, found.status, rest
        return phrase, found.status, text
    return None


def _printed(phrase: str) -> str:
    return phrase.strip().strip("（）()【】[]").rstrip(".；;，, ")
