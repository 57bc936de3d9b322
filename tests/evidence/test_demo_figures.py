"""The figures the demo plants (plans, the weekly-targets e-mail, daily operation
reports as PDF tables) are bound to the right office and operation."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from readingroom.analyse import run_all
from readingroom.demo import generate
from readingroom.ingest.pipeline import IngestOptions, ingest
from readingroom.investigation import Investigation
from readingroom.store import evidence as ev


def test_planted_figures_are_bound(tmp_path: Path) -> None:
    truth = generate(tmp_path / "demo", seed=7)
    planted = truth["evidence"]
    inv = Investigation.create(tmp_path / "inv")
    with ThreadPoolExecutor(2) as pool:
        opts = IngestOptions(ocr="never", production=planted["production"])
        ingest(inv, [tmp_path / "demo" / planted["folder"]], opts, executor=pool)
        ingest(inv, [tmp_path / "demo" / "production" / "ops-plans"],
               IngestOptions(ocr="never"), executor=pool)  # fmt: skip
    run_all(inv, only="figures")
    figs = ev.figure_rows(inv.db)
    mail = planted["weekly_targets_email"]
    for office, n in mail["targets"].items():
        assert any(
            r["document"] == "weekly-targets.eml" and r["value"] == n and r["office"] == office
            and r["per"] == "week" and r["operation"] == mail["operation"] for r in figs
        ), office  # fmt: skip
    plans = [f for f in truth["files"] if f["kind"] == "ops_plan"]
    bound = sum(
        any(
            r["document"] == f["path"].rsplit("/", 1)[-1] and r["value"] == f["weekly_target"]
            and r["office"] == f["office"] and r["operation"] == f["local_operation"] for r in figs
        )
        for f in plans
    )  # fmt: skip
    assert bound == len(plans) == 24
    totals = {(t["document"], t["office"], t["measure"]): t["total"]
              for t in ev.table_total_rows(inv.db)}  # fmt: skip
    for report in planted["daily_reports"]:
        name = report["path"].rsplit("/", 1)[-1]
        for office, row in report["rows"].items():
            assert totals[(name, office, "Targets")] == row["targets"]
            assert totals[(name, office, "Collaterals")] == row["collateral"]
