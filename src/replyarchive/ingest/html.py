"""The web-page reader: the letter taken out of a portal page, without the page's chrome.

A portal page wraps the letter in navigation, breadcrumbs (当前位置), a 发布时间/来源/浏览次数
line, share bars, 附件下载, 打印/关闭窗口 and a footer with 网站标识码 and ICP numbers. The letter
is the block of the page whose own paragraphs hold the most Chinese text, counted with a bonus
for the letter's words (答复, 收悉, 提案, 建议, 委员, 代表); blocks not inside one another
that hold nearly as much, or that open as a reply does (…收悉, 现答复如下) however short, are
further letters on the page: taken too, in page order, each block's first line given to the
parser as a letter's start (``Extracted.letter_starts``), so a page's second letter is never
lost inside the first. Inside the blocks each paragraph (``<p>``, ``<div>``, ``<br>``, a table
row) becomes a line.

The page's 发布时间 (``<meta name="PubDate">`` or the 发布时间 line) and 来源 (``<meta
name="ContentSource">`` or the 来源 line, when it names a body, not 本网) are kept apart as
``Extracted.page_date`` and ``page_source``: the parser may use them for a letter that shows no
date or names no department, saying so; never over what the letter says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from replyarchive.errors import SourceError
from replyarchive.ingest.extracted import Extracted
from replyarchive.vocab.forms import NAME_ENDS, ends_with

_CJK = re.compile(r"[\u3400-\u9fff]")
_LETTER = re.compile(r"答复|回复|复函|收悉|提案|建议|委员|代表")
_CHARSET = re.compile(rb"""<meta[^>]{0,200}charset\s{0,3}=\s{0,3}["']?([A-Za-z0-9_-]{2,20})""",
                      re.I)
_PUBLISHED = re.compile(r"发布(?:时间|日期)\s{0,3}[:：]\s{0,3}(\d{4})\s{0,2}[-/.年]\s{0,2}(\d{1,2})"
                        r"\s{0,2}[-/.月]\s{0,2}(\d{1,2})")
_SOURCE = re.compile(r"(?<![\u4e00-\u9fff])(?:信息)?来源\s{0,3}[:：]\s{0,3}"
                     r"([\u4e00-\u9fff（）()]{2,40})")
_BODY = re.compile(f"{ends_with(NAME_ENDS)}$")
"""A 来源 that is a body's name (…局, …人民政府), not a site (本网, 本站, …网)."""
_BLOCKS = frozenset({"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table",
                     "section", "article", "blockquote", "pre", "ul", "ol", "center", "hr"})
_CHROME = frozenset({"script", "style", "noscript", "nav", "header", "footer", "form", "iframe",
                     "button", "select", "textarea", "svg", "template"})
_DATE_META = frozenset({"pubdate", "publishdate", "firstpublishedtime"})
_CONTAINERS = ("div", "td", "article", "section", "main", "body")
_NEARLY = 0.6
"""A second block holding at least this share of the best one's text is another letter."""
_OPENS = re.compile(r"收悉|(?:答复|回复|复函|函复|办理情况)如下")
"""Words of a reply's opening: a block holding them is a letter, however short."""
_SHORTEST = 30
"""Chinese characters a block needs to be a letter by its opening words."""


def read_html(data: bytes, file: Path) -> Extracted:
    """A portal page's letter text, one line per paragraph."""
    from selectolax.lexbor import LexborHTMLParser

    text, encoding = _decode(data, file)
    tree = LexborHTMLParser(text)
    page_date, page_source = _page_date(tree), _page_source(tree)
    for node in tree.css(",".join(sorted(_CHROME))):
        node.decompose()
    lines: list[str] = []
    starts: list[int] = []
    for block in _letter_blocks(tree):
        found = _lines(block)
        if lines and found:
            starts.append(len(lines) + 1)
        lines += found
    if not lines:
        raise SourceError("the web page holds no text (only its frame); save the page with the "
                          "letter in it, or its text as a .txt file", path=file)
    return Extracted("\n".join(lines) + "\n", reader="html", encoding=encoding,
                     page_date=page_date, page_source=page_source,
                     letter_starts=tuple(starts))


