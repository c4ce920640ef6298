"""A small link checker: every relative href/src/action and #anchor in a site must resolve."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src", "action"):
                self.links.append(value)
            elif name == "id":
                self.ids.add(value)


def scan(page: Path) -> tuple[list[str], set[str]]:
    collector = _Collector()
    collector.feed(page.read_text(encoding="utf-8"))
    return collector.links, collector.ids


def broken_links(site: Path, base_path: str = "/") -> list[str]:
    """Every link in every HTML page of ``site`` that does not resolve, as 'page: link'.

    Only 404.html may use root-relative links, under ``base_path`` (the path of base_url).
    """
    ids: dict[Path, set[str]] = {}
    links: dict[Path, list[str]] = {}
    root = site.resolve()
    for page in sorted(root.rglob("*.html")):
        links[page], ids[page] = scan(page)
    problems: list[str] = []
    for page, hrefs in links.items():
        for href in hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                problems.append(f"{page.relative_to(root)}: absolute URL {href}")
                continue
            path = unquote(parts.path)
            if page.name == "404.html" and page.parent == root and path.startswith(base_path):
                path = path.removeprefix(base_path)  # the server shows it at any depth
            target = (page if not path else page.parent / path).resolve()
            if path.endswith("/") or target.is_dir():
                target = target / "index.html"
            if root not in target.parents or not target.is_file():
                problems.append(f"{page.relative_to(root)}: missing {href}")
            elif parts.fragment and parts.fragment not in ids.get(target, set()):
                problems.append(f"{page.relative_to(root)}: no #{parts.fragment} in {href}")
    return problems
