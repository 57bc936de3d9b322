"""Page images for the viewer and for image-based analysers.

Rendering is derived data: PNGs are cached under cache/pages/ keyed by the
document's SHA-256, page and resolution, and may be deleted at any time.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

from PIL import Image

from readingroom.errors import InputError
from readingroom.investigation import Investigation
from readingroom.store import documents


def render_page(inv: Investigation, document_id: int, number: int, dpi: int = 100) -> Image.Image:
    """Render page `number` (1-based) of a document as an RGB image.

    PDFs are rendered with PyMuPDF, images by reading the right frame; other
    documents (e-mail, office files) have no page image and raise InputError.
    """
    row = _document(inv, document_id)
    path = inv.blobs.path(row["sha256"])
    return render_blob_page(path, row["doc_type"], number, dpi, name=row["name"])


def _document(inv: Investigation, document_id: int) -> dict[str, Any]:
    row = documents.get_document(inv.db, document_id=document_id)
    if row is None:
        raise InputError(f"no document {document_id}")
    return row


#: Largest page image rendered for the viewer or an analyser, in pixels. A
#: large-format scan at 300 dpi would otherwise decode to gigabytes; 30 MP is
#: an A3 page at about 300 dpi, more than any detector or reader needs.
MAX_RENDER_PIXELS = 30_000_000


def capped_dpi(width_pt: float, height_pt: float, dpi: float) -> float:
    """`dpi`, lowered where the page would render to more than MAX_RENDER_PIXELS."""
    pixels = (width_pt * dpi / 72) * (height_pt * dpi / 72)
    if pixels <= MAX_RENDER_PIXELS or pixels <= 0:
        return dpi
    return dpi * (MAX_RENDER_PIXELS / pixels) ** 0.5


#: Modes Pillow's Image.reduce accepts (measured: '1', 'P' and 'I;16' raise).
_REDUCIBLE = frozenset({"L", "LA", "RGB", "RGBA", "CMYK", "I", "F"})


class PageImages:
    """Page images of one original, kept open while its pages are rendered in turn.

    Opening a multi-page TIFF and seeking to frame n walks n directories, so
    rendering every page by reopening the file costs O(n²): a 5,000-page fax
    slowed to a crawl. Held open and read forward, each page costs the same.
    """

    def __init__(self, path: Path, doc_type: str, *, name: str = "") -> None:
        if doc_type not in ("pdf", "image"):
            raise InputError(f"{name or path.name}: {doc_type} documents have no page image")
        self.path, self.doc_type, self.name = path, doc_type, name or path.name
        self._pdf: Any = None
        self._img: Image.Image | None = None
        self._frames = 0

    def render(self, number: int, dpi: float = 100) -> Image.Image:
        """Page `number` (1-based) as an RGB image at `dpi`, capped to MAX_RENDER_PIXELS."""
        if self.doc_type == "pdf":
            return self._render_pdf(number, dpi)
        return self._render_frame(number, dpi)

    def _render_pdf(self, number: int, dpi: float) -> Image.Image:
        if self._pdf is None:
            from readingroom.ingest.formats.pdf import open_pages

            self._pdf = open_pages(self.path)
        if not 1 <= number <= self._pdf.page_count:
            raise InputError(f"{self.name}: no page {number} (has {self._pdf.page_count})")
        page = self._pdf[number - 1]
        dpi = capped_dpi(page.rect.width, page.rect.height, dpi)
        pix = page.get_pixmap(dpi=max(1, round(dpi)), alpha=False)
        return Image.frombytes("RGB", (pix.width, pix.height), pix.samples)

    def _render_frame(self, number: int, dpi: float) -> Image.Image:
        from PIL import ImageOps

        from readingroom.ingest.formats.image import page_size_points

        if self._img is None:
            # Ingest already refused images past its decoded-size limit; the
            # ones it kept are not bombs, and a warning per page is noise.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                self._img = Image.open(self.path)
                self._frames = getattr(self._img, "n_frames", 1)
        img = self._img
        if not 1 <= number <= self._frames:
            raise InputError(f"{self.name}: no page {number} (has {self._frames})")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img.seek(number - 1)
        # The same page size in points as ingest stored, so word boxes land right.
        width_pt, height_pt = page_size_points(img)
        dpi = capped_dpi(width_pt, height_pt, dpi)
        frame = ImageOps.exif_transpose(img) or img
        if frame.size != img.size:
            width_pt, height_pt = height_pt, width_pt
        size = (max(1, round(width_pt * dpi / 72)), max(1, round(height_pt * dpi / 72)))
        # Shrink by a whole factor before converting: a huge grey scan never
        # exists as a full-size RGB copy.
        factor = min(frame.size[0] // size[0], frame.size[1] // size[1])
        if factor >= 2:
            if frame.mode not in _REDUCIBLE:  # bilevel fax, palette, 16-bit grey
                frame = frame.convert("RGB" if frame.mode == "P" else "L")
            frame = frame.reduce(factor)
        out = frame.convert("RGB")
        return out if out.size == size else out.resize(size, Image.Resampling.LANCZOS)

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None
        if self._img is not None:
            self._img.close()
            self._img = None

    def __enter__(self) -> PageImages:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def render_blob_page(
    path: Path, doc_type: str, number: int, dpi: int = 100, *, name: str = ""
) -> Image.Image:
    """One page of an original as an RGB image; see PageImages for many pages."""
    with PageImages(path, doc_type, name=name) as pages:
        return pages.render(number, dpi)


def render_page_png(inv: Investigation, document_id: int, number: int, dpi: int = 100) -> bytes:
    """PNG bytes of a page, cached on disk."""
    row = _document(inv, document_id)
    sha = row["sha256"]
    cached = inv.cache_dir / "pages" / sha[:2] / f"{sha}-{number}-{dpi}.png"
    if cached.exists():
        return cached.read_bytes()
    buf = io.BytesIO()
    image = render_blob_page(inv.blobs.path(sha), row["doc_type"], number, dpi, name=row["name"])
    image.save(buf, format="PNG", optimize=False)
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(".tmp")
    tmp.write_bytes(buf.getvalue())
    tmp.replace(cached)
    return buf.getvalue()
