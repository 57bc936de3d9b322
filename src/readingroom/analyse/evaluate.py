"""Accuracy figures anyone can reproduce: `readingroom evaluate`.

Three measurements, each against ground truth that does not come from the
detector itself: Free Law Project's x-ray test PDFs (file names say which
hold bad redactions), generated pages with OCR-like noise for exemption
codes and Bates stamps, and generated printed e-mail chains.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readingroom.analyse.base import DocIn, PageIn
from readingroom.citation import bates_label
from readingroom.page import Word

BAD_NAMES = re.compile(r"^(?:bad_|hidden_text)|_yes", re.I)
GOOD_NAMES = re.compile(r"^no_bad_|_ok|_no\b|_no\.", re.I)


@dataclass
class PR:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "misses": self.misses[:10],
        }


def pdf_pages(path: Path) -> list[PageIn]:
    """Pages as the ingest pipeline stores them: text and word boxes of the text layer."""
    import pymupdf

    out = []
    with pymupdf.open(path) as pdf:
        for i, page in enumerate(pdf, start=1):
            words = [Word(w[0], w[1], w[2], w[3], w[4]) for w in page.get_text("words")]
            out.append(
                PageIn(
                    i,
                    i,
                    page.get_text(),
                    words,
                    page.rect.width,
                    page.rect.height,
                    "text" if words else "none",
                )
            )
    return out


def label_of(name: str) -> bool | None:
    """True: the file holds a bad redaction; False: it does not; None: name says neither."""
    if GOOD_NAMES.search(name):
        return False
    if BAD_NAMES.search(name):
        return True
    return None


def xray_files(folder: Path) -> list[tuple[Path, bool]]:
    out = []
    for p in sorted(folder.glob("*.pdf")):
        lab = label_of(p.name)
        if lab is not None:
            out.append((p, lab))
    return out


def has_bad_redaction(path: Path) -> bool:
    import pymupdf

    from readingroom.analyse.analysers.redactions import analyse_page

    with pymupdf.open(path) as pdf:
        for page_in in pdf_pages(path):
            res = analyse_page(page_in, pdf[page_in.number - 1])
            if any(b.covered for b in res.boxes):
                return True
    return False


def evaluate_xray(folder: Path) -> PR | None:
    """File-level precision and recall of bad-redaction detection; None if absent."""
    files = xray_files(folder) if folder.is_dir() else []
    if not files:
        return None
    pr = PR()
    for path, bad in files:
        found = has_bad_redaction(path)
        if found and bad:
            pr.tp += 1
        elif found:
            pr.fp += 1
            pr.misses.append(f"false alarm: {path.name}")
        elif bad:
            pr.fn += 1
            pr.misses.append(f"missed: {path.name}")
    return pr


def evaluate_xray_reference(folder: Path) -> PR | None:
    """The same measurement for the x-ray package itself, when it is installed."""
    try:
        import xray  # type: ignore[import-not-found]
    except ImportError:
        return None
    files = xray_files(folder) if folder.is_dir() else []
    if not files:
        return None
    pr = PR()
    for path, bad in files:
        found = bool(xray.inspect(path))
        pr.tp += found and bad
        pr.fp += found and not bad
        pr.fn += (not found) and bad
    return pr


# -- generated pages with OCR-like noise -------------------------------------------
_CONFUSE = {"0": "O", "1": "l", "(": "{", ")": "}", "b": "h", "C": "c", "5": "S", "-": "_"}
_FILLER = [
    "The",
    "field",
    "office",
    "reported",
    "the",
    "arrests",
    "to",
    "headquarters",
    "on",
    "Tuesday.",
    "Case",
    "No.",
    "2019-12345",
    "was",
    "referred",
    "for",
    "review.",
    "Contact",
    "the",
    "duty",
    "officer",
    "at",
    "202-555-0147.",
    "Form",
    "I-213",
    "attached.",
    "Subject",
    "A123456789",
    "was",
    "encountered",
    "at",
    "the",
    "residence",
    "with",
    "two",
    "collaterals.",
]
_CODES = ["b5", "b6", "b7A", "b7C", "b7E", "b7F"]
_FORMS = [
    lambda d, ltr: f"(b)({d})" + (f"({ltr})" if ltr else ""),
    lambda d, ltr: f"(b) ({d})" + (f" ({ltr})" if ltr else ""),
    lambda d, ltr: f"b{d}{ltr or ''}",
    lambda d, ltr: f"(b)({d}}}" + (f"({ltr.lower()})" if ltr else ""),
    lambda d, ltr: f"(b)({d} )" + (f"({ltr})" if ltr else ""),
]


def noisy(text: str, rng: random.Random, rate: float) -> str:
    return "".join(_CONFUSE[c] if c in _CONFUSE and rng.random() < rate else c for c in text)


def synthetic_pages(n: int = 500, seed: int = 1) -> list[tuple[PageIn, str | None, set[str]]]:
    """Pages of text with a Bates stamp (mostly) and exemption labels, OCR-damaged."""
    rng = random.Random(seed)
    out = []
    prefixes = ["ICE-2019-ICLI-00052", "DHS", "ICE", "2020-ICFO-10234", "DFE-2019-FOIA-00052"]
    for i in range(n):
        lines = [" ".join(rng.choices(_FILLER, k=12)) for _ in range(rng.randint(5, 25))]
        codes: set[str] = set()
        for _ in range(rng.randint(0, 4)):
            group = rng.sample(_CODES, rng.randint(1, 2))
            printed = []
            for code in group:
                form = rng.choice(_FORMS)
                d, ltr = code[1], code[2:] or None
                printed.append(form(d, ltr))
                codes.add(code)
            label = rng.choice([";", "; ", ", "]).join(printed)
            k = rng.randrange(len(lines))
            lines[k] = lines[k] + " " + label
        truth = None
        if rng.random() < 0.9:
            prefix = rng.choice(prefixes)
            num = rng.randint(1, 99999)
            truth = f"{prefix} {num:06d}"
            stamp = f"{prefix}{rng.choice([' ', ' ', '_', ''])}{num:06d}"
            if (
                prefix.endswith(tuple("0123456789"))
                and " " not in stamp[len(prefix) : len(prefix) + 1]
            ):
                stamp = f"{prefix} {num:06d}"
            stamp = noisy(stamp, rng, 0.04)
            lines.append(rng.choice(["", "Page 2 of 7      ", "FOR OFFICIAL USE ONLY   "]) + stamp)
        text = noisy("\n".join(lines), rng, 0.01)
        out.append((PageIn(i, 1, text, [], 612, 792, "ocr"), truth, codes))
    return out


def evaluate_noise(n: int = 500, seed: int = 1) -> dict[str, PR]:
    from readingroom.analyse.analysers.bates import find_stamp, prefix_key
    from readingroom.analyse.analysers.exemptions import page_labels

    bates, ex = PR(), PR()
    for page, truth, codes in synthetic_pages(n, seed):
        s = find_stamp(page)
        got = f"{prefix_key(s.prefix)} {s.number}" if s else None
        want = None
        if truth:
            p, num = truth.rsplit(" ", 1)
            want = f"{prefix_key(p)} {int(num)}"
        if got and got == want:
            bates.tp += 1
        else:
            if got:
                bates.fp += 1
            if want:
                bates.fn += 1
                bates.misses.append(f"{want!r} read as {got!r}")
        found = {c for lab in page_labels(page) for c in lab.codes}
        ex.tp += len(found & codes)
        ex.fp += len(found - codes)
        ex.fn += len(codes - found)
        if found != codes:
            ex.misses.append(f"want {sorted(codes)} got {sorted(found)}")
    return {"bates": bates, "exemptions": ex}


# -- printed e-mail chains -----------------------------------------------------------
EMAIL_FIELDS = ("from", "sent", "to", "cc", "subject")


def _norm(v: str | None) -> str:
    return re.sub(r"\s+", " ", v or "").strip()


def _same(got: dict[str, str], want: dict[str, Any]) -> list[str]:
    """Header fields that differ between a parsed and a true message."""
    return [k for k in EMAIL_FIELDS if _norm(got.get(k)) != _norm(want.get(k))]


def evaluate_demo_emails(
    inv_pages: dict[str, list[PageIn]], truth: dict[str, Any]
) -> tuple[PR, int, list[str]]:
    """Printed e-mail on the demo: message detection (precision, recall) and exact fields.

    Every demo file with pages is parsed, memos and scans included, so a memo
    header read as an e-mail counts as a false message. A true message is
    found when a parsed message has its Sent value; it is exactly right when
    From, Sent, To, Cc and Subject all match. Returns (detection, exactly
    right, notes).
    """
    from readingroom.analyse.analysers.printed_email import normalise_date, parse

    pr = PR()
    exact = 0
    notes: list[str] = []
    for f in truth["files"]:
        if f["path"] not in inv_pages:
            continue
        got = [m.fields for m in parse(DocIn(0, f["path"], "pdf", inv_pages[f["path"]]))]
        wants = f.get("messages", []) if f.get("kind") == "email_chain" else []
        used: set[int] = set()
        for i, want in enumerate(wants):
            cands = [j for j in range(len(got)) if j not in used]
            hit = next((j for j in cands if not _same(got[j], want)), None)
            if hit is None:
                when = normalise_date(want.get("sent"))
                hit = next((j for j in cands if normalise_date(got[j].get("sent")) == when), None)
            if hit is None:
                pr.fn += 1
                pr.misses.append(f"missed {f['path']}#{i}")
                continue
            used.add(hit)
            pr.tp += 1
            if diff := _same(got[hit], want):
                notes.append(f"{f['path']}#{i}: {', '.join(diff)}")
            else:
                exact += 1
        for j in range(len(got)):
            if j not in used:
                pr.fp += 1
                pr.misses.append(f"false message {f['path']}: from {got[j].get('from')!r}")
    return pr, exact, notes


def demo_pages(production: Path, truth: dict[str, Any]) -> dict[str, list[PageIn]]:
    """Pages of the demo's PDFs and scans as ingest stores them.

    Text-layer PDFs are read with their word boxes; scans get the OCR text
    the truth records, so OCR'd memos are tested for false e-mails as well.
    """
    out = {}
    for f in truth["files"]:
        path = production / f["path"]
        if "::" in f["path"] or not path.is_file() or not f.get("pages"):
            continue
        if f.get("format") == "pdf" and all(t.get("text_layer", True) for t in f["pages"]):
            out[f["path"]] = pdf_pages(path)
        elif all("ocr_text" in t for t in f["pages"]):
            out[f["path"]] = [
                PageIn(t["number"], t["number"], t["ocr_text"], [], 612, 792, "ocr")
                for t in f["pages"]
            ]
    return out


def evaluate_demo_pages(production: Path, truth: dict[str, Any]) -> dict[str, PR]:
    """Bates, exemption codes, boxes and bad redactions of the demo against its truth."""
    import pymupdf

    from readingroom.analyse.analysers.bates import detect
    from readingroom.analyse.analysers.exemptions import find_marks, page_labels
    from readingroom.analyse.analysers.redactions import analyse_page, overlap

    res = {k: PR() for k in ("bates", "exemptions", "boxes", "bad_redactions")}
    for f in truth["files"]:
        path = production / f["path"]
        if f.get("format") != "pdf" or "::" in f["path"] or not path.is_file():
            continue
        pages = pdf_pages(path)
        stamps = detect(pages)
        with pymupdf.open(path) as pdf:
            for page, t in zip(pages, f["pages"], strict=False):
                if not t.get("text_layer", True):
                    continue
                s = stamps.get(page.number)
                got = bates_label(s.prefix, s.number, s.digits) if s else None
                if got == t.get("bates"):
                    res["bates"].tp += 1
                else:
                    res["bates"].fp += got is not None
                    res["bates"].fn += t.get("bates") is not None
                    res["bates"].misses.append(f"{f['path']}:{page.number} {got}")
                want = {m.code for e in t.get("exemptions", []) for m in find_marks(e)}
                found = {c for lab in page_labels(page) if lab.kind != "cited" for c in lab.codes}
                res["exemptions"].tp += len(found & want)
                res["exemptions"].fp += len(found - want)
                res["exemptions"].fn += len(want - found)
                if found != want:
                    res["exemptions"].misses.append(f"{f['path']}:{page.number}")
                r = analyse_page(page, pdf[page.number - 1])
                truth_boxes = [tuple(x["bbox"]) for x in t.get("redactions", [])]
                for tb, tr in zip(truth_boxes, t.get("redactions", []), strict=True):
                    hit = [
                        b
                        for b in r.boxes
                        if overlap(b.box, tb) >= 0.5 * (tb[2] - tb[0]) * (tb[3] - tb[1])
                    ]
                    res["boxes"].tp += bool(hit)
                    res["boxes"].fn += not hit
                    bad = any(b.covered for b in hit)
                    if bad and tr["bad"]:
                        res["bad_redactions"].tp += 1
                    elif bad:
                        res["bad_redactions"].fp += 1
                    elif tr["bad"]:
                        res["bad_redactions"].fn += 1
                res["boxes"].fp += sum(
                    1
                    for b in r.boxes
                    if not any(overlap(b.box, tb) > 0.25 * b.area for tb in truth_boxes)
                )
    return res


def default_corpus() -> Path:
    return Path(__file__).resolve().parents[3].parent / "shared" / "corpus"


def run_evaluation(corpus: Path | None = None, *, seed: int = 7) -> dict[str, Any]:
    """Every accuracy figure, as a dict of name -> figures (None when input is absent)."""
    import json
    import tempfile

    from readingroom.demo.generate import generate
    from readingroom.evidence import evaluate as evidence_evaluate
    from readingroom.publish import evaluate as publish_evaluate
    from readingroom.similar import evaluate as similar_evaluate

    corpus = corpus or default_corpus()
    folder = corpus / "redactions" / "x-ray"
    out: dict[str, Any] = {}
    if corpus.is_dir():
        out.update(run_real(corpus))
    else:
        out[f"real pages: corpus absent ({corpus})"] = None
    xr = evaluate_xray(folder)
    out["bad redactions (x-ray files)"] = xr.as_dict() if xr else None
    ref = evaluate_xray_reference(folder)
    if ref:
        out["bad redactions (x-ray package itself)"] = ref.as_dict()
    for k, v in evaluate_noise().items():
        out[f"{k} (generated pages, OCR noise)"] = v.as_dict()
    for k, v in evaluate_generated_boxes().items():
        out[f"{k} (generated scans: photos, pen strokes, small and turned boxes)"] = v.as_dict()
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), seed=seed)
        truth = json.loads((Path(tmp) / "truth.json").read_text())
        production = Path(tmp) / "production"
        for k, v in evaluate_demo_pages(production, truth).items():
            out[f"{k} (demo production)"] = v.as_dict()
        found, exact, notes = evaluate_demo_emails(demo_pages(production, truth), truth)
        total = found.tp + found.fn
        out["printed e-mail messages (demo, memos and scans included)"] = {
            **found.as_dict(),
            "messages": total,
            "exact": exact,
            "exact_share": round(exact / total, 4) if total else 1.0,
            "field_misses": notes[:10],
        }
        real = corpus if corpus.is_dir() else None
        out.update(similar_evaluate.figures(production, truth, real))
    out.update(evidence_evaluate.figures(seed))
    out.update(publish_evaluate.figures(corpus))
    return out


# -- real pages, labelled by hand (tests/truth) -------------------------------------
def truth_folder() -> Path:
    return Path(__file__).resolve().parents[3] / "tests" / "truth"


def text_document(path: Path, name: str) -> DocIn:
    """A text file's pages as ingest stores them (form feeds, then size)."""
    from readingroom.ingest.formats.text import decode_text, paginate

    text = decode_text(path.read_bytes())[0]
    pages = [PageIn(i, i, t) for i, t in enumerate(paginate(text), start=1)]
    return DocIn(1, name, "text", pages)


