"""Peak memory for each hostile input, against an ordinary file measured in the same run.

Each input from the fault-injection suite (tests/faults/hostile.py) is
ingested alone, by the real command in a fresh investigation with one
worker and OCR on, while the RSS of the whole process tree (parent,
workers, Tesseract) is sampled. Printed per input: peak RSS in MB, its
ratio to the reference (an ordinary one-page memo), the input's size, the
wall time and the exit status, so "memory bounded by the page, not the
file" can be read off one table.

    python bench/bench_faults.py [--only NAME ...] [--timeout 60] [--eml-mb 20]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from tests.faults import hostile  # noqa: E402

from bench_ingest import tree_rss_kb  # noqa: E402


def big_eml(folder: Path, mb: int) -> Path:
    """A message of `mb` MB: a long body and a base64 attachment, as exports hold."""
    path = folder / f"big-{mb}mb.eml"
    body = ("Weekly numbers for the field office. " * 30 + "\n") * (mb * 6)
    attachment = base64.encodebytes(os.urandom(mb * 1024 * 1024 // 2)).decode()
    path.write_text(
        "From: fo@example.gov\nTo: hq@example.gov\nSubject: numbers\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\n'
        + body
        + "\n--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; "
        'filename="rows.bin"\nContent-Transfer-Encoding: base64\n\n' + attachment + "\n--b--\n"
    )
    return path


def inputs(eml_mb: int) -> dict[str, Callable[[Path], object]]:
    return {
        "reference: one-page memo": lambda d: hostile.ordinary_files(d, 1)[-1].unlink(),
        "13,000 x 13,000 px PNG": hostile.huge_png,
        "2,000-page blank PDF": hostile.blank_pdf,
        "PDF claiming 10M pages": hostile.ten_million_pages,
        "page-tree cycle": hostile.page_tree_cycle,
        "attachment-only encrypted": hostile.attachment_only_encrypted,
        f"{eml_mb} MB .eml": lambda d: big_eml(d, eml_mb),
        "tar, non-UTF-8 member": hostile.tar_with_non_utf8_member,
        "non-UTF-8 file name": hostile.non_utf8_name,
        "named pipe": hostile.fifo,
        "text named .jpg/.pdf": hostile.text_named_binary,
        "lost MIME boundary": hostile.mime_boundary_never_occurs,
    }


def measure(folder: Path, work: Path, timeout: float) -> tuple[float, float, int]:
    """(peak tree RSS in MB, wall seconds, exit status) of one real ingest."""
    inv = work / "inv"
    shutil.rmtree(inv, ignore_errors=True)
    rr = [sys.executable, "-m", "readingroom"]
    subprocess.run([*rr, "init", str(inv)], check=True, capture_output=True)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*rr, "ingest", str(folder), "--dir", str(inv), "--workers", "1", "--no-analyse",
         "--timeout", str(timeout), "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_kb(proc.pid))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    proc.communicate()
    done.set()
    sampler.join()
    return peak / 1024, time.perf_counter() - started, proc.returncode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", nargs="*", help="names (substrings) of inputs to measure")
    ap.add_argument("--timeout", type=float, default=60, help="per-file budget (s)")
    ap.add_argument("--eml-mb", type=int, default=20)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-faults-"))
    rows = []
    try:
        for name, make in inputs(args.eml_mb).items():
            if (
                args.only
                and not name.startswith("reference")
                and not any(o in name for o in args.only)
            ):
                continue
            folder = work / "in"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
            mb, secs, status = measure(folder, work, args.timeout)
            rows.append({"input": name, "peak_mb": mb, "input_mb": size / 1024**2,
                         "seconds": secs, "exit": status})  # fmt: skip
            print(f"  measured {name}: {mb:.0f} MB", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ref = rows[0]["peak_mb"]
    print(f"\n== peak RSS of the process tree per hostile input (reference {ref:.0f} MB) ==")
    print(f"{'input':<28} {'peak MB':>8} {'x ref':>6} {'input MB':>9} {'x input':>8} "
          f"{'s':>6} {'exit':>4}")  # fmt: skip
    for r in rows:
        over_input = (r["peak_mb"] - ref) / r["input_mb"] if r["input_mb"] > 0.5 else float("nan")
        print(
            f"{r['input']:<28} {r['peak_mb']:>8.0f} {r['peak_mb'] / ref:>6.2f} "
            f"{r['input_mb']:>9.2f} {over_input:>8.1f} {r['seconds']:>6.1f} {r['exit']:>4}"
        )
    print("x input: (peak - reference) / input size, for inputs over 0.5 MB")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
