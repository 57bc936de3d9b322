"""Analysers' pages/s on the demo production, as a ratio to ingest's pages/s in the same run.

    .venv/bin/python bench/bench_analyse.py            # scale 320, about 10,000 pages
    .venv/bin/python bench/bench_analyse.py --scale 2  # quick

OCR is off for the ingest so both figures measure text-layer work on the same
pages; scanned pages are analysed from their rendered images either way.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from readingroom.analyse import run_all
from readingroom.demo.generate import generate
from readingroom.ingest.pipeline import IngestOptions, ingest
from readingroom.investigation import Investigation


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scale", type=int, default=320, help="demo scale (320 ≈ 10,000 pages)")
    ap.add_argument("--workers", type=int, default=1, help="ingest workers")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root / "demo", scale=args.scale)
        inv = Investigation.create(root / "inv")
        t0 = time.perf_counter()
        rep = ingest(inv, [root / "demo" / "production"],
                     IngestOptions(production="demo", workers=args.workers, ocr="never"))
        t_ingest = time.perf_counter() - t0
        t0 = time.perf_counter()
        ar = run_all(inv)
        t_analyse = time.perf_counter() - t0
        pages = inv.db.execute("SELECT count(*) FROM pages").fetchone()[0]
        ingest_rate = rep.pages / t_ingest
        analyse_rate = ar.pages / t_analyse
        print(f"pages in store: {pages}; ingest {rep.pages} pages in {t_ingest:.1f} s "
              f"({ingest_rate:.0f} pages/s, {args.workers} worker(s))")
        print(f"analyse (all {len(ar.runs)} analysers, 1 process): {ar.pages} pages in "
              f"{t_analyse:.1f} s ({analyse_rate:.0f} pages/s)")
        print(f"ratio analyse/ingest pages/s: {analyse_rate / ingest_rate:.2f}")
        inv.close()


if __name__ == "__main__":
    main()
