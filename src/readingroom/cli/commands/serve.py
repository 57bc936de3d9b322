"""`readingroom serve`: the reading room in the browser, on this machine only by default."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from readingroom.cli._options import DirOption, folder
from readingroom.cli._output import err

app = typer.Typer()


@app.command("serve")
def serve_command(
    directory: Annotated[
        Path | None,
        typer.Argument(help="Investigation folder, as an argument or with --dir."),
    ] = None,
    host: Annotated[
        str, typer.Option(help="Address to listen on; keep 127.0.0.1 unless you mean to share.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8023,
    dir_option: DirOption = None,
) -> None:
    """Serve search, the document viewer and the JSON API (/api/docs)."""
    import uvicorn

    from readingroom.web import create_app

    web_app = create_app(folder(directory, dir_option))
    err.print(f"readingroom: serving {web_app.state.inv.root} at http://{host}:{port}/")
    uvicorn.run(web_app, host=host, port=port, log_level="warning")
