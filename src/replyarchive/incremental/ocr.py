"""OCR before the parse: the cache of OCRed pages, and the scans' pages on every core.

OCR is the slow step of reading a scan (seconds a page), so what it reads is kept apart from
the parse cache: one sealed JSON entry per file's bytes and OCR settings
(``ocr.cache_key``: RapidOCR's version, resolution, the OCR layout version), under
``<cache>/ocr/``. A new parser re-parses a scan from its cached pages without OCR; a rebuild
with nothing changed does not even get that far (the parse cache holds the file).

``ocr_scans`` runs first on the files the parse cache does not hold: the PDFs whose first page
has no text (scans) and whose pages are not cached yet have their pages OCRed in a pool of
worker processes (a page a job, so one long scan uses both cores too), with progress reported
in this process, and stored. The parse then reads every scan's pages from the cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from concurrent.futures import as_completed
from pathlib import Path
from typing import Any

from replyarchive.incremental.cache import DEFAULT_DIR, unseal, write_sealed
from replyarchive.incremental.parallel import worker_pool
from replyarchive.ingest.formats import HEAD, sniff
from replyarchive.ingest.ocr import (
    OcrPage,
    OcrRun,
    OcrSettings,
    available,
    cache_key,
    ocr_page,
    page_count,
)
from replyarchive.ingest.sources import InputFile


class OcrCache:
    """OCRed pages under ``folder``/ocr, one sealed entry per file's bytes and settings."""

    def __init__(self, folder: Path = DEFAULT_DIR) -> None:
        self.folder = folder / "ocr"

    def _path(self, key: str) -> Path:
        digest = hashlib.sha256(key.encode()).hexdigest()
        return self.folder / digest[:2] / f"{digest}.json"

    def load(self, key: str) -> list[OcrPage] | None:
        """The pages stored under ``key``; None when none are (or the entry is damaged)."""
        try:
            data = unseal(self._path(key).read_bytes())
            if data["key"] != key:
                raise ValueError("another key")
            return [OcrPage.from_data(page) for page in data["pages"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def store(self, key: str, pages: Sequence[OcrPage]) -> None:
        write_sealed(self._path(key), {"key": key, "pages": [p.to_data() for p in pages]})


DEFAULT = OcrSettings()


class HeldPages:
    """OCRed pages held for one parse, when there is no cache (``replyarchive parse``)."""

    def __init__(self) -> None:
        self.pages: dict[str, list[OcrPage]] = {}

    def load(self, key: str) -> list[OcrPage] | None:
        return self.pages.get(key)

    def store(self, key: str, pages: Sequence[OcrPage]) -> None:
        self.pages[key] = list(pages)


def ocr_scans(inputs: Sequence[InputFile], cache: OcrCache | HeldPages | None,
              progress: Callable[[int, int], None] | None = None,
              workers: int | None = None, settings: OcrSettings = DEFAULT) -> OcrRun:
    """OCR the pages of the scans among ``inputs`` not cached yet, on ``workers`` processes
    (default every core), and store them; the ``OcrRun`` the parse of ``inputs`` then reads
    them with. Without a cache the pages are held for this parse; without the ``ocr`` extra
    nothing is done here (each scan's reader says how to turn OCR on)."""
    cache = cache if cache is not None else HeldPages()
    run = OcrRun(settings, cache)
    todo = [(item, cache_key(item.sha256, settings)) for item in inputs if _is_scan(item)]
    todo = [(item, key) for item, key in todo if cache.load(key) is None]
    if not todo or not available():
        return run
    jobs = [(number, index) for number, (item, _) in enumerate(todo)
            for index in range(page_count(item.data))]
    pages: dict[tuple[int, int], OcrPage] = {}
    count = min(workers or _cores(), len(jobs))
    with worker_pool(count, share_heap=False) as pool:
        if pool is None:
            for number, index in jobs:
                pages[number, index] = _page(todo[number][0], index, settings, 0)
                _report(progress, len(pages), len(jobs))
        else:
            futures = {pool.submit(_page_data, todo[number][0], index, settings): (number, index)
                       for number, index in jobs}
            for future in as_completed(futures):
                pages[futures[future]] = OcrPage.from_data(future.result())
                _report(progress, len(pages), len(jobs))
    for number, (item, key) in enumerate(todo):
        cache.store(key, [pages[number, index] for index in range(page_count(item.data))])
    return run


def _report(progress: Callable[[int, int], None] | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


def _cores() -> int:
    import os

    return os.cpu_count() or 1


def _page(item: InputFile, index: int, settings: OcrSettings, threads: int) -> OcrPage:
    return ocr_page(item.data, item.file, index, settings, threads)


def _page_data(item: InputFile, index: int, settings: OcrSettings) -> list[Any]:
    """In a worker: one page OCRed with one thread (the pool uses the cores), as plain data."""
    return _page(item, index, settings, 1).to_data()


def _is_scan(item: InputFile) -> bool:
    """A PDF whose first page holds no text: a scan (the reader decides for the rest)."""
    if sniff(item.file, item.data[:HEAD]) != "pdf":
        return False
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(item.data)
    except pdfium.PdfiumError:
        return False
    try:
        if len(document) == 0:
            return False
        page = document[0]
        text = page.get_textpage()
        empty = bool(text.count_chars() == 0)
        text.close()
        page.close()
        return empty
    finally:
        document.close()
