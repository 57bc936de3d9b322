"""Assemble the demo production in Bates order and write its manifest."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from readingroom.demo import evidence as demo_evidence
from readingroom.demo import other, scans
from readingroom.demo import requests as demo_requests
from readingroom.demo import rerelease as demo_rerelease
from readingroom.demo.documents import build_chain, build_memo, build_ops_plan, plan_variants
from readingroom.demo.pdf import PageTruth, PdfBuilder
from readingroom.demo.world import (
    AGENCY,
    BATES_PREFIX,
    FIELD_OFFICES,
    MARK,
    NATIONAL_OPERATIONS,
    REQUEST_ID,
    SYSTEMS,
    World,
    slug,
)
from readingroom.errors import BadArguments

SCHEMA = "readingroom-demo-truth/1"
BATES_GAP = 3  # numbers skipped after the memos: the deliberate gap


class DemoError(BadArguments):
    """The destination cannot hold a demo production."""


def _page_record(n: int, bates: str, pt: PageTruth, w: float, h: float) -> dict[str, Any]:
    return {
        "number": n,
        "bates": bates,
        "width": w,
        "height": h,
        "text_layer": True,
        "exemptions": pt.exemptions(),
        "redactions": pt.redactions,
        "withheld": pt.withheld,
    }


class _Production:
    """Hands out Bates numbers in order and records every file written."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.counter = 1
        self.missing: list[str] = []
        self.files: list[dict[str, Any]] = []

    def bates(self, n: int) -> list[str]:
        out = [f"{BATES_PREFIX} {self.counter + i:06d}" for i in range(n)]
        self.counter += n
        return out

    def skip(self, n: int) -> None:
        self.missing += self.bates(n)

    def write(self, rel: str, data: bytes) -> dict[str, Any]:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return {"path": rel, "sha256": other.sha256(data), "size": len(data)}

    def pdf(self, builder: PdfBuilder, title: str) -> tuple[bytes, list[dict[str, Any]]]:
        numbers = self.bates(len(builder.truth))
        builder.stamp(numbers)
        pages = [
            _page_record(i + 1, b, pt, builder.width, builder.height)
            for i, (b, pt) in enumerate(zip(numbers, builder.truth, strict=True))
        ]
        return builder.to_bytes(title), pages

    def add_pdf(self, rel: str, kind: str, builder: PdfBuilder, info: dict[str, Any]) -> bytes:
        data, pages = self.pdf(builder, info["title"])
        self.files.append(
            {
                **self.write(rel, data),
                "kind": kind,
                "format": "pdf",
                "page_count": len(pages),
                "pages": pages,
                **info,
            }
        )
        return data


def _scan_records(sp: list[scans.ScanPage], bates: list[str]) -> list[dict[str, Any]]:
    recs = []
    for i, (p, b) in enumerate(zip(sp, bates, strict=True)):
        codes = sorted({c for r in p.redactions for c in r["exemptions"]})
        recs.append(
            {
                "number": i + 1,
                "bates": b,
                "width": p.width,
                "height": p.height,
                "text_layer": False,
                "exemptions": codes,
                "redactions": p.redactions,
                "withheld": None,
                "dpi": p.dpi,
                "skew_degrees": p.skew,
                "ocr_text": p.text,
            }
        )
    return recs


def _scanned_memo(
    prod: _Production,
    world: World,
    rng: random.Random,
    nrng: np.random.Generator,
    *,
    paragraphs: tuple[int, int],
    one_page: bool = False,
    dpi: int = 200,
) -> tuple[list[scans.ScanPage], list[str], dict[str, Any]]:
    b, info = build_memo(
        world, rng, label_style="beside", min_paragraphs=paragraphs[0], max_paragraphs=paragraphs[1]
    )
    if one_page and len(b.truth) > 1:
        b.doc.select([0])
        b.truth = b.truth[:1]
    data, _ = prod.pdf(b, info["title"])
    numbers = [f"{BATES_PREFIX} {prod.counter - len(b.truth) + i:06d}" for i in range(len(b.truth))]
    return scans.scan_pages(data, b.truth, nrng, dpi=dpi), numbers, info


