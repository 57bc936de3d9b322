"""Office documents: Word, Excel and PowerPoint, OOXML and legacy binary.

Word text is cut into pages at explicit page and section breaks (the only
page boundaries a .docx really knows), then by size. A spreadsheet is one page
per sheet (more for big sheets, the header row repeated on each), cells
tab-separated, so a hit can be cited as "sheet X, rows a-b". A presentation is
one page per slide, speaker notes included. Hidden sheets, tracked deletions
and comments are kept: in released records they are often the news.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, ClassVar

from readingroom.errors import (
    CorruptFile,
    EncryptedDocument,
    LimitExceeded,
    ProgramFailed,
    ProgramTimedOut,
    UnsupportedFormat,
)
from readingroom.external import run
from readingroom.filetypes import extension
from readingroom.ingest.formats.archive import RATIO_FLOOR, ZIP_MAGIC
from readingroom.ingest.formats.text import paged_extraction, paginate, table_pages
from readingroom.ingest.model import ChildFile, ExtractContext, Extraction

log = logging.getLogger(__name__)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADER_SCAN_ROWS = 30  # rows searched for a sheet's header row
SOFFICE_TIMEOUT = 180  # seconds for one legacy document conversion

_OOXML = {
    "docx": ((".docx", ".docm", ".dotx", ".dotm"), b"word/"),
    "xlsx": ((".xlsx", ".xlsm", ".xltx", ".xltm"), b"xl/"),
    "pptx": ((".pptx", ".pptm", ".ppsx", ".potx"), b"ppt/"),
}
_MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}


def _utf16(s: str) -> bytes:
    return s.encode("utf-16-le")


def ole_kind(head: bytes) -> str | None:
    """Guess what an OLE compound file holds from directory names in its first bytes."""
    if not head.startswith(OLE_MAGIC):
        return None
    for marker, kind in (
        ("__substg1.0_", "msg"),
        ("EncryptedPackage", "encrypted-ooxml"),
        ("WordDocument", "doc"),
        ("Workbook", "xls"),
        ("PowerPoint Document", "ppt"),
    ):
        if _utf16(marker) in head:
            return kind
    return None


def _ole_streams(ctx: ExtractContext) -> set[str]:
    import olefile

    try:
        with olefile.OleFileIO(str(ctx.path)) as ole:
            return {"/".join(entry) for entry in ole.listdir(streams=True, storages=True)}
    except Exception as e:
        raise CorruptFile(f"{ctx.name}: damaged OLE compound file: {e}") from e


def _encrypted(ctx: ExtractContext, what: str) -> EncryptedDocument:
    return EncryptedDocument(
        f"{ctx.name}: password-protected {what}; open it with the password and save an "
        "unprotected copy, then ingest that copy"
    )


def _open_ooxml(ctx: ExtractContext, kind: str) -> zipfile.ZipFile:
    """Open the OOXML zip after checking its directory for bombs."""
    with open(ctx.path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(OLE_MAGIC):
        if "EncryptedPackage" in _ole_streams(ctx):
            raise _encrypted(ctx, kind)
        raise CorruptFile(f"{ctx.name}: named like {kind} but is a legacy Office file")
    try:
        zf = zipfile.ZipFile(ctx.path)
    except (zipfile.BadZipFile, OSError) as e:
        raise CorruptFile(f"{ctx.name}: not a readable {kind} file (bad zip: {e})") from e
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    if total > ctx.limits.max_unpacked_bytes:
        zf.close()
        raise LimitExceeded(
            f"{ctx.name}: {kind} unpacks to {total} bytes, over the limit of "
            f"{ctx.limits.max_unpacked_bytes}"
        )
    for i in infos:
        if i.file_size > RATIO_FLOOR and i.file_size > i.compress_size * ctx.limits.max_ratio:
            zf.close()
            raise LimitExceeded(
                f"{ctx.name}: part {i.filename} expands {i.file_size // max(1, i.compress_size)}"
                f" times (limit {ctx.limits.max_ratio:g}); a zip bomb, not opened"
            )
    return zf


def _embedded_children(ctx: ExtractContext, zf: zipfile.ZipFile) -> list[ChildFile]:
    """Embedded objects and pictures (pasted scans are common) as children."""
    if ctx.start_page > 1:
        return []
    children: list[ChildFile] = []
    for info in zf.infolist():
        parts = info.filename.split("/")
        if info.is_dir() or len(parts) < 3 or parts[1] not in ("embeddings", "media"):
            continue
        with zf.open(info) as stream:
            sha, size = ctx.blobs.put_stream(stream, max_bytes=info.file_size)
        children.append(ChildFile(info.filename, sha, size, kind="embedded"))
    return children


def _iso(value: Any) -> str | None:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return None


def _core_meta(props: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for key in ("title", "author", "last_modified_by", "created", "modified", "subject"):
        with contextlib.suppress(Exception):
            value = getattr(props, key, None)
            if value:
                meta[key] = _iso(value) or str(value)
    return meta


def _zip_xml(zf: zipfile.ZipFile, name: str) -> Any:
    from lxml import etree

    try:
        data = zf.read(name)
    except KeyError:
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    return etree.fromstring(data, parser)


# --- Word ---------------------------------------------------------------------


def _para_text(p: Any, deleted: list[str]) -> str:
    """A w:p's text with tabs, line breaks and explicit page breaks (as form feeds)."""
    out: list[str] = []
    ppr = p.find(f"{W}pPr")
    if ppr is not None:
        pbb = ppr.find(f"{W}pageBreakBefore")
        if pbb is not None and pbb.get(f"{W}val", "true") not in ("0", "false", "off"):
            out.append("\f")
    for el in p.iter():
        tag = el.tag
        if tag == f"{W}t":
            out.append(el.text or "")
        elif tag == f"{W}delText":
            deleted.append(el.text or "")
        elif tag == f"{W}tab" and el.getparent().tag == f"{W}r":
            out.append("\t")
        elif tag == f"{W}br":
            out.append("\f" if el.get(f"{W}type") == "page" else "\n")
        elif tag == f"{W}cr":
            out.append("\n")
        elif tag == f"{W}noBreakHyphen":
            out.append("-")
    if ppr is not None:
        sect = ppr.find(f"{W}sectPr")
        if sect is not None:
            kind = sect.find(f"{W}type")
            if kind is None or kind.get(f"{W}val") not in ("continuous",):
                out.append("\f")
    return "".join(out)


