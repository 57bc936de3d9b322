"""Accuracy of the evidence layer on the demo production, for `readingroom evaluate`.

- watchlist mentions: the operations, systems and offices each demo memo,
  e-mail chain, scan and briefing names (truth.json `mentions`), against what
  the mentions analyser found in the document — scans read by Tesseract as
  ingest reads them, so OCR's errors count;
- figures: each operations plan's weekly target bound to its office and local
  operation, and the daily-arrests report's per-office target and collateral
  totals (truth `weekly_target`, `totals`);
- re-anchoring: quotes taken from every OCR'd page, the page read again by
  Tesseract at another resolution, each quote re-found; right when the words it
  lands on overlap the words it was taken from, a false match when they do not.
"""

from __future__ import annotations

import json
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from readingroom.page import Box

__all__ = ["figures", "reanchor_pages"]

#: Lower than ingest's 300 dpi, so Tesseract reads some words differently.
REOCR_DPI = 150


def _pr(tp: int, fp: int, fn: int, misses: list[str]) -> dict[str, Any]:
    return {
        "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "misses": misses[:10],
    }


def _overlap(a: list[Box], b: list[Box]) -> bool:
    for x in a:
        for y in b:
            w = min(x[2], y[2]) - max(x[0], y[0])
            h = min(x[3], y[3]) - max(x[1], y[1])
            if w > 0 and h > 0:
                return True
    return False


