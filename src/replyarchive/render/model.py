"""The site's own view of the archive: replies in order and the browse groups over them.

Built once from the records, frozen, then handed to every page. URLs here are relative to the
site root (``replies/<id>/index.html``); templates prefix them with ``root``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from replyarchive.records.labels import CATEGORY_NONE, adoption_label, category_short
from replyarchive.records.model import Reply
from replyarchive.render.slugs import slug_map
from replyarchive.vocab.pinyin import Pinyin

UNKNOWN_DEPARTMENT = "未注明承办单位"
UNKNOWN_SESSION = "未注明届次"
UNKNOWN_YEAR = "未注明日期"


@dataclass(frozen=True, slots=True)
class Group:
    """One browse page: a department, a proposer, a session, a year or a category."""

    name: str
    """The name as shown, e.g. 临江市农业农村局 or 2025."""
    slug: str
    """ASCII folder name under the dimension's folder."""
    replies: tuple[Reply, ...]
    """Its letters, newest first."""

    def url(self, folder: str) -> str:
        return f"{folder}/{self.slug}/index.html"


@dataclass(frozen=True, slots=True)
class Dimension:
    """A way in: all groups of one kind, e.g. every 承办单位."""

    key: str
    """Folder name and nav key: departments, proposers, sessions, years, categories."""
    title: str
    """Heading, e.g. 按承办单位浏览."""
    label: str
    """What one group is called: 承办单位."""
    groups: tuple[Group, ...]


def newest_first(replies: Iterable[Reply]) -> tuple[Reply, ...]:
    """Newest date first, undated last, ties by id: the archive's one reading order."""
    dated = sorted((r for r in replies if r.date), key=lambda r: r.id)
    dated.sort(key=lambda r: r.date or "", reverse=True)
    undated = sorted((r for r in replies if not r.date), key=lambda r: r.id)
    return (*dated, *undated)


def year_of(reply: Reply) -> str:
    return reply.date[:4] if reply.date else UNKNOWN_YEAR


def department_of(reply: Reply) -> str:
    return reply.department or UNKNOWN_DEPARTMENT


def session_of(reply: Reply) -> str:
    return reply.session.label if reply.session else UNKNOWN_SESSION


def _dimension(
    key: str,
    title: str,
    label: str,
    replies: Sequence[Reply],
    names_of: Callable[[Reply], Iterable[str]],
    *,
    slugs: dict[str, str] | None = None,
    first: Callable[[str], tuple[int, ...]] | None = None,
    pinyin: Pinyin | None = None,
) -> Dimension:
    members: dict[str, list[Reply]] = {}
    for reply in replies:
        for name in dict.fromkeys(names_of(reply)):
            members.setdefault(name, []).append(reply)
    slugs = slugs or slug_map(members, pinyin)
    names = sorted(members, key=lambda n: (slugs[n], n))
    if first is not None:  # a stable sort: ties keep the pinyin order
        names.sort(key=first)
    groups = tuple(Group(n, slugs[n], newest_first(members[n])) for n in names)
    return Dimension(key, title, label, groups)


def _newest_year(name: str) -> tuple[int, ...]:
    """Years newest first, the undated group last."""
    return (0, -int(name)) if name.isdigit() else (1,)


def _session_order(replies: Sequence[Reply]) -> Callable[[str], tuple[int, ...]]:
    """Sessions grouped by body, newest first (higher term, then meeting); unknown last."""
    bodies = sorted({r.session.body for r in replies if r.session})
    rank = {r.session.label: (0, bodies.index(r.session.body), -(r.session.term or 0),
                              -(r.session.meeting or 0))
            for r in replies if r.session}
    return lambda label: rank.get(label, (1,))


def build_dimensions(replies: Sequence[Reply], pinyin: Pinyin | None = None
                     ) -> tuple[Dimension, ...]:
    """Every browse dimension, groups in a stable order (pinyin; years, sessions newest first)."""
    pinyin = pinyin or Pinyin()
    years = {year_of(r) for r in replies}
    cats = {category_short(r.category) for r in replies}
    return (
        _dimension("departments", "按承办单位浏览", "承办单位", replies,
                   lambda r: [department_of(r)], pinyin=pinyin),
        _dimension("sessions", "按会议届次浏览", "会议届次", replies,
                   lambda r: [session_of(r)], first=_session_order(replies), pinyin=pinyin),
        _dimension("years", "按年份浏览", "年份", replies, lambda r: [year_of(r)],
                   slugs={y: (y if y.isdigit() else "undated") for y in years}, first=_newest_year),
        _dimension("proposers", "按提出人浏览", "提出人", replies,
                   lambda r: r.proposers, pinyin=pinyin),
        _dimension("categories", "按答复类别浏览", "答复类别", replies,
                   lambda r: [category_short(r.category)],
                   slugs={c: (c[0].lower() if c != CATEGORY_NONE else "none") for c in cats}),
    )


def adoption_summary(reply: Reply) -> list[tuple[str, str, int]]:
    """(status, label, count) over every section carrying an adoption phrase, in status order;
    else the verdict the letter states for the whole proposal."""
    counts: Counter[str] = Counter(
        s.adoption_status or "" for s in reply.all_sections() if s.adoption
    )
    if not counts and reply.letter_adoption is not None:
        counts[reply.letter_adoption_status or ""] = 1
    order = ["adopted", "partially_adopted", "planned", "for_reference", "not_adopted", ""]
    return [(k, adoption_label(k or None), counts[k]) for k in order if counts[k]]


@dataclass(frozen=True, slots=True)
class SiteModel:
    """The replies in reading order and every browse dimension over them."""

    replies: tuple[Reply, ...]
    dimensions: tuple[Dimension, ...]
    urls: dict[tuple[str, str], str]
    """(dimension key, group name) → root-relative URL of the group page."""
    positions: dict[str, int]
    """reply id → index in ``replies``."""
    adoptions: dict[str, list[tuple[str, str, int]]]
    """reply id → ``adoption_summary``, worked out once: a letter shows it on up to seven
    pages, the CSV and the charts."""

    @classmethod
    def from_replies(cls, replies: Sequence[Reply], pinyin: Pinyin | None = None) -> SiteModel:
        ordered = newest_first(replies)
        dimensions = build_dimensions(ordered, pinyin)
        urls = {(d.key, g.name): g.url(d.key) for d in dimensions for g in d.groups}
        positions = {reply.id: i for i, reply in enumerate(ordered)}
        adoptions = {reply.id: adoption_summary(reply) for reply in ordered}
        return cls(ordered, dimensions, urls, positions, adoptions)

    def adoption_of(self, reply: Reply) -> list[tuple[str, str, int]]:
        """``adoption_summary(reply)``, from the model's copy for its own letters."""
        known = self.adoptions.get(reply.id)
        return adoption_summary(reply) if known is None or self.replies[
            self.positions[reply.id]] is not reply else known

    def dimension(self, key: str) -> Dimension:
        return next(d for d in self.dimensions if d.key == key)

    def url_of(self, key: str, name: str) -> str:
        """Root-relative URL of a group page: url_of('departments', '中山市…局')."""
        return self.urls[(key, name)]

    def neighbours(self, reply: Reply) -> tuple[Reply | None, Reply | None]:
        """(newer, older) letter next to ``reply`` in reading order."""
        index = self.positions[reply.id]
        newer = self.replies[index - 1] if index > 0 else None
        older = self.replies[index + 1] if index + 1 < len(self.replies) else None
        return newer, older