def _block_texts(parent: Any, deleted: list[str]) -> Iterator[str]:
    """Paragraph and table texts in document order (content controls unwrapped)."""
    for el in parent:
        tag = el.tag
        if tag == f"{W}p":
            yield _para_text(el, deleted)
        elif tag == f"{W}tbl":
            for row in el.iter(f"{W}tr"):
                cells = []
                for cell in row.findall(f"{W}tc"):
                    texts = [t for t in _block_texts(cell, deleted) if t.strip()]
                    cells.append(" ".join(" ".join(texts).split()))
                yield "\t".join(cells)
        elif tag == f"{W}sdt":
            content = el.find(f"{W}sdtContent")
            if content is not None:
                yield from _block_texts(content, deleted)


def _part_texts(zf: zipfile.ZipFile, prefix: str, deleted: list[str]) -> list[str]:
    texts: list[str] = []
    for name in sorted(n for n in zf.namelist() if n.startswith(prefix) and n.endswith(".xml")):
        root = _zip_xml(zf, name)
        if root is None:
            continue
        text = "\n".join(t for t in _block_texts(root, deleted) if t.strip())
        if text and text not in texts:
            texts.append(text.replace("\f", "\n"))
    return texts


def _notes(zf: zipfile.ZipFile, part: str, tag: str, deleted: list[str]) -> list[str]:
    """Footnote/endnote/comment texts, skipping Word's separator notes."""
    root = _zip_xml(zf, part)
    if root is None:
        return []
    out = []
    for note in root.findall(f"{W}{tag}"):
        if note.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        text = " ".join(t.strip() for t in _block_texts(note, deleted) if t.strip())
        if tag == "comment" and (author := note.get(f"{W}author")):
            text = f"[{author}] {text}"
        if text:
            out.append(text)
    return out


