"""Nothing of a letter is lost without a word: every line ends up in the record, in a field,
as text where it stood, or quoted in a warning.

The rule, checked over every letter in the repository (seeds/, tests/hostile/ and every
tests/fixtures/**/*.txt letter that gives a record):

- Canonical form, on both sides: NFKC, then whitespace and format characters (Unicode Cf)
  removed.
- Each source line loses its labels (``LABELS``: 联系人, 电话, 文号, 签发人, 公开方式, 抄送…;
  and 文件 ending a letterhead line), then is cut into pieces at every punctuation or symbol
  character (Unicode categories P and S).
- The record's text is every text value of every record made from the file (every field,
  the warnings included; not ``id``, ``source`` or ``schema_version``), plus the printed forms
  of the values the parser normalises: the date as YYYY年M月D日 in digits and in Chinese
  numerals, the category X as X类.
- Every piece of every line must occur in the record's text. Exempt are only the marks of the
  printed page the normaliser drops by design: page numbers (第2页, 2/5) and seal marks
  (（盖章）, 印章) alone on their line.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from replyarchive.errors import ReplyArchiveError
from replyarchive.ingest.sources import read_source
from replyarchive.normalize import normalize_letter
from replyarchive.parse import parse_letters, parse_source
from replyarchive.records.model import Reply

ROOT = Path(__file__).resolve().parents[2]
LETTERS = sorted(
    [*ROOT.glob("seeds/*.txt"), *ROOT.glob("tests/hostile/*.txt"),
     *(p for p in ROOT.glob("tests/fixtures/**/*.txt") if p.parent.name != "normalize")]
)
LABELS = re.compile(
    "联系人及联系电话|联系人及电话|联系单位及电话|联系人|联系电话|联系方式|联系单位|办公电话|电话|手机"
    "|电子邮箱|邮箱|文号|签发人|公开方式|公开属性|信息公开选项|抄送|抄报|办复类别|答复类别|类别|办理结果"
    "|主办单位|协办单位|会办单位|承办人|经办人|文件$"
)
_PAGE_MARK = re.compile(
    r"^\W*(?:第\d{1,3}页(?:共\d{1,3}页)?|\d{1,3}(?:/\d{1,3})?|(?:单位)?(?:盖章|印章|公章|签章)处?)\W*$"
)
_CN = "〇一二三四五六七八九"
_SKIP = {"id", "source", "schema_version"}


def canonical(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")


def pieces(line: str) -> list[str]:
    """The line's pieces: labels cut out, split at punctuation and symbols."""
    text = LABELS.sub(" ", canonical(line))
    cut = "".join(" " if unicodedata.category(ch)[0] in "PS" else ch for ch in text)
    return cut.split()


def _cn_number(n: int) -> str:
    tens, ones = divmod(n, 10)
    return ("" if tens < 2 else _CN[tens]) + ("十" if tens else "") + (_CN[ones] if ones else "")


def printed_dates(iso: str) -> list[str]:
    year, month, day = (int(part) for part in iso.split("-"))
    forms = [f"{year}年{month}月{day}日"]
    for zero in "〇零○":
        digits = "".join(_CN[int(d)] for d in str(year)).replace("〇", zero)
        forms.append(f"{digits}年{_cn_number(month)}月{_cn_number(day)}日")
    return forms


def _values(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in _SKIP:
                yield from _values(item)
    elif isinstance(value, list):
        for item in value:
            yield from _values(item)
    elif value is not None:
        yield str(value)


def record_text(replies: tuple[Reply, ...]) -> str:
    parts: list[str] = []
    for reply in replies:
        parts += _values(reply.to_dict())
        parts += printed_dates(reply.date) if reply.date else []
        parts += [f"{reply.category}类"] if reply.category else []
    return canonical("\n".join(parts))


def lost(path: Path) -> list[str]:
    """Every line of the letter with a piece the record does not hold, with those pieces."""
    try:
        src = read_source(path, path.parent)
        replies = parse_letters(normalize_letter(src.text), src)
    except ReplyArchiveError:
        return []  # no record: the error names the file (tests/parse/test_hostile.py)
    return missing(src.text, replies, path.name)


def missing(source: str, replies: tuple[Reply, ...], name: str) -> list[str]:
    text = record_text(replies)
    out = []
    for number, line in enumerate(re.split(r"\r\n|\r|\n", source), 1):
        absent = [piece for piece in pieces(line) if piece not in text]
        if absent and not _PAGE_MARK.match(canonical(line)):
            out.append(f"{name}:{number}: {absent} of {line.strip()[:60]!r}")
    return out


@pytest.mark.parametrize("path", LETTERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_line_of_every_letter_is_in_its_record(path: Path) -> None:
    assert lost(path) == []


def test_the_rule_catches_a_dropped_line() -> None:
    """The check can fail: a record without its closing misses the closing's line."""
    path = ROOT / "seeds" / "003_97f765a9b187815b.txt"
    src = read_source(path, path.parent)
    reply = parse_source(src)
    assert missing(src.text, (reply,), "x") == []
    [line] = missing(src.text, (dataclasses.replace(reply, closing=()),), "x")
    assert line.startswith("x:51: ") and "专此答复" in line


def test_a_character_xml_forbids_is_dropped_and_the_record_says_where(tmp_path: Path) -> None:
    text = (ROOT / "seeds" / "003_97f765a9b187815b.txt").read_text("utf-8")
    letter = tmp_path / "x.txt"
    letter.write_text(text.replace("收悉", "收\uffff悉", 1), "utf-8")
    reply = parse_source(read_source(letter, tmp_path))
    assert "\uffff" not in str(reply.to_dict())
    [warning] = [w for w in reply.warnings if "U+FFFF" in w]
    assert warning.startswith("line 11: removed U+FFFF")
