"""The Word readers: .docx with python-docx; old binary .doc and .wps through LibreOffice.

A .docx already holds paragraphs, not printed lines: each paragraph becomes one line of text
(a manual line break inside it stays a line break), in document order with the tables, whose
rows become lines of their cells (a contact table's ``联系人 | 张三`` reads ``联系人：张三``);
a row of one cell (a letter laid out in a table) gives the cell's paragraphs, each a line.
Text boxes are read where they stand. Headers and footers (``— 1 —``, running titles) are set
aside: they are page furniture, not the letter. Empty paragraphs (spacers) go.

A .doc or .wps is converted to .docx by ``soffice --headless --convert-to docx`` when
LibreOffice is installed; otherwise it is an error naming the package to install.
"""

from __future__ import annotations

import io
import itertools
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from replyarchive.errors import SourceError
from replyarchive.ingest.extracted import Extracted

_LABEL = re.compile(
    r"^[\u4e00-\u9fff]{0,6}(?:人|电话|手机|传真|邮箱|地址|单位|邮编|方式|科室|处室)$")
"""A table cell that is a label (联系人, 联系电话, 办理单位): joined to the next by ：."""
_CONVERT_SECONDS = 120
_NO_SOFFICE = ("this is an old binary Word/WPS file, read by converting it with LibreOffice, "
               "which is not installed: install it (Debian/Ubuntu: apt-get install "
               "libreoffice-writer) or save the letter as .docx, and run again")


def read_docx(data: bytes, file: Path, reader: str = "docx") -> Extracted:
    """A Word .docx's paragraphs and tables as the letter's text."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, XMLSyntaxError, KeyError, ValueError,
            OSError) as exc:
        raise SourceError(f"cannot open the Word file ({exc}); it is broken, password-"
                          "protected or no .docx: save it again from Word or WPS (without a "
                          "password) and run again", path=file) from exc
    lines = [line for line in _blocks(document) if line.strip()]
    if not lines:
        raise SourceError("the Word file holds no text (headers and footers aside); put the "
                          "letter in it or remove it", path=file)
    return Extracted("\n".join(lines) + "\n", reader=reader)


def _blocks(document: Any) -> Iterator[str]:
    """The body's (or a cell's) paragraphs and table rows, in document order."""
    from docx.table import Table

    for item in document.iter_inner_content():
        if isinstance(item, Table):
            yield from _rows(item)
        else:
            yield from _boxes(item)
            yield item.text


def _cells(row: Any) -> list[Any]:
    """The row's cells, a cell merged across columns once."""
    cells: list[Any] = []
    for cell in row.cells:
        if not any(cell._tc is seen._tc for seen in cells):
            cells.append(cell)
    return cells


def _boxes(paragraph: Any) -> Iterator[str]:
    """The paragraphs of the text boxes anchored in ``paragraph``, each once (Word stores a
    box twice: as DrawingML and as a VML fallback)."""
    seen: set[str] = set()
    for box in paragraph._p.xpath(".//w:txbxContent//w:p"):
        text = "".join(box.xpath(".//w:t/text()"))
        if text.strip() and text not in seen:
            seen.add(text)
            yield text


def _rows(table: Any) -> Iterator[str]:
    """A table's rows as lines of their cells; a row of one cell (a table Word or WPS lays a
    letter or its 抄送 block out in) as the cell's own paragraphs and tables."""
    for row in table.rows:
        whole = _cells(row)
        if len(whole) == 1:
            yield from _blocks(whole[0])
            continue
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
            if text and (not cells or cells[-1] != text):  # a merged cell repeats
                cells.append(text)
        line = cells[0] if cells else ""
        for before, cell in itertools.pairwise(cells):
            line += ("：" if _LABEL.match(before) else "　") + cell
        yield line


def read_doc(data: bytes, file: Path) -> Extracted:
    """An old .doc/.wps: converted to .docx by LibreOffice, then read as one."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SourceError(_NO_SOFFICE, path=file)
    with tempfile.TemporaryDirectory(prefix="replyarchive-doc-") as folder:
        source = Path(folder) / f"letter{file.suffix.lower() or '.doc'}"
        source.write_bytes(data)
        try:
            subprocess.run([soffice, "--headless", "--convert-to", "docx", "--outdir", folder,
                            str(source)], capture_output=True, timeout=_CONVERT_SECONDS,
                           check=True)
            converted = (Path(folder) / "letter.docx").read_bytes()
        except (subprocess.SubprocessError, OSError) as exc:
            raise SourceError(f"LibreOffice could not convert the file ({type(exc).__name__});"
                              " open it in Word or WPS, save it as .docx and run again",
                              path=file) from exc
    return read_docx(converted, file, reader="doc-soffice")