def _ws(v: str | None) -> str:
    return re.sub(r"\s+", " ", v or "").strip()


def evaluate_real_emails(corpus: Path, truth: dict[str, Any]) -> dict[str, Any] | None:
    """Messages, header fields and dates against hand labels of real printed e-mail."""
    from readingroom.analyse.analysers.printed_email import normalise_date, parse

    files = [f for f in truth["files"] if (corpus / f["path"]).is_file()]
    if not files:
        return None
    pr = PR()
    exact = dated = right = wrong = 0
    notes: list[str] = []
    for f in files:
        got = parse(text_document(corpus / f["path"], f["path"]))
        unused = list(range(len(got)))
        for w in f["messages"]:
            k = next(
                (
                    i
                    for i in unused
                    if _ws(got[i].fields.get("sent")) == _ws(w.get("sent"))
                    and _ws(got[i].fields.get("from")) == _ws(w.get("from"))
                ),
                None,
            )
            if k is None:  # the sender or date read wrong: match by position
                k = next((i for i in unused if got[i].page == w["page"]), None)
            if k is None:
                pr.fn += 1
                pr.misses.append(f"missed: {f['path']} {w.get('from')!r} {w.get('sent')!r}")
                continue
            unused.remove(k)
            pr.tp += 1
            g = got[k]
            bad = [
                fld
                for fld in EMAIL_FIELDS
                if _ws(g.fields.get(fld)) != _ws(w.get(fld)) and (fld in g.fields or w.get(fld))
            ]
            if not bad:
                exact += 1
            else:
                notes.append(f"{f['path']}: {', '.join(bad)}")
            if w.get("date"):
                dated += 1
                iso = normalise_date(g.fields.get("sent"))
                if iso == w["date"]:
                    right += 1
                elif iso is not None:
                    wrong += 1
                    notes.append(f"{f['path']}: date {iso} for {w['date']}")
        pr.fp += len(unused)
        pr.misses += [f"false: {f['path']} {got[i].fields.get('from')!r}" for i in unused]
    total = pr.tp + pr.fn
    return {
        **pr.as_dict(),
        "messages": total,
        "exact": exact,
        "exact_share": round(exact / pr.tp, 4) if pr.tp else 1.0,
        "dates": dated,
        "dates_iso": right,
        "dates_wrong": wrong,
        "dates_share": round(right / dated, 4) if dated else 1.0,
        "field_misses": notes[:10],
    }


