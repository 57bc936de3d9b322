"""Redaction boxes, the exemption stamps that label them, and bad redactions.

Boxes come from what a reader sees: opaque dark vector rectangles (and
unapplied Redact / dark highlight annotations) on born-digital pages, and
solid dark regions of the rendered image on scanned pages. As in Free Law
Project's x-ray, a box is *bad* when words of the page's text layer lie
under it: hidden to the eye but still extractable. Labels ("(b)(6)") and
placeholders ("XXXX", "REDACTED") under a box are not secrets. Instead of
comparing the order in which text and box were drawn, the words under a
vector box are checked against the rendered page: only words whose place
renders dark count, so white text printed on a box, or a stamp drawn over
it, is not a leak. Unlike x-ray we work from the page's stored word boxes,
and we never store the recovered words: only how many there are and where,
so no view can leak them by accident. The words themselves go to the
runner as masks (`Findings.masks`), which blacks them out of the stored
text and of what later analysers read.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readingroom.analyse.analysers.exemptions import find_marks, page_labels
from readingroom.analyse.base import BaseAnalyser, DocIn, Findings, PageIn
from readingroom.analyse.raster import raster
from readingroom.mask import is_masked
from readingroom.page import Box, Word, box_of
from readingroom.store.findings import insert_row

if TYPE_CHECKING:
    import numpy as np

#: Perceived luminance (0..1) at or below which a fill hides text.
DARK = 100 / 255
MIN_SIDE = 4.0  # points: thinner shapes are rules and borders
#: Share of a word's area a box must cover for the word to count as under it.
COVER = 0.5
SCAN_DPI = 72
SCAN_THRESHOLD = 70  # grey level (0..255) counted as ink
SCAN_MIN_W = 14.0  # points
SCAN_MIN_H = 6.0
SCAN_FILL = 0.85
_OK_WORDS = re.compile(
    r"^(?:redacted|redaction|withheld|confidential|privileged?|name|and|x+|[\W_]+)$", re.I
)


@dataclass
class RBox:
    box: Box
    kind: str  # vector | annotation | scan
    region: int = 0
    labels: list[int] = field(default_factory=list)
    covered: list[Word] = field(default_factory=list)

    @property
    def area(self) -> float:
        x0, y0, x1, y1 = self.box
        return max(0.0, x1 - x0) * max(0.0, y1 - y0)


def luminance(color: tuple[float, ...] | list[float] | None) -> float:
    if not color:
        return 1.0
    if len(color) == 1:
        return float(color[0])
    if len(color) == 4:  # CMYK
        c, m, y, k = color
        r, g, b = (1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)
    else:
        r, g, b = color[:3]
    return 0.299 * r + 0.587 * g + 0.114 * b


def vector_boxes(page: Any) -> list[RBox]:
    """Opaque dark filled rectangles drawn on a PyMuPDF page, plus annotations."""
    out: list[RBox] = []
    page_area = abs(page.rect)
    # Drawings come in unrotated page space; what a reader sees is the CropBox.
    visible = page.rect * page.derotation_matrix if page.rotation else page.rect
    for d in page.get_drawings():
        if d.get("fill") is None or (d.get("fill_opacity") or 1.0) < 0.95:
            continue
        if luminance(d["fill"]) > DARK:
            continue
        rects = [it[1] for it in d["items"] if it[0] == "re"]
        rects += [it[1].rect for it in d["items"] if it[0] == "qu"]
        if not rects:
            rects = [d["rect"]]  # rounded or path-drawn boxes: one shape
        for r in rects:
            r = r.normalize() if hasattr(r, "normalize") else r
            r = _visible_part(r, visible)
            # Shapes covering half the page are backgrounds and cover sheets.
            if (
                r is not None
                and r.width > MIN_SIDE
                and r.height > MIN_SIDE
                and abs(r) <= 0.5 * page_area
            ):
                out.append(RBox((r.x0, r.y0, r.x1, r.y1), "vector"))
    import pymupdf

    for annot in page.annots() or []:
        kind = annot.type[0]
        if kind == pymupdf.PDF_ANNOT_REDACT or (  # type: ignore[attr-defined]
            kind == pymupdf.PDF_ANNOT_HIGHLIGHT  # type: ignore[attr-defined]
            and luminance(annot.colors.get("stroke")) <= DARK
        ):
            r = _visible_part(pymupdf.Rect(annot.rect), page.rect)
            if r is not None:
                out.append(RBox((r.x0, r.y0, r.x1, r.y1), "annotation"))
    return out


def _visible_part(r: Any, visible: Any) -> Any:
    """The part of a box inside the visible page, or None when most of it lies outside.

    A box drawn beyond the CropBox (or the MediaBox) hides nothing a reader
    sees and is not a redaction; one that runs over the edge counts as its
    visible part.
    """
    inside = r & visible
    if inside.is_empty or abs(inside) < 0.5 * max(1e-9, abs(r)):
        return None
    return inside


def scan_boxes(gray: np.ndarray, scale: float) -> list[Box]:
    """Solid dark rectangles in a greyscale page image; `scale` = points per pixel.

    Glyph strokes give short dark runs and table rules thin ones; a redaction
    box is a stack of long runs that overlap row after row and is nearly
    solid, which is all this looks for (no OpenCV needed).
    """
    import numpy as np

    ink = gray < SCAN_THRESHOLD
    # Close one-pixel speckle gaps so scanner noise does not split a box.
    ink[:, 1:-1] |= ink[:, :-2] & ink[:, 2:]
    min_w = max(2, int(SCAN_MIN_W / scale))
    padded = np.zeros((ink.shape[0], ink.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = ink
    diff = np.diff(padded, axis=1)
    rows_s, cols_s = np.nonzero(diff == 1)
    _, cols_e = np.nonzero(diff == -1)
    long_runs = (cols_e - cols_s) >= min_w
    runs = zip(rows_s[long_runs], cols_s[long_runs], cols_e[long_runs], strict=True)
    open_regions: list[list[int]] = []  # [x0, y0, x1, y1, last_row, filled]
    done: list[list[int]] = []
    for r, a, b in runs:
        hit = None
        for reg in open_regions:
            if reg[4] >= r - 1 and reg[4] != r and min(b, reg[2]) - max(a, reg[0]) > 0.5 * (b - a):
                hit = reg
                break
        if hit is None:
            open_regions.append([a, r, b, r, r, b - a])
        else:
            hit[0], hit[2], hit[3], hit[4] = min(hit[0], a), max(hit[2], b), r, r
            hit[5] += b - a
        still: list[list[int]] = []
        for reg in open_regions:
            (still if reg[4] >= r - 1 else done).append(reg)
        open_regions = still
    done.extend(open_regions)
    min_h = max(2, int(SCAN_MIN_H / scale))
    boxes: list[Box] = []
    for x0, y0, x1, y1, _, filled in done:
        h = y1 - y0 + 1
        if h < min_h or filled < SCAN_FILL * (x1 - x0) * h:
            continue
        if (x1 - x0) > 0.95 * gray.shape[1] and h > 0.95 * gray.shape[0]:
            continue  # a black page edge or scanner bed
        boxes.append((x0 * scale, y0 * scale, x1 * scale, (y1 + 1) * scale))
    return boxes


def overlap(a: Box, b: Box) -> float:
    """The area two boxes share, in square points."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _distance(a: Box, b: Box) -> float:
    dx = max(0.0, max(a[0], b[0]) - min(a[2], b[2]))
    dy = max(0.0, max(a[1], b[1]) - min(a[3], b[3]))
    return (dx * dx + dy * dy) ** 0.5


