"""OCR behind one small interface, so engines can be measured and swapped.

Every engine returns words in PDF points (the page's coordinate system), so
the rest of readingroom never needs to know a page was a scan.

Engines report *layout*: blocks of lines of words in the engine's own reading
order. Text is built from that structure, never by re-sorting words by y, so
a two-column page reads column by column. Before recognition a page is put
upright (90/180/270° via Tesseract's OSD, run only when a cheap check says
it may be needed) and deskewed (projection profile); word boxes are mapped
back to the page as it was given, so highlights land on the displayed image.

Tesseract runs through `readingroom.external.run`, with a timeout per call
on one page (`OCR_TIMEOUT`, or the ingest option `ocr_timeout`): a page that
hangs Tesseract fails that file with kind `timeout`, Tesseract's stderr in
the message. A missing Tesseract or language pack is a MissingDependency.

Figures behind the choices (engine, subprocess, thread limit, when to run
OSD) are in docs/ocr.md and come from bench/bench_ocr.py.
"""

from __future__ import annotations

import io
import logging
import math
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

import numpy as np
from PIL import Image

from readingroom.errors import MissingDependency, ProgramFailed, ProgramTimedOut
from readingroom.external import find_program, run
from readingroom.ingest.model import OCR_TIMEOUT, PageContent, Word
from readingroom.page import box_of

log = logging.getLogger(__name__)

Line = list[Word]
Block = list[Line]

#: Below this mean word confidence the upright guess is doubted and OSD runs.
LOW_CONFIDENCE = 60.0
#: Skew smaller than this (degrees) is left alone: resampling costs more than it helps.
MIN_DESKEW = 0.3
MAX_DESKEW = 5.0


class OcrEngine(Protocol):
    """What readingroom needs from an OCR engine."""

    name: str
    version: str

    def layout(self, image: Image.Image, languages: str, *, dpi: int | None = None) -> list[Block]:
        """Blocks of lines of words (pixels), in the engine's own reading order."""
        ...


def _flatten(blocks: list[Block]) -> list[Word]:
    return [w for block in blocks for line in block for w in line]


def join_layout(blocks: list[Block]) -> str:
    """Text of a layout: words by spaces, lines by newlines, blocks by a blank line."""
    return "\n\n".join(
        "\n".join(" ".join(w.text for w in line) for line in block if line)
        for block in blocks
        if any(block)
    )


# --------------------------------------------------------------------------- Tesseract


def _tesseract_env() -> dict[str, str]:
    # Tesseract's OpenMP threads spin against each other and against the
    # process pool: one thread per process measured 4-5x faster (docs/ocr.md).
    env = dict(os.environ)
    env.setdefault("OMP_THREAD_LIMIT", "1")
    return env


#: `tesseract --version` answers at once; a page's timeout may be set far shorter.
VERSION_TIMEOUT = 30.0
#: Messages by which Tesseract says a language pack is not installed.
_MISSING_LANGUAGE = ("Failed loading language", "Error opening data file")


