"""Archives: .zip, .tar (plain, gzip, bzip2, xz) and single-file .gz/.bz2/.xz.

Members are streamed into the blob store and returned as children, never
written to the filesystem under their own names, so `../` and absolute paths
are harmless and kept verbatim as evidence of how the production was packed.
Productions are hostile input as far as sizes go: every member is counted
while it streams (declared sizes can lie), one bad member is a part error and
the rest still get in, and only an archive that is a bomb as a whole fails.
"""

from __future__ import annotations

import bz2
import gzip
import itertools
import lzma
import tarfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import IO, Any, ClassVar

from readingroom.errors import CorruptFile, LimitExceeded, UnsupportedFormat
from readingroom.filetypes import extension
from readingroom.ingest.model import ChildFile, ExtractContext, Extraction

#: Members smaller than this are not held to the ratio limit: a small file of
#: blanks or repeated rows compresses far beyond any bomb ratio, harmlessly.
RATIO_FLOOR = 1024 * 1024

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
GZIP_MAGIC = b"\x1f\x8b"
BZ2_MAGIC = b"BZh"
XZ_MAGIC = b"\xfd7zXZ\x00"
SEVENZ_MAGIC = b"7z\xbc\xaf\x27\x1c"
RAR_MAGIC = b"Rar!\x1a\x07"
#: Zip-based formats other extractors read (or that must not be unpacked as zips).
_OFFICE_ZIP_EXTS = {
    ".docx", ".docm", ".dotx", ".xlsx", ".xlsm", ".xltx", ".pptx", ".pptm", ".ppsx",
    ".odt", ".ods", ".odp", ".epub",
}  # fmt: skip


def _is_tar(head: bytes) -> bool:
    return len(head) >= 262 and head[257:262] == b"ustar"


def unsafe_name(name: str) -> bool:
    """True for member names that would escape a folder if used as paths."""
    p = PurePosixPath(name.replace("\\", "/"))
    return p.is_absolute() or ".." in p.parts or (len(name) > 1 and name[1] == ":")


class _Budget:
    """Decompressed bytes still allowed for the whole archive."""

    def __init__(self, ctx: ExtractContext) -> None:
        self.limit = ctx.limits.max_unpacked_bytes
        self.used = 0

    @property
    def left(self) -> int:
        return max(0, self.limit - self.used)


def _member_cap(ctx: ExtractContext, compressed: int, budget: _Budget) -> tuple[int, str]:
    """Most bytes a member may expand to, and which limit that is (for messages)."""
    by_ratio = max(RATIO_FLOOR, int(compressed * ctx.limits.max_ratio))
    if by_ratio < budget.left:
        return by_ratio, f"expands more than {ctx.limits.max_ratio:g} times its compressed size"
    return budget.left, f"would exceed the archive limit of {budget.limit} unpacked bytes"


def _store_member(
    ctx: ExtractContext,
    ex: Extraction,
    budget: _Budget,
    stream: IO[bytes],
    name: str,
    compressed: int,
    meta: dict[str, object],
) -> None:
    cap, reason = _member_cap(ctx, compressed, budget)
    try:
        sha, size = ctx.blobs.put_stream(stream, max_bytes=cap)
    except OverflowError:
        # The partial member was discarded, so it does not use up the budget:
        # smaller members after it still fit.
        ex.part_errors.append((name, "limit", f"{ctx.name}: member {name!r} {reason}; not kept"))
        return
    budget.used += size
    if unsafe_name(name):
        meta["unsafe_path"] = True
    ex.children.append(ChildFile(name=name, sha256=sha, size=size, kind="member", meta=meta))


def _zip_overlaps(infos: list[zipfile.ZipInfo]) -> bool:
    """True when members share compressed data: the non-recursive zip bomb trick."""
    offsets = sorted((i.header_offset, i.compress_size) for i in infos if i.compress_size)
    return any(b[0] < a[0] + a[1] for a, b in itertools.pairwise(offsets))


