"""Datasette (a dev dependency) serves the database in-process, with its metadata."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from tests.render.conftest import load_records

from replyarchive.config import Config
from replyarchive.export.write import export_database

datasette_app = pytest.importorskip("datasette.app")


def _get(db: Path, meta: Path, path: str) -> tuple[int, Any]:
    metadata = json.loads(meta.read_text(encoding="utf-8"))
    ds = datasette_app.Datasette([str(db)], metadata=metadata)

    async def fetch() -> tuple[int, Any]:
        response = await ds.client.get(path)
        return response.status_code, response.json()
    # A thread of its own: a browser test's event loop may still be running in this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, fetch()).result()


def test_datasette_serves_the_replies_table_and_searches_sections(tmp_path: Path) -> None:
    records = load_records()
    db = tmp_path / "replies.db"
    _, meta = export_database(records, db, Config(base_url="https://archive.example.org/"))
    status, body = _get(db, meta, "/replies/replies.json?_shape=array")
    assert status == 200
    assert sorted(row["id"] for row in body) == sorted(r.id for r in records)
    section = next(s for r in records for s in r.all_sections() if len(s.title) >= 4)
    query = f"/replies/sections.json?_shape=array&_search={section.title[:4]}"
    status, body = _get(db, meta, query)
    assert status == 200 and section.id in {row["anchor"] for row in body}
    status, body = _get(db, meta, "/-/metadata.json")
    assert body["databases"]["replies"]["tables"]["replies"]["facets"]
