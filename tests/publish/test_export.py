"""Export with true redactions: nothing confirmed is readable by PyMuPDF, pdftotext or Tesseract."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest
from typer.testing import CliRunner

from readingroom.cli import app
from readingroom.investigation import Investigation
from readingroom.publish import audit as pa
from readingroom.publish.export import ExportOptions, ExportRefused, export
from readingroom.publish.fixtures import PlantedPage, planted_page, write_pdf

runner = CliRunner()


def rr(*args: str) -> subprocess.CompletedProcess[str]:
    """The CLI as a user runs it: exit codes and messages as `main` maps them."""
    return subprocess.run(
        [sys.executable, "-m", "readingroom", *args], capture_output=True, text=True, timeout=120
    )


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def readable_everywhere(pdf: Path) -> list[str]:
    """The file's text by three independent readers: PyMuPDF, pdftotext, Tesseract."""
    import pytesseract  # type: ignore[import-untyped]
    from PIL import Image

    texts = []
    with pymupdf.open(pdf) as d:
        texts.append("\n".join(p.get_text() for p in d))
        ocr = []
        for p in d:
            pix = p.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY, alpha=False)
            ocr.append(
                pytesseract.image_to_string(
                    Image.frombytes("L", (pix.width, pix.height), pix.samples)
                )
            )
        texts.append("\n".join(ocr))
    assert shutil.which("pdftotext"), "poppler-utils is installed by scripts/install-system-deps"
    texts.append(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True
        ).stdout
    )
    return texts


def assert_gone(texts: list[str], truth: list[tuple[str, str]]) -> None:
    for text in texts:
        flat = " ".join(text.split())
        digits = _digits(text)
        for kind, value in truth:
            if kind in ("ssn", "a_number", "fins", "phone"):
                assert _digits(value)[-7:] not in digits, (kind, "still readable")
            else:
                assert value.lower() not in flat.lower(), (kind, "still readable")


def test_cli_audit_confirm_export_and_verify(
    planted: tuple[Investigation, dict[str, list[PlantedPage]]], tmp_path: Path
) -> None:
    inv, files = planted
    d = ["-d", str(inv.root)]
    docs = ["i213-born.pdf", "i213-scan.pdf", "memo-clean.pdf", "call-notes.txt"]
    res = runner.invoke(app, ["tag", *docs, "--add", "publish", *d])
    assert res.exit_code == 0, res.output
    listing = runner.invoke(app, ["audit", "--tag", "publish", "--json", *d])
    assert listing.exit_code == 0, listing.output
    hits = json.loads(listing.stdout)["hits"]
    # Every hit has kind, document path, page, span and box, and never the value itself.
    planted_values = [v for pages in files.values() for p in pages for _, v in p.truth]
    assert {h["kind"] for h in hits} >= {
        "ssn",
        "a_number",
        "dob",
        "phone",
        "email",
        "address",
        "name",
    }
    for h in hits:
        assert (
            h["path"]
            and h["page"] >= 1
            and len(h["span"]) == 2
            and (h["box"] is not None) == h["name"].endswith(".pdf")  # text files: no geometry
            and len(h["hash"]) == 10
        )
    # The facet names the kind, never the value: `pii:ssn` finds the three documents.
    from readingroom.search import search

    assert search(inv.reader(), "pii:ssn").total_documents == 3
    assert search(inv.reader(), "pii:name").total_documents == 2
    for v in planted_values:
        assert v not in listing.stdout
    # One decision per hit, remembered; dismiss one, confirm the rest by kind.
    name_hit = next(h for h in hits if h["kind"] == "name" and h["name"] == "i213-born.pdf")
    res = runner.invoke(app, ["audit", "dismiss", name_hit["hit"], "--reviewer", "ana", *d])
    assert res.exit_code == 0, res.output
    kinds = sorted({h["kind"] for h in hits})
    res = runner.invoke(
        app, ["audit", *[a for k in kinds for a in ("--confirm-all", k)], "--reviewer", "ana", *d]
    )
    assert res.exit_code == 0, res.output
    again = {h["hit"]: h for h in pa.audit(inv.db)}
    assert again[name_hit["hit"]]["decision"] == "confirmed"  # --confirm-all KIND includes it
    res = runner.invoke(app, ["audit", "dismiss", name_hit["hit"], "--reviewer", "ana", *d])
    assert {h["hit"]: h for h in pa.audit(inv.db)}[name_hit["hit"]]["reviewer"] == "ana"
    bad = rr("audit", "confirm", "zzzzzz", *d)
    assert bad.returncode == 2 and "no hit has this id" in bad.stderr

    out = tmp_path / "out"
    res = runner.invoke(
        app,
        [
            "export",
            "--redact",
            "--out",
            str(out),
            "--tag",
            "publish",
            "--fixed-width",
            "48",
            "--no-ocr-check",
            *d,
        ],
    )
    assert res.exit_code == 0, res.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert {m["name"] for m in manifest["documents"]} == set(files)
    assert [s["name"] for s in manifest["skipped"]] == ["call-notes.txt"]  # text: never exported
    assert not (out / "call-notes.redacted.pdf").exists()
    for m in manifest["documents"]:
        assert m["verified"]["readable"] == 0
        assert all(r["why"] and r["page"] for r in m["removed"])
        texts = readable_everywhere(out / m["output"])
        truth = [(k, v) for p in files[m["name"]] for k, v in p.truth]
        dismissed_name = [v for p in files["i213-born.pdf"][:1] for k, v in p.truth if k == "name"]
        if m["name"] == "i213-born.pdf":
            truth = [t for t in truth if t[1] not in dismissed_name]
            assert dismissed_name[0].split()[-1] in texts[0]  # a dismissed hit stays
        assert_gone(texts, truth)
        # Kept and readable: the Bates stamp and the page, by OCR and (born-digital) text layers.
        readers = texts if m["name"] != "i213-scan.pdf" else texts[1:2]
        for p in files[m["name"]]:
            stamp = p.bates.split()[-1]
            assert all(stamp in t for t in readers), "the Bates number is kept"
        assert all("Homeland Security" in t for t in readers), "the page stays readable"
        with pymupdf.open(out / m["output"]) as d:
            assert not any(d.metadata.get(k) for k in ("title", "author", "subject", "keywords"))
            assert d.get_toc() == [] and d.embfile_count() == 0
            assert all(not list(p.annots()) for p in d)
    # Fixed width: every identifier box is a whole multiple of 48 points wide.
    widths = [
        r["box"][2] - r["box"][0]
        for m in manifest["documents"]
        for r in m["removed"]
        if r["why"] == "identifier"
    ]
    assert widths and all(abs(w / 48 - round(w / 48)) < 0.01 for w in widths)


