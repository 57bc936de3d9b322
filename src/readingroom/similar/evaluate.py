"""`readingroom evaluate` figures for near-duplicates, families and releases.

* the demo's 24 field-office plans, a third of them degraded with OCR-like
  noise here (the demo's PDFs are clean): recall and precision of the local
  passages the demo planted (truth.json `local_paragraphs`, `wording_change`);
* clustering of the demo's repeated e-mails and memos: pairwise P/R against
  copies made here (re-stamped, re-wrapped, OCR-noised) of known documents;
* real multi-release records (tests/truth/similar): restored passages found.
"""

from __future__ import annotations

import json
import random
import re
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


def _restamp(text: str, rng: random.Random) -> str:
    """The same page released again: another Bates prefix and counter, lines re-wrapped."""
    lines = [ln for ln in text.splitlines() if not re.match(r"^[A-Z][A-Z0-9-]+ \d{5,}$", ln)]
    words = " ".join(lines).split()
    out, line = [], []
    width = rng.randint(60, 95)
    for w in words:
        line.append(w)
        if sum(len(x) + 1 for x in line) > width:
            out.append(" ".join(line))
            line = []
    out.append(" ".join(line))
    out.append(f"REL-{rng.randint(100, 999)}-FOIA {rng.randint(1, 99999):06d}")
    return "\n".join(out)


def evaluate_clustering(production: Path, truth: dict[str, Any]) -> dict[str, Any]:
    """Pairwise P/R of document clustering on the demo's e-mails and memos, each released again.

    Every memo and e-mail chain gets one to three copies: re-stamped and
    re-wrapped, the second OCR-degraded, the third with four names withheld as
    (b)(6), one in three with a release cover line.
    Truth: copies of one source are one cluster; different sources are not.
    """
    from readingroom.analyse.evaluate import pdf_pages
    from readingroom.similar.clusters import THRESHOLDS
    from readingroom.similar.minhash import Item, cluster, signature, text_hash

    items: list[Item] = []
    source: dict[int, int] = {}
    files = [f for f in truth["files"] if f.get("kind") in ("memo", "email_chain")]
    files = [f for f in files if "::" not in f["path"] and (production / f["path"]).is_file()]
    for si, f in enumerate(files):
        text = "\n".join(p.text for p in pdf_pages(production / f["path"]))
        rng = random.Random(f"copies-{f['path']}")
        variants = [text]
        for c in range(rng.randint(1, 3)):
            v = _restamp(text, rng)
            if c % 2 == 1:
                v = degrade(v, rng, rate=0.05)
            if c == 2:  # released again with names withheld
                names = sorted({w for w in re.findall(r"\b[A-Z][a-z]{3,}\b", v)})
                for w in rng.sample(names, min(4, len(names))):
                    v = re.sub(rf"\b{w}\b", "(b)(6)", v)
            if rng.random() < 0.33:
                v = f"Released by the Office of Information Governance\n{v}"
            variants.append(v)
        for v in variants:
            key = len(items)
            sig = signature(v)
            items.append(Item(key, sig[0] if sig else None, text_hash(v)))
            source[key] = si
    groups = cluster(items, THRESHOLDS["document"])
    got = {frozenset((a, b)) for g in groups for i, a in enumerate(g) for b in g[i + 1 :]}
    keys = list(source)
    want = {
        frozenset((a, b))
        for i, a in enumerate(keys)
        for b in keys[i + 1 :]
        if source[a] == source[b]
    }
    tp = len(got & want)
    return {
        **_pr(tp, len(got - want), len(want - got)),
        "documents": len(items),
        "sources": len(files),
    }


def figures(production: Path, truth: dict[str, Any], corpus: Path | None = None) -> dict[str, Any]:
    """Every near-duplicate figure for `readingroom evaluate` (issue 12's hook)."""
    plans = evaluate_plans(production, truth)
    out: dict[str, Any] = {
        "local passages (demo plan family, 8 of 24 OCR-degraded)": plans,
        "near-duplicate clustering, pairwise (demo e-mails and memos released again)": (
            evaluate_clustering(production, truth)
        ),
    }
    if corpus is not None:
        out["restored passages (real: JFK records released twice)"] = evaluate_releases(corpus)
    return out


def truth_file() -> Path:
    return Path(__file__).resolve().parents[3] / "tests" / "truth" / "similar" / "jfk_restored.json"


def evaluate_releases(corpus: Path) -> dict[str, Any] | None:
    """Restored passages reported by `compare` on real JFK re-releases, against hand labels."""
    folder = corpus / "foia" / "jfk-records-multi-release-text"
    labels = truth_file()
    if not folder.is_dir() or not labels.is_file():
        return None
    from readingroom.similar.compare import restored_runs

    truth = json.loads(labels.read_text())
    old, new = truth["pair"]
    by_record: dict[str, list[dict[str, Any]]] = {}
    for lab in truth["labels"]:
        by_record.setdefault(lab["record"], []).append(lab)
    records = sorted({p.name.split("__")[0] for p in folder.glob("*__release-*.md")})
    counts = {"restored": 0, "ocr": 0, "stamp": 0, "unlabelled": 0}
    unlabelled: list[str] = []
    for rec in records:
        if not (folder / f"{rec}__release-{old}.md").is_file():
            continue
        found = restored_runs(_jfk_text(folder, rec, old), _jfk_text(folder, rec, new))
        for r in found:
            lab = next(
                (x for x in by_record.get(rec, []) if r["text"].startswith(x["starts"])), None
            )
            if lab is None:
                counts["unlabelled"] += 1
                unlabelled.append(f"{rec}: {r['text'][:60]}")
            else:
                counts[lab["label"]] += 1
    labelled_restored = sum(1 for x in truth["labels"] if x["label"] == "restored")
    reported = counts["restored"] + counts["ocr"] + counts["stamp"]
    return {
        "precision": round(counts["restored"] / reported, 4) if reported else 1.0,
        "restored_found": counts["restored"],
        "restored_labelled": labelled_restored,
        "reported": reported + counts["unlabelled"],
        **{k: v for k, v in counts.items() if k != "restored"},
        "records": len(records),
        "pair": f"{old} → {new}",
        "note": "development labels (tests/truth/similar/README.md)",
        "unlabelled_examples": unlabelled[:5],
    }


def _jfk_text(folder: Path, record: str, year: str) -> str:
    return (folder / f"{record}__release-{year}.md").read_text(encoding="utf-8", errors="replace")
