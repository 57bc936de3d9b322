"""How well letters are read and logs imported, on real documents labelled by hand.

`figures(corpus)` is what `readingroom evaluate` prints under "requests": the kind of
each real letter, the exemptions it claims and the page figures it states, against the
labels in `tests/truth/requests/letters.json` (precision and recall); the demo letter's
figures, known by construction; and the APHIS FOIA logs, entry counts against ids
counted by hand. Letters without a text layer are read by Tesseract as ingest reads
them (`ingest.ocr.ocr_page`), so the figures include OCR's errors.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from readingroom.requests.letters import FIGURES, parse_letter

__all__ = ["figures", "letter_text_of", "score_letters", "truth_folder"]

#: Below this many characters a page is taken to have no text layer.
MIN_TEXT = 20
OCR_DPI = 200


def truth_folder() -> Path:
    return Path(__file__).resolve().parents[3] / "tests" / "truth" / "requests"


def letter_text_of(path: Path) -> str:
    """A letter's text: each page's text layer, or Tesseract's reading of the page image."""
    import pymupdf
    from PIL import Image

    from readingroom.ingest.ocr import ocr_page

    texts = []
    with pymupdf.open(path) as pdf:
        for number, page in enumerate(pdf, start=1):
            text = page.get_text()
            if len(text.strip()) < MIN_TEXT:
                pix = page.get_pixmap(dpi=OCR_DPI, colorspace=pymupdf.csGRAY)
                image = Image.frombytes("L", (pix.width, pix.height), pix.samples)
                text = ocr_page(image, number, page.rect.width, page.rect.height).text
            texts.append(text)
    return "\n\n".join(texts)


def _pr(tp: int, fp: int, fn: int, misses: list[str]) -> dict[str, Any]:
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
        "misses": misses[:10],
    }


def score_letters(
    labelled: list[dict[str, Any]], parsed: list[dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Kind accuracy and exemption / figure precision and recall over labelled letters."""
    correct = total = 0
    kind_miss: list[str] = []
    ex = [0, 0, 0]
    fig = [0, 0, 0]
    ex_miss: list[str] = []
    fig_miss: list[str] = []
    for label, got in zip(labelled, parsed, strict=True):
        name = Path(label["path"]).name
        if label["kind"] is not None:
            total += 1
            if got["kind"] == label["kind"]:
                correct += 1
            else:
                kind_miss.append(f"{name}: {got['kind']} (label: {label['kind']})")
        want, have = set(label["exemptions"]), set(got["exemptions"])
        ex[0] += len(want & have)
        ex[1] += len(have - want)
        ex[2] += len(want - have)
        ex_miss += [f"{name}: {c} not claimed" for c in sorted(have - want)]
        ex_miss += [f"{name}: {c} missed" for c in sorted(want - have)]
        for k in FIGURES:
            w, h = label["figures"].get(k), got["figures"].get(k)
            if h is not None and h == w:
                fig[0] += 1
            elif h is not None:
                fig[1] += 1
                fig_miss.append(f"{name}: {k} {h} (label: {w})")
            if w is not None and h != w:
                fig[2] += 1
    return {
        "letter kind": {
            "correct": correct,
            "letters": total,
            "accuracy": round(correct / total, 4) if total else 1.0,
            "misses": kind_miss[:10],
        },
        "exemptions claimed": _pr(ex[0], ex[1], ex[2], ex_miss),
        "page figures": _pr(fig[0], fig[1], fig[2], fig_miss),
    }


def evaluate_letters(corpus: Path) -> dict[str, dict[str, Any]] | None:
    labels = json.loads((truth_folder() / "letters.json").read_text("utf-8"))["letters"]
    present = [x for x in labels if (corpus / x["path"]).is_file()]
    if not present:
        return None
    parsed = [parse_letter(letter_text_of(corpus / x["path"])) for x in present]
    return score_letters(present, parsed)


def evaluate_demo_letter() -> dict[str, Any]:
    """The demo's production letter (figures known by construction), read from its PDF.

    Written for the demo production's page counts (133 pages, 2 withheld in full, 57
    marked) without generating the whole production, so the figure stays cheap."""
    import tempfile

    from readingroom.demo.requests import letter_pdf, letter_text

    pages: list[dict[str, Any]] = (
        [{"withheld": {"reason": "exemption"}, "exemptions": ["(b)(5)"]}] * 2
        + [{"withheld": None, "exemptions": ["(b)(6)"]}] * 57
        + [{"withheld": None, "exemptions": []}] * 74
    )
    text, said = letter_text(pages)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "letter.pdf"
        path.write_bytes(letter_pdf(text))
        got = parse_letter(letter_text_of(path))
    label = {
        "path": "demo letter",
        "kind": "partial denial",
        "exemptions": said["exemptions"],
        "figures": {k: said[k] for k in FIGURES},
    }
    return score_letters([label], [got])["page figures"]


def evaluate_logs(corpus: Path) -> dict[str, Any] | None:
    """Entries read per APHIS log file against ids counted by hand; .xlsx against .csv."""
    from readingroom.requests.logs import read_log

    labels = json.loads((truth_folder() / "logs.json").read_text("utf-8"))
    present = [x for x in labels["logs"] if (corpus / x["path"]).is_file()]
    if not present:
        return None
    exact, read, expected, misses = 0, 0, 0, []
    for x in present:
        n = len(read_log(corpus / x["path"])["entries"])
        read += n
        expected += x["entries"]
        if n == x["entries"]:
            exact += 1
        else:
            misses.append(f"{Path(x['path']).name}: {n} entries (label: {x['entries']})")
    return {
        "files": len(present),
        "files_exact": exact,
        "entries_read": read,
        "entries_labelled": expected,
        "misses": misses,
    }


def figures(corpus: Path) -> dict[str, Any]:
    """Every requests figure, as `readingroom evaluate` lists them. Called from the real-
    corpus part of evaluate: with the corpus absent, every entry is None (input absent)."""
    if not corpus.is_dir():
        return {"requests: real letters": None, "requests: FOIA log entries (real logs)": None}
    out: dict[str, Any] = {}
    letters = evaluate_letters(corpus)
    if letters is None:
        out["requests: real letters"] = None
    else:
        for k, v in letters.items():
            out[f"requests: {k} (real letters)"] = v
    out["requests: page figures (demo production letter)"] = evaluate_demo_letter()
    out["requests: FOIA log entries (real logs)"] = evaluate_logs(corpus)
    return out
