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

Forms (most members print many `Label:` lines) are read as fields instead of
sentences: the lines most members print are labels, the rest are values, and
a field is aligned by its label and compared by its value. Cut into
sentences, a facility's name was glued to the next label and its counts were
lone figures that aligned with any other `21`: on 13 ICE inspection forms
(`similar.forms_evaluate`) values found among local passages went from 0.87
to 0.99 and right passages from 0.88 to 0.97.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from statistics import median
from typing import Any

from rapidfuzz import fuzz, process

from readingroom.similar.text import (
    OCR_LOOKALIKES,
    Passage,
    boilerplate_lines,
    normalise,
    passages,
)

#: Share of members that must hold a section for it to be template.
TEMPLATE_SHARE = 0.5
#: rapidfuzz ratio (0-100) above which two passages are one section.
ALIGN_CUTOFF = 72.0
#: Character similarity above which a replaced word run is an OCR misreading.
OCR_SIMILAR = 70.0
_DIGIT = re.compile(r"\d")
#: Lines ending `:` or `?` a document needs to be read as a form (label, value,
#: label …): the SIS forms print 67–70, their 2008 version 10–11, the demo plans 1.
FORM_LABELS = 10
#: Share of a form's worded lines that must be the family's labels for its fields
#: to be read against them (a form of another version is read as prose).
FORM_SHARE = 0.3
_LABEL_SYNTAX = re.compile(r"^.{2,80}[:?]$")
_INLINE_FIELD = re.compile(r"^(.{2,80}?:)\s+(\S.*)$")
_BATES = re.compile(r"^\s*[A-Z][A-Z0-9_-]*(?:[ -][A-Z0-9_-]+)*[ _-]?\d{4,}\s*$")
_WORDY = re.compile(r"[A-Za-z0-9]{2}")
#: Checkbox answers: most forms print them, yet they are values, not labels.
ANSWERS = frozenset({"yes", "no", "none", "n a", "na", "not selected", "not applicable"})


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
    #: What each passage is aligned by (set by `align`): its words with the
    #: member's own name as `§`; for a form field, its label alone.
    keys: list[str] = field(default_factory=list)
    #: Each passage's words with `§` as printed: a form field's label and value.
    said: list[str] = field(default_factory=list)
    #: Form fields: passage index → the label as printed (the rest is the value).
    fields: dict[int, str] = field(default_factory=dict)


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
    # words most names share (`SIS`, `form`) say nothing about the member, nor do
    # numbers (`adamsCoMS_SIS_11-21-2019.pdf`: a date, which the form prints as a value)
    common = Counter(w for lab in out for w in set(lab.split()))
    shared = {w for w, n in common.items() if n > len(out) / 2}
    return [
        " ".join(w for w in lab.split() if w not in shared and not w.isdigit()) or lab
        for lab in out
    ]


def _tokens(norm: str) -> list[str]:
    return norm.split()


_CODE = re.compile(r"\bb(?: \d)+(?: (?!b \d)[a-f]\b)?")
_FOLD = str.maketrans({seen: meant for seen, meant in OCR_LOOKALIKES if len(seen) == 1})


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


