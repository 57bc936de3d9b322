"""Findings from the command line, re-verification before the report, exports."""

from __future__ import annotations

import csv
import io
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from typer.testing import CliRunner

from readingroom.cli import build_app
from readingroom.errors import ReadingRoomError
from readingroom.ingest.pipeline import IngestOptions, ingest
from readingroom.investigation import Investigation
from readingroom.store import evidence as ev
from readingroom.store import transaction

MEMO = (
    "MEMORANDUM FOR: Field Office Directors\n"
    "Each field office shall make a minimum of 45 arrests per week during Operation Quiet Harbor.\n"
    "The El Paso Field Office reported 36 arrests, 14 of them collateral.\n"
)


@pytest.fixture
def small(tmp_path: Path) -> Investigation:
    src = tmp_path / "in"
    src.mkdir()
    (src / "memo.txt").write_text(MEMO, encoding="utf-8")
    (src / "note.txt").write_text('=HYPERLINK("x") is not a formula here.\n', encoding="utf-8")
    inv = Investigation.create(tmp_path / "inv")
    with ThreadPoolExecutor(1) as pool:
        ingest(inv, [src], IngestOptions(ocr="never"), executor=pool)
    return inv


class Ran:
    """A command's exit status and words, as `readingroom` (cli.main) reports them."""

    def __init__(self, exit_code: int, output: str, stdout: str) -> None:
        self.exit_code, self.output, self.stdout = exit_code, output, stdout


def _run(inv: Investigation, *args: str) -> Ran:
    r = CliRunner().invoke(build_app(), [*args, "--dir", str(inv.root)])
    if isinstance(r.exception, ReadingRoomError):
        return Ran(int(r.exception.exit_code), r.output + str(r.exception), r.stdout)
    return Ran(r.exit_code, r.output, r.stdout)


def test_findings_add_refuses_a_quote_not_on_the_page(small: Investigation) -> None:
    r = _run(small, "findings", "add", "--claim", "Quotas", "--doc", "memo.txt", "--page", "1",
             "--quote", "a minimum of 46 arrests per week")  # fmt: skip
    assert r.exit_code == 2
    assert "not on page 1" in r.output
    assert ev.findings(small.db) == []
    r = _run(small, "findings", "add", "--claim", "Quotas", "--doc", "memo.txt", "--page", "2",
             "--quote", "45 arrests")  # fmt: skip
    assert r.exit_code != 0


def test_findings_add_list_json_and_csv(small: Investigation) -> None:
    r = _run(small, "findings", "add", "--claim", "HQ set a weekly quota", "--doc", "memo.txt",
             "--page", "1", "--quote", "a minimum of 45 arrests\nper week")  # fmt: skip
    assert r.exit_code == 0, r.output
    r = _run(small, "findings", "list", "--json")
    data = json.loads(r.stdout)["findings"]
    assert len(data) == 1
    c = data[0]["citations"][0]
    assert c["exact"] == "a minimum of 45 arrests per week"
    page = small.db.execute("SELECT text FROM pages").fetchone()[0]
    assert page[c["start"] : c["end"]] == c["exact"]
    assert page[c["start"] - len(c["prefix"]) : c["start"]] == c["prefix"]
    assert c["sha256"] and c["state"] == "ok"
    r = _run(small, "findings", "list", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows[0]["claim"] == "HQ set a weekly quota"
    assert rows[0]["quote"] == "a minimum of 45 arrests per week"
    assert rows[0]["page"] == "1" and len(rows[0]["document_key"]) == 12


def test_report_reverifies_and_stops_naming_the_finding(
    small: Investigation, tmp_path: Path
) -> None:
    assert _run(small, "findings", "add", "--claim", "El Paso collaterals", "--doc", "memo.txt",
                "--page", "1", "--quote", "14 of them collateral").exit_code == 0  # fmt: skip
    out = tmp_path / "r.md"
    r = _run(small, "report", "--format", "md", "-o", str(out))
    assert r.exit_code == 0, r.output
    md = out.read_text()
    assert "> 14 of them collateral" in md and "El Paso collaterals" in md
    # The page is read again (re-OCR) and now says something else: the report stops.
    with transaction(small.db):
        small.db.execute("UPDATE pages SET text = replace(text, '14 of them', '4 of them')")
    out.unlink()
    r = _run(small, "report", "-o", str(out))
    assert r.exit_code == 1
    assert "finding 1" in r.output and "El Paso collaterals" in r.output
    assert not out.exists()
    states = [c["state"] for c in ev.findings(small.db)[0]["citations"]]
    assert states == ["changed"]


def test_report_html_is_self_contained(small: Investigation, tmp_path: Path) -> None:
    assert _run(small, "findings", "add", "--claim", "Weekly minimum", "--doc", "memo.txt",
                "--page", "1", "--quote", "a minimum of 45 arrests").exit_code == 0  # fmt: skip
    out = tmp_path / "r.html"
    assert (
        _run(small, "report", "-o", str(out), "--base-url", "https://room.example").exit_code == 0
    )
    html = out.read_text()
    assert "a minimum of 45 arrests" in html
    assert "https://room.example/doc/" in html
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")


def test_csv_cells_never_run_as_formulas() -> None:
    from readingroom.evidence.exports import to_csv

    text = to_csv([{"a": "=SUM(A1)", "b": -3, "c": "-x"}], ["a", "b", "c"])
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [["a", "b", "c"], ["'=SUM(A1)", "-3", "'-x"]]
