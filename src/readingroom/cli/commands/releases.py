"""`readingroom releases`: the releases of one record, oldest first, and what each restored."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from readingroom.cli._options import DirOption, JsonOption, open_investigation
from readingroom.cli._output import out, plural, print_json

app = typer.Typer()


@app.command("releases")
def releases_command(
    doc: Annotated[str, typer.Argument(help="Any release of the record: permanent id or name.")],
    as_json: JsonOption = False,
    directory: DirOption = None,
) -> None:
    """Each release of a record (its near-duplicates, dated by `ingest --received`) and
    what it released that the one before withheld."""
    from readingroom.similar.clusters import release_history
    from readingroom.store.reading import resolve_document

    inv = open_investigation(directory)
    d = resolve_document(inv.db, ref=doc)
    data = release_history(inv.db, d["document_id"])
    if as_json:
        print_json(data)
        return
    for r in data["releases"]:
        out.print(f"{r['released']}  {r['key']}  {escape(r['name'])}")
    for r in data["undated"]:
        out.print(
            f"[dim]undated     {r['key']}  {escape(r['name'])} (ingest --received to order it)[/]"
        )
    if len(data["releases"]) < 2:
        out.print("\nfewer than two dated releases of this record: nothing to compare in order")
    for s in data["steps"]:
        step = f"{s['from']['released']} → {s['to']['released']}"
        out.print(f"\n[bold]{step}[/] ({escape(s['to']['name'])})")
        for w in s["released_withheld"]:
            codes = ", ".join(w["codes"])
            out.print(
                f"  released, withheld before under {codes}: {escape(w['words'])} (p. {w['page']})"
            )
        for p in s["restored_passages"]:
            cite = f"p. {p['page']}" + (f", {p['bates']}" if p["bates"] else "")
            out.print(f"  restored passage ({cite}): {escape(p['text'])}")
        for t in s["restored_terms"]:
            out.print(f"  restored throughout: {escape(t['term'])} ×{t['places']}")
        if not (s["released_withheld"] or s["restored_passages"] or s["restored_terms"]):
            out.print("  nothing restored that the text shows")
        if s["newly_withheld"]:
            out.print(
                f"  [red]{plural(s['newly_withheld'], 'passage')} withheld again, with a code[/]"
            )
