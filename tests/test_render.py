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


def test_pages_of_a_long_tiff_render_in_order_from_one_open_file(tmp_path: Path) -> None:
    """Each frame renders at the size ingest gives it, read forward from one handle."""
    from PIL import Image, ImageDraw

    from readingroom.render import PageImages

    frames = []
    for i in range(12):
        img = Image.new("1", (850, 1100), 1)
        ImageDraw.Draw(img).rectangle((100, 100 + 50 * i, 400, 130 + 50 * i), fill=0)
        frames.append(img)
    path = tmp_path / "fax.tif"
    frames[0].save(
        path, save_all=True, append_images=frames[1:], compression="group4", dpi=(100, 100)
    )
    with PageImages(path, "image") as pages:
        images = [pages.render(n, 50) for n in range(1, 13)]
    assert all(im.size == (425, 550) for im in images)
    # Frame i has its bar at 100 + 50 i px (at 100 dpi): the renders are the right pages.
    rows = [next(y for y in range(550) if im.getpixel((125, y)) == (0, 0, 0)) for im in images]
    assert rows == [50 + 25 * i for i in range(12)]


def test_a_huge_image_renders_under_the_pixel_cap(tmp_path: Path) -> None:
    from PIL import Image

    from readingroom.render import MAX_RENDER_PIXELS, render_blob_page

    path = tmp_path / "wide.png"
    Image.new("L", (12_000, 9_000), 255).save(path, dpi=(300, 300))
    out = render_blob_page(path, "image", 1, dpi=300)
    assert out.width * out.height <= MAX_RENDER_PIXELS
    assert abs(out.width / out.height - 12 / 9) < 0.01