def evaluate_real_exemptions(corpus: Path, truth: dict[str, Any]) -> dict[str, PR] | None:
    """Exemption codes per page against hand counts, code by code."""
    from collections import Counter

    from readingroom.analyse.analysers.exemptions import page_labels

    by_file: dict[str, dict[int, dict[str, int]]] = {}
    for p in truth["pages"]:
        if (corpus / p["path"]).is_file():
            by_file.setdefault(p["path"], {})[p["page"]] = p["codes"]
    if not by_file:
        return None
    out: dict[str, PR] = {}
    for path, pages in by_file.items():
        doc = text_document(corpus / path, path)
        for page in doc.pages:
            want = Counter(pages.get(page.number, {}))
            got = Counter(
                m.code.lower()
                for lab in page_labels(page)
                if lab.kind != "cited"
                for m in lab.marks
            )
            for code in set(want) | set(got):
                pr = out.setdefault(code, PR())
                pr.tp += min(want[code], got[code])
                pr.fp += max(0, got[code] - want[code])
                pr.fn += max(0, want[code] - got[code])
                if want[code] != got[code]:
                    pr.misses.append(f"{path}:{page.number} {got[code]} for {want[code]}")
    return dict(sorted(out.items()))


def evaluate_no_bates(corpus: Path, truth: dict[str, Any]) -> dict[str, Any] | None:
    """False stamps on real pages that print none."""
    from readingroom.analyse.analysers.bates import detect

    files = [f for f in truth["files"] if (corpus / f).is_file()]
    if not files:
        return None
    pages = false = 0
    notes = []
    for f in files:
        doc_pages = pdf_pages(corpus / f)
        stamps = detect(doc_pages)
        pages += len(doc_pages)
        false += len(stamps)
        notes += [f"{f}:{n} {s.raw}" for n, s in sorted(stamps.items())]
    return {"pages": pages, "false_stamps": false, "misses": notes[:10]}


