"""The distribution rule: 公开方式 and 抄送.

``公开方式：主动公开。`` → disclosure 主动公开; ``公开属性：不予公开``,
``信息公开选项：依申请公开``, ``（此件不予公开）`` likewise; ``抄送：a、b，c。`` → cc [a, b, c].
"""

from __future__ import annotations

import re

DISCLOSURE_LABEL = r"(?:信息)?公开(?:方式|属性|形式|类型|选项)"
"""公开方式 and the other labels a disclosure is printed under."""
_DISCLOSURE = re.compile(
    rf"{DISCLOSURE_LABEL}[：:]\s*([^。；;，,（）()\s]+)|此件((?:主动|依申请|不予|不)?公开(?:发布)?)"
)
_CC = re.compile(r"^(?:抄送|抄报)(?:单位)?[：:](.+)$")
_SPLIT = re.compile(r"[、，,；;]")


def parse_disclosure(text: str) -> str | None:
    """The 公开方式 value, without punctuation."""
    match = _DISCLOSURE.search(text)
    if not match:
        return None
    return (match.group(1) or match.group(2)).strip().rstrip(".")


def parse_cc(text: str) -> tuple[str, ...] | None:
    """The 抄送 units, or None when the line is no 抄送 line."""
    match = _CC.match(text)
    if not match:
        return None
    units = (unit.strip().rstrip("。.") for unit in _SPLIT.split(match.group(1)))
    return tuple(unit for unit in units if unit)
