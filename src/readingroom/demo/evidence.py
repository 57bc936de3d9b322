"""Figures planted for the evidence layer: an e-mail of weekly targets per office and
daily operation reports (PDF tables of targets and collaterals per office).

Written beside the production, in `DEST/evidence/` (a later release), so the
production's documents and Bates numbers stay as they are; `truth.json` gets
their figures under `evidence`. Same seed, same bytes.
"""

from __future__ import annotations

import datetime as dt
import random
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pymupdf

from readingroom.demo.world import AGENCY, FIELD_OFFICES, MARK

__all__ = ["write"]

FOLDER = "evidence"
REPORT_DAYS = (dt.date(2019, 3, 4), dt.date(2019, 3, 5), dt.date(2019, 3, 6))


def _report_pdf(day: dt.date, operation: str, rows: dict[str, dict[str, int]]) -> bytes:
    doc = pymupdf.open()
    doc.set_metadata(
        {"title": f"Daily Operation Report {day.isoformat()}", "creationDate": "", "modDate": ""}
    )
    page = doc.new_page(width=612, height=792)
    y = 60.0

    def line(text: str, size: float = 10, x: float = 72) -> None:
        nonlocal y
        page.insert_text((x, y), text, fontsize=size, fontname="helv")
        y += size * 1.45

    line(AGENCY, 12)
    line(f"DAILY OPERATION REPORT - {operation}", 12)
    line(f"Date: {day.strftime('%B %-d, %Y')}")
    line("Targets and collateral arrests reported by each field office by 0900 Eastern Time.")
    y += 6
    for name, x in (("Office", 72), ("Targets", 300), ("Collaterals", 400)):
        page.insert_text((x, y), name, fontsize=10, fontname="hebo")
    y += 15
    for office, r in rows.items():
        page.insert_text((72, y), office, fontsize=10, fontname="helv")
        page.insert_text((300, y), str(r["targets"]), fontsize=10, fontname="helv")
        page.insert_text((400, y), str(r["collateral"]), fontsize=10, fontname="helv")
        y += 14
    y += 10
    line(MARK, 8)
    data: bytes = doc.tobytes(garbage=3, deflate=True, no_new_id=True)
    doc.close()
    return data


def _targets_email(operation: str, targets: dict[str, int], seed: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Field Operations Desk <fieldops@dfe.example>"
    msg["To"] = "Field Office Directors <fods@dfe.example>"
    msg["Subject"] = f"Weekly targets for {operation}"
    msg["Date"] = format_datetime(dt.datetime(2019, 3, 1, 9, 15, tzinfo=dt.UTC))
    msg["Message-ID"] = f"<weekly-targets-{seed}@dfe.example>"
    lines = [
        f"All, the weekly targets for {operation} are below. Each office reports against its",
        "target in the daily numbers report.",
        "",
        *(f"{office}: {n} arrests per week" for office, n in targets.items()),
        "",
        MARK,
    ]
    msg.set_content("\n".join(lines) + "\n")
    return msg.as_bytes()


def write(dest: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Write DEST/evidence/ and return its truth."""
    root = Path(dest) / FOLDER
    (root / "daily-reports").mkdir(parents=True, exist_ok=True)
    plans = [f for f in manifest["files"] if f["kind"] == "ops_plan"]
    operation = plans[0]["national_operation"] if plans else "Operation Paper Lantern"
    targets = {f["office"]: int(f["weekly_target"]) for f in plans}
    email_rel = f"{FOLDER}/weekly-targets.eml"
    (Path(dest) / email_rel).write_bytes(_targets_email(operation, targets, manifest["seed"]))
    reports = []
    for day in REPORT_DAYS:
        rng = random.Random(f"{manifest['seed']}-daily-report-{day.isoformat()}")
        rows = {}
        for office in FIELD_OFFICES:
            t = rng.randint(4, 30)
            rows[office] = {"targets": t, "collateral": rng.randint(0, t // 2 + 3)}
        rel = f"{FOLDER}/daily-reports/daily-operation-report-{day.isoformat()}.pdf"
        (Path(dest) / rel).write_bytes(_report_pdf(day, operation, rows))
        reports.append({"path": rel, "date": day.isoformat(), "operation": operation, "rows": rows})
    return {
        "folder": FOLDER,
        "production": "DFE-2019-FOIA-00052-E1",
        "weekly_targets_email": {"path": email_rel, "operation": operation, "targets": targets},
        "daily_reports": reports,
    }