def test_export_refuses_when_the_identifier_is_also_in_an_image(tmp_path: Path) -> None:
    """The text layer's copy is redacted, but a pasted picture of the SSN is not: no file."""
    from concurrent.futures import ThreadPoolExecutor

    from readingroom.analyse import run_all
    from readingroom.ingest.pipeline import IngestOptions, ingest

    page = planted_page(77, 1)
    src = tmp_path / "in"
    src.mkdir()
    path = write_pdf(src / "pasted.pdf", [page])
    ssn = dict(page.truth)["ssn"]
    pic = pymupdf.open()
    pp = pic.new_page(width=200, height=30)
    pp.insert_text((5, 20), f"SSN {ssn}", fontsize=14)
    png = pp.get_pixmap(dpi=200).tobytes("png")
    doc = pymupdf.open(path)
    doc[0].insert_image(pymupdf.Rect(300, 600, 500, 630), stream=png)
    doc.save(src / "pasted2.pdf")
    doc.close()
    path.unlink()
    inv = Investigation.create(tmp_path / "inv")
    with ThreadPoolExecutor(1) as pool:
        ingest(inv, [src], IngestOptions(ocr="never"), executor=pool)
    run_all(inv)
    hits = pa.audit(inv.db)
    pa.decide(inv.db, hit_keys=[h["hit"] for h in hits], decision="confirmed", reviewer="t")
    with pytest.raises(ExportRefused, match="still readable"):
        export(
            inv.db,
            inv.blobs.path,
            document_ids=[hits[0]["document_id"]],
            options=ExportOptions(out=tmp_path / "out"),
        )
    assert not list((tmp_path / "out").glob("*.pdf")), "nothing is left behind"


def test_export_needs_redact_and_out(
    planted: tuple[Investigation, dict[str, list[PlantedPage]]],
) -> None:
    inv, _ = planted
    res = rr("export", "i213-born.pdf", "--out", "x", "-d", str(inv.root))
    assert res.returncode == 2 and "--redact" in res.stderr
    res = rr("export", "--redact", "--out", "x", "nosuch.pdf", "-d", str(inv.root))
    assert res.returncode == 2 and "nosuch.pdf" in res.stderr


def test_export_removes_white_text_on_white_and_keeps_white_on_dark(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from readingroom.analyse import run_all
    from readingroom.ingest.pipeline import IngestOptions, ingest

    src = tmp_path / "in"
    src.mkdir()
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.draw_rect(pymupdf.Rect(60, 60, 400, 90), color=(0.1, 0.2, 0.4), fill=(0.1, 0.2, 0.4))
    page.insert_text((72, 80), "Enforcement Operations Banner", fontsize=12, color=(1, 1, 1))
    page.insert_text((72, 140), "Visible memo text about the operation.", fontsize=11)
    page.insert_text((72, 160), "Hidden informant Zebulon Quarry", fontsize=11, color=(1, 1, 1))
    doc.save(src / "white.pdf")
    doc.close()
    inv = Investigation.create(tmp_path / "inv")
    with ThreadPoolExecutor(1) as pool:
        ingest(inv, [src], IngestOptions(ocr="never"), executor=pool)
    run_all(inv)
    m = export(
        inv.db,
        inv.blobs.path,
        document_ids=[1],
        options=ExportOptions(out=tmp_path / "out", ocr=False),
    )
    assert m["documents"][0]["scrubbed"]["white_text_spans"] == 1
    text = pymupdf.open(tmp_path / "out" / "white.redacted.pdf")[0].get_text()
    assert "Zebulon" not in text and "Banner" in text and "Visible memo text" in text
