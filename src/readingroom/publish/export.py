"""Publishable copies: true redactions, a scrubbed file, and proof by re-extraction.

For each document: every confirmed identifier's words and every redaction
box the agency drew (bad ones included) become PyMuPDF redactions, applied so
that text, image pixels and vector art under each box are *removed* from the
file, not covered; each box is labelled with a chosen code, optionally widened
to a fixed step so its width does not give away a name's length. Then the
file is scrubbed: metadata and XMP, outline, annotations and links, embedded
files, JavaScript, form fields, invisible and white text. It is written to a
temporary name and re-read three ways (PyMuPDF's text layer, poppler's
`pdftotext -bbox`, Tesseract on the rendered page). If any confirmed
identifier is found anywhere on its page, or any word is read inside a box
that covered text, the copy is deleted and the export refuses. A manifest
says what was removed from which page and why.
"""

from __future__ import annotations

import html
import json
import logging
import math
import re
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readingroom.doctypes import PAGE_IMAGE_TYPES
from readingroom.errors import BadArguments, ExitCode, ReadingRoomError
from readingroom.external import find_program, run
from readingroom.page import Box, Word
from readingroom.publish.audit import audit
from readingroom.publish.detect import normalise
from readingroom.store import publish as store
from readingroom.store import reading

__all__ = ["ExportOptions", "ExportRefused", "export", "readable_text"]

log = logging.getLogger(__name__)

PDFTOTEXT_TIMEOUT = 120.0
OCR_DPI = 200
#: Redaction failures whose place hides words: the export applies a real box there.
_SEAL_KINDS = ("text-under-image", "cross-hatched", "redact-annotation", "dark-highlight")
#: Document types an export can rebuild as a redacted PDF: those with page images.
EXPORTABLE = PAGE_IMAGE_TYPES
_LABEL_WORDS = re.compile(r"^[\W_]*(?:\(?b\)?|\d|[A-Za-z]\)?)*[\W_]*$")


class ExportRefused(ReadingRoomError):
    """An exported copy still let an identifier or a redacted word be read: nothing was written."""

    exit_code = ExitCode.run_failed
    http_status = 409
    kind = "export-refused"


@dataclass
class ExportOptions:
    out: Path
    #: Text printed in every box the export draws (an exemption code, "REDACTED").
    code: str = "(b)(6)"
    #: Points: every box drawn for an identifier is a whole multiple of this wide (0: exact).
    fixed_width: float = 0.0
    #: Re-read the output with Tesseract too (slow: a page render and OCR per page).
    ocr: bool = True


@dataclass
class Removal:
    page: int
    box: Box
    why: str  # identifier | agency-box | bad-redaction | white-text
    kind: str | None = None
    hit: str | None = None
    masked: str | None = None
    label: str | None = None

    def as_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in self.__dict__.items() if v is not None}
        d["box"] = [round(v, 2) for v in self.box]
        return d


@dataclass
class DocPlan:
    document_id: int
    name: str
    key: str
    sha256: str
    removals: list[Removal] = field(default_factory=list)
    #: (page, normalised value, kind, hit) of every confirmed identifier.
    secrets: list[tuple[int, str, str, str]] = field(default_factory=list)
    #: (page, box) of every box that covered readable text: nothing may be read inside.
    sealed: list[tuple[int, Box]] = field(default_factory=list)


def _widen(box: Box, step: float) -> Box:
    if step <= 0:
        return box
    w = box[2] - box[0]
    target = max(1, math.ceil(w / step)) * step
    return (box[0], box[1], box[0] + target, box[3])


def plan(conn: sqlite3.Connection, document_id: int, options: ExportOptions) -> DocPlan:
    doc = reading.document(conn, document_id=document_id)
    if doc is None:
        raise BadArguments(f"No document {document_id}")
    p = DocPlan(document_id, doc["name"], doc["key"], doc["sha256"])
    for h in audit(conn, document_ids=[document_id], with_values=True):
        if h["decision"] != "confirmed":
            continue
        p.secrets.append((h["page"], normalise(h["kind"], h["_value"]), h["kind"], h["hit"]))
        boxes: list[Box] = [(w.x0, w.y0, w.x1, w.y1) for w in h["_words"]]
        if not boxes and h["box"]:
            boxes = [tuple(h["box"])]  # type: ignore[list-item]
        # One box per line: words of a line are merged, so labels sit in whole boxes.
        for b in _merge_lines(boxes):
            p.removals.append(
                Removal(
                    h["page"],
                    _widen(b, options.fixed_width),
                    "identifier",
                    h["kind"],
                    h["hit"],
                    h["masked"],
                )
            )
    for row in store.bad_boxes(conn, document_id=document_id):
        # A box with readable text under it is applied for real; a sound box (or a
        # dark band with white text a reader sees) is left as the agency drew it.
        if not row["bad"]:
            continue
        box: Box = (row["x0"], row["y0"], row["x1"], row["y1"])
        p.removals.append(Removal(row["page"], box, "bad-redaction", label=row["label"]))
        p.sealed.append((row["page"], box))
    # The quieter failures hide words the same way: apply a real box where they are.
    for f in store.failure_rows(conn, document_ids=[document_id]):
        if f["kind"] in _SEAL_KINDS and f["page"] and f["x0"] is not None:
            box = (f["x0"], f["y0"], f["x1"], f["y1"])
            p.removals.append(Removal(f["page"], box, f["kind"]))
            p.sealed.append((f["page"], box))
    return p


