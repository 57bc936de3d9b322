"""Accuracy of the publish checks, printed by `readingroom evaluate`.

Per identifier kind, precision and recall on pages whose truth is known:
generated I-213-like pages (text; born-digital PDFs through ingest; scanned
PDFs through ingest and Tesseract) and synthetic PII text from Faker (when
the test extra is installed). Every page also carries decoys (Bates stamps,
case and tracking numbers, form numbers, statute citations, document dates,
the letterhead's office address and numbers), so a flagged decoy is a false
positive. Then the export itself: how many confirmed identifiers any
extraction method can still read in the exported files (the target is 0).
"""

from __future__ import annotations

import logging
import random
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from readingroom.publish.detect import KINDS, detect, normalise
from readingroom.publish.fixtures import PlantedPage, planted_page, write_pdf

__all__ = ["figures"]

log = logging.getLogger(__name__)


def _score(
    pages: list[tuple[list[tuple[str, str]], list[tuple[str, str]]]], label: str
) -> dict[str, dict[str, Any]]:
    """Per kind P/R from (truth, found) pairs of (kind, value) per page."""
    from readingroom.analyse.evaluate import PR

    out = {k: PR() for k in KINDS}
    for truth, found in pages:
        want = [(k, normalise(k, v)) for k, v in truth]
        got = [(k, normalise(k, v)) for k, v in found]
        left = list(got)
        for w in want:
            if w in left:
                out[w[0]].tp += 1
                left.remove(w)
            else:
                out[w[0]].fn += 1
                out[w[0]].misses.append(f"missed {w[0]} ({label})")
        for g in left:
            out[g[0]].fp += 1
            out[g[0]].misses.append(f"flagged a non-identifier as {g[0]} ({label})")
    return {k: v.as_dict() for k, v in out.items() if v.tp + v.fn + v.fp}


def _text_pages(n: int, seed: int) -> list[tuple[list[tuple[str, str]], list[tuple[str, str]]]]:
    out = []
    for i in range(n):
        p = planted_page(seed + i)
        text = "\n".join(p.lines)
        out.append((p.truth, [(h.kind, text[h.start : h.end]) for h in detect(text)]))
    return out


def _faker_pages(
    n: int, seed: int
) -> list[tuple[list[tuple[str, str]], list[tuple[str, str]]]] | None:
    """Synthetic narrative text with Faker's identifiers in it (never real people's)."""
    try:
        from faker import Faker
    except ImportError:
        return None
    fake = Faker("en_US")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        name = f"{fake.last_name().upper()}, {fake.first_name()}"
        ssn = fake.ssn()
        phone = rng.choice(["({}) {}-{}", "{}-{}-{}"]).format(
            rng.choice(["415", "510", "713", "602", "404"]),
            rng.randint(200, 999),
            f"{rng.randint(0, 9999):04d}",
        )
        email = fake.free_email()
        street = fake.street_address()
        address = f"{street}, {fake.city()}, {fake.state_abbr()} {fake.zipcode()}"
        dob = fake.date_of_birth(minimum_age=18, maximum_age=70).strftime(
            rng.choice(["%m/%d/%Y", "%B %d, %Y"])
        )
        a_number = "A" + str(rng.randint(10**8, 10**9 - 1))
        lines = [
            f"Alien: {name}",
            f"The subject, born {dob}, stated that her SSN is {ssn} and that she",
            f"lives at {address} with her family. Her cell is {phone}.",
            f"She gave {email} as a contact. Her A-number is {a_number}.",
            (
                f"Report dated {fake.date_this_decade().strftime('%B %d, %Y')}"
                " under 8 U.S.C. 1226(a); Form I-286."
            ),
            (
                f"Bates DFE-2019-FOIA-00052 {rng.randint(1, 999999):06d};"
                f" case 2019-ICFO-{rng.randint(10000, 99999)}."
            ),
        ]
        truth = [
            ("name", name), ("dob", dob), ("ssn", ssn), ("address", address),
            ("phone", phone), ("email", email), ("a_number", a_number),
        ]  # fmt: skip
        text = "\n".join(lines)
        out.append((truth, [(h.kind, text[h.start : h.end]) for h in detect(text)]))
    return out


def _ingested(pages: list[PlantedPage], *, scanned: bool) -> dict[str, Any]:
    """Planted pages as PDFs through ingest and the analysers, scored per kind, then exported."""
    from readingroom.analyse import run_all
    from readingroom.ingest.pipeline import IngestOptions, ingest
    from readingroom.investigation import Investigation
    from readingroom.publish import audit as pa
    from readingroom.publish.export import ExportOptions, ExportRefused, export

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        write_pdf(src / "planted.pdf", pages, scanned=scanned)
        inv = Investigation.create(Path(tmp) / "inv")
        try:
            with ThreadPoolExecutor(1) as pool:
                ingest(inv, [src], IngestOptions(ocr="auto"), executor=pool)
            run_all(inv)
            hits = pa.audit(inv.db, with_values=True)
            scored = []
            for i, p in enumerate(pages, start=1):
                scored.append((p.truth, [(h["kind"], h["_value"]) for h in hits if h["page"] == i]))
            figures = _score(scored, "scanned" if scanned else "born-digital")
            pa.decide(
                inv.db, hit_keys=[h["hit"] for h in hits], decision="confirmed", reviewer="evaluate"
            )
            readable = 0
            try:
                export(
                    inv.db,
                    inv.blobs.path,
                    document_ids=sorted({h["document_id"] for h in hits}),
                    options=ExportOptions(out=Path(tmp) / "out"),
                )
            except ExportRefused as e:
                log.warning("%s", e)
                readable = len(hits)
            return {"kinds": figures, "confirmed": len(hits), "readable_after_export": readable}
        finally:
            inv.close()


def figures(corpus: Path | None = None, *, seed: int = 14) -> dict[str, Any]:
    """Name → figures, as `run_evaluation` prints them."""
    out: dict[str, Any] = {}
    for kind, r in _score(_text_pages(300, seed), "text").items():
        out[f"identifiers: {kind} (generated I-213 pages, text)"] = r
    fk = _faker_pages(300, seed)
    if fk is None:
        out["identifiers (Faker synthetic text): faker not installed"] = None
    else:
        for kind, r in _score(fk, "faker").items():
            out[f"identifiers: {kind} (Faker synthetic text)"] = r
    readable, confirmed = 0, 0
    for scanned, n in ((False, 8), (True, 8)):
        pages = [planted_page(seed + 1000 + i, 1) for i in range(n)]
        got = _ingested(pages, scanned=scanned)
        form = "scanned, OCR" if scanned else "born-digital PDF"
        for kind, r in got["kinds"].items():
            out[f"identifiers: {kind} (generated pages, {form})"] = r
        readable += got["readable_after_export"]
        confirmed += got["confirmed"]
    out["export: confirmed identifiers readable afterwards (PyMuPDF, pdftotext, Tesseract)"] = {
        "confirmed": confirmed,
        "readable": readable,
    }
    from readingroom.publish.failures import evaluate_failures

    out.update(evaluate_failures(corpus))
    return out