def docx_extraction(ctx: ExtractContext, mime: str = _MIME["docx"]) -> Extraction:
    import docx

    zf = _open_ooxml(ctx, "Word document")
    with zf:
        try:
            with open(ctx.path, "rb") as fh:
                document = docx.Document(fh)
        except Exception as e:
            raise CorruptFile(f"{ctx.name}: damaged Word document ({type(e).__name__}: {e})") from e
        deleted: list[str] = []
        body = "\n".join(_block_texts(document.element.body, deleted))
        headers = _part_texts(zf, "word/header", deleted)
        footers = _part_texts(zf, "word/footer", deleted)
        footnotes = _notes(zf, "word/footnotes.xml", "footnote", deleted)
        endnotes = _notes(zf, "word/endnotes.xml", "endnote", deleted)
        comments = _notes(zf, "word/comments.xml", "comment", deleted)
        children = _embedded_children(ctx, zf)
    meta = _core_meta(document.core_properties)
    tail = []
    for label, items in (("Footnotes", footnotes), ("Endnotes", endnotes), ("Comments", comments)):
        if items:
            tail.append(f"{label}:\n" + "\n".join(items))
    text = "\n\n".join(t for t in ["\n".join(headers), body, "\n".join(footers), *tail] if t)
    warnings = []
    if deleted:
        meta["tracked_deletions"] = [d for d in deleted if d.strip()][:1000]
        warnings.append("document has tracked deletions (kept in metadata, not in page text)")
    if comments:
        meta["comments"] = len(comments)
    ex = paged_extraction(
        paginate(text),
        ctx,
        doc_type="word",
        mime=mime,
        children=children,
        title=meta.get("title"),
        date=meta.get("created") or meta.get("modified"),
        metadata=meta,
    )
    ex.warnings[:0] = warnings
    return ex


# --- Excel --------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell value as a reader would see it, on one line."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return " ".join(str(value).split())