def evaluate_xray_masks(folder: Path) -> dict[str, Any] | None:
    """Visible words masked on the x-ray "bad" files: masks beyond the covered words."""
    import pymupdf

    from readingroom.analyse.analysers.redactions import analyse_page
    from readingroom.mask import MASK, mask_page

    files = [p for p, bad in xray_files(folder)] if folder.is_dir() else []
    if not files:
        return None
    covered = extra = 0
    notes = []
    for path in files:
        with pymupdf.open(path) as pdf:
            for page in pdf_pages(path):
                res = analyse_page(page, pdf[page.number - 1])
                hidden = [w for b in res.boxes for w in b.covered]
                if not hidden:
                    continue
                text, _ = mask_page(page.text, page.words, hidden)
                n = text.count(MASK) - page.text.count(MASK)
                covered += len(hidden)
                if n > len(hidden):
                    extra += n - len(hidden)
                    notes.append(f"{path.name}:{page.number} {n - len(hidden)} extra")
    return {"covered_words": covered, "visible_words_masked": extra, "misses": notes[:10]}


def run_real(corpus: Path) -> dict[str, Any]:
    """Figures on real pages labelled by hand; None where the corpus is absent."""
    import json

    t = truth_folder()
    out: dict[str, Any] = {}
    # The set the parser was tuned on, then the held-out files it never saw
    # (tests/truth/README.md): (file suffix, e-mail label, exemption label).
    for suffix, messages, pages in (
        ("", "real: State Department releases", "real: State Department pages"),
        ("_heldout", "held-out: 15 State Department files", "held-out State Department pages"),
    ):
        emails = json.loads((t / f"state_dept_emails{suffix}.json").read_text())
        out[f"printed e-mail messages ({messages})"] = evaluate_real_emails(corpus, emails)
        ex = evaluate_real_exemptions(
            corpus, json.loads((t / f"state_dept_exemptions{suffix}.json").read_text())
        )
        if ex is None:
            out[f"exemptions ({pages})"] = None
        else:
            for code, pr in ex.items():
                out[f"exemption {code} ({pages})"] = pr.as_dict()
    out["bates false stamps (real unstamped pages)"] = evaluate_no_bates(
        corpus, json.loads((t / "no_bates_pages.json").read_text())
    )
    out["visible words masked (x-ray bad files)"] = evaluate_xray_masks(
        corpus / "redactions" / "x-ray"
    )
    scans = evaluate_real_scans(corpus, json.loads((t / "scanned_boxes.json").read_text()))
    if scans is None:
        out["boxes and codes (real scans and invisible layers)"] = None
    else:
        out["boxes (real scans and invisible layers)"] = scans["boxes"]
        out["exemption codes (real scans and invisible layers)"] = scans["codes"]
    from readingroom.requests.evaluate import figures as requests_figures  # issue 13's hook

    out.update(requests_figures(corpus))
    return out


