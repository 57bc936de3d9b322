"""Tables for a shared reading room: accounts, sessions, API tokens and the audit log.

Session ids and API tokens are stored as SHA-256 digests: they are random
(256 bits), so a digest is as good as a slow hash, and a copied database
hands out no live credential.
"""

from __future__ import annotations

from readingroom.store.schema import Migration

MIGRATIONS: list[Migration] = [
    (
        "accounts-0001",
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
            updated_at TEXT
        );
        CREATE TABLE sessions (
            id_hash TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            csrf TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
            expires_at TEXT NOT NULL
        );
        CREATE TABLE api_tokens (
            token_hash TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
            last_used_at TEXT
        );
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
            user TEXT NOT NULL,
            role TEXT,
            ip TEXT,
            action TEXT NOT NULL,  -- login, search, view, download-original, reveal…
            target TEXT,
            detail TEXT
        );
        CREATE INDEX audit_log_at ON audit_log(at);
        """,
    ),
]
