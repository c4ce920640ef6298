"""data/replies.db and data/metadata.json in the site, when the database fits a static host.

Cloudflare Pages refuses a file over 25 MiB, so a larger database is left out of the site (the
data page then says so and how to make it: ``replyarchive export --db``). Both files have keys
like the other archive-wide files, so an unchanged archive links them from the last build.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from replyarchive.config import Config
from replyarchive.export.database import database_bytes, letter_floor, printed_size
from replyarchive.export.metadata import metadata
from replyarchive.incremental.keys import SiteKeys, digest
from replyarchive.incremental.output import SiteOutput
from replyarchive.incremental.parallel import run_chunks
from replyarchive.incremental.state import DatabaseState
from replyarchive.records.model import Reply
from replyarchive.render.serialize import to_json

DATABASE = "data/replies.db"
METADATA = "data/metadata.json"
MAX_FILE = 25 * 1024 * 1024
"""The largest file every host takes (Cloudflare Pages: 25 MiB)."""
STATE = "database"


@dataclass(frozen=True, slots=True)
class DatabaseFile:
    """What the site holds of the database."""

    size: int
    """Bytes of the whole database (with ``exact`` false: fewer than it would take)."""
    published: bool
    """Whether data/replies.db is in the site (it fits ``MAX_FILE``)."""
    exact: bool = True
    """False when the database was not made, a floor of its size (``size_floor``, then the sum
    of its letters' ``letter_floor``) being over the limit already. Both floors are sums of
    each letter's share, which the stage state keeps for the next build."""

    def notes(self) -> tuple[str, ...]:
        """What to tell whoever builds: that the database was left out, if it was."""
        if self.published:
            return ()
        size = f"{self.size:,} bytes" if self.exact else f"over {self.size:,} bytes"
        return (f"{DATABASE} left out of the site: the database is {size}, over "
                f"the {MAX_FILE:,} a file static hosts take. Run `replyarchive export --db "
                "PATH` to write it elsewhere",)


def write_database(output: SiteOutput, replies: tuple[Reply, ...], config: Config,
                   keys: SiteKeys, limit: int = MAX_FILE) -> DatabaseFile:
    """Write (or link) the database and its Datasette metadata; say what the site holds."""
    text = to_json(metadata(config))
    output.write_text(METADATA, text, digest("metadata.json", text))
    key = digest("replies.db", keys.archive, limit)
    prior = output.prior_state(STATE, DatabaseState.from_json)
    if prior is not None and prior.key == key:
        known = DatabaseFile(prior.size, prior.published, prior.exact)
        if not known.published or output.reuse(DATABASE, key):
            output.state[STATE] = prior
            return known
    floors: dict[str, int] = {}
    printed = _printed(replies, keys, prior.printed if prior is not None else {})
    floor = sum(printed.values())  # export.database.size_floor, each letter's kept
    if floor <= limit:  # a closer floor, each letter's kept from the last build
        floor = _floor(replies, config.base, keys, limit,
                       prior.floors if prior is not None else {}, floors)
    if floor > limit:  # left out in any case: making it would cost seconds
        made = DatabaseFile(floor, False, exact=False)
    else:
        data = database_bytes(replies, config.base)
        made = DatabaseFile(len(data), len(data) <= limit)
        if made.published:
            output.write_bytes(DATABASE, data, key)
    output.state[STATE] = DatabaseState(key, made.size, made.published, made.exact, floors,
                                        printed)
    return made


def _printed(replies: Sequence[Reply], keys: SiteKeys, known: Mapping[str, int]
             ) -> dict[str, int]:
    """Each letter's ``printed_size`` by record key, taken from ``known`` (the last build's)
    when it is there: a rebuild reads only the changed letters' text."""
    sizes = {}
    for reply in replies:
        record = keys.record(reply)
        sizes[record] = known[record] if record in known else printed_size(reply)
    return sizes


def _floor(replies: Sequence[Reply], base: str, keys: SiteKeys, limit: int,
           known: Mapping[str, int], floors: dict[str, int]) -> int:
    """The sum of the letters' ``letter_floor`` in reading order, up to the first letter that
    takes it over ``limit``. Every letter's floor is recorded in ``floors`` by record key,
    taken from ``known`` when the last build worked it out (past the limit too, or the next
    build would work those out again). The floors not known are worked out first, on every
    core when there are many (parallel.run_chunks): each is a letter's own, so the sum is the
    same."""
    records = [keys.record(reply) for reply in replies]
    missing = [i for i, record in enumerate(records) if record not in known]

    def work(start: int, stop: int) -> list[int]:
        return [letter_floor(replies[i], base) for i in missing[start:stop]]

    made = [floor for chunk in run_chunks(len(missing), work) for floor in chunk]
    new = dict(zip((records[i] for i in missing), made, strict=True))
    total = 0
    for record in records:
        floors[record] = known[record] if record in known else new[record]
        if total <= limit:
            total += floors[record]
    return total
