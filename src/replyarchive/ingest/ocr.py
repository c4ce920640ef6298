"""OCR of scanned pages with RapidOCR (PP-OCR models inside the wheel; nothing downloaded).

The optional extra ``ocr`` (``pip install 'replyarchive[ocr]'``) brings RapidOCR, onnxruntime,
OpenCV and Pillow; without it a scan raises ``SourceError`` saying how to turn OCR on, and the
other letters build.

A page is rendered with pypdfium2 at ``OcrSettings.dpi``, then

1. the red seal goes: red ink in a roughly round blob of about a seal's size is painted white
   (the red letterhead, wide and flat, and black text under the seal stay);
2. text lines are detected; a page whose lines stand upright (turned by 90°) is turned back,
   and one whose lines read upside down (the line classifier says 180° for most) is turned
   round;
3. each line is recognised, with its confidence.

What a page gives is plain data (``OcrPage``): each line's text, confidence and corner points in
PDF points from the page's top left, so it can be cached (``OcrStore``) and laid out later
(``scan.py``) without the models.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from replyarchive.errors import SourceError

ENABLE = "pip install 'replyarchive[ocr]'"
_NO_OCR = ("this PDF is a scan (no text layer) and needs OCR, which is not installed: turn it "
           f"on with `{ENABLE}` (RapidOCR, about 370 MB) and run again, or save the letter's "
           "text as a .txt file beside it")
OCR_LAYOUT = 1
"""Bumped when what a page's OCR gives changes (seal removal, orientation): cached pages of an
older version are OCRed again."""


@dataclass(frozen=True, slots=True)
class OcrSettings:
    """How pages are OCRed: part of each cached page's key."""

    dpi: int = 100
    """Resolution pages are rendered at (the scans' text is 16 pt: 22 px high at 100 dpi)."""
    rec_height: int = 32
    """Height (px) lines are scaled to for recognition: 32 is twice as fast as PP-OCRv4's 48
    and reads these letters as well (tests/ingest/test_scan_facts.py)."""
    low_confidence: float = 0.8
    """A line read with less confidence than this is named in a warning."""

    def key(self) -> str:
        """What the cache keys on besides the file's bytes: these settings, the OCR layout and
        the RapidOCR version."""
        return f"ocr{OCR_LAYOUT}-{_version()}-{self.dpi}dpi-rec{self.rec_height}"


@dataclass(frozen=True, slots=True)
class OcrLine:
    """One line the OCR read."""

    text: str
    confidence: float
    """The recogniser's score, 0 to 1."""
    points: tuple[float, ...]
    """The line's four corners (x0, y0, …, x3, y3: top left, top right, bottom right, bottom
    left, as printed), in points from the page's top left."""


@dataclass(frozen=True, slots=True)
class OcrPage:
    """What the OCR read on one page."""

    width: float
    """Points."""
    height: float
    """Points."""
    turned: int
    """Degrees the page was turned (clockwise) to stand upright: 0, 90, 180 or 270."""
    lines: tuple[OcrLine, ...]

    def to_data(self) -> list[Any]:
        return [self.width, self.height, self.turned,
                [[line.text, line.confidence, list(line.points)] for line in self.lines]]

    @classmethod
    def from_data(cls, data: Sequence[Any]) -> OcrPage:
        width, height, turned, lines = data
        return cls(float(width), float(height), int(turned),
                   tuple(OcrLine(str(text), float(conf), tuple(float(p) for p in points))
                         for text, conf, points in lines))


class OcrStore(Protocol):
    """Where OCRed pages are kept between builds (``incremental.ocr.OcrCache``)."""

    def load(self, key: str) -> list[OcrPage] | None: ...

    def store(self, key: str, pages: Sequence[OcrPage]) -> None: ...


@dataclass(frozen=True, slots=True)
class OcrRun:
    """How a build OCRs: the settings, the cache and the progress callback."""

    settings: OcrSettings = OcrSettings()
    store: OcrStore | None = None
    progress: Callable[[int, int], None] | None = None
    """``progress(done, total)`` pages, in this process."""


def available() -> bool:
    """Whether the ``ocr`` extra is installed. Found, not imported: importing it loads OpenCV
    and ONNX Runtime, which a build with no scan to read must not pay for."""
    import importlib.util

    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


def require(file: Path) -> None:
    """Raise the error that says how to turn OCR on, unless it is installed."""
    if not available():
        raise SourceError(_NO_OCR, path=file)


@functools.lru_cache(maxsize=1)
def _version() -> str:
    import importlib.metadata  # only when a scan is read: importing it costs tens of ms

    try:
        return importlib.metadata.version("rapidocr-onnxruntime")
    except importlib.metadata.PackageNotFoundError:
        return "none"


