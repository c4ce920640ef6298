"""Writing records: YAML in the contract's key order, and files replaced atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import yaml

from replyarchive.records.model import Reply

# libyaml's safe dumper when PyYAML was built with it (much faster, the same text);
# the pure-Python safe dumper otherwise. Both refuse anything but plain data.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump_yaml(reply: Reply) -> str:
    """The record as block-style YAML, SCHEMA key order, Chinese kept, dates quoted."""
    return yaml.dump(
        reply.to_dict(),
        Dumper=_DUMPER,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=4096,
    )


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to a temp file beside ``path``, fsync it, then rename over ``path``.

    An interrupted run leaves either the old file or the new one, never half a file.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
