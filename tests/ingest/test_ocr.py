"""OCR on pages generated here: text, boxes in points, rotation, columns."""

from __future__ import annotations

import re
import shutil
import sys

import pymupdf
import pytest
from PIL import Image

from readingroom.errors import MissingDependency, ProgramTimedOut
from readingroom.ingest import ocr
from readingroom.ingest.model import Word
from readingroom.ingest.ocr import Prepared, estimate_skew, get_engine, ocr_page

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract absent")

DPI = 150
TEXT = (
    "Enforcement and Removal Operations set a target of eight arrests per officer "
    "each week for the Atlanta field office. The memorandum was released in part "
    "with names withheld under exemption six. Collateral arrests were counted "
    "separately from targets in the weekly report to headquarters."
)


def cer(a: str, b: str) -> float:
    """Character error rate of a against truth b, whitespace collapsed."""
    a, b = re.sub(r"\s+", " ", a).strip(), re.sub(r"\s+", " ", b).strip()
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1] / max(len(b), 1)


def render(page: pymupdf.Page) -> Image.Image:
    pix = page.get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY)
    return Image.frombytes("L", (pix.width, pix.height), pix.samples)


def text_page() -> tuple[pymupdf.Document, pymupdf.Page]:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_textbox(pymupdf.Rect(72, 100, 540, 400), TEXT, fontsize=12, fontname="helv")
    return doc, page


def iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union else 0.0


def drawn_boxes(page: pymupdf.Page) -> dict[str, tuple[float, float, float, float]]:
    """Where PyMuPDF drew each (unique, punctuation-free) word, in points."""
    boxes: dict[str, list[tuple[float, float, float, float]]] = {}
    for x0, y0, x1, y1, word, *_ in page.get_text("words"):
        boxes.setdefault(word, []).append((x0, y0, x1, y1))
    return {w: b[0] for w, b in boxes.items() if len(b) == 1 and w.isalpha()}


def matched_ious(
    words: list[Word], truth: dict[str, tuple[float, float, float, float]]
) -> list[float]:
    return [iou(tuple(w[:4]), truth[w.text]) for w in words if w.text in truth]


