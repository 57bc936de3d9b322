"""Pages whose text is an invisible OCR layer over a scan: flagged, and judged like any layer."""

from __future__ import annotations

import io
from pathlib import Path

import pymupdf
from PIL import Image, ImageDraw, ImageFont

from readingroom.ingest.formats.pdf import INVISIBLE_OVER_IMAGE, LAYER_KEY, PdfExtractor
from tests.ingest.contexts import ctx_for

GOOD = (
    "Memorandum for field office directors. The quota for collateral arrests is set by "
    "headquarters each quarter and reported weekly by every office to the deputy director. "
    "Offices that miss the target explain why in the weekly report to headquarters."
)


def _scan_png(text: str) -> bytes:
    img = Image.new("L", (1275, 1650), 255)  # letter at 150 dpi
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=28)
    for i, line in enumerate([text[j : j + 60] for j in range(0, len(text), 60)]):
        draw.text((100, 150 + 40 * i), line, fill=0, font=font)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def context(pdf: Path, **kw: object):  # type: ignore[no-untyped-def]
    return ctx_for(pdf.parent, pdf.name, pdf.read_bytes(), **kw)


def _pdf(path: Path, layer: str, *, under: bool = False) -> Path:
    """A scanned page with a text layer drawn invisibly (mode 3) or under the image."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    if under:
        page.insert_textbox(pymupdf.Rect(72, 72, 540, 700), layer, fontsize=11)
        page.insert_image(page.rect, stream=_scan_png(GOOD))
    else:
        page.insert_image(page.rect, stream=_scan_png(GOOD))
        page.insert_textbox(pymupdf.Rect(72, 72, 540, 700), layer, fontsize=11, render_mode=3)
    doc.save(path)
    doc.close()
    return path


def _born_digital(path: Path) -> Path:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_textbox(pymupdf.Rect(72, 72, 540, 700), GOOD, fontsize=11)
    page.insert_image(pymupdf.Rect(72, 600, 200, 700), stream=_scan_png("logo"))  # a small logo
    doc.save(path)
    doc.close()
    return path


def test_a_good_invisible_layer_is_kept_and_flagged(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path / "ocrd.pdf", GOOD)
    [page] = PdfExtractor().extract(context(pdf, ocr="auto")).pages
    assert page.source == "text" and "quota for collateral arrests" in page.text
    assert page.meta[LAYER_KEY] == INVISIBLE_OVER_IMAGE


def test_a_poor_invisible_layer_is_re_ocred_and_still_flagged(tmp_path: Path) -> None:
    garbage = "~~ |\\ /// ^^ ;;; ` ~_~ ## ** %% Mcr ~ ^ rn ||| " * 8  # an agency's OCR gone wrong
    pdf = _pdf(tmp_path / "bad-ocr.pdf", garbage)
    [page] = PdfExtractor().extract(context(pdf, ocr="auto")).pages
    assert page.source == "ocr" and "quota" in page.text.lower()
    assert page.meta[LAYER_KEY] == INVISIBLE_OVER_IMAGE


def test_text_under_a_page_covering_image_is_flagged(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path / "under.pdf", GOOD, under=True)
    [page] = PdfExtractor().extract(context(pdf, ocr="never")).pages
    assert page.meta.get(LAYER_KEY) == INVISIBLE_OVER_IMAGE


def test_a_born_digital_page_with_a_logo_is_not_flagged(tmp_path: Path) -> None:
    [page] = PdfExtractor().extract(context(_born_digital(tmp_path / "memo.pdf"), ocr="auto")).pages
    assert page.source == "text" and LAYER_KEY not in page.meta
