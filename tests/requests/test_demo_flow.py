"""The issue's "done when", on the demo: a new user imports the 25-request campaign, sees
which are overdue, links the production, reads the letter reconciled against the pages and
the coverage matrix naming the offices whose plans never came — with `--json` and in the
browser. Everything runs for real: the generated PDFs, ingest, the analysers, SQLite."""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from readingroom.analyse import run_all
from readingroom.cli import app
from readingroom.demo.generate import generate
from readingroom.demo.world import FIELD_OFFICES, REQUEST_ID
from readingroom.ingest.pipeline import IngestOptions, ingest
from readingroom.investigation import Investigation
from readingroom.web import create_app

TODAY = "2019-05-01"
HQ = REQUEST_ID
PLANS = "Operations plan — Operation Paper Lantern"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any]]]:
    """The demo generated, its three productions ingested (OCR off keeps this quick)."""
    root = tmp_path_factory.mktemp("demo-flow")
    truth = generate(root / "demo", seed=7)
    inv = Investigation.create(root / "inv")
    sup = truth["requests"]["supplemental"]
    for folder, name in (
        (root / "demo" / "production", "demo"),
        (root / "demo" / "requests" / "letters", "correspondence"),
        (root / "demo" / sup["folder"], sup["production"]),
    ):
        ingest(inv, [folder], IngestOptions(ocr="never", workers=2, production=name))
    run_all(inv)
    inv.close()
    yield root / "inv", truth


