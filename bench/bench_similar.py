"""Near-duplicate clustering from 10,000 to 100,000 pages, against all-pairs comparison.

Pages are generated: 250 words from a 5,000-word vocabulary, a quarter of
them copies of an earlier page (re-wrapped, OCR-degraded, re-stamped). Each
size runs in a fresh process: MinHash signatures on two worker processes
(as the `shingles` analyser runs), then LSH clustering (`similar.minhash.
cluster`, one process, as `readingroom duplicates` runs). The reference is
all-pairs comparison of the same signatures on a sample measured in the same
run, extrapolated by its n² growth. Printed: seconds and peak memory per
size, growth 10k→100k for both, recall of LSH against all-pairs on the
sample, and a projection to 1,000,000 pages (target: ≤ 30 minutes).

    python bench/bench_similar.py [--sizes 10000 100000] [--sample 3000]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np

from readingroom.similar.evaluate import degrade
from readingroom.similar.minhash import Item, all_pairs, cluster, signature

VOCAB = [f"w{i}" for i in range(5000)]


def page(i: int) -> str:
    rng = random.Random(i)
    if i > 10 and rng.random() < 0.25:  # a copy of an earlier page, released again
        src = page(rng.randrange(0, i))
        return degrade(src, rng, rate=0.03) + f"\nREL-{i} {i:06d}"
    return " ".join(rng.choices(VOCAB, k=250))


def sigs(lo: int, hi: int) -> list[tuple[int, bytes | None]]:
    out = []
    for i in range(lo, hi):
        s = signature(page(i))
        out.append((i, s[0].tobytes() if s else None))
    return out


def run(n: int, workers: int = 2) -> dict[str, Any]:
    t0 = time.perf_counter()
    step = 2000
    with ProcessPoolExecutor(workers) as ex:
        chunks = list(
            ex.map(sigs, range(0, n, step), [min(n, x + step) for x in range(0, n, step)])
        )
    t_sig = time.perf_counter() - t0
    items = [
        Item(k, np.frombuffer(b, dtype=np.uint32) if b else None, None)
        for chunk in chunks
        for k, b in chunk
    ]
    t1 = time.perf_counter()
    groups = cluster(items)
    t_lsh = time.perf_counter() - t1
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"n": n, "signatures_s": t_sig, "lsh_s": t_lsh, "peak_mb": rss, "clusters": len(groups)}


def reference(n: int) -> dict[str, Any]:
    """All pairs on a sample; and LSH on the same sample for recall."""
    items = [Item(k, np.frombuffer(b, dtype=np.uint32) if b else None, None) for k, b in sigs(0, n)]
    t0 = time.perf_counter()
    pairs = set(all_pairs(items))
    t_all = time.perf_counter() - t0
    got = {(a, b) for g in cluster(items) for i, a in enumerate(g) for b in g[i + 1 :]}
    recall = len(pairs & got) / len(pairs) if pairs else 1.0
    return {"n": n, "all_pairs_s": t_all, "pairs": len(pairs), "lsh_recall": recall}


def in_child(fn: Any, *args: Any) -> Any:
    with ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")) as ex:
        return ex.submit(fn, *args).result()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs=2, default=[10_000, 100_000])
    ap.add_argument("--sample", type=int, default=3000)
    a = ap.parse_args()
    ref = in_child(reference, a.sample)
    per_pair = ref["all_pairs_s"] / (a.sample * (a.sample - 1) / 2)
    rows = [in_child(run, n) for n in a.sizes]
    print(
        f"all-pairs reference: {a.sample:,} pages in {ref['all_pairs_s']:.1f} s "
        f"({per_pair * 1e6:.2f} µs a pair); LSH finds {ref['lsh_recall']:.3f} of its "
        f"{ref['pairs']} pairs"
    )
    for r in rows:
        ap_s = per_pair * r["n"] * (r["n"] - 1) / 2
        total = r["signatures_s"] + r["lsh_s"]
        print(
            f"{r['n']:>9,} pages: signatures {r['signatures_s']:7.1f} s (2 workers), "
            f"LSH clustering {r['lsh_s']:6.1f} s, peak {r['peak_mb']:6.0f} MB (clustering "
            f"process), {r['clusters']:,} clusters; all pairs would take {ap_s:9.0f} s "
            f"(LSH {ap_s / max(r['lsh_s'], 1e-9):,.0f}x faster)"
        )
    lo, hi = rows
    k = hi["n"] / lo["n"]
    g_lsh = hi["lsh_s"] / lo["lsh_s"]
    g_sig = hi["signatures_s"] / lo["signatures_s"]
    g_mem = hi["peak_mb"] / lo["peak_mb"]
    print(
        f"growth {lo['n']:,} → {hi['n']:,} ({k:.0f}x pages): LSH {g_lsh:.1f}x, "
        f"signatures {g_sig:.1f}x, peak memory {g_mem:.1f}x; all pairs {k * k:.0f}x"
    )
    m = 1_000_000 / hi["n"]
    exp = np.log(g_lsh) / np.log(k)  # measured growth exponent of clustering
    lsh_1m = hi["lsh_s"] * m**exp
    sig_1m = hi["signatures_s"] * m ** (np.log(g_sig) / np.log(k))
    mem_1m = hi["peak_mb"] * m ** (np.log(g_mem) / np.log(k))
    total = (lsh_1m + sig_1m) / 60
    print(
        f"projection to 1,000,000 pages: signatures {sig_1m / 60:.1f} min + clustering "
        f"{lsh_1m / 60:.1f} min = {total:.1f} min (target ≤ 30: "
        f"{'met' if total <= 30 else 'NOT met'}), peak ≈ {mem_1m / 1024:.1f} GB; all pairs "
        f"{per_pair * 1e12 / 2 / 3600 / 24:.0f} days"
    )


if __name__ == "__main__":
    main()
