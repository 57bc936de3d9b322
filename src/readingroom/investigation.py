"""One investigation is one folder, like a git repository; this is its entry point.

my-investigation/
  readingroom.db   SQLite (WAL) with the FTS5 index inside
  blobs/ab/abc…    originals, content-addressed, read-only
  cache/           derived artefacts, safe to delete
"""

from __future__ import annotations

import os
import sqlite3
from functools import cached_property
from pathlib import Path
from typing import Any

from readingroom.accounts import schema as accounts_schema
from readingroom.analyse import schema as analyse_schema
from readingroom.blobs import BlobStore
from readingroom.errors import NotAnInvestigation
from readingroom.evidence import schema as evidence_schema
from readingroom.packs import DEFAULT_PACK, load_pack, user_pack_dir
from readingroom.requests import schema as requests_schema
from readingroom.search import schema as search_schema
from readingroom.similar import schema as similar_schema
from readingroom.store import connect, migrate
from readingroom.store import publish as publish_schema
from readingroom.store import schema as store_schema
from readingroom.store.schema import Migration

DB_NAME = "readingroom.db"


def migrations() -> list[Migration]:
    """Every part's migrations in the order they apply: core tables first."""
    return [
        *store_schema.MIGRATIONS,
        *analyse_schema.MIGRATIONS,
        *search_schema.MIGRATIONS,
        *requests_schema.MIGRATIONS,
        *accounts_schema.MIGRATIONS,
        *evidence_schema.MIGRATIONS,
        *publish_schema.MIGRATIONS,
        *similar_schema.MIGRATIONS,
    ]


class Investigation:
    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()

    # -- creation and discovery ------------------------------------------------
    @classmethod
    def create(cls, root: Path) -> Investigation:
        root = Path(root)
        root.mkdir(parents=True, exist_ok=True)
        for sub in ("blobs", "cache"):
            (root / sub).mkdir(exist_ok=True)
        inv = cls(root)
        migrate(inv.db, migrations())
        return inv

    @staticmethod
    def exists(root: Path) -> bool:
        """True when `root` already holds an investigation's database."""
        return (Path(root) / DB_NAME).is_file()

    @classmethod
    def open(cls, root: Path | None = None) -> Investigation:
        """Open the investigation at `root`, or the one containing the cwd.

        `READINGROOM_DIR` names it when neither is given, so scripts and the
        web server can point at one without changing directory.
        """
        if root is None:
            env = os.environ.get("READINGROOM_DIR")
            root = Path(env) if env else _find_upwards(Path.cwd())
        root = Path(root)
        if not (root / DB_NAME).exists():
            raise NotAnInvestigation(
                f"{root} is not a readingroom investigation (no {DB_NAME}); "
                f"create one with: readingroom init {root}"
            )
        inv = cls(root)
        migrate(inv.db, migrations())
        return inv

    # -- parts -------------------------------------------------------------------
    @property
    def db_path(self) -> Path:
        return self.root / DB_NAME

    @cached_property
    def db(self) -> sqlite3.Connection:
        return connect(self.db_path)

    def reader(self) -> sqlite3.Connection:
        """A separate read-only connection (web requests, concurrent readers)."""
        return connect(self.db_path, readonly=True)

    @cached_property
    def blobs(self) -> BlobStore:
        return BlobStore(self.root / "blobs")

    @cached_property
    def pack(self) -> dict[str, Any]:
        """The domain pack (offices, exemption codes...), loaded once per investigation."""
        return load_pack(DEFAULT_PACK, user_pack_dir(self.root))

    @property
    def cache_dir(self) -> Path:
        path = self.root / "cache"
        path.mkdir(exist_ok=True)
        return path

    def close(self) -> None:
        if "db" in self.__dict__:
            self.db.close()
            del self.__dict__["db"]


def _find_upwards(start: Path) -> Path:
    for candidate in (start, *start.parents):
        if (candidate / DB_NAME).exists():
            return candidate
    return start