def _rows(rows: Iterable[Iterable[Any]]) -> Iterator[tuple[int, list[str]]]:
    for number, row in enumerate(rows, start=1):
        cells = [cell_text(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            yield number, cells


def sheet_pages(
    sheet: str, rows: Iterable[Iterable[Any]], extra: dict[str, Any]
) -> tuple[list[str], list[dict[str, Any]]]:
    """Pages for one sheet, the header row repeated on each.

    The header is the first of the opening rows that is at least half as
    full as the fullest of them: report titles above it are preamble on page 1.
    """
    it = _rows(rows)
    opening = list(itertools.islice(it, HEADER_SCAN_ROWS))
    widest = max((sum(1 for c in cells if c) for _, cells in opening), default=0)
    at = next(
        (i for i, (_, cells) in enumerate(opening) if sum(1 for c in cells if c) * 2 >= widest),
        0,
    )
    preamble = ["\t".join(cells) for _, cells in opening[:at]]
    header = opening[at][1] if opening else None
    body = itertools.chain(opening[at + 1 :], it)
    texts, metas = table_pages(header, body, preamble=preamble)
    if opening and metas == [{}]:
        metas = [{"rows": [opening[0][0], opening[at][0]]}]
    if opening:
        metas[0]["rows"][0] = opening[0][0]
        metas[0]["header_row"] = opening[at][0]
    for m in metas:
        m.update(sheet=sheet, **extra)
    return texts, metas


def xlsx_extraction(ctx: ExtractContext) -> Extraction:
    import openpyxl

    zf = _open_ooxml(ctx, "Excel workbook")
    with zf:
        children = _embedded_children(ctx, zf)
    texts: list[str] = []
    metas: list[dict[str, Any]] = []
    warnings: list[str] = []
    with open(ctx.path, "rb") as fh:
        try:
            wb = openpyxl.load_workbook(fh, read_only=True, data_only=True)
        except Exception as e:
            raise CorruptFile(
                f"{ctx.name}: damaged Excel workbook ({type(e).__name__}: {e})"
            ) from e
        try:
            meta = _core_meta(wb.properties)
            for ws in wb.worksheets:
                extra: dict[str, Any] = {}
                if getattr(ws, "sheet_state", "visible") != "visible":
                    extra["hidden"] = True
                    warnings.append(f"sheet {ws.title!r} is hidden in the workbook")
                try:
                    if hasattr(ws, "reset_dimensions"):
                        ws.reset_dimensions()  # stored dimensions are often wrong
                    t, m = sheet_pages(ws.title, ws.iter_rows(values_only=True), extra)
                except Exception as e:
                    warnings.append(f"sheet {ws.title!r} could not be read fully: {e}")
                    t, m = [""], [{"sheet": ws.title, **extra}]
                texts.extend(t)
                metas.extend(m)
            meta["sheets"] = wb.sheetnames
        finally:
            wb.close()
    ex = paged_extraction(
        texts or [""],
        ctx,
        doc_type="spreadsheet",
        mime=_MIME["xlsx"],
        metas=metas or [{}],
        children=children,
        title=meta.get("title"),
        date=meta.get("created") or meta.get("modified"),
        metadata=meta,
    )
    ex.warnings[:0] = warnings
    return ex


def xls_extraction(ctx: ExtractContext) -> Extraction:
    import xlrd
    from xlrd.biffh import XLRDError

    try:
        book = xlrd.open_workbook(str(ctx.path), on_demand=True)
    except XLRDError as e:
        if "encrypt" in str(e).lower():
            raise _encrypted(ctx, "Excel workbook") from e
        raise CorruptFile(f"{ctx.name}: damaged Excel 97-2003 workbook: {e}") from e
    except Exception as e:
        raise CorruptFile(f"{ctx.name}: damaged Excel 97-2003 workbook ({e})") from e
    texts: list[str] = []
    metas: list[dict[str, Any]] = []
    warnings: list[str] = []
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            extra: dict[str, Any] = {}
            if getattr(sheet, "visibility", 0):
                extra["hidden"] = True
                warnings.append(f"sheet {sheet.name!r} is hidden in the workbook")
            rows = ([_xls_value(c, book) for c in sheet.row(r)] for r in range(sheet.nrows))
            t, m = sheet_pages(sheet.name, rows, extra)
            texts.extend(t)
            metas.extend(m)
            book.unload_sheet(index)
        names = book.sheet_names()
    finally:
        book.release_resources()
    ex = paged_extraction(
        texts or [""],
        ctx,
        doc_type="spreadsheet",
        mime=_MIME["xls"],
        metas=metas or [{}],
        metadata={"sheets": names},
    )
    ex.warnings[:0] = warnings
    return ex


def _xls_value(cell: Any, book: Any) -> Any:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        except Exception:
            return cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERR")
    return cell.value


# --- PowerPoint -----------------------------------------------------------------


def _shape_texts(shapes: Iterable[Any]) -> Iterator[str]:
    for shape in shapes:
        with contextlib.suppress(Exception):
            if getattr(shape, "shape_type", None) == 6 or hasattr(shape, "shapes"):  # group
                yield from _shape_texts(shape.shapes)
                continue
            if getattr(shape, "has_text_frame", False) and shape.text_frame.text.strip():
                yield shape.text_frame.text
            if getattr(shape, "has_table", False):
                for row in shape.table.rows:
                    yield "\t".join(" ".join(c.text.split()) for c in row.cells)


def pptx_extraction(ctx: ExtractContext, mime: str = _MIME["pptx"]) -> Extraction:
    import pptx

    zf = _open_ooxml(ctx, "PowerPoint presentation")
    with zf:
        children = _embedded_children(ctx, zf)
    try:
        with open(ctx.path, "rb") as fh:
            deck = pptx.Presentation(fh)
    except Exception as e:
        raise CorruptFile(f"{ctx.name}: damaged PowerPoint file ({type(e).__name__}: {e})") from e
    texts: list[str] = []
    metas: list[dict[str, Any]] = []
    for number, slide in enumerate(deck.slides, start=1):
        parts = list(_shape_texts(slide.shapes))
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            if notes is not None and notes.text.strip():
                parts.append("Notes:\n" + notes.text)
        texts.append("\n".join(parts).replace("\x0b", "\n"))
        meta: dict[str, Any] = {"slide": number}
        if slide.element.get("show") in ("0", "false"):
            meta["hidden"] = True
        metas.append(meta)
    meta = _core_meta(deck.core_properties)
    return paged_extraction(
        texts or [""],
        ctx,
        doc_type="presentation",
        mime=mime,
        metas=metas or [{}],
        children=children,
        title=meta.get("title"),
        date=meta.get("created") or meta.get("modified"),
        metadata=meta,
    )


# --- Legacy binary Office via LibreOffice -----------------------------------------


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_soffice(ctx: ExtractContext, source_ext: str, target: str) -> Path:
    """Convert a legacy file with headless LibreOffice into a private temp dir.

    The caller removes the returned file's parent directory. A private
    UserInstallation lets parallel workers run without sharing a profile lock.
    """
    exe = soffice_path()
    kind = {"doc": "Word 97-2003", "ppt": "PowerPoint 97-2003"}.get(source_ext, source_ext)
    if exe is None:
        raise UnsupportedFormat(
            f"{ctx.name}: legacy {kind} files need LibreOffice to be read; install it "
            "(apt-get install libreoffice-core libreoffice-writer libreoffice-impress) "
            "and ingest again"
        )
    work = Path(tempfile.mkdtemp(prefix="readingroom-soffice-"))
    source = work / f"input.{source_ext}"
    shutil.copyfile(ctx.path, source)
    cmd = [
        exe,
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        target,
        "--outdir",
        str(work / "out"),
        str(source),
    ]
    log.debug("converting %s (%s) to %s with LibreOffice", ctx.name, kind, target)
    try:
        run(cmd, timeout=SOFFICE_TIMEOUT, env={**os.environ, "HOME": str(work)})
    except ProgramTimedOut as e:
        shutil.rmtree(work, ignore_errors=True)
        raise ProgramTimedOut(
            f"{ctx.name}: LibreOffice did not convert it within {SOFFICE_TIMEOUT} s"
            + (f": {e.stderr}" if e.stderr else ""),
            program=e.program,
            stderr=e.stderr,
        ) from e
    except ProgramFailed as e:
        shutil.rmtree(work, ignore_errors=True)
        raise ProgramFailed(
            f"{ctx.name}: LibreOffice could not convert it: {e.stderr or e}",
            program=e.program,
            stderr=e.stderr,
            returncode=e.returncode,
        ) from e
    out = work / "out" / f"input.{target}"
    if not out.exists():
        shutil.rmtree(work, ignore_errors=True)
        raise CorruptFile(f"{ctx.name}: LibreOffice produced no output (damaged or protected?)")
    return out


def _via_soffice(ctx: ExtractContext, source_ext: str) -> Extraction:
    from dataclasses import replace

    target = {"doc": "docx", "ppt": "pptx"}[source_ext]
    converted = convert_with_soffice(ctx, source_ext, target)
    try:
        sub = replace(ctx, path=converted)
        if target == "docx":
            ex = docx_extraction(sub, mime=_MIME["doc"])
        else:
            ex = pptx_extraction(sub, mime=_MIME["ppt"])
    finally:
        shutil.rmtree(converted.parent.parent, ignore_errors=True)
    ex.warnings.append(f"converted from legacy .{source_ext} with LibreOffice")
    ex.metadata["converted_with"] = "libreoffice"
    return ex


# --- extractors -------------------------------------------------------------------


class _OoxmlExtractor:
    kind: ClassVar[str]

    def match(self, name: str, head: bytes) -> int:
        exts, marker = _OOXML[self.kind]
        ext = extension(name) in exts
        if head.startswith(ZIP_MAGIC):
            if b"[Content_Types].xml" in head and marker in head:
                return 90 if ext else 80
            return 70 if ext else 0
        if head.startswith(OLE_MAGIC) and ext:
            return 85  # an encrypted OOXML file is an OLE container
        return 15 if ext else 0


class DocxExtractor(_OoxmlExtractor):
    """Word .docx: body, tables, headers/footers, foot/endnotes, comments."""

    name: ClassVar[str] = "docx"
    version: ClassVar[str] = "1"
    kind: ClassVar[str] = "docx"

    def extract(self, ctx: ExtractContext) -> Extraction:
        return docx_extraction(ctx)


class XlsxExtractor(_OoxmlExtractor):
    """Excel .xlsx: one page per sheet (more for big ones), header row repeated."""

    name: ClassVar[str] = "xlsx"
    version: ClassVar[str] = "1"
    kind: ClassVar[str] = "xlsx"

    def extract(self, ctx: ExtractContext) -> Extraction:
        return xlsx_extraction(ctx)


class PptxExtractor(_OoxmlExtractor):
    """PowerPoint .pptx: one page per slide, speaker notes included."""

    name: ClassVar[str] = "pptx"
    version: ClassVar[str] = "1"
    kind: ClassVar[str] = "pptx"

    def extract(self, ctx: ExtractContext) -> Extraction:
        return pptx_extraction(ctx)


_LEGACY_EXTS = {".doc": "doc", ".dot": "doc", ".xls": "xls", ".xlt": "xls", ".ppt": "ppt"}


class LegacyOfficeExtractor:
    """OLE compound files: .xls via xlrd, .doc/.ppt via LibreOffice, .msg handed on.

    The kind is read from the file's own directory, not its name, so a .doc
    that is really an Outlook message or an encrypted .docx still lands right.
    """

    name: ClassVar[str] = "ole-office"
    version: ClassVar[str] = "1"

    def match(self, name: str, head: bytes) -> int:
        ext = extension(name) in _LEGACY_EXTS
        if head.startswith(OLE_MAGIC):
            kind = ole_kind(head)
            if kind in ("doc", "xls", "ppt", "encrypted-ooxml"):
                return 90 if ext else 80
            return 85 if ext else 30
        return 10 if ext else 0

    def extract(self, ctx: ExtractContext) -> Extraction:
        with open(ctx.path, "rb") as fh:
            head = fh.read(8)
        if not head.startswith(OLE_MAGIC):
            raise CorruptFile(f"{ctx.name}: not an Office 97-2003 file (no OLE signature)")
        streams = _ole_streams(ctx)
        tops = {s.split("/")[0] for s in streams}
        if any(s.startswith("__substg1.0_") for s in tops):
            from readingroom.ingest.formats.email import MsgExtractor

            return MsgExtractor().extract(ctx)
        if "EncryptedPackage" in tops:
            raise _encrypted(ctx, "Office document")
        if tops & {"Workbook", "Book"}:
            return xls_extraction(ctx)
        if "WordDocument" in tops:
            return _via_soffice(ctx, "doc")
        if "PowerPoint Document" in tops:
            return _via_soffice(ctx, "ppt")
        raise UnsupportedFormat(
            f"{ctx.name}: OLE compound file of an unknown kind (streams: "
            f"{', '.join(sorted(tops)[:8])}); not a Word, Excel, PowerPoint or Outlook file"
        )


EXTRACTORS = [DocxExtractor(), XlsxExtractor(), PptxExtractor(), LegacyOfficeExtractor()]
