"""Moving requests in and out: CSV (a team's spreadsheet) and ICS (their calendar).

CSV import is all or nothing: every row is checked first (dates, a tracking
number, an agency, events the request's history allows) and an error names the
file, the line and the problem; only then is anything written. Export writes
the same columns back, plus the computed status and due dates for people to
read (ignored on import), so export → import gives the same requests.

ICS uses the `icalendar` library: one all-day event per upcoming deadline
(response due, appeal due, appeal decision due, court deadlines), with a stable
UID so re-importing the file into a calendar updates rather than duplicates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import icalendar

from readingroom import __version__
from readingroom.errors import BadArguments
from readingroom.requests.agencies import Agencies
from readingroom.requests.model import EVENT_KINDS, EventError, parse_date, replay, resolution_of
from readingroom.requests.tracker import add_event, add_request, list_requests
from readingroom.store import requests as store

__all__ = ["CSV_COLUMNS", "export_csv", "export_ics", "import_csv"]

#: Columns export writes and import reads (`events`: "DATE KIND[ RESOLUTION]; …").
CSV_COLUMNS = (
    "tracking",
    "agency",
    "office",
    "subject",
    "campaign",
    "filed",
    "received",
    "requester",
    "text",
    "notes",
    "events",
)
#: Computed columns export adds for people; import ignores them.
COMPUTED = ("status", "resolution", "due", "appeal_due", "overdue", "days_late")

_ALIASES = {
    "tracking number": "tracking",
    "tracking no": "tracking",
    "request id": "tracking",
    "request number": "tracking",
    "foia number": "tracking",
    "component": "office",
    "field office": "office",
    "date filed": "filed",
    "filed date": "filed",
    "sent": "filed",
    "date received": "received",
    "received date": "received",
    "description": "subject",
}


def _column(name: str) -> str:
    key = " ".join(name.strip().lower().replace("_", " ").split())
    key = _ALIASES.get(key, key)
    return key.replace(" ", "-") if key.replace(" ", "-") in EVENT_KINDS else key.replace(" ", "_")


def _parse_events(value: str, where: str) -> list[dict[str, Any]]:
    events = []
    for part in (p.strip() for p in value.split(";")):
        if not part:
            continue
        bits = part.split(None, 2)
        if len(bits) < 2:
            raise BadArguments(f"{where}: event {part!r} is not 'DATE KIND [RESOLUTION]'")
        day = parse_date(bits[0], f"{where}: event date")
        kind = bits[1]
        if kind not in EVENT_KINDS:
            raise BadArguments(f"{where}: unknown event kind {kind!r}")
        events.append(
            {
                "date": day.isoformat() if day else bits[0],
                "kind": kind,
                "resolution": resolution_of(bits[2]) if len(bits) > 2 else None,
            }
        )
    return events


def import_csv(conn: sqlite3.Connection, path: Path) -> dict[str, Any]:
    """Add every request in the CSV at `path`; nothing is written if any row is wrong."""
    path = Path(path)
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except OSError as e:
        raise BadArguments(f"{path}: cannot read ({e.strerror})") from None
    except UnicodeDecodeError:
        raise BadArguments(f"{path}: not UTF-8 text; save the sheet as CSV UTF-8") from None
    reader = csv.DictReader(io.StringIO(raw))
    if not reader.fieldnames:
        raise BadArguments(f"{path}: empty file, no header row")
    columns = {f: _column(f) for f in reader.fieldnames if f}
    for need in ("tracking", "agency", "filed"):
        if need not in columns.values():
            raise BadArguments(
                f"{path}: no {need!r} column (header has: {', '.join(reader.fieldnames)})"
            )
    rows: list[tuple[str, dict[str, Any], list[dict[str, Any]]]] = []
    seen: set[str] = set()
    for n, raw_row in enumerate(reader, start=2):
        row = {columns[k]: (v or "").strip() for k, v in raw_row.items() if k in columns}
        where = f"{path.name} line {n}"
        if not any(row.values()):
            continue
        tracking = row.get("tracking", "")
        if not tracking:
            raise BadArguments(f"{where}: no tracking number")
        if tracking in seen:
            raise BadArguments(f"{where}: tracking number {tracking!r} appears twice")
        if store.find_request(conn, tracking=tracking):
            raise BadArguments(f"{where}: a request {tracking!r} already exists")
        seen.add(tracking)
        if not row.get("agency"):
            raise BadArguments(f"{where}: no agency")
        filed = parse_date(row.get("filed"), f"{where}: filed")
        if filed is None:
            raise BadArguments(f"{where}: no filed date")
        received = parse_date(row.get("received"), f"{where}: received")
        if received and received < filed:
            raise BadArguments(f"{where}: received {received} is before filed {filed}")
        events = _parse_events(row.get("events", ""), where)
        for kind in EVENT_KINDS:
            if row.get(kind):
                day = parse_date(row[kind], f"{where}: {kind}")
                res = row.get("resolution") if kind == "determination" else None
                events.append(
                    {
                        "date": day.isoformat() if day else "",
                        "kind": kind,
                        "resolution": resolution_of(res),
                    }
                )
        try:
            replay(filed, events)
        except EventError as e:
            raise BadArguments(f"{where}: {e}") from None
        rows.append((tracking, row, events))
    for tracking, row, events in rows:
        add_request(
            conn,
            tracking=tracking,
            agency=row["agency"],
            office=row.get("office") or None,
            filed=row["filed"],
            received=row.get("received") or None,
            subject=row.get("subject") or None,
            campaign=row.get("campaign") or None,
            requester=row.get("requester") or None,
            text=row.get("text") or None,
            notes=row.get("notes") or None,
        )
        for ev in sorted(events, key=lambda x: x["date"]):
            add_event(
                conn,
                tracking=tracking,
                kind=ev["kind"],
                date=ev["date"],
                resolution=ev["resolution"],
            )
    return {
        "file": str(path),
        "requests": len(rows),
        "events": sum(len(e) for _, _, e in rows),
        "campaigns": sorted({r.get("campaign", "") for _, r, _ in rows} - {""}),
    }


def export_csv(
    conn: sqlite3.Connection,
    agencies: Agencies,
    *,
    today: dt.date | None = None,
    campaign: str | None = None,
) -> str:
    """Every request (of one campaign) as CSV text, with its events and computed dates."""
    reqs = {r["tracking"]: r for r in store.list_requests(conn, campaign=campaign)}
    events = store.events_for(conn, request_ids=[r["id"] for r in reqs.values()])
    computed = {
        r["tracking"]: r for r in list_requests(conn, agencies, today=today, campaign=campaign)
    }
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=[*CSV_COLUMNS, *COMPUTED], lineterminator="\n")
    w.writeheader()
    for tracking, r in reqs.items():
        evs = "; ".join(
            " ".join(
                x for x in (e["date"], e["kind"], (e["resolution"] or "").replace(" ", "-")) if x
            )
            for e in events.get(r["id"], [])
        )
        c = computed[tracking]
        w.writerow(
            {
                **{k: r.get(k) or "" for k in CSV_COLUMNS if k != "events"},
                "events": evs,
                **{k: "" if c.get(k) is None else c[k] for k in COMPUTED},
            }
        )
    return buf.getvalue()


def _deadlines(row: dict[str, Any]) -> Iterable[tuple[str, str, str]]:
    """(uid part, ISO date, summary) for each deadline still ahead or missed and open."""
    who = row["tracking"] + (f" ({row['office_name']})" if row.get("office_name") else "")
    if row["due"] and not row["answered"] and row["status"] != "closed":
        yield "response", row["due"], f"FOIA response due: {who}"
    if row["appeal_due"] and row["status"] == "awaiting appeal":
        yield "appeal", row["appeal_due"], f"FOIA appeal due: {who}"
    if row["appeal_decision_due"]:
        yield "appeal-decision", row["appeal_decision_due"], f"FOIA appeal decision due: {who}"
    for i, c in enumerate(row["court_deadlines"]):
        yield f"court-{i}", c["date"], f"Court deadline: {who}: {c['note']}"


def export_ics(
    conn: sqlite3.Connection,
    agencies: Agencies,
    *,
    today: dt.date | None = None,
    campaign: str | None = None,
) -> bytes:
    """Every open deadline of every request (of one campaign) as an iCalendar file."""
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//readingroom//requests {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"FOIA deadlines{': ' + campaign if campaign else ''}")
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for row in list_requests(conn, agencies, today=today, campaign=campaign):
        for part, day, summary in _deadlines(row):
            ev = icalendar.Event()
            ev.add("uid", f"{row['tracking']}-{part}@readingroom")
            ev.add("dtstamp", stamp)
            ev.add("dtstart", dt.date.fromisoformat(day))
            ev.add("dtend", dt.date.fromisoformat(day) + dt.timedelta(days=1))
            ev.add("summary", summary)
            ev.add(
                "description",
                f"{row['subject'] or ''}\nAgency: {row['agency']}\nStatus: {row['status']}\n"
                f"Basis: {row['due_basis']}".strip(),
            )
            ev.add("categories", ["FOIA"])
            cal.add_component(ev)
    return cal.to_ical()
