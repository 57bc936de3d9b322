"""`readingroom report`: the findings, their verified quotes and the figures, as one file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from readingroom.cli._options import DirOption, open_investigation
from readingroom.cli._output import err
from readingroom.errors import BadArguments
from readingroom.evidence import report as rep

app = typer.Typer()


@app.command("report")
def report_command(
    fmt: Annotated[str, typer.Option("--format", help="html | md")] = "html",
    finding_status: Annotated[
        str | None,
        typer.Option("--finding-status", help="Only findings with this status (default: all)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    base_url: Annotated[
        str, typer.Option("--base-url", help="Where the reading room answers, for links.")
    ] = rep.DEFAULT_BASE_URL,
    k: Annotated[
        int, typer.Option("--k", min=1, help="Suppress aggregate counts below this.")
    ] = rep.DEFAULT_K,
    directory: DirOption = None,
) -> None:
    """Write the report; every quote is re-checked first, and a mismatch stops it (exit 1)."""
    if fmt not in ("html", "md"):
        raise BadArguments(f"--format {fmt}: html or md")
    inv = open_investigation(directory)
    data = rep.build(inv, status=finding_status, base_url=base_url, k=k, crops=fmt == "html")
    text = rep.html(data) if fmt == "html" else rep.markdown(data)
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8")
    err.print(f"report with {len(data['findings'])} findings written to {escape(str(output))}")
