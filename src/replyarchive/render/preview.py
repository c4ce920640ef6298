"""``replyarchive serve``: the built site on localhost, answered as a static host answers it.

A path that is not in the site gets the site's own ``404.html`` (with status 404), as GitHub
Pages, Netlify and most web servers configured for a static site do, so the preview shows the
page visitors will see.
"""

from __future__ import annotations

import functools
import http.server
from http import HTTPStatus
from pathlib import Path


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Files of one folder; its 404.html for anything missing."""

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def make_server(out: Path, host: str, port: int) -> http.server.ThreadingHTTPServer:
    """A server of ``out`` on ``host``:``port`` (0: any free port); raises OSError."""
    handler = functools.partial(SiteHandler, directory=str(out))
    return http.server.ThreadingHTTPServer((host, port), handler)
