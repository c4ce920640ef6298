"""The parser's state: one per letter, handed to every part rule in turn (as markdown-it-py's
rule chains hand one ``StateCore`` to each core rule).

Each rule has the signature ``rule(state) -> bool``: it reads the letter's parts and what the
rules before it found, records what it finds in the state, reports what it is unsure of with
``state.warn(line, message)``, and returns whether it found its part. The record is made from
the state once every rule has run (``Reply`` is never half-filled).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from replyarchive.ingest.sources import SourceText
from replyarchive.normalize import Line
from replyarchive.parse.header import Header
from replyarchive.parse.layout import Layout
from replyarchive.parse.sections import Body
from replyarchive.records.model import Contact, Kind, LineWarning, Role, Session
from replyarchive.vocab.adoption import AdoptionStatus
from replyarchive.vocab.pinyin import Pinyin


@dataclass(slots=True)
class LetterState:
    """One letter while the part rules run over it (local to the parse stage)."""

    src: SourceText
    """The decoded file the letter is in."""
    lines: tuple[Line, ...]
    """The letter's normalised lines."""
    layout: Layout
    """Its parts: header, salutation, body, closing, signature."""
    header: Header
    """What the header says (category, letterhead, 文号, title, 签发人)."""
    warnings: list[LineWarning] = field(default_factory=list)
    """Every warning so far, each at its line, in the order the rules raised them."""
    pinyin: Pinyin = field(default_factory=Pinyin)
    """The readings the build has made already (for the id's initials)."""
    addressee: str | None = None
    """The salutation without its colon."""
    proposers: tuple[str, ...] = ()
    """People and bodies the salutation names."""
    session: Session | None = None
    """会议届次."""
    kind: Kind = "proposal"
    """提案 or 建议."""
    role: Role = "reply"
    """A reply, or a co-handler's opinion to the lead handler."""
    number: str | None = None
    """提案/建议编号, digits only."""
    body: Body = field(default_factory=lambda: Body((), (), ()))
    """Preamble and sections."""
    verdict: tuple[str, AdoptionStatus] | None = None
    """The verdict stated for the whole letter, as printed, and its status."""
    date: str | None = None
    """The signature date, ISO."""
    department: str | None = None
    """承办单位."""
    co_handlers: tuple[str, ...] = ()
    """会办单位."""
    disclosure: str | None = None
    """公开方式."""
    cc: tuple[str, ...] = ()
    """抄送 units."""
    id: str = ""
    """The record's id."""
    contacts: tuple[Contact, ...] = ()
    """联系人及电话."""
    notes: tuple[str, ...] = ()
    """Signature-block lines no field reads."""

    @property
    def intro(self) -> str:
        """The first two lines of the body, where the proposal and its number are named."""
        return " ".join(line.text for line in self.layout.body[:2])

    def warn(self, line: int | None, message: str) -> None:
        """Report something the rule is unsure of, at its source line."""
        self.warnings.append(LineWarning(line, message))


Rule = Callable[[LetterState], bool]
"""A part rule: reads and fills the state, warns through it, says whether it found its part."""


def first_line(lines: tuple[Line, ...]) -> int:
    """The source line of the first of ``lines`` (1 when there are none)."""
    return lines[0].number if lines else 1


def last_line(lines: tuple[Line, ...]) -> int:
    """The source line of the last of ``lines`` (0 when there are none)."""
    return lines[-1].number if lines else 0