def _merge_lines(boxes: list[Box]) -> list[Box]:
    out: list[list[float]] = []
    for b in sorted(boxes, key=lambda b: (round(b[1]), b[0])):
        if out and abs(out[-1][1] - b[1]) < 3 and b[0] - out[-1][2] < 20:
            out[-1][2] = max(out[-1][2], b[2])
            out[-1][3] = max(out[-1][3], b[3])
        else:
            out.append(list(b))
    return [(a, b, c, d) for a, b, c, d in out]


# -- writing -------------------------------------------------------------------------------


def _to_page(page: Any, box: Box) -> Any:
    """A stored box (top-left, as the reader sees the page) in the page's own coordinates."""
    import pymupdf

    r = pymupdf.Rect(box)
    return r * page.derotation_matrix if page.rotation else r


def _open_source(path: Path, doc_type: str, name: str) -> Any:
    import pymupdf

    if doc_type == "pdf":
        from readingroom.ingest.formats.pdf import open_pages

        return open_pages(path)
    if doc_type == "image":
        img = pymupdf.open(path)
        pdf_bytes = img.convert_to_pdf()
        img.close()
        return pymupdf.open("pdf", pdf_bytes)
    raise BadArguments(
        f"{name}: a {doc_type} document cannot be exported as a redacted PDF (PDF and images only)"
    )


def _white_text(page: Any) -> list[Box]:
    """Spans drawn white on a light part of the page: unseen there, readable in the file.

    White on a dark band (a heading, a box's label) is what a reader sees and stays.
    """
    from readingroom.analyse.analysers.redactions import _rendered_grey, luminance

    out: list[Box] = []
    for block in page.get_text("dict").get("blocks", []):
        for line in block.get("lines", []):
            for span in line.get("spans", []):
                c = span.get("color", 0)
                rgb = ((c >> 16) & 255) / 255, ((c >> 8) & 255) / 255, (c & 255) / 255
                if not span.get("text", "").strip() or luminance(rgb) <= 0.92:
                    continue
                grey = _rendered_grey(page, tuple(span["bbox"]))
                if grey is not None and grey.size and grey.mean() >= 235 and grey.std() <= 6:
                    out.append(tuple(span["bbox"]))
    return out


def _write(src: Any, p: DocPlan, options: ExportOptions, dest: Path) -> dict[str, Any]:
    import pymupdf

    scrubbed: dict[str, Any] = {
        "metadata": sorted(k for k, v in (src.metadata or {}).items() if v),
        "xmp": bool(src.get_xml_metadata()),
        "outline_entries": len(src.get_toc(simple=True)),
        "embedded_files": src.embfile_count(),
        "annotations": 0,
        "form_fields": 0,
        "white_text_spans": 0,
    }
    by_page: dict[int, list[Removal]] = {}
    for r in p.removals:
        by_page.setdefault(r.page, []).append(r)
    for page in src:
        number = page.number + 1
        for w in page.widgets() or []:
            scrubbed["form_fields"] += 1
            page.delete_widget(w)
        for a in list(page.annots() or []):
            scrubbed["annotations"] += 1
            page.delete_annot(a)
        whites = _white_text(page)
        for wb in whites:
            page.add_redact_annot(pymupdf.Rect(wb), fill=False)
        scrubbed["white_text_spans"] += len(whites)
        for r in by_page.get(number, []):
            rect = _to_page(page, r.box)
            if rect.is_empty:
                continue
            code = options.code if r.why == "identifier" else (r.label or "")
            page.add_redact_annot(
                rect,
                text=code or None,
                fill=(0, 0, 0),
                text_color=(1, 1, 1),
                fontsize=7,
                cross_out=False,
            )
        page.apply_redactions(
            images=pymupdf.PDF_REDACT_IMAGE_PIXELS,  # type: ignore[attr-defined]
            graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_COVERED,  # type: ignore[attr-defined]
            text=pymupdf.PDF_REDACT_TEXT_REMOVE,  # type: ignore[attr-defined]
        )
    src.scrub(
        attached_files=True,
        clean_pages=True,
        embedded_files=True,
        hidden_text=True,
        javascript=True,
        metadata=True,
        redactions=True,
        remove_links=True,
        reset_fields=True,
        reset_responses=True,
        thumbnails=True,
        xml_metadata=True,
    )
    src.set_toc([])
    src.save(dest, garbage=4, deflate=True, clean=True, no_new_id=True)
    return scrubbed


