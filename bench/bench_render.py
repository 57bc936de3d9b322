"""Rendering every page of a long TIFF: linear in its pages, measured against reopening.

Analysers render scanned pages to find boxes; a fax production is often one
TIFF of thousands of frames. Opening the file and seeking to frame n walks n
directories, so rendering page by page with a fresh open costs O(n²) in
total. `render.PageImages` holds the file open and reads forward. Printed:
milliseconds per page for both, at two lengths, and their ratio; held-open
should stay flat as the file grows, reopening should grow with it.

    python bench/bench_render.py [--frames 250 1000] [--sample 100]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

from readingroom.render import PageImages, render_blob_page


def fax(path: Path, frames: int) -> None:
    """A G4 fax TIFF of blank-ish letter pages with a line of 'text' each."""
    pages = []
    for i in range(frames):
        img = Image.new("1", (1728, 2200), 1)
        ImageDraw.Draw(img).rectangle((200, 300 + i % 40 * 40, 1400, 320 + i % 40 * 40), fill=0)
        pages.append(img)
    pages[0].save(path, save_all=True, append_images=pages[1:], compression="group4",
                  dpi=(204, 196))  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, nargs="+", default=[250, 1000])
    ap.add_argument("--sample", type=int, default=100, help="pages timed when reopening")
    ap.add_argument("--dpi", type=int, default=50)
    args = ap.parse_args()
    print(f"{'frames':>7} {'held ms/page':>13} {'reopened ms/page':>17} {'reopened/held':>14}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.frames:
            path = Path(tmp) / f"fax-{n}.tif"
            fax(path, n)
            t = time.perf_counter()
            with PageImages(path, "image") as pages:
                for i in range(1, n + 1):
                    pages.render(i, args.dpi)
            held = (time.perf_counter() - t) / n
            k = min(n, args.sample)
            t = time.perf_counter()
            for i in range(n - k + 1, n + 1):  # the last pages: where reopening costs most
                render_blob_page(path, "image", i, args.dpi)
            reopened = (time.perf_counter() - t) / k
            print(f"{n:>7} {held * 1000:>13.1f} {reopened * 1000:>17.1f} {reopened / held:>13.1f}x")


if __name__ == "__main__":
    main()
