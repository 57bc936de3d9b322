"""`readingroom family`: a family's shared template and each member's local passages."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from readingroom.cli._options import DirOption, JsonOption, open_investigation
from readingroom.cli._output import out, plural, print_json

app = typer.Typer()

KIND = {
    "added": "[green]added[/]",
    "changed": "[yellow]changed[/]",
    "filled": "[cyan]filled[/]",
    "removed": "[red]removed[/]",
}


@app.command("family")
def family_command(
    document: Annotated[
        str | None, typer.Argument(help="Permanent id (12 hex) or unambiguous file name.")
    ] = None,
    cluster: Annotated[int | None, typer.Option("--cluster", min=1, help="Cluster N.")] = None,
    as_json: JsonOption = False,
    directory: DirOption = None,
) -> None:
    """What each member of a family added, dropped or changed against the shared template."""
    from readingroom.errors import BadArguments
    from readingroom.similar.clusters import family, refresh
    from readingroom.store.reading import resolve_document

    if (document is None) == (cluster is None):
        raise BadArguments("give a document (id or file name) or --cluster N, not both")
    inv = open_investigation(directory)
    refresh(inv.db)
    doc_id = resolve_document(inv.db, ref=document)["document_id"] if document else None
    data = family(inv.db, document_id=doc_id, cluster_no=cluster)
    if as_json:
        print_json(data)
        return
    n = len(data["members"])
    out.print(
        f"[bold]family {data['cluster']}[/]: {plural(n, 'member')}, "
        f"template of {plural(len(data['template']), 'section')} held by most members"
    )
    by_member: dict[str, list[dict]] = {}
    for lp in data["passages"]:
        by_member.setdefault(lp["member"], []).append(lp)
    for m in data["members"]:
        found = by_member.get(m["key"], [])
        out.print(
            f"\n[bold]{m['label'] or m['name']}[/] ({m['key']} {m['name']}): "
            f"{plural(len(found), 'local passage')}"
        )
        for lp in found:
            cite = (
                f"p.{lp['page']}" + (f", {lp['bates']}" if lp["bates"] else "")
                if lp["page"]
                else ""
            )
            text = lp["text"] if lp["kind"] != "removed" else lp["template_text"]
            out.print(f"  {KIND[lp['kind']]} §{lp['section'] or '-'} {cite}: {escape(text or '')}")
            for ch in lp["changes"][:4]:
                out.print(
                    f"      [dim]template “{escape(ch['template'])}” → “{escape(ch['member'])}”[/]"
                )
