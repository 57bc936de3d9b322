"""`readingroom requests …`: requests, their events and deadlines, letters, CSV/ICS, FOIA logs."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from readingroom.cli._options import DirOption, JsonOption, open_investigation
from readingroom.cli._output import err, out, print_json, table
from readingroom.errors import BadArguments
from readingroom.requests import exchange, logs, tracker
from readingroom.requests.agencies import load_agencies
from readingroom.requests.letters import FIGURES
from readingroom.requests.model import EVENT_KINDS, parse_date
from readingroom.requests.reconcile import reconcile

app = typer.Typer()
requests_app = typer.Typer(
    name="requests",
    help="Requests and campaigns: deadlines, events, production letters, CSV/ICS, FOIA logs.",
    no_args_is_help=True,
)
app.add_typer(requests_app, name="requests")

TodayOption = Annotated[
    str | None, typer.Option("--today", help="Compute lateness as of this day (default: today).")
]
CampaignOption = Annotated[str | None, typer.Option("--campaign", "-c", help="Campaign name.")]


def _today(value: str | None) -> dt.date:
    return parse_date(value, "--today") or dt.date.today()


@requests_app.command("add")
def add_command(
    tracking: Annotated[str, typer.Argument(help="The agency's tracking number (or your own).")],
    agency: Annotated[
        str, typer.Option("--agency", help="Agency or component: DHS, ICE, DHS/ICE…")
    ],
    filed: Annotated[str, typer.Option("--filed", help="Date sent, YYYY-MM-DD.")],
    office: Annotated[
        str | None, typer.Option("--office", help="Component or field office.")
    ] = None,
    received: Annotated[
        str | None, typer.Option("--received", help="Date the agency received it, if known.")
    ] = None,
    subject: Annotated[str | None, typer.Option("--subject")] = None,
    campaign: CampaignOption = None,
    text: Annotated[str | None, typer.Option("--text", help="The request as sent.")] = None,
    requester: Annotated[str | None, typer.Option("--requester", help="Who filed it.")] = None,
    directory: DirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a request. The clock starts the working day after receipt (or filing)."""
    inv = open_investigation(directory)
    req = tracker.add_request(
        inv.db,
        tracking=tracking,
        agency=agency,
        filed=filed,
        office=office,
        received=received,
        subject=subject,
        campaign=campaign,
        text=text,
        requester=requester,
    )
    shown = tracker.show_request(inv.db, load_agencies(inv.root), req["tracking"])
    if as_json:
        print_json(shown)
    else:
        err.print(f"added {escape(req['tracking'])}: response due {shown['due']}")


