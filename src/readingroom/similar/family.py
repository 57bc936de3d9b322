"""A family's template and each member's local passages.

Members are documents that are versions of one text: a headquarters plan
copied by 24 field offices, one form filled by many facilities, one record
released several times. Their passages (`text.passages`) are aligned:

1. passages with the same words are one *section*;
2. a passage held by a minority of members is matched fuzzily (rapidfuzz) to
   a section most members hold — an OCR variant or an edited sentence;
3. what is left is grouped fuzzily among itself (a local paragraph several
   offices wrote from one pattern).

Sections most members hold are the *template* (boilerplate is recognised by
how many members hold it, not by where it sits). For each member, each
template section is `same`, `changed`, `filled` (a blank every member fills
differently and this member filled with figures) or `removed`, and passages in
no template section are `added`. Word differences that look like OCR errors
(`arrcsts` for `arrests`) or are only the member's own name (`Atlanta` where
the template reads `Boston`) are not changes.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from statistics import median
from typing import Any

from rapidfuzz import fuzz, process

from readingroom.similar.text import Passage, passages

#: Share of members that must hold a section for it to be template.
TEMPLATE_SHARE = 0.5
#: rapidfuzz ratio (0-100) above which two passages are one section.
ALIGN_CUTOFF = 72.0
#: Character similarity above which a replaced word run is an OCR misreading.
OCR_SIMILAR = 70.0
_DIGIT = re.compile(r"\d")


@dataclass
class Member:
    """One document of the family: its key, name, label and pages."""

    key: str
    name: str
    pages: Sequence[tuple[int, str]]
    bates: dict[int, str] = field(default_factory=dict)
    document_id: int | None = None
    label: str = ""
    passages: list[Passage] = field(default_factory=list)
    #: Each passage's words with the member's own name as `§` (set by `align`).
    keys: list[str] = field(default_factory=list)


@dataclass
class Section:
    """Passages of several members that say the same thing."""

    id: int
    text: str
    holders: dict[int, list[int]] = field(default_factory=dict)  # member -> passage indexes
    position: float = 0.0

    @property
    def count(self) -> int:
        return len(self.holders)


def _common_prefix(words: Sequence[str]) -> str:
    """The characters every string starts with."""
    first, last = min(words), max(words)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return first[:n]


def member_labels(names: Sequence[str]) -> list[str]:
    """What tells members apart in their file names: `ops-plan-el-paso.pdf` → `el paso`."""
    stems = [re.sub(r"\.[A-Za-z0-9]{2,4}$", "", PurePath(n).name).lower() for n in names]
    if len(stems) < 2:
        return [re.sub(r"[-_.]+", " ", s).strip() for s in stems]
    pre = _common_prefix(stems)
    suf = _common_prefix([s[::-1] for s in stems])[::-1]
    out = []
    for s in stems:
        core = s[len(pre) : len(s) - len(suf) if suf else None]
        out.append(re.sub(r"[-_.]+", " ", core).strip() or s)
    # words most names share (`SIS`, `form`) say nothing about the member
    common = Counter(w for lab in out for w in set(lab.split()))
    shared = {w for w, n in common.items() if n > len(out) / 2}
    return [" ".join(w for w in lab.split() if w not in shared) or lab for lab in out]


def _tokens(norm: str) -> list[str]:
    return norm.split()


_CODE = re.compile(r"\bb(?: \d)+(?: (?!b \d)[a-f]\b)?")
_FOLD = str.maketrans({"1": "l", "0": "o", "5": "s"})


def _fold(word: str) -> str:
    """An OCR'd word as letters: `1ocate` → `locate`; numbers stay numbers."""
    return word.translate(_FOLD) if any(c.isalpha() for c in word) else word


def figures(norm: str) -> list[str]:
    """The numbers in a normalised text, not counting exemption codes or misread letters."""
    return [w for w in _CODE.sub(" ", f" {norm} ").split() if _fold(w).isdigit()]


def keyed(norm: str, label: str) -> str:
    """`norm` with the member's own name (also as OCR misread it) written `§`."""
    lab = label.split()
    if not lab:
        return norm
    words = norm.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        span = words[i : i + len(lab)]
        if len(span) == len(lab) and all(
            a == b or (len(b) >= 4 and fuzz.ratio(a, b) >= 80)
            for a, b in zip(span, lab, strict=True)
        ):
            out.append("§")
            i += len(lab)
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


