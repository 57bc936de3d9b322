"""Which extractor handles a file: a scored auction over extension and magic bytes.

Each format module exports `EXTRACTORS`, a list of extractor instances. The
highest `match` score wins, so a PDF named `.txt` still reaches the PDF
extractor (it scores on the `%PDF-` magic), and anything no one claims is
stored as `unknown` rather than dropped.
"""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path
from typing import ClassVar

from readingroom.ingest.model import ExtractContext, Extraction, Extractor

#: Format modules under readingroom.ingest, each with an EXTRACTORS list.
FORMAT_MODULES = ("pdf", "image", "email", "office", "archive", "text")
HEAD_BYTES = 8192


class UnknownExtractor:
    """Stores the file, extracts nothing: recorded as `unknown`, never dropped."""

    name: ClassVar[str] = "unknown"
    version: ClassVar[str] = "1"
    paged: ClassVar[bool] = False

    def match(self, name: str, head: bytes) -> int:
        return 1

    def extract(self, ctx: ExtractContext) -> Extraction:
        return Extraction(doc_type="unknown", mime="application/octet-stream", page_count=0)


@cache
def extractors() -> tuple[Extractor, ...]:
    found: list[Extractor] = []
    for mod in FORMAT_MODULES:
        name = f"readingroom.ingest.{mod}"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name == name:
                continue
            raise
        found.extend(module.EXTRACTORS)
    found.append(UnknownExtractor())
    return tuple(found)


def choose(name: str, head: bytes) -> Extractor:
    best = max(extractors(), key=lambda ex: ex.match(name, head))
    return best


def by_name(name: str) -> Extractor:
    for ex in extractors():
        if ex.name == name:
            return ex
    raise KeyError(name)


def read_head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(HEAD_BYTES)
