"""PDF pages: the text layer where it is real, OCR where it is absent or garbage.

PyMuPDF reads both the text and the word boxes from one text page per page,
so a page's words cost one parse. Pages of a large PDF are handled in chunks
(`ctx.start_page`, `ctx.chunk_pages`) so the pipeline can spread one long
production over all workers and keep memory bounded.
"""

from __future__ import annotations

import mmap
import re
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

import pymupdf
from PIL import Image

from readingroom.errors import CorruptFile, EncryptedDocument, InputError, LimitExceeded
from readingroom.ingest.model import ChildFile, ExtractContext, Extraction, PageContent, PageSource
from readingroom.store import encode_boxes

pymupdf.TOOLS.mupdf_display_errors(False)  # broken PDFs are reported per file, not on stderr
pymupdf.TOOLS.mupdf_display_warnings(False)

OCR_DPI = 300
#: Most pixels one page is rendered at for OCR (30 MP: a 24 x 36 inch plan at
#: about 190 dpi). Larger pages render at a lower resolution instead of
#: failing ("Overly large image") or taking gigabytes: memory is bounded by
#: this, not by the page's size.
MAX_RENDER_PIXELS = 30_000_000
#: Key and value stored in a page's meta when its text is an invisible layer
#: (render mode 3, or text under a page-covering image) over a scanned image:
#: the text a reader cannot see, which raster checks of redactions must read.
LAYER_KEY = "layer"
INVISIBLE_OVER_IMAGE = "invisible-over-image"
#: A page image covering this fraction of the page is "full-page".
FULL_PAGE = 0.9
_IDENTITY = re.compile(rb"/(StmF|StrF)\s*/Identity")
_EFF = re.compile(rb"/EFF\s*/")


def mupdf_kind(e: BaseException) -> str:
    """The error kind for an exception MuPDF raised: what happened, not `crash`."""
    mu = pymupdf.mupdf
    if isinstance(e, mu.FzErrorLimit) or "overly large" in str(e).lower():
        return "limit"
    if isinstance(e, mu.FzErrorUnsupported):
        return "unsupported"
    if isinstance(e, mu.FzErrorSystem):
        return "unreadable"
    return "corrupt"


_MUPDF_ERRORS: tuple[type[BaseException], ...] = (
    RuntimeError,
    ValueError,
    pymupdf.mupdf.FzErrorBase,
)


def _render_dpi(page: pymupdf.Page, dpi: int = OCR_DPI) -> int:
    """OCR resolution for this page, lowered so the render stays under MAX_RENDER_PIXELS."""
    w_in, h_in = abs(page.rect.width) / 72.0, abs(page.rect.height) / 72.0
    area = max(w_in * h_in, 1e-6)
    cap = int((MAX_RENDER_PIXELS / area) ** 0.5)
    return max(1, min(dpi, cap))  # never over the cap, however large the page


def _only_attachments_encrypted(path: Path) -> bool:
    """True when the security handler encrypts embedded files alone (/EFF with Identity
    filters for streams and strings): the pages are plain and must be read."""
    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as m:
        found = {g.group(1) for g in _IDENTITY.finditer(m)}
        return found == {b"StmF", b"StrF"} and _EFF.search(m) is not None


def open_pages(path: Path) -> pymupdf.Document:
    """Open a PDF so its pages can be read, as the extractor reads them.

    For anyone who reads an original PDF after ingest (analysers, the viewer):
    a PDF whose only encrypted part is its attachments opens with readable
    pages here, where a plain `pymupdf.open` says "document closed or
    encrypted". A PDF whose pages need a password stays locked (`needs_pass`).
    """
    doc = pymupdf.open(path, filetype="pdf")
    if doc.needs_pass and not doc.authenticate("") and _only_attachments_encrypted(path):
        doc.close()
        doc = _open_without_security_handler(path)
    return doc


def _open_without_security_handler(path: Path) -> pymupdf.Document:
    """The PDF with its /Encrypt entry renamed (same length, so offsets hold).

    Only for `_only_attachments_encrypted` files, whose pages are stored in
    the clear; the encrypted attachments are reported, never extracted.
    """
    data = path.read_bytes().replace(b"/Encrypt ", b"/Encrypu ").replace(b"/Encrypt/", b"/Encrypu/")
    return pymupdf.open(stream=data, filetype="pdf")


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


def invisible_over_image(page: pymupdf.Page) -> bool:
    """True when the page's text layer cannot be seen: drawn invisibly (render mode 3,
    as OCR programs write it) or under an image, over an image covering the page.

    Such a layer is what an agency's OCR put behind a scan; the words a reader
    sees are in the image, so raster checks (redaction boxes) must run on it
    and the layer must be judged like any other. Cheap on born-digital pages:
    a page without images is never asked for MuPDF's drawing log.
    """
    if not page.get_images(full=False):
        return False
    area = abs(page.rect) or 1.0
    image_seen = False
    text_under = False
    invisible = False
    for kind, bbox in page.get_bboxlog():
        if kind == "fill-image":
            covers = abs(pymupdf.Rect(bbox) & page.rect) / area >= FULL_PAGE
            if covers:
                image_seen = True
                if text_under:
                    return True  # visible text, painted over by a page-sized image
        elif kind == "ignore-text":
            invisible = True
        elif kind in ("fill-text", "stroke-text") and not image_seen:
            text_under = True
    return invisible and image_seen