# -- verification ----------------------------------------------------------------------------


def _pymupdf_words(path: Path) -> dict[int, list[Word]]:
    import pymupdf

    out: dict[int, list[Word]] = {}
    with pymupdf.open(path) as d:
        for page in d:
            m = page.rotation_matrix if page.rotation else None
            ws = []
            for w in page.get_text("words"):
                r = pymupdf.Rect(w[:4]) * m if m is not None else pymupdf.Rect(w[:4])
                ws.append(Word(r.x0, r.y0, r.x1, r.y1, w[4]))
            out[page.number + 1] = ws
    return out


def _pdftotext_words(path: Path) -> dict[int, list[Word]]:
    exe = find_program("pdftotext", package="poppler-utils")
    proc = run([exe, "-bbox", "-enc", "UTF-8", str(path), "-"], timeout=PDFTOTEXT_TIMEOUT)
    out: dict[int, list[Word]] = {}
    number = 0
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        if "<page " in line:
            number += 1
            out[number] = []
            continue
        m = re.search(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>',
            line,
        )
        if m and number:
            x0, y0, x1, y1 = (float(v) for v in m.groups()[:4])
            out[number].append(Word(x0, y0, x1, y1, html.unescape(m.group(5))))
    return out


def _ocr_words(path: Path) -> dict[int, list[Word]]:
    import pymupdf
    from PIL import Image

    from readingroom.ingest.ocr import TesseractEngine

    engine = TesseractEngine()
    out: dict[int, list[Word]] = {}
    scale = 72 / OCR_DPI
    with pymupdf.open(path) as d:
        for page in d:
            pix = page.get_pixmap(dpi=OCR_DPI, colorspace=pymupdf.csGRAY, alpha=False)
            img = Image.frombytes("L", (pix.width, pix.height), pix.samples)
            words = [
                w
                for block in engine.layout(img, "eng", dpi=OCR_DPI)
                for line in block
                for w in line
            ]
            out[page.number + 1] = [
                Word(w.x0 * scale, w.y0 * scale, w.x1 * scale, w.y1 * scale, w.text, w.conf)
                for w in words
            ]
    return out


def readable_text(path: Path, *, ocr: bool = True) -> dict[str, dict[int, list[Word]]]:
    """Every output page's words as PyMuPDF, pdftotext and (optionally) Tesseract read them."""
    methods = {"pymupdf": _pymupdf_words(path), "pdftotext": _pdftotext_words(path)}
    if ocr:
        methods["tesseract"] = _ocr_words(path)
    return methods


def _found(kind: str, norm: str, words: list[Word]) -> bool:
    if not norm:
        return False
    line_text = " ".join(w.text for w in words)
    if kind in ("a_number", "ssn", "phone", "fins"):
        digits = norm[-9:] if kind != "phone" else norm[-7:]
        pattern = r"(?<!\d)" + r"[\s\-./]?".join(map(re.escape, digits)) + r"(?!\d)"
        return re.search(pattern, line_text) is not None
    tokens = [t for t in re.split(r"\W+", norm) if len(t) > 1]
    if not tokens:
        return False
    pattern = r"(?<!\w)" + r"\W+".join(map(re.escape, tokens)) + r"(?!\w)"
    return re.search(pattern, line_text, re.I) is not None


def _inside(box: Box, w: Word) -> bool:
    ow = min(box[2], w.x1) - max(box[0], w.x0)
    oh = min(box[3], w.y1) - max(box[1], w.y0)
    return ow > 0 and oh > 0 and ow * oh >= 0.5 * max(1e-6, (w.x1 - w.x0) * (w.y1 - w.y0))


