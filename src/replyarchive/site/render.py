"""The Jinja2 environment and the one function that writes a rendered page to disk.

Templates come from the user's ``templates_dir`` first, then the built-in ``templates/``
(a ChoiceLoader), so any template can be overridden by dropping a file of the same name.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

import jinja2

from replyarchive.config import Config
from replyarchive.errors import BuildError
from replyarchive.site.labels import (
    CATEGORY_LABELS,
    KIND_LABELS,
    KIND_SHORT,
    adoption_label,
    category_short,
)


def date_cn(iso: str | None) -> str:
    """'2025-09-15' → 2025年9月15日; None → 未注明."""
    if not iso:
        return "未注明"
    year, month, day = iso.split("-")
    return f"{year}年{int(month)}月{int(day)}日"


def make_environment(config: Config) -> jinja2.Environment:
    """Autoescaping, strict environment over the user's and the built-in templates."""
    loaders: list[jinja2.BaseLoader] = []
    if config.templates_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(config.templates_dir)))
    loaders.append(jinja2.FileSystemLoader(str(config.theme_dir / "templates")))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        date_cn=date_cn,
        kind_label=lambda kind: KIND_LABELS.get(kind, kind),
        kind_short=lambda kind: KIND_SHORT.get(kind, kind),
        category_short=category_short,
        category_label=lambda c: CATEGORY_LABELS.get(c or "", category_short(c)),
        adoption_label=adoption_label,
    )
    return env


def root_for(rel_path: str) -> str:
    """'replies/x/index.html' → '../../': the way back to the site root from a page."""
    return "../" * (len(PurePosixPath(rel_path).parts) - 1)


def safe_target(out: Path, rel_path: str) -> Path:
    """The file ``rel_path`` inside ``out``; refuses anything that would land outside it."""
    parts = PurePosixPath(rel_path).parts
    if not parts or any(p in ("", ".", "..") or "\\" in p for p in parts) or rel_path[0] == "/":
        raise BuildError(f"refusing to write outside the output folder: {rel_path!r}", out)
    return out.joinpath(*parts)


def write_text(out: Path, rel_path: str, text: str) -> None:
    """Write UTF-8 text with LF line ends to ``out/rel_path``, creating folders."""
    target = safe_target(out, rel_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode("utf-8"))


def render_page(
    env: jinja2.Environment, out: Path, rel_path: str, template: str, context: dict[str, Any]
) -> None:
    """Render ``template`` with ``context`` plus ``root`` into ``out/rel_path``.

    ``root`` is the relative way back to the site root unless ``context`` sets its own.

    A template that is missing, malformed or uses an undefined name raises BuildError naming it.
    """
    try:
        html = env.get_template(template).render({"root": root_for(rel_path), **context})
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or template
        message = f"template error: {exc.message}; fix the template"
        raise BuildError(message, where, exc.lineno) from exc
    except jinja2.TemplateError as exc:
        raise BuildError(f"template {template!r} failed while rendering {rel_path}: {exc}",
                         template) from exc
    write_text(out, rel_path, html)
