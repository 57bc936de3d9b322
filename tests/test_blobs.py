from __future__ import annotations

import hashlib
import io
import stat
from pathlib import Path

import pytest

from readingroom.blobs import BlobStore


def test_put_file_is_content_addressed_and_read_only(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_bytes(b"evidence")
    store = BlobStore(tmp_path / "blobs")
    sha, size = store.put_file(src)
    assert sha == hashlib.sha256(b"evidence").hexdigest() and size == 8
    path = store.path(sha)
    assert path.parent.name == sha[:2] and path.read_bytes() == b"evidence"
    assert not path.stat().st_mode & stat.S_IWUSR
    # storing the same bytes again keeps one copy and leaves no temporary files
    assert store.put_bytes(b"evidence") == (sha, 8)
    assert [p.name for p in (tmp_path / "blobs").rglob("*") if p.is_file()] == [sha]


def test_put_stream_limit_leaves_nothing_behind(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    with pytest.raises(OverflowError):
        store.put_stream(io.BytesIO(b"x" * 5000), max_bytes=1000)
    assert [p for p in (tmp_path / "blobs").rglob("*") if p.is_file()] == []


def test_only_regular_files_are_copied_and_copies_are_capped(tmp_path: Path) -> None:
    import os

    import pytest

    from readingroom.errors import NotARegularFile

    store = BlobStore(tmp_path / "blobs")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(NotARegularFile, match="named pipe"):
        store.put_file(fifo)  # returns at once: opened without blocking, then refused
    big = tmp_path / "big"
    big.write_bytes(b"x" * 3000)
    with pytest.raises(OverflowError):
        store.put_file(big, max_bytes=1000)
    assert not list(store.root.glob(".incoming-*"))  # the partial copy is gone


def test_a_full_disk_is_one_error_naming_the_disk(tmp_path: Path) -> None:
    import errno
    import io

    import pytest

    from readingroom.blobs import is_disk_full
    from readingroom.errors import DiskFull

    class FullDisk(io.RawIOBase):
        def read(self, n: int = -1) -> bytes:
            raise OSError(errno.ENOSPC, "No space left on device")

    store = BlobStore(tmp_path / "blobs")
    with pytest.raises(DiskFull, match="is full") as caught:
        store.put_stream(FullDisk())  # type: ignore[arg-type]
    assert str(tmp_path / "blobs") in str(caught.value)
    assert not list(store.root.glob(".incoming-*"))
    assert is_disk_full(OSError(errno.ENOSPC, "x")) and not is_disk_full(OSError(errno.EIO, "x"))


def test_partial_copies_of_killed_runs_are_swept(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    sha, _ = store.put_bytes(b"kept")
    (store.root / ".incoming-abc").write_bytes(b"half")
    assert store.sweep_incoming() == 1
    assert store.has(sha) and not list(store.root.glob(".incoming-*"))
