"""`readingroom tag` and `readingroom tags`: label documents and pages for the team."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from readingroom.cli._options import DirOption, JsonOption, open_investigation
from readingroom.cli._output import err, out, plural, print_json, table
from readingroom.errors import BadArguments
from readingroom.store import evidence as ev
from readingroom.store import reading, transaction

app = typer.Typer()


@app.command("tag")
def tag_command(
    documents: Annotated[
        list[str], typer.Argument(help="Documents: permanent id (12 hex) or unambiguous file name.")
    ],
    add: Annotated[str | None, typer.Option("--add", help="Tag to add.")] = None,
    remove: Annotated[str | None, typer.Option("--remove", help="Tag to remove.")] = None,
    page: Annotated[
        int | None, typer.Option("--page", help="Tag one page, not the document.")
    ] = None,
    directory: DirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add or remove a tag on documents (or on one page of each)."""
    if (add is None) == (remove is None):
        raise BadArguments("give exactly one of --add TAG or --remove TAG")
    inv = open_investigation(directory)
    resolved = [reading.resolve_document(inv.db, ref=d) for d in documents]
    changed = []
    with transaction(inv.db):
        for doc in resolved:
            if add is not None:
                done = ev.add_tag(inv.db, document_id=doc["document_id"], page=page, tag=add)
            else:
                done = ev.remove_tag(
                    inv.db, document_id=doc["document_id"], page=page, tag=remove or ""
                )
            changed.append({**doc, "changed": done})
    if as_json:
        print_json(
            {"tag": add or remove, "action": "add" if add else "remove", "documents": changed}
        )
        return
    n = sum(1 for c in changed if c["changed"])
    verb = "tagged" if add else "untagged"
    err.print(f"{verb} {plural(n, 'document')} ({escape(add or remove or '')})")


@app.command("tags")
def tags_command(
    tag: Annotated[str | None, typer.Argument(help="List the documents with this tag.")] = None,
    directory: DirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every tag and how many documents carry it; with TAG, those documents."""
    inv = open_investigation(directory)
    if tag:
        docs = ev.documents_with_tag(inv.db, tag=tag)
        if as_json:
            print_json({"tag": tag, "documents": docs})
        else:
            table(f"Tagged {tag}", docs, "id=key, document=name, pages")
        return
    counts = ev.tag_counts(inv.db)
    if as_json:
        print_json({"tags": counts})
    elif not counts:
        out.print("no tags yet")
    else:
        table("Tags", counts, "tag, documents, uses")


@app.command("note")
def note_command(
    document: Annotated[str, typer.Argument(help="Permanent id (12 hex) or file name.")],
    text: Annotated[str, typer.Argument(help="The note.")],
    page: Annotated[int | None, typer.Option("--page", help="A note on one page.")] = None,
    directory: DirOption = None,
) -> None:
    """Add a note to a document or one of its pages."""
    inv = open_investigation(directory)
    doc = reading.resolve_document(inv.db, ref=document)
    with transaction(inv.db):
        ev.add_note(inv.db, document_id=doc["document_id"], page=page, body=text)
    err.print(f"note added to {doc['key']}" + (f" p.{page}" if page else ""))


@app.command("notes")
def notes_command(
    document: Annotated[str, typer.Argument(help="Permanent id (12 hex) or file name.")],
    directory: DirOption = None,
    as_json: JsonOption = False,
) -> None:
    """A document's tags and notes."""
    inv = open_investigation(directory)
    doc = reading.resolve_document(inv.db, ref=document)
    notes = ev.notes_of(inv.db, document_id=doc["document_id"])
    tags = ev.tags_of(inv.db, document_id=doc["document_id"])
    if as_json:
        print_json({**doc, "tags": tags, "notes": notes})
        return
    out.print(f"{escape(doc['name'])} ({doc['key']})")
    if tags:
        out.print("tags: " + ", ".join(escape(t["tag"] + (f" (p.{t['page']})" if t["page"] else ""))
                                        for t in tags))  # fmt: skip
    for n in notes:
        where = f"p.{n['page']}" if n["page"] else "document"
        out.print(f"  {where}: {escape(n['body'])}")