# -- boxes in page images ------------------------------------------------------------
def evaluate_generated_boxes(pages: int = 40) -> dict[str, PR]:
    """Box detectors on generated scans (photos, pen strokes, small and turned boxes).

    The previous run-stacking detector (`redactions.scan_boxes`, 72 dpi) is
    measured on the same pages as the reference.
    """
    import numpy as np
    from PIL import Image

    from readingroom.analyse.analysers.redactions import scan_boxes
    from readingroom.analyse.boxes import detect
    from readingroom.analyse.scans import generate, match

    new, old = PR(), PR()
    for seed in range(pages):
        scan = generate(seed)
        for pr, found in (
            (new, [b.box for b in detect(scan.gray)]),
            (
                old,
                [
                    tuple(v * 150 / 72 for v in b)
                    for b in scan_boxes(
                        np.asarray(Image.fromarray(scan.gray).resize((612, 792))).copy(), 1.0
                    )
                ],
            ),
        ):
            tp, fp, fn = match(found, scan.boxes)  # type: ignore[arg-type]
            pr.tp, pr.fp, pr.fn = pr.tp + tp, pr.fp + fp, pr.fn + fn
            if fp or fn:
                pr.misses.append(f"seed {seed}: {fp} extra, {fn} missed")
    return {"boxes": new, "boxes, previous detector": old}


