"""`replyarchive serve` answers as a static host does: the site's 404.html for a missing path."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from replyarchive.render.preview import make_server


@pytest.fixture
def served(fixture_site: Path) -> Iterator[str]:
    server = make_server(fixture_site, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_a_missing_path_gets_the_sites_404_page(served: str, fixture_site: Path) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(served + "replies/no-such-letter/")
    assert caught.value.code == 404
    assert caught.value.headers["Content-Type"] == "text/html; charset=utf-8"
    assert caught.value.read() == (fixture_site / "404.html").read_bytes()


def test_pages_that_exist_are_served(served: str, fixture_site: Path) -> None:
    with urllib.request.urlopen(served) as response:
        assert response.read() == (fixture_site / "index.html").read_bytes()
