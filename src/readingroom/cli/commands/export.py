"""`readingroom export --redact`: publishable copies with true redactions, verified."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from readingroom.cli._options import DirOption, JsonOption, open_investigation
from readingroom.cli._output import err, plural, print_json
from readingroom.errors import BadArguments
from readingroom.publish import audit as pa
from readingroom.publish.export import ExportOptions, export

app = typer.Typer()


@app.command("export")
def export_command(
    documents: Annotated[
        list[str] | None,
        typer.Argument(help="Documents: permanent id (12 hex) or unambiguous file name."),
    ] = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Folder to write into.")] = None,
    redact: Annotated[
        bool, typer.Option("--redact", help="Apply confirmed redactions (required).")
    ] = False,
    tag: Annotated[
        str | None, typer.Option("--tag", help="Export the documents with this tag.")
    ] = None,
    code: Annotated[
        str, typer.Option("--code", help="Label printed in each box drawn for an identifier.")
    ] = "(b)(6)",
    fixed_width: Annotated[
        float,
        typer.Option(
            "--fixed-width",
            help="Points: identifier boxes are whole multiples of this wide (hides name lengths).",
        ),
    ] = 0.0,
    no_ocr: Annotated[
        bool,
        typer.Option(
            "--no-ocr-check", help="Skip the Tesseract re-read (text layers still checked)."
        ),
    ] = False,
    directory: DirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write redacted, scrubbed PDFs and a manifest; refuse if anything confirmed stays readable."""
    if not redact:
        raise BadArguments("export writes redacted copies only: add --redact")
    if out_dir is None:
        raise BadArguments("name the folder to write into with --out OUT/")
    if not documents and not tag:
        raise BadArguments("name documents to export, or --tag TAG")
    if fixed_width < 0:
        raise BadArguments("--fixed-width must be 0 or more points")
    inv = open_investigation(directory)
    ids = pa.resolve_documents(inv.db, refs=documents or [], tag=tag)
    pending = [h for h in pa.audit(inv.db, document_ids=ids) if h["decision"] == "pending"]
    if pending:
        err.print(
            f"[yellow]warning:[/] {plural(len(pending), 'hit')} not yet reviewed"
            " stay in the export;"
            " review them with readingroom audit"
        )
    manifest = export(
        inv.db,
        inv.blobs.path,
        document_ids=ids,
        options=ExportOptions(out=out_dir, code=code, fixed_width=fixed_width, ocr=not no_ocr),
    )
    if as_json:
        print_json(manifest)
        return
    for d in manifest["documents"]:
        err.print(
            f"{escape(d['output'])}: {plural(len(d['removed']), 'box', 'boxes')} applied,"
            f" {plural(d['confirmed_identifiers'], 'identifier')} removed, verified by"
            f" {', '.join(d['verified']['methods'])}"
        )
    err.print(f"manifest: {escape(str(out_dir / 'manifest.json'))}")