def verify(
    p: DocPlan, methods: dict[str, dict[int, list[Word]]], code: str
) -> list[dict[str, Any]]:
    """What each extraction method can still read: confirmed identifiers, words in sealed boxes."""
    problems: list[dict[str, Any]] = []
    allowed = {c.lower() for c in re.split(r"[\s;]+", code) if c}
    for method, pages in methods.items():
        for page, norm, kind, hit in p.secrets:
            if _found(kind, norm, pages.get(page, [])):
                problems.append({"method": method, "page": page, "hit": hit, "kind": kind})
        for page, box in p.sealed:
            leaked = [
                w
                for w in pages.get(page, [])
                if _inside(box, w)
                and w.text.lower() not in allowed
                and not _LABEL_WORDS.match(w.text)
                and len(re.sub(r"\W", "", w.text)) > 2
                and (w.conf is None or w.conf >= 60)
            ]
            if leaked:
                problems.append(
                    {
                        "method": method,
                        "page": page,
                        "box": [round(v, 1) for v in box],
                        "words": len(leaked),
                    }
                )
    return problems


# -- the export ---------------------------------------------------------------------------------


def _out_name(name: str, key: str, taken: set[str]) -> str:
    stem = re.sub(r"[^\w.-]+", "_", Path(name).stem)[:80] or "document"
    out = f"{stem}.redacted.pdf"
    if out in taken:
        out = f"{stem}-{key}.redacted.pdf"
    taken.add(out)
    return out


def export(
    conn: sqlite3.Connection, blob_path: Any, *, document_ids: list[int], options: ExportOptions
) -> dict[str, Any]:
    """Write a redacted, scrubbed, verified copy of each document to `options.out`, and a manifest.

    `blob_path(sha256)` gives an original's path. Raises ExportRefused (and
    leaves no copy of that document) if anything confirmed is still readable.
    """
    if not document_ids:
        raise BadArguments("nothing to export: name documents or --tag")
    options.out.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    manifest: dict[str, Any] = {
        "code": options.code,
        "fixed_width": options.fixed_width,
        "methods": ["pymupdf", "pdftotext", *(["tesseract"] if options.ocr else [])],
        "documents": [],
        "skipped": [],
    }
    for doc_id in document_ids:
        doc = reading.document(conn, document_id=doc_id)
        if doc is None:
            raise BadArguments(f"No document {doc_id}")
        if doc["doc_type"] not in EXPORTABLE:
            # Never published by accident: listed in the manifest as left out, and why.
            log.warning(
                "%s: a %s document is not exported (PDFs and images only)",
                doc["name"],
                doc["doc_type"],
            )
            manifest["skipped"].append(
                {
                    "document": doc["key"],
                    "name": doc["name"],
                    "why": f"{doc['doc_type']}: PDFs and images only",
                }
            )
            continue
        p = plan(conn, doc_id, options)
        src = _open_source(Path(blob_path(doc["sha256"])), doc["doc_type"], doc["name"])
        out_name = _out_name(doc["name"], doc["key"], taken)
        final = options.out / out_name
        with tempfile.NamedTemporaryFile(
            dir=options.out, suffix=".partial.pdf", delete=False
        ) as tmp:
            tmp_path = Path(tmp.name)
        try:
            scrubbed = _write(src, p, options, tmp_path)
            src.close()
            methods = readable_text(tmp_path, ocr=options.ocr)
            problems = verify(p, methods, options.code)
            if problems:
                first = problems[0]
                raise ExportRefused(
                    f"{doc['name']}: {len(problems)} thing(s) still readable after redaction"
                    f" (first: page {first['page']} by {first['method']}); nothing written for it"
                )
            bates = reading_bates(conn, doc_id)
            kept = _bates_kept(
                bates, methods["pymupdf"] if not options.ocr else methods["tesseract"]
            )
            tmp_path.replace(final)
        finally:
            tmp_path.unlink(missing_ok=True)
        log.info("%s: %d removals, verified", doc["name"], len(p.removals))
        manifest["documents"].append(
            {
                "document": doc["key"],
                "name": doc["name"],
                "output": out_name,
                "pages": len(methods["pymupdf"]),
                "removed": [r.as_dict() for r in p.removals],
                "confirmed_identifiers": len(p.secrets),
                "scrubbed": scrubbed,
                "verified": {"methods": list(methods), "readable": 0},
                "bates_kept": kept,
            }
        )
    (options.out / "manifest.json").write_text(
        json.dumps(manifest, indent=2) + "\n", encoding="utf-8"
    )
    return manifest


def reading_bates(conn: sqlite3.Connection, document_id: int) -> dict[int, str]:
    return store.page_bates(conn, document_id=document_id)


def _bates_kept(bates: dict[int, str], pages: dict[int, list[Word]]) -> dict[str, int]:
    """How many of the pages' Bates numbers still read on the output page."""
    kept = 0
    for number, stamp in bates.items():
        tail = stamp.split()[-1] if stamp.split() else stamp
        if any(tail in w.text for w in pages.get(number, [])):
            kept += 1
    return {"stamped_pages": len(bates), "readable": kept}
