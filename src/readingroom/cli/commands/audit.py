"""`readingroom audit`: what publishing would expose, and the decisions on each hit."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from readingroom.cli._options import DirOption, JsonOption, cli_user, open_investigation
from readingroom.cli._output import err, out, plural, print_json, table
from readingroom.errors import BadArguments
from readingroom.publish import audit as pa

app = typer.Typer()


@app.command("audit")
def audit_command(
    args: Annotated[
        list[str] | None,
        typer.Argument(
            help="Documents to audit (permanent id or unambiguous file name), or"
            " 'confirm HIT…' / 'dismiss HIT…' to record decisions.",
            show_default=False,
        ),
    ] = None,
    tag: Annotated[
        str | None, typer.Option("--tag", help="Audit the documents carrying this tag.")
    ] = None,
    confirm_all: Annotated[
        list[str] | None,
        typer.Option("--confirm-all", help="Confirm every hit of this kind (repeatable)."),
    ] = None,
    reviewer: Annotated[
        str | None,
        typer.Option("--reviewer", help="Who decides (default: READINGROOM_USER or the login)."),
    ] = None,
    directory: DirOption = None,
    as_json: JsonOption = False,
) -> None:
    """List identifier hits (masked) with kind, document, page, span and box; record decisions."""
    from readingroom.analyse import run_all

    inv = open_investigation(directory)
    words = list(args or [])
    decision = None
    if words and words[0] in ("confirm", "dismiss"):
        decision = {"confirm": "confirmed", "dismiss": "dismissed"}[words.pop(0)]
        if not words:
            raise BadArguments(
                f"audit {args[0] if args else ''}: name the hits (ids from readingroom audit)"
            )
    # Hits are the identifiers analyser's: bring it up to date first (a no-op when it is).
    run_all(inv, only="identifiers")
    docs = None
    if decision is None and (words or tag):
        docs = pa.resolve_documents(inv.db, refs=words, tag=tag)
    elif decision is not None and tag:
        docs = pa.resolve_documents(inv.db, tag=tag)
    who = cli_user(reviewer)
    if decision is not None:
        n = pa.decide(inv.db, hit_keys=words, decision=decision, reviewer=who, document_ids=docs)
        err.print(f"{decision} {plural(n, 'hit')} (reviewer {escape(who)})")
    for kind in confirm_all or []:
        n = pa.decide(inv.db, kind=kind, decision="confirmed", reviewer=who, document_ids=docs)
        err.print(f"confirmed {plural(n, 'hit')} of kind {escape(kind)} (reviewer {escape(who)})")
    hits = pa.audit(inv.db, document_ids=docs)
    broken = pa.failures(inv.db, document_ids=docs)
    if as_json:
        print_json({"hits": hits, "summary": pa.summary(hits), "redaction_failures": broken})
        return
    if decision is not None or confirm_all:
        return
    for f in broken:
        where = f"page {f['page']}" if f["page"] else "the file"
        err.print(
            f"[red]bad redaction:[/] {escape(f['name'])} {where}: {f['kind']}"
            " (the export removes or scrubs it)"
        )
    if not hits:
        err.print("no identifiers found in these documents")
        return
    table(
        "Identifiers that publishing would expose",
        hits,
        "hit, kind, document=name, page, masked, hash, confidence, decision",
    )
    counts = pa.summary(hits)
    pending = sum(c["pending"] for c in counts.values())
    err.print(
        f"{plural(len(hits), 'hit')}; {pending} pending review."
        " Decide with: readingroom audit confirm|dismiss HIT… or --confirm-all KIND"
    )
    out.print()
