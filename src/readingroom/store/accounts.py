"""Accounts, sessions, API tokens and the audit log: the store's contract for them.

Keyword arguments in, plain dicts out, like every store module; secrets come
in already hashed (`readingroom.accounts` hashes them), so no SQL here sees a
password or a live token.
"""

from __future__ import annotations

import sqlite3
from typing import Any

__all__ = [
    "add_token",
    "add_user",
    "audit",
    "audit_log",
    "count_users",
    "delete_session",
    "delete_user",
    "get_user",
    "list_users",
    "new_session",
    "session_user",
    "set_password",
    "token_user",
]

_USER = "u.id, u.name, u.role, u.created_at"


def add_user(conn: sqlite3.Connection, *, name: str, role: str, password_hash: str) -> int:
    cur = conn.execute(
        "INSERT INTO users (name, role, password_hash) VALUES (?, ?, ?)",
        (name, role, password_hash),
    )
    return int(cur.lastrowid or 0)


def get_user(conn: sqlite3.Connection, *, name: str) -> dict[str, Any] | None:
    """A user with the password hash, for login and the CLI."""
    row = conn.execute(
        f"SELECT {_USER}, u.password_hash FROM users u WHERE u.name = ?", (name,)
    ).fetchone()
    return dict(row) if row else None


def list_users(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in conn.execute(
            f"SELECT {_USER}, (SELECT count(*) FROM api_tokens t WHERE t.user_id = u.id) AS tokens"
            " FROM users u ORDER BY u.name"
        )
    ]


def count_users(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM users").fetchone()[0])


def delete_user(conn: sqlite3.Connection, *, name: str) -> bool:
    """Remove a user with their sessions and tokens; False when there is none."""
    row = conn.execute("SELECT id FROM users WHERE name = ?", (name,)).fetchone()
    if row is None:
        return False
    conn.execute("DELETE FROM sessions WHERE user_id = ?", (row[0],))
    conn.execute("DELETE FROM api_tokens WHERE user_id = ?", (row[0],))
    conn.execute("DELETE FROM users WHERE id = ?", (row[0],))
    return True


def set_password(conn: sqlite3.Connection, *, name: str, password_hash: str) -> bool:
    """New password; every session of the user ends with the old one."""
    cur = conn.execute(
        "UPDATE users SET password_hash = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')"
        " WHERE name = ?",
        (password_hash, name),
    )
    conn.execute(
        "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)", (name,)
    )
    return cur.rowcount > 0


def add_token(conn: sqlite3.Connection, *, name: str, token_hash: str) -> bool:
    cur = conn.execute(
        "INSERT INTO api_tokens (token_hash, user_id) SELECT ?, id FROM users WHERE name = ?",
        (token_hash, name),
    )
    return cur.rowcount > 0


def token_user(conn: sqlite3.Connection, *, token_hash: str) -> dict[str, Any] | None:
    row = conn.execute(
        f"SELECT {_USER} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?",
        (token_hash,),
    ).fetchone()
    return dict(row) if row else None


def new_session(
    conn: sqlite3.Connection, *, id_hash: str, user_id: int, csrf: str, expires_at: str
) -> None:
    conn.execute("DELETE FROM sessions WHERE expires_at < strftime('%Y-%m-%dT%H:%M:%SZ','now')")
    conn.execute(
        "INSERT INTO sessions (id_hash, user_id, csrf, expires_at) VALUES (?, ?, ?, ?)",
        (id_hash, user_id, csrf, expires_at),
    )


def session_user(conn: sqlite3.Connection, *, id_hash: str) -> dict[str, Any] | None:
    """The user of a live session, with the session's CSRF token."""
    row = conn.execute(
        f"SELECT {_USER}, s.csrf FROM sessions s JOIN users u ON u.id = s.user_id"
        " WHERE s.id_hash = ? AND s.expires_at > strftime('%Y-%m-%dT%H:%M:%SZ','now')",
        (id_hash,),
    ).fetchone()
    return dict(row) if row else None


def delete_session(conn: sqlite3.Connection, *, id_hash: str) -> None:
    conn.execute("DELETE FROM sessions WHERE id_hash = ?", (id_hash,))


def audit(
    conn: sqlite3.Connection,
    *,
    user: str,
    role: str | None,
    ip: str | None,
    action: str,
    target: str | None = None,
    detail: str | None = None,
) -> None:
    conn.execute(
        "INSERT INTO audit_log (user, role, ip, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)",
        (user, role, ip, action, target, detail),
    )


def audit_log(
    conn: sqlite3.Connection, *, limit: int = 500, offset: int = 0, action: str | None = None
) -> list[dict[str, Any]]:
    """Newest first."""
    where, params = ("WHERE action = ?", [action]) if action else ("", [])
    return [
        dict(r)
        for r in conn.execute(
            f"SELECT id, at, user, role, ip, action, target, detail FROM audit_log {where}"
            " ORDER BY id DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
    ]
