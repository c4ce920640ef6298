"""Small hostile inputs made on the fly: PDFs written object by object (blank, image-only,
encrypted, broken; letters in CJK fonts without a ToUnicode map, in the 公文 layout, in two
columns, with a landscape attachment page), an empty .docx, pages that are not what their
names say."""

from __future__ import annotations

import hashlib
import math
import re
import struct
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources %s /Contents %d 0 R >>"
_CID_FONT = (b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /%s "
             b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
             b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /DW 1000 "
             b"/FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
             b"/FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 "
             b"/CapHeight 700 /StemV 80 >> >>] >>")
"""A CJK font that is not embedded and has no ToUnicode map: its text is read only through
the predefined CMap named by its encoding and the Adobe-GB1 character collection."""
_FONT = (b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> /F2 "
         + _CID_FONT % b"GBK-EUC-H" + b" /F3 " + _CID_FONT % b"UniGB-UCS2-H" + b" >> >>")
_IMAGE = b"q 200 0 0 200 100 500 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q"


def pdf(pages: Sequence[bytes], *, encrypted: bool = False, restricted: bool = False,
        sizes: Sequence[tuple[int, int]] = ()) -> bytes:
    """A PDF whose pages draw ``pages`` (content streams), written with a correct xref table;
    ``encrypted``: with a password-protected /Encrypt dictionary; ``restricted``: encrypted
    (RC4, 40 bits) with an empty user password and an owner password that forbids copying and
    printing, as departments publish; ``sizes``: each page's width and height (A4 portrait for
    those not given)."""
    count = len(pages)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
                   b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(count)), count)]
    for index, content in enumerate(pages):
        width, height = sizes[index] if index < len(sizes) else (595, 842)
        objects.append(_PAGE % (width, height, _FONT, 4 + 2 * index))
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    trailer = b"/Size %d /Root 1 0 R" % (len(objects) + 1)
    if restricted:
        objects, encrypt = _restricted(objects)
        objects.append(encrypt)
        trailer = (b"/Size %d /Root 1 0 R /Encrypt %d 0 R /ID [<%s> <%s>]"
                   % (len(objects) + 1, len(objects), _ID.hex().encode(), _ID.hex().encode()))
    if encrypted:
        objects.append(b"<< /Filter /Standard /V 1 /R 2 /P -44 /O <%s> /U <%s> >>"
                       % (b"ab" * 32, b"cd" * 32))
        trailer = (b"/Size %d /Root 1 0 R /Encrypt %d 0 R /ID [<%s> <%s>]"
                   % (len(objects) + 1, len(objects), b"01" * 16, b"01" * 16))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref)
    return bytes(out)


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
"""The standard security handler's password padding."""
_ID = bytes(range(16))
_FORBIDS = -3904
"""Permission bits: no printing, copying, changing or annotating."""


def _rc4(key: bytes, data: bytes) -> bytes:
    box = list(range(256))
    j = 0
    for i in range(256):
        j = (j + box[i] + key[i % len(key)]) % 256
        box[i], box[j] = box[j], box[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + box[i]) % 256
        box[i], box[j] = box[j], box[i]
        out.append(byte ^ box[(box[i] + box[j]) % 256])
    return bytes(out)


def _restricted(objects: list[bytes]) -> tuple[list[bytes], bytes]:
    """``objects`` (numbered from 1) with their strings and streams encrypted by the standard
    security handler, revision 2, empty user password; and the /Encrypt dictionary."""
    owner = _rc4(hashlib.md5(b"owner" + _PAD[:27]).digest()[:5], _PAD)
    key = hashlib.md5(_PAD + owner + struct.pack("<i", _FORBIDS) + _ID).digest()[:5]
    out = []
    for number, body in enumerate(objects, 1):
        own = hashlib.md5(key + number.to_bytes(3, "little") + b"\0\0").digest()[:10]
        body = re.sub(rb"\(([^()\\]*)\)",
                      lambda m, own=own: b"<%s>" % _rc4(own, m.group(1)).hex().encode(), body)
        if b"\nstream\n" in body:
            head, rest = body.split(b"\nstream\n", 1)
            data = _rc4(own, rest.removesuffix(b"\nendstream"))
            body = re.sub(rb"/Length \d+", b"/Length %d" % len(data), head)
            body += b"\nstream\n" + data + b"\nendstream"
        out.append(body)
    encrypt = (b"<< /Filter /Standard /V 1 /R 2 /P %d /O <%s> /U <%s> >>"
               % (_FORBIDS, owner.hex().encode(), _rc4(key, _PAD).hex().encode()))
    return out, encrypt


