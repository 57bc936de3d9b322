"""The PDF extractor on PDFs drawn in code."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from readingroom.blobs import BlobStore
from readingroom.errors import CorruptFile, EncryptedDocument, LimitExceeded
from readingroom.ingest.formats.pdf import PdfExtractor, _pdf_date, text_from_words
from readingroom.ingest.model import ExtractContext, Limits
from readingroom.store import decode_words

from .pdfs import make_pdf


def ctx_for(path: Path, tmp_path: Path, **kw: object) -> ExtractContext:
    return ExtractContext(
        path=path,
        name=path.name,
        sha256="0" * 64,
        blobs=BlobStore(tmp_path / "blobs"),
        ocr="never",
        **kw,  # type: ignore[arg-type]
    )


def test_printed_email_labels_join_their_values_and_columns_stay_apart(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    for i, (label, value) in enumerate([("From:", "(b)(6)"), ("Sent:", "Friday, March 8, 2019")]):
        page.insert_text((72, 100 + 16 * i), label, fontsize=11)
        page.insert_text((150, 100 + 16 * i), value, fontsize=11)
    page.insert_textbox(pymupdf.Rect(50, 200, 290, 400), "Left column text. " * 8, fontsize=11)
    page.insert_textbox(pymupdf.Rect(310, 200, 550, 400), "Right column here. " * 8, fontsize=11)
    text = text_from_words(page.get_text("words"))
    lines = text.splitlines()
    assert lines[:2] == ["From: (b)(6)", "Sent: Friday, March 8, 2019"]
    left = [i for i, ln in enumerate(lines) if "Left" in ln]
    right = [i for i, ln in enumerate(lines) if "Right" in ln]
    assert max(left) < min(right), "a column is read to its end before the next"
    assert not any("Left" in ln and "Right" in ln for ln in lines)


def test_rotated_page_words_match_the_rendered_page(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 72), "Bates DFE 000123", fontsize=12)
    page.set_rotation(90)
    doc.save(tmp_path / "rot.pdf")
    result = PdfExtractor().extract(ctx_for(tmp_path / "rot.pdf", tmp_path))
    p = result.pages[0]
    assert (p.width, p.height) == (792, 612)  # as displayed
    bates = next(w for w in decode_words(p.words_blob) if w.text == "Bates")
    # rotated 90° clockwise: text near the top-left corner lands near the top-right
    assert bates.x0 > 600 and bates.y0 < 200


def test_chunks_page_count_metadata_and_embedded_files(tmp_path: Path) -> None:
    doc = pymupdf.open()
    for i in range(5):
        doc.new_page().insert_text((72, 72), f"page {i + 1}")
    doc.set_metadata({"title": "Ops plan", "creationDate": "D:20190512093000-05'00'"})
    doc.embfile_add("arrests.csv", b"office,targets\nDallas,4\n", filename="arrests.csv")
    doc.save(tmp_path / "p.pdf")
    ex = PdfExtractor()
    first = ex.extract(ctx_for(tmp_path / "p.pdf", tmp_path, chunk_pages=2))
    assert first.page_count == 5 and [p.number for p in first.pages] == [1, 2]
    assert first.title == "Ops plan" and first.date == "2019-05-12T09:30:00"
    assert [(c.name, c.kind) for c in first.children] == [("arrests.csv", "embedded")]
    assert (
        BlobStore(tmp_path / "blobs")
        .path(first.children[0].sha256)
        .read_bytes()
        .startswith(b"office,")
    )
    rest = ex.extract(ctx_for(tmp_path / "p.pdf", tmp_path, chunk_pages=2, start_page=5))
    assert [p.number for p in rest.pages] == [5] and rest.children == []
    assert "page 5" in rest.pages[0].text


def test_errors_name_the_file_and_the_reason(tmp_path: Path) -> None:
    make_pdf(tmp_path / "locked.pdf", ["x"], password="pw")
    with pytest.raises(EncryptedDocument, match=r"locked\.pdf: .*password"):
        PdfExtractor().extract(ctx_for(tmp_path / "locked.pdf", tmp_path))
    (tmp_path / "junk.pdf").write_bytes(b"%PDF-1.7\n garbage garbage")
    with pytest.raises(CorruptFile, match=r"junk\.pdf"):
        PdfExtractor().extract(ctx_for(tmp_path / "junk.pdf", tmp_path))
    make_pdf(tmp_path / "many.pdf", ["a"] * 5)
    with pytest.raises(LimitExceeded, match="5 pages is more than the limit of 3"):
        PdfExtractor().extract(ctx_for(tmp_path / "many.pdf", tmp_path, limits=Limits(max_pages=3)))


def test_owner_password_only_pdf_is_readable(tmp_path: Path) -> None:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "restricted but open")
    doc.save(
        tmp_path / "owner.pdf",
        encryption=pymupdf.PDF_ENCRYPT_AES_256,
        owner_pw="owner",
        user_pw="",
        permissions=0,
    )
    result = PdfExtractor().extract(ctx_for(tmp_path / "owner.pdf", tmp_path))
    assert "restricted but open" in result.pages[0].text


def test_match_prefers_magic_over_extension() -> None:
    ex = PdfExtractor()
    assert ex.match("scan.txt", b"%PDF-1.4\n") > ex.match("scan.pdf", b"hello") > 0
    assert ex.match("notes.txt", b"hello") == 0
    # junk before the header is allowed, but a zip holding a PDF is not a PDF
    assert 0 < ex.match("x.bin", b"junk\n%PDF-1.4") < ex.match("x.bin", b"%PDF-1.4")


@pytest.mark.parametrize(
    ("raw", "iso"),
    [("D:2019", "2019"), ("D:20190512", "2019-05-12"), ("D:20191345", None), ("", None)],
)
def test_pdf_dates(raw: str, iso: str | None) -> None:
    assert _pdf_date(raw) == iso
