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
        from readingroom.similar.forms_evaluate import evaluate_form_family

        out["near-duplicate clustering, pairwise (real: State Department e-mail releases)"] = (
            evaluate_real_clustering(corpus)
        )
        out["form family fields (real: ICE inspection forms vs hand transcription)"] = (
            evaluate_form_family(corpus)
        )
        real = evaluate_releases(corpus)
        name = "restored passages (real JFK re-releases{})"
        if real is None:
            out[name.format("")] = None
        else:
            shown = [("all", ", all"), ("held", ", held-out records"), ("dev", ", tuned-on")]
            shown += [(k, f", held-out, {k.split()[1]}") for k in real if k.startswith("held ")]
            for split, what in shown:
                if split in real:
                    out[name.format(what)] = {**real[split], "misses": real["misses"]}
            terms = "restored names and words, in several places (real JFK re-releases{})"
            for split, what in (("all", ", all"), ("held", ", held-out records")):
                out[terms.format(what)] = real["terms"][split]
    return out


def evaluate_real_clustering(corpus: Path) -> dict[str, Any] | None:
    """Pairwise P/R of document clustering on real State Department e-mail releases.

    Every document is clustered as `readingroom duplicates` would; truth is the
    hand-labelled pairs (tests/truth/similar/state_dept_pairs.json). A clustered
    pair labelled `same` is right, one labelled `family` is set aside (a family
    may rightly cluster), any other clustered pair is wrong.
    """
    from readingroom.similar.clusters import THRESHOLDS
    from readingroom.similar.minhash import Item, cluster, signature, text_hash

    folder = corpus / "foia" / "state-dept-emails-text"
    labels = truth_folder() / "state_dept_pairs.json"
    if not folder.is_dir() or not labels.is_file():
        return None
    truth = json.loads(labels.read_text())
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.txt"))
    items = []
    for i, name in enumerate(files):
        sig = signature((folder / name).read_text(encoding="utf-8", errors="replace"))
        text = (folder / name).read_text(encoding="utf-8", errors="replace")
        items.append(Item(i, sig[0] if sig else None, text_hash(text) if sig else None))
    got = {
        frozenset((files[a], files[b]))
        for g in cluster(items, THRESHOLDS["document"])
        for i, a in enumerate(g)
        for b in g[i + 1 :]
    }
    label = {frozenset((p["a"], p["b"])): p["label"] for p in truth["pairs"]}
    same = {k for k, v in label.items() if v == "same"} | {
        frozenset((p["a"], p["b"])) for p in truth.get("missed_same", [])
    }
    tp = len(got & same)
    fp = sum(1 for k in got - same if label.get(k) != "family")
    return {
        **_pr(tp, fp, len(same - got)),
        "documents": len(files),
        "family_pairs_clustered": sum(1 for k in got if label.get(k) == "family"),
        "misses": sorted(" ~ ".join(sorted(k)) for k in same - got)[:4],
    }


def truth_folder() -> Path:
    return Path(__file__).resolve().parents[3] / "tests" / "truth" / "similar"


#: Releases of each record in the corpus, oldest first; a pair compared uses the rest as witnesses.
JFK_RELEASES = ("2018", "2022", "2023", "2025")
_COUNTS = ("tp", "fp", "uncertain", "found", "sought", "short", "unplaced")
_TERM_COUNTS = ("term_tp", "term_fp", "term_uncertain", "short_found")
_PAGE_MARK = re.compile(r"^(?:---\s*)?#+ .*$", re.M)


def jfk_text(folder: Path, record: str, year: str) -> str:
    """One release's text without the corpus file's own headings (`## Page 3`)."""
    raw = (folder / f"{record}__release-{year}.md").read_text(encoding="utf-8", errors="replace")
    return _PAGE_MARK.sub("", raw)


def _span(tokens: list[str], quote: str) -> tuple[int, int] | None:
    """The words of a release a labelled quote covers (a quote may begin or end mid-word)."""
    joined = " ".join(tokens)
    at = joined.find(" ".join(quote.split()))
    if at < 0:
        return None
    first = joined.count(" ", 0, at)
    return first, joined.count(" ", 0, at + len(" ".join(quote.split()))) + 1


def _share_in(lo: int, hi: int, covered: set[int]) -> float:
    return sum(i in covered for i in range(lo, hi)) / max(1, hi - lo)


