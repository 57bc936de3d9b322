"""The contract between the ingest pipeline and the per-format extractors.

Extractors run in worker processes: everything here is plain, picklable data.
Page geometry (`Word`, in PDF points from the top-left) lives in
`readingroom.page`, and the document type names in `readingroom.doctypes`;
both are re-exported here for the callers that have always imported them
from this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol

from readingroom.doctypes import DOC_TYPES
from readingroom.page import Word

if TYPE_CHECKING:
    from readingroom.blobs import BlobStore

OcrMode = Literal["auto", "always", "never"]
PageSource = Literal["text", "ocr", "none"]

#: Seconds one OCR program call may take on one page before it is killed.
OCR_TIMEOUT = 120.0

__all__ = [
    "DOC_TYPES",
    "OCR_TIMEOUT",
    "ChildFile",
    "ExtractContext",
    "Extraction",
    "Extractor",
    "Limits",
    "OcrMode",
    "PageContent",
    "PageSource",
    "Word",
]


@dataclass
class PageContent:
    """One page's text as extracted (text layer or OCR)."""

    number: int  # 1-based within the document
    text: str
    words: list[Word] = field(default_factory=list)
    width: float = 0.0  # points; 0 where the format has no geometry (e-mail, docx)
    height: float = 0.0
    source: PageSource = "text"
    ocr_engine: str | None = None
    ocr_confidence: float | None = None  # mean word confidence 0..100
    meta: dict[str, Any] = field(default_factory=dict)  # e.g. {"sheet": "Daily"}
    # Set by the pipeline in the worker: `words` encoded for the store, so the
    # single writer process does not spend its time compressing.
    words_blob: bytes | None = None


@dataclass
class ChildFile:
    """A file found inside another (attachment, archive member, embedded file).

    The worker has already written its bytes to the blob store, so only the
    hash travels back to the parent process.
    """

    name: str  # file name or path inside the parent
    sha256: str
    size: int
    kind: Literal["attachment", "member", "embedded", "message"] = "member"
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Extraction:
    """What one extract call returns for one chunk of a document."""

    doc_type: str
    mime: str
    pages: list[PageContent] = field(default_factory=list)
    page_count: int | None = None  # total pages of the document, when known
    children: list[ChildFile] = field(default_factory=list)
    title: str | None = None
    date: str | None = None  # ISO 8601 date (or datetime) of the document
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # Non-fatal problems with parts of the document (e.g. one zip member was a
    # bomb): (name of the part, kind, message). They become error records.
    part_errors: list[tuple[str, str, str]] = field(default_factory=list)
    # Worker seconds this call took; set by the pipeline, summed against the file's budget.
    seconds: float = 0.0


@dataclass
class Limits:
    """Guards against hostile or absurd input; all are per file."""

    max_pages: int = 20_000
    max_file_bytes: int = 4 * 1024**3
    max_unpacked_bytes: int = 2 * 1024**3  # total decompressed bytes of one archive
    max_ratio: float = 200.0  # decompressed / compressed, per member
    max_members: int = 100_000
    max_depth: int = 8  # nesting of archives / attachments
    max_image_pixels: int = 180_000_000
    # Memory one page image takes decoded (Pillow holds RGB as 4 bytes a pixel):
    # the file size says nothing, a 0.5 MB PNG can decode to gigabytes.
    max_decoded_bytes: int = 1024**3


@dataclass
class ExtractContext:
    """Everything an extractor may use; built in the parent, sent to workers."""

    path: Path  # read-only original in the blob store
    name: str  # file name as the user knows it (for errors and type guesses)
    sha256: str
    blobs: BlobStore
    ocr: OcrMode = "auto"
    ocr_engine: str = "tesseract"
    ocr_languages: str = "eng"
    ocr_timeout: float = OCR_TIMEOUT
    limits: Limits = field(default_factory=Limits)
    depth: int = 0
    start_page: int = 1  # 1-based first page of this chunk
    chunk_pages: int = 50  # how many pages one call handles at most
    # Wall-clock time (`time.time()`) after which a paged extractor stops between
    # pages and returns what it has: the file's time budget is spent.
    deadline: float | None = None

    def over_budget(self) -> bool:
        """True once the file's time budget is spent; paged extractors check it per page."""
        import time

        return self.deadline is not None and time.time() > self.deadline


class Extractor(Protocol):
    """One extractor per format family.

    `match` scores how well the extractor fits (higher wins, <= 0 means no),
    using the extension and the first bytes, so a wrong extension still lands
    on the right extractor. `extract` handles pages
    [ctx.start_page, ctx.start_page + ctx.chunk_pages) and must set
    `page_count` so the pipeline can schedule the remaining chunks.

    An optional class attribute `paged = True` says pages are real and cheap to
    reach one by one (PDF, TIFF): only then does the pipeline split a big file
    into chunks over the workers. Others get `chunk_pages` large enough for the
    whole file, rather than re-reading it once per chunk.
    """

    name: ClassVar[str]
    version: ClassVar[str]

    def match(self, name: str, head: bytes) -> int: ...

    def extract(self, ctx: ExtractContext) -> Extraction: ...
