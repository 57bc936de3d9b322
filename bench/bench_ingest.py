"""Ingest speed and memory, as ratios against references measured in the same run.

1. Born-digital PDF pages/s end to end (hash, copy, extract text + word boxes,
   store in SQLite + FTS5) with 1 and 2 workers, against PyMuPDF's own loop
   over the same pages (text only, and text + words: what ingest needs).
2. Peak memory (RSS of the whole process tree) for 10x the input, against 1x.

    python bench/bench_ingest.py [--pages-per-file 25] [--files 40] [--out bench/out]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pymupdf

WORDS = (
    "the of and to in a is that for on with as by at from this be are was it an or field office "
    "operation target arrest collateral quota enforcement removal detention fugitive team weekly "
    "report headquarters director memorandum system FALCON LeadTrac surveillance plan officer "
    "agency priority case lead subject address encounter daily numbers supervisor approval"
).split()


def make_corpus(dest: Path, files: int, pages: int, seed: int = 1) -> int:
    rng = random.Random(seed)
    dest.mkdir(parents=True, exist_ok=True)
    for f in range(files):
        doc = pymupdf.open()
        for _ in range(pages):
            page = doc.new_page(width=612, height=792)
            lines = [
                " ".join(rng.choice(WORDS) for _ in range(rng.randint(9, 13))) for _ in range(40)
            ]
            page.insert_textbox(pymupdf.Rect(54, 54, 558, 740), "\n".join(lines), fontsize=10)
        doc.save(dest / f"file{f:04d}.pdf", garbage=3, no_new_id=True)
        doc.close()
    return files * pages


def reference(folder: Path, kinds: tuple[str, ...]) -> float:
    """PyMuPDF alone over the same files, extracting `kinds` per page: seconds."""
    started = time.perf_counter()
    for path in sorted(folder.glob("*.pdf")):
        with pymupdf.open(path) as doc:
            for page in doc:
                tp = page.get_textpage()
                for kind in kinds:
                    page.get_text(kind, textpage=tp)
    return time.perf_counter() - started


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            rss = next(ln for ln in status.splitlines() if ln.startswith("VmRSS"))
            total += int(rss.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                children = (task / "children").read_text().split()
                stack.extend(int(c) for c in children)
        except (FileNotFoundError, ProcessLookupError, StopIteration, PermissionError):
            continue
    return total


def run_ingest(folder: Path, workers: int, workdir: Path) -> tuple[float, float, int]:
    """Run the real CLI in a subprocess.

    Returns (wall seconds incl. interpreter start, seconds the pipeline itself
    reports, peak RSS of the process tree in KiB).
    """
    inv = workdir / f"inv-{folder.name}-{workers}"
    shutil.rmtree(inv, ignore_errors=True)
    rr = [sys.executable, "-m", "readingroom"]
    subprocess.run([*rr, "init", str(inv)], check=True, capture_output=True)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [
            *rr,
            "ingest",
            str(folder),
            "--dir",
            str(inv),
            "--workers",
            str(workers),
            "--json",
            "--no-analyse",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_kb(proc.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"ingest failed: {stderr.decode()[-2000:]}")
    return seconds, json.loads(stdout)["seconds"], peak


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--files", type=int, default=80)
    ap.add_argument("--pages-per-file", type=int, default=25)
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="rr-bench-"))
    one = work / "x1"
    ten = work / "x10"
    pages1 = make_corpus(one, args.files, args.pages_per_file)
    pages10 = make_corpus(ten, args.files * 10, args.pages_per_file, seed=2)
    print(f"corpus: {pages1} pages (1x), {pages10} pages (10x), born-digital, in {work}")

    ref_text = min(reference(one, ("text",)) for _ in range(2))
    ref_words = min(reference(one, ("text", "words")) for _ in range(2))
    ref_only_words = min(reference(one, ("words",)) for _ in range(2))
    print("\n== born-digital PDF, end to end (hash, copy, extract, store, FTS) ==")
    print(f"reference PyMuPDF text only     {pages1 / ref_text:8.1f} pages/s")
    print(f"reference PyMuPDF text + words  {pages1 / ref_words:8.1f} pages/s")
    print(
        f"reference PyMuPDF words only    {pages1 / ref_only_words:8.1f} pages/s"
        "   (the one call ingest makes; it builds the text from the words)"
    )
    results = {}
    for workers in (1, 2):
        wall, inner, peak = run_ingest(one, workers, work)
        results[workers] = peak
        for label, secs in (("wall clock, incl. start", wall), ("pipeline time", inner)):
            rate = pages1 / secs
            print(
                f"readingroom ingest, {workers} worker{'s' if workers > 1 else ' '}"
                f"  {rate:8.1f} pages/s   ratio {rate / (pages1 / ref_words):.2f} vs text+words,"
                f" {rate / (pages1 / ref_text):.2f} vs text only   ({label})"
            )
    print("target: >= 0.7 with 1 worker")
    print("\n== peak memory (RSS of the process tree) ==")
    secs10, _, peak10 = run_ingest(ten, 2, work)
    peak1 = results[2]
    print(f"1x  ({pages1:6d} pages): {peak1 / 1024:7.1f} MiB")
    print(f"10x ({pages10:6d} pages): {peak10 / 1024:7.1f} MiB   ({pages10 / secs10:.1f} pages/s)")
    print(f"ratio 10x / 1x: {peak10 / peak1:.2f}  (target <= 1.2)")
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