def group_regions(boxes: list[RBox]) -> None:
    """Boxes of one multi-line redaction (stacked, touching) share a region."""
    boxes.sort(key=lambda b: (b.box[1], b.box[0]))
    for i, b in enumerate(boxes):
        b.region = i
        for prev in boxes[:i]:
            gap = b.box[1] - prev.box[3]
            if -2 <= gap <= 6 and min(b.box[2], prev.box[2]) > max(b.box[0], prev.box[0]):
                b.region = prev.region
                break


def tie_labels(label_boxes: list[Box], boxes: list[RBox]) -> list[int | None]:
    """For each label, the index of the box it labels (inside, or nearest close by)."""
    out: list[int | None] = []
    for lb in label_boxes:
        h = lb[3] - lb[1]
        best, best_d = None, max(14.0, 2.0 * h)
        for j, b in enumerate(boxes):
            inside = overlap(lb, b.box) >= 0.5 * max(1e-6, (lb[2] - lb[0]) * h)
            d = 0.0 if inside else _distance(lb, b.box)
            smaller = best is not None and b.area < boxes[best].area
            if d < best_d or (d == 0.0 and best_d == 0.0 and smaller):
                best, best_d = j, d
        out.append(best)
    return out


def covered_words(box: Box, words: list[Word]) -> list[Word]:
    """Words at least two characters of which lie under the box."""
    out = []
    for w in words:
        ow = min(box[2], w.x1) - max(box[0], w.x0)
        oh = min(box[3], w.y1) - max(box[1], w.y0)
        if ow <= 0 or oh <= 0:
            continue
        char_w = (w.x1 - w.x0) / max(1, len(w.text))
        if oh >= 0.6 * (w.y1 - w.y0) and (ow >= 1.6 * char_w or ow >= COVER * (w.x1 - w.x0)):
            out.append(w)
    return out


