"""Measure OCR engines on generated scans and on real ones, in one run.

For each engine and page set it prints pages/s, the character error rate on
the bag of words (what search needs) and on the reading order (what an exact
quote needs), and the ratio of the runner-up to the chosen engine.

    .venv/bin/python bench/bench_ocr.py [--engines tesseract,rapidocr] [--no-corpus]

Generated pages are deterministic (fixed seeds): prose, noisy and skewed
(±2°) prose, a two-column page and a form like DHS Form I-213. Real scans
with ground truth come from ../shared/corpus/ocr when present.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pymupdf as fitz
from PIL import Image

from readingroom.errors import MissingDependency
from readingroom.ingest.ocr import get_engine, ocr_page

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "ocr"
CHOSEN = "tesseract"

try:
    from rapidfuzz.distance import Levenshtein

    def edit_distance(a: str, b: str) -> int:
        return int(Levenshtein.distance(a, b))

except ImportError:  # pragma: no cover - slow fallback keeps the bench runnable

    def edit_distance(a: str, b: str) -> int:
        prev = list(range(len(b) + 1))
        for i, ca in enumerate(a, 1):
            cur = [i]
            for j, cb in enumerate(b, 1):
                cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
            prev = cur
        return prev[-1]


def _norm(text: str) -> str:
    # Typographic variants are not recognition errors for search or quotes.
    table = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "—": "-", "–": "-"})
    return re.sub(r"\s+", " ", text.translate(table)).strip()


def cer_order(ocr: str, truth: str) -> float:
    """Full-text CER after collapsing whitespace: order matters."""
    t = _norm(truth)
    return edit_distance(_norm(ocr), t) / max(len(t), 1)


def cer_words(ocr: str, truth: str) -> float:
    """CER over the sorted bag of words: order does not matter, spelling does."""
    t = " ".join(sorted(_norm(truth).split()))
    return edit_distance(" ".join(sorted(_norm(ocr).split())), t) / max(len(t), 1)


# --------------------------------------------------------------------------- generated pages

WORDS = [
    "field",
    "office",
    "enforcement",
    "removal",
    "operations",
    "arrest",
    "target",
    "collateral",
    "detainer",
    "agency",
    "officer",
    "supervisor",
    "quota",
    "report",
    "plan",
    "memorandum",
    "request",
    "record",
    "production",
    "exemption",
    "released",
    "withheld",
    "program",
    "system",
    "database",
    "surveillance",
    "vehicle",
    "warrant",
    "interview",
    "county",
    "jail",
    "custody",
    "transfer",
    "headquarters",
    "director",
    "deputy",
    "assistant",
    "special",
    "agent",
    "operation",
    "fiscal",
    "year",
    "the",
    "of",
    "and",
    "to",
    "in",
    "for",
    "on",
    "with",
    "by",
    "at",
    "from",
    "as",
    "that",
    "was",
    "were",
    "are",
    "is",
    "not",
    "all",
    "each",
    "per",
    "week",
    "month",
    "total",
    "number",
    "persons",
    "encountered",
    "subjects",
    "processed",
]


def prose(rng: random.Random, n_sentences: int) -> str:
    out = []
    for _ in range(n_sentences):
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
        if rng.random() < 0.3:
            words.insert(rng.randint(0, len(words)), str(rng.randint(2, 950)))
        s = " ".join(words)
        out.append(s[0].upper() + s[1:] + ".")
    return " ".join(out)


@dataclass
class Sample:
    name: str
    image: Image.Image
    width_pt: float
    height_pt: float
    truth: str


def _render(page: fitz.Page, dpi: int) -> Image.Image:
    pix = page.get_pixmap(dpi=dpi, colorspace=fitz.csGRAY)
    return Image.frombytes("L", (pix.width, pix.height), pix.samples)


def _placed_text(page: fitz.Page, rect: fitz.Rect) -> str:
    """The words PyMuPDF actually placed in rect, in line order (the truth)."""
    lines: list[str] = []
    for block in page.get_text("dict", clip=rect)["blocks"]:
        for line in block.get("lines", []):
            lines.append("".join(span["text"] for span in line["spans"]))
    return "\n".join(lines)


def _degrade(img: Image.Image, rng: random.Random, angle: float) -> Image.Image:
    nrng = np.random.default_rng(rng.randint(0, 2**31))
    arr = np.asarray(img).astype(np.float32)
    arr += nrng.normal(0, 18, arr.shape)
    speck = nrng.random(arr.shape)
    arr[speck < 0.002] = 0
    arr[speck > 0.998] = 255
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
    return out.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)


def generate(seed: int = 7, dpi: int = 200) -> dict[str, list[Sample]]:
    """Deterministic page sets: clean, noisy+skewed, two-column, form."""
    rng = random.Random(seed)
    sets: dict[str, list[Sample]] = {"clean": [], "noisy_skew": [], "two_column": [], "form": []}
    for i in range(2):
        doc = fitz.open()
        page = doc.new_page(width=612, height=792)
        rect = fitz.Rect(72, 72, 540, 720)
        page.insert_textbox(rect, prose(rng, 22), fontsize=11, fontname="helv")
        truth = _placed_text(page, rect)
        img = _render(page, dpi)
        sets["clean"].append(Sample(f"clean{i}", img, 612, 792, truth))
        angle = (-2.0, 2.0)[i] * rng.uniform(0.6, 1.0)
        sets["noisy_skew"].append(Sample(f"noisy{i}", _degrade(img, rng, angle), 612, 792, truth))
    for i in range(2):
        doc = fitz.open()
        page = doc.new_page(width=612, height=792)
        title = f"Memorandum for Field Office Directors {i + 1}"
        page.insert_text((72, 70), title, fontsize=14, fontname="hebo")
        left, right = fitz.Rect(54, 90, 296, 740), fitz.Rect(316, 90, 558, 740)
        page.insert_textbox(left, prose(rng, 14), fontsize=10, fontname="tiro")
        page.insert_textbox(right, prose(rng, 14), fontsize=10, fontname="tiro")
        truth = "\n".join([title, _placed_text(page, left), _placed_text(page, right)])
        sets["two_column"].append(Sample(f"cols{i}", _render(page, dpi), 612, 792, truth))
    labels = [
        ("Family Name", "Event No"),
        ("First Name", "Date of Action"),
        ("Country of Citizenship", "Location Code"),
        ("Method of Location", "Apprehension Date"),
        ("Arresting Officer", "Program"),
        ("Status at Entry", "Disposition"),
    ]
    for i in range(2):
        doc = fitz.open()
        page = doc.new_page(width=612, height=792)
        page.insert_text((150, 60), "Record of Deportable/Inadmissible Alien", fontsize=13)
        rows = ["Record of Deportable/Inadmissible Alien"]
        y = 90.0
        for a, b in labels:
            va = " ".join(rng.choice(WORDS).capitalize() for _ in range(2))
            vb = f"{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"
            for x, lab, val in ((54, a, va), (306, b, vb)):
                page.draw_rect(fitz.Rect(x, y, x + 252, y + 44), width=0.8)
                page.insert_text((x + 4, y + 12), lab, fontsize=7)
                page.insert_text((x + 8, y + 34), val, fontsize=11, fontname="cour")
            rows += [a, va, b, vb]
            y += 44
        narrative = prose(rng, 8)
        box = fitz.Rect(60, y + 12, 552, 736)
        page.draw_rect(fitz.Rect(54, y + 4, 558, 740), width=0.8)
        page.insert_textbox(box, "Narrative: " + narrative, fontsize=10, fontname="cour")
        rows.append(_placed_text(page, box))
        sets["form"].append(Sample(f"form{i}", _render(page, dpi), 612, 792, "\n".join(rows)))
    return sets


def corpus_sets() -> dict[str, list[Sample]]:
    """Real scans with ground truth; empty when the corpus is absent."""
    if not CORPUS.is_dir():
        return {}
    out: dict[str, list[Sample]] = {"real": [], "rotated": []}

    def add(kind: str, img_path: Path, txt_path: Path) -> None:
        if not (img_path.exists() and txt_path.exists()):
            return
        img = Image.open(img_path)
        img.load()
        dpi = float(img.info.get("dpi", (300, 300))[0]) or 300.0
        if dpi < 50:
            dpi = 300.0
        img = img.convert("L")
        truth = txt_path.read_text(encoding="utf-8", errors="replace")
        w, h = img.width * 72 / dpi, img.height * 72 / dpi
        out[kind].append(Sample(img_path.name, img, w, h, truth))

    tt = CORPUS / "tesseract-test"
    for tif in sorted(tt.glob("*.tif")):
        add("real", tif, tif.with_suffix(".txt"))
    add("real", CORPUS / "ocrmypdf-test-resources" / "linn.png",
        CORPUS / "ocrmypdf-test-resources" / "linn.txt")  # fmt: skip
    for name in ("phototest-rotated-L.png", "phototest-rotated-R.png", "phototest-rotated-180.png"):
        add("rotated", tt / name, tt / "phototest.txt")
    return {k: v for k, v in out.items() if v}


# --------------------------------------------------------------------------- running


@dataclass
class Result:
    pages: int
    seconds: float
    cer_words: float
    cer_order: float

    @property
    def pps(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def run_set(samples: list[Sample], engine: str, **kw: bool) -> Result:
    secs, cw, co = 0.0, 0.0, 0.0
    for s in samples:
        t = time.perf_counter()
        page = ocr_page(s.image, 1, s.width_pt, s.height_pt, engine=engine, **kw)
        secs += time.perf_counter() - t
        cw += cer_words(page.text, s.truth)
        co += cer_order(page.text, s.truth)
    n = len(samples)
    return Result(n, secs, cw / n, co / n)


def tesseract_io(img: Image.Image) -> None:
    """pytesseract vs piped PNM, with and without OpenMP threads, on one page."""

    def piped(threads: str | None) -> Callable[[], bytes]:
        env = dict(os.environ)
        env.pop("OMP_THREAD_LIMIT", None)
        if threads:
            env["OMP_THREAD_LIMIT"] = threads

        def go() -> bytes:
            buf = io.BytesIO()
            img.save(buf, format="PPM")
            cmd = ["tesseract", "stdin", "stdout", "--dpi", "200", "--psm", "3", "tsv"]
            return subprocess.run(cmd, input=buf.getvalue(), capture_output=True, env=env).stdout

        return go

    def py() -> bytes:
        import pytesseract

        os.environ.pop("OMP_THREAD_LIMIT", None)
        return pytesseract.image_to_data(img, config="--psm 3 --dpi 200").encode()

    print("\nTesseract invocation, one 200 dpi Letter page (s/page, best of 2):")
    for label, fn in (
        ("pytesseract (PNG temp file, default threads)", py),
        ("piped PNM, default OpenMP threads", piped(None)),
        ("piped PNM, OMP_THREAD_LIMIT=1", piped("1")),
    ):
        best = min(_timed(fn) for _ in range(2))
        print(f"  {label:<46} {best:6.2f}")


def _timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engines", default="tesseract,rapidocr")
    ap.add_argument("--no-corpus", action="store_true")
    ap.add_argument("--no-io", action="store_true", help="skip the Tesseract invocation timing")
    args = ap.parse_args(argv)

    engines = []
    for name in args.engines.split(","):
        try:
            get_engine(name)
            engines.append(name)
        except MissingDependency as e:
            print(f"skipping {name}: {e}", file=sys.stderr)
    sets = generate()
    if not args.no_corpus:
        real = corpus_sets()
        if not real:
            print(f"corpus absent ({CORPUS}); generated pages only", file=sys.stderr)
        sets.update(real)
    # Variants: the chosen engine without orientation/deskew shows what they cost and buy.
    variants: list[tuple[str, str, dict[str, bool]]] = [(e, e, {}) for e in engines]
    if CHOSEN in engines:
        variants.append((f"{CHOSEN}-raw", CHOSEN, {"orient": False, "deskew": False}))
    for _, eng, _kw in variants:  # warm up: model load is not per page
        ocr_page(sets["clean"][0].image, 1, 612, 792, engine=eng)

    results: dict[tuple[str, str], Result] = {}
    for set_name, samples in sets.items():
        for label, eng, kw in variants:
            results[(label, set_name)] = run_set(samples, eng, **kw)
            r = results[(label, set_name)]
            print(f"  ... {set_name:<11} {label:<15} {r.pps:5.2f} p/s", file=sys.stderr)

    print(f"\n{'set':<11} {'engine':<15} {'pages':>5} {'pages/s':>8} "
          f"{'CER words':>10} {'CER order':>10}")  # fmt: skip
    for set_name in sets:
        for label, _, _ in variants:
            r = results[(label, set_name)]
            print(f"{set_name:<11} {label:<15} {r.pages:>5} {r.pps:>8.2f} "
                  f"{r.cer_words:>10.3%} {r.cer_order:>10.3%}")  # fmt: skip
    runner_ups = [e for e in engines if e != CHOSEN]
    if CHOSEN in engines and runner_ups:
        ru = runner_ups[0]
        print(f"\nratio {ru} / {CHOSEN} (speed >1: {ru} faster; CER >1: {ru} worse)")
        print(f"{'set':<11} {'speed':>7} {'CER words':>10} {'CER order':>10}")

        def ratio(a: float, b: float) -> str:
            return f"{a / b:>10.2f}" if b > 0 else f"{'inf' if a > 0 else '1.00':>10}"

        for set_name in sets:
            a, b = results[(ru, set_name)], results[(CHOSEN, set_name)]
            print(f"{set_name:<11} {a.pps / b.pps:>7.2f} {ratio(a.cer_words, b.cer_words)} "
                  f"{ratio(a.cer_order, b.cer_order)}")  # fmt: skip
        tot = {e: [results[(e, s)] for s in sets] for e in (ru, CHOSEN)}
        pps = {e: sum(r.pages for r in v) / sum(r.seconds for r in v) for e, v in tot.items()}
        print(f"{'all':<11} {pps[ru] / pps[CHOSEN]:>7.2f}")
    if not args.no_io and CHOSEN in engines:
        tesseract_io(sets["clean"][0].image)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
