"""`readingroom users`: the accounts of a shared reading room.

readingroom users add dana --role editor          # asks for the password twice
printf '%s\\n' "$PW" | readingroom users add sam --role viewer --password-stdin
readingroom users token sam                        # for Authorization: Bearer …
readingroom users list | remove NAME | passwd NAME | audit
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from readingroom import accounts
from readingroom.cli._options import DirOption, JsonOption, open_investigation
from readingroom.cli._output import err, print_json, table
from readingroom.errors import BadArguments
from readingroom.store import accounts as store
from readingroom.store import transaction

app = typer.Typer()
users = typer.Typer(help="Accounts for a shared reading room (serve --host other than 127.0.0.1).")
app.add_typer(users, name="users")

RoleOption = Annotated[str, typer.Option("--role", help="viewer, editor or admin")]
StdinOption = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin.")
]


def _password(stdin: bool) -> str:
    if stdin:
        line = sys.stdin.readline()
        if not line:
            raise BadArguments("--password-stdin: stdin is empty; pipe the password in")
        return line.rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@users.command("add")
def add_command(
    name: str, role: RoleOption, password_stdin: StdinOption = False, dir_option: DirOption = None
) -> None:
    """Add an account: viewer (read, search), editor (+ risky originals), admin (+ audit log)."""
    inv = open_investigation(dir_option)
    password = _password(password_stdin)
    with transaction(inv.db):
        accounts.add_user(inv.db, name, role, password)
    err.print(f"readingroom: added {name} ({role})")


@users.command("list")
def list_command(json_output: JsonOption = False, dir_option: DirOption = None) -> None:
    """Every account with its role and how many API tokens it has."""
    rows = store.list_users(open_investigation(dir_option).db)
    if json_output:
        print_json(rows)
    elif not rows:
        err.print(
            "readingroom: no accounts yet; add one with: readingroom users add NAME --role admin"
        )
    else:
        table("Accounts", rows, "Name=name, Role=role, API tokens=tokens, Added=created_at")


@users.command("remove")
def remove_command(name: str, dir_option: DirOption = None) -> None:
    """Remove an account with its sessions and API tokens."""
    inv = open_investigation(dir_option)
    with transaction(inv.db):
        if not store.delete_user(inv.db, name=name):
            raise BadArguments(f"no user named {name}")
    err.print(f"readingroom: removed {name}; their sessions and tokens no longer work")


@users.command("passwd")
def passwd_command(
    name: str, password_stdin: StdinOption = False, dir_option: DirOption = None
) -> None:
    """Set a new password; the account's open sessions end."""
    inv = open_investigation(dir_option)
    password = _password(password_stdin)
    with transaction(inv.db):
        accounts.set_password(inv.db, name, password)
    err.print(f"readingroom: new password set for {name}")


@users.command("token")
def token_command(name: str, dir_option: DirOption = None) -> None:
    """Print a new API token for scripts: send it as `Authorization: Bearer <token>`."""
    inv = open_investigation(dir_option)
    with transaction(inv.db):
        token = accounts.issue_token(inv.db, name)
    typer.echo(token)
    err.print("readingroom: shown once; it is stored only as a digest")


@users.command("audit")
def audit_command(
    limit: Annotated[int, typer.Option(min=1, max=1_000_000)] = 50,
    action: Annotated[
        str | None, typer.Option(help="only this action, e.g. download-original")
    ] = None,
    json_output: JsonOption = False,
    dir_option: DirOption = None,
) -> None:
    """The audit log, newest first: sign-ins, searches, documents read, originals downloaded."""
    rows = store.audit_log(open_investigation(dir_option).db, limit=limit, action=action)
    if json_output:
        print_json(rows)
    else:
        table(
            "Audit log", rows, "When=at, Who=user, Role=role, From=ip, Action=action, What=target"
        )
