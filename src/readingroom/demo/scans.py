"""Turn laid-out memo pages into 'scans': raster, noise, a small skew, no text layer.

The ground truth for OCR is the source page's own text, taken before
rasterising, and redaction boxes are carried through the same rotation as the
pixels, so OCR error rates and box detection can be measured exactly.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pymupdf
from PIL import Image

from readingroom.demo.pdf import PageTruth, demo_metadata


@dataclass
class ScanPage:
    """One scanned page and its truth (coordinates in points from the top-left)."""

    image: Image.Image
    dpi: int
    width: float
    height: float
    skew: float
    text: str
    redactions: list[dict[str, Any]]


def _rotate_box(box: list[float], angle: float, cx: float, cy: float) -> list[float]:
    """Axis-aligned bounds of `box` after PIL's counter-clockwise rotation about (cx, cy)."""
    a = math.radians(angle)
    cos, sin = math.cos(a), math.sin(a)
    xs, ys = [], []
    for x, y in ((box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])):
        dx, dy = x - cx, y - cy
        xs.append(cx + dx * cos + dy * sin)
        ys.append(cy - dx * sin + dy * cos)
    return [round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2)]


def ground_truth_text(page: pymupdf.Page) -> str:
    """The page's text in reading order, one printed line per line, blanks dropped."""
    lines = (ln.rstrip() for ln in page.get_text("text").splitlines())
    return "\n".join(ln for ln in lines if ln.strip())


def scan_pages(
    pdf: bytes, truth: list[PageTruth], rng: np.random.Generator, *, dpi: int = 200
) -> list[ScanPage]:
    """Rasterise each page in grey, add sensor noise and dust, skew by up to ±2°."""
    out: list[ScanPage] = []
    with pymupdf.open("pdf", pdf) as doc:
        for page, pt in zip(doc, truth, strict=True):
            pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
            raw = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.stride)
            arr: np.ndarray[Any, Any] = raw[:, : pix.width].astype(np.float32)
            arr = arr * 0.92 + 10 + rng.normal(0.0, 9.0, arr.shape)  # grey paper, sensor noise
            dust = rng.random(arr.shape) < 0.0004
            arr[dust] = rng.uniform(0, 90, int(dust.sum()))
            img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), mode="L")
            angle = round(float(rng.uniform(-2.0, 2.0)), 2)
            img = img.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=235)
            w, h = page.rect.width, page.rect.height
            reds = []
            for r in pt.redactions:
                reds.append(
                    {
                        **r,
                        "bbox": _rotate_box(r["bbox"], angle, w / 2, h / 2),
                        "label_bbox": _rotate_box(r["label_bbox"], angle, w / 2, h / 2),
                    }
                )
            out.append(ScanPage(img, dpi, w, h, angle, ground_truth_text(page), reds))
    return out


def image_pdf(pages: list[ScanPage], title: str) -> bytes:
    """An image-only PDF (grey JPEG per page): what a scanner without OCR produces."""
    doc = pymupdf.open()
    for sp in pages:
        buf = io.BytesIO()
        sp.image.save(buf, "JPEG", quality=70, dpi=(sp.dpi, sp.dpi))
        page = doc.new_page(width=sp.width, height=sp.height)
        page.insert_image(page.rect, stream=buf.getvalue())
    doc.set_metadata(demo_metadata(title))
    data = doc.tobytes(garbage=3, deflate=True, no_new_id=True)
    doc.close()
    return data


def bilevel(img: Image.Image) -> Image.Image:
    """Threshold to 1 bit, as fax-style G4 TIFFs are."""
    return img.point(lambda v: 255 if v > 150 else 0).convert("1", dither=Image.Dither.NONE)


def tiff_g4(pages: list[ScanPage]) -> bytes:
    buf = io.BytesIO()
    imgs = [bilevel(p.image) for p in pages]
    imgs[0].save(
        buf,
        "TIFF",
        save_all=True,
        append_images=imgs[1:],
        compression="group4",
        dpi=(pages[0].dpi, pages[0].dpi),
    )
    return buf.getvalue()


def png(page: ScanPage) -> bytes:
    buf = io.BytesIO()
    page.image.save(buf, "PNG", dpi=(page.dpi, page.dpi), optimize=False)
    return buf.getvalue()


def jpeg(page: ScanPage) -> bytes:
    buf = io.BytesIO()
    page.image.save(buf, "JPEG", quality=75, dpi=(page.dpi, page.dpi))
    return buf.getvalue()
