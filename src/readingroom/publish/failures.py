"""Generated PDFs, one per way a redaction fails, and the measurement of their detection.

Each file hides the same invented name ("Marisol Quintero-Vance", no one we
know of) in one way that leaves it readable; a control file redacts it
properly. They go through real ingest and the analysers, and the figures say
which failure kinds the redactions analyser reported for each. The x-ray
files of the shared corpus (real court PDFs named bad/good) are measured the
same way: a bad file must show at least one failure kind, a good one none.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal

__all__ = ["GENERATORS", "detected_kinds", "evaluate_failures", "write_failure_files"]

SECRET = "Marisol Quintero-Vance"
_BODY = [
    "MEMORANDUM FOR: Field Office Director",
    "SUBJECT: Collateral arrest during the operation",
    "",
    "The officers encountered the subject at the residence and",
    "arrested one collateral. The collateral was identified as",
]


def _page(doc: Any) -> tuple[Any, Any]:
    """A page with the memo text and the secret on its own line; returns (page, secret rect)."""
    page = doc.new_page(width=612, height=792)
    y = 80.0
    for line in _BODY:
        if line:
            page.insert_text((72, y), line, fontsize=11, fontname="helv")
        y += 18
    page.insert_text((72, y), SECRET, fontsize=11, fontname="helv")
    rect = page.search_for(SECRET)[0]
    page.insert_text((72, y + 18), "and transported to the processing center.", fontsize=11)
    page.insert_text((400, 760), "DFE-2019-FOIA-00052 000777", fontsize=9)
    return page, rect


def _box(rect: Any) -> Any:
    import pymupdf

    return pymupdf.Rect(rect.x0 - 2, rect.y0 - 2, rect.x1 + 2, rect.y1 + 2)


def _text_under_box(doc: Any) -> None:
    page, r = _page(doc)
    page.draw_rect(_box(r), color=(0, 0, 0), fill=(0, 0, 0))


def _text_under_image(doc: Any) -> None:
    import pymupdf

    page, r = _page(doc)
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 40, 10), False)
    pix.clear_with(30)
    page.insert_image(_box(r), pixmap=pix, keep_proportion=False)


def _redact_annotation(doc: Any) -> None:
    page, r = _page(doc)
    page.add_redact_annot(_box(r), fill=(0, 0, 0))  # marked, never applied


def _dark_highlight(doc: Any) -> None:
    page, r = _page(doc)
    annot = page.add_highlight_annot(r)
    annot.set_colors(stroke=(0, 0, 0))
    annot.set_opacity(1.0)
    annot.update()


def _cross_hatched(doc: Any) -> None:
    page, r = _page(doc)
    b = _box(r)
    shape = page.new_shape()
    x = b.x0
    while x < b.x1:
        shape.draw_line((x, b.y0), (min(x + b.height, b.x1), b.y1))
        shape.draw_line((min(x + b.height, b.x1), b.y0), (x, b.y1))
        x += 3
    shape.draw_rect(b)
    shape.finish(color=(0, 0, 0), width=0.8)
    shape.commit()


def _white_text(doc: Any) -> None:
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 80), "MEMORANDUM FOR: Field Office Director", fontsize=11)
    page.insert_text((72, 98), "The collateral was identified as", fontsize=11)
    page.insert_text((72, 116), SECRET, fontsize=11, color=(1, 1, 1))
    page.insert_text((400, 760), "DFE-2019-FOIA-00052 000777", fontsize=9)


def _annotation_text(doc: Any) -> None:
    import pymupdf

    page, r = _page(doc)
    page.add_redact_annot(_box(r), fill=(0, 0, 0))
    page.apply_redactions()
    note = page.add_text_annot(pymupdf.Point(r.x0 + 4, r.y0 + 4), f"redacted: {SECRET}")
    note.update()


def _outline_text(doc: Any) -> None:
    page, r = _page(doc)
    page.add_redact_annot(_box(r), fill=(0, 0, 0))
    page.apply_redactions()  # the page is redacted properly; the bookmark is not
    doc.set_toc([[1, f"Arrest of {SECRET}", 1]])


def _metadata(doc: Any) -> None:
    page, r = _page(doc)
    page.draw_rect(_box(r), color=(0, 0, 0), fill=(0, 0, 0))
    doc.set_metadata({"title": "Collateral arrest", "keywords": SECRET})


def _attachment(doc: Any) -> None:
    page, r = _page(doc)
    page.add_redact_annot(_box(r), fill=(0, 0, 0))
    page.apply_redactions()
    doc.embfile_add("unredacted.txt", f"identified as {SECRET}".encode())


def _ocr_layer_under_box(doc: Any) -> None:
    """A scan whose box is in the image, with an invisible OCR text layer still reading the name."""
    import pymupdf

    src = pymupdf.open()
    page, r = _page(src)
    page.draw_rect(_box(r), color=(0, 0, 0), fill=(0, 0, 0))
    pix = page.get_pixmap(dpi=150, colorspace=pymupdf.csGRAY, alpha=False)
    out = doc.new_page(width=612, height=792)
    out.insert_image(out.rect, stream=pix.tobytes("png"))
    y = 80.0
    for line in [*_BODY, SECRET]:
        if line:
            out.insert_text((72, y), line, fontsize=11, fontname="helv", render_mode=3)
        y += 18
    src.close()


def _control(doc: Any) -> None:
    page, r = _page(doc)
    page.add_redact_annot(_box(r), fill=(0, 0, 0))
    page.apply_redactions()


#: Failure kind → a generator writing one file that fails only (or first) that way.
GENERATORS: dict[str, Callable[[Any], None]] = {
    "text-under-box": _text_under_box,
    "ocr-layer-under-box": _ocr_layer_under_box,
    "text-under-image": _text_under_image,
    "redact-annotation": _redact_annotation,
    "dark-highlight": _dark_highlight,
    "cross-hatched": _cross_hatched,
    "white-text": _white_text,
    "annotation-text": _annotation_text,
    "outline-text": _outline_text,
    "metadata": _metadata,
    "attachment": _attachment,
}


def write_failure_files(folder: Path) -> dict[str, Path]:
    """One PDF per failure kind, plus `control` (redacted properly)."""
    import pymupdf

    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for kind, make in [*GENERATORS.items(), ("control", _control)]:
        doc = pymupdf.open()
        make(doc)
        path = folder / f"failure-{kind}.pdf"
        doc.save(path, garbage=3, deflate=True)
        doc.close()
        out[kind] = path
    return out


def detected_kinds(
    files: list[Path], *, ocr: Literal["auto", "always", "never"] = "never"
) -> dict[str, set[str]]:
    """File name → the failure kinds the redactions analyser stored, through real ingest."""
    from readingroom.analyse import run_all
    from readingroom.ingest.pipeline import IngestOptions, ingest
    from readingroom.investigation import Investigation
    from readingroom.store.publish import failure_kinds

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        for f in files:
            (src / f.name).write_bytes(f.read_bytes())
        inv = Investigation.create(Path(tmp) / "inv")
        try:
            with ThreadPoolExecutor(1) as pool:
                ingest(inv, [src], IngestOptions(ocr=ocr), executor=pool)
            run_all(inv, only=["exemptions", "redactions"])
            return failure_kinds(inv.db)
        finally:
            inv.close()


def evaluate_failures(corpus: Path | None) -> dict[str, Any]:
    """Figures: each generated failure kind detected; x-ray bad files flagged, good ones not."""
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        files = write_failure_files(Path(tmp))
        found = detected_kinds(list(files.values()))
    detected = [k for k, p in files.items() if k != "control" and k in found.get(p.name, set())]
    missed = [k for k in GENERATORS if k not in detected]
    out["bad-redaction kinds (generated files)"] = {
        "kinds": len(GENERATORS),
        "detected": len(detected),
        "missed": ", ".join(missed) or "none",
        "control_false_alarms": len(found.get(files["control"].name, set())),
    }
    folder = (corpus / "redactions" / "x-ray") if corpus else None
    if folder is None or not folder.is_dir():
        out["bad-redaction kinds (x-ray files): corpus absent"] = None
        return out
    from readingroom.analyse.evaluate import PR, xray_files

    labelled = xray_files(folder)
    got = detected_kinds([p for p, _ in labelled])
    pr = PR()
    kinds: dict[str, int] = {}
    for path, bad in labelled:
        ks = got.get(path.name, set())
        for k in ks:
            kinds[k] = kinds.get(k, 0) + 1
        if ks and bad:
            pr.tp += 1
        elif ks:
            pr.fp += 1
            pr.misses.append(f"false alarm: {path.name} ({', '.join(sorted(ks))})")
        elif bad:
            pr.fn += 1
            pr.misses.append(f"missed: {path.name}")
    out["bad-redaction files, any failure kind (x-ray files)"] = pr.as_dict()
    out["failure kinds found in x-ray files (files per kind)"] = {
        re.sub(r"\W", "_", k): n for k, n in sorted(kinds.items())
    } or {"none": 0}
    return out