class ZipExtractor:
    """Zip archives; each member a child, bombs and encrypted members as part errors."""

    name: ClassVar[str] = "zip"
    version: ClassVar[str] = "1"

    def match(self, name: str, head: bytes) -> int:
        if head.startswith(ZIP_MAGIC):
            # A signature at byte 0 outranks "%PDF-" seen further in (a stored
            # PDF member), unless the zip is an office document or OpenDocument.
            packaged = b"[Content_Types].xml" in head or head[30:38] == b"mimetype"
            office = extension(name) in _OFFICE_ZIP_EXTS
            return 45 if packaged or office else 110
        # An extension alone bids below any signature (an OLE file named .zip).
        return 25 if extension(name) == ".zip" else 0

    def extract(self, ctx: ExtractContext) -> Extraction:
        try:
            zf = zipfile.ZipFile(ctx.path)
        except (zipfile.BadZipFile, OSError, ValueError) as e:
            raise CorruptFile(f"{ctx.name}: not a readable zip archive: {e}") from e
        with zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            self._check_whole(ctx, infos)
            ex = Extraction(doc_type="archive", mime="application/zip", page_count=0)
            budget = _Budget(ctx)
            for n, info in enumerate(infos):
                name = info.filename
                if n >= ctx.limits.max_members:
                    ex.part_errors.append(
                        (name, "limit", f"{ctx.name}: more than {ctx.limits.max_members} members")
                    )
                    continue
                if info.flag_bits & 0x1:
                    ex.part_errors.append(
                        (name, "encrypted", f"{ctx.name}: member {name!r} is password-protected")
                    )
                    continue
                meta: dict[str, object] = {
                    "modified": "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}".format(*info.date_time)
                }
                try:
                    with zf.open(info) as stream:
                        _store_member(ctx, ex, budget, stream, name, info.compress_size, meta)
                except NotImplementedError as e:
                    ex.part_errors.append(
                        (name, "unsupported", f"{ctx.name}: member {name!r}: {e}")
                    )
                except (zipfile.BadZipFile, zlib.error, EOFError, OSError, lzma.LZMAError) as e:
                    ex.part_errors.append((name, "corrupt", f"{ctx.name}: member {name!r}: {e}"))
            ex.metadata["members"] = len(infos)
        return ex

    def _check_whole(self, ctx: ExtractContext, infos: list[zipfile.ZipInfo]) -> None:
        """Refuse archives that are bombs as a whole, before unpacking anything."""
        if _zip_overlaps(infos):
            raise LimitExceeded(
                f"{ctx.name}: zip members overlap (a zip bomb construction); not unpacked"
            )
        declared = sum(i.file_size for i in infos)
        packed = max(1, ctx.path.stat().st_size)
        if declared > ctx.limits.max_unpacked_bytes and declared / packed > ctx.limits.max_ratio:
            raise LimitExceeded(
                f"{ctx.name}: declares {declared} unpacked bytes from {packed} "
                f"(over {ctx.limits.max_unpacked_bytes} bytes and ratio "
                f"{ctx.limits.max_ratio:g}); a zip bomb, not unpacked"
            )


