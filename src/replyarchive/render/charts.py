"""Statistics drawn at build time as SVG bar charts, each with the same numbers as a table.

The SVG is plain markup built here with every label escaped; colours come from CSS classes so
the charts follow the site's stylesheet and print in grey.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from replyarchive.records.labels import ADOPTION_LABELS, ADOPTION_NONE
from replyarchive.records.model import Reply
from replyarchive.render.model import SiteModel

WIDTH = 640
LABEL_W = 200
BAR_H = 22
GAP = 8
LABEL_CHARS = 13
SERIES = (*ADOPTION_LABELS, "none")


@dataclass(frozen=True, slots=True)
class Chart:
    """One figure: its SVG and the table of the numbers it draws."""

    id: str
    """HTML id of the figure, e.g. by-year."""
    title: str
    """Caption, e.g. 各年份答复件数."""
    svg: str
    """Self-contained SVG markup (already escaped)."""
    headers: tuple[str, ...]
    """Table column headings."""
    rows: tuple[tuple[str | int, ...], ...]
    """Table rows: a label, then numbers."""


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _svg(title: str, rows: Sequence[tuple[str, Sequence[tuple[str, int]]]]) -> str:
    """Horizontal bars, one row per label, stacked by series key (CSS class ``bar-<key>``)."""
    most = max((sum(v for _, v in parts) for _, parts in rows), default=0) or 1
    scale = (WIDTH - LABEL_W - 48) / most
    height = len(rows) * (BAR_H + GAP) + GAP
    out = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
           f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
           f"<title>{escape(title)}</title>"]
    for i, (label, parts) in enumerate(rows):
        y = GAP + i * (BAR_H + GAP)
        out.append(f'<text class="chart-label" x="{LABEL_W - 8}" y="{y + 16}" '
                   f'text-anchor="end"><title>{escape(label)}</title>{escape(_short(label))}</text>')
        x = float(LABEL_W)
        for key, value in parts:
            if value:
                w = value * scale
                out.append(f'<rect class="bar bar-{escape(key)}" x="{x:.1f}" y="{y}" '
                           f'width="{w:.1f}" height="{BAR_H}"/>')
                x += w
        total = sum(v for _, v in parts)
        out.append(f'<text class="chart-value" x="{x + 6:.1f}" y="{y + 16}">{total}</text>')
    out.append("</svg>")
    return "".join(out)


def _status_counts(replies: Sequence[Reply], model: SiteModel | None = None) -> Counter[str]:
    """Adoption status of every section carrying a phrase; 'none' for unclassified phrases
    (from the model's adoption summaries when given: the same counts)."""
    if model is None:
        return Counter(s.adoption_status or "none"
                       for r in replies for s in r.all_sections() if s.adoption)
    counts: Counter[str] = Counter()
    for reply in replies:
        for status, _, n in model.adoption_of(reply):
            counts[status or "none"] += n
    return counts


def count_chart(chart_id: str, title: str, label: str, groups: Sequence[tuple[str, int]]) -> Chart:
    svg = _svg(title, [(name, [("count", n)]) for name, n in groups])
    return Chart(chart_id, title, svg, (label, "件数"), tuple(groups))


def adoption_chart(chart_id: str, title: str, label: str,
                   groups: Sequence[tuple[str, Sequence[Reply]]],
                   model: SiteModel | None = None) -> Chart:
    counts = [(name, _status_counts(replies, model)) for name, replies in groups]
    used = [key for key in SERIES if any(c[key] for _, c in counts)]
    svg = _svg(title, [(name, [(k, c[k]) for k in used]) for name, c in counts])
    names = [ADOPTION_LABELS.get(k, ADOPTION_NONE) for k in used]
    rows: tuple[tuple[str | int, ...], ...] = tuple(
        (name, *(c[k] for k in used), sum(c[k] for k in used)) for name, c in counts
    )
    return Chart(chart_id, title, svg, (label, *names, "合计"), rows)


def legend(chart: Chart) -> list[tuple[str, str]]:
    """(css key, label) for the series a chart uses, for the template's legend."""
    by_label = {v: k for k, v in ADOPTION_LABELS.items()} | {ADOPTION_NONE: "none"}
    return [(by_label[h], h) for h in chart.headers[1:-1] if h in by_label]


def build_charts(model: SiteModel) -> list[Chart]:
    """The statistics page's figures, in page order."""
    years = model.dimension("years").groups
    departments = sorted(model.dimension("departments").groups,
                         key=lambda g: (-len(g.replies), g.slug))
    return [
        count_chart("by-year", "各年份答复件数", "年份",
                    [(g.name, len(g.replies)) for g in years]),
        count_chart("by-department", "各承办单位答复件数", "承办单位",
                    [(g.name, len(g.replies)) for g in departments]),
        adoption_chart("adoption-by-year", "各年份答复中各部分的采纳情况", "年份",
                       [(g.name, g.replies) for g in years], model),
        adoption_chart("adoption-by-department", "各承办单位答复中各部分的采纳情况", "承办单位",
                       [(g.name, g.replies) for g in departments], model),
    ]
