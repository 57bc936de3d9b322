"""The hostile queries of issue 10 on the 100,000-page search benchmark: each answers in < 2 s.

    .venv/bin/python bench/bench_hostile_queries.py                 # 100,000 pages
    .venv/bin/python bench/bench_hostile_queries.py --pages 10000   # quick

Every query runs as the web runs it: `search()` on a read-only connection
under `time_budget` (SQLite's progress handler, `QUERY_SECONDS`). A query
answers with results, with a refusal naming a limit (400), or is stopped by
the budget (400 saying so); none may take 2 s. Ordinary queries (the cases
of bench_search.py) are timed with and without the progress handler in the
same run, so the cost of the budget is a ratio; and a query whose client
disconnects is timed from the disconnect to the stop.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_search import CASES, build, pct, timed
from readingroom.errors import QueryError
from readingroom.investigation import Investigation
from readingroom.search import count_terms, search
from readingroom.search.limits import QUERY_SECONDS, time_budget

HUGE = "9" * 25
HOSTILE: list[tuple[str, str]] = [
    ("500 nested parentheses", "(" * 500 + "quota" + ")" * 500),
    ("1,500-term -word chain", "quota " + " ".join(f"-w{i}" for i in range(1500))),
    ("90-term -word chain (under the caps)", "quota " + " ".join(f"-w{i}" for i in range(90))),
    ("a word repeated 3,600 times (36 KB)", " ".join(["collateral"] * 3600)),
    ("a word repeated 99 times (under the caps)", " ".join(["collateral"] * 99)),
    ("1,000 prefix ORs", " OR ".join(f"{chr(97 + i % 26)}{i}*" for i in range(1000))),
    ("99 one-letter prefix ORs", " OR ".join(f"{chr(97 + i % 26)}*" for i in range(99))),
    ("NUL byte", "quota\x00arrest"),
    ("lone surrogate", "quota \ud800"),
    ("doc: past 2^63", f"doc:{HUGE}"),
    ("Bates range past 2^63", f'bates:"DFE 1..{HUGE}"'),
    ("word on every page, OR'd filters", "the OR type:pdf OR type:email OR ocr:yes"),
]


def answer(conn: object, query: str) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        with time_budget(conn, QUERY_SECONDS):  # type: ignore[arg-type]
            result = search(conn, query)  # type: ignore[arg-type]
        outcome = f"{result.total_pages:,} pages"
    except QueryError as e:
        outcome = "refused: " + str(e)[:70]
    return time.perf_counter() - started, outcome


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        inv = Investigation.create(Path(tmp) / "inv")
        print(f"building {args.pages:,} pages …", file=sys.stderr)
        build(inv, args.pages, args.seed)
        conn = inv.reader()

        print(
            f"\nHostile queries on {args.pages:,} pages (budget {QUERY_SECONDS:g} s, target < 2 s)"
        )
        print(f"{'query':44} {'seconds':>8}  outcome")
        worst = 0.0
        for name, query in HOSTILE:
            seconds, outcome = answer(conn, query)
            worst = max(worst, seconds)
            flag = "" if seconds < 2 else "  << over 2 s"
            print(f"{name:44} {seconds:8.3f}  {outcome}{flag}")
        started = time.perf_counter()
        batch = count_terms(conn, ["quota", "a\x00b", "x\udc80", "y " * 3000])
        print(f"{'batch with NUL, surrogate, 6 KB term':44} {time.perf_counter() - started:8.3f}"
              f"  {sum(1 for t in batch if t.error)} of {len(batch)} refused")  # fmt: skip
        print(f"worst: {worst:.3f} s = {worst / 2:.2f} of the 2 s target")

        cancelled = threading.Event()
        timer = threading.Timer(0.2, cancelled.set)
        started = time.perf_counter()
        timer.start()
        try:
            with time_budget(conn, None, cancelled=cancelled):
                search(conn, " OR ".join(f"{chr(97 + i % 26)}*" for i in range(60)), facets=True)
            stopped = "finished before the disconnect"
        except QueryError:
            stopped = "stopped"
        after = time.perf_counter() - started - 0.2
        print(f"client gone after 0.2 s: {stopped}, {max(after, 0) * 1000:.0f} ms after it left")

        print(
            f"\nOrdinary queries: p95 with the time budget / without ({args.repeat} runs each)"
        )
        print(f"{'case':22} {'query':42} {'p95 ms':>8} {'budget':>8} {'ratio':>6}")
        ratios = []
        for case, query, _ in CASES:
            plain = timed(lambda q=query: search(conn, q), args.repeat)

            def guarded(q: str = query) -> None:
                with time_budget(conn, QUERY_SECONDS):
                    search(conn, q)

            with_budget = timed(guarded, args.repeat)
            p, b = pct(plain, 0.95), pct(with_budget, 0.95)
            ratios.append(b / p)
            print(f"{case:22} {query[:42]:42} {p:8.1f} {b:8.1f} {b / p:6.2f}")
        ratios.sort()
        print(f"median ratio {ratios[len(ratios) // 2]:.2f}, worst {ratios[-1]:.2f}")
        conn.close()
        inv.close()


if __name__ == "__main__":
    main()
