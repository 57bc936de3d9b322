"""Office extractors on documents written here with python-docx, openpyxl, python-pptx."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from readingroom.errors import EncryptedDocument, LimitExceeded, UnsupportedFormat
from readingroom.ingest.formats import office
from readingroom.ingest.model import Limits
from readingroom.ingest.registry import choose

from .contexts import ctx_for

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(buf, format="PNG")
    return buf.getvalue()


def make_docx() -> bytes:
    import docx
    from docx.enum.text import WD_BREAK

    doc = docx.Document()
    doc.core_properties.title = "Enforcement plan"
    doc.core_properties.created = datetime(2019, 5, 1, 9, 0)
    section = doc.sections[0]
    section.header.paragraphs[0].text = "LAW ENFORCEMENT SENSITIVE"
    section.footer.paragraphs[0].text = "Page footer"
    doc.add_paragraph("Page one text about quotas.")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Office"
    table.cell(0, 1).text = "Target"
    table.cell(1, 0).text = "Newark"
    table.cell(1, 1).text = "75"
    p = doc.add_paragraph("Before the break.")
    p.add_run().add_break(WD_BREAK.PAGE)
    p.add_run("After the break.")
    doc.add_picture(io.BytesIO(png_bytes()))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_docx_text_tables_headers_and_explicit_page_break(tmp_path: Path) -> None:
    data = make_docx()
    assert choose("scan-0001", data[:8192]).name == "docx"  # by content, no extension
    ex = office.DocxExtractor().extract(ctx_for(tmp_path, "plan.docx", data))
    assert ex.doc_type == "word" and ex.title == "Enforcement plan"
    assert ex.date is not None and ex.date.startswith("2019-05-01T09:00:00")
    assert ex.page_count == 2
    first, second = ex.pages[0].text, ex.pages[1].text
    assert first.startswith("LAW ENFORCEMENT SENSITIVE")
    assert "Office\tTarget\nNewark\t75" in first
    assert first.rstrip().endswith("Before the break.")
    assert second.startswith("After the break.") and "Page footer" in second
    assert [c.kind for c in ex.children] == ["embedded"]
    assert ex.children[0].name.startswith("word/media/")


def make_xlsx(rows: int = 400) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Arrests"
    ws.append(["ICE ERO Weekly Report"])  # a title row above the real header
    ws.append(["Office", "Date", "Arrests", "Collateral"])
    for i in range(rows):
        ws.append([f"Field office {i}", datetime(2019, 1, 1 + i % 28), i, 0.5])
    hidden = wb.create_sheet("Notes")
    hidden.append(["(b)(7)(E) withheld"])
    hidden.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_sheets_pages_header_repeated_and_hidden_sheet(tmp_path: Path) -> None:
    ex = office.XlsxExtractor().extract(
        ctx_for(tmp_path, "stats.xlsx", make_xlsx(), chunk_pages=1000)
    )
    assert ex.doc_type == "spreadsheet" and ex.metadata["sheets"] == ["Arrests", "Notes"]
    arrests = [p for p in ex.pages if p.meta["sheet"] == "Arrests"]
    assert len(arrests) > 1
    assert arrests[0].text.startswith("ICE ERO Weekly Report\nOffice\tDate\tArrests\tCollateral")
    assert arrests[0].meta["header_row"] == 2 and arrests[0].meta["rows"][0] == 1
    for page in arrests[1:]:
        assert page.text.splitlines()[0] == "Office\tDate\tArrests\tCollateral"
    assert "Field office 3\t2019-01-04\t3\t0.5" in arrests[0].text
    assert arrests[-1].meta["rows"][1] == 402
    notes = [p for p in ex.pages if p.meta["sheet"] == "Notes"]
    assert notes[0].text == "(b)(7)(E) withheld" and notes[0].meta["hidden"] is True
    assert any("hidden" in w for w in ex.warnings)
    assert ex.page_count == len(ex.pages)


def test_xlsx_chunking_returns_the_requested_pages(tmp_path: Path) -> None:
    data = make_xlsx()
    full = office.XlsxExtractor().extract(ctx_for(tmp_path, "s.xlsx", data, chunk_pages=1000))
    part = office.XlsxExtractor().extract(
        ctx_for(tmp_path, "s.xlsx", data, start_page=2, chunk_pages=2)
    )
    assert part.page_count == full.page_count
    assert [(p.number, p.text) for p in part.pages] == [(p.number, p.text) for p in full.pages[1:3]]


def test_pptx_one_page_per_slide_with_notes(tmp_path: Path) -> None:
    import pptx
    from pptx.util import Inches

    deck = pptx.Presentation()
    for i in (1, 2):
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = f"Slide {i} title"
        slide.placeholders[1].text = f"Bullet on slide {i}"
        box = slide.shapes.add_textbox(Inches(1), Inches(5), Inches(3), Inches(1))
        box.text_frame.text = f"box {i}"
    deck.slides[1].notes_slide.notes_text_frame.text = "Speaker says: do not release"
    buf = io.BytesIO()
    deck.save(buf)
    ex = office.PptxExtractor().extract(ctx_for(tmp_path, "brief.pptx", buf.getvalue()))
    assert ex.doc_type == "presentation" and ex.page_count == 2
    assert ex.pages[0].text == "Slide 1 title\nBullet on slide 1\nbox 1"
    assert ex.pages[1].text.endswith("Notes:\nSpeaker says: do not release")
    assert [p.meta["slide"] for p in ex.pages] == [1, 2]


def test_ooxml_zip_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(make_docx())) as src, zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            out.writestr(info, src.read(info))
        out.writestr(
            zipfile.ZipInfo("word/bomb.xml"), b" " * (8 * 1024 * 1024), zipfile.ZIP_DEFLATED
        )
    with pytest.raises(LimitExceeded, match=r"word/bomb\.xml"):
        office.DocxExtractor().extract(
            ctx_for(tmp_path, "b.docx", buf.getvalue(), limits=Limits(max_ratio=200))
        )


def test_encrypted_ooxml_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office, "_ole_streams", lambda ctx: {"EncryptedPackage", "EncryptionInfo"})
    data = OLE + b"\x00" * 600
    assert choose("locked.xlsx", data).name == "xlsx"
    with pytest.raises(EncryptedDocument, match=r"locked\.xlsx"):
        office.XlsxExtractor().extract(ctx_for(tmp_path, "locked.xlsx", data))


def test_legacy_doc_without_libreoffice_says_what_is_needed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(office, "_ole_streams", lambda ctx: {"WordDocument", "1Table"})
    monkeypatch.setattr(office, "soffice_path", lambda: None)
    data = OLE + b"\x00" * 600 + "WordDocument".encode("utf-16-le")
    assert choose("memo.doc", data).name == "ole-office"
    with pytest.raises(UnsupportedFormat, match=r"memo\.doc.*LibreOffice"):
        office.LegacyOfficeExtractor().extract(ctx_for(tmp_path, "memo.doc", data))


def test_cell_text_formats() -> None:
    assert office.cell_text(datetime(2019, 2, 3)) == "2019-02-03"
    assert office.cell_text(datetime(2019, 2, 3, 4, 5)) == "2019-02-03 04:05:00"
    assert office.cell_text(3.0) == "3" and office.cell_text(0.25) == "0.25"
    assert office.cell_text("two\nlines\t here") == "two lines here"
    assert office.cell_text(None) == "" and office.cell_text(True) == "TRUE"