class TesseractEngine:
    """Tesseract through its CLI, the image piped as PNM (no temp files, no PNG encoding)."""

    name = "tesseract"

    def __init__(self, timeout: float = OCR_TIMEOUT) -> None:
        self._exe = find_program("tesseract", package="tesseract-ocr")
        self.timeout = timeout
        out = run(
            [self._exe, "--version"], timeout=VERSION_TIMEOUT, env=_tesseract_env(), check=False
        )
        first = (out.stdout or out.stderr).decode("utf-8", "replace").split("\n", 1)[0]
        self.version = first.split()[-1] if first else "unknown"

    def _run(
        self, image: Image.Image, args: Sequence[str], dpi: int | None, *, check: bool = True
    ) -> str:
        buf = io.BytesIO()
        img = image if image.mode in ("L", "1", "RGB") else image.convert("RGB")
        img.save(buf, format="PPM")  # raw PNM: cheapest encoding leptonica reads
        # A piped PNM carries no resolution: without --dpi Tesseract guesses
        # 70 dpi, which made OSD call an upright 200 dpi page "270°".
        dpi = dpi or _image_dpi(image)
        cmd = [self._exe, "stdin", "stdout", *(["--dpi", str(dpi)] if dpi else []), *args]
        try:
            proc = run(
                cmd, input=buf.getvalue(), timeout=self.timeout, env=_tesseract_env(), check=check
            )
        except ProgramTimedOut:
            raise
        except ProgramFailed as e:
            if any(m in e.stderr for m in _MISSING_LANGUAGE):
                raise MissingDependency(
                    f"Tesseract language data missing (install tesseract-ocr-LANG): {e.stderr}"
                ) from e
            raise
        if proc.returncode != 0:  # only with check=False: the caller expects failures
            log.debug("tesseract exited %d: %s", proc.returncode, proc.stderr[-300:])
            return ""
        return proc.stdout.decode("utf-8", "replace")

    def layout(self, image: Image.Image, languages: str, *, dpi: int | None = None) -> list[Block]:
        tsv = self._run(image, ["-l", languages, "--psm", "3", "tsv"], dpi)
        blocks: dict[int, dict[tuple[int, int], Line]] = {}
        for row in tsv.splitlines()[1:]:
            cols = row.split("\t")
            if len(cols) < 12 or cols[0] != "5":
                continue
            text = cols[11].strip()
            conf = float(cols[10])
            if not text or conf < 0:
                continue
            block, par, line = int(cols[2]), int(cols[3]), int(cols[4])
            x, y, w, h = (int(c) for c in cols[6:10])
            word = Word(x, y, x + w, y + h, text, conf)
            blocks.setdefault(block, {}).setdefault((par, line), []).append(word)
        # TSV rows come in Tesseract's reading order; dicts keep insertion order.
        return [list(lines.values()) for lines in blocks.values()]

    def orientation(self, image: Image.Image, dpi: int | None = None) -> tuple[int, float]:
        """(clockwise degrees the page must be turned to be upright, OSD confidence)."""
        # A blank or nearly blank page makes OSD exit 1 ("Too few characters"):
        # expected, so not a warning on stderr for every page of a long blank scan.
        out = self._run(image, ["--psm", "0", "-l", "osd"], dpi, check=False)
        rotate = re.search(r"Rotate:\s*(\d+)", out)
        conf = re.search(r"Orientation confidence:\s*([\d.]+)", out)
        if not rotate:
            return 0, 0.0
        return int(rotate.group(1)) % 360, float(conf.group(1)) if conf else 0.0


# --------------------------------------------------------------------------- RapidOCR


class RapidOcrEngine:
    """PP-OCRv4 via rapidocr-onnxruntime; its ONNX models ship inside the wheel (offline)."""

    name = "rapidocr"

    def __init__(self) -> None:
        try:
            from importlib.metadata import version

            from rapidocr_onnxruntime import RapidOCR
        except ImportError as e:
            raise MissingDependency(
                "RapidOCR is not installed; install it with: "
                "pip install rapidocr-onnxruntime==1.4.4"
            ) from e
        self.version = version("rapidocr-onnxruntime")
        # One ONNX thread per process: ingest parallelises over pages already.
        self._ocr: Callable[..., Any] = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)

    def layout(self, image: Image.Image, languages: str, *, dpi: int | None = None) -> list[Block]:
        # `languages` is ignored: the bundled model reads Latin script and Chinese.
        arr = np.asarray(image.convert("RGB"))
        result, _ = self._ocr(arr, return_word_box=True)
        lines: list[Line] = []
        for item in result or []:
            _box, text, score = item[0], item[1], float(item[2])
            chars = item[3] if len(item) > 4 else []
            cscores = item[5] if len(item) > 5 else []
            lines.append(_rapid_line(item[0], text, score, chars, cscores))
        return xy_cut([ln for ln in lines if ln])