def form_lines(pages: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    """A form's lines in order, `Label: value` lines cut in two.

    Bates stamps, running headers and footers, and lines of redaction-box OCR
    debris (`I`, `■`, `1•`, `--`: no two letters or digits together, other
    than a lone figure) are left out.
    """
    skip = boilerplate_lines([t for _, t in pages])
    out: list[tuple[int, str]] = []
    for number, text in pages:
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line in skip or _BATES.match(line):
                continue
            if not _WORDY.search(line) and not line.isdigit():
                continue
            m = _INLINE_FIELD.match(line)
            out += [(number, m[1]), (number, m[2])] if m else [(number, line)]
    return out


def is_form(pages: Sequence[tuple[int, str]]) -> bool:
    """Printed as label, value, label …: many short lines end with `:` or `?`.

    Counted on the lines as printed: prose has colons inside its lines.
    """
    lines = (ln.strip() for _, t in pages for ln in t.splitlines())
    return sum(bool(_LABEL_SYNTAX.match(ln)) for ln in lines) >= FORM_LABELS


def _is_label(norm: str, held: int, need: float) -> bool:
    return held >= need and any(c.isalpha() for c in norm) and norm not in ANSWERS


def field_passages(
    lines: Sequence[tuple[int, str]], labels: set[str], filled: set[str]
) -> tuple[list[Passage], dict[int, str]] | None:
    """A form as fields: a label, then the value lines up to the next label.

    Labels are the lines most of the family prints (checkbox answers aside),
    so a facility's name, dates and counts are values whatever line they
    print on. A label no member fills (`Medical:` above `# filed`, a row
    label wrapped over two lines) heads the label after it; one some member
    fills (`*Date of Last:`) stands alone when left blank, so a blank field
    does not change how the next one aligns. None when too few of the form's
    lines are labels (another version of the form): it is then read as prose.
    """
    worded = [t for _, t in lines if any(c.isalpha() for c in t)]
    is_label = [normalise(t) in labels for _, t in lines]
    if not worded or sum(is_label) < FORM_SHARE * len(worded):
        return None
    out: list[Passage] = []
    fields: dict[int, str] = {}
    label: list[str] = []
    value: list[str] = []
    page = lines[0][0] if lines else 1

    def flush() -> None:
        if label or value:
            text = " ".join(label + value)
            if label:
                fields[len(out)] = " ".join(label)
            out.append(Passage(len(out), page, text))

    for (number, text), lab in zip(lines, is_label, strict=True):
        if lab and (value or (label and normalise(label[-1]) in filled)):
            flush()
            label, value = [], []
        if not label and not value:
            page = number
        (label if lab else value).append(text)
    flush()
    return out, fields


def _read_forms(members: list[Member], need: float) -> None:
    """Cut members that are forms into fields (see `field_passages`); others keep their passages."""
    forms = [is_form(m.pages) for m in members]
    if sum(forms) <= len(members) / 2:
        return
    lines = [form_lines(m.pages) if f else [] for m, f in zip(members, forms, strict=True)]
    held = Counter(n for x in lines for n in {normalise(t) for _, t in x})
    labels = {n for n, k in held.items() if _is_label(n, k, need)}
    filled = {
        normalise(a)
        for x in lines
        for (_, a), (_, b) in itertools.pairwise(x)
        if normalise(a) in labels and normalise(b) not in labels
    }
    for m, x, f in zip(members, lines, forms, strict=True):
        got = field_passages(x, labels, filled) if f else None
        if got is not None:
            m.passages, m.fields = got


def _blank(words: str) -> bool:
    """Zeros or nothing: what a form's unused row or month prints."""
    return all(w == "0" for w in words.split())


def _changes(
    mine: str, other: str, own: set[str], names: set[str], form: bool
) -> list[dict[str, str]]:
    """`word_changes`; in a form field, a month left blank and one printed 0 are alike."""
    out = word_changes(mine, other, own, names) if mine != other else []
    if form:
        out = [c for c in out if not (_blank(c["template"]) and _blank(c["member"]))]
    return out


def align(members: list[Member]) -> list[Section]:
    """Sections over all members' passages (see the module docstring)."""
    n = len(members)
    need = max(2, TEMPLATE_SHARE * n) if n > 2 else n
    if n > 2 and not any(m.passages for m in members):
        _read_forms(members, need)
    for m in members:
        if not m.passages:
            m.passages = passages(m.pages)
        m.said = [keyed(p.norm, m.label) for p in m.passages]
        m.keys = list(m.said)
        seen: Counter[str] = Counter()
        for i, lab in m.fields.items():
            # a field is aligned by its label; a label printed again (`# filed` under
            # each grievance type) by its occurrence
            k = keyed(normalise(lab), m.label)
            seen[k] += 1
            m.keys[i] = k if seen[k] == 1 else f"{k} #{seen[k]}"
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
    # What a section says as most holders print it (a form field: label and value)
    ref: dict[int, str] = {}
    field_of: dict[int, bool] = {}
    for s in sections:
        said = Counter(members[mj].said[jx[0]] for mj, jx in s.holders.items())
        ref[s.id], most = said.most_common(1)[0]
        mi, ix = next(iter(s.holders.items()))
        # original wording of a holder whose words are the section's text
        for mj, jx in s.holders.items():
            if members[mj].said[jx[0]] == ref[s.id]:
                mi, ix = mj, jx
                break
        display[s.id] = members[mi].passages[ix[0]].text
        field_of[s.id] = ix[0] in members[mi].fields
        if field_of[s.id] and most < need:  # a blank the members fill: the template is its label
            display[s.id] = members[mi].fields[ix[0]]
    # A blank every member fills differently (a target, a facility's name): most
    # holders differ from the section in real words, not OCR noise.
    fill_in: dict[int, bool] = {}
    for s in template:
        differ = sum(
            1
            for mj, jx in s.holders.items()
            if _changes(
                members[mj].said[jx[0]],
                ref[s.id],
                set(members[mj].label.split()),
                names,
                field_of[s.id],
            )
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
            k = m.said[ix[0]]
            other = ref[s.id]
            if fill_in[s.id] and k == other:  # a blank filled in: against another's filling
                distinct = {members[mj].said[jx[0]] for mj, jx in s.holders.items()}
                other = next((x for x in sorted(distinct) if x != k), k)
            changes = _changes(k, other, own, names, field_of[s.id])
            if not changes:
                cells[s.id] = "same"
            elif fill_in[s.id]:
                cells[s.id] = "filled"
                # a form field is listed whatever its value (a name, an operator) unless
                # it is blank; elsewhere a filling is listed when it holds figures
                if (
                    any(not _blank(c["member"]) for c in changes)
                    if field_of[s.id]
                    else any(figures(c["member"]) for c in changes)
                ):
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
