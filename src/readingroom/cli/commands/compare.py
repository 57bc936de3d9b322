"""`readingroom compare`: two releases of one record, withheld in one and released in the other."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from readingroom.cli._options import DirOption, JsonOption, open_investigation
from readingroom.cli._output import out, print_json

app = typer.Typer()

TITLE = {
    "withheld_in_a": "withheld in A, released in B",
    "withheld_in_b": "withheld in B, released in A",
    "only_in_a": "only in A",
    "only_in_b": "only in B",
    "changed": "worded differently",
    "restored_in_b": "readable in B, nothing readable in A (withheld without a code?)",
    "restored_in_a": "readable in A, nothing readable in B (withheld without a code?)",
}


@app.command("compare")
def compare_command(
    doc_a: Annotated[str, typer.Argument(help="Release A: permanent id or file name.")],
    doc_b: Annotated[str, typer.Argument(help="Release B: permanent id or file name.")],
    as_json: JsonOption = False,
    directory: DirOption = None,
) -> None:
    """Align two releases: what one withheld (with exemption codes) that the other released."""
    from readingroom.similar.clusters import compare_documents
    from readingroom.store.reading import resolve_document

    inv = open_investigation(directory)
    a = resolve_document(inv.db, ref=doc_a)
    b = resolve_document(inv.db, ref=doc_b)
    data = compare_documents(inv.db, a["document_id"], b["document_id"])
    if as_json:
        print_json(data)
        return
    out.print(
        f"A: {data['a']['key']} {data['a']['name']}\nB: {data['b']['key']} {data['b']['name']}"
    )
    out.print(
        f"{data['same_passages']} passages alike; "
        + (
            ", ".join(f"{TITLE[k]}: {v}" for k, v in data["counts"].items())
            or "no real differences"
        )
    )
    for kind in TITLE:
        rows = [d for d in data["differences"] if d["kind"] == kind]
        if not rows:
            continue
        out.print(f"\n[bold]{TITLE[kind]}[/]")
        for d in rows:
            codes = f" [red]{', '.join(d['codes'])}[/]" if d["codes"] else ""
            for side in ("a", "b"):
                c = d[side]
                if c:
                    cite = f"p.{c['page']}" + (f", {c['bates']}" if c["bates"] else "")
                    out.print(f"  {side.upper()} {cite}: {escape(c['text'])}")
            words = f"A “{escape(d['a_words'])}” · B “{escape(d['b_words'])}”"
            out.print(f"    [dim]{words}[/]{codes}")
    for side, other in (("in_b", "A"), ("in_a", "B")):
        rows = data["restored_terms"][side]
        if rows:
            where = "B" if side == "in_b" else "A"
            out.print(f"\n[bold]printed in {where}, withheld throughout {other}[/]")
            for t in rows:
                pages = ", ".join(str(p) for p in t["pages"])
                out.print(f"  {escape(t['term'])} ×{t['places']} (p. {pages})")
