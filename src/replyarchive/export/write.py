"""``replyarchive export --db PATH``: the whole database, with its metadata beside it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from replyarchive.config import Config
from replyarchive.errors import BuildError
from replyarchive.export.database import database_bytes
from replyarchive.export.metadata import metadata
from replyarchive.records.model import Reply
from replyarchive.records.store import write_atomic


def metadata_path(db: Path) -> Path:
    """replies.db → replies.metadata.json (Datasette names the database after the file)."""
    return db.with_name(f"{db.stem}.metadata.json")


def export_database(replies: Sequence[Reply], db: Path, config: Config) -> tuple[int, Path]:
    """Write the database of ``replies`` (any size, in the order given: the site's reading
    order is ``render.model.newest_first``) to ``db`` and its Datasette metadata beside it,
    each atomically; return the database's size and the metadata's path."""
    if db.is_dir():
        raise BuildError("is a folder; give --db the path of a file, e.g. replies.db", db)
    data = database_bytes(replies, config.base)
    meta = metadata_path(db)
    try:
        write_atomic(db, data)
        text = json.dumps(metadata(config, db.stem), ensure_ascii=False, indent=1)
        write_atomic(meta, text + "\n")
    except OSError as exc:
        raise BuildError(f"cannot write the database ({exc.strerror}); give --db a path you "
                         "can write to", db) from exc
    return len(data), meta
