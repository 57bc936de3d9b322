"""`readingroom search QUERY`: the search library on the command line.

Human-readable results go to stdout with matches in bold; `--json` prints the
same SearchResult as JSON so the command is safe to pipe into jq.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer
from rich.markup import escape

from readingroom.cli._options import DirOption, JsonOption, open_investigation
from readingroom.cli._output import err, out, plural, print_json
from readingroom.search import MARK_END, MARK_START, SORTS, search, strip_marks

app = typer.Typer()


@app.command("search")
def search_command(
    query: Annotated[str, typer.Argument(help='Query, e.g. quota office:"El Paso" -training')],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Documents to show.")] = 20,
    offset: Annotated[int, typer.Option(min=0, help="Documents to skip.")] = 0,
    sort: Annotated[str, typer.Option(help=f"One of: {', '.join(SORTS)}.")] = "relevance",
    as_json: JsonOption = False,
    directory: DirOption = None,
    export: Annotated[
        str | None, typer.Option("--export", help="Every matching page as csv or json (issue 11).")
    ] = None,
) -> None:
    """Search the pages of an investigation (words, "phrases", NEAR, field filters)."""
    inv = open_investigation(directory)
    conn = inv.reader()
    try:
        if export:
            from readingroom.evidence.export_cli import export_search

            return export_search(conn, query, sort=sort, fmt=export)
        result = search(conn, query, limit=limit, offset=offset, sort=sort)
    finally:
        conn.close()
        inv.close()
    if as_json:
        data = asdict(result)
        for doc in data["documents"]:
            for hit in doc["hits"]:
                hit["snippet"] = strip_marks(hit["snippet"])
        print_json(data)
        return
    out.print(
        f"{plural(result.total_pages, 'page')} in {plural(result.total_documents, 'document')}"
        f" ({result.elapsed_ms:.0f} ms)"
    )
    for hint in result.hints:
        err.print(f"[yellow]hint:[/] {escape(hint)}")
    for doc in result.documents:
        meta = " · ".join(x for x in (doc.doc_type, doc.date, doc.production) if x)
        out.print(
            f"\n[bold cyan]{escape(doc.title or doc.name)}[/]  [dim]{doc.key}"
            f" {escape(meta)} · {plural(doc.matching_pages, 'matching page')}[/]"
        )
        for hit in doc.hits:
            where = f"p.{hit.number}" + (f" · {hit.bates}" if hit.bates else "")
            snippet = (
                escape(" ".join(hit.snippet.split()))
                .replace(MARK_START, "[bold yellow]")
                .replace(MARK_END, "[/]")
            )
            out.print(f"  [green]{escape(where)}[/]  {snippet}")
    shown = result.offset + len(result.documents)
    if shown < result.total_documents:
        more = plural(result.total_documents - shown, "more document")
        out.print(f"\n[dim]… {more} (--offset {shown})[/]")
