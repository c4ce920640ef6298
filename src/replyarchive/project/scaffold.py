"""``replyarchive new DIR``: a folder ready to build an archive in, as ``mkdocs new`` makes one.

It holds ``replyarchive.toml`` (the built-in commented settings, with ``input`` set to
``letters`` and ``content_dir`` to ``content``), an empty ``letters/`` with a short note for the
staff who fill it, ``content/`` with the built-in about and how-to-cite pages to edit, and a
``.gitignore`` for what builds leave. ``replyarchive build`` in the folder then needs no flags.
"""

from __future__ import annotations

from pathlib import Path

from replyarchive.config import BUILTIN_THEME, CONFIG_NAME
from replyarchive.errors import BuildError
from replyarchive.folders import CONTENT_SUFFIXES, Private, theme_files
from replyarchive.records.store import write_atomic

LETTERS = "letters"
"""The folder the letters go in (the new project's ``input``)."""
CONTENT = "content"
"""The folder of the new project's own Markdown pages (its ``content_dir``)."""
SETTINGS = {"input": LETTERS, "content_dir": CONTENT}
"""Settings the built-in file has commented out that a new project sets."""

NOTE = """\
# 来函放在这里 / Letters go here

每件答复的函存为一个 .txt 文件放入本文件夹（可以分子文件夹）：从 PDF 复制或提取的文字，
UTF-8、GBK/GB18030 或 UTF-16 编码均可。然后在上一级文件夹运行 `replyarchive build`，
用 `replyarchive serve` 预览，把生成的 site/ 文件夹上传到网站。不能读取的来函会以
“文件:行: 怎么改” 报告并跳过，其余照常生成。本说明文件（.md）不会被当作来函。

Put each reply letter here as one .txt file (subfolders are fine): text copied or extracted
from the PDF, in UTF-8, GBK/GB18030 or UTF-16. Then run `replyarchive build` in the folder
above, preview with `replyarchive serve`, and upload site/. A letter that cannot be read is
reported as `file:line: what to do` and left out; the others still build. This note (.md) is
not read as a letter.
"""

GITIGNORE = """\
# What builds leave beside the project: the site, its copies, and the parse cache.
/site/
/site.*/
/.site.spare/
/.replyarchive-cache/
"""


def starter_config(theme: Path = BUILTIN_THEME) -> str:
    """The built-in commented replyarchive.toml with ``SETTINGS`` switched on."""
    path = theme / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BuildError(f"cannot read the built-in settings ({exc.strerror}); reinstall "
                         "replyarchive", path) from exc
    lines = text.splitlines(keepends=True)
    for key, value in SETTINGS.items():
        at = [i for i, line in enumerate(lines) if line.startswith(f"# {key} = ")]
        if len(at) != 1:
            raise BuildError(f"the built-in settings do not have one commented `{key} =` line; "
                             "reinstall replyarchive", path)
        lines[at[0]] = f'{key} = "{value}"\n'
    return "".join(lines)


def _plan(theme: Path) -> dict[str, str | bytes]:
    """Path in the new folder → what it holds."""
    pages = theme_files(theme / CONTENT, Private(), CONTENT_SUFFIXES, nested=False)
    if not pages:
        raise BuildError("the built-in theme has no content pages; reinstall replyarchive",
                         theme / CONTENT)
    return {CONFIG_NAME: starter_config(theme), ".gitignore": GITIGNORE,
            f"{LETTERS}/README.md": NOTE,
            **{f"{CONTENT}/{name}": path.read_bytes() for name, path in pages}}


def new_project(folder: Path, theme: Path = BUILTIN_THEME) -> list[Path]:
    """Write a new project into ``folder`` (made if missing); return the files written, in
    order. Raises BuildError, having written nothing, if any of them is already there."""
    plan = _plan(theme)
    there = [name for name in plan if (folder / name).exists() or (folder / name).is_symlink()]
    if there:
        raise BuildError(f"already holds {', '.join(there)}; nothing was written. Choose a new "
                         "or empty folder, or edit that project", folder)
    written = []
    try:
        for name, data in plan.items():
            write_atomic(folder / name, data)
            written.append(folder / name)
    except OSError as exc:
        raise BuildError(f"cannot write the new project ({exc.strerror}); choose a folder you "
                         "can write to", folder) from exc
    return written
