"""A page's geometry as every layer sees it: words with boxes, in PDF points.

Coordinates are PDF points (1/72 inch) from the page's top-left corner, for
every source (text layer, OCR of a scan, rendered e-mail), so that ingest,
the store, analysers and the viewer relate words, redaction boxes and page
images uniformly. This module imports nothing of readingroom: the store and
ingest both depend on it, never on each other.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Box", "Word", "box_of"]

#: (x0, y0, x1, y1) in points from the page's top-left corner.
Box = tuple[float, float, float, float]


class Word(NamedTuple):
    """One word on a page; a NamedTuple so millions of them stay cheap."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    conf: float | None = None  # OCR confidence 0..100; None for a text layer


def box_of(words: list[Word]) -> Box:
    """The smallest box holding every word (words must not be empty)."""
    return (
        min(w.x0 for w in words),
        min(w.y0 for w in words),
        max(w.x1 for w in words),
        max(w.y1 for w in words),
    )