def _decode(data: bytes, file: Path) -> tuple[str, str]:
    """The page decoded by its declared charset, else as plain text is (UTF-8, GB18030)."""
    from replyarchive.ingest.text import decode

    declared = _CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        name = "gb18030" if name in {"gb2312", "gbk", "gb18030"} else name
        try:
            return data.decode(name).removeprefix("\ufeff"), name
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: decode as any text file
    return decode(data, file)


def _page_date(tree: Any) -> str | None:
    """The page's 发布时间 as YYYY-MM-DD, from its meta data or its 发布时间 line."""
    for node in tree.css("meta[name]"):
        if (node.attributes.get("name") or "").lower() in _DATE_META:
            found = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", node.attributes.get("content") or "")
            if found:
                return "{}-{:0>2}-{:0>2}".format(*found.groups())
    body = tree.body.text(separator=" ") if tree.body is not None else ""
    found = _PUBLISHED.search(body)
    return "{}-{:0>2}-{:0>2}".format(*found.groups()) if found else None


def _page_source(tree: Any) -> str | None:
    """The page's 来源 when it names a body, from its meta data or its 来源 line."""
    found = [node.attributes.get("content") or "" for node in tree.css("meta[name]")
             if (node.attributes.get("name") or "").lower() == "contentsource"]
    body = tree.body.text(separator=" ") if tree.body is not None else ""
    found += [match.group(1) for match in _SOURCE.finditer(body)]
    return next((name.strip() for name in found if _BODY.search(name.strip())), None)


def _letter_blocks(tree: Any) -> list[Any]:
    """The blocks that hold the letter (see the module's docstring), in page order."""
    scored = [(score, node) for node in tree.css(",".join(_CONTAINERS))
              if (score := _score(node)) > 0]
    if not scored:
        return [tree.body] if tree.body is not None else []
    best = max(score for score, _ in scored)
    chosen: list[Any] = []
    for score, node in sorted(scored, key=lambda item: -item[0]):
        if (score >= best * _NEARLY or _opens_a_reply(node)) and not any(
                _inside(node, c) or _inside(c, node) for c in chosen):
            chosen.append(node)
    order = {node.mem_id: index for index, node in enumerate(tree.css(",".join(_CONTAINERS)))}
    return sorted(chosen, key=lambda node: order[node.mem_id])


def _score(node: Any) -> float:
    """Chinese characters in the block's own paragraphs (its text and its children that are
    not themselves containers), more for the letter's words."""
    own = "".join(_own_text(node))
    return len(_CJK.findall(own)) * (1 + min(len(_LETTER.findall(own)), 10) / 10)


def _opens_a_reply(node: Any) -> bool:
    own = "".join(_own_text(node))
    return len(_CJK.findall(own)) >= _SHORTEST and _OPENS.search(own) is not None


def _own_text(node: Any) -> Iterator[str]:
    child = node.child
    while child is not None:
        if child.tag == "-text":
            yield child.text_content or ""
        elif child.tag not in _CONTAINERS:
            yield child.text(separator="")
        child = child.next


def _inside(node: Any, outer: Any) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id == outer.mem_id:
            return True
        parent = parent.parent
    return False


def _lines(block: Any) -> list[str]:
    """The block's text, a line per paragraph, blank ones dropped."""
    parts: list[str] = []
    _walk(block, parts)
    lines = "".join(parts).split("\n")
    return [" ".join(line.split()) for line in lines if line.strip()]


def _walk(node: Any, parts: list[str]) -> None:
    child = node.child
    while child is not None:
        tag = child.tag
        if tag == "-text":
            parts.append((child.text_content or "").replace("\n", " "))
        elif tag in _BLOCKS:
            parts.append("\n")
            _walk(child, parts)
            parts.append("\n")
        elif tag in {"td", "th"}:
            parts.append("　")
            _walk(child, parts)
        elif not tag.startswith("-"):
            _walk(child, parts)
        child = child.next
