"""The data files' string encoding (index/codec.py) and its twin, decode123 in static/search.js."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest

from replyarchive.index import codec
from replyarchive.index.codec import decode, encode
from replyarchive.index.packed import pack, unpack

ROOT = Path(__file__).resolve().parent.parent.parent


def cases() -> list[bytes]:
    """Every short length (full rows and a last short one), rows of the largest and smallest
    values, random bytes."""
    rng = random.Random(13)
    out = [b"", b"\x00", b"\x00" * 7, b"\xff" * 7, b'"\\\n\r', zlib.compress(b"x" * 100)]
    for n in range(1, 30):
        out.append(bytes(rng.randrange(256) for _ in range(n)))
        out.append(bytes(rng.choice((0, 0x0A, 0x22, 0xFF)) for _ in range(n)))
    out.append(bytes(rng.randrange(256) for _ in range(5000)))
    return out


def test_bytes_come_back_and_the_text_needs_no_escape_in_a_string_literal() -> None:
    for data in cases():
        text = encode(data)
        assert decode(text) == data
        assert not set(text) & set(b'\x00\n\r"\\') and max(text, default=0) < 0x80
        rows, rest = divmod(len(data), 6)
        assert len(text) == rows * 7 + (rest + 1 if rest else 0)


def test_a_file_costs_a_sixth_more_than_its_zlib_stream_not_a_third() -> None:
    rng = random.Random(7)
    text = " ".join(str(rng.randrange(10**9)) for _ in range(20000))
    stream = zlib.compress(text.encode(), 6)
    data = pack("k", text)
    assert unpack(data) == text
    assert len(data) < len(stream) * 1.17


@pytest.mark.parametrize("text", [b'a"', b"\x80a", b"a", b"\x7f" * 7, b"\x7f\x7f", b"abcd\nef"])
def test_a_text_no_encoding_gives_is_an_error(text: bytes) -> None:
    with pytest.raises(ValueError):
        decode(text)


def test_the_browser_decodes_what_python_encodes() -> None:
    if shutil.which("node") is None:
        pytest.fail("node is missing: install Node.js (make test needs it)")
    data = cases()
    texts = [encode(d).decode("ascii") for d in data]
    script = ("const { decode123 } = require(process.argv[1]);"
              "const texts = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "console.log(JSON.stringify(texts.map((t) => Array.from(decode123(t)))));")
    out = subprocess.run(["node", "-e", script, str(ROOT / "static" / "search.js")],
                         input=json.dumps(texts), capture_output=True, text=True, check=True,
                         cwd=ROOT).stdout
    assert [bytes(values) for values in json.loads(out)] == data


def test_short_texts_are_coded_in_plain_python_as_numpy_codes_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(5)
    samples = [rng.randbytes(n) for n in range(0, 6 * (codec.SMALL + 2))]
    short = [codec.encode(data) for data in samples]
    monkeypatch.setattr(codec, "SMALL", -1)  # numpy for every length
    assert [codec.encode(data) for data in samples] == short
    assert [codec.decode(text) for text in short] == samples
    monkeypatch.undo()
    assert [codec.decode(text) for text in short] == samples
    for bad in (b"\x00" * 7, b"\x7f" * 7, b"\x7f" * 3, b"a"):
        with pytest.raises(ValueError):
            codec.decode(bad)
