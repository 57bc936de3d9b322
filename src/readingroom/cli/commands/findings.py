"""`readingroom findings`: record claims with quotes checked against their page."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from readingroom.cli._options import DirOption, JsonOption, open_investigation
from readingroom.cli._output import err, out, plural, print_json
from readingroom.errors import BadArguments
from readingroom.evidence import exports
from readingroom.evidence.findings import cite, record_finding, verify
from readingroom.store import evidence as ev
from readingroom.store import reading, transaction

app = typer.Typer()
findings_app = typer.Typer(
    help="Findings: claims with quotes cited by page and checked against it.",
    no_args_is_help=True,
)
app.add_typer(findings_app, name="findings")

StatusOpt = Annotated[
    str | None, typer.Option("--status", help="draft | checked | published (default draft).")
]


@findings_app.command("add")
def add_command(
    claim: Annotated[str, typer.Option("--claim", help="The claim, in a sentence.")],
    doc: Annotated[str, typer.Option("--doc", help="Permanent id (12 hex) or file name.")],
    page: Annotated[int, typer.Option("--page", min=1, help="Page number (1-based).")],
    quote: Annotated[str, typer.Option("--quote", help="Exact words on that page.")],
    status: StatusOpt = None,
    directory: DirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a finding with its first quote; refused (exit 2) when the quote is not on the page."""
    inv = open_investigation(directory)
    d = reading.resolve_document(inv.db, ref=doc)
    fid = record_finding(
        inv.db, claim=claim, document_id=d["document_id"], page=page, quote=quote,
        status=status or "draft",
    )  # fmt: skip
    f = ev.finding(inv.db, finding_id=fid)
    if as_json:
        print_json(f)
    else:
        err.print(f"finding {fid} recorded, citing {d['key']} p.{page}")


@findings_app.command("cite")
def cite_command(
    finding_id: Annotated[int, typer.Argument(help="The finding's number.")],
    doc: Annotated[str, typer.Option("--doc")],
    page: Annotated[int, typer.Option("--page", min=1)],
    quote: Annotated[str, typer.Option("--quote")],
    directory: DirOption = None,
) -> None:
    """Add another quote to a finding."""
    inv = open_investigation(directory)
    d = reading.resolve_document(inv.db, ref=doc)
    with transaction(inv.db):
        cid = cite(
            inv.db, finding_id=finding_id, document_id=d["document_id"], page=page, quote=quote
        )
    err.print(f"citation {cid} added to finding {finding_id}")


@findings_app.command("status")
def status_command(
    finding_id: Annotated[int, typer.Argument()],
    status: Annotated[str, typer.Argument(help="draft | checked | published")],
    directory: DirOption = None,
) -> None:
    """Mark a finding draft, checked or published."""
    inv = open_investigation(directory)
    with transaction(inv.db):
        ev.set_finding_status(inv.db, finding_id=finding_id, status=status)
    err.print(f"finding {finding_id}: {status}")


@findings_app.command("remove")
def remove_command(
    finding_id: Annotated[int, typer.Argument()], directory: DirOption = None
) -> None:
    """Delete a finding and its citations."""
    inv = open_investigation(directory)
    with transaction(inv.db):
        ev.delete_finding(inv.db, finding_id=finding_id)
    err.print(f"finding {finding_id} removed")


@findings_app.command("list")
def list_command(
    status: StatusOpt = None,
    fmt: Annotated[
        str, typer.Option("--format", help="table | csv | json (csv: one row per citation).")
    ] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
    directory: DirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every finding with its citations and their state."""
    inv = open_investigation(directory)
    found = ev.findings(inv.db, status=status)
    if as_json:
        fmt = "json"
    if fmt not in ("table", "csv", "json"):
        raise BadArguments(f"--format {fmt}: table, csv or json")
    if fmt == "table" and output is None:
        if not found:
            out.print(
                "no findings yet: readingroom findings add --claim … --doc … --page … --quote …"
            )
        for f in found:
            out.print(f"[bold]{f['id']}[/] {escape('[' + f['status'] + ']')} {escape(f['claim'])}")
            for c in f["citations"]:
                where = f"{c['key']} p.{c['page']}" + (f" {c['bates']}" if c["bates"] else "")
                out.print(
                    f"    {escape(where)} {escape('[' + c['state'] + ']')}"
                    f" “{escape(c['exact'][:100])}”"
                )
        return
    if fmt == "csv":
        text = exports.to_csv(exports.finding_rows(found), exports.FINDING_COLUMNS)
    else:
        text = exports.to_json({"findings": found})
    if output is None:
        sys.stdout.write(text if fmt == "json" else text.lstrip("\ufeff"))
        if fmt == "json":
            sys.stdout.write("\n")
    else:
        output.write_text(text, encoding="utf-8")
        err.print(f"{plural(len(found), 'finding')} written to {escape(str(output))}")


@findings_app.command("verify")
def verify_command(
    status: StatusOpt = None, directory: DirOption = None, as_json: JsonOption = False
) -> None:
    """Re-find every quote on its page as the page is now; exit 1 when one is not there."""
    inv = open_investigation(directory)
    problems = verify(inv.db, status=status)
    if as_json:
        print_json({"problems": [p.__dict__ for p in problems]})
    for p in problems:
        err.print(escape(str(p)))
    if problems:
        raise typer.Exit(1)
    err.print("every quote is on its page")
