"""Page images agree with the page sizes (points) that ingest stored."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from readingroom.ingest.pipeline import IngestOptions, ingest
from readingroom.investigation import Investigation
from readingroom.render import render_page, render_page_png

from .ingest.pdfs import make_pdf


def test_pdf_and_fax_tiff_render_at_the_stored_size(inv: Investigation, tmp_path: Path) -> None:
    make_pdf(tmp_path / "in" / "a.pdf", ["one", "two"])
    fax = Image.new("1", (1728, 1100), 1)  # standard-mode fax: 204 x 98 dpi, no dpi tag
    fax.save(tmp_path / "in" / "fax.tif", compression="group4")
    ingest(inv, [tmp_path / "in"], IngestOptions(ocr="never", workers=1))
    for name, number in (("a.pdf", 2), ("fax.tif", 1)):
        doc_id, w, h = inv.db.execute(
            "SELECT d.id, p.width, p.height FROM documents d JOIN pages p ON p.document_id = d.id"
            " WHERE d.name = ? AND p.number = ?",
            (name, number),
        ).fetchone()
        img = render_page(inv, doc_id, number, dpi=72)
        assert abs(img.width - w) <= 1 and abs(img.height - h) <= 1, name
    png = render_page_png(inv, doc_id, 1, dpi=50)
    assert png.startswith(b"\x89PNG") and render_page_png(inv, doc_id, 1, dpi=50) == png
    assert list((inv.cache_dir / "pages").rglob("*.png"))
