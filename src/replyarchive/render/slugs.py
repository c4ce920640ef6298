"""ASCII, path-safe slugs for browse pages (departments, proposers, sessions).

A name becomes its pinyin, lowercase, words joined by ``-``; anything outside ``[a-z0-9-]`` is
dropped, so a slug can never climb out of its folder. Long or empty results fall back to a
stable hash, and clashes between different names get a short hash suffix.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from replyarchive.vocab.pinyin import Pinyin

MAX_SLUG = 48
_UNSAFE = re.compile(r"[^a-z0-9]+")


def _digest(name: str, size: int = 8) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:size]


def slugify(name: str, pinyin: Pinyin | None = None) -> str:
    """临江市农业农村局 → lin-jiang-shi-nong-ye-nong-cun-ju (ASCII, safe in a path); ``pinyin``:
    the readings already made (else pypinyin reads it)."""
    words = (_UNSAFE.sub("-", part.lower()).strip("-") for part in (pinyin or Pinyin()).words(name))
    slug = "-".join(word for word in words if word)
    if not slug:
        return "x-" + _digest(name)
    if len(slug) > MAX_SLUG:
        return slug[:MAX_SLUG].rstrip("-") + "-" + _digest(name)
    return slug


def slug_map(names: Iterable[str], pinyin: Pinyin | None = None) -> dict[str, str]:
    """A slug for every distinct name; two names with the same slug both get a hash suffix."""
    distinct = sorted(set(names))
    pinyin = pinyin or Pinyin()
    by_slug: dict[str, list[str]] = {}
    for name in distinct:
        by_slug.setdefault(slugify(name, pinyin), []).append(name)
    out: dict[str, str] = {}
    for slug, group in by_slug.items():
        for name in group:
            out[name] = slug if len(group) == 1 else f"{slug}-{_digest(name, 6)}"
    return out
