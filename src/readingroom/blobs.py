"""Content-addressed, read-only storage of originals.

Originals are evidence: they are copied once, named by their SHA-256 and made
read-only, so a page cited today can be proven to come from the same bytes
tomorrow. Writes go to a temporary file (`.incoming-*`) and are renamed into
place, so a killed run never leaves a half-written blob under a valid name,
and two workers storing the same attachment at once both succeed. The
temporary file is removed on any exit Python sees; those a `kill -9` leaves
behind are swept by `sweep_incoming` when the next ingest starts.

Every copy has a size cap, and only regular files are read: a named pipe
would block the reader, and one that something writes into would fill the
disk. A full disk raises `DiskFull` naming the disk, never an OSError that a
format could mistake for a damaged file.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import IO

from readingroom.errors import DiskFull, NotARegularFile

CHUNK = 1024 * 1024
INCOMING = ".incoming-"

__all__ = ["BlobStore", "disk_full", "file_kind", "is_disk_full"]


def is_disk_full(e: BaseException) -> bool:
    """An OSError for a full disk or quota (ENOSPC, EDQUOT), or SQLite's "disk is full"."""
    if isinstance(e, OSError):
        return e.errno in (errno.ENOSPC, errno.EDQUOT)
    code = getattr(e, "sqlite_errorcode", None)
    return code == 13 or "disk is full" in str(e)  # SQLITE_FULL


def _mount_point(path: Path) -> Path:
    p = path.resolve()
    while not os.path.ismount(p) and p != p.parent:
        p = p.parent
    return p


#: Set when this process hit a full disk; the ingest worker checks it after each
#: task, because a format's broad `except` may have turned the error into a
#: part error ("member unreadable") that would otherwise never be retried.
DISK_FULL_SEEN: list[str] = []


def disk_full(where: Path, cause: BaseException | None = None) -> DiskFull:
    """The one message for a full disk: which disk, how much is free, what to do."""
    mount = _mount_point(where)
    try:
        free = f"{shutil.disk_usage(mount).free / 1024**2:.1f} MB free"
    except OSError:
        free = "free space unknown"
    detail = f" ({cause})" if cause else ""
    error = DiskFull(
        f"the disk holding {where} is full (mounted at {mount}, {free}){detail}; "
        "everything stored so far is kept: free some space and run the same ingest "
        "again to finish"
    )
    DISK_FULL_SEEN.append(str(error))
    return error


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).exists()

    def put_file(self, source: Path, *, max_bytes: int | None = None) -> tuple[str, int]:
        """Copy a regular file in while hashing it; return (sha256, size).

        Opened without blocking and checked after opening (no race with a
        file swapped for a pipe): anything but a regular file is refused.
        """
        fd = os.open(source, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        try:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):
                raise NotARegularFile(f"{source}: {file_kind(mode)}, not a regular file; not read")
            fh = os.fdopen(fd, "rb")
        except BaseException:
            os.close(fd)
            raise
        with fh:
            return self.put_stream(fh, max_bytes=max_bytes)

    def put_bytes(self, data: bytes) -> tuple[str, int]:
        sha = hashlib.sha256(data).hexdigest()
        if self.has(sha):
            return sha, len(data)
        return self.put_stream(io.BytesIO(data))

    def put_stream(self, stream: IO[bytes], *, max_bytes: int | None = None) -> tuple[str, int]:
        """Store a stream; raise OverflowError past `max_bytes` (zip bombs, endless input)."""
        digest = hashlib.sha256()
        size = 0
        tmp = self._incoming()
        try:
            with open(tmp, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise OverflowError(f"more than {max_bytes} bytes")
                    digest.update(chunk)
                    out.write(chunk)
            sha = digest.hexdigest()
            self._place(tmp, sha)
        except OSError as e:
            tmp.unlink(missing_ok=True)
            if is_disk_full(e):
                raise disk_full(self.root, e) from e
            raise
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return sha, size

    def _incoming(self) -> Path:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.root, prefix=INCOMING)
        except OSError as e:
            if is_disk_full(e):
                raise disk_full(self.root, e) from e
            raise
        os.close(fd)
        return Path(tmp)

    def _place(self, tmp: Path, sha: str) -> None:
        target = self.path(sha)
        if target.exists():
            tmp.unlink()
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        tmp.replace(target)

    def sweep_incoming(self) -> int:
        """Remove temporaries a killed run left; call only while no one else writes here."""
        removed = 0
        if not self.root.is_dir():
            return 0
        for tmp in self.root.glob(INCOMING + "*"):
            try:
                tmp.unlink()
                removed += 1
            except OSError:
                pass
        return removed


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words for an error record."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a special file"