def word_changes(mine: str, template: str, own: set[str], names: set[str]) -> list[dict[str, str]]:
    """Real word differences of `mine` against `template` (normalised texts).

    OCR misreadings (similar characters) and the member's own name standing
    where the template has another member's name are dropped.
    """
    a = _tokens(_CODE.sub("bcode ", f" {template} "))
    b = _tokens(_CODE.sub("bcode ", f" {mine} "))
    out = []
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        was, now = " ".join(a[i1:i2]), " ".join(b[j1:j2])
        if set(b[j1:j2]) <= own and set(a[i1:i2]) <= names:
            continue
        fw, fn = " ".join(map(_fold, was.split())), " ".join(map(_fold, now.split()))
        if set(a[i1:i2]) | set(b[j1:j2]) <= {"bcode"}:
            continue  # one exemption code for another: what was withheld, not the text
        if was and now and fuzz.ratio(fw, fn) >= OCR_SIMILAR and figures(fw) == figures(fn):
            continue  # an OCR misreading, a split or merged word
        if was.replace(" ", "") == now.replace(" ", ""):
            continue
        out.append({"op": op, "template": was, "member": now})
    return out


def align(members: list[Member]) -> list[Section]:
    """Sections over all members' passages (see the module docstring)."""
    for m in members:
        if not m.passages:
            m.passages = passages(m.pages)
        m.keys = [keyed(p.norm, m.label) for p in m.passages]
    n = len(members)
    need = max(2, TEMPLATE_SHARE * n) if n > 2 else n
    exact: dict[str, Section] = {}
    sections: list[Section] = []
    where: dict[tuple[int, int], Section] = {}
    for mi, m in enumerate(members):
        for p in m.passages:
            k = m.keys[p.index]
            s = exact.get(k)
            if s is None:
                s = exact[k] = Section(len(sections), k)
                sections.append(s)
            s.holders.setdefault(mi, []).append(p.index)
            where[(mi, p.index)] = s
    major = [s for s in sections if s.count >= need]
    major_texts = [s.text for s in major]
    loose: list[Section] = []
    for mi, m in enumerate(members):
        for p in m.passages:
            s = where[(mi, p.index)]
            k = m.keys[p.index]
            if s.count >= need or not k:
                continue
            target: Section | None = None
            hit = process.extractOne(k, major_texts, scorer=fuzz.ratio, score_cutoff=ALIGN_CUTOFF)
            if hit is not None and mi not in major[hit[2]].holders:
                target = major[hit[2]]
            else:
                hit = process.extractOne(
                    k, [x.text for x in loose], scorer=fuzz.ratio, score_cutoff=ALIGN_CUTOFF
                )
                if hit is not None and mi not in loose[hit[2]].holders:
                    target = loose[hit[2]]
            if target is None:
                target = Section(len(sections), k)
                sections.append(target)
                loose.append(target)
            target.holders.setdefault(mi, []).append(p.index)
            where[(mi, p.index)] = target
    kept = {id(s) for s in where.values()}
    sections = [s for s in sections if id(s) in kept]
    for s in sections:
        s.holders = {mi: ix for mi, ix in s.holders.items() if any(where[(mi, i)] is s for i in ix)}
        s.holders = {mi: [i for i in ix if where[(mi, i)] is s] for mi, ix in s.holders.items()}
        s.holders = {mi: ix for mi, ix in s.holders.items() if ix}
        rel = [ix[0] / max(1, len(members[mi].passages)) for mi, ix in s.holders.items()]
        s.position = median(rel) if rel else 1.0
        # The section reads as most members print it.
        texts = Counter(members[mi].keys[ix[0]] for mi, ix in s.holders.items())
        s.text = texts.most_common(1)[0][0]
    sections = [s for s in sections if s.holders]
    sections.sort(key=lambda s: (s.position, s.id))
    for i, s in enumerate(sections):
        s.id = i + 1
    return sections


