"""`readingroom evaluate` figures for near-duplicates, families and releases.

* the demo's 24 field-office plans, a third of them degraded with OCR-like
  noise here (the demo's PDFs are clean): recall and precision of the local
  passages the demo planted (truth.json `local_paragraphs`, `wording_change`);
* clustering of the demo's repeated e-mails and memos: pairwise P/R against
  copies made here (re-stamped, re-wrapped, OCR-noised) of known documents;
* real multi-release records (tests/truth/similar): restored passages found.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from readingroom.similar.family import Member, analyse_family
from readingroom.similar.text import normalise

_SWAPS = (("e", "c"), ("l", "1"), ("rn", "m"), ("o", "0"), ("i", "l"), ("a", "o"))


def degrade(text: str, rng: random.Random, rate: float = 0.04) -> str:
    """OCR-like noise: a share of words get one misread character, lose one, or merge."""
    out = []
    for line in text.split("\n"):
        words = line.split(" ")
        for i, w in enumerate(words):
            if len(w) > 3 and w.isalpha() and rng.random() < rate:
                pick = rng.random()
                if pick < 0.7:
                    a, b = rng.choice(_SWAPS)
                    w = w.replace(a, b, 1) if a in w else w[:-1]
                else:
                    j = rng.randrange(1, len(w) - 1)
                    w = w[:j] + w[j + 1 :]
            words[i] = w
        out.append(" ".join(words))
    return "\n".join(out)


def _pr(tp: int, fp: int, fn: int) -> dict[str, Any]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": round(p, 4), "recall": round(r, 4), "tp": tp, "fp": fp, "fn": fn}


def demo_plan_members(
    production: Path, truth: dict[str, Any], noisy_every: int = 3
) -> list[Member]:
    """The demo's operations plans as family members; every third one OCR-degraded."""
    from readingroom.analyse.evaluate import pdf_pages

    members = []
    plans = [f for f in truth["files"] if f.get("kind") == "ops_plan"]
    for i, f in enumerate(plans):
        pages = pdf_pages(production / f["path"])
        rng = random.Random(f"noise-{f['path']}")
        texts = [
            (p.number, degrade(p.text, rng) if i % noisy_every == 1 else p.text) for p in pages
        ]
        bates = {t["number"]: t["bates"] for t in f["pages"] if t.get("bates")}
        members.append(Member(f["sha256"][:12], f["path"], texts, bates))
    return members


def _hits(reported: str, planted: str) -> bool:
    """The reported passage and the planted one overlap: one holds most of the other."""
    a, b = normalise(reported), normalise(planted)
    return bool(a and b) and fuzz.partial_ratio(a, b) >= 85


def evaluate_plans(production: Path, truth: dict[str, Any]) -> dict[str, Any]:
    """Planted local passages of the demo plans found in the family analysis."""
    members = demo_plan_members(production, truth)
    fam = analyse_family(members)
    plans = {f["sha256"][:12]: f for f in truth["files"] if f.get("kind") == "ops_plan"}
    tp = fp = fn = 0
    misses: list[str] = []
    for key, f in plans.items():
        planted = list(f.get("local_paragraphs") or [])
        if f.get("wording_change"):
            planted.append(f["wording_change"]["changed"])
        got = [
            (lp["text"] or lp["template_text"] or "")
            for lp in fam["passages"]
            if lp["member"] == key
        ]
        found = [any(_hits(g, p) for g in got) for p in planted]
        tp_here = sum(found)
        tp += tp_here
        fn += len(planted) - tp_here
        misses += [
            f"missed {f['path']}: {p[:60]}" for p, ok in zip(planted, found, strict=True) if not ok
        ]
        for g in got:
            if not any(_hits(g, p) for p in planted):
                fp += 1
                misses.append(f"extra {f['path']}: {g[:70]}")
    return {
        **_pr(tp, fp, fn),
        "members": len(members),
        "noisy_members": len(members) // 3,
        "misses": misses[:12],
    }