def evaluate_real_scans(corpus: Path, truth: dict[str, Any]) -> dict[str, Any] | None:
    """Boxes and codes on real scanned and invisible-layer pages, against counts by eye."""
    from readingroom.analyse.analysers.exemptions import page_labels
    from readingroom.analyse.base import DocIn
    from readingroom.analyse.raster import LAYER_KEY, raster

    boxes, codes = PR(), PR()
    narrow = 0
    layers_flagged = 0
    raster_only = 0
    seen = 0
    for rel, by_page in truth["pages"].items():
        path = corpus / rel
        if not path.is_file():
            continue
        pages = pdf_pages(path)
        import pymupdf

        from readingroom.ingest.formats.pdf import LAYER_KEY as KEY
        from readingroom.ingest.formats.pdf import invisible_over_image

        with pymupdf.open(path) as pdf:
            for p in pages:
                if invisible_over_image(pdf[p.number - 1]):
                    p.meta[KEY] = "invisible-over-image"
                elif not p.text.strip():
                    p.source = "none"
        assert KEY == LAYER_KEY
        doc = DocIn(0, path.name, "pdf", pages, path)
        for num, want in by_page.items():
            page = pages[int(num) - 1]
            seen += 1
            layers_flagged += want["layer"] == "invisible-over-image" and bool(page.meta)
            found = raster(doc, page)
            n = len(found.boxes) if found else 0
            boxes.tp += min(n, want["boxes"])
            boxes.fp += max(0, n - want["boxes"])
            boxes.fn += max(0, want["boxes"] - n)
            narrow += want.get("narrow", 0)
            if n != want["boxes"]:
                boxes.misses.append(f"{path.name}:{num} {n} of {want['boxes']}")
            got: dict[str, int] = {}
            for lab in page_labels(page):
                if lab.kind == "cited":
                    continue
                raster_only += lab.source == "raster"
                for c in lab.codes:
                    got[c] = got.get(c, 0) + 1
            for c in set(got) | set(want["codes"]):
                g, w = got.get(c, 0), want["codes"].get(c, 0)
                codes.tp += min(g, w)
                codes.fp += max(0, g - w)
                codes.fn += max(0, w - g)
                if g != w:
                    codes.misses.append(f"{path.name}:{num} {c} {g} of {w}")
    if not seen:
        return None
    return {
        "pages": seen,
        "invisible layers flagged": layers_flagged,
        "boxes": {**boxes.as_dict(), "narrower_than_a_word_in_truth": narrow},
        "codes": {**codes.as_dict(), "raster_only_labels": raster_only},
    }