def secret_words(words: list[Word]) -> list[Word]:
    """Words under a box that would be a leak: not labels or placeholders."""
    masked = [w for w in words if is_masked(w.text)]
    if masked:
        return masked  # masked by an earlier run: still a bad redaction
    keep = [w for w in words if not find_marks(w.text) and not _OK_WORDS.match(w.text)]
    alnum = re.sub(r"[^A-Za-z0-9]", "", "".join(w.text for w in keep))
    if len(alnum) <= 1 or len(set(alnum.lower())) == 1:
        return []  # one stray character, or XXXX
    return keep


def hidden_words(page: Any, box: RBox, words: list[Word]) -> list[Word]:
    """Keep the words a reader cannot see: where the rendered page is dark.

    Rendering is the ground truth of what the eye gets (x-ray's insight):
    text drawn on top of a box in white, a stamp's frame drawn as a filled
    ring, a red seal with text over it all render light where the words are.
    """
    if page is None:
        return words
    import numpy as np
    import pymupdf

    hidden = []
    for w in words:
        clip = pymupdf.Rect(
            max(w.x0, box.box[0]),
            max(w.y0, box.box[1]),
            min(w.x1, box.box[2]),
            min(w.y1, box.box[3]),
        )
        if clip.is_empty:
            continue
        pix = page.get_pixmap(clip=clip, dpi=96, colorspace=pymupdf.csGRAY, alpha=False)
        if pix.width == 0 or pix.height == 0:
            continue
        grey = np.frombuffer(pix.samples, dtype=np.uint8)
        if (grey < 110).mean() >= 0.9:
            hidden.append(w)
    return hidden


@dataclass
class PageRedactions:
    boxes: list[RBox]
    labels: list[tuple[list[str], Box | None, int | None]]  # codes, where, box index


def image_boxes(page: PageIn, image: Any) -> list[Box]:
    """Boxes in a PIL image of the page (any resolution; its width says which)."""
    import numpy as np

    from readingroom.analyse.boxes import DPI, detect

    gray = np.asarray(image.convert("L"))
    scale = (page.width / gray.shape[1]) if page.width else 72 / DPI
    return [b.scaled(scale) for b in detect(gray, 72 / scale)]


