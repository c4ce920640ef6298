"""Site configuration: one TOML file (``replyarchive.toml``) with sensible defaults.

Every key is optional and lives in the ``[site]`` table (a file without that table may put the
keys at the top). Relative folders are resolved against the folder holding the file. Like
mkdocs' ``Config.validate``, every problem is collected first and reported at once, each with
its key, its line and what the key allows; an unknown key or table is an error, because a
misspelt key would otherwise quietly fall back to its default.

To add a setting, add a field with ``metadata=_rule(allowed, check)``: ``allowed`` is what
the messages and replyarchive.toml say the key takes, ``check`` turns the TOML value into the
field's value or says what is wrong with it.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from replyarchive.errors import BuildError
from replyarchive.folders import Private

CONFIG_NAME = "replyarchive.toml"
THEME_PACKAGE = "_theme"
"""The folder in the installed package that holds the built-in theme (put there when the wheel
is built: see setup.py)."""


def _builtin_theme() -> Path:
    """The built-in templates/, static/ and content/: in the installed package, else in the
    checkout this module runs from (an editable install or PYTHONPATH=src)."""
    here = Path(__file__).resolve()
    packaged = here.parent / THEME_PACKAGE
    return packaged if (packaged / "templates").is_dir() else here.parents[2]


BUILTIN_THEME = _builtin_theme()
"""The folder holding the built-in templates/, static/ and content/."""

Check = Callable[[Any, Path], "tuple[Any, str | None]"]
"""check(value, project folder) → (the field's value, None) or (None, what is wrong)."""


def _rule(allowed: str, check: Check) -> dict[str, Any]:
    """A field's metadata: what the key allows (in plain words) and its check."""
    return {"allowed": allowed, "check": check}


def _text(value: Any, _: Path) -> tuple[Any, str | None]:
    if not isinstance(value, str):
        return None, "is not text"
    if re.search(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]", value):
        return None, "holds a control character"
    return value, None


def _title(value: Any, project: Path) -> tuple[Any, str | None]:
    text, problem = _text(value, project)
    return (None, "is empty") if problem is None and not text.strip() else (text, problem)


def _count(value: Any, _: Path) -> tuple[Any, str | None]:
    if type(value) is not int:  # bool is an int subclass: true is not a count
        return None, "is not a whole number"
    return (value, None) if 0 <= value <= 1000 else (None, "is out of range")


_URL_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f\"'<>`\\{}|^]")


def _flag(value: Any, _: Path) -> tuple[Any, str | None]:
    return (value, None) if isinstance(value, bool) else (None, "is not true or false")


def _url(value: Any, _: Path) -> tuple[Any, str | None]:
    if not isinstance(value, str):
        return None, "is not text"
    if _URL_UNSAFE.search(value):
        return None, "holds a space, quote or other character a URL cannot have"
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number 0-65535
    except ValueError:
        return None, "has a bad port"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None, "is not an absolute http:// or https:// address with a host"
    if parts.username is not None or parts.query or parts.fragment or "?" in value or "#" in value:
        return None, "has a user name, query or fragment"
    return value, None


def _folder(value: Any, project: Path) -> tuple[Any, str | None]:
    if not isinstance(value, str) or not value.strip():
        return None, "is not a folder name"
    path = (project / value).resolve()
    if not path.exists():
        return None, f"names {path}, which does not exist"
    if not path.is_dir():
        return None, f"names {path}, which is not a folder"
    return path, None


def _theme(value: Any, project: Path) -> tuple[Any, str | None]:
    path, problem = _folder(value, project)
    if problem is None and not (path / "templates").is_dir():
        return None, f"names {path}, which has no templates/ folder"
    return path, problem


def _static(value: Any, project: Path) -> tuple[Any, str | None]:
    path, problem = _folder(value, project)
    if problem is None and (path == project.resolve() or path in project.resolve().parents):
        return None, (f"names {path}, the project folder or one above it (its letters, "
                      "configuration and cache would be published)")
    return path, problem


def _inputs(value: Any, project: Path) -> tuple[Any, str | None]:
    names = [value] if isinstance(value, str) else value
    if (not isinstance(names, list) or not names
            or not all(isinstance(name, str) and name.strip() for name in names)):
        return None, "is not a folder name nor a list of them"
    paths = tuple((project / name).resolve() for name in names)
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        return None, f"names {', '.join(missing)}, which does not exist"
    return paths, None


