"""The templates as Jinja compiled them, kept in the cache folder for the next build.

Compiling the theme's templates is a fixed cost of every build that renders a page; Jinja's
bytecode cache (``jinja2.BytecodeCache``) saves it. Each file is sealed as the parse cache's
entries are: its first line is the SHA-256 (hex) of the rest, which is the bucket Jinja wrote
(its own magic, the template source's checksum, the code). A file that fails its seal, was
written by another Jinja or another replyarchive, or holds another template source is not
used: the template is compiled again and the file rewritten. A cache that cannot be written
is only slower.
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket


class TemplateCache(jinja2.BytecodeCache):
    """Compiled templates in ``folder``, one sealed file per template, named by what compiled
    it (``version``: the code version, which holds the environment's settings) and Jinja's
    key for the template (its name and file)."""

    def __init__(self, folder: Path, version: str) -> None:
        self.folder = folder
        self.tag = hashlib.sha256(f"{jinja2.__version__}\0{version}".encode()).hexdigest()[:16]

    def path(self, bucket: Bucket) -> Path:
        return self.folder / f"{self.tag}-{bucket.key}.cache"

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            raw = self.path(bucket).read_bytes()
        except OSError:
            return
        head, newline, body = raw.partition(b"\n")
        if newline and hashlib.sha256(body).hexdigest().encode() == head:
            bucket.load_bytecode(io.BytesIO(body))

    def dump_bytecode(self, bucket: Bucket) -> None:
        body = io.BytesIO()
        bucket.write_bytecode(body)
        path = self.path(bucket)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(hashlib.sha256(body.getvalue()).hexdigest().encode() + b"\n"
                            + body.getvalue())
            os.replace(tmp, path)
        except OSError:
            tmp.unlink(missing_ok=True)
