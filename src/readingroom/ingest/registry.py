"""Which extractor handles a file: a scored auction over extension and magic bytes.

Every module of the plugin package `readingroom.ingest.formats` exports
`EXTRACTORS`, a list of extractor instances; `plugins.discover` imports them
all and fails loudly, naming the module, when one does not import. The
highest `match` score wins, so a PDF named `.txt` still reaches the PDF
extractor (it scores on the `%PDF-` magic), and anything no one claims is
stored as `unknown` rather than dropped.
"""

from __future__ import annotations

from functools import cache
from typing import ClassVar

from readingroom import plugins
from readingroom.errors import RegistrationError
from readingroom.ingest.model import ExtractContext, Extraction, Extractor

#: The plugin package holding one module per format family.
FORMATS_PACKAGE = "readingroom.ingest.formats"


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
    """Every format's extractors, in module name order, then the catch-all."""
    found: list[Extractor] = []
    for module in plugins.discover(FORMATS_PACKAGE):
        try:
            found.extend(module.EXTRACTORS)
        except AttributeError as e:
            raise RegistrationError(
                f"format module {module.__name__} has no EXTRACTORS list"
            ) from e
    found.append(UnknownExtractor())
    return tuple(found)


def choose(name: str, head: bytes) -> Extractor:
    """The extractor that bids highest for a file with this name and these first bytes."""
    return max(extractors(), key=lambda ex: ex.match(name, head))


def by_name(name: str) -> Extractor:
    for ex in extractors():
        if ex.name == name:
            return ex
    raise KeyError(name)
