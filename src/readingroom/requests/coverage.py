"""Coverage: which expected records (× office) have arrived, and which are still missing.

An expected record is a kind of document every office should hold ("operations
plan for Operation X"): a name, the words that identify it, and the offices
expected (by default the offices the campaign's requests went to). Proposals
come from ingested documents whose title or text holds every word, placed at
an office by the office analyser (or the office named in the title); a person
confirms or rejects each. The matrix gives per office: received (confirmed),
proposed (found, not yet confirmed) or missing, and the share received.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from readingroom.errors import BadArguments, NotFound
from readingroom.store import requests as store
from readingroom.store import transaction

__all__ = ["OfficeNames", "add_expected", "confirm", "matrix", "propose"]


class OfficeNames:
    """Office code ↔ name ↔ aliases from the domain pack (codes as the office analyser writes)."""

    def __init__(self, pack: dict[str, Any]) -> None:
        self.names: dict[str, str] = {}
        self._lookup: dict[str, str] = {}
        hq = pack.get("headquarters")
        offices = [*([hq] if isinstance(hq, dict) else []), *pack.get("offices", [])]
        for o in offices:
            code = str(o["code"]).upper()
            self.names[code] = str(o.get("name", code))
            for alias in (code, o.get("name", ""), *o.get("aliases", [])):
                if alias:
                    self._lookup[str(alias).strip().lower()] = code

    def code(self, text: str | None) -> str | None:
        """`SNA`, `San Antonio`, `ERO San Antonio` → `SNA`; None for an office the pack lacks."""
        if not text:
            return None
        return self._lookup.get(text.strip().lower())

    def in_text(self, text: str) -> str | None:
        """The one office named in `text` (a title), or None when none or several are."""
        low = f" {text.lower()} "
        hits = {
            code
            for alias, code in self._lookup.items()
            if len(alias) > 3 and re.search(rf"\b{re.escape(alias)}\b", low)
        }
        return hits.pop() if len(hits) == 1 else None

    def name(self, code: str) -> str:
        return self.names.get(code, code)


def add_expected(
    conn: sqlite3.Connection,
    offices: OfficeNames,
    *,
    name: str,
    terms: str,
    campaign: str | None = None,
    office_list: list[str] | None = None,
) -> dict[str, Any]:
    """Declare an expected record; offices default to those the campaign's requests went to,
    `["field"]` means every field office of the pack (headquarters writes no field plan)."""
    if not terms.strip():
        raise BadArguments(f"expected record {name!r}: give the words that identify it (--terms)")
    if not name.strip():
        raise BadArguments("an expected record needs a name")
    codes: list[str] = []
    if office_list and [o.strip().lower() for o in office_list] == ["field"]:
        office_list = [c for c in offices.names if c != "HQ"]
    for o in office_list or []:
        code = offices.code(o)
        if code is None:
            raise BadArguments(f"office {o!r} is not in the pack; use a code such as SNA or a name")
        codes.append(code)
    with transaction(conn):
        campaign_id = store.ensure_campaign(conn, name=campaign) if campaign else None
        eid = store.add_expected(
            conn, name=name, terms=terms.strip(), campaign_id=campaign_id, offices=codes
        )
    return {"id": eid, "name": name, "terms": terms, "campaign": campaign, "offices": codes}


def _expected_offices(
    conn: sqlite3.Connection, offices: OfficeNames, record: dict[str, Any]
) -> list[str]:
    if record["offices"]:
        return list(record["offices"])
    codes: list[str] = []
    if record["campaign"]:
        for r in store.list_requests(conn, campaign=record["campaign"]):
            code = offices.code(r["office"]) or ("HQ" if not r["office"] else None)
            if code and code not in codes:
                codes.append(code)
    return codes or [c for c in offices.names if c != "HQ"]


def propose(conn: sqlite3.Connection, offices: OfficeNames) -> dict[str, Any]:
    """Propose, for every expected record, the documents that look like it, by office."""
    made = 0
    unplaced: list[dict[str, Any]] = []
    with transaction(conn):
        for rec in store.expected_records(conn):
            wanted = set(_expected_offices(conn, offices, rec))
            for doc in store.candidate_documents(conn, terms=rec["terms"]):
                code = doc["office"]
                how = f"office analyser: {code}" if code else ""
                by_title = offices.in_text(f"{doc['title'] or ''} {doc['name']}")
                if by_title and (not code or doc["by_title"]):
                    code, how = by_title, f"office named in the title: {offices.name(by_title)}"
                if not code or code not in wanted:
                    if not code:
                        unplaced.append({"expected": rec["name"], "document": doc["name"]})
                    continue
                reason = (
                    "title holds" if doc["by_title"] else "text holds"
                ) + f" {rec['terms']!r}; {how}"
                store.add_coverage(
                    conn,
                    expected_id=rec["id"],
                    office=code,
                    document_id=doc["document_id"],
                    reason=reason,
                )
                made += 1
    return {"proposed": made, "unplaced": unplaced}


def confirm(
    conn: sqlite3.Connection,
    offices: OfficeNames,
    *,
    expected: str,
    office: str | None = None,
    document_id: int | None = None,
    reject: bool = False,
    by_title: bool = False,
) -> int:
    """Confirm (or reject) the proposals for one expected record (one office, or all;
    `by_title`: only documents whose title names the record and the office)."""
    rec = next((r for r in store.expected_records(conn) if r["name"] == expected), None)
    if rec is None:
        raise NotFound(f"no expected record {expected!r}; `readingroom coverage` lists them")
    codes = [offices.code(office)] if office else _expected_offices(conn, offices, rec)
    if office and codes == [None]:
        raise BadArguments(f"office {office!r} is not in the pack")
    n = 0
    with transaction(conn):
        for code in codes:
            assert code is not None
            n += store.set_coverage_state(
                conn,
                expected_id=rec["id"],
                office=code,
                state="rejected" if reject else "confirmed",
                document_id=document_id,
                by_title=by_title,
            )
    return n


def matrix(conn: sqlite3.Connection, offices: OfficeNames) -> dict[str, Any]:
    """Expected records × offices: each cell received, proposed or missing, with documents;
    per record the share received; and the list of what to chase."""
    rows = store.coverage_rows(conn)
    by_cell: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for r in rows:
        by_cell.setdefault((r["expected_id"], r["office"]), []).append(r)
    records = []
    chase = []
    all_offices: list[str] = []
    for rec in store.expected_records(conn):
        codes = _expected_offices(conn, offices, rec)
        for c in codes:
            if c not in all_offices:
                all_offices.append(c)
        cells = {}
        for code in codes:
            docs = [d for d in by_cell.get((rec["id"], code), []) if d["state"] != "rejected"]
            state = (
                "received"
                if any(d["state"] == "confirmed" for d in docs)
                else "proposed"
                if docs
                else "missing"
            )
            cells[code] = {
                "office": code,
                "office_name": offices.name(code),
                "state": state,
                "documents": [
                    {
                        k: d[k]
                        for k in (
                            "document_id",
                            "document",
                            "state",
                            "reason",
                            "bates",
                            "production",
                        )
                    }
                    for d in docs
                ],
            }
            if state == "missing":
                chase.append(
                    {"expected": rec["name"], "office": code, "office_name": offices.name(code)}
                )
        received = sum(1 for c in cells.values() if c["state"] == "received")
        proposed = sum(1 for c in cells.values() if c["state"] == "proposed")
        records.append(
            {
                "id": rec["id"],
                "name": rec["name"],
                "terms": rec["terms"],
                "campaign": rec["campaign"],
                "expected": len(codes),
                "received": received,
                "proposed": proposed,
                "missing": len(codes) - received - proposed,
                "share_received": round(received / len(codes), 3) if codes else None,
                "share_found": round((received + proposed) / len(codes), 3) if codes else None,
                "cells": cells,
            }
        )
    return {
        "offices": [{"code": c, "name": offices.name(c)} for c in all_offices],
        "records": records,
        "chase": chase,
    }