def analyse_family(members: list[Member]) -> dict[str, Any]:
    """The template, the matrix (member × section) and each member's local passages."""
    if not members:
        return {"members": [], "template": [], "matrix": [], "passages": []}
    labels = member_labels([m.name for m in members])
    for m, lab in zip(members, labels, strict=True):
        m.label = m.label or lab
    sections = align(members)
    n = len(members)
    need = max(2, TEMPLATE_SHARE * n) if n > 2 else n
    template = [s for s in sections if s.count >= need]
    names = {w for m in members for w in m.label.split()}
    display: dict[int, str] = {}
    for s in sections:
        mi, ix = next(iter(s.holders.items()))
        # original wording of a holder whose words are the section's text
        for mj, jx in s.holders.items():
            if members[mj].keys[jx[0]] == s.text:
                mi, ix = mj, jx
                break
        display[s.id] = members[mi].passages[ix[0]].text
    # A blank every member fills differently (a target, a facility's name): most
    # holders differ from the section in real words, not OCR noise.
    fill_in: dict[int, bool] = {}
    for s in template:
        differ = sum(
            1
            for mj, jx in s.holders.items()
            if members[mj].keys[jx[0]] != s.text
            and word_changes(members[mj].keys[jx[0]], s.text, set(members[mj].label.split()), names)
        )
        fill_in[s.id] = differ > max(2, 0.5 * s.count)
    matrix: list[dict[str, Any]] = []
    local: list[dict[str, Any]] = []
    for mi, m in enumerate(members):
        own = set(m.label.split())
        cells: dict[int, str] = {}
        for s in template:
            ix = s.holders.get(mi, [])
            own_line = keyed(s.text, m.label)
            if not ix and own_line != s.text and any(fuzz.ratio(own_line, k) >= 90 for k in m.keys):
                cells[s.id] = "same"  # the line naming this member, printed with its name
                continue
            if not ix:
                cells[s.id] = "removed"
                local.append(_passage(m, mi, s, "removed", display[s.id], None))
                continue
            p = m.passages[ix[0]]
            k = m.keys[ix[0]]
            other = s.text
            if fill_in[s.id] and k == other:  # a blank filled in: against another's filling
                distinct = {members[mj].keys[jx[0]] for mj, jx in s.holders.items()}
                other = next(x for x in sorted(distinct) if x != k)
            changes = word_changes(k, other, own, names) if k != other else []
            if not changes:
                cells[s.id] = "same"
            elif fill_in[s.id]:
                cells[s.id] = "filled"
                if any(figures(c["member"]) for c in changes):
                    local.append(_passage(m, mi, s, "filled", display[s.id], p, changes))
            else:
                cells[s.id] = "changed"
                local.append(_passage(m, mi, s, "changed", display[s.id], p, changes))
        added = [(s, i) for s in sections if s.count < need for i in s.holders.get(mi, [])]
        added.sort(key=lambda x: x[1])
        run: list[tuple[Section, int]] = []
        ends: list[tuple[Section | None, int]] = [*added, (None, -9)]
        for sec, i in ends:
            if run and (sec is None or i != run[-1][1] + 1):
                ps = [m.passages[j] for _, j in run]
                after = _section_before(sections, template, mi, ps[0].index)
                local.append(
                    {
                        "member": m.key,
                        "member_name": m.name,
                        "label": m.label,
                        "kind": "added",
                        "section": after,
                        "template_text": None,
                        "text": " ".join(p.text for p in ps),
                        "page": ps[0].page,
                        "bates": m.bates.get(ps[0].page),
                        "held_by": max(x.count for x, _ in run),
                        "changes": [],
                    }
                )
                cells.setdefault(-1, "added")
                run = []
            if sec is not None:
                run.append((sec, i))
        matrix.append({"member": m.key, "name": m.name, "label": m.label, "cells": cells})
    added_after: dict[str, Counter[int]] = {}
    for lp in local:
        if lp["kind"] == "added" and lp["section"]:
            added_after.setdefault(lp["member"], Counter())[lp["section"]] += 1
    for row in matrix:
        row["added_after"] = dict(added_after.get(row["member"], {}))
        row["cells"].pop(-1, None)
    return {
        "members": [
            {"key": m.key, "name": m.name, "label": m.label, "document_id": m.document_id}
            for m in members
        ],
        "template": [
            {"section": s.id, "text": display[s.id], "held_by": s.count, "of": n} for s in template
        ],
        "matrix": matrix,
        "passages": local,
    }


def _section_before(
    sections: list[Section], template: list[Section], mi: int, index: int
) -> int | None:
    """The template section this member printed last before passage `index`."""
    best: tuple[int, int] | None = None
    for s in template:
        for i in s.holders.get(mi, []):
            if i < index and (best is None or i > best[0]):
                best = (i, s.id)
    return best[1] if best else None


def _passage(
    m: Member,
    mi: int,
    s: Section,
    kind: str,
    template_text: str,
    p: Passage | None,
    changes: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    page = p.page if p else None
    return {
        "member": m.key,
        "member_name": m.name,
        "label": m.label,
        "kind": kind,
        "section": s.id,
        "template_text": template_text,
        "text": p.text if p else None,
        "page": page,
        "bates": m.bates.get(page) if page else None,
        "held_by": s.count,
        "changes": changes or [],
    }
