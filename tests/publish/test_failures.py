"""Every way a redaction fails is reported, each as its own kind, and a proper redaction is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from readingroom.analyse.analysers.redactions import FAILURE_KINDS
from readingroom.publish.failures import GENERATORS, detected_kinds, write_failure_files

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "redactions" / "x-ray"


def test_each_generated_failure_is_found_as_its_kind(tmp_path: Path) -> None:
    assert set(GENERATORS) == set(FAILURE_KINDS)
    files = write_failure_files(tmp_path / "files")
    found = detected_kinds(list(files.values()))
    for kind, path in files.items():
        if kind == "control":
            assert found.get(path.name, set()) == set(), "a proper redaction is not a failure"
        else:
            assert kind in found.get(path.name, set()), (kind, found.get(path.name))


@pytest.mark.corpus
def test_xray_bad_files_show_a_failure_and_good_files_none() -> None:
    if not CORPUS.is_dir():
        pytest.skip("shared corpus absent")
    from readingroom.analyse.evaluate import xray_files

    labelled = xray_files(CORPUS)
    found = detected_kinds([p for p, _ in labelled])
    false_alarms = [p.name for p, bad in labelled if not bad and found.get(p.name)]
    caught = [p.name for p, bad in labelled if bad and found.get(p.name)]
    assert false_alarms == []
    assert len(caught) >= 3  # hidden_text_on_visible_text.pdf (text over text, no box) is not


def test_audit_lists_failures_of_the_documents(tmp_path: Path) -> None:
    """`audit --json` says how the agency's redactions fail, by kind and page, without words."""
    import json
    import subprocess
    import sys
    from concurrent.futures import ThreadPoolExecutor

    from readingroom.analyse import run_all
    from readingroom.ingest.pipeline import IngestOptions, ingest
    from readingroom.investigation import Investigation

    files = write_failure_files(tmp_path / "in")
    for kind in list(files):
        if kind not in ("text-under-box", "outline-text", "control"):
            files.pop(kind).unlink()
    inv = Investigation.create(tmp_path / "inv")
    with ThreadPoolExecutor(1) as pool:
        ingest(inv, [tmp_path / "in"], IngestOptions(ocr="never"), executor=pool)
    run_all(inv)
    inv.close()
    res = subprocess.run(
        [sys.executable, "-m", "readingroom", "audit", "--json", "-d", str(tmp_path / "inv")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    broken = json.loads(res.stdout)["redaction_failures"]
    assert {(f["name"], f["kind"], f["page"]) for f in broken} == {
        ("failure-text-under-box.pdf", "text-under-box", 1),
        ("failure-outline-text.pdf", "outline-text", 1),
    }
    assert "Quintero" not in res.stdout


def test_export_applies_a_real_box_wherever_a_redaction_failed(tmp_path: Path) -> None:
    """Each failure file exported: the name is gone by every reader, the memo text stays."""
    from concurrent.futures import ThreadPoolExecutor

    import pymupdf

    from readingroom.analyse import run_all
    from readingroom.ingest.pipeline import IngestOptions, ingest
    from readingroom.investigation import Investigation
    from readingroom.publish.export import ExportOptions, export, readable_text
    from readingroom.publish.failures import SECRET

    write_failure_files(tmp_path / "in")
    inv = Investigation.create(tmp_path / "inv")
    with ThreadPoolExecutor(1) as pool:
        ingest(inv, [tmp_path / "in"], IngestOptions(ocr="never"), executor=pool)
    run_all(inv)
    ids = [int(r[0]) for r in inv.db.execute("SELECT id FROM documents ORDER BY id")]
    m = export(
        inv.db, inv.blobs.path, document_ids=ids, options=ExportOptions(out=tmp_path / "out")
    )
    assert len(m["documents"]) == len(GENERATORS) + 1
    for d in m["documents"]:
        path = tmp_path / "out" / d["output"]
        for method, pages in readable_text(path).items():
            words = " ".join(w.text for ws in pages.values() for w in ws)
            assert "Quintero" not in words and "Marisol" not in words, (d["name"], method)
            if (
                method == "tesseract" or "ocr-layer" not in d["name"]
            ):  # the scan's layer is scrubbed
                assert "collateral" in words, (d["name"], method)
        with pymupdf.open(path) as pdf:
            assert pdf.embfile_count() == 0 and pdf.get_toc() == []
            assert SECRET not in str(pdf.metadata)