def generate(dest: Path, *, seed: int = 7, scale: int = 1) -> dict[str, Any]:
    """Write a fictional FOIA production to `dest/production/` and its truth to `dest/truth.json`.

    Same seed and scale give byte-identical files. `scale` multiplies the memos,
    printed e-mail chains and scanned PDFs. Returns the manifest.
    """
    if scale < 1:
        raise DemoError("scale must be at least 1")
    dest = Path(dest)
    root = dest / "production"
    if root.exists():
        if not (dest / "truth.json").exists():
            raise DemoError(
                f"{root} exists and was not made by `readingroom demo`; choose an empty folder"
            )
        shutil.rmtree(root)
    root.mkdir(parents=True)
    world = World(seed)
    prod = _Production(root)

    # 1. Born-digital memos; the second one carries a (b)(5) withheld sheet.
    memo_files: list[tuple[str, bytes]] = []
    for i in range(8 * scale):
        rng = random.Random(f"{seed}-memo-{i}")
        b, info = build_memo(world, rng, withheld_after=1 if i == 1 else None)
        rel = f"memos/DFE-memo-{i + 1:04d}.pdf"
        memo_files.append((rel, prod.add_pdf(rel, "memo", b, info)))
    prod.skip(BATES_GAP)

    # 2. Printed e-mail chains; one bad redaction, one duplicate slip sheet.
    first_chain_bates: str | None = None
    for i in range(6 * scale):
        rng = random.Random(f"{seed}-chain-{i}")
        b, info = build_chain(
            world, rng, bad_redaction=i == 0, duplicate_of=first_chain_bates if i == 1 else None
        )
        prod.add_pdf(f"emails/DFE-email-{i + 1:04d}.pdf", "email_chain", b, info)
        if i == 0:
            first_chain_bates = prod.files[-1]["pages"][0]["bates"]

    # 3. One operations plan, 24 field-office variants.
    natop = NATIONAL_OPERATIONS[seed % len(NATIONAL_OPERATIONS)]
    changes = plan_variants(seed)
    for office in FIELD_OFFICES:
        rng = random.Random(f"{seed}-plan-{office}")
        b, info = build_ops_plan(world, rng, office=office, natop=natop, change=changes[office])
        prod.add_pdf(f"ops-plans/ops-plan-{slug(office)}.pdf", "ops_plan", b, info)

    # 4. Scans: image-only PDFs, a G4 TIFF, a PNG and a JPEG, all without text.
    nrng = np.random.default_rng(seed)
    for i in range(scale):
        rng = random.Random(f"{seed}-scan-{i}")
        sp, numbers, info = _scanned_memo(prod, world, rng, nrng, paragraphs=(10, 12))
        rel = f"scans/DFE-scan-{i + 1:04d}.pdf"
        data = scans.image_pdf(sp, info["title"])
        prod.files.append(
            {
                **prod.write(rel, data),
                "kind": "scanned_memo",
                "format": "pdf",
                "page_count": len(sp),
                "pages": _scan_records(sp, numbers),
                **info,
            }
        )
    rng = random.Random(f"{seed}-scan-tiff")
    sp, numbers, info = _scanned_memo(prod, world, rng, nrng, paragraphs=(8, 8), dpi=300)
    prod.files.append(
        {
            **prod.write("scans/DFE-scan-fax.tiff", scans.tiff_g4(sp)),
            "kind": "scanned_memo",
            "format": "tiff",
            "compression": "group4",
            "page_count": len(sp),
            "pages": _scan_records(sp, numbers),
            **info,
        }
    )
    for fmt, writer in (("png", scans.png), ("jpeg", scans.jpeg)):
        rng = random.Random(f"{seed}-scan-{fmt}")
        sp, numbers, info = _scanned_memo(prod, world, rng, nrng, paragraphs=(2, 3), one_page=True)
        ext = "jpg" if fmt == "jpeg" else fmt
        prod.files.append(
            {
                **prod.write(f"scans/DFE-scan-photo.{ext}", writer(sp[0])),
                "kind": "scanned_memo",
                "format": fmt,
                "page_count": 1,
                "pages": _scan_records(sp, numbers),
                **info,
            }
        )

    # 5. A zip holding a README and a nested zip of two more memos.
    inner: list[tuple[str, bytes]] = []
    inner_entries: list[dict[str, Any]] = []
    for i in range(2):
        rng = random.Random(f"{seed}-zipmemo-{i}")
        b, info = build_memo(world, rng, max_paragraphs=5)
        data, pages = prod.pdf(b, info["title"])
        name = f"DFE-memo-Z{i + 1:03d}.pdf"
        inner.append((name, data))
        inner_entries.append(
            {
                "path": f"archives/DFE-release-batch.zip::inner/memos-batch.zip::{name}",
                "container": ["archives/DFE-release-batch.zip", "inner/memos-batch.zip"],
                "sha256": other.sha256(data),
                "size": len(data),
                "kind": "memo",
                "format": "pdf",
                "page_count": len(pages),
                "pages": pages,
                **info,
            }
        )
    readme = f"{MARK}\n{AGENCY}: release batch for request {REQUEST_ID}.\n".encode()
    outer = [("README.txt", readme), ("inner/memos-batch.zip", other.make_zip(inner))]
    prod.files.append(
        {
            **prod.write("archives/DFE-release-batch.zip", other.make_zip(outer)),
            "kind": "archive",
            "format": "zip",
            "page_count": None,
            "members": [
                "README.txt",
                "inner/memos-batch.zip",
                *(f"inner/memos-batch.zip::{n}" for n, _ in inner),
            ],
        }
    )
    prod.files += inner_entries

    # 6. Daily arrests as xlsx and CSV.
    rows, totals = other.arrests(seed)
    sheet = {
        "rows": len(rows),
        "columns": list(other.COLUMNS),
        "first_date": rows[0][0].isoformat(),
        "last_date": rows[-1][0].isoformat(),
        "totals": totals,
        "grand_total": {
            "targets": sum(t["targets"] for t in totals.values()),
            "collateral": sum(t["collateral"] for t in totals.values()),
        },
    }
    prod.files.append(
        {
            **prod.write("data/daily-arrests.xlsx", other.xlsx_bytes(rows)),
            "kind": "spreadsheet",
            "format": "xlsx",
            "page_count": None,
            "sheet": "Daily arrests",
            # Cells of the "Supervisory review" sheet carrying each code.
            "exemption_cells": other.review_exemption_cells(rows),
            **sheet,
        }
    )
    prod.files.append(
        {
            **prod.write("data/daily-arrests.csv", other.csv_bytes(rows)),
            "kind": "csv",
            "format": "csv",
            "page_count": None,
            **sheet,
        }
    )

    # 7. Mail: an mbox (PDF and .txt attachments), an .eml, an Outlook stand-in .eml.
    msgs, eml, outlook = other.mail_messages(
        world, seed, (memo_files[0][0].split("/")[-1], memo_files[0][1])
    )
    mbox_rel = "mail/DFE-correspondence.mbox"
    (root / "mail").mkdir(parents=True, exist_ok=True)
    infos = other.write_mbox(root / mbox_rel, msgs)
    data = (root / mbox_rel).read_bytes()
    prod.files.append(
        {
            "path": mbox_rel,
            "sha256": other.sha256(data),
            "size": len(data),
            "kind": "mbox",
            "format": "mbox",
            "page_count": None,
            "messages": infos,
        }
    )
    for rel, msg, extra in (
        ("mail/DFE-collateral-comparison.eml", eml, {}),
        (
            "mail/DFE-outlook-export.eml",
            outlook,
            {
                "msg_substitute": True,
                "note": "stands in for an Outlook .msg: no maintained Python library writes .msg",
            },
        ),
    ):
        body, info = other.eml_bytes(msg)
        prod.files.append(
            {
                **prod.write(rel, body),
                "kind": "email",
                "format": "eml",
                "page_count": None,
                "message": info,
                **extra,
            }
        )

    # 8. A Word memo.
    data, info = other.docx_bytes(world, random.Random(f"{seed}-docx"))
    prod.files.append(
        {
            **prod.write("word/DFE-briefing.docx", data),
            "kind": "word",
            "format": "docx",
            "page_count": None,
            **info,
        }
    )

    manifest = _manifest(prod, seed, scale)
    # The request campaign and its production letter, beside the production (added later).
    manifest["requests"] = demo_requests.write(dest, manifest)
    # Figures planted for the evidence layer, in a later release beside the production.
    manifest["evidence"] = demo_evidence.write(dest, manifest)
    # Two memos released again with the staff names restored (`readingroom compare`).
    manifest["rerelease"] = demo_rerelease.write(dest, manifest)
    (dest / "truth.json").write_text(
        json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return manifest


def _manifest(prod: _Production, seed: int, scale: int) -> dict[str, Any]:
    paged = [f for f in prod.files if f.get("pages")]
    pages = [p for f in paged for p in f["pages"]]
    reds = [r for p in pages for r in p["redactions"]]
    stamped = [p["bates"] for p in pages]
    summary = {
        "files": len(prod.files),
        "files_on_disk": sum(1 for f in prod.files if "container" not in f),
        "pages": len(pages),
        "text_layer_pages": sum(1 for p in pages if p["text_layer"]),
        "scanned_pages": sum(1 for p in pages if not p["text_layer"]),
        "redactions": len(reds),
        "bad_redactions": sum(1 for r in reds if r["bad"]),
        "withheld_pages": sum(1 for p in pages if p["withheld"]),
        "printed_email_messages": sum(len(f.get("messages", [])) for f in paged),
        "ops_plans": sum(1 for f in prod.files if f["kind"] == "ops_plan"),
    }
    return {
        "schema": SCHEMA,
        "fictional": True,
        "notice": MARK,
        "seed": seed,
        "scale": scale,
        "agency": AGENCY,
        "request": REQUEST_ID,
        "production_dir": "production",
        "bates": {
            "prefix": BATES_PREFIX,
            "first": min(stamped),
            "last": max(stamped),
            "missing": prod.missing,
        },
        "offices": list(FIELD_OFFICES),
        "national_operations": list(NATIONAL_OPERATIONS),
        "systems": list(SYSTEMS),
        "summary": summary,
        "files": prod.files,
    }
