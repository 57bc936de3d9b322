"""Image extractor: frames as pages, sizes in points, OCR, bombs and damage."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from readingroom.errors import CorruptFile, LimitExceeded
from readingroom.ingest.formats.image import ImageExtractor, image_dpi
from readingroom.ingest.model import Limits
from readingroom.ingest.registry import choose

from .contexts import ctx_for


def encode(img: Image.Image, fmt: str, **kw: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **kw)
    return buf.getvalue()


def multipage_tiff(dpi: int = 150) -> bytes:
    frames = [Image.new("L", (300 + 10 * i, 450), 255) for i in range(3)]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:], dpi=(dpi, dpi))
    return buf.getvalue()


def test_multipage_tiff_pages_in_points_and_chunks(tmp_path: Path) -> None:
    data = multipage_tiff()
    ex = ImageExtractor().extract(ctx_for(tmp_path, "scan.tif", data, ocr="never"))
    assert ex.doc_type == "image" and ex.mime == "image/tiff" and ex.page_count == 3
    assert [(p.number, p.width, p.height) for p in ex.pages] == [
        (1, 144.0, 216.0),
        (2, 148.8, 216.0),
        (3, 153.6, 216.0),
    ]
    assert all(p.source == "none" and p.text == "" and not p.words for p in ex.pages)
    part = ImageExtractor().extract(
        ctx_for(tmp_path, "scan.tif", data, ocr="never", start_page=2, chunk_pages=1)
    )
    assert part.page_count == 3 and [p.number for p in part.pages] == [2]


def test_dpi_defaults() -> None:
    assert image_dpi(Image.new("RGB", (100, 100))) == (72.0, 72.0)
    assert image_dpi(Image.new("1", (100, 100))) == (300.0, 300.0)
    assert image_dpi(Image.new("1", (1728, 2200))) == (204.0, 196.0)  # fine-mode fax
    assert image_dpi(Image.new("1", (1728, 1100))) == (204.0, 98.0)  # standard-mode fax
    stated = Image.open(io.BytesIO(encode(Image.new("L", (10, 10)), "PNG", dpi=(200, 200))))
    assert image_dpi(stated) == pytest.approx((200.0, 200.0), abs=0.1)
    junk = Image.new("RGB", (10, 10))
    junk.info["dpi"] = (1, 1)
    assert image_dpi(junk) == (72.0, 72.0)


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_g4_fax_tiff_is_ocrd(tmp_path: Path) -> None:
    img = Image.new("L", (1300, 400), 255)
    draw = ImageDraw.Draw(img)
    draw.text((60, 120), "WITHHELD EXEMPTION", fill=0, font=ImageFont.load_default(size=90))
    data = encode(img.convert("1"), "TIFF", compression="group4")
    ex = ImageExtractor().extract(ctx_for(tmp_path, "fax.tif", data))
    (page,) = ex.pages
    assert page.source == "ocr" and page.ocr_engine and page.ocr_engine.startswith("tesseract")
    assert "WITHHELD" in page.text
    # No dpi stated, bilevel: 300 dpi, so the 1300 px width is 312 pt.
    assert page.width == pytest.approx(312.0)
    word = next(w for w in page.words if w.text == "WITHHELD")
    assert 0 < word.x0 < word.x1 <= page.width and 0 < word.y0 < word.y1 <= page.height


def test_wrong_extension_still_lands_on_image() -> None:
    data = encode(Image.new("RGB", (4, 4)), "PNG")
    assert choose("exhibit.pdf", data).name == "image"
    assert choose("photo.dat", encode(Image.new("RGB", (4, 4)), "WEBP")).name == "image"


def test_pixel_limit(tmp_path: Path) -> None:
    data = encode(Image.new("L", (100, 100)), "PNG")
    with pytest.raises(LimitExceeded, match=r"big\.png"):
        ImageExtractor().extract(
            ctx_for(tmp_path, "big.png", data, ocr="never", limits=Limits(max_image_pixels=1000))
        )


def test_truncated_image_is_corrupt(tmp_path: Path) -> None:
    noise = Image.effect_noise((200, 200), 64).convert("RGB")
    data = encode(noise, "PNG")
    with pytest.raises(CorruptFile, match=r"cut\.png"):
        ImageExtractor().extract(ctx_for(tmp_path, "cut.png", data[: len(data) // 2], ocr="never"))
    with pytest.raises(CorruptFile):
        ImageExtractor().extract(ctx_for(tmp_path, "x.jpg", b"\xff\xd8\xff garbage", ocr="never"))


def test_animated_gif_frames_are_pages(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (20, 20), (60 * i, 0, 0)) for i in range(4)]
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:])
    ex = ImageExtractor().extract(ctx_for(tmp_path, "a.gif", buf.getvalue(), ocr="never"))
    assert ex.page_count == 4 and len(ex.pages) == 4