def test_clean_page_text_boxes_and_confidence() -> None:
    _doc, page = text_page()
    img = render(page)
    result = ocr_page(img, 3, 612, 792, engine="tesseract")
    assert result.number == 3 and result.source == "ocr"
    assert result.ocr_engine and result.ocr_engine.startswith("tesseract")
    assert cer(result.text, TEXT) < 0.03, result.text
    ious = matched_ious(result.words, drawn_boxes(page))
    assert len(ious) >= 15
    # Boxes are in points on the page: they must sit on the drawn words.
    assert sorted(ious)[len(ious) // 2] > 0.5
    assert min(ious) > 0.2
    assert result.ocr_confidence is not None and 80 <= result.ocr_confidence <= 100
    assert all(w.conf is not None and 0 <= w.conf <= 100 for w in result.words)
    assert result.meta.get("rotation") is None  # an upright, level page is left alone


def test_rotated_90_page_is_read_and_boxes_land_on_displayed_image() -> None:
    _doc, page = text_page()
    truth = drawn_boxes(page)
    img = render(page).rotate(90, expand=True)  # page lies on its side, as scanned
    result = ocr_page(img, 1, 792, 612, engine="tesseract")
    assert cer(result.text, TEXT) < 0.05, result.text
    assert result.meta.get("rotation") == 90
    # Counter-clockwise turn: a point (x, y) of the upright page shows at (y, 612 - x).
    turned = {w: (b[1], 612 - b[2], b[3], 612 - b[0]) for w, b in truth.items()}
    ious = matched_ious(result.words, turned)
    assert len(ious) >= 15 and sorted(ious)[len(ious) // 2] > 0.5


def test_upside_down_page_is_read() -> None:
    _doc, page = text_page()
    img = render(page).rotate(180)
    result = ocr_page(img, 1, 612, 792, engine="tesseract")
    assert cer(result.text, TEXT) < 0.05, result.text
    assert result.meta.get("rotation") == 180


def test_two_column_page_reads_column_by_column() -> None:
    left = " ".join(f"Left column sentence {n} says alpha." for n in range(1, 9))
    right = " ".join(f"Right column sentence {n} says omega." for n in range(1, 9))
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_textbox(pymupdf.Rect(54, 72, 290, 500), left, fontsize=11, fontname="tiro")
    page.insert_textbox(pymupdf.Rect(322, 72, 558, 500), right, fontsize=11, fontname="tiro")
    text = ocr_page(render(page), 1, 612, 792, engine="tesseract").text
    lefts = [m.start() for m in re.finditer(r"alpha", text)]
    rights = [m.start() for m in re.finditer(r"omega", text)]
    assert len(lefts) >= 6 and len(rights) >= 6, text
    assert max(lefts) < min(rights), text  # whole left column first


def test_deskew_estimate_and_mapping_back() -> None:
    _doc, page = text_page()
    img = render(page).rotate(-2.0, resample=Image.Resampling.BILINEAR, fillcolor=255)
    angle, sideways = estimate_skew(img)
    assert not sideways
    assert abs(angle - 2.0) <= 0.3  # rotate(+2) levels a page turned by -2
    result = ocr_page(img, 1, 612, 792, engine="tesseract")
    assert result.meta.get("rotation") is not None
    assert cer(result.text, TEXT) < 0.05
    # Boxes land on the skewed page as displayed (truth: turn the drawn boxes' centres).
    import math

    a = math.radians(-2.0)
    cx, cy = 306, 396
    hits = 0
    truth = drawn_boxes(page)
    for w in result.words:
        if w.text not in truth:
            continue
        b = truth[w.text]
        u, v = (b[0] + b[2]) / 2 - cx, (b[1] + b[3]) / 2 - cy
        x = cx + u * math.cos(a) + v * math.sin(a)
        y = cy - u * math.sin(a) + v * math.cos(a)
        hits += w.x0 - 2 <= x <= w.x1 + 2 and w.y0 - 2 <= y <= w.y1 + 2
    assert hits >= 15


def test_prepared_maps_boxes_back_through_rotation() -> None:
    src = Image.new("L", (200, 100), 255)
    turned = src.rotate(90, expand=True)  # 100 x 200
    prep = Prepared(turned, 90.0, src.size)
    # The top-left 10x10 of the source lands at the bottom-left of the turned image.
    back = prep.to_source(Word(0, 190, 10, 200, "x", 90.0))
    assert back[:4] == pytest.approx((0, 0, 10, 10), abs=1e-6)
    assert back.text == "x" and back.conf == 90.0


def test_unknown_engine_is_a_missing_dependency() -> None:
    with pytest.raises(MissingDependency, match="unknown OCR engine"):
        get_engine("no-such-engine")


def test_missing_language_pack_is_a_missing_dependency() -> None:
    _doc, page = text_page()
    with pytest.raises(MissingDependency, match=r"language data missing.*xyz") as caught:
        ocr_page(render(page), 1, 612, 792, languages="xyz", orient=False)
    assert caught.value.kind == "missing-dependency"


def test_tesseract_overrunning_its_timeout_is_killed_and_says_so() -> None:
    _doc, page = text_page()
    with pytest.raises(ProgramTimedOut, match=r"tesseract did not finish within 0 s") as caught:
        ocr_page(render(page), 1, 612, 792, orient=False, timeout=0.001)
    assert caught.value.kind == "timeout" and caught.value.program == "tesseract"


def test_rapidocr_missing_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    with pytest.raises(MissingDependency, match="pip install rapidocr-onnxruntime"):
        ocr.RapidOcrEngine()


def test_rapidocr_reads_clean_page() -> None:
    pytest.importorskip("rapidocr_onnxruntime")
    _doc, page = text_page()
    result = ocr_page(render(page), 1, 612, 792, engine="rapidocr")
    # RapidOCR drops some spaces between words; the characters are right.
    assert cer(result.text.replace(" ", ""), TEXT.replace(" ", "")) < 0.05, result.text
    ious = matched_ious(result.words, drawn_boxes(page))
    assert len(ious) >= 10 and sorted(ious)[len(ious) // 2] > 0.4
    assert result.ocr_confidence is not None and 50 <= result.ocr_confidence <= 100
