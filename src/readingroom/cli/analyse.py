"""`readingroom analyse` and the commands that show what the analysers found.

Each is a thin call into readingroom.analyse; `--json` prints the same data
for scripts. Text recovered from under bad redactions is never printed
unless `redactions --reveal` is given explicitly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from readingroom.investigation import Investigation

Dir = Annotated[Path | None, typer.Option("--dir", "-d", help="Investigation folder.")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]
out = Console(highlight=False, soft_wrap=True)


def _json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _table(title: str, cols: list[str], rows: list[list[Any]]) -> None:
    t = Table(title=title, title_justify="left")
    for c in cols:
        t.add_column(c)
    for r in rows:
        t.add_row(*("" if v is None else str(v) for v in r))
    out.print(t)


def register(app: typer.Typer) -> None:
    @app.command("analyse")
    def analyse_command(
        only: Annotated[list[str] | None, typer.Option("--only", help="Analyser name.")] = None,
        force: Annotated[bool, typer.Option(help="Re-run even where up to date.")] = False,
        workers: Annotated[int, typer.Option(min=0, help="Worker processes (0: here).")] = 0,
        as_json: Json = False,
        directory: Dir = None,
    ) -> None:
        """Run the analysers (Bates, exemptions, offices, redactions, e-mails) where needed."""
        from concurrent.futures import ProcessPoolExecutor

        from readingroom.analyse import run_all

        inv = Investigation.open(directory)
        ex = ProcessPoolExecutor(workers) if workers > 0 else None
        try:
            report = run_all(inv, only=only or None, force=force, executor=ex)
        finally:
            if ex:
                ex.shutdown()
        if as_json:
            _json(report.__dict__)
            return
        out.print(
            f"analysed [bold]{report.documents}[/] documents, {report.pages} pages "
            f"in {report.seconds:.1f} s; " + ", ".join(f"{k}: {v}" for k, v in report.runs.items())
        )
        for f in report.failed:
            out.print(
                f"[red]failed[/] {f['analyser']} on document {f['document_id']}: {f['error']}"
            )
        if report.failed:
            raise typer.Exit(1)

    @app.command("bates")
    def bates_command(
        production: Annotated[str | None, typer.Option()] = None,
        as_json: Json = False,
        directory: Dir = None,
    ) -> None:
        """Bates ranges per production and document, with gaps, duplicates, out-of-order pages."""
        from readingroom.analyse.report import bates_report

        data = bates_report(Investigation.open(directory).db, production)
        if as_json:
            return _json(data)
        _table(
            "Bates ranges by production",
            ["production", "first", "last", "stamped", "missing", "unverified", "duplicates"],
            [
                [
                    p["production"],
                    p["first"],
                    p["last"],
                    p["stamped"],
                    p["missing"],
                    sum(g["pages"] for g in p["unverified"]),
                    len(p["duplicates"]),
                ]
                for p in data["productions"]
            ],
        )
        for p in data["productions"]:
            for g in p["gaps"]:
                part = (
                    f"; {g['unstamped_here']} pages without a readable stamp here"
                    if g["unstamped_here"]
                    else ""
                )
                out.print(f"[yellow]gap[/] {g['from']} .. {g['to']} ({g['pages']} pages{part})")
            for g in p["unverified"]:
                out.print(
                    f"[cyan]unverified[/] {g['from']} .. {g['to']}: {g['unstamped_here']} "
                    f"page{'s' if g['unstamped_here'] != 1 else ''} without a readable stamp here"
                )
            for d in p["duplicates"]:
                out.print(f"[yellow]duplicate[/] {d['bates']} in {', '.join(d['documents'])}")
        for d in data["documents"]:
            for o in d["out_of_order"]:
                out.print(
                    f"[yellow]out of order[/] {d['document']} p.{o['page']}: "
                    f"{o['bates']} after {o['after']}"
                )
        out.print(f"{data['unstamped_pages']} PDF/image pages carry no readable stamp")

    @app.command("exemptions")
    def exemptions_command(as_json: Json = False, directory: Dir = None) -> None:
        """Exemption marks counted by production and code, by office; withheld pages."""
        from readingroom.analyse.report import exemption_report

        data = exemption_report(Investigation.open(directory).db)
        if as_json:
            return _json(data)
        _table(
            "Exemptions by production",
            ["production", "code", "marks", "pages", "documents"],
            [
                [r["production"], r["display"], r["marks"], r["pages"], r["documents"]]
                for r in data["by_production"]
            ],
        )
        _table(
            "Exemptions by office",
            ["office", "code", "marks"],
            [[r["office"], r["display"], r["marks"]] for r in data["by_office"]],
        )
        _table(
            "Pages withheld in full",
            ["document", "page", "Bates", "reason", "codes"],
            [
                [r["document"], r["page"], r["bates"], r["reason"], r["codes"]]
                for r in data["withheld"]
            ],
        )

    @app.command("redactions")
    def redactions_command(
        reveal: Annotated[
            bool,
            typer.Option(
                "--reveal", help="Print the text still under bad redactions (handle with care)."
            ),
        ] = False,
        as_json: Json = False,
        directory: Dir = None,
    ) -> None:
        """Redaction boxes per document; bad redactions, unlabelled boxes, labels with no box."""
        from readingroom.analyse.redactions import reveal_from_original
        from readingroom.analyse.report import redaction_report

        inv = Investigation.open(directory)
        data = redaction_report(inv.db)
        if reveal:
            for b in data["bad"]:
                sha = inv.db.execute(
                    "SELECT sha256 FROM documents WHERE id = ?", (b["document_id"],)
                ).fetchone()[0]
                b["text_under"] = reveal_from_original(
                    inv.blobs.path(sha), b["page"], (b["x0"], b["y0"], b["x1"], b["y1"])
                )
        if as_json:
            return _json(data)
        _table(
            "Redaction boxes",
            ["document", "boxes", "area pt²", "bad", "unlabelled"],
            [
                [r["document"], r["boxes"], r["area"], r["bad"], r["unlabelled"]]
                for r in data["documents"]
            ],
        )
        for b in data["bad"]:
            extra = f": {b['text_under']!r}" if reveal else " (use --reveal to see it)"
            out.print(
                f"[red]bad redaction[/] {b['document']} p.{b['page']} {b['bates'] or ''} "
                f"box ({b['x0']:.0f},{b['y0']:.0f})-({b['x1']:.0f},{b['y1']:.0f}): "
                f"{b['covered_words']} words still in the text layer{extra}"
            )
        out.print(
            f"{len(data['unlabelled'])} boxes carry no exemption label; "
            f"{len(data['labels_without_box'])} labels have no box"
        )

    @app.command("emails")
    def emails_command(
        thread: Annotated[str | None, typer.Option()] = None,
        printed: Annotated[
            bool, typer.Option("--printed", help="Only printed e-mail, not .eml/.mbox/.msg.")
        ] = False,
        as_json: Json = False,
        directory: Dir = None,
    ) -> None:
        """E-mail messages (printed, and native marked as such) as threads, in time order."""
        from readingroom.analyse.report import email_report

        data = email_report(
            Investigation.open(directory).db, thread=thread, origin="printed" if printed else None
        )
        if as_json:
            return _json(data)
        for t in data["threads"]:
            out.print(
                f"[bold]{t['subject'] or t['thread']}[/] ({len(t['messages'])} messages,"
                f" {t['copies']} repeated copies)"
            )
            for m in t["messages"]:
                kind = "native " if m["origin"] == "native" else "printed"
                out.print(
                    f"  {m['sent'] or '?':16}  [dim]{kind}[/]  {m['sender'] or '?'} → "
                    f"{m['recipients'] or ''}  [dim]{m['document']} p.{m['page']} "
                    f"{m['bates'] or ''}[/]"
                )
        out.print(f"{data['printed']} printed messages, {data['native']} native")
        _table(
            "Printed messages by office",
            ["office", "messages"],
            list(map(list, data["by_office"].items())),
        )

    @app.command("evaluate")
    def evaluate_command(
        corpus: Annotated[Path | None, typer.Option(help="Shared corpus folder.")] = None,
        as_json: Json = False,
    ) -> None:
        """Print the analysers' accuracy: x-ray files, noisy generated pages, demo production."""
        from readingroom.analyse.evaluate import run_evaluation

        data = run_evaluation(corpus)
        if as_json:
            return _json(data)
        for name, r in data.items():
            if r is None:
                out.print(f"{name}: skipped (input absent)")
            elif "precision" in r:
                exact = ""
                if "exact" in r:
                    exact = (
                        f"; header fields exactly right {r['exact']}/{r['messages']}"
                        f" = {r['exact_share']:.3f}"
                    )
                out.print(
                    f"{name}: precision {r['precision']:.3f} recall {r['recall']:.3f} "
                    f"(tp {r['tp']}, fp {r['fp']}, fn {r['fn']}){exact}"
                )
            else:
                out.print(f"{name}: {r}")
