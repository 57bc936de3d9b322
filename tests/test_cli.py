"""The CLI as a user runs it: exit codes, --json on stdout, messages on stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .ingest.pdfs import make_pdf


def rr(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "readingroom", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_init_ingest_status_errors_json(tmp_path: Path) -> None:
    make_pdf(tmp_path / "in" / "memo.pdf", ["quota memo", "page two"])
    make_pdf(tmp_path / "in" / "locked.pdf", ["x"], password="pw")
    inv = tmp_path / "inv"
    created = rr("init", str(inv), "--json")
    assert created.returncode == 0 and json.loads(created.stdout)["investigation"] == str(inv)
    res = rr("ingest", str(tmp_path / "in"), "--ocr", "never", "--production", "P1",
             "--received", "2019-06-14", "--json", cwd=inv)
    assert res.returncode == 1, "some files failed: exit status 1"
    summary = json.loads(res.stdout)  # stdout is pure JSON: progress went to stderr
    assert summary["pages"] == 2 and summary["failed"] == 1
    assert summary["analysed_documents"] == 1  # analysers ran on the new document
    assert "readingroom errors" in res.stderr
    status = json.loads(rr("status", "--json", "--dir", str(inv)).stdout)
    assert status["documents"] == 2 and status["pages"] == 2
    assert status["productions"] == [
        {"name": "P1", "received": "2019-06-14", "documents": 2, "pages": 2}
    ]
    errors = json.loads(rr("errors", "--json", "--dir", str(inv)).stdout)
    assert [(Path(e["path"]).name, e["kind"]) for e in errors] == [("locked.pdf", "encrypted")]
    text = rr("errors", "--dir", str(inv)).stdout
    assert "encrypted" in text and "password-protected" in text
    again = rr("ingest", str(tmp_path / "in"), "--ocr", "never", "--json", cwd=inv)
    assert again.returncode == 0 and json.loads(again.stdout)["skipped"] == 2


def test_not_an_investigation_is_a_clear_error(tmp_path: Path) -> None:
    res = rr("status", "--dir", str(tmp_path))
    assert res.returncode == 3
    assert "not a readingroom investigation" in res.stderr and "readingroom init" in res.stderr
    assert "Traceback" not in res.stderr


def test_bad_arguments_are_clear(tmp_path: Path) -> None:
    rr("init", str(tmp_path / "inv"))
    res = rr("ingest", str(tmp_path / "missing"), "--dir", str(tmp_path / "inv"))
    assert res.returncode == 2 and "missing: no such file or directory" in res.stderr
    res = rr("ingest", str(tmp_path), "--received", "June 14", "--dir", str(tmp_path / "inv"))
    assert res.returncode == 2 and "YYYY-MM-DD" in res.stderr
