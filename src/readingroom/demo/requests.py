"""The demo's request campaign: 25 requests as a CSV, the production letter as a PDF,
and a later supplemental release holding a second operation's plans from 8 offices only.

Written beside the production (`DEST/requests/`), never inside it, so the
production's files, Bates numbers and truth stay exactly as they were. The
letter's figures deliberately disagree with what arrived: it counts the three
Bates numbers skipped after the memos as released, claims (b)(7)(F) which no
page carries, and refers 6 pages to another agency that nobody has followed.
The supplemental release (Bates numbers continuing after the production's
last) carries the plans for a second national operation from a third of the
field offices: the coverage matrix shows the other 16 as still missing.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path
from typing import Any

import pymupdf

from readingroom.demo.documents import build_ops_plan
from readingroom.demo.world import (
    AGENCY,
    AGENCY_SHORT,
    BATES_PREFIX,
    FIELD_OFFICES,
    MARK,
    NATIONAL_OPERATIONS,
    REQUEST_ID,
    World,
    slug,
)

CAMPAIGN = "Operations plans 2019"
SUBJECT = "Operations plans, target lists and arrest quotas for the spring 2019 national operation"
FILED = "2019-03-04"


def campaign_rows() -> list[dict[str, str]]:
    """Headquarters (the request the demo production answers) and the 24 field offices."""
    rows = [
        {
            "tracking": REQUEST_ID,
            "agency": AGENCY_SHORT,
            "office": "HQ",
            "subject": SUBJECT,
            "campaign": CAMPAIGN,
            "filed": FILED,
            "received": "2019-03-05",
            "events": "2019-03-11 acknowledged; 2019-04-02 extension;"
            " 2019-06-14 determination partial-grant",
        }
    ]
    for i, office in enumerate(FIELD_OFFICES):
        n = 53 + i
        events = ["2019-03-12 acknowledged"] if i % 3 != 2 else []
        if i % 6 == 0:
            events.append("2019-04-01 extension")
        if i in (4, 9):
            events.append("2019-05-20 determination no-records")
        if i == 9:
            events.append("2019-06-03 appeal-filed")
        rows.append(
            {
                "tracking": f"DFE-2019-FOIA-{n:05d}",
                "agency": AGENCY_SHORT,
                "office": office,
                "subject": SUBJECT,
                "campaign": CAMPAIGN,
                "filed": FILED,
                "received": "2019-03-05" if i % 4 else "",
                "events": "; ".join(events),
            }
        )
    return rows


def campaign_csv() -> bytes:
    buf = io.StringIO()
    cols = ["tracking", "agency", "office", "subject", "campaign", "filed", "received", "events"]
    w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
    w.writeheader()
    w.writerows(campaign_rows())
    return buf.getvalue().encode()


def letter_text(pages: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """The final response letter, and what it states (the figures a parser should read).

    In part and withheld in full are true to the pages; in full counts the
    three Bates numbers skipped after the memos as if they had been sent.
    """
    withheld = sum(1 for p in pages if p["withheld"])
    part = sum(1 for p in pages if not p["withheld"] and p["exemptions"])
    referred = 6
    full = len(pages) - withheld - part + 3
    reviewed = full + part + withheld + referred
    text = (
        f"{AGENCY}\nFreedom of Information Act Office\n\nJune 14, 2019\n\n"
        f"Re: Freedom of Information Act Request {REQUEST_ID}\n\n"
        "This letter is the final response to your request of March 4, 2019, for operations plans,"
        " target lists and arrest quotas for the spring 2019 national operation.\n\n"
        f"A search of the Office of Enforcement and Removal Operations located {reviewed} pages"
        f" of responsive records. Of those, {full} pages are released in full, {part} pages are"
        f" released in part and {withheld} pages are withheld in full pursuant to Exemptions"
        " (b)(5), (b)(6), (b)(7)(C), (b)(7)(E) and (b)(7)(F) of the FOIA, 5 U.S.C. 552.\n\n"
        f"In addition, {referred} pages originated with U.S. Customs and Border Protection (CBP)."
        f" We referred those {referred} pages to CBP for direct response to you.\n\n"
        "You may appeal this determination within 90 working days of the date of this letter.\n\n"
        f"Sincerely,\nFOIA Officer (fictional)\n\n{MARK}\n"
    )
    said = {
        "reviewed": reviewed,
        "released_full": full,
        "released_part": part,
        "withheld_full": withheld,
        "referred": referred,
        "exemptions": ["b5", "b6", "b7C", "b7E", "b7F"],
    }
    return text, said


def letter_pdf(text: str) -> bytes:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_textbox(pymupdf.Rect(72, 72, 540, 720), text, fontsize=10.5, fontname="helv")
    doc.set_metadata(
        {
            "title": f"Final response {REQUEST_ID}",
            "creationDate": "D:20190614000000",
            "modDate": "D:20190614000000",
            "producer": "readingroom demo",
            "creator": "readingroom demo",
        }
    )
    data: bytes = doc.tobytes(garbage=3, deflate=True, no_new_id=True)
    doc.close()
    return data


#: The supplemental release's folder under DEST/requests/ and its production name.
SUPPLEMENTAL = "supplemental-release"
SUPPLEMENTAL_OFFICES = 8


def supplemental_release(root: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Plans for the next national operation from 8 of the 24 offices, Bates-stamped after
    the production's last number; returns what was written (offices, files, Bates range)."""
    seed = int(manifest["seed"])
    natop = NATIONAL_OPERATIONS[(seed + 1) % len(NATIONAL_OPERATIONS)]
    chosen = set(random.Random(f"{seed}-supplemental").sample(FIELD_OFFICES, SUPPLEMENTAL_OFFICES))
    offices = [o for o in FIELD_OFFICES if o in chosen]
    world = World(seed)
    number = int(manifest["bates"]["last"].split()[-1]) + 1
    folder = root / SUPPLEMENTAL
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for office in offices:
        b, info = build_ops_plan(
            world, random.Random(f"{seed}-supplemental-{office}"), office=office,
            natop=natop, change=None,
        )  # fmt: skip
        numbers = [f"{BATES_PREFIX} {number + i:06d}" for i in range(len(b.truth))]
        number += len(numbers)
        b.stamp(numbers)
        rel = f"ops-plan-{slug(natop.removeprefix('Operation '))}-{slug(office)}.pdf"
        (folder / rel).write_bytes(b.to_bytes(info["title"]))
        files.append({"path": f"requests/{SUPPLEMENTAL}/{rel}", "office": office,
                      "title": info["title"], "bates": [numbers[0], numbers[-1]]})  # fmt: skip
    return {
        "production": SUPPLEMENTAL,
        "folder": f"requests/{SUPPLEMENTAL}",
        "released": "2019-09-20",
        "national_operation": natop,
        "offices": offices,
        "missing_offices": [o for o in FIELD_OFFICES if o not in chosen],
        "files": files,
        "expected_record": {"name": f"Operations plan — {natop}", "terms": natop.lower()},
    }


def write(dest: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Write DEST/requests/campaign.csv, the letter and the supplemental release; return
    their truth."""
    root = Path(dest) / "requests"
    (root / "letters").mkdir(parents=True, exist_ok=True)
    (root / "campaign.csv").write_bytes(campaign_csv())
    pages = [p for f in manifest["files"] if f.get("pages") for p in f["pages"]]
    text, said = letter_text(pages)
    name = f"{REQUEST_ID}-final-response.pdf"
    (root / "letters" / name).write_bytes(letter_pdf(text))
    return {
        "campaign": CAMPAIGN,
        "campaign_csv": "requests/campaign.csv",
        "requests": len(campaign_rows()),
        "letter": f"requests/letters/{name}",
        "letter_says": said,
        "pages_arrived": len(pages),
        "expected_record": {"name": "Operations plan", "terms": "operations plan"},
        "supplemental": supplemental_release(root, manifest),
    }