class TarExtractor:
    """Tar archives, plain or compressed with gzip, bzip2 or xz."""

    name: ClassVar[str] = "tar"
    version: ClassVar[str] = "1"

    def match(self, name: str, head: bytes) -> int:
        lower = name.lower()
        if _is_tar(head):
            return 110  # outranks a "%PDF-" in the first member's data
        compressed = head.startswith((GZIP_MAGIC, BZ2_MAGIC, XZ_MAGIC))
        if compressed and lower.endswith(
            (".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
        ):
            return 65
        return 25 if lower.endswith(".tar") else 0

    def extract(self, ctx: ExtractContext) -> Extraction:
        ex = Extraction(doc_type="archive", mime="application/x-tar", page_count=0)
        budget = _Budget(ctx)
        packed = max(1, ctx.path.stat().st_size)
        # A compressed tar is one stream: the ratio holds for the whole of it.
        whole_cap = max(RATIO_FLOOR, int(packed * ctx.limits.max_ratio))
        budget.limit = min(budget.limit, whole_cap)
        count = 0
        try:
            with tarfile.open(ctx.path, "r:*") as tf:
                for member in tf:
                    if member.isdir():
                        continue
                    name = member.name
                    count += 1
                    if count > ctx.limits.max_members:
                        ex.part_errors.append(
                            (name, "limit", f"more than {ctx.limits.max_members}")
                        )
                        continue
                    if not member.isfile():
                        target = f" -> {member.linkname}" if member.linkname else ""
                        ex.warnings.append(f"{name}{target}: link or device entry, not a file")
                        continue
                    if member.size > budget.left:
                        budget.used = budget.limit
                        ex.part_errors.append(
                            (name, "limit", f"{ctx.name}: member {name!r} exceeds the unpack limit")
                        )
                        continue
                    stream = tf.extractfile(member)
                    if stream is None:
                        continue
                    meta: dict[str, object] = {"mode": oct(member.mode)}
                    _store_member(ctx, ex, budget, stream, name, packed, meta)
        except (tarfile.TarError, EOFError, zlib.error, OSError, lzma.LZMAError) as e:
            if count == 0:
                raise CorruptFile(f"{ctx.name}: not a readable tar archive: {e}") from e
            ex.part_errors.append(("(rest of archive)", "corrupt", f"{ctx.name}: truncated: {e}"))
        ex.metadata["members"] = count
        return ex


#: magic -> (opener, extensions, MIME type) of the single-file compressors.
_SINGLE: dict[bytes, tuple[Callable[..., Any], tuple[str, ...], str]] = {
    GZIP_MAGIC: (gzip.open, (".gz", ".gzip"), "application/gzip"),
    BZ2_MAGIC: (bz2.open, (".bz2",), "application/x-bzip2"),
    XZ_MAGIC: (lzma.open, (".xz", ".lzma"), "application/x-xz"),
}


class CompressedFileExtractor:
    """One compressed file (.gz/.bz2/.xz): its content is the only child."""

    name: ClassVar[str] = "compressed"
    version: ClassVar[str] = "1"

    def match(self, name: str, head: bytes) -> int:
        for magic, (_, exts, _) in _SINGLE.items():
            if head.startswith(magic):
                return 50
            if extension(name) in exts:
                return 20
        return 0

    def extract(self, ctx: ExtractContext) -> Extraction:
        with open(ctx.path, "rb") as fh:
            head = fh.read(8)
        found = next((v for m, v in _SINGLE.items() if head.startswith(m)), None)
        if found is None:
            raise CorruptFile(f"{ctx.name}: no gzip/bzip2/xz signature")
        opener, exts, mime = found
        inner = ctx.name
        for ext in (*exts, ".tgz"):
            if inner.lower().endswith(ext):
                inner = inner[: -len(ext)] + (".tar" if ext == ".tgz" else "")
                break
        else:
            inner = f"{inner}.out"
        ex = Extraction(doc_type="archive", mime=mime, page_count=0)
        packed = max(1, ctx.path.stat().st_size)
        cap = min(
            ctx.limits.max_unpacked_bytes, max(RATIO_FLOOR, int(packed * ctx.limits.max_ratio))
        )
        try:
            with opener(ctx.path, "rb") as stream:
                sha, size = ctx.blobs.put_stream(stream, max_bytes=cap)
        except OverflowError:
            raise LimitExceeded(
                f"{ctx.name}: expands to more than {cap} bytes "
                f"(ratio limit {ctx.limits.max_ratio:g}); a compression bomb, not unpacked"
            ) from None
        except (OSError, EOFError, zlib.error, lzma.LZMAError) as e:
            raise CorruptFile(f"{ctx.name}: damaged compressed file: {e}") from e
        ex.children.append(ChildFile(name=PurePosixPath(inner).name, sha256=sha, size=size))
        return ex


class UnsupportedArchiveExtractor:
    """7-Zip and RAR: claimed so they are reported, not silently stored as unknown."""

    name: ClassVar[str] = "unsupported-archive"
    version: ClassVar[str] = "1"

    def match(self, name: str, head: bytes) -> int:
        if head.startswith((SEVENZ_MAGIC, RAR_MAGIC)):
            return 60
        return 25 if extension(name) in {".7z", ".rar"} else 0

    def extract(self, ctx: ExtractContext) -> Extraction:
        kind = "RAR" if extension(ctx.name) == ".rar" else "7-Zip"
        with open(ctx.path, "rb") as fh:
            head = fh.read(8)
        if head.startswith(RAR_MAGIC):
            kind = "RAR"
        elif head.startswith(SEVENZ_MAGIC):
            kind = "7-Zip"
        raise UnsupportedFormat(
            f"{ctx.name}: {kind} archives are not unpacked by readingroom; unpack it "
            "(e.g. `7z x`) and ingest the folder, or repack it as .zip"
        )


EXTRACTORS = [
    ZipExtractor(),
    TarExtractor(),
    CompressedFileExtractor(),
    UnsupportedArchiveExtractor(),
]