@requests_app.command("event")
def event_command(
    tracking: Annotated[str, typer.Argument()],
    kind: Annotated[str, typer.Argument(help="One of: " + ", ".join(EVENT_KINDS) + ".")],
    date: Annotated[str, typer.Option("--date", help="When it happened, YYYY-MM-DD.")],
    resolution: Annotated[
        str | None,
        typer.Option(
            "--resolution",
            help="With determination, appeal-decided or court-order: full-grant, partial-grant,"
            " full-denial, no-records, referred, withdrawn.",
        ),
    ] = None,
    due: Annotated[
        str | None, typer.Option("--due", help="With court-order: the deadline it sets.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
    directory: DirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record what happened to a request: status and deadlines follow from its events."""
    inv = open_investigation(directory)
    tracker.add_event(
        inv.db, tracking=tracking, kind=kind, date=date, resolution=resolution, due=due, note=note
    )
    shown = tracker.show_request(inv.db, load_agencies(inv.root), tracking)
    if as_json:
        print_json(shown)
    else:
        err.print(
            f"{escape(shown['tracking'])}: {kind} on {date}; now {shown['status']}"
            + (f", response due {shown['due']}" if shown["due"] and not shown["answered"] else "")
            + (f", appeal due {shown['appeal_due']}" if shown["appeal_due"] else "")
        )


def _print_rows(rows: list[dict[str, object]], title: str) -> None:
    for r in rows:
        r["late"] = f"{r['days_late']} wd late" if r["overdue"] else ""
        nd = r["next_deadline"]
        r["next"] = f"{nd['date']} {nd['what']}" if isinstance(nd, dict) else ""  # type: ignore[index]
    table(
        title,
        rows,
        "Tracking=tracking, Agency=agency, Office=office_name, Filed=filed, Status=status,"
        " Resolution=resolution, Due=due, Late=late, Next=next",
    )


@requests_app.command("list")
def list_command(
    campaign: CampaignOption = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only requests past their due date.")
    ] = False,
    week: Annotated[
        bool, typer.Option("--week", help="Only requests with a deadline in the next 7 days.")
    ] = False,
    today: TodayOption = None,
    directory: DirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Requests with status, resolution, due date and lateness (computed as of today)."""
    inv = open_investigation(directory)
    day = _today(today)
    rows = tracker.list_requests(
        inv.db,
        load_agencies(inv.root),
        today=day,
        campaign=campaign,
        overdue=overdue,
        due_within=6 if week else None,
    )
    if as_json:
        print_json({"today": day.isoformat(), "requests": rows})
        return
    what = "overdue" if overdue else "due this week" if week else "requests"
    _print_rows(rows, f"{len(rows)} {what} as of {day.isoformat()}")


@requests_app.command("show")
def show_command(
    tracking: Annotated[str, typer.Argument()],
    today: TodayOption = None,
    directory: DirOption = None,
    as_json: JsonOption = False,
) -> None:
    """One request: due dates, status, events, productions, letters."""
    inv = open_investigation(directory)
    r = tracker.show_request(inv.db, load_agencies(inv.root), tracking, today=_today(today))
    if as_json:
        print_json(r)
        return
    out.print(f"[bold]{escape(r['tracking'])}[/] {escape(r['subject'] or '')}")
    out.print(
        f"  {r['agency']}{' / ' + r['office_name'] if r['office_name'] else ''};"
        f" filed {r['filed']}{', received ' + r['received'] if r['received'] else ''}"
    )
    out.print(f"  status: {r['status']}; resolution: {r['resolution'] or '—'}")
    out.print(
        f"  response due {r['due'] or '(clock stopped: ' + str(r['paused']) + ' question open)'}"
        f" — {r['due_basis']}"
    )
    if r["overdue"]:
        out.print(f"  [red]overdue by {r['days_late']} working days[/]")
    if r["appeal_due"]:
        out.print(f"  appeal due {r['appeal_due']} ({escape(r['appeal_rule'] or '')})")
    for e in r["events"]:
        out.print(f"  {e['date']}  {e['kind']}{' — ' + e['resolution'] if e['resolution'] else ''}")
    for p in r["productions"]:
        out.print(f"  production {p['name']}: {p['pages']} pages, received {p['received']}")


@requests_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="A CSV of requests, or an agency's FOIA log.")],
    log: Annotated[
        bool | None,
        typer.Option(
            "--log/--requests", help="Read FILE as a FOIA log / a request sheet (default: guess)."
        ),
    ] = None,
    directory: DirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import requests from CSV (all or nothing), or an agency's FOIA log (CSV/XLSX/XLS)."""
    inv = open_investigation(directory)
    if not file.is_file():
        raise BadArguments(f"{file}: no such file")
    is_log = (
        log if log is not None else (file.suffix.lower() != ".csv" or logs.looks_like_log(file))
    )
    if is_log:
        result = logs.import_log(inv.db, file)
        msg = (
            f"{file.name}: {result['entries']} FOIA-log entries"
            f" ({result['received_from']} – {result['received_to']})"
        )
    else:
        result = exchange.import_csv(inv.db, file)
        msg = f"{file.name}: {result['requests']} requests, {result['events']} events"
    if as_json:
        print_json(result)
    else:
        err.print(msg)


@requests_app.command("export")
def export_command(
    format: Annotated[str, typer.Option("--format", help="csv or ics.")] = "csv",
    campaign: CampaignOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File (default: stdout).")
    ] = None,
    today: TodayOption = None,
    directory: DirOption = None,
) -> None:
    """Export requests as CSV (re-importable) or their deadlines as an iCalendar file."""
    inv = open_investigation(directory)
    agencies = load_agencies(inv.root)
    if format == "csv":
        data = exchange.export_csv(
            inv.db, agencies, today=_today(today), campaign=campaign
        ).encode()
    elif format == "ics":
        data = exchange.export_ics(inv.db, agencies, today=_today(today), campaign=campaign)
    else:
        raise BadArguments(f"--format {format!r}: use csv or ics")
    if output:
        output.write_bytes(data)
        err.print(f"wrote {output}")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


