"""Generated scanned pages with known redaction boxes, for measuring box detectors.

Each page is drawn from a seed (same seed, same pixels): lines of text in
several sizes including a bold headline, black boxes from the size of a
short word to a whole line, upright and turned at any angle, some with a
white label printed inside, a column of touching boxes in different widths,
single digits blacked out alone in a form's cells; photographs (smoothed
noise, dark ones too, and gradients); handwriting-like pen strokes; then
scanner noise and blur. The truth is each box's polygon and axis-aligned bounds.
These pages are not independent of the detector's author: real pages
labelled by hand (tests/truth/scanned_boxes.json) are measured beside them.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from readingroom.page import Box

W, H = 1275, 1650  # US Letter at 150 dpi
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class Scan:
    gray: np.ndarray
    boxes: list[Box]  # pixels, axis-aligned bounds of each true box
    angles: list[float]


def _free(box: Box, taken: list[Box], pad: float = 12) -> bool:
    return all(
        box[2] + pad < t[0] or t[2] + pad < box[0] or box[3] + pad < t[1] or t[3] + pad < box[1]
        for t in taken
    )


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _poly(cx: float, cy: float, w: float, h: float, deg: float) -> list[tuple[float, float]]:
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    pts = [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]
    return [(cx + x * c - y * s, cy + x * s + y * c) for x, y in pts]


def _photo(rng: random.Random, w: int, h: int) -> Image.Image:
    nrng = np.random.default_rng(rng.randrange(1 << 30))
    kind = rng.choice(["noise", "dark", "gradient"])
    if kind == "gradient":
        a = rng.uniform(0, 2 * math.pi)
        y, x = np.mgrid[0:h, 0:w]
        t = (x * math.cos(a) + y * math.sin(a)).astype(float)
        t = (t - t.min()) / max(1.0, float(np.ptp(t)))
        arr = 255 * t + nrng.normal(0, 6, (h, w))
    else:
        base = nrng.normal(0, 1, (h // 6 + 1, w // 6 + 1))
        img = Image.fromarray(((base - base.min()) / np.ptp(base) * 255).astype(np.uint8))
        arr = np.asarray(img.resize((w, h), Image.Resampling.BICUBIC), dtype=float)
        mean, spread = (45, 40) if kind == "dark" else (rng.uniform(90, 160), 55)
        arr = mean + (arr - arr.mean()) / max(1.0, arr.std()) * spread
        arr += nrng.normal(0, 12, (h, w))
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def _stroke(draw: ImageDraw.ImageDraw, rng: random.Random, x: float, y: float) -> Box:
    """A pen stroke of loops and curves, like handwriting or a signature."""
    width = rng.randint(3, 8)
    n = rng.randint(40, 90)
    pts = []
    fx, fy = rng.uniform(0.15, 0.4), rng.uniform(0.2, 0.6)
    amp = rng.uniform(8, 30)
    for i in range(n):
        t = i * rng.uniform(0.9, 1.1)
        pts.append((x + t * rng.uniform(3, 6) / 1.0, y + amp * math.sin(fx * t) * math.cos(fy * t)))
    draw.line(pts, fill=rng.randint(10, 60), width=width, joint="curve")
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return (min(xs) - width, min(ys) - width, max(xs) + width, max(ys) + width)


def generate(seed: int) -> Scan:
    """One generated scan at 150 dpi and its true boxes."""
    rng = random.Random(seed)
    img = Image.new("L", (W, H), 250)
    draw = ImageDraw.Draw(img)
    taken: list[Box] = []
    # Headline in a heavy face: strokes as thick as a small box's side.
    head = _font(rng.randint(40, 56))
    title = " ".join(
        "".join(rng.choice(_LETTERS.upper()) for _ in range(rng.randint(2, 7))) for _ in range(3)
    )
    draw.text((90, 70), title, font=head, fill=15, stroke_width=2, stroke_fill=15)
    taken.append((80, 60, 90 + draw.textlength(title, font=head) + 10, 150))
    # Photographs and pen strokes first, so boxes keep clear of them.
    for _ in range(rng.randint(1, 2)):
        pw, ph = rng.randint(160, 380), rng.randint(140, 320)
        for _try in range(30):
            px, py = rng.randint(80, W - pw - 80), rng.randint(170, H - ph - 80)
            if _free((px, py, px + pw, py + ph), taken):
                img.paste(_photo(rng, pw, ph), (px, py))
                taken.append((px, py, px + pw, py + ph))
                break
    for _ in range(rng.randint(2, 4)):
        for _try in range(30):
            sx, sy = rng.randint(80, W - 500), rng.randint(180, H - 120)
            guess = (sx - 10, sy - 45, sx + 460, sy + 45)
            if _free(guess, taken):
                taken.append(_stroke(draw, rng, sx, sy))
                break
    # Boxes: from a short word to a line, some turned, some labelled.
    boxes: list[Box] = []
    angles: list[float] = []
    for _ in range(rng.randint(4, 9)):
        bh = rng.randint(14, 42)
        bw = rng.choice([rng.randint(26, 60), rng.randint(60, 200), rng.randint(200, 520)])
        deg = 0.0
        if rng.random() < 0.4:
            deg = rng.choice([rng.uniform(-6, 6), rng.uniform(-90, 90)])
        for _try in range(40):
            cx, cy = rng.uniform(120 + bw / 2, W - 120 - bw / 2), rng.uniform(180, H - 100)
            poly = _poly(cx, cy, bw, bh, deg)
            bx = (
                min(p[0] for p in poly),
                min(p[1] for p in poly),
                max(p[0] for p in poly),
                max(p[1] for p in poly),
            )
            if bx[0] > 20 and bx[2] < W - 20 and bx[3] < H - 20 and _free(bx, taken, 18):
                draw.polygon(poly, fill=rng.randint(0, 35))
                if deg == 0 and bw >= 90 and bh >= 20 and rng.random() < 0.5:
                    f = _font(max(10, bh - 8))
                    draw.text((bx[0] + 6, bx[1] + 3), "(b)(6)", font=f, fill=235)
                taken.append(bx)
                boxes.append(bx)
                angles.append(deg)
                break
    # Single digits blacked out in a form's cells: thin, upright, alone.
    for _ in range(rng.randint(0, 3)):
        bw, bh = rng.randint(10, 13), rng.randint(18, 22)
        for _try in range(40):
            x, y = rng.uniform(120, W - 140), rng.uniform(180, H - 100)
            bx = (x, y, x + bw, y + bh)
            if _free((x - bh, y, x + bw + bh, y + bh), taken, 6):
                draw.rectangle([x, y, x + bw - 1, y + bh - 1], fill=rng.randint(0, 25))
                taken.append((x - bh, y, x + bw + bh, y + bh))
                boxes.append(bx)
                angles.append(0.0)
                break
    # A redacted column: boxes one under another, touching, in different widths.
    if rng.random() < 0.5:
        n, bh = rng.randint(3, 5), rng.randint(16, 24)
        widths = [rng.randint(60, 200)]
        while len(widths) < n:  # neighbours of one width would print as one box
            w = rng.randint(60, 200)
            if abs(w - widths[-1]) >= 10:
                widths.append(w)
        for _try in range(40):
            x, y = rng.uniform(120, W - 340), rng.uniform(180, H - 100 - n * bh)
            whole = (x, y, x + max(widths), y + n * bh)
            if _free(whole, taken, 18):
                for j, bw in enumerate(widths):
                    bx = (x, y + j * bh, x + bw, y + (j + 1) * bh)
                    draw.rectangle([bx[0], bx[1], bx[2] - 1, bx[3] - 1], fill=rng.randint(0, 25))
                    boxes.append(bx)
                    angles.append(0.0)
                taken.append(whole)
                break
    # Lines of text wherever the page is still free.
    y = 170
    while y < H - 90:
        size = rng.choice([16, 18, 20, 22, 26])
        f = _font(size)
        x = 90.0
        while x < W - 160:
            word = "".join(rng.choice(_LETTERS) for _ in range(rng.randint(1, 9)))
            wl = draw.textlength(word, font=f)
            wb = (x, y, x + wl, y + size)
            if _free(wb, taken, 4):
                draw.text((x, y), word, font=f, fill=rng.randint(10, 50))
            x += wl + size * 0.4
        y += int(size * 1.6)
    img = img.filter(ImageFilter.GaussianBlur(0.7))
    arr = np.asarray(img, dtype=float)
    arr += np.random.default_rng(seed).normal(0, 6, arr.shape)
    return Scan(np.clip(arr, 0, 255).astype(np.uint8), boxes, angles)


def iou(a: Box, b: Box) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def match(found: list[Box], truth: list[Box], at: float = 0.5) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives), each truth matched once."""
    used: set[int] = set()
    tp = 0
    for f in found:
        best, best_i = at, None
        for i, t in enumerate(truth):
            if i not in used and (v := iou(f, t)) >= best:
                best, best_i = v, i
        if best_i is not None:
            used.add(best_i)
            tp += 1
    return tp, len(found) - tp, len(truth) - tp
