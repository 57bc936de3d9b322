"""`readingroom search QUERY`: the search library on the command line.

Human-readable results go to stdout with matches in bold; `--json` prints the
same SearchResult as JSON so the command is safe to pipe into jq.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from readingroom.investigation import Investigation
from readingroom.search import MARK_END, MARK_START, SORTS, search, strip_marks


def _dir_option() -> object:
    return typer.Option(
        "--dir", "-d", help="Investigation folder (default: READINGROOM_DIR or the current one)."
    )


def register(app: typer.Typer) -> None:
    @app.command("search")
    def search_command(
        query: Annotated[str, typer.Argument(help='Query, e.g. quota office:"El Paso" -training')],
        limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Documents to show.")] = 20,
        offset: Annotated[int, typer.Option(min=0, help="Documents to skip.")] = 0,
        sort: Annotated[str, typer.Option(help=f"One of: {', '.join(SORTS)}.")] = "relevance",
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
        directory: Annotated[Path | None, _dir_option()] = None,
    ) -> None:
        """Search the pages of an investigation (words, "phrases", NEAR, field filters)."""
        inv = Investigation.open(directory)
        conn = inv.reader()
        try:
            result = search(conn, query, limit=limit, offset=offset, sort=sort)
        finally:
            conn.close()
            inv.close()
        if as_json:
            data = asdict(result)
            for doc in data["documents"]:
                for hit in doc["hits"]:
                    hit["snippet"] = strip_marks(hit["snippet"])
            typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
            return
        out = Console(highlight=False, soft_wrap=True)
        out.print(
            f"[bold]{result.total_pages}[/] pages in [bold]{result.total_documents}[/] documents"
            f" ({result.elapsed_ms:.0f} ms)"
        )
        for doc in result.documents:
            meta = " · ".join(x for x in (doc.doc_type, doc.date, doc.production) if x)
            out.print(
                f"\n[bold cyan]{escape(doc.title or doc.name)}[/]  [dim]#{doc.document_id}"
                f" {escape(meta)} · {doc.matching_pages} matching page(s)[/]"
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
            more = result.total_documents - shown
            out.print(f"\n[dim]… {more} more documents (--offset {shown})[/]")
