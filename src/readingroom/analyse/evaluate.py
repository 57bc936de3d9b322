"""Accuracy figures anyone can reproduce: `readingroom evaluate`.

Three measurements, each against ground truth that does not come from the
detector itself: Free Law Project's x-ray test PDFs (file names say which
hold bad redactions), generated pages with OCR-like noise for exemption
codes and Bates stamps, and generated printed e-mail chains.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readingroom.analyse.base import DocIn, PageIn
from readingroom.ingest.model import Word

BAD_NAMES = re.compile(r"^(?:bad_|hidden_text)|_yes", re.I)
GOOD_NAMES = re.compile(r"^no_bad_|_ok|_no\b|_no\.", re.I)


@dataclass
class PR:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "misses": self.misses[:10]}


def pdf_pages(path: Path) -> list[PageIn]:
    """Pages as the ingest pipeline stores them: text and word boxes of the text layer."""
    import pymupdf

    out = []
    with pymupdf.open(path) as pdf:
        for i, page in enumerate(pdf, start=1):
            words = [Word(w[0], w[1], w[2], w[3], w[4]) for w in page.get_text("words")]
            out.append(PageIn(i, i, page.get_text(), words, page.rect.width, page.rect.height,
                              "text" if words else "none"))
    return out


def label_of(name: str) -> bool | None:
    """True: the file holds a bad redaction; False: it does not; None: name says neither."""
    if GOOD_NAMES.search(name):
        return False
    if BAD_NAMES.search(name):
        return True
    return None


def xray_files(folder: Path) -> list[tuple[Path, bool]]:
    out = []
    for p in sorted(folder.glob("*.pdf")):
        lab = label_of(p.name)
        if lab is not None:
            out.append((p, lab))
    return out


def has_bad_redaction(path: Path) -> bool:
    import pymupdf

    from readingroom.analyse.redactions import analyse_page

    with pymupdf.open(path) as pdf:
        for page_in in pdf_pages(path):
            res = analyse_page(page_in, pdf[page_in.number - 1])
            if any(b.covered for b in res.boxes):
                return True
    return False


def evaluate_xray(folder: Path) -> PR | None:
    """File-level precision and recall of bad-redaction detection; None if absent."""
    files = xray_files(folder) if folder.is_dir() else []
    if not files:
        return None
    pr = PR()
    for path, bad in files:
        found = has_bad_redaction(path)
        if found and bad:
            pr.tp += 1
        elif found:
            pr.fp += 1
            pr.misses.append(f"false alarm: {path.name}")
        elif bad:
            pr.fn += 1
            pr.misses.append(f"missed: {path.name}")
    return pr


def evaluate_xray_reference(folder: Path) -> PR | None:
    """The same measurement for the x-ray package itself, when it is installed."""
    try:
        import xray  # type: ignore[import-not-found]
    except ImportError:
        return None
    files = xray_files(folder) if folder.is_dir() else []
    if not files:
        return None
    pr = PR()
    for path, bad in files:
        found = bool(xray.inspect(path))
        pr.tp += found and bad
        pr.fp += found and not bad
        pr.fn += (not found) and bad
    return pr
