"""What the letter says was released against what actually arrived.

Counts from the production's pages: pages withheld in full are those the
analysers found as slip sheets ("Withheld pursuant to …"), pages released in
part are those carrying an exemption mark, the rest were released in full.
Bates gaps come from the analysers' `bates_report`. Each disagreement is a
line a person can put in an appeal: "the letter says 52 pages in part; 47
arrived", "(b)(7)(E) claimed, found on no page".
"""

from __future__ import annotations

import sqlite3
from typing import Any

from readingroom.analyse.report import bates_report
from readingroom.citation import exemption_label
from readingroom.doctypes import PAGE_IMAGE_TYPES
from readingroom.errors import NotFound
from readingroom.requests.tracker import get_request
from readingroom.store import requests as store

__all__ = ["reconcile"]


def _label(code: str) -> str:
    return exemption_label(code) if code.startswith("b") else code


def reconcile(
    conn: sqlite3.Connection, *, tracking: str, letter_id: int | None = None
) -> dict[str, Any]:
    """Compare a request's production letter (confirmed figures when given, else parsed)
    with the pages of the production it covers (every linked production when it names none)."""
    req = get_request(conn, tracking)
    letters = store.letters_for(conn, request_id=req["id"])
    letter = next((x for x in letters if letter_id in (None, x["id"])), None)
    if letter is None:
        raise NotFound(
            f"request {tracking} has no production letter; record one with "
            f"`readingroom requests letter {tracking} --document NAME`"
        )
    said = letter["confirmed"] or letter["parsed"]
    figures: dict[str, int] = said["figures"]
    prods = store.linked_productions(conn, request_id=req["id"])
    if letter["production_id"]:
        prods = [p for p in prods if p["id"] == letter["production_id"]] or [
            {"id": letter["production_id"], "name": letter["production"]}
        ]
    pages = withheld = in_part = 0
    found_codes: dict[str, dict[str, Any]] = {}
    gaps: list[dict[str, Any]] = []
    letter_doc = letter["document_id"]
    for p in prods:
        pp = [
            x
            for x in store.production_pages(conn, production_id=p["id"])
            if x["document_id"] != letter_doc and x["doc_type"] in PAGE_IMAGE_TYPES
        ]
        pages += len(pp)
        withheld += len(store.production_withheld(conn, production_id=p["id"]))
        in_part += store.pages_with_marks(conn, production_id=p["id"])
        for row in store.production_exemption_pages(conn, production_id=p["id"]):
            seen = found_codes.setdefault(row["code"], {**row, "pages": 0, "marks": 0})
            seen["pages"] += row["pages"]
            seen["marks"] += row["marks"]
        for series in bates_report(conn, production=p["name"])["productions"]:
            gaps += [
                {"production": p["name"], "from": g["from"], "to": g["to"], "pages": g["pages"]}
                for g in series["gaps"]
            ]
    arrived = {
        "pages": pages,
        "withheld_full": withheld,
        "released_part": in_part,
        "released_full": pages - withheld - in_part,
    }
    lines: list[dict[str, Any]] = []
    for key, words in (
        ("released_full", "released in full"),
        ("released_part", "released in part"),
        ("withheld_full", "withheld in full (slip sheets)"),
    ):
        if key in figures:
            lines.append(
                {
                    "figure": key,
                    "what": words,
                    "letter": figures[key],
                    "arrived": arrived[key],
                    "difference": arrived[key] - figures[key],
                }
            )
    released = sum(figures.get(k, 0) for k in ("released_full", "released_part", "withheld_full"))
    missing = max(0, released - pages) if released else None
    claimed = [c for c in said["exemptions"]]
    federal_claimed = {c for c in claimed if c.startswith("b")}
    claimed_not_found = sorted(federal_claimed - set(found_codes))
    found_not_claimed = sorted(set(found_codes) - federal_claimed) if claimed else []
    referred = figures.get("referred")
    referral_requests = [
        r["tracking"] for r in store.list_requests(conn) if r["referred_from"] == req["id"]
    ]
    problems = []
    for line in lines:
        if line["difference"]:
            problems.append(
                f"The letter says {line['letter']} pages {line['what']}; {line['arrived']} arrived."
            )
    if missing:
        problems.append(
            f"The letter accounts for {released} pages; {pages} arrived: {missing} missing."
        )
    for g in gaps:
        rng = g["from"] if g["pages"] == 1 else f"{g['from']} – {g['to']}"
        problems.append(f"Bates gap in {g['production']}: {rng} ({g['pages']} pages).")
    for c in claimed_not_found:
        problems.append(f"{_label(c)} is claimed in the letter but marked on no page.")
    for c in found_not_claimed:
        problems.append(
            f"{_label(c)} is marked on {found_codes[c]['pages']} pages"
            " but not claimed in the letter."
        )
    if referred and not referral_requests:
        to = said.get("referred_to") or "another agency"
        problems.append(f"{referred} pages were referred to {to}: no request follows them yet.")
    return {
        "tracking": req["tracking"],
        "letter": {
            "id": letter["id"],
            "source": letter["source"],
            "confirmed": letter["confirmed"] is not None,
            "figures": figures,
            "exemptions": claimed,
            "referred_to": said.get("referred_to"),
            "consistent": letter["parsed"].get("consistent"),
        },
        "productions": [p["name"] for p in prods],
        "arrived": arrived,
        "figures": lines,
        "missing_pages": missing,
        "bates_gaps": gaps,
        "exemptions": {
            "claimed": claimed,
            "found": {
                c: {"pages": v["pages"], "marks": v["marks"]}
                for c, v in sorted(found_codes.items())
            },
            "claimed_not_found": claimed_not_found,
            "found_not_claimed": found_not_claimed,
        },
        "referred": referred,
        "referral_requests": referral_requests,
        "problems": problems,
    }
