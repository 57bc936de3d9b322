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
