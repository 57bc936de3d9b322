"""Redaction boxes in a page image: filled, uniform, rectangular dark regions.

A scanned redaction is a nearly black, nearly uniform region whose outline is
a rectangle at any angle (a page fed askew turns every box with it), from
the size of a short word up. Everything else dark on a scan fails one of
four tests, applied in this order because each is cheaper than the next:

- *thin*: glyph strokes, table rules and pen lines are removed by a
  morphological opening with a disc a little wider than a bold stroke;
- *small*: what survives must still be as large as a short word;
- *not a rectangle*: the region must fill most of its minimum-area rotated
  rectangle (rotating calipers over its convex hull), which handwriting
  loops and dark blobs in photographs do not;
- *not uniform or not on paper*: its inside must be dark with little
  spread (photographs and gradients are textured), and a ring just outside
  it must be mostly paper or ink, not the mid-tones of a photograph.

scipy.ndimage does the morphology and labelling (scipy is pinned in
pyproject; it was already installed for datasketch); measured against the
previous run-stacking detector on the generated scans in
`readingroom evaluate` (docs/analysers.md).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from readingroom.page import Box

#: Resolution the detector is tuned for; other resolutions scale the sizes.
DPI = 150
INK = 90  # grey level (0..255) at or below which a pixel is dark
#: Opening disc radius in pixels at DPI: strokes thinner than 2r+1 vanish.
STROKE_R = 3
MIN_SHORT = 10  # pixels at DPI: about 4.8 pt, a box over small print
#: Thinner than this, a region must lie flat: upright or slanted bars of that
#: width are the stems of heavy headline letters (I, l, T's stem, A's legs).
STEM = 14
MIN_INK = 0.7  # share of the rectangle that is ink as printed
MIN_EDGE = 0.9  # share of each side along which ink runs
MAX_HOLE = 0.06  # largest light piece inside, as a share of the rectangle
MIN_DARK = 0.7  # share of the inside that is dark (the rest: a label printed on it)
MIN_LONG = 16  # pixels at DPI: about 7.7 pt, a two-letter word
MIN_FILL = 0.6  # share of the rotated rectangle the opened region fills
MAX_MEAN = 75  # grey level: a box is black, not dark grey
MAX_SPREAD = 22  # grey standard deviation inside a box
RING = (3, 7)  # pixels outside the box, at DPI, where paper should show
MAX_RING_MID = 0.35  # share of the ring in mid-tones (a photograph's)
MID = (95, 200)
MAX_ATTACHED = 0.12  # share of the ring that is ink joined to the region


@dataclass(frozen=True)
class ImageBox:
    """A detected box: the axis-aligned bounds and the rotated rectangle's angle."""

    box: Box  # pixels
    angle: float  # degrees, 0 for an upright box
    corners: tuple[tuple[float, float], ...]  # rotated rectangle, pixels (x, y)

    def scaled(self, s: float) -> Box:
        return (self.box[0] * s, self.box[1] * s, self.box[2] * s, self.box[3] * s)


def _disc(r: int) -> np.ndarray:
    y, x = np.mgrid[-r : r + 1, -r : r + 1]
    return (x * x + y * y) <= r * r + r


def min_area_rect(points: np.ndarray) -> tuple[float, float, float, np.ndarray]:
    """(area, angle°, short/long, corners) of the least-area rotated rectangle around points."""
    from scipy.spatial import ConvexHull, QhullError  # type: ignore[import-untyped]

    try:
        hull = points[ConvexHull(points).vertices]
    except (QhullError, ValueError):  # collinear: a line has no area
        return 0.0, 0.0, 0.0, points[:1]
    edges = np.diff(np.vstack([hull, hull[:1]]), axis=0)
    angles = np.unique(np.mod(np.arctan2(edges[:, 1], edges[:, 0]), math.pi / 2))
    best: tuple[float, float, float, np.ndarray] | None = None
    for a in angles:
        c, s = math.cos(a), math.sin(a)
        rot = hull @ np.array([[c, -s], [s, c]])
        lo, hi = rot.min(axis=0), rot.max(axis=0)
        w, h = hi - lo
        area = float(w * h)
        if best is None or area < best[0]:
            box = np.array([[lo[0], lo[1]], [hi[0], lo[1]], [hi[0], hi[1]], [lo[0], hi[1]]])
            corners = box @ np.array([[c, s], [-s, c]])
            best = (area, math.degrees(a), float(min(w, h) / max(w, h, 1e-9)), corners)
    assert best is not None
    return best