def analyse_page(
    page: PageIn, pdf_page: Any = None, image: Any = None, scan: list[Box] | None = None
) -> PageRedactions:
    """Boxes, labels and bad redactions of one page.

    `pdf_page` is a PyMuPDF page for born-digital pages; `image` a PIL image
    of a scanned page, or `scan` the boxes already found in it (points).
    """
    boxes: list[RBox] = []
    if pdf_page is not None:
        boxes = vector_boxes(pdf_page)
    if image is not None:
        scan = [*(scan or []), *image_boxes(page, image)]
    if scan:
        have = [b.box for b in boxes]
        for bx in scan:
            if not any(overlap(bx, h) > 0.5 * (bx[2] - bx[0]) * (bx[3] - bx[1]) for h in have):
                boxes.append(RBox(bx, "scan"))
    group_regions(boxes)
    labels = [lab for lab in page_labels(page) if lab.kind == "mark"]
    ties = tie_labels([lab.box for lab in labels if lab.box], boxes) if boxes else []
    tied: list[tuple[list[str], Box | None, int | None]] = []
    k = 0
    for lab in labels:
        idx = None
        if lab.box is not None:
            idx = ties[k] if ties else None
            k += 1
        tied.append((lab.codes, lab.box, idx))
        if idx is not None:
            boxes[idx].labels.append(len(tied) - 1)
    if page.source == "text" and page.words:
        for b in boxes:
            under = secret_words(covered_words(b.box, page.words))
            if under and b.kind == "vector":
                under = hidden_words(pdf_page, b, under)
            b.covered = under
    return PageRedactions(boxes, tied)


#: Every way a redaction fails, as stored in `redaction_failures.kind` and the
#: `redaction:` facet. The first is x-ray's; the others are the quieter ones.
FAILURE_KINDS = (
    "text-under-box",  # a dark box drawn over words that stay in the text layer
    "ocr-layer-under-box",  # a scanned box, but the invisible OCR layer still reads the words
    "text-under-image",  # an opaque image laid over words of the text layer
    "redact-annotation",  # a Redact annotation marked but never applied
    "dark-highlight",  # a highlight annotation in a dark colour over the words
    "cross-hatched",  # a box of hatching lines: the words under it remain
    "white-text",  # words drawn in white (or invisible, render mode 3) on a light page
    "annotation-text",  # an annotation's note sitting on a box, or holding covered words
    "outline-text",  # a bookmark title that holds words the page no longer shows
    "metadata",  # document metadata / XMP holding words covered on a page
    "attachment",  # embedded files or file-attachment annotations
)

MIGRATIONS = [
    (
        "redactions-failures-0001",
        """
    CREATE TABLE redaction_failures (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        page_id INTEGER REFERENCES pages(id) ON DELETE CASCADE,  -- NULL: the whole file
        kind TEXT NOT NULL,           -- one of FAILURE_KINDS
        x0 REAL, y0 REAL, x1 REAL, y1 REAL,   -- where on the page, when it has a place
        count INTEGER NOT NULL        -- words (or entries) involved; never the words
    );
    CREATE INDEX redaction_failures_document ON redaction_failures(document_id);
    """,
    )
]

_MIN_HATCH_LINES = 6


def _rendered_grey(page: Any, box: Box) -> Any:
    import numpy as np
    import pymupdf

    clip = pymupdf.Rect(box)
    if clip.is_empty:
        return None
    pix = page.get_pixmap(clip=clip, dpi=96, colorspace=pymupdf.csGRAY, alpha=False)
    if pix.width == 0 or pix.height == 0:
        return None
    return np.frombuffer(pix.samples, dtype=np.uint8)


def _to_reader(page: Any, r: Any) -> Box:
    """A rect in the page's own space as the reader sees it (stored word space)."""
    if page.rotation:
        r = r * page.rotation_matrix
    return (r.x0, r.y0, r.x1, r.y1)


