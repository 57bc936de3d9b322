"""What a file is, from its name and its first bytes: one place for sniffing.

Extractors score themselves on the extension and on magic bytes; both come
from here so every format module reads them the same way.
"""

from __future__ import annotations

from pathlib import Path, PurePath

__all__ = ["HEAD_BYTES", "extension", "read_head"]

#: How many leading bytes extractors see when they bid for a file.
HEAD_BYTES = 8192


def extension(name: str) -> str:
    """`.pdf` for `Report.PDF`; empty when the name has none."""
    return PurePath(name).suffix.lower()


def read_head(path: Path, n: int = HEAD_BYTES) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(n)