def _rasterise(corners: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Pixels whose centres lie inside the (convex) polygon `corners` (x, y)."""
    yy, xx = np.mgrid[0 : shape[0], 0 : shape[1]]
    px, py = xx + 0.5, yy + 0.5
    inside = np.ones(shape, dtype=bool)
    n = len(corners)
    sign = 0.0
    for j in range(n):
        (ax, ay), (bx, by) = corners[j], corners[(j + 1) % n]
        cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax)
        if sign == 0.0:
            cx, cy = corners[(j + 2) % n]
            sign = 1.0 if (bx - ax) * (cy - ay) - (by - ay) * (cx - ax) >= 0 else -1.0
        inside &= cross * sign >= -1e-9
    return inside


def _edge_cover(corners: np.ndarray, ink: np.ndarray, inset: float) -> float:
    """The least share of ink found along any side, `inset` pixels inside the rectangle."""
    centre = corners.mean(axis=0)
    worst = 1.0
    h, w = ink.shape
    for j in range(4):
        a, b = corners[j], corners[(j + 1) % 4]
        length = float(np.hypot(*(b - a)))
        if length < 1:
            continue
        mid = (a + b) / 2
        normal = centre - mid
        normal /= max(1e-9, float(np.hypot(*normal)))
        t = np.linspace(0.1, 0.9, max(6, int(length)))[:, None]
        pts = a + t * (b - a) + normal * inset
        xi = np.clip(pts[:, 0].astype(int), 0, w - 1)
        yi = np.clip(pts[:, 1].astype(int), 0, h - 1)
        worst = min(worst, float(ink[yi, xi].mean()))
    return worst


@dataclass
class _Page:
    """What every candidate on one page is judged against."""

    gray: np.ndarray
    dark: np.ndarray
    k: float
    r: int
    ring_in: int
    ring_out: int


def detect(gray: np.ndarray, dpi: float = DPI) -> list[ImageBox]:
    """Redaction boxes in a greyscale page image (uint8, 0 = black) at `dpi`."""
    from scipy import ndimage  # type: ignore[import-untyped]

    k = dpi / DPI
    dark = gray <= INK
    if not dark.any():
        return []
    r = max(1, round(STROKE_R * k))
    solid = ndimage.binary_opening(dark, structure=_disc(r))
    labels, n = ndimage.label(solid)
    if n == 0:
        return []
    ring_in, ring_out = (max(1, round(v * k)) for v in RING)
    pg = _Page(gray, dark, k, r, ring_in, ring_out)
    out: list[ImageBox] = []
    h_img, w_img = gray.shape
    for i, sl in enumerate(ndimage.find_objects(labels), start=1):
        if sl is None:
            continue
        ys, xs = sl
        bh, bw = ys.stop - ys.start, xs.stop - xs.start
        if min(bh, bw) < MIN_SHORT * k * 0.9 or max(bh, bw) < MIN_LONG * k:
            continue
        if bh > 0.9 * h_img and bw > 0.9 * w_img:
            continue  # the scanner bed or a black page edge
        mask = labels[sl] == i
        found = _judge(pg, mask, sl)
        if found is not None:
            out.append(found)
            continue
        # Boxes drawn one under another, touching, in different widths (a
        # redacted column of names) make one region that is no rectangle:
        # cut it where its left or right edge steps, and judge each band.
        # Every band must be a box, together covering the region: a photograph
        # or a blot of ink cut into bands leaves bands that are not.
        stack: list[ImageBox] = []
        covered = 0
        for band, band_sl in _bands(mask, sl, k):
            sibling = np.zeros_like(dark)
            sibling[sl] = ndimage.binary_dilation(mask & ~_place(band, band_sl, sl), iterations=2)
            found = _judge(pg, band, band_sl, sibling)
            if found is None:
                break
            stack.append(found)
            covered += int(band.sum())
        else:
            if len(stack) >= 2 and covered >= 0.95 * int(mask.sum()):
                out.extend(stack)
    return out


def _alone(dark: np.ndarray, sl: tuple[slice, slice], gap: int) -> bool:
    """No ink beside the region, left or right, within its own height."""
    ys, xs = sl
    h = ys.stop - ys.start
    rows = slice(ys.start + 2, max(ys.start + 3, ys.stop - 2))
    left = dark[rows, max(0, xs.start - h) : max(0, xs.start - gap)]
    right = dark[rows, xs.stop + gap : xs.stop + h]
    return all(side.size == 0 or float(side.mean()) < 0.01 for side in (left, right))


def _place(band: np.ndarray, band_sl: tuple[slice, slice], sl: tuple[slice, slice]) -> np.ndarray:
    """`band` (in `band_sl` coordinates) as a mask the size of `sl`."""
    full = np.zeros((sl[0].stop - sl[0].start, sl[1].stop - sl[1].start), dtype=bool)
    y0, x0 = band_sl[0].start - sl[0].start, band_sl[1].start - sl[1].start
    full[y0 : y0 + band.shape[0], x0 : x0 + band.shape[1]] = band
    return full


def _bands(
    mask: np.ndarray, sl: tuple[slice, slice], k: float
) -> list[tuple[np.ndarray, tuple[slice, slice]]]:
    """Horizontal bands of a region, cut where its left or right edge steps."""
    rows: np.ndarray = np.asarray(mask.any(axis=1))
    if rows.sum() < 2 * MIN_SHORT * k:
        return []
    left = np.where(rows, mask.argmax(axis=1), -1)
    right = np.where(rows, mask.shape[1] - 1 - mask[:, ::-1].argmax(axis=1), -1)
    step = 2 * k + 1
    cuts = [0]
    for y in range(1, mask.shape[0]):
        if not rows[y] or not rows[y - 1]:
            if rows[y] != rows[y - 1]:
                cuts.append(y)
            continue
        if (
            abs(int(left[y]) - int(left[y - 1])) > step
            or abs(int(right[y]) - int(right[y - 1])) > step
        ):
            cuts.append(y)
    cuts.append(mask.shape[0])
    if len(cuts) <= 2:
        return []
    out = []
    for a, b in itertools.pairwise(cuts):
        band = mask[a:b]
        if b - a < MIN_SHORT * k * 0.9 or not band.any():
            continue
        cols = np.nonzero(band.any(axis=0))[0]
        c0, c1 = int(cols[0]), int(cols[-1]) + 1
        band_sl = (
            slice(sl[0].start + a, sl[0].start + b),
            slice(sl[1].start + c0, sl[1].start + c1),
        )
        out.append((band[:, c0:c1], band_sl))
    return out


def _judge(
    pg: _Page,
    mask: np.ndarray,
    sl: tuple[slice, slice],
    sibling: np.ndarray | None = None,
) -> ImageBox | None:
    """The box `mask` (a region of the opened page, in `sl`) is, or None."""
    from scipy import ndimage

    gray, dark, k, r = pg.gray, pg.dark, pg.k, pg.r
    h_img, w_img = gray.shape
    ys, xs = sl
    # Close over a label printed on the box (the opening cut into it where its
    # letters run near the edge), then fill what the label left enclosed.
    pad = 2 * r + 1
    sub = np.pad(mask, pad)
    sub = ndimage.binary_closing(sub, structure=_disc(2 * r))
    region = ndimage.binary_fill_holes(sub)[pad:-pad, pad:-pad]
    # Hull of the outline's pixel corners, not centres: a 10 x 10 box has area 100.
    edge = region ^ ndimage.binary_erosion(region)
    ey, ex = np.nonzero(edge)
    if ey.size == 0:
        return None
    pts = np.concatenate(
        [np.column_stack([ex + dx, ey + dy]) for dx in (0, 1) for dy in (0, 1)]
    ).astype(float)
    rect_area, angle, _, corners = min_area_rect(pts)
    if rect_area <= 0:
        return None
    rect = _rasterise(corners, region.shape)
    rect_px = max(1, int(rect.sum()))
    w_r = float(np.hypot(*(corners[1] - corners[0])))
    h_r = float(np.hypot(*(corners[2] - corners[1])))
    if min(w_r, h_r) < MIN_SHORT * k or max(w_r, h_r) < MIN_LONG * k:
        return None
    flat = abs(angle) < 10 or abs(angle - 90) < 10
    wide = (w_r >= h_r) if abs(angle) < 45 else (h_r >= w_r)
    # A thin upright box is a letter's stem unless it stands alone: a digit
    # blacked out in a form's cell has no letters beside it.
    thin = min(w_r, h_r) < STEM * k and not (flat and wide)
    if thin and not (flat and _alone(dark, sl, pg.ring_in)):
        return None
    # The shape: what survived the opening fills most of its rectangle
    # (a label printed near the edge may cut notches into it).
    if int((mask & rect).sum()) < MIN_FILL * rect_px:
        return None
    # The outline: ink runs straight along all four sides, just inside them.
    if _edge_cover(corners, dark[sl], 2.0 * k) < MIN_EDGE:
        return None
    # The ink: mostly dark as printed, and what is light inside is small
    # pieces (a label's letters), not one hole (a heavy O or D, an E's gaps).
    # Two pixels in from the edge, which a scan blurs into grey.
    core = ndimage.binary_erosion(rect, iterations=max(1, round(2 * k)))
    core_px = max(1, int(core.sum()))
    light = core & ~dark[sl]
    if int(light.sum()) > (1 - MIN_INK) * core_px:
        return None
    if light.any():
        pieces, _ = ndimage.label(light)
        if int(np.bincount(pieces.ravel())[1:].max()) > MAX_HOLE * core_px:
            return None
    # Inside: the region shrunk by the opening radius (edges blur on scans).
    inner = ndimage.binary_erosion(region, structure=_disc(r), border_value=0)
    vals = gray[sl][inner] if inner.any() else gray[sl][region]
    ink = vals[vals <= INK]
    if ink.size < MIN_DARK * vals.size:
        return None
    if float(ink.mean()) > MAX_MEAN or float(ink.std()) > MAX_SPREAD:
        return None
    ring_in, ring_out = pg.ring_in, pg.ring_out
    y0, y1 = max(0, ys.start - ring_out), min(h_img, ys.stop + ring_out)
    x0, x1 = max(0, xs.start - ring_out), min(w_img, xs.stop + ring_out)
    big = np.zeros((y1 - y0, x1 - x0), dtype=bool)
    big[ys.start - y0 : ys.stop - y0, xs.start - x0 : xs.stop - x0] = rect
    near = ndimage.binary_dilation(big, iterations=ring_in)
    far = ndimage.binary_dilation(big, iterations=ring_out)
    band = far & ~near
    ring = gray[y0:y1, x0:x1][band]
    if ring.size:
        mid = ((ring >= MID[0]) & (ring <= MID[1])).mean()
        if mid > MAX_RING_MID:
            return None
        # Ink that runs on from the region into the ring: pen strokes leaving a
        # blot of handwriting, the rest of a dark photograph. Text beside a
        # box does not touch it; a table rule through it is thin; the other
        # boxes of a stack are not counted.
        ink_near = dark[y0:y1, x0:x1]
        if sibling is not None:
            ink_near = ink_near & ~sibling[y0:y1, x0:x1]
        parts, _ = ndimage.label(ink_near, structure=np.ones((3, 3)))
        touching = np.unique(parts[big & ink_near])
        touching = touching[touching > 0]
        if touching.size:
            attached = np.isin(parts[band], touching).mean()
            if attached > MAX_ATTACHED:
                return None
    a = angle if angle <= 45 else angle - 90
    return ImageBox(
        (float(xs.start), float(ys.start), float(xs.stop), float(ys.stop)),
        round(a, 1),
        tuple((float(x) + xs.start, float(y) + ys.start) for x, y in corners),
    )
