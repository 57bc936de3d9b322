"""Archive extractors: members as children, bombs and damage as part errors."""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import zipfile
from pathlib import Path

import pytest

from readingroom.errors import CorruptFile, LimitExceeded, UnsupportedFormat
from readingroom.ingest.formats.archive import (
    CompressedFileExtractor,
    TarExtractor,
    UnsupportedArchiveExtractor,
    ZipExtractor,
)
from readingroom.ingest.model import Limits
from readingroom.ingest.registry import choose

from .contexts import ctx_for

MB = 1024 * 1024


def make_zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_nested_zip_members_are_children_with_names_kept(tmp_path: Path) -> None:
    inner = make_zip({"b.txt": b"inner text"})
    data = make_zip(
        {"docs/a.txt": b"alpha", "inner.zip": inner, "../evil.txt": b"x", "/abs.txt": b"y"}
    )
    ctx = ctx_for(tmp_path, "production.zip", data)
    assert choose("production.zip", data[:8192]).name == "zip"
    ex = ZipExtractor().extract(ctx)
    assert ex.doc_type == "archive" and ex.page_count == 0 and not ex.part_errors
    by_name = {c.name: c for c in ex.children}
    assert set(by_name) == {"docs/a.txt", "inner.zip", "../evil.txt", "/abs.txt"}
    assert ctx.blobs.path(by_name["inner.zip"].sha256).read_bytes() == inner
    assert by_name["docs/a.txt"].size == 5 and by_name["docs/a.txt"].kind == "member"
    assert by_name["../evil.txt"].meta.get("unsafe_path") is True
    assert "unsafe_path" not in by_name["docs/a.txt"].meta
    # Nothing was written outside the blob store.
    assert not (tmp_path.parent / "evil.txt").exists()


def bomb_zip() -> bytes:
    return make_zip({"ok.txt": b"fine", "bomb.bin": b"\x00" * (20 * MB), "z.txt": b"after"})


def test_member_bomb_is_a_part_error_and_the_rest_gets_in(tmp_path: Path) -> None:
    limits = Limits(max_ratio=200, max_unpacked_bytes=100 * MB)
    ex = ZipExtractor().extract(ctx_for(tmp_path, "p.zip", bomb_zip(), limits=limits))
    assert [c.name for c in ex.children] == ["ok.txt", "z.txt"]
    assert [(n, k) for n, k, _ in ex.part_errors] == [("bomb.bin", "limit")]
    assert "200" in ex.part_errors[0][2]
    leftovers = [p for p in (tmp_path / "b").iterdir() if p.name.startswith(".incoming")]
    assert leftovers == []  # the aborted member left no temp file


def test_whole_archive_bomb_raises(tmp_path: Path) -> None:
    limits = Limits(max_ratio=200, max_unpacked_bytes=5 * MB)
    with pytest.raises(LimitExceeded, match=r"p\.zip"):
        ZipExtractor().extract(ctx_for(tmp_path, "p.zip", bomb_zip(), limits=limits))


def test_unpack_budget_counts_real_bytes(tmp_path: Path) -> None:
    rnd = os.urandom(3 * MB)  # incompressible: no ratio problem, only the total
    data = make_zip({"a.bin": rnd, "b.bin": rnd[::-1], "c.txt": b"small"})
    limits = Limits(max_unpacked_bytes=4 * MB)
    ex = ZipExtractor().extract(ctx_for(tmp_path, "p.zip", data, limits=limits))
    assert [c.name for c in ex.children] == ["a.bin", "c.txt"]
    assert [(n, k) for n, k, _ in ex.part_errors] == [("b.bin", "limit")]


def test_member_count_limit(tmp_path: Path) -> None:
    data = make_zip({f"f{i}.txt": b"x" for i in range(5)})
    ex = ZipExtractor().extract(ctx_for(tmp_path, "p.zip", data, limits=Limits(max_members=3)))
    assert len(ex.children) == 3
    assert [n for n, _, _ in ex.part_errors] == ["f3.txt", "f4.txt"]


