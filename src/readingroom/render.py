"""Page images for the viewer and for image-based analysers.

Rendering is derived data: PNGs are cached under cache/pages/ keyed by the
document's SHA-256, page and resolution, and may be deleted at any time.
"""

from __future__ import annotations

import io
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


def render_blob_page(
    path: Path, doc_type: str, number: int, dpi: int = 100, *, name: str = ""
) -> Image.Image:
    if doc_type == "pdf":
        import pymupdf

        with pymupdf.open(path, filetype="pdf") as pdf:
            if not 1 <= number <= pdf.page_count:
                raise InputError(f"{name}: no page {number} (has {pdf.page_count})")
            pix = pdf[number - 1].get_pixmap(dpi=dpi, alpha=False)
            return Image.frombytes("RGB", (pix.width, pix.height), pix.samples)
    if doc_type == "image":
        from PIL import ImageOps

        from readingroom.ingest.formats.image import page_size_points

        with Image.open(path) as img:
            n_frames = getattr(img, "n_frames", 1)
            if not 1 <= number <= n_frames:
                raise InputError(f"{name}: no page {number} (has {n_frames})")
            img.seek(number - 1)
            # The same page size in points as ingest stored, so word boxes land right.
            width_pt, height_pt = page_size_points(img)
            frame = ImageOps.exif_transpose(img) or img
            if frame.size != img.size:
                width_pt, height_pt = height_pt, width_pt
            out = frame.convert("RGB")
            size = (max(1, round(width_pt * dpi / 72)), max(1, round(height_pt * dpi / 72)))
            return out if out.size == size else out.resize(size, Image.Resampling.LANCZOS)
    raise InputError(f"{name}: {doc_type} documents have no page image")


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