def reanchor_pages(inv: Any, pages: list[dict[str, Any]], per_page: int = 12) -> dict[str, Any]:
    """Quotes from each stored OCR page re-found after Tesseract reads the page again."""
    from readingroom.evidence.anchor import anchor, boxes_for, fold, selector_at
    from readingroom.ingest.ocr import ocr_page
    from readingroom.render import render_page

    ok = changed = lost = false = total = 0
    elsewhere = elsewhere_false = 0
    misses: list[str] = []
    again_texts: list[str] = []
    for p in pages:
        text, words = p["text"], p["words"]
        if len(text.split()) < 12:
            continue
        img = render_page(inv, p["document_id"], p["number"], dpi=REOCR_DPI)
        again = ocr_page(img, p["number"], p["width"], p["height"])
        # Quotes of other pages whose words this page does not hold must stay lost
        # (demo memos share boilerplate: a sentence printed on both is a true match).
        for other in again_texts[-2:]:
            for sel_other in _quotes(other, per_page):
                if fold(sel_other.exact) in fold(again.text):
                    continue
                elsewhere += 1
                if anchor(again.text, sel_other).state != "lost":
                    elsewhere_false += 1
        again_texts.append(again.text)
        tokens = [(m_start, m_end) for m_start, m_end in _token_spans(text)]
        step = max(1, (len(tokens) - 6) // per_page)
        for i in range(0, max(1, len(tokens) - 6), step)[:per_page]:
            n = 4 + i % 5  # quotes of 4 to 8 words
            a, b = tokens[i][0], tokens[min(len(tokens) - 1, i + n - 1)][1]
            sel = selector_at(text, a, b)
            want = boxes_for(words, sel.exact, a / max(1, len(text)))
            if not want:
                continue  # the quote's words cannot be placed: no ground truth
            total += 1
            found = anchor(again.text, sel)
            if found.state == "lost":
                lost += 1
                misses.append(f"{p['name']}:{p['number']} lost {sel.exact[:40]!r}")
                continue
            got = boxes_for(again.words, found.found, found.start / max(1, len(again.text)))
            if got and not _overlap(want, got):
                false += 1
                misses.append(f"{p['name']}:{p['number']} false {sel.exact[:40]!r}")
            elif found.holds_quote:
                ok += 1
            else:
                changed += 1
    refound = ok + changed
    return {
        "quotes": total,
        "refound": refound,
        "success": round(refound / total, 4) if total else 1.0,
        "same_words": ok,
        "changed_flagged": changed,
        "lost": lost,
        "false_matches": false,
        "quotes_from_other_pages": elsewhere,
        "found_on_wrong_page": elsewhere_false,
        "misses": misses[:10],
    }


def _quotes(text: str, n: int) -> list[Any]:
    from readingroom.evidence.anchor import selector_at

    tokens = _token_spans(text)
    step = max(1, (len(tokens) - 6) // n)
    return [
        selector_at(text, tokens[i][0], tokens[min(len(tokens) - 1, i + 5)][1])
        for i in range(0, max(1, len(tokens) - 6), step)[:n]
        if tokens
    ]


def _token_spans(text: str) -> list[tuple[int, int]]:
    import re

    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def figures(seed: int = 7) -> dict[str, Any]:
    """The evidence figures `readingroom evaluate` prints."""
    from readingroom.analyse import run_all
    from readingroom.demo.generate import generate
    from readingroom.ingest.pipeline import IngestOptions, ingest
    from readingroom.investigation import Investigation
    from readingroom.store import evidence as ev

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root / "demo", seed=seed)
        truth = json.loads((root / "demo" / "truth.json").read_text())
        inv = Investigation.create(root / "inv")
        with ThreadPoolExecutor(2) as pool:
            ingest(inv, [root / "demo" / "production"], IngestOptions(workers=2), executor=pool)
            if "evidence" in truth:  # the figures planted for this layer, a later release
                folder = root / "demo" / truth["evidence"]["folder"]
                opts = IngestOptions(workers=2, production=truth["evidence"]["production"])
                ingest(inv, [folder], opts, executor=pool)
        run_all(inv, only="mentions")
        run_all(inv, only="figures")
        conn = inv.db
        mentions = ev.mention_sets(conn)
        figs = ev.figure_rows(conn)
        totals = ev.table_total_rows(conn)
        tp = fp = fn = 0
        misses: list[str] = []
        for f in truth["files"]:
            if "mentions" not in f:
                continue
            name = f["path"].split("::")[-1].rsplit("/", 1)[-1]
            want = {(k[:-1], e) for k, v in f["mentions"].items() for e in v}
            got = {
                (k, e)
                for k, e in mentions.get(name, set())
                if k in ("office", "operation", "system")
            }
            tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
            if got != want:
                misses.append(f"{name}: extra {sorted(got - want)} missing {sorted(want - got)}")
        out: dict[str, Any] = {
            "watchlist mentions (demo, OCR'd pages included)": _pr(tp, fp, fn, misses)
        }
        bound = planted = 0
        fmisses: list[str] = []
        for f in truth["files"]:
            name = f["path"].split("::")[-1].rsplit("/", 1)[-1]
            if f["kind"] == "ops_plan":
                planted += 1
                hit = any(
                    r["document"] == name and r["value"] == f["weekly_target"]
                    and r["per"] == "week"
                    and r["office"] == f["office"] and r["operation"] == f["local_operation"]
                    for r in figs
                )  # fmt: skip
                bound += hit
                if not hit:
                    fmisses.append(f"{name}: weekly target {f['weekly_target']}")
            elif f["kind"] in ("spreadsheet", "csv") and f.get("totals"):
                for office, t in f["totals"].items():
                    for measure, value in (
                        ("targets", t["targets"]),
                        ("collateral", t["collateral"]),
                    ):
                        planted += 1
                        hit = any(
                            r["document"] == name and r["office"] == office
                            and measure[:6] in r["measure"].lower() and r["total"] == value
                            for r in totals
                        )  # fmt: skip
                        bound += hit
                        if not hit:
                            fmisses.append(f"{name}: {office} {measure} {value}")
        planted_ev = truth.get("evidence", {})
        mail = planted_ev.get("weekly_targets_email")
        if mail:
            name = mail["path"].rsplit("/", 1)[-1]
            for office, n in mail["targets"].items():
                planted += 1
                hit = any(
                    r["document"] == name and r["value"] == n and r["office"] == office
                    and r["per"] == "week" and r["operation"] == mail["operation"]
                    for r in figs
                )  # fmt: skip
                bound += hit
                if not hit:
                    fmisses.append(f"{name}: {office} weekly target {n}")
        for rep_ in planted_ev.get("daily_reports", []):
            name = rep_["path"].rsplit("/", 1)[-1]
            for office, t in rep_["rows"].items():
                for measure, value in (("target", t["targets"]), ("collat", t["collateral"])):
                    planted += 1
                    hit = any(
                        r["document"] == name and r["office"] == office
                        and measure in r["measure"].lower() and r["total"] == value
                        for r in totals
                    )  # fmt: skip
                    bound += hit
                    if not hit:
                        fmisses.append(f"{name}: {office} {measure} {value}")
        out["figures bound to office/operation (demo plans, e-mail, daily reports)"] = {
            "planted": planted,
            "bound": bound,
            "share": round(bound / planted, 4) if planted else 1.0,
            "misses": fmisses[:10],
        }
        out["quotes re-anchored after re-OCR (demo scans)"] = reanchor_pages(
            inv, ev.ocr_pages(conn)
        )
        inv.close()
    return out