class PdfExtractor:
    name: ClassVar[str] = "pdf"
    version: ClassVar[str] = "3"
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
        attachments_locked = False
        if doc.needs_pass and not doc.authenticate(""):
            if not _only_attachments_encrypted(ctx.path):
                doc.close()
                raise EncryptedDocument(
                    f"{ctx.name}: the PDF is password-protected; remove the password "
                    "(e.g. qpdf --decrypt --password=PASSWORD in.pdf out.pdf) and ingest the copy"
                )
            doc.close()
            # Only the attachments are encrypted: the pages are read, the
            # attachments reported (as `encrypted` part errors).
            doc = _open_without_security_handler(ctx.path)
            attachments_locked = True
        with doc:
            try:
                count = doc.page_count
            except _MUPDF_ERRORS as e:
                if "number of pages" in str(e):
                    raise LimitExceeded(
                        f"{ctx.name}: the PDF's page tree claims an impossible number of "
                        f"pages ({e}); the limit is {ctx.limits.max_pages}"
                    ) from e
                raise InputError(
                    f"{ctx.name}: the PDF's page tree cannot be read ({e})", kind=mupdf_kind(e)
                ) from e
            if count > ctx.limits.max_pages:
                raise LimitExceeded(
                    f"{ctx.name}: {count} pages is more than the limit of {ctx.limits.max_pages}"
                )
            if count == 0:
                raise CorruptFile(f"{ctx.name}: the PDF has no pages")
            result = Extraction(doc_type="pdf", mime="application/pdf", page_count=count)
            if ctx.start_page == 1:
                self._describe(doc, ctx, result, attachments_locked)
            stop = min(count, ctx.start_page + ctx.chunk_pages - 1)
            pymupdf.TOOLS.mupdf_warnings(reset=True)
            for number in range(ctx.start_page, stop + 1):
                if ctx.over_budget():
                    break  # the file's time budget is spent: the pipeline records it
                try:
                    page = self._page(doc[number - 1], number, ctx)
                except _MUPDF_ERRORS as e:
                    # One broken page must not lose the rest of the document.
                    kind = mupdf_kind(e)
                    result.warnings.append(f"page {number}: {e}")
                    result.part_errors.append(
                        (f"page {number}", kind, f"{ctx.name}: page {number} cannot be read: {e}")
                    )
                    page = PageContent(number=number, text="", source="none")
                said = pymupdf.TOOLS.mupdf_warnings(reset=True)
                if said and not page.text.strip():
                    # MuPDF gave up part-way (e.g. a content stream that overflows
                    # its stack): an empty page must not pass for a blank one.
                    first = " ".join(said.split())[:300]
                    result.warnings.append(f"page {number}: empty after MuPDF reported: {first}")
                result.pages.append(page)
            return result

    def _describe(
        self,
        doc: pymupdf.Document,
        ctx: ExtractContext,
        out: Extraction,
        attachments_locked: bool = False,
    ) -> None:
        meta: dict[str, Any] = {k: v for k, v in (doc.metadata or {}).items() if v}
        out.metadata = meta
        out.title = meta.get("title") or None
        out.date = _pdf_date(meta.get("creationDate")) or _pdf_date(meta.get("modDate"))
        try:
            names = doc.embfile_names()
        except (RuntimeError, ValueError):
            names = []
        if attachments_locked and names:
            out.metadata["attachments_encrypted"] = True
        for fname in names:
            if attachments_locked:
                why = (
                    f"{ctx.name}: attachment {fname!r} is password-protected (only the "
                    "attachments of this PDF are encrypted; its pages were read)"
                )
                out.part_errors.append((fname, "encrypted", why))
                continue
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
        meta: dict[str, Any] = {}
        if raw and invisible_over_image(page):
            meta[LAYER_KEY] = INVISIBLE_OVER_IMAGE
        want_ocr = ctx.ocr == "always" or (ctx.ocr == "auto" and _needs_ocr(page, text))
        if want_ocr:
            from readingroom.ingest.ocr import ocr_page

            dpi = _render_dpi(page)
            try:
                pix = page.get_pixmap(dpi=dpi, alpha=False, colorspace=pymupdf.csGRAY)
            except _MUPDF_ERRORS as e:
                if mupdf_kind(e) != "limit":
                    raise
                dpi = max(1, dpi // 3)  # an image inside the page is over MuPDF's limit
                pix = page.get_pixmap(dpi=dpi, alpha=False, colorspace=pymupdf.csGRAY)
            image = Image.frombytes("L", (pix.width, pix.height), pix.samples)
            del pix
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
                ocred.meta.update(meta)
                if dpi != OCR_DPI:
                    ocred.meta["ocr_dpi"] = dpi
                return ocred
        source: PageSource = "text" if text.strip() else "none"
        return PageContent(
            number=number,
            text=text,
            words_blob=words_blob,
            width=rect.width,
            height=rect.height,
            source=source,
            meta=meta,
        )


EXTRACTORS = [PdfExtractor()]
