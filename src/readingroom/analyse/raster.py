"""What a page's image shows that its text may not: boxes and labels in the raster.

Scans (OCR'd by us or not) and pages whose text is an agency's invisible OCR
layer over a full-page image (ingest flags them `layer: invisible-over-image`
in the page's meta) show their redaction boxes only in the image. On the
latter, the layer is what the agency's OCR read, and it often misses the
exemption labels printed on or beside the boxes (white on black, small,
turned). So on such pages the image is rendered once, boxes are found with
`readingroom.analyse.boxes`, each box with a label printed on it is turned
negative (its letters become dark on light, which Tesseract reads), and the
page is OCR'd through `readingroom.ingest.ocr` (Tesseract via
`external.run`). The result is cached on the page: the exemptions analyser
counts labels found only there, and the redactions analyser ties them to
the boxes, without rendering or recognising twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from readingroom.analyse.boxes import ImageBox, detect
from readingroom.doctypes import has_page_images
from readingroom.page import Box, Word

if TYPE_CHECKING:
    from readingroom.analyse.base import DocIn, PageIn

log = logging.getLogger(__name__)

#: The meta key and value ingest sets on an invisible text layer (ingest/formats/pdf.py).
LAYER_KEY = "layer"
INVISIBLE_OVER_IMAGE = "invisible-over-image"
#: Render resolution: the box detector's sizes are tuned at 150 dpi and scale;
#: 200 dpi gives Tesseract small labels (8 pt) at a readable x-height.
DPI = 200


@dataclass
class Raster:
    """Boxes (in points, with their angle) and OCR words of one page's image."""

    boxes: list[tuple[Box, float]] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)
    failed: str | None = None  # why the image could not be read


def invisible_layer(page: PageIn) -> bool:
    """The page's own text was an invisible layer over a scan (even if ingest re-OCR'd it)."""
    return page.meta.get(LAYER_KEY) == INVISIBLE_OVER_IMAGE


def wants_raster(page: PageIn) -> bool:
    """Scans show their boxes only in the image; so do invisible text layers."""
    return page.source in ("ocr", "none") or invisible_layer(page)


def label_negative(gray: object, found: list[ImageBox]) -> object:
    """The page with every box turned negative: a white label on it reads dark on light."""
    import numpy as np

    arr = np.array(gray, dtype=np.uint8, copy=True)
    for b in found:
        x0, y0, x1, y1 = (round(v) for v in b.box)
        arr[y0:y1, x0:x1] = 255 - arr[y0:y1, x0:x1]
    return arr


def raster(doc: DocIn, page: PageIn, *, ocr: bool = True) -> Raster | None:
    """The page's raster findings, computed once per page; None when it has no image."""
    if "raster" in page.cache:
        cached: Raster | None = page.cache["raster"]
        return cached
    out: Raster | None = None
    if wants_raster(page) and doc.blob is not None and has_page_images(doc.doc_type):
        out = _read(doc, page, ocr=ocr and invisible_layer(page))
    page.cache["raster"] = out
    return out


def _read(doc: DocIn, page: PageIn, *, ocr: bool) -> Raster:
    import numpy as np
    from PIL import Image

    try:
        image = doc.page_image(page.number, DPI)
    except Exception as e:  # MuPDF/Pillow refuse some pages (giant images, damage)
        return Raster(failed=f"{type(e).__name__}: {e}")
    gray = np.asarray(image.convert("L"))
    dpi = DPI * (gray.shape[1] / (page.width * DPI / 72)) if page.width else DPI
    found = detect(gray, dpi)
    scale = page.width / gray.shape[1] if page.width else 72 / DPI
    out = Raster(boxes=[(b.scaled(scale), b.angle) for b in found])
    if ocr:
        from readingroom.ingest.ocr import ocr_page

        neg = Image.fromarray(label_negative(gray, found))  # type: ignore[arg-type]
        try:
            content = ocr_page(neg, page.number, page.width, page.height, orient=False)
            out.words = list(content.words)
        except Exception as e:  # no Tesseract, a timeout: the boxes still count
            log.warning("%s page %d: raster OCR failed: %s", doc.name, page.number, e)
            out.failed = f"{type(e).__name__}: {e}"
    return out
