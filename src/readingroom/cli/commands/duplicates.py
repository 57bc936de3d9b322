"""`readingroom duplicates`: near-duplicate documents and pages, from stored signatures."""

from __future__ import annotations

from typing import Annotated

import typer

from readingroom.cli._options import DirOption, JsonOption, open_investigation
from readingroom.cli._output import err, out, plural, print_json

app = typer.Typer()


@app.command("duplicates")
def duplicates_command(
    limit: Annotated[int, typer.Option(min=1, help="Clusters to list per level.")] = 50,
    force: Annotated[bool, typer.Option(help="Cluster again even if nothing changed.")] = False,
    as_json: JsonOption = False,
    directory: DirOption = None,
) -> None:
    """Documents and pages that are copies of each other (OCR noise, stamps and headers aside)."""
    from readingroom.analyse import run_all
    from readingroom.similar.clusters import duplicates, refresh

    inv = open_investigation(directory)
    report = run_all(inv, only="shingles")  # signatures of documents added since the last run
    if report.runs.get("shingles"):
        err.print(f"signatures computed for {plural(report.runs['shingles'], 'document')}")
    runs = refresh(inv.db, force=force)
    data = duplicates(inv.db, limit=limit)
    if as_json:
        print_json({"runs": runs, **data})
        return
    docs = data["document"]["clusters"]
    pages = data["page"]["clusters"]
    out.print(
        f"[bold]{plural(len(docs), 'family', 'families')}[/] of near-duplicate documents, "
        f"{plural(len(pages), 'group')} of copied pages"
    )
    for c in docs:
        out.print(
            f"\n[bold]cluster {c['cluster']}[/]: {plural(c['size'], 'document')}"
            f"  (readingroom family --cluster {c['cluster']})"
        )
        for m in c["members"][:30]:
            out.print(f"  {m['key']}  {m['name']}")
        if c["size"] > 30:
            out.print(f"  … and {c['size'] - 30} more")
    shown = [c for c in pages if len({m["document_id"] for m in c["members"]}) > 1][:limit]
    if shown:
        out.print("\n[bold]pages copied across documents[/]")
    for c in shown[:20]:
        where = ", ".join(
            f"{m['name']} p.{m['page']}" + (f" ({m['bates']})" if m["bates"] else "")
            for m in c["members"][:6]
        )
        more = f" … +{c['size'] - 6}" if c["size"] > 6 else ""
        out.print(f"  {plural(c['size'], 'copy', 'copies')}: {where}{more}")
