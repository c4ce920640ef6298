"""Small hostile inputs made on the fly: PDFs written object by object (blank, image-only,
encrypted, broken), an empty .docx, pages that are not what their names say."""

from __future__ import annotations

import zipfile
from pathlib import Path

_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents %d 0 R >>"
_FONT = b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
_IMAGE = b"q 200 0 0 200 100 500 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q"


def pdf(pages: list[bytes], *, encrypted: bool = False) -> bytes:
    """A PDF whose pages draw ``pages`` (content streams), written with a correct xref table;
    ``encrypted``: with a password-protected /Encrypt dictionary."""
    count = len(pages)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
                   b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(count)), count)]
    for index, content in enumerate(pages):
        objects.append(_PAGE % (_FONT, 4 + 2 * index))
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    trailer = b"/Size %d /Root 1 0 R" % (len(objects) + 1)
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


def text_page(*lines: str, size: int = 12) -> bytes:
    """A content stream printing Latin ``lines`` from the top of the page down."""
    shown = b" ".join(b"(%s) Tj 0 -%d Td" % (line.encode("latin-1"), size * 2) for line in lines)
    return b"BT /F1 %d Tf 72 760 Td %s ET" % (size, shown)


def placed_page(*items: tuple[float, float, str], size: int = 12) -> bytes:
    """A content stream printing each Latin ``(x, y, text)`` at its place on the page."""
    return b"\n".join(b"BT /F1 %d Tf 1 0 0 1 %.1f %.1f Tm (%s) Tj ET"
                       % (size, x, y, text.encode("latin-1")) for x, y, text in items)


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