def evaluate_releases(corpus: Path) -> dict[str, Any] | None:
    """Restored passages `compare` reports on real JFK re-releases, against hand labels.

    Labels (tests/truth/similar/jfk_*.json) list, per record and pair of
    releases, every passage the later release prints and the earlier withheld,
    found by reading both in full. A reported run counts as right when most of
    its words lie in a `restored` passage, is set aside when they lie in an
    `uncertain` one (OCR loss or withholding, the text cannot tell), and is
    wrong otherwise; runs reported the other way (printed in the earlier
    release only) are wrong unless labelled `withheld_later`. Recall is over
    labelled passages of at least RESTORED_MIN_WORDS words.
    """
    from readingroom.similar.restored import RESTORED_MIN_WORDS, restorations

    folder = corpus / "foia" / "jfk-records-multi-release-text"
    files = sorted(truth_folder().glob("jfk_*.json"))
    if not folder.is_dir() or not files:
        return None
    tally: dict[str, dict[str, int]] = {}
    wrong: list[str] = []
    missed: list[str] = []
    for f in files:
        truth = json.loads(f.read_text())
        old, new = truth["pair"]
        for rec in truth["records"]:
            split = truth["splits"][rec]
            t = tally.setdefault(split, dict.fromkeys(_COUNTS + _TERM_COUNTS, 0))
            tp = tally.setdefault(f"{split} {old}→{new}", dict.fromkeys(_COUNTS + _TERM_COUNTS, 0))
            fig = {k: t[k] for k in _COUNTS + _TERM_COUNTS}
            texts = {y: jfk_text(folder, rec, y) for y in JFK_RELEASES}
            wit = [texts[y] for y in JFK_RELEASES if y not in (old, new)]
            # The releases' order is known: only what the later one prints is sought
            # (`compare` does the same when both documents carry a release date).
            later, earlier = new, old
            # releases no later than the one lacking the run (years sort as dates)
            before = [texts[y] for y in JFK_RELEASES if y not in (old, new) and y <= earlier]
            tokens = texts[later].split()
            right: set[int] = set()
            maybe: set[int] = set()
            sought: list[tuple[int, int, str]] = []
            short: list[tuple[int, int]] = []
            for lab in truth["passages"]:
                if lab["record"] != rec:
                    continue
                sp = _span(tokens, lab["quote"])
                if sp is None:
                    t["unplaced"] += 1
                    continue
                (right if lab["label"] == "restored" else maybe).update(range(*sp))
                if lab["label"] == "restored":
                    if sp[1] - sp[0] >= RESTORED_MIN_WORDS:
                        sought.append((*sp, lab["quote"]))
                    else:
                        t["short"] += 1
                        short.append(sp)
            reported: set[int] = set()
            mid = [texts[y] for y in JFK_RELEASES if earlier < y < later]
            runs, terms = restorations(
                texts[earlier], texts[later], witnesses=wit, earlier=before, between=mid
            )
            for r in runs:
                lo, hi = r["b_start"], r["b_start"] + len(r["text"].split())
                reported.update(range(lo, hi))
                if _share_in(lo, hi, right) >= 0.5:
                    t["tp"] += 1
                elif _share_in(lo, hi, right | maybe) >= 0.5:
                    t["uncertain"] += 1
                else:
                    t["fp"] += 1
                    wrong.append(f"{rec} {earlier}→{later}: {r['text'][:70]}")
            places = {j for term in terms for j in term["places"]}
            for j in places:
                key_ = "term_tp" if j in right else "term_uncertain" if j in maybe else "term_fp"
                t[key_] += 1
            t["short_found"] += sum(any(j in places for j in range(*sp)) for sp in short)
            for lo, hi, quote in sought:
                t["sought"] += 1
                if _share_in(lo, hi, reported) >= 0.5:
                    t["found"] += 1
                else:
                    missed.append(f"{rec} {earlier}→{later}: {quote[:70]}")
            for k in _COUNTS + _TERM_COUNTS:  # this record's counts, also by pair
                tp[k] += t[k] - fig[k]

    def figures(t: dict[str, int]) -> dict[str, Any]:
        judged = t["tp"] + t["fp"]
        return {
            "precision": round(t["tp"] / judged, 4) if judged else 1.0,
            "recall": round(t["found"] / t["sought"], 4) if t["sought"] else 1.0,
            "fn": t["sought"] - t["found"],
            **t,
        }

    def term_figures(t: dict[str, int]) -> dict[str, Any]:
        judged = t["term_tp"] + t["term_fp"]
        return {
            "precision": round(t["term_tp"] / judged, 4) if judged else 1.0,
            "recall": round(t["short_found"] / t["short"], 4) if t["short"] else 1.0,
            "tp": t["term_tp"],
            "fp": t["term_fp"],
            "fn": t["short"] - t["short_found"],
            "uncertain": t["term_uncertain"],
            "note": "places of restored names and words; recall over labelled restorations"
            " shorter than a passage",
        }

    keys = _COUNTS + _TERM_COUNTS
    total = {k: sum(t[k] for s, t in tally.items() if " " not in s) for k in keys}
    return {
        "all": figures(total),
        **{split: figures(t) for split, t in sorted(tally.items())},
        "terms": {"all": term_figures(total)}
        | {split: term_figures(t) for split, t in sorted(tally.items())},
        "pairs": sorted("→".join(json.loads(f.read_text())["pair"]) for f in files),
        "misses": [f"wrong: {w}" for w in wrong[:4]] + [f"missed: {m}" for m in missed[:4]],
    }
