"""`readingroom serve`: the reading room in the browser, on this machine only by default."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        directory: Annotated[
            Path | None,
            typer.Argument(
                help="Investigation folder (default: READINGROOM_DIR or the current one)."
            ),
        ] = None,
        host: Annotated[
            str, typer.Option(help="Address to listen on; keep 127.0.0.1 unless you mean to share.")
        ] = "127.0.0.1",
        port: Annotated[int, typer.Option(min=1, max=65535)] = 8023,
    ) -> None:
        """Serve search, the document viewer and the JSON API (/api/docs)."""
        import uvicorn

        from readingroom.web import create_app

        web_app = create_app(directory)
        typer.echo(
            f"readingroom: serving {web_app.state.inv.root} at http://{host}:{port}/", err=True
        )
        uvicorn.run(web_app, host=host, port=port, log_level="warning")