def page_failures(
    page: PageIn, pdf_page: Any, result: PageRedactions
) -> list[tuple[str, Box | None, list[Word]]]:
    """(kind, where, words involved) for every failure on one page besides plain text-under-box."""
    import pymupdf

    out: list[tuple[str, Box | None, list[Word]]] = []
    invisible_layer = page.meta.get("layer") == "invisible-over-image" or page.source == "ocr"
    for b in result.boxes:
        if b.covered:
            kind = (
                "ocr-layer-under-box"
                if (b.kind == "scan" and invisible_layer)
                else "text-under-box"
            )
            out.append((kind, b.box, b.covered))
    if pdf_page is None:
        return out
    words = page.words if page.source == "text" else []
    box_list = [b.box for b in result.boxes]
    for annot in pdf_page.annots() or []:
        kind = annot.type[0]
        where = _to_reader(pdf_page, pymupdf.Rect(annot.rect))
        if kind == pymupdf.PDF_ANNOT_REDACT:  # type: ignore[attr-defined]
            out.append(("redact-annotation", where, covered_words(where, words)))
        elif kind == pymupdf.PDF_ANNOT_HIGHLIGHT and luminance(annot.colors.get("stroke")) <= DARK:  # type: ignore[attr-defined]
            out.append(("dark-highlight", where, covered_words(where, words)))
        elif kind == pymupdf.PDF_ANNOT_FILE_ATTACHMENT:  # type: ignore[attr-defined]
            out.append(("attachment", where, []))
        content = (annot.info or {}).get("content", "")
        if content.strip() and any(overlap(where, bx) > 0 for bx in box_list):
            out.append(("annotation-text", where, []))
    # Cross-hatching: many thin strokes inside one rectangle over words.
    for d in pdf_page.get_drawings():
        # Hatching is diagonal strokes; table rules and page frames are upright.
        lines = [
            it for it in d["items"] if it[0] == "l" and it[1].x != it[2].x and it[1].y != it[2].y
        ]
        if len(lines) < _MIN_HATCH_LINES or (
            d.get("fill") is not None and luminance(d["fill"]) <= DARK
        ):
            continue
        r = d["rect"]
        if r.width < 10 or r.height < 5 or abs(r) > 0.25 * abs(pdf_page.rect):
            continue
        where = _to_reader(pdf_page, r)
        under = secret_words(covered_words(where, words))
        if under:
            out.append(("cross-hatched", where, under))
    # Images laid over text: the words render as the image's flat pixels.
    if words and not invisible_layer:
        for info in pdf_page.get_image_info():
            where = _to_reader(pdf_page, pymupdf.Rect(info["bbox"]))
            if (where[2] - where[0]) * (where[3] - where[1]) > 0.6 * abs(pdf_page.rect):
                continue  # a full-page scan image: its text is an OCR layer, handled above
            under = secret_words(covered_words(where, words))
            hidden = []
            for w in under:
                grey = _rendered_grey(pdf_page, (w.x0, w.y0, w.x1, w.y1))
                if grey is not None and grey.size and float(grey.std()) < 12:
                    hidden.append(w)
            if hidden:
                out.append(("text-under-image", where, hidden))
    # White or invisible text on a light part of the page.
    if words and not invisible_layer:
        hidden_spans: list[Word] = []
        for tr in pdf_page.get_texttrace():
            invisible = tr.get("type") == 3 or tr.get("opacity", 1) == 0
            white = luminance(tr.get("color") or (0,)) > 0.92
            if not (invisible or white):
                continue
            r = pymupdf.Rect(tr["bbox"])
            where = _to_reader(pdf_page, r)
            grey = _rendered_grey(pdf_page, where)
            # Unseen only where the page renders flat and light there: white on a
            # dark box is a label, white on a coloured band is a menu a reader sees.
            if grey is None or not grey.size or float(grey.mean()) < 235 or float(grey.std()) > 6:
                continue
            text = "".join(chr(c[0]) for c in tr.get("chars", ())).strip()
            if len(re.sub(r"\W", "", text)) > 1:
                hidden_spans.append(Word(*where, text))
        if hidden_spans:
            out.append(("white-text", box_of(hidden_spans), hidden_spans))
    return out


