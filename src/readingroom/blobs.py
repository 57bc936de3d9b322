"""Content-addressed, read-only storage of originals.

Originals are evidence: they are copied once, named by their SHA-256 and made
read-only, so a page cited today can be proven to come from the same bytes
tomorrow. Writes go to a temporary file and are renamed into place, so a
killed run never leaves a half-written blob under a valid name, and two
workers storing the same attachment at once both succeed.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

CHUNK = 1024 * 1024


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).exists()

    def put_file(self, source: Path) -> tuple[str, int]:
        """Copy a file in while hashing it; return (sha256, size)."""
        with open(source, "rb") as fh:
            return self.put_stream(fh)

    def put_bytes(self, data: bytes) -> tuple[str, int]:
        sha = hashlib.sha256(data).hexdigest()
        if not self.has(sha):
            self._write(sha, [data])
        return sha, len(data)

    def put_stream(self, stream: IO[bytes], *, max_bytes: int | None = None) -> tuple[str, int]:
        """Store a stream; raise OverflowError past `max_bytes` (zip bombs)."""
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise OverflowError(f"more than {max_bytes} bytes")
                    digest.update(chunk)
                    out.write(chunk)
            sha = digest.hexdigest()
            self._place(Path(tmp), sha)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha, size

    def _write(self, sha: str, chunks: Iterable[bytes]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
        with os.fdopen(fd, "wb") as out:
            for c in chunks:
                out.write(c)
        self._place(Path(tmp), sha)

    def _place(self, tmp: Path, sha: str) -> None:
        target = self.path(sha)
        if target.exists():
            tmp.unlink()
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        tmp.replace(target)
