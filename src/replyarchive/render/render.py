"""The Jinja2 environment and the one function that renders a page (output.py writes it).

Templates come from the user's ``templates_dir`` first, then the built-in ``templates/``
(a ChoiceLoader), so any template can be overridden by dropping a file of the same name.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2
from markupsafe import Markup

from replyarchive.config import Config
from replyarchive.errors import BuildError
from replyarchive.folders import Private, template_allowed
from replyarchive.index.payloads import letter_summary
from replyarchive.records.labels import (
    CATEGORY_LABELS,
    KIND_LABELS,
    KIND_SHORT,
    READER_LABELS,
    adoption_label,
    category_short,
)
from replyarchive.records.model import Reply


def search_letter(reply: Reply) -> Markup:
    """The letter's summary as the search index's chunks hold it (index.payloads), as JSON
    for a ``<script type="application/json">``: over http a search result reads it, and the
    parts' text, from the letter's page instead of a chunk of letters."""
    text = json.dumps(letter_summary(reply), ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c"))


def date_cn(iso: str | None) -> str:
    """'2025-09-15' → 2025年9月15日; None → 未注明."""
    if not iso:
        return "未注明"
    year, month, day = iso.split("-")
    return f"{year}年{int(month)}月{int(day)}日"


class FolderLoader(jinja2.FileSystemLoader):
    """Templates from one folder, but only template files outside dot-folders and private
    folders (``folders.template_allowed``): ``templates_dir = "."`` reads no .env or site/."""

    def __init__(self, folder: Path, private: Private) -> None:
        super().__init__(str(folder))
        self.folder = folder
        self.private = private

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        if not template_allowed(self.folder, template, self.private):
            raise jinja2.TemplateNotFound(template)
        return super().get_source(environment, template)


def make_environment(config: Config) -> jinja2.Environment:
    """Autoescaping, strict environment over the user's and the built-in templates; with a
    cache folder, the templates compiled by the last build are read from it."""
    loaders: list[jinja2.BaseLoader] = []
    if config.templates_dir is not None:
        loaders.append(FolderLoader(config.templates_dir, config.private.output))
    loaders.append(FolderLoader(config.theme_dir / "templates", config.private.output))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        bytecode_cache=_compiled(config.cache),
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
        reader_label=lambda reader: READER_LABELS.get(reader, reader),
        search_letter=search_letter,
    )
    return env


def _compiled(cache: Path | None) -> jinja2.BytecodeCache | None:
    """The compiled templates' cache in the build's cache folder, if it has one."""
    if cache is None:
        return None
    from replyarchive.incremental.cache import code_version
    from replyarchive.incremental.templates import TemplateCache

    return TemplateCache(cache / "templates", code_version())


def root_for(rel_path: str) -> str:
    """'replies/x/index.html' → '../../': the way back to the site root from a page."""
    return "../" * (len(PurePosixPath(rel_path).parts) - 1)


def template_folders(env: jinja2.Environment) -> list[Path]:
    """The folders ``env`` loads templates from, in the order it searches them."""
    loader = env.loader
    loaders = loader.loaders if isinstance(loader, jinja2.ChoiceLoader) else [loader]
    return [each.folder for each in loaders if isinstance(each, FolderLoader)]


def _template_file(env: jinja2.Environment, name: str) -> str | None:
    """The file ``name`` was loaded from, if it loads."""
    try:
        return env.get_template(name).filename
    except jinja2.TemplateError:
        return None


def template_error(exc: jinja2.TemplateError, template: str, rel_path: str,
                   env: jinja2.Environment) -> BuildError:
    """A template that is missing, malformed or uses an undefined name, as a BuildError that
    names the template, the folders searched (first wins) and the fix."""
    folders = template_folders(env)
    searched = "; searched, first one wins: " + ", ".join(
        str(f) if f.is_dir() else f"{f} (no such folder)" for f in folders)
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = exc.filename or exc.name or template
        return BuildError(f"template {exc.name or template!r} is broken: {exc.message}{searched}. "
                          f"Fix line {exc.lineno} of {where}, or delete the file if it overrides "
                          "a built-in template", where, exc.lineno)
    head = f"template {template!r} failed while rendering {rel_path}"
    if isinstance(exc, jinja2.TemplateNotFound):  # TemplatesNotFound too
        missing = exc.name or template
        needed = "" if missing == template else f": it needs template {missing!r}, which"
        return BuildError(
            f"{head}{needed or ': it'} is not in any templates folder{searched}. Dot-files, "
            "files in the output and files not ending in .html, .xml, .j2 or .jinja are never "
            f"read. Fix: put {missing} into templates_dir (or a theme_dir's templates/), or "
            "remove what refers to it; a missing built-in template means a broken install: "
            "reinstall replyarchive", _template_file(env, template) or template)
    source = _template_file(env, template)
    return BuildError(f"{head}: {exc}{searched}. Fix the template"
                      f"{f' ({source})' if source else ''}", source or template)


def load_templates(env: jinja2.Environment, names: Iterable[str]) -> None:
    """Compile ``names`` now (errors as BuildError), so forked workers inherit them compiled."""
    for name in names:
        try:
            env.get_template(name)
        except jinja2.TemplateError as exc:
            raise template_error(exc, name, name, env) from exc


def render_html(
    env: jinja2.Environment, rel_path: str, template: str, context: dict[str, Any]
) -> str:
    """Render ``template`` with ``context`` plus ``root`` for the page at ``rel_path``.

    ``root`` is the relative way back to the site root unless ``context`` sets its own.
    """
    try:
        return env.get_template(template).render({"root": root_for(rel_path), **context})
    except jinja2.TemplateError as exc:
        raise template_error(exc, template, rel_path, env) from exc


def table_rows(env: jinja2.Environment) -> Callable[[Any, str], Markup]:
    """``table_row(reply, root)`` for templates: a letter's row of ``reply_table``
    (``_row.html``), rendered once per letter and page depth however many tables list it (the
    list of all letters and each of its browse groups)."""
    rows: dict[tuple[str, str], Markup] = {}
    template: list[jinja2.Template] = []

    def table_row(reply: Any, root: str) -> Markup:
        key = (reply.id, root)
        row = rows.get(key)
        if row is None:
            if not template:
                template.append(env.get_template("_row.html"))
            row = rows[key] = Markup(template[0].render(r=reply, root=root))
        return row
    return table_row