def test_encrypted_member_is_a_part_error(tmp_path: Path) -> None:
    data = bytearray(make_zip({"open.txt": b"open", "secret.txt": b"secret"}))
    # Set the "encrypted" flag bit on secret.txt in its local and central headers.
    for sig, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = -1
        while (at := data.find(sig, at + 1)) != -1:
            name_at = at + (30 if sig == b"PK\x03\x04" else 46)
            if data[name_at : name_at + 10] == b"secret.txt":
                data[at + flag_at] |= 1
    ex = ZipExtractor().extract(ctx_for(tmp_path, "p.zip", bytes(data)))
    assert [c.name for c in ex.children] == ["open.txt"]
    assert [(n, k) for n, k, _ in ex.part_errors] == [("secret.txt", "encrypted")]


def test_damaged_zip(tmp_path: Path) -> None:
    with pytest.raises(CorruptFile, match=r"bad\.zip"):
        ZipExtractor().extract(ctx_for(tmp_path, "bad.zip", b"PK\x03\x04" + b"\x00" * 40))


def test_damaged_member_is_a_part_error(tmp_path: Path) -> None:
    data = bytearray(make_zip({"a.txt": b"hello " * 200, "b.txt": b"fine"}))
    at = data.find(b"PK\x03\x04") + 30 + len("a.txt")
    data[at + 5 : at + 15] = b"\xff" * 10  # scramble a's deflate stream
    ex = ZipExtractor().extract(ctx_for(tmp_path, "p.zip", bytes(data)))
    assert [c.name for c in ex.children] == ["b.txt"]
    assert ex.part_errors[0][:2] == ("a.txt", "corrupt")


def test_tar_gz_members_and_links(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        info = tarfile.TarInfo("dir/report.txt")
        info.size = 6
        tf.addfile(info, io.BytesIO(b"report"))
        link = tarfile.TarInfo("dir/link")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tf.addfile(link)
    data = buf.getvalue()
    assert choose("batch.tar.gz", data[:8192]).name == "tar"
    ctx = ctx_for(tmp_path, "batch.tar.gz", data)
    ex = TarExtractor().extract(ctx)
    assert [(c.name, c.size) for c in ex.children] == [("dir/report.txt", 6)]
    assert any("/etc/passwd" in w for w in ex.warnings)


def test_gzip_single_file_and_gzip_bomb(tmp_path: Path) -> None:
    data = gzip.compress(b"a,b\n1,2\n")
    ex = CompressedFileExtractor().extract(ctx_for(tmp_path, "table.csv.gz", data))
    assert [(c.name, c.size) for c in ex.children] == [("table.csv", 8)]
    bomb = gzip.compress(b"\x00" * (10 * MB))
    with pytest.raises(LimitExceeded, match=r"zeros\.gz"):
        CompressedFileExtractor().extract(ctx_for(tmp_path, "zeros.gz", bomb))


def test_7z_and_rar_are_reported_not_dropped(tmp_path: Path) -> None:
    data = b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 32
    assert choose("x.bin", data).name == "unsupported-archive"
    with pytest.raises(UnsupportedFormat, match="7-Zip"):
        UnsupportedArchiveExtractor().extract(ctx_for(tmp_path, "x.7z", data))


def test_zip_or_tar_holding_a_stored_pdf_is_still_an_archive() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("m.pdf", b"%PDF-1.4\n%%EOF\n")
    assert choose("prod.zip", buf.getvalue()[:8192]).name == "zip"
    tbuf = io.BytesIO()
    with tarfile.open(fileobj=tbuf, mode="w") as tf:
        info = tarfile.TarInfo("m.pdf")
        info.size = 15
        tf.addfile(info, io.BytesIO(b"%PDF-1.4\n%%EOF\n"))
    assert choose("prod.tar", tbuf.getvalue()[:8192]).name == "tar"