@requests_app.command("link")
def link_command(
    tracking: Annotated[str, typer.Argument()],
    production: Annotated[str, typer.Argument(help="Production name given at ingest.")],
    directory: DirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Link an ingested production to the request it answers."""
    inv = open_investigation(directory)
    prod = tracker.link_production(inv.db, tracking=tracking, production=production)
    if as_json:
        print_json(prod)
    else:
        err.print(
            f"{tracking} ← {production}: {prod['documents']} documents, {prod['pages']} pages"
        )


@requests_app.command("letter")
def letter_command(
    tracking: Annotated[str, typer.Argument()],
    document: Annotated[
        str | None,
        typer.Option("--document", help="The ingested letter: document id or file name."),
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Or a text file holding the letter.")
    ] = None,
    production: Annotated[
        str | None,
        typer.Option("--production", help="The production it covers (default: last linked)."),
    ] = None,
    directory: DirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Read a production letter: figures and exemptions, to confirm with `requests confirm`."""
    inv = open_investigation(directory)
    r = tracker.record_letter(
        inv.db, tracking=tracking, document=document, path=file, production=production
    )
    if as_json:
        print_json(r)
        return
    out.print(f"letter {r['id']} ({escape(r['source'])}): a {r['kind']} letter")
    for k in FIGURES:
        if k in r["figures"]:
            out.print(
                f"  {k.replace('_', ' ')}: {r['figures'][k]}"
                f"   [dim]« {escape(r['evidence'][k])} »[/]"
            )
    out.print(f"  exemptions claimed: {', '.join(r['exemptions']) or '—'}")
    if r["referred_to"]:
        out.print(f"  referred to: {escape(r['referred_to'])}")
    err.print(f"check these, then: readingroom requests confirm {tracking} (--reviewed N …)")


@requests_app.command("confirm")
def confirm_command(
    tracking: Annotated[str, typer.Argument()],
    letter: Annotated[
        int | None, typer.Option("--letter", help="Letter id (default: the latest).")
    ] = None,
    reviewed: Annotated[int | None, typer.Option("--reviewed")] = None,
    released_full: Annotated[int | None, typer.Option("--released-full")] = None,
    released_part: Annotated[int | None, typer.Option("--released-part")] = None,
    withheld_full: Annotated[int | None, typer.Option("--withheld-full")] = None,
    referred: Annotated[int | None, typer.Option("--referred")] = None,
    exemptions: Annotated[
        str | None, typer.Option("--exemptions", help="Codes claimed, comma-separated: b5,b6,b7C.")
    ] = None,
    referred_to: Annotated[str | None, typer.Option("--referred-to")] = None,
    directory: DirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Confirm a letter's figures as parsed, correcting any given here."""
    from readingroom.citation import exemption_code

    inv = open_investigation(directory)
    figures = {
        k: v
        for k, v in {
            "reviewed": reviewed,
            "released_full": released_full,
            "released_part": released_part,
            "withheld_full": withheld_full,
            "referred": referred,
        }.items()
        if v is not None
    }
    codes = None
    if exemptions is not None:
        codes = []
        for c in (x.strip() for x in exemptions.split(",") if x.strip()):
            code = exemption_code(c)
            if code is None:
                raise BadArguments(f"--exemptions: {c!r} is not an exemption code such as b7C")
            codes.append(code)
    r = tracker.confirm_letter(
        inv.db,
        tracking=tracking,
        letter_id=letter,
        figures=dict(figures),
        exemptions=codes,
        referred_to=referred_to,
    )
    if as_json:
        print_json(r)
    else:
        err.print(
            f"letter {r['id']} confirmed: {r['figures']}; exemptions {', '.join(r['exemptions'])}"
        )


@requests_app.command("reconcile")
def reconcile_command(
    tracking: Annotated[str, typer.Argument()],
    letter: Annotated[int | None, typer.Option("--letter")] = None,
    directory: DirOption = None,
    as_json: JsonOption = False,
) -> None:
    """What the production letter says against the pages that arrived."""
    inv = open_investigation(directory)
    r = reconcile(inv.db, tracking=tracking, letter_id=letter)
    if as_json:
        print_json(r)
        return
    out.print(
        f"[bold]{escape(tracking)}[/]: letter {r['letter']['id']}"
        f" ({'confirmed' if r['letter']['confirmed'] else 'NOT confirmed'})"
        f" vs {', '.join(r['productions'])}"
    )
    table(
        "Figures",
        r["figures"],
        "Figure=what, Letter=letter, Arrived=arrived, Difference=difference",
    )
    for p in r["problems"]:
        out.print(f"  • {escape(p)}")
    if not r["problems"]:
        out.print("  The letter and the pages agree.")


@requests_app.command("refer")
def refer_command(
    tracking: Annotated[str, typer.Argument()],
    agency: Annotated[str, typer.Option("--agency", help="The agency the pages were referred to.")],
    new_tracking: Annotated[
        str | None, typer.Option("--tracking", help="Its tracking number, if known.")
    ] = None,
    date: Annotated[str | None, typer.Option("--date", help="Date of the referral.")] = None,
    directory: DirOption = None,
    as_json: JsonOption = False,
) -> None:
    """A referral becomes a request of its own to follow."""
    inv = open_investigation(directory)
    r = tracker.refer(
        inv.db, tracking=tracking, agency=agency, new_tracking=new_tracking, date=date
    )
    if as_json:
        print_json(r)
    else:
        err.print(f"added {r['tracking']} (referred from {tracking}) to {agency}")


@requests_app.command("campaign")
def campaign_command(
    campaign: Annotated[
        str | None, typer.Argument(help="Campaign name (default: all requests).")
    ] = None,
    today: TodayOption = None,
    directory: DirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Campaign statistics: answered in time, overdue, appealed, in litigation; by office."""
    inv = open_investigation(directory)
    r = tracker.campaign_overview(
        inv.db, load_agencies(inv.root), campaign=campaign, today=_today(today)
    )
    if as_json:
        print_json(r)
        return
    out.print(
        f"{r['requests']} requests: {r['answered']} answered"
        f" ({r['answered_on_time']} within the time"
        f" allowed, {r['answered_late']} late), {r['overdue']} overdue, {r['appealed']} appealed,"
        f" {r['in_litigation']} in litigation"
    )
    _print_rows(r["rows"], f"{campaign or 'All requests'} as of {r['today']}")


@requests_app.command("similar")
def similar_command(
    text: Annotated[str, typer.Argument(help="A tracking number, or words describing a request.")],
    limit: Annotated[int, typer.Option("--limit", min=1, max=100)] = 10,
    directory: DirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Earlier requests in imported FOIA logs that asked for something similar."""
    inv = open_investigation(directory)
    from readingroom.store import requests as store

    req = store.find_request(inv.db, tracking=text)
    words = f"{req['subject'] or ''} {req['text'] or ''}" if req else text
    rows = logs.similar(inv.db, words, limit=limit)
    if as_json:
        print_json(rows)
        return
    table(
        f"Similar logged requests ({len(rows)})",
        rows,
        "Tracking=tracking, Received=received, Closed=closed, Organisation=organization,"
        " Description=description",
    )
