"""init, ingest, status, errors: building an investigation and asking what it holds."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from readingroom import status as status_mod
from readingroom.cli._options import DirOption, JsonOption, open_investigation, required_folder
from readingroom.cli._output import err, out, plural, print_json
from readingroom.errors import BadArguments, ExitCode
from readingroom.ingest.executor import BudgetedExecutor, default_memory_limit
from readingroom.ingest.model import OCR_TIMEOUT
from readingroom.ingest.names import printable
from readingroom.ingest.pipeline import IngestOptions, ingest, ingest_lock
from readingroom.investigation import Investigation

app = typer.Typer()


class RichProgress:
    """Files, pages and pages/s on stderr; silent when stderr is not a terminal."""

    def __init__(self, console: Console) -> None:
        self.bar = Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[pages]} pages · {task.fields[rate]} pages/s"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[doc]}"),
            console=console,
            disable=not console.is_terminal,
            transient=False,
        )
        self.task = self.bar.add_task("files", total=0, pages=0, rate="–", doc="")
        self.pages = 0
        self.started = time.monotonic()

    def __enter__(self) -> RichProgress:
        self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.__exit__(*exc)  # type: ignore[arg-type]

    def add_files(self, n: int) -> None:
        total = self.bar.tasks[0].total or 0
        self.bar.update(self.task, total=total + n)

    def file_done(self, pages: int) -> None:
        self.bar.advance(self.task)

    def pages_done(self, n: int) -> None:
        self.pages += n
        rate = self.pages / max(1e-6, time.monotonic() - self.started)
        self.bar.update(self.task, pages=self.pages, rate=f"{rate:.1f}")

    def document_pages(self, name: str, done: int, total: int) -> None:
        """A long document's own progress, so an hour-long scan does not look stuck."""
        short = printable(name)[-40:]
        self.bar.update(self.task, doc="" if done >= total else f"· {short}: {done}/{total}")


def _analyser_failed(error: BaseException, doc: object, names: list[str]) -> dict[str, str]:
    """What an analyser run that overran its budget (or killed its worker) records."""
    if isinstance(error, TimeoutError):
        why = "timeout: did not finish within the analyser budget (--analyse-timeout)"
    else:
        why = f"crash: the worker died ({type(error).__name__}: {error})"
    return {n: why for n in names}


