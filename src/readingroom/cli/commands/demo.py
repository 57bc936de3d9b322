"""`readingroom demo DIR`: write the fictional sample production and its ground truth."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from readingroom.cli._options import DirOption, JsonOption, required_folder
from readingroom.cli._output import err, print_json

app = typer.Typer()


@app.command("demo")
def demo_command(
    directory: Annotated[
        Path | None, typer.Argument(help="Folder to write into (created), or --dir.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Same seed, same bytes.")] = 7,
    scale: Annotated[
        int, typer.Option(min=1, help="Multiplies memos, e-mail chains and scans.")
    ] = 1,
    dir_option: DirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write a FICTIONAL FOIA production to DIR/production and its truth to DIR/truth.json."""
    from readingroom.demo import generate  # PyMuPDF and numpy only when asked for

    directory = required_folder(directory, dir_option)
    started = time.monotonic()
    manifest = generate(directory, seed=seed, scale=scale)
    summary = manifest["summary"]
    table = Table(title="Fictional demo production", show_header=True)
    table.add_column("kind")
    table.add_column("files", justify="right")
    table.add_column("pages", justify="right")
    kinds: dict[str, list[int]] = {}
    for f in manifest["files"]:
        row = kinds.setdefault(f["kind"], [0, 0])
        row[0] += 1
        row[1] += f["page_count"] or 0
    for kind, (files, pages) in sorted(kinds.items()):
        table.add_row(kind, str(files), str(pages) if pages else "–")
    err.print(table)
    err.print(
        f"{summary['files']} files, {summary['pages']} pages "
        f"({summary['scanned_pages']} scanned), Bates {manifest['bates']['first']} – "
        f"{manifest['bates']['last']}, in {time.monotonic() - started:.1f} s\n"
        f"production: {directory / 'production'}\nground truth: {directory / 'truth.json'}"
    )
    if as_json:
        payload = {k: manifest[k] for k in ("schema", "seed", "scale", "bates", "summary")}
        payload["production"] = str(directory / "production")
        payload["truth"] = str(directory / "truth.json")
        print_json(payload)
