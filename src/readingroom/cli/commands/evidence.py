"""`readingroom mentions`, `readingroom figures`, `readingroom timeline`: what the
evidence analysers found, as tables, CSV or JSON for review elsewhere."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from readingroom.cli._options import DirOption, JsonOption, open_investigation
from readingroom.cli._output import print_json, table
from readingroom.errors import BadArguments
from readingroom.evidence import exports
from readingroom.evidence.report import DEFAULT_K, suppress
from readingroom.store import evidence as ev

app = typer.Typer()

FormatOpt = Annotated[str, typer.Option("--format", help="table | csv | json")]


def _emit(fmt: str, as_json: bool, key: str, rows: list[dict[str, Any]], cols: tuple[str, ...],
          title: str) -> None:  # fmt: skip
    fmt = "json" if as_json else fmt
    if fmt == "json":
        print_json({key: rows})
    elif fmt == "csv":
        sys.stdout.write(exports.to_csv(rows, cols).lstrip("\ufeff"))
    elif fmt == "table":
        table(title, rows, ", ".join(cols))
    else:
        raise BadArguments(f"--format {fmt}: table, csv or json")


@app.command("mentions")
def mentions_command(
    entry: Annotated[
        str | None, typer.Argument(help="One watchlist entry: where it occurs.")
    ] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="office | unit | operation | system")
    ] = None,
    fmt: FormatOpt = "table",
    directory: DirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Watchlist mentions: counts per entry, or with ENTRY every page that names it."""
    inv = open_investigation(directory)
    if entry:
        kinds = [kind] if kind else ["operation", "system", "unit", "office"]
        rows = next((r for k in kinds if (r := ev.mentions_of(inv.db, kind=k, entry=entry))), [])
        cols: tuple[str, ...] = ("date", "key", "name", "page", "bates", "mentions")
        _emit(fmt, as_json, "pages", rows, cols, f"Pages mentioning {entry}")
        return
    rows = ev.mention_counts(inv.db, kind=kind)
    cols = ("kind", "entry", "documents", "pages", "mentions")
    _emit(fmt, as_json, "mentions", rows, cols, "Watchlist mentions")


@app.command("figures")
def figures_command(
    goals: Annotated[bool, typer.Option("--goals", help="Only targets, minimums, quotas.")] = False,
    totals: Annotated[
        bool, typer.Option("--totals", help="Per-office sums of released tables instead.")
    ] = False,
    k: Annotated[int, typer.Option("--k", min=1, help="Suppress sums below this.")] = DEFAULT_K,
    fmt: FormatOpt = "table",
    directory: DirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Figures in the records bound to their office and operation (or --totals)."""
    inv = open_investigation(directory)
    if totals:
        rows = [{**r, "total": suppress(r["total"], k)} for r in ev.table_total_rows(inv.db)]
        cols: tuple[str, ...] = ("document", "office", "measure", "total")
        _emit(fmt, as_json, "totals", rows, cols, f"Per-office totals (below {k} suppressed)")
        return
    rows = [r for r in ev.figure_rows(inv.db) if r["goal"] or not goals]
    cols = ("value", "high", "unit", "per", "goal", "office", "operation", "document", "page",
            "bates")  # fmt: skip
    _emit(fmt, as_json, "figures", rows, cols, "Figures")


@app.command("timeline")
def timeline_command(
    fmt: FormatOpt = "table", directory: DirOption = None, as_json: JsonOption = False
) -> None:
    """Record dates (memo dates, e-mail sent dates, report dates) with their pages."""
    inv = open_investigation(directory)
    rows = ev.timeline(inv.db)
    _emit(fmt, as_json, "timeline", rows, ("date", "source", "key", "name", "page"), "Timeline")