def _rapid_line(
    box: Sequence[Sequence[float]],
    text: str,
    score: float,
    chars: Sequence[Sequence[Sequence[float]]],
    cscores: Sequence[float],
) -> Line:
    """Split a RapidOCR text line into words using its per-character boxes."""
    if len(chars) != len(text):
        # No per-character boxes: spread the words over the line box by length.
        xs = [p[0] for p in box]
        ys = [p[1] for p in box]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        total = max(len(text), 1)
        words = []
        for m in re.finditer(r"\S+", text):
            a = x0 + (x1 - x0) * m.start() / total
            b = x0 + (x1 - x0) * m.end() / total
            words.append(Word(a, y0, b, y1, m.group(), round(score * 100, 1)))
        return words
    words = []
    for m in re.finditer(r"\S+", text):
        pts = [p for c in chars[m.start() : m.end()] for p in c]
        confs = list(cscores[m.start() : m.end()]) or [score]
        words.append(
            Word(
                float(min(p[0] for p in pts)),
                float(min(p[1] for p in pts)),
                float(max(p[0] for p in pts)),
                float(max(p[1] for p in pts)),
                m.group(),
                round(100 * sum(confs) / len(confs), 1),
            )
        )
    return words


def xy_cut(lines: list[Line]) -> list[Block]:
    """Order text lines that carry no structure into blocks (recursive XY-cut).

    Vertical cuts (column gutters wider than two line heights) are preferred
    to horizontal ones, so columns read top to bottom before the next column.
    """
    if not lines:
        return []
    heights = sorted(box_of(ln)[3] - box_of(ln)[1] for ln in lines)
    unit = max(heights[len(heights) // 2], 1.0)

    def gaps(spans: list[tuple[float, float]], min_gap: float) -> float | None:
        """Midpoint of the widest gap between spans wider than min_gap, or None."""
        spans = sorted(spans)
        best, best_at, reach = min_gap, None, spans[0][1]
        for a, b in spans[1:]:
            if a - reach > best:
                best, best_at = a - reach, (a + reach) / 2
            reach = max(reach, b)
        return best_at

    def cut(group: list[Line]) -> list[Block]:
        if len(group) <= 1:
            return [group]
        boxes = [box_of(ln) for ln in group]
        at = gaps([(b[0], b[2]) for b in boxes], 2 * unit)
        if at is not None:
            left = [ln for ln, b in zip(group, boxes, strict=True) if b[2] <= at]
            right = [ln for ln, b in zip(group, boxes, strict=True) if b[2] > at]
            return cut(left) + cut(right)
        at = gaps([(b[1], b[3]) for b in boxes], 0.8 * unit)
        if at is not None:
            top = [ln for ln, b in zip(group, boxes, strict=True) if b[3] <= at]
            bottom = [ln for ln, b in zip(group, boxes, strict=True) if b[3] > at]
            return cut(top) + cut(bottom)
        # No clean cut: one block, lines top to bottom, left to right.
        return [sorted(group, key=lambda ln: ((box_of(ln)[1] + box_of(ln)[3]) / 2, box_of(ln)[0]))]

    return cut(lines)


ENGINES: dict[str, type] = {"tesseract": TesseractEngine, "rapidocr": RapidOcrEngine}


@cache
def get_engine(name: str, timeout: float = OCR_TIMEOUT) -> OcrEngine:
    """One engine instance per worker process (engines load models once).

    `timeout` bounds each call of an engine that runs a program (Tesseract);
    an in-process engine (RapidOCR) cannot be stopped and ignores it.
    """
    try:
        cls = ENGINES[name]
    except KeyError:
        raise MissingDependency(f"unknown OCR engine {name!r}; known: {sorted(ENGINES)}") from None
    engine: OcrEngine = cls(timeout) if cls is TesseractEngine else cls()
    log.debug("OCR engine %s %s", engine.name, engine.version)
    return engine


# --------------------------------------------------------------------------- geometry


def _image_dpi(image: Image.Image) -> int | None:
    dpi = image.info.get("dpi")
    if dpi and float(dpi[0]) >= 50:
        return round(float(dpi[0]))
    return None


def _ink(image: Image.Image, target: int = 1000) -> tuple[np.ndarray, np.ndarray, float]:
    """Coordinates of dark pixels of a downscaled copy, and the scale used."""
    gray = image.convert("L")
    scale = min(1.0, target / max(gray.size))
    if scale < 1.0:
        gray = gray.resize((round(gray.width * scale), round(gray.height * scale)))
    arr = np.asarray(gray)
    thresh = min(128, float(arr.mean()) - 2 * float(arr.std()) / 3) if arr.size else 128
    ys, xs = np.nonzero(arr < max(thresh, 40))
    if xs.size > 60_000:  # subsample: the profile only needs the shape
        idx = np.random.default_rng(0).choice(xs.size, 60_000, replace=False)
        xs, ys = xs[idx], ys[idx]
    return xs.astype(np.float64), ys.astype(np.float64), scale


def _sharpness(xs: np.ndarray, ys: np.ndarray, angle_deg: float, rows: bool = True) -> float:
    """How peaked the row (or column) profile is after rotating by angle_deg."""
    a = math.radians(angle_deg)
    # Row (or column) coordinate after PIL's counter-clockwise rotate(a).
    v = -xs * math.sin(a) + ys * math.cos(a) if rows else xs * math.cos(a) + ys * math.sin(a)
    hist = np.bincount((v - v.min()).astype(np.int64))
    return float(np.sum(hist.astype(np.float64) ** 2)) / max(xs.size, 1)


def estimate_skew(image: Image.Image) -> tuple[float, bool]:
    """(angle in degrees to pass to PIL rotate to level the lines, page looks sideways).

    Projection profile: text lines make the row histogram peaky when level.
    Sideways text makes the column histogram peakier than any row histogram.
    """
    xs, ys, _ = _ink(image)
    if xs.size < 200:
        return 0.0, False

    def search(rows: bool) -> tuple[float, float]:
        coarse = [a / 2 for a in range(-2 * int(MAX_DESKEW), 2 * int(MAX_DESKEW) + 1)]
        best = max(coarse, key=lambda a: _sharpness(xs, ys, a, rows))
        fine = [best + d / 10 for d in range(-5, 6)]
        best = max(fine, key=lambda a: _sharpness(xs, ys, a, rows))
        return best, _sharpness(xs, ys, best, rows)

    angle, row_score = search(True)
    _, col_score = search(False)
    return angle, col_score > 1.3 * row_score


@dataclass
class Prepared:
    """The image given to the engine and how to map its pixels back."""

    image: Image.Image
    angle: float  # total counter-clockwise degrees applied (PIL rotate)
    src_size: tuple[int, int]
    meta: dict[str, Any] = field(default_factory=dict)

    def to_source(self, w: Word) -> Word:
        """Map a word box from the prepared image to the original image's pixels."""
        if not self.angle:
            return w
        a = math.radians(self.angle)
        ca, sa = math.cos(a), math.sin(a)
        cx2, cy2 = self.image.width / 2, self.image.height / 2
        cx, cy = self.src_size[0] / 2, self.src_size[1] / 2
        xs, ys = [], []
        for px, py in ((w.x0, w.y0), (w.x1, w.y0), (w.x0, w.y1), (w.x1, w.y1)):
            du, dv = px - cx2, py - cy2
            xs.append(cx + du * ca - dv * sa)
            ys.append(cy + du * sa + dv * ca)
        return Word(min(xs), min(ys), max(xs), max(ys), w.text, w.conf)


def _rotate(image: Image.Image, angle: float) -> Image.Image:
    if not angle:
        return image
    if angle % 90 == 0:
        return image.rotate(angle, expand=True)  # exact transpose
    fill: Any = 255 if image.mode == "L" else (255, 255, 255)
    return image.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=fill)


def _osd(timeout: float) -> Callable[[Image.Image, int | None], tuple[int, float]] | None:
    """Tesseract's orientation detection, used whatever engine recognises the page."""
    try:
        engine = get_engine("tesseract", timeout)
    except MissingDependency:
        return None
    assert isinstance(engine, TesseractEngine)
    return engine.orientation


def _mean_conf(words: list[Word]) -> float:
    confs = [w.conf for w in words if w.conf is not None]
    return sum(confs) / len(confs) if confs else 0.0


def recognize_page(
    image: Image.Image,
    eng: OcrEngine,
    languages: str,
    *,
    dpi: int | None = None,
    orient: bool = True,
    deskew: bool = True,
    timeout: float = OCR_TIMEOUT,
) -> tuple[list[Block], Prepared]:
    """Upright + deskew + recognise; layout in the prepared image's pixels."""
    src = image if image.mode in ("L", "RGB") else image.convert("RGB")
    angle, sideways = estimate_skew(src) if (deskew or orient) else (0.0, False)
    if not deskew or abs(angle) < MIN_DESKEW:
        angle = 0.0
    osd = _osd(timeout)
    base = 0
    meta: dict[str, Any] = {}
    if sideways and not orient:
        angle = 0.0  # a row profile of a sideways page says nothing about skew
    if orient and sideways and osd is not None:
        base, conf = osd(src, dpi)
        meta["osd"] = {"rotate": base, "confidence": conf, "why": "sideways profile"}
        log.debug("sideways profile: OSD says turn %d° (confidence %.1f)", base, conf)
        if base in (90, 270):
            # Profile was measured on the sideways page; re-level after turning.
            turned = _rotate(src, -base)
            angle, _ = estimate_skew(turned) if deskew else (0.0, False)
            if abs(angle) < MIN_DESKEW:
                angle = 0.0
    prep = Prepared(_rotate(src, -base + angle), -base + angle, src.size, meta)
    blocks = eng.layout(prep.image, languages, dpi=dpi)
    if orient and osd is not None and base == 0 and _mean_conf(_flatten(blocks)) < LOW_CONFIDENCE:
        # Upside-down pages pass the profile test; they read as low-confidence junk.
        rot, conf = osd(src, dpi)
        meta["osd"] = {"rotate": rot, "confidence": conf, "why": "low confidence"}
        log.debug("low confidence: OSD says turn %d° (confidence %.1f)", rot, conf)
        if rot:
            alt = Prepared(_rotate(src, -rot + angle), -rot + angle, src.size, meta)
            alt_blocks = eng.layout(alt.image, languages, dpi=dpi)
            if _mean_conf(_flatten(alt_blocks)) > _mean_conf(_flatten(blocks)):
                blocks, prep = alt_blocks, alt
    prep.meta = meta
    return blocks, prep


def ocr_page(
    image: Image.Image,
    number: int,
    width_pt: float,
    height_pt: float,
    *,
    engine: str = "tesseract",
    languages: str = "eng",
    orient: bool = True,
    deskew: bool = True,
    timeout: float = OCR_TIMEOUT,
) -> PageContent:
    """OCR one page image and return it as a page in points.

    width_pt/height_pt describe `image` as displayed; boxes are mapped back to
    it even when the page was turned or deskewed for recognition.
    """
    eng = get_engine(engine, timeout)
    dpi = round(image.width / width_pt * 72) if width_pt > 0 else _image_dpi(image)
    blocks, prep = recognize_page(
        image, eng, languages, dpi=dpi, orient=orient, deskew=deskew, timeout=timeout
    )
    sx = width_pt / image.width
    sy = height_pt / image.height

    def to_pt(w: Word) -> Word:
        s = prep.to_source(w)
        return Word(
            round(max(0.0, s.x0) * sx, 2),
            round(max(0.0, s.y0) * sy, 2),
            round(min(image.width, s.x1) * sx, 2),
            round(min(image.height, s.y1) * sy, 2),
            s.text,
            s.conf,
        )

    pt_blocks = [[[to_pt(w) for w in line] for line in block] for block in blocks]
    words = _flatten(pt_blocks)
    meta: dict[str, Any] = {"rotation": round(-prep.angle, 2) % 360} if prep.angle else {}
    meta.update(prep.meta)
    return PageContent(
        number=number,
        text=join_layout(pt_blocks),
        words=words,
        width=width_pt,
        height=height_pt,
        source="ocr",
        ocr_engine=f"{eng.name} {eng.version}",
        ocr_confidence=round(_mean_conf(words), 1) if words else 0.0,
        meta=meta,
    )