def text_page(*lines: str, size: int = 12) -> bytes:
    """A content stream printing Latin ``lines`` from the top of the page down."""
    shown = b" ".join(b"(%s) Tj 0 -%d Td" % (line.encode("latin-1"), size * 2) for line in lines)
    return b"BT /F1 %d Tf 72 760 Td %s ET" % (size, shown)


def placed_page(*items: tuple[float, float, str], size: int = 12) -> bytes:
    """A content stream printing each Latin ``(x, y, text)`` at its place on the page."""
    return b"\n".join(b"BT /F1 %d Tf 1 0 0 1 %.1f %.1f Tm (%s) Tj ET"
                       % (size, x, y, text.encode("latin-1")) for x, y, text in items)


Encoding = Literal["GBK-EUC-H", "UniGB-UCS2-H"]


@dataclass(frozen=True, slots=True)
class Printed:
    """One line of Chinese text printed at its place."""

    x: float
    y: float
    text: str
    size: float = 16
    red: bool = False
    angle: float = 0
    """Degrees the text is turned anticlockwise (a watermark, a seal's ring)."""


def cjk_page(lines: Sequence[Printed], encoding: Encoding = "GBK-EUC-H") -> bytes:
    """A content stream printing ``lines`` in the CJK font of ``encoding`` (every character
    one em wide), red where a line says so."""
    font, codec = (b"F2", "gbk") if encoding == "GBK-EUC-H" else (b"F3", "utf-16-be")
    out = []
    for line in lines:
        cos, sin = math.cos(math.radians(line.angle)), math.sin(math.radians(line.angle))
        out.append(b"%s BT /%s %.1f Tf %.4f %.4f %.4f %.4f %.1f %.1f Tm <%s> Tj ET"
                   % (b"1 0 0 rg" if line.red else b"0 g", font, line.size, cos, sin, -sin, cos,
                      line.x, line.y, line.text.encode(codec).hex().encode()))
    return b"\n".join(out)


LEFT, WIDTH, TOP, BOTTOM = 80.0, 28, 760.0, 110.0
"""The 公文 page: left margin, characters a line (16 pt), first and lowest baseline."""
Block = tuple[Literal["left", "centre", "right", "para", "red", "title", "hang"], str]
"""What ``gongwen`` lays out: a line flush left, centred or right-aligned (four characters in
from the right margin), a paragraph indented two characters and cut every ``WIDTH``, the red
letterhead (30 pt), a title line (22 pt, centred), a line whose next lines hang under the
text after its label (抄送：…)."""


def gongwen(blocks: Sequence[Block], *, first_page: int = 1) -> list[list[Printed]]:
    """``blocks`` laid out on A4 pages as a 公文 prints them, each page's number ``— N —`` at
    its foot, odd pages right, even pages left."""
    pages: list[list[Printed]] = [[]]
    y = TOP

    def put(x: float, text: str, size: float = 16, red: bool = False) -> None:
        nonlocal y
        if y < BOTTOM:
            pages.append([])
            y = TOP
        pages[-1].append(Printed(x, y, text, size, red))
        y -= size * 1.8

    right = LEFT + 16 * WIDTH
    for kind, text in blocks:
        if kind in {"centre", "red", "title"}:
            size = {"centre": 16, "red": 30, "title": 22}[kind]
            put((LEFT + right - size * len(text)) / 2, text, size, kind == "red")
        elif kind == "right":
            put(right - 16 * (len(text) + 4), text)
        elif kind == "left":
            put(LEFT, text)
        else:
            first, rest = (2, 0) if kind == "para" else (0, text.index("：") + 1)
            cut = WIDTH - first
            put(LEFT + 16 * first, text[:cut])
            for start in range(cut, len(text), WIDTH - rest):
                put(LEFT + 16 * rest, text[start:start + WIDTH - rest])
    for number, page in enumerate(pages, first_page):
        label = f"— {number} —"
        page.append(Printed(right - 60 if number % 2 else LEFT + 12, 60, label, 14))
    return pages


def image_page() -> bytes:
    """A content stream drawing one small grey image and no text: a scanned page."""
    return _IMAGE


def empty_docx(path: Path) -> Path:
    """A Word file whose body holds no text."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", _DOCUMENT)
    return path


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOCUMENT = f'<?xml version="1.0"?><w:document xmlns:w="{_W}"><w:body><w:p/></w:body></w:document>'
_CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '</Relationships>')
