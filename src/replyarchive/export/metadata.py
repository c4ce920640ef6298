"""Datasette's ``metadata.json`` for the database: titles, descriptions, facets, licence.

``datasette replies.db -m metadata.json`` then opens a browsable archive: each table described,
faceted by department, kind, year and adoption, and searchable (``sections_fts``).
"""

from __future__ import annotations

from typing import Any

from replyarchive.config import Config
from replyarchive.export.database import FTS_TABLE

_TABLES: dict[str, dict[str, Any]] = {
    "replies": {
        "title": "答复", "description": "每件答复的函一行：文号、承办单位、会议届次、提出人等。",
        "facets": ["department", "kind_label", "year", "category", "session"],
        "sort_desc": "date", "label_column": "title",
    },
    "sections": {
        "title": "答复正文各部分",
        "description": "答复正文按“一、”“（一）”“1.”分级的每一部分；folded 是按站内搜索的规则"
                       "（繁体转简体、全角转半角、小写）折叠的标题和正文，全文检索针对它。"
                       "三个字及以上用全文检索，一两个字请用 folded LIKE '%词%'。",
        "facets": ["adoption_status", "level"], "fts_table": FTS_TABLE, "fts_pk": "rowid",
        "label_column": "title",
    },
    "proposers": {"title": "提出人", "description": "每件答复的提出人，按来函顺序。",
                  "facets": ["name"]},
    "co_handlers": {"title": "会办单位", "description": "每件答复综合了其意见的会办单位。",
                    "facets": ["name"]},
    "contacts": {"title": "联系人", "description": "每件答复所附的联系人及电话。"},
}


def metadata(config: Config, database: str = "replies") -> dict[str, Any]:
    """The metadata of the database file named ``<database>.db``."""
    return {
        "title": config.title,
        "description": config.description,
        "license": config.data_license,
        "license_url": config.data_license_url,
        "source": config.title,
        "source_url": config.base,
        "databases": {database: {"title": config.title, "description": config.description,
                                 "tables": _TABLES}},
    }
