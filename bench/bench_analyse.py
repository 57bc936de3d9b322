"""Analysers' pages/s on the demo production, as a ratio to ingest's pages/s in the same run.

    .venv/bin/python bench/bench_analyse.py            # scale 320, about 10,000 pages
    .venv/bin/python bench/bench_analyse.py --scale 2  # quick
    .venv/bin/python bench/bench_analyse.py --scale 10 --profile  # where the time goes
    .venv/bin/python bench/bench_analyse.py --analyse-workers 2   # analysers in processes
    .venv/bin/python bench/bench_analyse.py --boxes 20  # image-box detector on 20 generated scans

OCR is off for the ingest so both figures measure text-layer work on the same
pages; scanned pages are analysed from their rendered images either way.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from readingroom.analyse import run_all
from readingroom.demo.generate import generate
from readingroom.ingest.pipeline import IngestOptions, ingest
from readingroom.investigation import Investigation


def bench_boxes(n: int) -> None:
    """Seconds per 150-dpi scan: the box detector against the 72-dpi run stacker it replaced.

    Both run on the same generated pages (analyse/scans.py); the old one is the
    reference measured in the same run.
    """
    import numpy as np
    from PIL import Image

    from readingroom.analyse.analysers.redactions import scan_boxes
    from readingroom.analyse.boxes import detect
    from readingroom.analyse.scans import generate

    pages = [generate(seed).gray for seed in range(n)]
    small = [np.asarray(Image.fromarray(g).resize((612, 792))) for g in pages]
    t0 = time.perf_counter()
    for g in pages:
        detect(g)
    new = (time.perf_counter() - t0) / n
    t0 = time.perf_counter()
    for g in small:
        scan_boxes(g.copy(), 1.0)
    old = (time.perf_counter() - t0) / n
    print(
        f"image boxes: {new * 1000:.0f} ms/page (150 dpi); previous detector {old * 1000:.1f}"
        f" ms/page (72 dpi); ratio {new / old:.1f}x"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scale", type=int, default=320, help="demo scale (320 ≈ 10,000 pages)")
    ap.add_argument("--workers", type=int, default=1, help="ingest workers")
    ap.add_argument("--analyse-workers", type=int, default=0, help="analyser processes (0: here)")
    ap.add_argument(
        "--then-workers", type=int, default=0, help="then re-run the analysers in N processes"
    )
    ap.add_argument("--profile", action="store_true", help="print cProfile's top functions")
    ap.add_argument(
        "--boxes", type=int, default=0, help="only time the image-box detector on N scans"
    )
    args = ap.parse_args()
    if args.boxes:
        bench_boxes(args.boxes)
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root / "demo", scale=args.scale)
        inv = Investigation.create(root / "inv")
        t0 = time.perf_counter()
        rep = ingest(
            inv,
            [root / "demo" / "production"],
            IngestOptions(production="demo", workers=args.workers, ocr="never"),
        )
        t_ingest = time.perf_counter() - t0
        ex = ProcessPoolExecutor(args.analyse_workers) if args.analyse_workers else None
        prof = cProfile.Profile() if args.profile else None
        t0 = time.perf_counter()
        if prof:
            prof.enable()
        ar = run_all(inv, executor=ex)
        if prof:
            prof.disable()
        t_analyse = time.perf_counter() - t0
        if ex:
            ex.shutdown()
        pages = inv.db.execute("SELECT count(*) FROM pages").fetchone()[0]
        ingest_rate = rep.pages / t_ingest
        analyse_rate = ar.pages / t_analyse
        print(
            f"pages in store: {pages}; ingest {rep.pages} pages in {t_ingest:.1f} s "
            f"({ingest_rate:.0f} pages/s, {args.workers} worker(s))"
        )
        where = f"{args.analyse_workers} worker processes" if ex else "1 process"
        print(
            f"analyse (all {len(ar.runs)} analysers, {where}): {ar.pages} pages in "
            f"{t_analyse:.1f} s ({analyse_rate:.0f} pages/s)"
        )
        print(f"ratio analyse/ingest pages/s: {analyse_rate / ingest_rate:.2f}")
        if args.then_workers:
            # The same work again in worker processes (ingest still had its own workers).
            with ProcessPoolExecutor(args.then_workers) as pool:
                t0 = time.perf_counter()
                again = run_all(inv, force=True, executor=pool)
                t_par = time.perf_counter() - t0
            par_rate = again.pages / t_par
            print(
                f"analyse again in {args.then_workers} worker processes: {again.pages} pages in "
                f"{t_par:.1f} s ({par_rate:.0f} pages/s); ratio to ingest "
                f"{par_rate / ingest_rate:.2f}"
            )
        if prof:
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
        inv.close()


if __name__ == "__main__":
    main()
