"""PDF pages: the text layer where it is real, OCR where it is absent or garbage.

PyMuPDF reads both the text and the word boxes from one text page per page,
so a page's words cost one parse. Pages of a large PDF are handled in chunks
(`ctx.start_page`, `ctx.chunk_pages`) so the pipeline can spread one long
production over all workers and keep memory bounded.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, ClassVar

import pymupdf
from PIL import Image

from readingroom.errors import CorruptFile, EncryptedDocument, LimitExceeded
from readingroom.ingest.model import ChildFile, ExtractContext, Extraction, PageContent, PageSource
from readingroom.store import encode_boxes

pymupdf.TOOLS.mupdf_display_errors(False)  # broken PDFs are reported per file, not on stderr
pymupdf.TOOLS.mupdf_display_warnings(False)

OCR_DPI = 300
_PDF_DATE = re.compile(r"D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?")


def _pdf_date(value: str | None) -> str | None:
    """'D:20190512093000-05'00'' → '2019-05-12T09:30:00' (local time as written)."""
    if not value:
        return None
    m = _PDF_DATE.match(value.strip())
    if not m:
        return None
    y, mo, d, h, mi, s = (int(g) if g else None for g in m.groups())
    try:
        if mo is None or d is None:
            return f"{y:04d}"
        dt = datetime(y, mo, d, h or 0, mi or 0, s or 0)  # type: ignore[arg-type]
    except ValueError:
        return None
    return dt.isoformat() if h is not None else dt.date().isoformat()


def _needs_ocr(page: pymupdf.Page, text: str) -> bool:
    from readingroom.ingest.quality import needs_ocr, plainly_fine

    stripped = text.strip()
    if plainly_fine(stripped):
        return False  # the common born-digital page: no image scan, no full check
    area = abs(page.rect) or 1.0
    boxes = [pymupdf.Rect(info["bbox"]) & page.rect for info in page.get_image_info()]
    coverage = min(1.0, sum(abs(b) for b in boxes) / area)
    return needs_ocr(stripped, image_coverage=coverage, char_count=len(stripped))


def _same_row(a: list[Any], b: list[Any]) -> bool:
    """Two lines [y0, y1, x0, x1, words] share a baseline."""
    return abs((a[0] + a[1]) - (b[0] + b[1])) / 2 <= max(1.0, (a[1] - a[0]) * 0.4)


def text_from_words(raw: list[tuple[Any, ...]]) -> str:
    """Page text in reading order from PyMuPDF's words.

    PyMuPDF keeps each text block and line apart, which reads columns right
    but splits a printed e-mail's `From:` from its value, or a form's label
    from its field, when the producer drew them separately. So lines on the
    same baseline are joined: within a block always, and across blocks when
    each block is a single visual line. Blocks of several lines (paragraphs,
    columns) keep their own order. Runs once per page of every PDF: keep it lean.
    """
    blocks: dict[int, list[list[Any]]] = {}
    current: list[Any] | None = None
    key: tuple[int, int] | None = None
    for w in raw:
        k = (w[5], w[6])
        if k != key:  # words arrive grouped by (block, line)
            key = k
            current = [w[1], w[3], w[0], w[2], [w[4]]]
            rows = blocks.setdefault(w[5], [])
            prev = rows[-1] if rows else None
            if prev is not None and _same_row(prev, current) and current[2] >= prev[3]:
                prev[4].extend(current[4])  # label and value on one baseline
                prev[3] = current[3]
                current = prev
            else:
                rows.append(current)
        else:
            assert current is not None
            if w[1] < current[0]:
                current[0] = w[1]
            if w[3] > current[1]:
                current[1] = w[3]
            current[3] = w[2]
            current[4].append(w[4])
    anchors: dict[int, list[list[Any]]] = {}  # single-row block -> the row it starts
    merged: set[int] = set()
    for block, rows in blocks.items():
        if len(rows) != 1:
            continue
        for members in anchors.values():
            if _same_row(members[0], rows[0]):
                members.append(rows[0])
                merged.add(block)
                break
        else:
            anchors[block] = [rows[0]]
    out: list[str] = []
    for block, rows in blocks.items():
        if block in anchors:
            parts = sorted(anchors[block], key=lambda row: row[2])
            out.append(" ".join(w for row in parts for w in row[4]))
        elif block not in merged:
            out.extend(" ".join(row[4]) for row in rows)
    return "\n".join(out) + ("\n" if out else "")


class PdfExtractor:
    name: ClassVar[str] = "pdf"
    version: ClassVar[str] = "2"
    paged: ClassVar[bool] = True

    def match(self, name: str, head: bytes) -> int:
        score = 0
        if head.startswith(b"%PDF-"):
            score = 100
        elif b"%PDF-" in head[:1024]:
            # Readers accept junk before the header, but a zip holding an
            # uncompressed PDF also has it there: a weak claim only.
            score = 40
        if name.lower().endswith(".pdf"):
            score = max(score, 50)
        return score

    def extract(self, ctx: ExtractContext) -> Extraction:
        if ctx.path.stat().st_size == 0:
            raise CorruptFile(f"{ctx.name}: empty file (0 bytes), not a PDF")
        try:
            doc = pymupdf.open(ctx.path, filetype="pdf")
        except (pymupdf.FileDataError, RuntimeError, ValueError) as e:
            raise CorruptFile(f"{ctx.name}: not a readable PDF ({e})") from e
        with doc:
            if doc.needs_pass and not doc.authenticate(""):
                raise EncryptedDocument(
                    f"{ctx.name}: the PDF is password-protected; remove the password "
                    "(e.g. qpdf --decrypt --password=PASSWORD in.pdf out.pdf) and ingest the copy"
                )
            count = doc.page_count
            if count > ctx.limits.max_pages:
                raise LimitExceeded(
                    f"{ctx.name}: {count} pages is more than the limit of {ctx.limits.max_pages}"
                )
            if count == 0:
                raise CorruptFile(f"{ctx.name}: the PDF has no pages")
            result = Extraction(doc_type="pdf", mime="application/pdf", page_count=count)
            if ctx.start_page == 1:
                self._describe(doc, ctx, result)
            stop = min(count, ctx.start_page + ctx.chunk_pages - 1)
            for number in range(ctx.start_page, stop + 1):
                try:
                    result.pages.append(self._page(doc[number - 1], number, ctx))
                except (RuntimeError, ValueError) as e:
                    # One broken page must not lose the rest of the document.
                    result.warnings.append(f"page {number}: {e}")
                    result.pages.append(PageContent(number=number, text="", source="none"))
            return result

    def _describe(self, doc: pymupdf.Document, ctx: ExtractContext, out: Extraction) -> None:
        meta: dict[str, Any] = {k: v for k, v in (doc.metadata or {}).items() if v}
        out.metadata = meta
        out.title = meta.get("title") or None
        out.date = _pdf_date(meta.get("creationDate")) or _pdf_date(meta.get("modDate"))
        try:
            names = doc.embfile_names()
        except (RuntimeError, ValueError):
            names = []
        for fname in names:
            try:
                data = doc.embfile_get(fname)
                info = doc.embfile_info(fname)
            except (RuntimeError, ValueError) as e:
                out.part_errors.append((fname, "corrupt", f"embedded file unreadable: {e}"))
                continue
            sha, size = ctx.blobs.put_bytes(data)
            label = info.get("filename") or fname
            out.children.append(ChildFile(name=label, sha256=sha, size=size, kind="embedded"))

    def _page(self, page: pymupdf.Page, number: int, ctx: ExtractContext) -> PageContent:
        rect = page.rect
        raw = page.get_text("words")
        text = text_from_words(raw)
        # Boxes go straight into the store's packed form: building a Word per
        # word and packing it again would cost as much as the extraction.
        if page.rotation:
            m = page.rotation_matrix
            coords = [c for w in raw for c in tuple(pymupdf.Rect(w[:4]) * m)]
        else:
            coords = [c for w in raw for c in w[:4]]
        words_blob = encode_boxes(coords, [w[4] for w in raw]) if raw else None
        want_ocr = ctx.ocr == "always" or (ctx.ocr == "auto" and _needs_ocr(page, text))
        if want_ocr:
            from readingroom.ingest.ocr import ocr_page

            pix = page.get_pixmap(dpi=OCR_DPI, alpha=False, colorspace=pymupdf.csGRAY)
            image = Image.frombytes("L", (pix.width, pix.height), pix.samples)
            ocred = ocr_page(
                image,
                number,
                rect.width,
                rect.height,
                engine=ctx.ocr_engine,
                languages=ctx.ocr_languages,
                timeout=ctx.ocr_timeout,
            )
            if ocred.text.strip() or not text.strip():
                ocred.meta["text_layer_chars"] = len(text.strip())
                return ocred
        source: PageSource = "text" if text.strip() else "none"
        return PageContent(
            number=number,
            text=text,
            words_blob=words_blob,
            width=rect.width,
            height=rect.height,
            source=source,
        )


EXTRACTORS = [PdfExtractor()]
