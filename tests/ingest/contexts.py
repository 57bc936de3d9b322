"""ExtractContext for extractor tests: the bytes written to a file, a private blob store."""

from __future__ import annotations

from pathlib import Path

from readingroom.blobs import BlobStore
from readingroom.ingest.model import ExtractContext


def ctx_for(tmp_path: Path, name: str, data: bytes, **kw: object) -> ExtractContext:
    path = tmp_path / "in.bin"
    path.write_bytes(data)
    return ExtractContext(
        path=path, name=name, sha256="0" * 64, blobs=BlobStore(tmp_path / "b"), **kw
    )  # type: ignore[arg-type]
