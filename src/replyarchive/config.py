"""Site configuration: one TOML file (``replyarchive.toml``) with sensible defaults.

Every key is optional. Relative folders are resolved against the folder holding the file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from replyarchive.errors import BuildError

CONFIG_NAME = "replyarchive.toml"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
"""The checkout holding the built-in templates/, static/ and content/ (editable install)."""


@dataclass(frozen=True, slots=True)
class Config:
    """What a site build needs besides the records."""

    title: str = "建议提案答复档案"
    """站点名称, shown in every page header and the feed."""
    description: str = (
        "人大代表建议和政协提案答复的函：按单位、届次、年份浏览，全文检索，逐段引用。"
    )
    """One sentence describing the archive (meta description, feed subtitle)."""
    base_url: str = "https://example.org/"
    """Absolute address the site is published at; used only by feed.xml and sitemap.xml."""
    footer: str = "本档案收录公开的答复的函，内容以各承办单位正式发文为准。"
    """Footer line of every page."""
    latest_count: int = 10
    """How many of the newest replies the home page lists."""
    theme_dir: Path = PROJECT_ROOT
    """Folder holding the built-in templates/, static/ and content/."""
    templates_dir: Path | None = None
    """A user's own templates; any template found here overrides the built-in one."""
    content_dir: Path | None = None
    """Markdown pages (about, how to cite); defaults to theme_dir/content."""
    static_dir: Path | None = None
    """Extra static files copied over the built-in static/ (same name wins)."""

    @property
    def base(self) -> str:
        """base_url with exactly one trailing slash."""
        return self.base_url.rstrip("/") + "/"

    def warnings(self) -> tuple[str, ...]:
        """Settings that build but would publish something wrong, in plain words."""
        labels = (urlsplit(self.base).hostname or "").lower().split(".")
        # RFC 2606 names (example.org, x.example, .test, .invalid) are never a real site.
        reserved = labels[-1] in {"example", "test", "invalid"} or labels[-2:-1] == ["example"]
        if labels == [""] or reserved:
            return (f"base_url is {self.base!r}, not the site's real address: citations, "
                    "data/replies.json, feed.xml and sitemap.xml will point there. Set base_url "
                    f"in {CONFIG_NAME} to the address where site/ is published",)
        return ()


_PATH_KEYS = {"theme_dir", "templates_dir", "content_dir", "static_dir"}
_KEYS = {f.name: f for f in fields(Config)}


def load_config(path: Path | None = None) -> Config:
    """Read ``path`` (or ./replyarchive.toml if present); unknown keys are an error."""
    if path is None:
        default = Path.cwd() / CONFIG_NAME
        if not default.is_file():
            return Config()
        path = default
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise BuildError(f"cannot read the configuration: {exc}", path) from exc
    return config_from_dict(data.get("site", data), path)


def config_from_dict(data: dict[str, Any], path: Path | None = None) -> Config:
    """Build a Config from a mapping; paths are relative to ``path``'s folder."""
    unknown = sorted(set(data) - set(_KEYS))
    if unknown:
        known = ", ".join(sorted(_KEYS))
        raise BuildError(f"unknown configuration keys {unknown}; known keys: {known}", path)
    base_dir = path.parent if path else Path.cwd()
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key in _PATH_KEYS:
            values[key] = (base_dir / str(value)).resolve()
        elif not isinstance(value, type(getattr(Config(), key))):
            raise BuildError(f"configuration key {key!r} has the wrong type: {value!r}", path)
        else:
            values[key] = value
    return replace(Config(), **values)
