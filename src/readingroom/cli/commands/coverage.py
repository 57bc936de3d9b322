"""`readingroom coverage`: which expected records have arrived from which offices."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from readingroom.cli._options import DirOption, JsonOption, open_investigation
from readingroom.cli._output import err, out, print_json
from readingroom.requests import coverage as cov

app = typer.Typer()

_MARK = {"received": "[green]●[/]", "proposed": "[yellow]◐[/]", "missing": "[red]○[/]"}


@app.command("coverage")
def coverage_command(
    expect: Annotated[
        str | None,
        typer.Option("--expect", help="Declare an expected record by name (with --terms)."),
    ] = None,
    terms: Annotated[str | None, typer.Option("--terms", help="Words that identify it.")] = None,
    campaign: Annotated[str | None, typer.Option("--campaign", "-c")] = None,
    offices: Annotated[
        str | None,
        typer.Option(
            "--offices",
            help="Comma-separated offices, or 'field' for every field office"
            " (default: the offices the campaign's requests went to).",
        ),
    ] = None,
    propose: Annotated[
        bool, typer.Option("--propose", help="Propose documents for every expected record.")
    ] = False,
    confirm: Annotated[
        str | None, typer.Option("--confirm", help="Confirm the proposals of this expected record.")
    ] = None,
    reject: Annotated[
        str | None, typer.Option("--reject", help="Reject the proposals of this record.")
    ] = None,
    office: Annotated[
        str | None, typer.Option("--office", help="With --confirm/--reject: one office.")
    ] = None,
    document: Annotated[
        int | None, typer.Option("--document", help="With --confirm/--reject: one document id.")
    ] = None,
    titles: Annotated[
        bool,
        typer.Option(
            "--titles", help="With --confirm/--reject: only documents found by their title."
        ),
    ] = False,
    directory: DirOption = None,
    as_json: JsonOption = False,
) -> None:
    """The coverage matrix: expected records × offices, received, proposed or missing."""
    inv = open_investigation(directory)
    names = cov.OfficeNames(inv.pack)
    if expect:
        cov.add_expected(
            inv.db,
            names,
            name=expect,
            terms=terms or expect,
            campaign=campaign,
            office_list=[o.strip() for o in offices.split(",") if o.strip()] if offices else None,
        )
        err.print(f"expecting {escape(expect)!s}")
    if propose or expect:
        p = cov.propose(inv.db, names)
        err.print(
            f"{p['proposed']} proposals; {len(p['unplaced'])} matching documents with no office"
        )
    for name, rej in ((confirm, False), (reject, True)):
        if name:
            n = cov.confirm(
                inv.db,
                names,
                expected=name,
                office=office,
                document_id=document,
                reject=rej,
                by_title=titles,
            )
            err.print(f"{'rejected' if rej else 'confirmed'} {n} for {escape(name)}")
    m = cov.matrix(inv.db, names)
    if as_json:
        print_json(m)
        return
    if not m["records"]:
        err.print(
            "No expected records yet: readingroom coverage --expect NAME --terms WORDS --campaign C"
        )
        return
    for rec in m["records"]:
        out.print(
            f"[bold]{escape(rec['name'])}[/]: {rec['received']} of {rec['expected']} received"
            f" ({rec['share_received']:.0%}), {rec['proposed']} proposed, {rec['missing']} missing"
        )
        out.print(
            "  "
            + "  ".join(
                f"{_MARK[c['state']]} {escape(c['office_name'])}" for c in rec["cells"].values()
            )
        )
    if m["chase"]:
        out.print("\n[bold]To chase or appeal[/] (nothing arrived):")
        for c in m["chase"]:
            out.print(f"  {escape(c['expected'])} — {escape(c['office_name'])}")