_FOLDER = "a folder, relative to this file's folder, that exists"


@dataclass(frozen=True, slots=True)
class Config:
    """What a site build needs besides the records."""

    title: str = field(default="建议提案答复档案", metadata=_rule("text, not empty", _title))
    """站点名称, shown in every page header and the feed."""
    description: str = field(
        default="人大代表建议和政协提案答复的函：按单位、届次、年份浏览，全文检索，逐段引用。",
        metadata=_rule("text", _text))
    """One sentence describing the archive (meta description, feed subtitle)."""
    base_url: str = field(default="https://example.org/", metadata=_rule(
        "an absolute http:// or https:// address with a host and no query or fragment, "
        'e.g. "https://archive.example.gov.cn/replies/"', _url))
    """Absolute address the site is published at: feed.xml, sitemap.xml, citations."""
    footer: str = field(default="本档案收录公开的答复的函，内容以各承办单位正式发文为准。",
                        metadata=_rule("text", _text))
    """Footer line of every page."""
    latest_count: int = field(default=10, metadata=_rule("a whole number from 0 to 1000", _count))
    """How many of the newest replies the home page lists."""
    publish_restricted: bool = field(default=False, metadata=_rule("true or false", _flag))
    """Publish letters whose 公开方式 is 不予公开 or 依申请公开 (left out by default)."""
    data_license: str = field(default="CC0-1.0", metadata=_rule("text", _text))
    """Licence of the open data (data/metadata.json, the data page), e.g. CC0-1.0."""
    data_license_url: str = field(
        default="https://creativecommons.org/publicdomain/zero/1.0/",
        metadata=_rule("an absolute http:// or https:// address with a host", _url))
    """Where the data licence's text is."""
    theme_dir: Path = field(default=BUILTIN_THEME,
                            metadata=_rule(f"{_FOLDER} and holds templates/", _theme))
    """Folder holding the built-in templates/, static/ and content/."""
    templates_dir: Path | None = field(default=None, metadata=_rule(_FOLDER, _folder))
    """A user's own templates; any template found here overrides the built-in one."""
    content_dir: Path | None = field(default=None, metadata=_rule(_FOLDER, _folder))
    """Markdown pages (about, how to cite); defaults to theme_dir/content."""
    static_dir: Path | None = field(default=None, metadata=_rule(
        f"{_FOLDER}, not the project folder nor one above it", _static))
    """Extra static files copied over the built-in static/ (same name wins)."""
    input: tuple[Path, ...] = field(default=(), metadata=_rule(
        "a folder (or .txt file) of letters, or a list of them, relative to this file's "
        'folder, that exist, e.g. "letters"', _inputs))
    """Where ``replyarchive build`` reads letters when no --input is given (else seeds/)."""
    private: Private = field(default=Private())
    """Not a setting: what this build never publishes nor reads templates from (its output,
    inputs and cache); see ``for_build``."""
    cache: Path | None = None
    """Not a setting: the build's cache folder, where it keeps what the next build may reuse
    (the compiled templates); see ``for_build``."""

    def for_build(self, out: Path, inputs: Sequence[Path] = (),
                  cache: Path | None = None) -> Config:
        """This configuration for a build into ``out`` from ``inputs`` with ``cache``."""
        folders = [*inputs, *([cache] if cache is not None else [])]
        private = self.private.with_folders([out], folders)
        cache = self.cache if cache is None else cache
        if private == self.private and cache == self.cache:
            return self
        return replace(self, private=private, cache=cache)

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


_KEYS = {f.name: f for f in fields(Config) if "check" in f.metadata}


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """One thing wrong in the configuration."""

    key: str
    """The key (or table) it is about."""
    message: str
    """What is wrong and what is allowed."""
    line: int | None = None
    """Line in the file, when known."""


