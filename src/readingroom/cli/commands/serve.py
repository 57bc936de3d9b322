"""`readingroom serve`: the reading room in the browser, on this machine only by default.

On loopback the room is login-free, as a desktop program is. Bound to any
other address it serves other people, so it refuses to start until an
account exists (`readingroom users add`) and then asks everyone to sign in.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Annotated

import typer

from readingroom.cli._options import DirOption, folder
from readingroom.cli._output import err
from readingroom.errors import BadArguments

app = typer.Typer()


def _bind(host: str, port: int) -> socket.socket:
    """Bind before printing the URL, so a busy port fails first and says so."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        reason = "is already in use" if e.errno == 98 else f"cannot be used ({e.strerror})"
        raise BadArguments(f"port {port} on {host} {reason}; pick another with --port") from None
    sock.listen(128)
    return sock


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
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            help="Another name people use to reach this server (repeatable); "
            "loopback, the bound address and this machine's names are always allowed.",
        ),
    ] = None,
    dir_option: DirOption = None,
) -> None:
    """Serve search, the document viewer and the JSON API (/api/openapi.json)."""
    import uvicorn

    from readingroom.investigation import Investigation
    from readingroom.store.accounts import count_users
    from readingroom.web import create_app
    from readingroom.web.security import is_loopback

    root = folder(directory, dir_option)
    shared = not is_loopback(host)
    if shared:
        inv = Investigation.open(root)
        users = count_users(inv.db)
        inv.close()
        if users == 0:
            raise BadArguments(
                f"refusing to serve on {host}: anyone who can reach it could read every "
                "document and download the originals. Add an account first: "
                "readingroom users add NAME --role admin"
            )
    sock = _bind(host, port)
    web_app = create_app(root, require_login=shared, host=host, allowed_hosts=allow_host or ())
    shown = f"[{host}]" if ":" in host else host
    err.print(f"readingroom: serving {web_app.state.inv.root} at http://{shown}:{port}/")
    if shared:
        err.print("readingroom: accounts are required; people sign in at /login")
    config = uvicorn.Config(web_app, log_level="warning")
    uvicorn.Server(config).run(sockets=[sock])