def cache_key(sha256: str, settings: OcrSettings) -> str:
    """The cache entry of a file with these bytes OCRed with these settings."""
    return f"{sha256}-{settings.key()}"


def page_count(data: bytes) -> int:
    """Pages to OCR in a PDF."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def ocr_page(data: bytes, file: Path, index: int, settings: OcrSettings,
             threads: int = 0) -> OcrPage:
    """OCR page ``index`` (0-based) of a PDF. ``threads``: for the models (0: every core)."""
    require(file)
    pixels, scale = _render(data, index, settings)
    return _read_page(_engine(settings, threads), pixels, scale)


def _render(data: bytes, index: int, settings: OcrSettings) -> tuple[Any, float]:
    """The page as RGB pixels at the settings' resolution, and points per pixel."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        page = document[index]
        bitmap = page.render(scale=settings.dpi / 72, rev_byteorder=True)
        pixels = bitmap.to_numpy()[:, :, :3].copy()
        page.close()
    finally:
        document.close()
    return pixels, 72 / settings.dpi


@functools.lru_cache(maxsize=2)
def _engine(settings: OcrSettings, threads: int) -> Any:
    """The models, loaded once per process and settings."""
    from rapidocr_onnxruntime import RapidOCR

    count = threads or -1
    return RapidOCR(intra_op_num_threads=count, inter_op_num_threads=count,
                    rec_img_shape=[3, settings.rec_height, 320])


def _read_page(engine: Any, pixels: Any, scale: float) -> OcrPage:
    """OCR one page's RGB pixels: seal off, upright, lines read (see the module's docstring)."""
    import numpy as np

    gray = _without_seal(pixels)
    image = np.dstack([gray, gray, gray])
    turned = 0
    boxes = _detect(engine, image)
    if boxes and _upright_share(boxes) > 0.5:  # lines standing up: the page lies on its side
        image, turned = np.ascontiguousarray(np.rot90(image, k=-1)), 90
        boxes = _detect(engine, image)
    crops = engine.get_crop_img_list(image, boxes) if boxes else []
    if crops:
        _, labels, _ = engine.text_cls(crops)
        if sum(1 for label, score in labels if label == "180" and score > 0.9) > len(crops) / 2:
            image, turned = np.ascontiguousarray(image[::-1, ::-1]), (turned + 180) % 360
            boxes = _detect(engine, image)
            crops = engine.get_crop_img_list(image, boxes) if boxes else []
    read, _ = engine.text_rec(crops, False) if crops else ([], 0.0)
    height, width = image.shape[:2]
    lines = tuple(OcrLine(text.strip(), round(float(score), 4),
                          tuple(round(float(v) * scale, 2) for v in box.reshape(-1)))
                  for box, (text, score, *_) in zip(boxes, read, strict=True)
                  if text.strip() and float(score) >= 0.5)
    return OcrPage(round(width * scale, 2), round(height * scale, 2), turned, lines)


def _detect(engine: Any, image: Any) -> list[Any]:
    found, _ = engine.text_det(image)
    return [] if found is None or len(found) == 0 else list(engine.sorted_boxes(found))


def _upright_share(boxes: Sequence[Any]) -> float:
    """Share of the boxes taller than wide (text lines of a page lying on its side)."""
    import numpy as np

    tall = sum(1 for box in boxes
               if np.linalg.norm(box[0] - box[3]) > 2 * np.linalg.norm(box[0] - box[1]))
    return tall / len(boxes)


def _without_seal(pixels: Any) -> Any:
    """The page in grey, the seal dropped out (its own text is no letter text): where a red
    blob about as wide as high and over a tenth of the page's width stands, the grey is the
    red channel, in which red ink is as light as the paper and black text stays black."""
    import cv2
    import numpy as np

    red_channel = pixels[:, :, 0].astype(np.int16)
    green, blue = pixels[:, :, 1].astype(np.int16), pixels[:, :, 2].astype(np.int16)
    gray = cv2.cvtColor(np.ascontiguousarray(pixels), cv2.COLOR_RGB2GRAY)
    strong = ((red_channel - green > 20) & (red_channel - blue > 20)).astype(np.uint8)
    if not strong.any():
        return gray
    width = pixels.shape[1]
    blobs = cv2.dilate(strong, np.ones((max(3, width // 60),) * 2, np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(blobs)
    for index in range(1, count):
        x, y, w, h = (int(v) for v in stats[index][:4])
        if w > width / 10 and 0.7 < w / h < 1.4:
            window = pixels[y:y + h, x:x + w, 0].copy()  # red ink is light in red
            window[window > 160] = 255  # and what is left of it, paper
            gray[y:y + h, x:x + w] = window
    return gray