def document_failures(
    pdf: Any, pages: list[PageIn], covered: set[str]
) -> list[tuple[str, int | None, int]]:
    """(kind, page number or None, count) for failures of the file rather than of a page."""
    out: list[tuple[str, int | None, int]] = []
    if pdf is None:
        return out
    if pdf.embfile_count():
        out.append(("attachment", None, pdf.embfile_count()))
    words = {w.lower().strip(".,;:()") for w in covered if len(w) > 2}
    meta_text = " ".join(str(v) for v in (pdf.metadata or {}).values() if v)
    try:
        meta_text += " " + (pdf.get_xml_metadata() or "")
    except Exception:  # a broken XMP stream is not this check's concern
        pass
    meta_words = {w.lower() for w in re.findall(r"[\w'-]{3,}", meta_text)}
    if words & meta_words:
        out.append(("metadata", None, len(words & meta_words)))
    by_number = {p.number: p for p in pages}
    try:
        toc = pdf.get_toc(simple=True)
    except Exception:
        toc = []
    for _level, title, number in toc:
        title_words = {w.lower() for w in re.findall(r"[\w'-]{3,}", title)}
        if words & title_words:
            out.append(("outline-text", number if number in by_number else None, 1))
            continue
        page = by_number.get(number)
        if page is None or not title_words:
            continue
        page_words = {w.lower() for w in re.findall(r"[\w'-]{3,}", page.text)}
        # A name in the heading that the page no longer shows, on a page with
        # redactions: the box took it off the page but not out of the outline.
        names = {w.lower() for w in re.findall(r"\b[A-Z][\w'-]{2,}", title)} - {"the", "and", "for"}
        if page.cache.get("redaction_boxes") and names - page_words:
            out.append(("outline-text", number, 1))
    return out


