"""Letter parsing and FOIA-log import on real documents (../shared/corpus), against the
hand labels in tests/truth/requests (see its README). Skipped when the corpus is absent.
Letters with a text layer run always; the 13 image-only scans need Tesseract (slow)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from readingroom.investigation import Investigation
from readingroom.requests import logs
from readingroom.requests.evaluate import letter_text_of, score_letters, truth_folder
from readingroom.requests.letters import parse_letter

LABELS = json.loads((truth_folder() / "letters.json").read_text("utf-8"))["letters"]
LOGS = json.loads((truth_folder() / "logs.json").read_text("utf-8"))


def _has_text_layer(path: Path) -> bool:
    with pymupdf.open(path) as pdf:
        return all(len(page.get_text().strip()) >= 20 for page in pdf)


def _check(corpus: Path, labels: list[dict[str, Any]]) -> None:
    parsed = [parse_letter(letter_text_of(corpus / x["path"])) for x in labels]
    score = score_letters(labels, parsed)
    print(json.dumps(score, indent=1))
    # Exemptions and kinds exactly as labelled; no page figure invented from a letter
    # that states none (these letters release spreadsheets, not counted pages).
    assert score["exemptions claimed"]["fp"] == 0, score["exemptions claimed"]["misses"]
    assert score["exemptions claimed"]["fn"] == 0, score["exemptions claimed"]["misses"]
    assert score["page figures"]["fp"] == 0, score["page figures"]["misses"]
    assert score["letter kind"]["accuracy"] == 1.0, score["letter kind"]["misses"]
    for x, got in zip(labels, parsed, strict=True):
        assert got["referred_to"] is None, x["path"]  # none of them refers pages


def test_letters_with_a_text_layer(corpus: Path) -> None:
    labels = [x for x in LABELS if _has_text_layer(corpus / x["path"])]
    assert len(labels) >= 15
    _check(corpus, labels)


@pytest.mark.slow
def test_image_only_letters_read_by_tesseract(corpus: Path) -> None:
    labels = [x for x in LABELS if not _has_text_layer(corpus / x["path"])]
    assert len(labels) == 15  # 13 image-only, 2 e-mail printouts with one scanned page
    _check(corpus, labels)


def test_fbi_letter_claims_only_b7a_not_its_boilerplate(corpus: Path) -> None:
    fbi = next(x for x in LABELS if x["path"].startswith("foia/"))
    got = parse_letter(letter_text_of(corpus / fbi["path"]))
    assert got["exemptions"] == ["b7A"]  # the enclosed lists name b1, b3, b7D, b7E…
    assert got["kind"] == "denial"


@pytest.mark.parametrize("entry", LOGS["logs"], ids=lambda e: Path(e["path"]).name)
def test_log_entries_counted(corpus: Path, entry: dict[str, Any]) -> None:
    log = logs.read_log(corpus / entry["path"])
    assert len(log["entries"]) == entry["entries"]
    assert {"tracking", "description", "received"} <= set(log["columns"])
    if entry["path"].endswith(".xlsx"):
        assert log["banner"] and log["banner"][0] == "Monthly log for efoia posting"
        twin = logs.read_log(corpus / entry["path"].replace(".xlsx", ".csv"))
        assert log["entries"] == twin["entries"]  # the same log, read from two formats
    dated = [e for e in log["entries"] if e["received"]]
    assert len(dated) >= 0.95 * len(log["entries"])


def test_log_import_keeps_what_was_asked_not_who_asked(corpus: Path, inv: Investigation) -> None:
    for spot in LOGS["entries"]:
        path = corpus / spot["path"]
        result = logs.import_log(inv.db, path)
        assert result["entries"] > 0
        rows = [e for e in logs.read_log(path)["entries"] if e["tracking"] == spot["tracking"]]
        assert len(rows) == 1
        row = rows[0]
        assert (row["received"], row["closed"], row["organization"]) == (
            spot["received"],
            spot["closed"],
            spot["organization"],
        )
    dump = "\n".join(inv.db.iterdump())
    for spot in LOGS["entries"]:
        assert spot["requester_absent"] not in dump
    hits = logs.similar(inv.db, "contract solicitation Express Scripts")
    assert hits and hits[0]["tracking"] == "2014-APHIS-02874-F"


def test_banner_above_header_in_old_xls(corpus: Path) -> None:
    log = logs.read_log(corpus / "requests/foia-logs-usda-aphis/2012-May.xls")
    assert log["banner"][:2] == ["Requests Report", "Requested between 05/01/2012 and 05/31/2012"]
    assert all(e["tracking"].startswith("2012-APHIS-") for e in log["entries"])
