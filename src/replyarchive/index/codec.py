"""Compressed bytes as the text of a JavaScript string literal: 6 bytes in 7 characters.

A data file is a script, ``RASearchLoad("<key>","<text>");``, so its bytes must be text that
a double-quoted string holds as it is. Base64 writes 3 bytes in 4 characters (the file a third
larger than the data); this writes each 6 bytes, read as one 48-bit number (big-endian), as 7
base-123 digits, most significant first (123⁷ > 2⁴⁸), the file a sixth larger. The digits are
the ASCII characters but NUL, line feed, carriage return, ``"`` and ``\\`` (ALPHABET), so the
file is plain ASCII, and a last row of r < 6 bytes is r + 1 digits. Every byte value is about
equally likely in each digit, so gzip on the wire gets back to about the data's size, as it
does from base64 (a denser code that mixed one- and two-byte characters would not).

static/search.js (``decode123``) is the twin: 123⁷ < 2⁵³, so a row is exact in a double.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

BASE = 123
ROW = 6
"""Bytes per row; a row is ROW + 1 digits."""
ALPHABET = bytes(c for c in range(1, 128) if c not in b'\n\r"\\')
assert len(ALPHABET) == BASE

_DIGITS = np.frombuffer(ALPHABET, dtype=np.uint8)
_VALUE = np.full(256, 255, dtype=np.uint8)
_VALUE[_DIGITS] = np.arange(BASE, dtype=np.uint8)

Bytes = npt.NDArray[np.uint8]


def _digits(value: int, count: int) -> bytes:
    out = bytearray(count)
    for at in range(count - 1, -1, -1):
        value, digit = divmod(value, BASE)
        out[at] = ALPHABET[digit]
    return bytes(out)


SMALL = 16
"""Rows up to which a text is coded in plain Python (numpy's fixed cost is more)."""
_PLAIN = bytes(ALPHABET.index(c) if c in ALPHABET else 255 for c in range(256))


def encode(data: bytes) -> bytes:
    """``data`` as ASCII text no string literal needs to escape."""
    rows, rest = divmod(len(data), ROW)
    if rows <= SMALL:
        return b"".join(_digits(int.from_bytes(data[at:at + ROW], "big"), ROW + 1)
                        for at in range(0, rows * ROW, ROW)) \
            + (_digits(int.from_bytes(data[rows * ROW:], "big"), rest + 1) if rest else b"")
    wide = np.zeros((rows, 8), dtype=np.uint8)
    wide[:, 8 - ROW:] = np.frombuffer(data, dtype=np.uint8, count=rows * ROW).reshape(rows, ROW)
    values = wide.view(">u8").ravel().astype(np.uint64)
    digits = np.empty((rows, ROW + 1), dtype=np.uint8)
    for at in range(ROW, -1, -1):
        digits[:, at] = values % BASE
        values //= BASE
    tail = _digits(int.from_bytes(data[rows * ROW:], "big"), rest + 1) if rest else b""
    return bytes(_DIGITS[digits].ravel()) + tail


def decode(text: bytes) -> bytes:
    """The bytes ``encode`` gave ``text`` for (ValueError if it is not such a text)."""
    rows, rest = divmod(len(text), ROW + 1)
    if rows <= SMALL:
        return _decode_plain(text, rows, rest)
    digits = _VALUE[np.frombuffer(text, dtype=np.uint8)]
    if rest == 1 or (digits == 255).any():
        raise ValueError("not a text of base-123 digits (codec.encode)")
    values = np.zeros(rows, dtype=np.uint64)
    for column in digits[:rows * (ROW + 1)].reshape(rows, ROW + 1).T:
        values = values * BASE + column
    if (values >> np.uint64(8 * ROW)).any():
        raise ValueError("a row of base-123 digits is past 6 bytes (codec.encode)")
    whole: Bytes = values.astype(">u8").view(np.uint8).reshape(rows, 8)[:, 8 - ROW:].ravel()
    tail = b""
    if rest:
        value = 0
        for digit in digits[rows * (ROW + 1):].tolist():
            value = value * BASE + digit
        if value >> (8 * (rest - 1)):
            raise ValueError("the last base-123 digits are past their bytes (codec.encode)")
        tail = value.to_bytes(rest - 1, "big")
    return bytes(whole) + tail


def _decode_plain(text: bytes, rows: int, rest: int) -> bytes:
    """``decode`` of a short text, in plain Python (the same checks)."""
    digits = text.translate(_PLAIN)
    if rest == 1 or 255 in digits:
        raise ValueError("not a text of base-123 digits (codec.encode)")
    out = bytearray()
    for at in range(0, len(digits), ROW + 1):
        value = 0
        for digit in digits[at:at + ROW + 1]:
            value = value * BASE + digit
        width = ROW if at < rows * (ROW + 1) else rest - 1
        if value >> (8 * width):
            raise ValueError("a row of base-123 digits is past 6 bytes (codec.encode)"
                             if width == ROW else
                             "the last base-123 digits are past their bytes (codec.encode)")
        out += value.to_bytes(width, "big")
    return bytes(out)
