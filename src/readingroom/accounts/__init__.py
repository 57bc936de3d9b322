"""People who share a reading room: roles, passwords, sessions, API tokens, throttling.

Passwords are hashed with Argon2id through argon2-cffi (the winner of the
Password Hashing Competition, maintained by the `attrs`/`structlog` author,
with wheels for every platform we run on; bcrypt would cap passwords at 72
bytes). Session ids and API tokens are 256-bit random strings stored as
SHA-256 digests. Everything SQL is in `readingroom.store.accounts`.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
import time
from collections import deque
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from readingroom.errors import BadArguments
from readingroom.store import accounts as store

__all__ = [
    "ROLES",
    "SESSION_HOURS",
    "Throttle",
    "add_user",
    "authenticate",
    "check_password",
    "has_role",
    "hash_secret",
    "issue_token",
    "start_session",
]

#: Each role can do what the ones before it can.
ROLES = ("viewer", "editor", "admin")
MIN_PASSWORD = 10
SESSION_HOURS = 12
_hasher = PasswordHasher()
#: Verifying against this keeps an unknown name as slow as a wrong password.
_DUMMY = _hasher.hash("readingroom-no-such-user")


def has_role(role: str | None, needed: str) -> bool:
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


def hash_secret(secret: str) -> str:
    """Digest of a random session id or token: what the store keeps."""
    return hashlib.sha256(secret.encode()).hexdigest()


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise BadArguments(f"the password must have at least {MIN_PASSWORD} characters")


def add_user(conn: sqlite3.Connection, name: str, role: str, password: str) -> None:
    if role not in ROLES:
        raise BadArguments(f"unknown role '{role}'; use one of: {', '.join(ROLES)}")
    if not name or len(name) > 64 or not name.isprintable() or name.strip() != name:
        raise BadArguments("a user name is 1–64 printable characters without spaces around")
    check_password(password)
    if store.get_user(conn, name=name) is not None:
        raise BadArguments(f"a user named {name} already exists")
    store.add_user(conn, name=name, role=role, password_hash=_hasher.hash(password))


def set_password(conn: sqlite3.Connection, name: str, password: str) -> None:
    check_password(password)
    if not store.set_password(conn, name=name, password_hash=_hasher.hash(password)):
        raise BadArguments(f"no user named {name}")


def authenticate(conn: sqlite3.Connection, name: str, password: str) -> dict[str, Any] | None:
    """The user if the password is right, else None (in about the same time either way)."""
    user = store.get_user(conn, name=name)
    try:
        _hasher.verify(user["password_hash"] if user else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    user.pop("password_hash")
    return user


def start_session(conn: sqlite3.Connection, user_id: int) -> tuple[str, str]:
    """A new session: (session id for the cookie, its CSRF token)."""
    sid, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + timedelta(hours=SESSION_HOURS)
    store.new_session(
        conn,
        id_hash=hash_secret(sid),
        user_id=user_id,
        csrf=csrf,
        expires_at=expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    return sid, csrf


def issue_token(conn: sqlite3.Connection, name: str) -> str:
    """A new API token for `name`, shown once: only its digest is kept."""
    token = "rr_" + secrets.token_urlsafe(32)
    if not store.add_token(conn, name=name, token_hash=hash_secret(token)):
        raise BadArguments(f"no user named {name}")
    return token


class Throttle:
    """At most `attempts` failed logins per name and per address in `window` seconds."""

    def __init__(self, attempts: int = 5, window: float = 300.0) -> None:
        self.attempts, self.window = attempts, window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures.setdefault(key, deque())
        while q and now - q[0] > self.window:
            q.popleft()
        return q

    def wait(self, *keys: str) -> float:
        """Seconds until another attempt is allowed (0: go ahead)."""
        now = time.monotonic()
        with self._lock:
            waits = [
                self.window - (now - q[0])
                for q in (self._recent(k, now) for k in keys)
                if len(q) >= self.attempts
            ]
        return max(waits, default=0.0)

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for k in keys:
                self._recent(k, now).append(now)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for k in keys:
                self._failures.pop(k, None)