def _toml(value: Any) -> str:
    """A value as it is written in TOML, for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def _lines(text: str) -> dict[tuple[str, str], int]:
    """(table, key) → line of its assignment, for messages (tomllib gives no positions)."""
    found: dict[tuple[str, str], int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):  # a table header, [site] or [[site]]
            table = stripped.strip("[").split("]")[0].strip().strip("\"'")
            found.setdefault(("", table), number)
            continue
        key = re.match(r"""\s*["']?([A-Za-z0-9_-]+)["']?\s*=""", line)
        if key:
            found.setdefault((table, key.group(1)), number)
    return found


def _unknown(key: str) -> str:
    near = difflib.get_close_matches(key, _KEYS, n=1, cutoff=0.5)
    hint = f"did you mean {near[0]}? " if near else ""
    return f"{key}: unknown key; {hint}known keys: {', '.join(_KEYS)}"


def validate(data: dict[str, Any], project: Path,
             lines: dict[tuple[str, str], int] | None = None
             ) -> tuple[dict[str, Any], list[ConfigProblem]]:
    """Every setting's value and every problem of a parsed file (mkdocs' Config.validate)."""
    lines = lines or {}
    problems: list[ConfigProblem] = []
    table, settings = "", data
    if "site" in data:
        table, settings = "site", data["site"]
        if not isinstance(settings, dict):
            return {}, [ConfigProblem("site", "must be a table: write [site] on a line of its "
                                      "own, then the keys below it", lines.get(("", "site")))]
        for key in sorted(set(data) - {"site"}):
            where = "a table" if isinstance(data[key], dict) else "a key"
            problems.append(ConfigProblem(key, f"{key}: {where} outside [site], where nothing is "
                                          "read: move it below the [site] line",
                                          lines.get(("", key))))
    values: dict[str, Any] = {}
    for key, value in settings.items():
        line = lines.get((table, key))
        spec = _KEYS.get(key)
        if spec is None:
            problems.append(ConfigProblem(key, _unknown(key), line))
            continue
        converted, problem = spec.metadata["check"](value, project)
        if problem is None:
            values[key] = converted
        else:
            problems.append(ConfigProblem(key, f"{key} = {_toml(value)} {problem}; allowed: "
                                          f"{spec.metadata['allowed']}", line))
    return values, problems


def _raise(problems: list[ConfigProblem], path: Path | None) -> None:
    where = str(path) if path is not None else CONFIG_NAME
    problems = sorted(problems, key=lambda p: p.line or 0)
    listed = "\n".join(f"  {where}:{p.line}: {p.message}" if p.line else f"  {where}: {p.message}"
                       for p in problems)
    count = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
    raise BuildError(f"the configuration has {count}; nothing was built. Fix:\n{listed}", path)


def _read(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise BuildError("no such configuration file; check --config", path) from exc
    except OSError as exc:
        raise BuildError(f"cannot read the configuration ({exc.strerror})", path) from exc
    try:
        return raw.decode("utf-8-sig")  # a BOM, as Windows Notepad writes, is fine
    except UnicodeDecodeError as exc:
        raise BuildError(f"the configuration is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset "
                         f"{exc.start}); save it as UTF-8", path) from exc


def load_config(path: Path | None = None) -> Config:
    """Read ``path`` (or ./replyarchive.toml if present); raise BuildError listing every
    problem (unknown keys included)."""
    import tomllib

    if path is None:
        default = Path.cwd() / CONFIG_NAME
        if not default.is_file():
            return Config()
        path = default
    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise BuildError(f"not valid TOML: {exc}; see https://toml.io", path,
                         int(line.group(1)) if line else None) from exc
    values, problems = validate(data, path.parent, _lines(text))
    if problems:
        _raise(problems, path)
    return replace(Config(), **values)


def config_from_dict(data: dict[str, Any], path: Path | None = None) -> Config:
    """Build a Config from a mapping; paths are relative to ``path``'s folder."""
    values, problems = validate(data, path.parent if path else Path.cwd())
    if problems:
        _raise(problems, path)
    return replace(Config(), **values)


def check_folders(config: Config, out: Path) -> None:
    """Refuse a folder setting that would read the site being replaced: templates_dir,
    content_dir or static_dir in the output (or a copy of it), or static_dir holding it."""
    site = Private((out.resolve(),))
    problems = []
    for key in ("templates_dir", "content_dir", "static_dir"):
        folder = getattr(config, key)
        if folder is not None and site.holds(Path(folder).resolve()):
            problems.append(f"{key} ({folder}) is in the output folder, which each build "
                            "replaces")
    static = config.static_dir
    if static is not None and Path(static).resolve() in out.resolve().parents:
        problems.append(f"static_dir ({static}) holds the output folder: the site would be "
                        "published inside itself")
    if problems:
        raise BuildError("; ".join(problems) + ". Choose a folder beside the output, or another "
                         "--out", out)