def rr(inv: Path, *args: str) -> Any:
    """Run `readingroom ARGS --dir INV --json` in-process; the parsed stdout."""
    result = CliRunner().invoke(app, [*args, "--dir", str(inv), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def flow(demo: tuple[Path, dict[str, Any]]) -> dict[str, Any]:
    """The whole path once, keeping each step's JSON for the tests below."""
    inv, truth = demo
    req = truth["requests"]
    sup = req["supplemental"]
    steps: dict[str, Any] = {}
    steps["import"] = rr(inv, "requests", "import", str(inv.parent / "demo" / req["campaign_csv"]))
    steps["overdue"] = rr(inv, "requests", "list", "--overdue", "--today", TODAY)
    steps["link"] = rr(inv, "requests", "link", HQ, "demo")
    rr(inv, "requests", "link", HQ, sup["production"])
    letter = Path(req["letter"]).name
    steps["letter"] = rr(
        inv, "requests", "letter", HQ, "--document", letter, "--production", "demo"
    )
    steps["confirm"] = rr(inv, "requests", "confirm", HQ)
    steps["reconcile"] = rr(inv, "requests", "reconcile", HQ)
    campaign = req["campaign"]
    rr(
        inv,
        "coverage",
        "--expect",
        PLANS,
        "--terms",
        "operation paper lantern operations plan",
        "--campaign",
        campaign,
        "--offices",
        "field",
    )
    exp = sup["expected_record"]
    rr(
        inv,
        "coverage",
        "--expect",
        exp["name"],
        "--terms",
        f"{exp['terms']} operations plan",
        "--campaign",
        campaign,
        "--offices",
        "field",
    )
    rr(inv, "coverage", "--confirm", PLANS, "--titles")
    steps["coverage"] = rr(inv, "coverage", "--confirm", exp["name"], "--titles")
    return steps


def test_campaign_import_and_overdue_today(flow: dict[str, Any]) -> None:
    assert flow["import"]["requests"] == 25
    overdue = flow["overdue"]["requests"]
    assert flow["overdue"]["today"] == TODAY
    assert all(r["overdue"] and r["days_late"] > 0 for r in overdue)
    # HQ had an extension (due 2019-04-16 + 10 wd) and is not late on 1 May; the two
    # no-records answers are not overdue; everything else filed 4 March is.
    tracked = {r["tracking"] for r in overdue}
    assert HQ not in tracked
    assert len(overdue) == 22
    late = {r["office"]: r["days_late"] for r in overdue}
    # Received 5 March, no extension: due 2 April → 21 working days late on 1 May.
    assert late["Baltimore"] == 21
    # Atlanta: receipt unknown, so the clock starts after filing (4 March); 20 + 10
    # working days for its extension → due 15 April, 12 working days late on 1 May.
    assert late["Atlanta"] == 12


def test_letter_parsed_then_confirmed(
    flow: dict[str, Any], demo: tuple[Path, dict[str, Any]]
) -> None:
    said = demo[1]["requests"]["letter_says"]
    parsed = flow["letter"]
    assert parsed["kind"] == "partial denial"
    assert parsed["figures"] == {k: v for k, v in said.items() if k != "exemptions"}
    assert parsed["exemptions"] == said["exemptions"]
    assert all(parsed["evidence"][k] for k in parsed["figures"])
    assert flow["confirm"]["figures"] == parsed["figures"]


def test_reconciliation_names_what_disagrees(
    flow: dict[str, Any], demo: tuple[Path, dict[str, Any]]
) -> None:
    rec = flow["reconcile"]
    truth = demo[1]
    assert rec["letter"]["confirmed"] and rec["productions"] == ["demo"]
    assert rec["arrived"]["pages"] == truth["summary"]["pages"] == 133
    assert rec["missing_pages"] == 3
    gap = rec["bates_gaps"][0]
    assert [gap["from"], gap["to"]] == [truth["bates"]["missing"][0], truth["bates"]["missing"][-1]]
    assert rec["exemptions"]["claimed_not_found"] == ["b7F"]
    assert rec["referred"] == 6 and rec["referral_requests"] == []
    withheld = next(f for f in rec["figures"] if f["figure"] == "withheld_full")
    assert withheld["difference"] == 0
    text = " ".join(rec["problems"])
    assert "3 missing" in text and "(b)(7)(F)" in text and "referred to CBP" in text


def test_coverage_matrix_names_the_offices_whose_plans_never_came(
    flow: dict[str, Any], demo: tuple[Path, dict[str, Any]]
) -> None:
    sup = demo[1]["requests"]["supplemental"]
    records = {r["name"]: r for r in flow["coverage"]["records"]}
    plans = records[PLANS]
    assert (plans["expected"], plans["received"]) == (24, 24)
    assert plans["share_received"] == 1.0
    later = records[sup["expected_record"]["name"]]
    assert (later["expected"], later["received"]) == (24, 8)
    assert later["share_received"] == round(8 / 24, 3)
    received = {c["office_name"] for c in later["cells"].values() if c["state"] == "received"}
    assert received == set(sup["offices"])
    # Memos that mention the operation are proposed (by the office analyser) but not
    # confirmed by --titles: they stay "found", never "received".
    not_received = {c["office_name"] for c in later["cells"].values() if c["state"] != "received"}
    assert not_received == set(sup["missing_offices"])
    chased = {c["office_name"] for c in flow["coverage"]["chase"] if c["expected"] == later["name"]}
    assert chased <= set(sup["missing_offices"]) and len(chased) >= 12
    assert set(sup["offices"]) | set(sup["missing_offices"]) == set(FIELD_OFFICES)
    for cell in later["cells"].values():
        if cell["state"] == "received":
            bates = [d["bates"] for d in cell["documents"] if d["state"] == "confirmed"]
            assert bates and bates[0] > demo[1]["bates"]["last"]


def test_the_browser_shows_the_same(
    flow: dict[str, Any], demo: tuple[Path, dict[str, Any]]
) -> None:
    inv, truth = demo
    with TestClient(create_app(inv)) as web:
        page = web.get(f"/requests?today={TODAY}")
        assert page.status_code == 200
        assert "22 overdue" in page.text
        api = web.get(f"/api/requests?today={TODAY}").json()
        assert api["overdue"] == 22 and api["requests"] == 25
        detail = web.get(f"/requests/{HQ}?today={TODAY}")
        assert detail.status_code == 200
        assert "claimed in the letter but marked on no page" in detail.text
        assert "3 missing" in detail.text
        cov = web.get("/coverage")
        assert cov.status_code == 200
        sup = truth["requests"]["supplemental"]
        chase = cov.text[cov.text.index('id="h-chase"') :]
        name = sup["expected_record"]["name"]
        chased = [c["office_name"] for c in flow["coverage"]["chase"] if c["expected"] == name]
        assert len(chased) >= 12
        for office in chased:
            assert f"Missing</span> {name} — {office}</li>" in chase
        for office in sup["offices"]:
            assert f"{name} — {office}</li>" not in chase
        assert web.get("/api/coverage").json() == flow["coverage"]
        assert web.get("/requests/NO-SUCH-REQUEST").status_code == 404


def _token(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]*)"', html)
    assert m, "the form carries no CSRF field"
    return m[1]


def test_the_browser_forms_record_what_the_cli_records(
    flow: dict[str, Any], demo: tuple[Path, dict[str, Any]]
) -> None:
    inv, truth = demo
    with TestClient(create_app(inv)) as web:
        page = web.get("/requests")
        token = _token(page.text)
        new = {
            "tracking": "WEB-1",
            "agency": "DHS/ICE",
            "office": "SNA",
            "filed": "2019-03-04",
            "received": "",
            "subject": "Plans",
            "campaign": "",
            "csrf": token,
        }
        if importlib.util.find_spec("readingroom.web.security"):  # issue 10's CSRF guard
            forged = web.post("/requests", data={**new, "csrf": "forged"})
            assert forged.status_code == 403
        r = web.post("/requests", data=new, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/requests/WEB-1"
        again = web.post("/requests", data=new)
        assert again.status_code == 400 and "already exists" in again.text
        bad = web.post("/requests", data={**new, "tracking": "WEB-2", "filed": "2019-02-30"})
        assert bad.status_code == 400 and "is not a date" in bad.text
        r = web.post(
            "/requests/WEB-1/events",
            data={
                "kind": "determination",
                "date": "2019-04-10",
                "resolution": "full-denial",
                "due": "",
                "note": "",
                "csrf": token,
            },
        )
        assert r.status_code == 200
        shown = rr(inv, "requests", "show", "WEB-1", "--today", "2019-05-01")
        # DHS: 90 working days after 10 April 2019, Memorial Day and 4 July skipped
        # (numpy.busday_count agrees: 90 from 11 April to 16 August inclusive).
        assert shown["status"] == "awaiting appeal" and shown["appeal_due"] == "2019-08-16"
        wrong = web.post(
            "/requests/WEB-1/events",
            data={"kind": "appeal-decided", "date": "2019-05-01", "csrf": token},
        )
        assert wrong.status_code == 400 and "no appeal was filed" in wrong.text
        r = web.post("/requests/WEB-1/productions", data={"production": "demo", "csrf": token})
        assert r.status_code == 200 and "demo" in r.text
        # The letter: change one figure in the browser; the CLI sees it.
        letter = flow["letter"]["id"]
        form = {k: str(v) for k, v in flow["letter"]["figures"].items()}
        form.update(
            {
                "released_part": "53",
                "exemptions": "b5, b6, b7C, b7E",
                "csrf": token,
                "referred_to": "CBP",
            }
        )
        r = web.post(f"/requests/{HQ}/letters/{letter}/confirm", data=form)
        assert r.status_code == 200
        rec = rr(inv, "requests", "reconcile", HQ)
        assert rec["letter"]["figures"]["released_part"] == 53
        assert rec["exemptions"]["claimed_not_found"] == []
        nonsense = web.post(
            f"/requests/{HQ}/letters/{letter}/confirm", data={**form, "reviewed": "many"}
        )
        assert nonsense.status_code == 400 and "not a page count" in nonsense.text
        # Coverage: reject what a memo proposed, office by office.
        sup = truth["requests"]["supplemental"]
        name = sup["expected_record"]["name"]
        found = [
            c for c in flow["coverage"]["records"][1]["cells"].values() if c["state"] == "proposed"
        ]
        assert found
        for cell in found:
            r = web.post(
                "/coverage",
                data={
                    "expected": name,
                    "office": cell["office"],
                    "action": "reject",
                    "csrf": token,
                },
            )
            assert r.status_code == 200
        after = rr(inv, "coverage")
        later = next(x for x in after["records"] if x["name"] == name)
        assert (later["received"], later["proposed"], later["missing"]) == (8, 0, 16)
        assert web.post(
            "/coverage", data={"expected": name, "action": "explode", "csrf": token}
        ).status_code in (400, 422)