class Redactions(BaseAnalyser):
    name = "redactions"
    version = "4"
    tables = ("redaction_labels", "redaction_boxes", "redaction_failures")
    #: Reuses the exemption labels that analyser left in each page's cache.
    after = ("exemptions",)

    def run(self, doc: DocIn) -> Findings:
        out = Findings()
        pdf = doc.pdf()
        covered_all: set[str] = set()
        for page in doc.pages:
            pdf_page = doc.pdf_page(page.number) if pdf is not None else None
            # Scans and invisible text layers: boxes (and labels the layer lacks) from
            # the image, computed once per page and shared with the exemptions analyser.
            found = raster(doc, page)
            if found is not None and found.failed and not found.boxes:
                # One page that cannot be drawn must not cost the document's other
                # pages; say the page was not checked for scanned boxes.
                out.facets.append((page.id, "redaction", "unchecked"))
            scan = [b for b, _ in found.boxes] if found is not None else None
            result = analyse_page(page, pdf_page, scan=scan)
            page.cache["redaction_boxes"] = len(result.boxes)
            for kind, where, involved in page_failures(page, pdf_page, result):
                covered_all.update(w.text for w in involved)
                x0, y0, x1, y1 = (round(v, 2) for v in where) if where else (None,) * 4
                out.add(
                    "redaction_failures",
                    document_id=doc.id,
                    page_id=page.id,
                    kind=kind,
                    x0=x0,
                    y0=y0,
                    x1=x1,
                    y1=y1,
                    count=len(involved),
                )
                out.facets.append((page.id, "redaction", kind))
                if kind in ("text-under-image", "cross-hatched") and involved:
                    out.masks.setdefault(page.id, []).extend(
                        w for w in involved if not is_masked(w.text)
                    )
            region_labels: dict[int, list[str]] = {}
            for b in result.boxes:
                for li in b.labels:
                    region_labels.setdefault(b.region, []).extend(result.labels[li][0])
            if result.boxes:
                out.facets.append((page.id, "redacted", "yes"))
            if any(b.covered for b in result.boxes):
                out.facets.append((page.id, "redaction", "bad"))
                hidden = [w for b in result.boxes for w in b.covered if not is_masked(w.text)]
                if hidden:
                    out.masks[page.id] = list(dict.fromkeys([*out.masks.get(page.id, []), *hidden]))
            if any(b.region not in region_labels for b in result.boxes):
                out.facets.append((page.id, "redaction", "unlabelled"))
            stray = any(idx is None and box is not None for _, box, idx in result.labels)
            if stray and result.boxes:
                out.facets.append((page.id, "redaction", "label-without-box"))
            for b in result.boxes:
                codes = region_labels.get(b.region)
                out.add(
                    "redaction_boxes",
                    document_id=doc.id,
                    page_id=page.id,
                    x0=round(b.box[0], 2),
                    y0=round(b.box[1], 2),
                    x1=round(b.box[2], 2),
                    y1=round(b.box[3], 2),
                    area=round(b.area, 2),
                    kind=b.kind,
                    region=b.region,
                    label=";".join(dict.fromkeys(codes)) if codes else None,
                    covered_words=len(b.covered),
                    bad=int(bool(b.covered)),
                )
            for codes, box, idx in result.labels:
                x0, y0, x1, y1 = box or (None, None, None, None)
                out.add(
                    "redaction_labels",
                    document_id=doc.id,
                    page_id=page.id,
                    codes=";".join(codes),
                    x0=x0,
                    y0=y0,
                    x1=x1,
                    y1=y1,
                    box_index=idx,
                )
        ids = {p.number: p.id for p in doc.pages}
        for kind, number, count in document_failures(pdf, doc.pages, covered_all):
            page_id = ids.get(number) if number is not None else None
            out.add(
                "redaction_failures",
                document_id=doc.id,
                page_id=page_id,
                kind=kind,
                x0=None,
                y0=None,
                x1=None,
                y1=None,
                count=count,
            )
            facet_page = (
                page_id if page_id is not None else (doc.pages[0].id if doc.pages else None)
            )
            if facet_page is not None:
                out.facets.append((facet_page, "redaction", kind))
        return out

    def store(self, conn: sqlite3.Connection, doc_id: int, found: Findings) -> None:
        """Insert boxes, then labels pointing at the ids the boxes received."""
        ids: dict[tuple[int, int], int] = {}
        per_page: dict[int, int] = {}
        for row in found.rows.get("redaction_boxes", []):
            n = per_page.get(row["page_id"], 0)
            ids[(row["page_id"], n)] = insert_row(conn, table="redaction_boxes", row=row)
            per_page[row["page_id"]] = n + 1
        for row in found.rows.get("redaction_labels", []):
            row = dict(row)
            idx = row.pop("box_index")
            row["box_id"] = ids.get((row["page_id"], idx)) if idx is not None else None
            insert_row(conn, table="redaction_labels", row=row)
        for row in found.rows.get("redaction_failures", []):
            insert_row(conn, table="redaction_failures", row=row)


def reveal(words: list[Word], box: Box) -> str:
    """The words still under a box, for a user who explicitly asks (never shown by default)."""
    return " ".join(w.text for w in secret_words(covered_words(box, words)))


def reveal_from_original(pdf_path: Path, number: int, box: Box) -> str:
    """`reveal`, read from the original PDF: the stored text is already masked."""
    import pymupdf

    from readingroom.ingest.formats.pdf import open_pages

    with open_pages(pdf_path) as pdf:
        page = pdf[number - 1]
        raw = page.get_text("words")
        m = page.rotation_matrix if page.rotation else None
        words = []
        for w in raw:
            r = pymupdf.Rect(w[:4]) * m if m is not None else pymupdf.Rect(w[:4])
            words.append(Word(r.x0, r.y0, r.x1, r.y1, w[4]))
    return reveal(words, box)


ANALYSER = Redactions()