@app.command()
def init(
    directory: Annotated[
        Path | None, typer.Argument(help="Folder to create the investigation in (or --dir).")
    ] = None,
    dir_option: DirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create an investigation folder (database, blob store, cache)."""
    folder = required_folder(directory, dir_option)
    existed = Investigation.exists(folder)
    # On an existing investigation this only applies pending migrations: like
    # `git init`, running it twice is safe and says what it did.
    inv = Investigation.create(folder)
    if as_json:
        print_json(
            {"investigation": str(inv.root), "database": str(inv.db_path), "created": not existed}
        )
    if existed:
        err.print(f"[bold]{inv.root}[/] is already an investigation; left as it was")
    else:
        err.print(f"Created investigation in [bold]{inv.root}[/]")


@app.command("ingest")
def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help="Files and folders to ingest")],
    production: Annotated[
        str | None, typer.Option(help="Name of the production these files belong to")
    ] = None,
    received: Annotated[
        str | None, typer.Option(help="Date the production was received (YYYY-MM-DD)")
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes")] = max(
        1, os.cpu_count() or 1
    ),
    ocr: Annotated[str, typer.Option(help="auto | always | never")] = "auto",
    ocr_engine: Annotated[str, typer.Option(help="OCR engine")] = "tesseract",
    languages: Annotated[str, typer.Option(help="Tesseract languages, e.g. eng+spa")] = "eng",
    timeout: Annotated[
        float,
        typer.Option(
            min=1, help="Seconds one file may take in all (every page); then it is recorded"
        ),
    ] = 1800,
    ocr_timeout: Annotated[
        float, typer.Option(min=1, help="Seconds Tesseract may take on one page")
    ] = OCR_TIMEOUT,
    retry_failed: Annotated[bool, typer.Option(help="Try failed files again")] = False,
    follow_symlinks: Annotated[
        bool, typer.Option(help="Also follow symlinks that lead outside the folders given")
    ] = False,
    analyse: Annotated[
        bool, typer.Option(help="Run the analysers on what is new (Bates, exemptions…)")
    ] = True,
    analyse_timeout: Annotated[
        float, typer.Option(min=1, help="Seconds the analysers may take on one document")
    ] = 600,
    directory: DirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Ingest files and folders: store originals, extract text, OCR where needed.

    Then the analysers run on the new documents, so facets are searchable and
    text found under bad redactions is masked before anyone reads it.
    """
    if ocr not in ("auto", "always", "never"):
        raise BadArguments(f"--ocr must be auto, always or never, not {ocr!r}")
    if received:
        try:
            date.fromisoformat(received)
        except ValueError:
            raise BadArguments(f"--received must be a date YYYY-MM-DD, not {received!r}") from None
    inv = open_investigation(directory)
    opts = IngestOptions(
        production=production,
        received=received,
        workers=workers,
        ocr=ocr,  # type: ignore[arg-type]
        ocr_engine=ocr_engine,
        ocr_languages=languages,
        timeout=timeout,
        ocr_timeout=ocr_timeout,
        retry_failed=retry_failed,
        follow_symlinks=follow_symlinks,
    )
    analysed = None
    # One ingest at a time, analysis included: a second run is refused, naming this one.
    with ingest_lock(inv):
        with RichProgress(err) as progress:
            report = ingest(inv, paths, opts, progress=progress)
        if analyse:
            from readingroom.analyse import run_all

            with (
                Progress(
                    TextColumn("[bold]analyse"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeRemainingColumn(),
                    console=err,
                    disable=not err.is_terminal,
                ) as bar,
            ):
                task = bar.add_task("documents", total=None)
                # In killable workers with a budget per document, so a hostile
                # document costs one recorded failure, not the run.
                pool = BudgetedExecutor(
                    workers,
                    analyse_timeout,
                    _analyser_failed,
                    memory_limit=default_memory_limit(workers),
                )
                try:
                    analysed = run_all(
                        inv,
                        executor=pool,
                        inflight=max(2, workers * 2),
                        progress=lambda done, total: bar.update(task, completed=done, total=total),
                    )
                finally:
                    pool.shutdown()
    if as_json:
        print_json(
            {
                "files": report.files,
                "documents": report.documents,
                "skipped": report.skipped,
                "duplicates": report.duplicates,
                "pages": report.pages,
                "failed": report.failed,
                "errors": report.errors,
                "seconds": round(report.seconds, 2),
                "pages_per_second": round(report.pages_per_second, 2),
                "analysed_documents": analysed.documents if analysed else 0,
            }
        )
    err.print(
        f"{plural(report.files, 'file')} · {plural(report.documents, 'document')} extracted · "
        f"{report.skipped} already done · {plural(report.pages, 'page')} "
        f"({report.pages_per_second:.1f}/s) · {plural(len(report.errors), 'error')} "
        f"in {report.seconds:.1f} s"
        + (f"; analysed {plural(analysed.documents, 'document')}" if analysed else "")
    )
    if analysed and analysed.failed:
        err.print(
            f"[yellow]{plural(len(analysed.failed), 'analyser run')} failed;[/] readingroom errors"
        )
    if report.errors:
        err.print(
            f"[yellow]{plural(len(report.errors), 'problem')}; list them with:[/]"
            " readingroom errors"
        )
        raise typer.Exit(int(ExitCode.some_files_failed))


@app.command("status")
def status_command(directory: DirOption = None, as_json: JsonOption = False) -> None:
    """What the investigation holds: documents, pages, productions, errors."""
    data = status_mod.status(open_investigation(directory))
    if as_json:
        print_json(data)
        return
    t = Table(title=f"readingroom · {data['investigation']}", show_header=False)
    t.add_row("documents", f"{data['documents']:,}")
    for k, v in sorted(data["documents_by_type"].items()):
        t.add_row(f"  {k}", f"{v:,}")
    t.add_row("pages", f"{data['pages']:,}")
    for k, v in sorted(data["pages_by_source"].items()):
        t.add_row(f"  from {k}", f"{v:,}")
    t.add_row(
        "pending / failed",
        f"{data['documents_by_status'].get('pending', 0)} / "
        f"{data['documents_by_status'].get('failed', 0)}",
    )
    t.add_row("errors", f"{data['errors']:,}")
    for p in data["productions"]:
        t.add_row(
            f"production {p['name']}",
            f"{plural(p['documents'], 'doc')}, {plural(p['pages'], 'page')}"
            + (f", received {p['received']}" if p["received"] else ""),
        )
    out.print(t)


@app.command("errors")
def errors_command(
    kind: Annotated[
        str | None, typer.Option(help="Only this kind (encrypted, corrupt, limit, timeout…)")
    ] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many")] = None,
    directory: DirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Files that could not be (fully) ingested, and why."""
    rows = status_mod.errors(open_investigation(directory), kind=kind, limit=limit)
    if as_json:
        print_json(rows)
        return
    if not rows:
        err.print("No errors.")
        return
    for r in rows:
        message = r["message"]
        if message.startswith(r["path"] + ": "):
            message = message[len(r["path"]) + 2 :]
        out.print(f"[bold]{r['kind']:<11}[/] {escape(printable(r['path']))}")
        out.print(f"{'':<11} {escape(printable(message))}")
    err.print(plural(len(rows), "error"))
