"""Document types as users say them, and what each supports.

`type:` in search, the analysers' choice of documents, the viewer's page
image and the Bates report all ask here instead of keeping their own lists.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ANALYSABLE_TYPES",
    "DOC_TYPES",
    "PAGE_IMAGE_TYPES",
    "DocType",
    "has_page_images",
    "sql_list",
]


@dataclass(frozen=True)
class DocType:
    name: str
    #: Pages have an image (rendered PDF page, scan frame): viewer image, OCR,
    #: image-based analysers, Bates stamps expected on every page.
    page_images: bool = False
    #: Pages hold text worth analysing (exemptions, offices, e-mail headers...).
    analysable: bool = False


_ALL = (
    DocType("pdf", page_images=True, analysable=True),
    DocType("image", page_images=True, analysable=True),
    DocType("email", analysable=True),
    DocType("mailbox"),
    DocType("spreadsheet", analysable=True),
    DocType("word", analysable=True),
    DocType("presentation", analysable=True),
    DocType("html", analysable=True),
    DocType("text", analysable=True),
    DocType("csv", analysable=True),
    DocType("archive"),
    DocType("unknown"),
)

TYPES: dict[str, DocType] = {t.name: t for t in _ALL}
DOC_TYPES: tuple[str, ...] = tuple(TYPES)
PAGE_IMAGE_TYPES: tuple[str, ...] = tuple(t.name for t in _ALL if t.page_images)
ANALYSABLE_TYPES: tuple[str, ...] = tuple(t.name for t in _ALL if t.analysable)


def has_page_images(doc_type: str) -> bool:
    t = TYPES.get(doc_type)
    return bool(t and t.page_images)


def sql_list(names: tuple[str, ...]) -> str:
    """`'pdf', 'image'` for an SQL `IN (...)`: the names are constants, never user text."""
    return ", ".join(f"'{n}'" for n in names)
