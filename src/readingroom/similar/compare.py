"""Two releases of one record: what one withheld that the other released.

Passages of both releases are aligned (identical ones first, then the rest
paired fuzzily), and the word differences of each pair are sorted:

* `withheld_in_a` / `withheld_in_b`: one release prints an exemption code
  (`(b)(6)`) where the other prints words — the passages an appeal cites as
  inconsistent withholding (a bare gap is `restored_in_*`'s business, below);
* `only_in_a` / `only_in_b`: whole passages one release lacks (a page
  withheld in full, a passage restored);
* `changed`: other real word differences.

Differences that look like OCR misreadings are dropped (`family.word_changes`),
so two OCR engines reading the same page do not fill the list.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from readingroom.citation import exemption_label
from readingroom.similar.family import _CODE, Member, word_changes
from readingroom.similar.restored import restorations
from readingroom.similar.text import EXEMPTION, Passage, normalise, passages

#: Passages below this rapidfuzz ratio are not the same passage edited.
PAIR_CUTOFF = 55.0
#: Words a passage only one release holds must have to be listed (shorter ones: OCR scraps).
MIN_WORDS = 3


@dataclass
class Release:
    key: str
    name: str
    pages: list[tuple[int, str]]
    bates: dict[int, str]
    #: When it was released (ISO date), if known: orders the releases of a record.
    released: str | None = None
    _ends: tuple[list[int], list[int]] | None = field(default=None, repr=False, compare=False)


@dataclass
class Witness:
    """Another release of the same record: its text and when it was released."""

    text: str
    released: str | None = None


def _codes(text: str) -> list[str]:
    out = []
    for m in EXEMPTION.finditer(text):
        for part in m.group(0).replace(" ", "").split("(b)")[1:]:
            code = "b" + part.replace("(", "").replace(")", "").strip(",;/&")
            out.append(exemption_label(code) if code != "b" else "(b)")
    return sorted(set(out))


def _keyed(p: Passage, stamps: Sequence[str] = ()) -> str:
    """A passage's words as compared: codes as `bcode`, the release's own Bates stamps out
    (a stamp run into the last line of a page differs in every release)."""
    text = f" {p.norm} "
    for stamp in stamps:
        text = text.replace(f" {stamp} ", " ")
    return " ".join(_CODE.sub("bcode ", text).split())


def _stamps(r: Release) -> list[str]:
    return sorted({normalise(b) for b in r.bates.values() if b}, key=len, reverse=True)


def _cite(r: Release, p: Passage | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {"page": p.page, "bates": r.bates.get(p.page), "text": p.text}


def compare(a: Release, b: Release, *, witnesses: Sequence[Witness] = ()) -> dict[str, Any]:
    """Differences between two releases, each with page and Bates citations on both sides.

    `witnesses`: other releases of the same record. Their names and cryptonyms
    count as words when telling a restored passage from OCR garble; one released
    no later than the release lacking a passage shows that release disclosed it.
    When both releases are dated, only the later one's restored passages are
    sought: withholding shrinks as a record is released again, so a code-less
    passage the later text lacks is an OCR loss (coded withholding is still
    reported both ways); and a passage a release dated between them already
    prints is that release's restoration, not B's.
    """
    pa, pb = passages(a.pages), passages(b.pages)
    sa, sb = _stamps(a), _stamps(b)
    ka, kb = [_keyed(p, sa) for p in pa], [_keyed(p, sb) for p in pb]
    diffs: list[dict[str, Any]] = []
    same = 0
    sm = difflib.SequenceMatcher(None, ka, kb, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            same += i2 - i1
            continue
        left = list(range(i1, i2))
        right = list(range(j1, j2))
        pairs: list[tuple[int | None, int | None]] = []
        for i in left:
            if _codes_only(ka[i]) and right and not _codes_only(kb[right[0]]):
                # a passage withheld whole (only its code printed) opposite the text
                j = right.pop(0)
                diffs.append(_withheld_whole("withheld_in_a", a, pa[i], pb[j], b))
                continue
            best = max(right, key=lambda j: fuzz.ratio(ka[i], kb[j]), default=None)
            if best is not None and fuzz.ratio(ka[i], kb[best]) >= PAIR_CUTOFF:
                pairs.append((i, best))
                right.remove(best)
            else:
                pairs.append((i, None))
        for j in list(right):
            lone = [i for i, q in pairs if q is None and i is not None]
            if _codes_only(kb[j]) and lone:
                i = lone[0]
                pairs.remove((i, None))
                right.remove(j)
                diffs.append(_withheld_whole("withheld_in_b", a, pa[i], pb[j], b))
        pairs += [(None, j) for j in right]
        pairs.sort(
            key=lambda x: (x[0] if x[0] is not None else i1, x[1] if x[1] is not None else -1)
        )
        for pi, pj in pairs:
            p = pa[pi] if pi is not None else None
            q = pb[pj] if pj is not None else None
            if pi is not None and pj is not None and p is not None and q is not None:
                i, j = pi, pj
                by_kind: dict[str, list[dict[str, str]]] = {}
                for ch in word_changes(kb[j], ka[i], set(), set()):
                    kind = _kind(ch["template"], ch["member"])
                    if kind is not None:
                        by_kind.setdefault(kind, []).append(
                            {"a": _shown(ch["template"]), "b": _shown(ch["member"])}
                        )
                for kind, words in by_kind.items():
                    diffs.append(
                        {
                            "kind": kind,
                            "words": words,
                            "a_words": " … ".join(w["a"] for w in words),
                            "b_words": " … ".join(w["b"] for w in words),
                            "codes": _codes(p.text if kind == "withheld_in_a" else q.text)
                            if kind.startswith("withheld")
                            else [],
                            "a": _cite(a, p),
                            "b": _cite(b, q),
                        }
                    )
            elif p is not None and pi is not None and len(ka[pi].split()) >= MIN_WORDS:
                diffs.append(_whole("only_in_a", a, p, None, b))
            elif q is not None and pj is not None and len(kb[pj].split()) >= MIN_WORDS:
                diffs.append(_whole("only_in_b", a, None, q, b))
    # Withheld text that left no code behind (a blank, a box OCR cannot read):
    # readable runs one release prints where the other has nothing readable.
    texts = [w.text for w in witnesses]
    terms: dict[str, list[dict[str, Any]]] = {"in_a": [], "in_b": []}
    for kind, x, y in (("restored_in_b", a, b), ("restored_in_a", b, a)):
        if x.released and y.released and y.released < x.released:
            continue  # y is the older release
        xr, yr = x.released or "", y.released or ""
        dated = [(w.text, w.released) for w in witnesses if xr and yr and w.released]
        earlier = [t for t, r in dated if r <= xr]
        between = [t for t, r in dated if xr < r < yr]
        runs, found_terms = restorations(
            _joined(x), _joined(y), witnesses=texts, earlier=earlier, between=between
        )
        for r in runs:
            page = _page_of(y, r["b_start"])
            cite = {"page": page, "bates": y.bates.get(page), "text": r["text"]}
            diffs.append(
                {
                    "kind": kind,
                    "words": [],
                    "a_words": r["a_text"] if kind == "restored_in_b" else r["text"],
                    "b_words": r["text"] if kind == "restored_in_b" else r["a_text"],
                    "codes": [],
                    "a": None if kind == "restored_in_b" else cite,
                    "b": cite if kind == "restored_in_b" else None,
                }
            )
        for term in found_terms:
            pages = sorted({_page_of(y, j) for j in term["places"]})
            terms["in_b" if kind == "restored_in_b" else "in_a"].append(
                {
                    "term": term["term"],
                    "places": len(term["places"]),
                    "pages": pages,
                    "bates": [y.bates[p] for p in pages if y.bates.get(p)],
                }
            )
    counts: dict[str, int] = {}
    for d in diffs:
        counts[d["kind"]] = counts.get(d["kind"], 0) + 1
    return {
        "a": {"key": a.key, "name": a.name, "passages": len(pa)},
        "b": {"key": b.key, "name": b.name, "passages": len(pb)},
        "same_passages": same,
        "counts": counts,
        # names and words one release prints in several gaps of the other, which
        # prints them nowhere: withheld throughout (`similar.restored.restored_terms`)
        "restored_terms": terms,
        "differences": diffs,
    }


def _shown(words: str) -> str:
    """Word differences as people read them: a withheld span says so."""
    return re.sub(r"(?:\bbcode\b ?)+", "[withheld] ", words).strip()


def _codes_only(key: str) -> bool:
    return bool(key) and set(key.split()) == {"bcode"}


def _withheld_whole(kind: str, a: Release, p: Passage, q: Passage, b: Release) -> dict[str, Any]:
    codes_from = p if kind == "withheld_in_a" else q
    return {
        "kind": kind,
        "words": [],
        "a_words": "withheld" if kind == "withheld_in_a" else p.text,
        "b_words": q.text if kind == "withheld_in_a" else "withheld",
        "codes": _codes(codes_from.text),
        "a": _cite(a, p),
        "b": _cite(b, q),
    }


def _joined(r: Release) -> str:
    return "\n".join(t for _, t in r.pages)


def _page_of(r: Release, word: int) -> int:
    """The page holding the `word`-th whitespace-separated word of the joined text."""
    ends, numbers = _page_ends(r)
    k = bisect.bisect_right(ends, word)
    return numbers[k] if k < len(numbers) else (numbers[-1] if numbers else 1)


def _page_ends(r: Release) -> tuple[list[int], list[int]]:
    """Where each page's words end in the joined text, counted once per release."""
    if r._ends is None:
        ends, seen = [], 0
        for _, text in r.pages:
            seen += len(text.split())
            ends.append(seen)
        r._ends = (ends, [n for n, _ in r.pages])
    return r._ends


def _kind(a_words: str, b_words: str) -> str | None:
    """Withheld where an exemption code stands opposite the words; a bare gap is left to
    `restored_runs`, which tells a withheld passage from OCR loss (on real JFK pairs read
    by two OCR engines, bare gaps of three words or more were mostly a line one lost)."""
    wa = [w for w in a_words.split() if w != "bcode"]
    wb = [w for w in b_words.split() if w != "bcode"]
    if not wa and wb and "bcode" in a_words:
        return "withheld_in_a"
    if not wb and wa and "bcode" in b_words:
        return "withheld_in_b"
    if not wa or not wb:
        return None  # words one side lacks, no code: OCR loss or `restored_runs`' business
    return "changed"


def _whole(
    kind: str, a: Release, p: Passage | None, q: Passage | None, b: Release
) -> dict[str, Any]:
    text = p.text if p else q.text if q else ""
    return {
        "kind": kind,
        "words": [],
        "a_words": p.text if p else "",
        "b_words": q.text if q else "",
        "codes": _codes(text),
        "a": _cite(a, p),
        "b": _cite(b, q),
    }


def release_of(m: Member, released: str | None = None) -> Release:
    return Release(m.key, m.name, list(m.pages), m.bates, released)
