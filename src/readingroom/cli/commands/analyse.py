"""`readingroom analyse` and the commands that show what the analysers found.

Each is a thin call into readingroom.analyse; `--json` prints the same data
for scripts. Text recovered from under bad redactions is never printed
unless `redactions --reveal` is given explicitly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from readingroom.cli._options import DirOption, JsonOption, cli_user, open_investigation
from readingroom.cli._output import out, plural, print_json, table
from readingroom.store.documents import get_document

app = typer.Typer()


@app.command("analyse")
def analyse_command(
    only: Annotated[list[str] | None, typer.Option("--only", help="Analyser name.")] = None,
    force: Annotated[bool, typer.Option(help="Re-run even where up to date.")] = False,
    workers: Annotated[int, typer.Option(min=0, help="Worker processes (0: here).")] = 0,
    as_json: JsonOption = False,
    directory: DirOption = None,
) -> None:
    """Run the analysers (Bates, exemptions, offices, redactions, e-mails) where needed."""
    from concurrent.futures import ProcessPoolExecutor

    from readingroom.analyse import run_all

    inv = open_investigation(directory)
    ex = ProcessPoolExecutor(workers) if workers > 0 else None
    try:
        report = run_all(inv, only=only or None, force=force, executor=ex)
    finally:
        if ex:
            ex.shutdown()
    if as_json:
        print_json(report.__dict__)
        return
    out.print(
        f"analysed [bold]{plural(report.documents, 'document')}[/], "
        f"{plural(report.pages, 'page')} in {report.seconds:.1f} s; "
        + ", ".join(f"{k}: {v}" for k, v in report.runs.items())
    )
    for f in report.failed:
        out.print(f"[red]failed[/] {f['analyser']} on document {f['document_id']}: {f['error']}")
    if report.failed:
        raise typer.Exit(1)


@app.command("bates")
def bates_command(
    production: Annotated[str | None, typer.Option()] = None,
    as_json: JsonOption = False,
    directory: DirOption = None,
) -> None:
    """Bates ranges per production and document, with gaps, duplicates, out-of-order pages."""
    from readingroom.analyse.report import bates_report

    data = bates_report(open_investigation(directory).db, production)
    if as_json:
        return print_json(data)
    rows = [
        {
            **p,
            "unverified": sum(g["pages"] for g in p["unverified"]),
            "duplicates": len(p["duplicates"]),
        }
        for p in data["productions"]
    ]
    columns = "production, first, last, stamped, missing, unverified, duplicates"
    table("Bates ranges by production", rows, columns)
    for p in data["productions"]:
        for g in p["gaps"]:
            part = (
                f"; {plural(g['unstamped_here'], 'page')} without a readable stamp here"
                if g["unstamped_here"]
                else ""
            )
            pages = plural(g["pages"], "page")
            out.print(f"[yellow]gap[/] {g['from']} .. {g['to']} ({pages}{part})")
        for g in p["unverified"]:
            out.print(
                f"[cyan]unverified[/] {g['from']} .. {g['to']}: "
                f"{plural(g['unstamped_here'], 'page')} without a readable stamp here"
            )
        for d in p["duplicates"]:
            out.print(f"[yellow]duplicate[/] {d['bates']} in {', '.join(d['documents'])}")
    for d in data["documents"]:
        for o in d["out_of_order"]:
            out.print(
                f"[yellow]out of order[/] {d['document']} p.{o['page']}: "
                f"{o['bates']} after {o['after']}"
            )
    n = data["unstamped_pages"]
    out.print(f"{plural(n, 'PDF/image page')} {'carries' if n == 1 else 'carry'} no readable stamp")


@app.command("exemptions")
def exemptions_command(as_json: JsonOption = False, directory: DirOption = None) -> None:
    """Exemption marks counted by production and code, by office; withheld pages."""
    from readingroom.analyse.report import exemption_report

    data = exemption_report(open_investigation(directory).db)
    if as_json:
        return print_json(data)
    table(
        "Exemptions by production",
        data["by_production"],
        "production, code=display, marks, pages, documents",
    )
    table("Exemptions by office", data["by_office"], "office, code=display, marks")
    table("Pages withheld in full", data["withheld"], "document, page, Bates=bates, reason, codes")


@app.command("redactions")
def redactions_command(
    reveal: Annotated[
        bool,
        typer.Option(
            "--reveal", help="Print the text still under bad redactions (handle with care)."
        ),
    ] = False,
    as_json: JsonOption = False,
    directory: DirOption = None,
) -> None:
    """Redaction boxes per document; bad redactions, unlabelled boxes, labels with no box."""
    from readingroom.analyse.analysers.redactions import reveal_from_original
    from readingroom.analyse.report import redaction_report

    inv = open_investigation(directory)
    data = redaction_report(inv.db)
    if reveal:
        from readingroom.store import accounts as audit_store
        from readingroom.store import transaction

        keys = set()
        for b in data["bad"]:
            original = get_document(inv.db, document_id=b["document_id"])
            assert original is not None  # the box's document is in the same database
            b["text_under"] = reveal_from_original(
                inv.blobs.path(original["sha256"]), b["page"], (b["x0"], b["y0"], b["x1"], b["y1"])
            )
            keys.add(original["sha256"][:12])
        if keys:  # who read text an agency meant to withhold, as the web's reveals are logged
            with transaction(inv.db):
                audit_store.audit(
                    inv.db, user=cli_user(), role="cli", ip=None, action="reveal-redactions",
                    target=",".join(sorted(keys)), detail=f"{len(data['bad'])} bad redactions",
                )  # fmt: skip
    if as_json:
        return print_json(data)
    table(
        "Redaction boxes",
        data["documents"],
        "document, boxes, area pt²=area, bad, unlabelled",
    )
    for b in data["bad"]:
        extra = f": {b['text_under']!r}" if reveal else " (use --reveal to see it)"
        out.print(
            f"[red]bad redaction[/] {b['document']} p.{b['page']} {b['bates'] or ''} "
            f"box ({b['x0']:.0f},{b['y0']:.0f})-({b['x1']:.0f},{b['y1']:.0f}): "
            f"{plural(b['covered_words'], 'word')} still in the text layer{extra}"
        )
    boxes, labels = len(data["unlabelled"]), len(data["labels_without_box"])
    out.print(
        f"{plural(boxes, 'box', 'boxes')} {'carries' if boxes == 1 else 'carry'} no exemption"
        f" label; {plural(labels, 'label')} {'has' if labels == 1 else 'have'} no box"
    )


@app.command("emails")
def emails_command(
    thread: Annotated[str | None, typer.Option()] = None,
    printed: Annotated[
        bool, typer.Option("--printed", help="Only printed e-mail, not .eml/.mbox/.msg.")
    ] = False,
    as_json: JsonOption = False,
    directory: DirOption = None,
) -> None:
    """E-mail messages (printed, and native marked as such) as threads, in time order."""
    from readingroom.analyse.report import email_report

    data = email_report(
        open_investigation(directory).db, thread=thread, origin="printed" if printed else None
    )
    if as_json:
        return print_json(data)
    for t in data["threads"]:
        out.print(
            f"[bold]{t['subject'] or t['thread']}[/] ({plural(len(t['messages']), 'message')},"
            f" {plural(t['copies'], 'repeated copy', 'repeated copies')})"
        )
        for m in t["messages"]:
            kind = "native " if m["origin"] == "native" else "printed"
            out.print(
                f"  {m['sent'] or '?':16}  [dim]{kind}[/]  {m['sender'] or '?'} → "
                f"{m['recipients'] or ''}  [dim]{m['document']} p.{m['page']} "
                f"{m['bates'] or ''}[/]"
            )
    out.print(f"{data['printed']} printed messages, {data['native']} native")
    table(
        "Printed messages by office",
        [{"office": k, "messages": v} for k, v in data["by_office"].items()],
        "office, messages",
    )


@app.command("evaluate")
def evaluate_command(
    corpus: Annotated[Path | None, typer.Option(help="Shared corpus folder.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Print the analysers' accuracy: real pages labelled by hand (tests/truth), x-ray
    files, noisy generated pages, the demo production."""
    from readingroom.analyse.evaluate import run_evaluation

    data = run_evaluation(corpus)
    if as_json:
        return print_json(data)
    for name, r in data.items():
        if r is None:
            out.print(f"{name}: skipped (input absent)")
        elif {"precision", "recall", "tp", "fp", "fn"} <= r.keys():
            exact = ""
            if "exact" in r:
                exact = (
                    f"; header fields exactly right {r['exact']}/{r['messages']}"
                    f" = {r['exact_share']:.3f}"
                )
            if "dates" in r:
                exact += (
                    f"; ISO date for {r['dates_iso']}/{r['dates']} legible dates"
                    f" = {r['dates_share']:.3f}, {r['dates_wrong']} wrong"
                )
            out.print(
                f"{name}: precision {r['precision']:.3f} recall {r['recall']:.3f} "
                f"(tp {r['tp']}, fp {r['fp']}, fn {r['fn']}){exact}"
            )
        else:
            figures = ", ".join(f"{k} {v}" for k, v in r.items() if k != "misses")
            out.print(f"{name}: {figures}")
            for m in r.get("misses", [])[:3]:
                out.print(f"  [dim]{m}[/]")
