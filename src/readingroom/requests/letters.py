"""What an agency's letter says: page figures, exemptions claimed, referrals, the kind of letter.

Production letters state "N pages were reviewed; X are released in full, Y in
part, Z withheld in full, W referred to another agency" in many phrasings,
with numbers in digits or words, and cite exemptions as `(b)(7)(C)`,
`5 U.S.C. § 552(b)(7)(A)` or, under state laws, `5 ILCS 140/7(1)(c)`. The
parser reads the letter's text (its text layer or OCR, as ingested) and
returns what it found *with the sentence it read each figure from*, so the
user confirms or corrects each one before it is used: a parsed figure is a
proposal, never evidence.
"""

from __future__ import annotations

import re
from typing import Any

from readingroom.citation import exemption_code

__all__ = ["FIGURES", "LETTER_KINDS", "parse_letter"]

#: The figures a production letter states, in the order letters give them.
FIGURES = ("reviewed", "released_full", "released_part", "withheld_full", "referred")

LETTER_KINDS = (
    "request",
    "acknowledgement",
    "extension",
    "clarification",
    "fee",
    "grant",
    "partial denial",
    "denial",
    "no records",
    "appeal",
)

_WORDS = {
    "no": 0, "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
}  # fmt: skip
_NUM = r"(\d{1,3}(?:,\d{3})+|\d+|" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")"
_PAGES = r"(?:\(\s*\d[\d,]*\s*\)\s*)?(?:additional\s+|responsive\s+)?pages?"
_GAP = r"[^.;:\d]{0,60}?"  # words between the number and the verb, within one clause

_PATTERNS: dict[str, list[re.Pattern[str]]] = {
    "reviewed": [
        re.compile(
            rf"{_NUM}\s+{_PAGES}{_GAP}\b(?:were|was|have been|has been)?\s*"
            r"(?:reviewed|processed|located|identified)",
            re.I,
        ),
        re.compile(
            rf"(?:reviewed|processed|located|identified)\s+(?:a total of\s+)?{_NUM}\s+{_PAGES}",
            re.I,
        ),
        re.compile(rf"total (?:number )?of\s+{_NUM}\s+{_PAGES}", re.I),
        re.compile(rf"pages reviewed\s*[:\-]?\s*{_NUM}", re.I),
    ],
    "released_full": [
        re.compile(
            rf"{_NUM}\s+{_PAGES}{_GAP}(?:released|releasable|produced|provided|disclosed)"
            r"\s+in\s+(?:full|their entirety)",
            re.I,
        ),
        re.compile(
            rf"(?:releas\w*|produc\w*|provid\w*)\s+{_NUM}\s+{_PAGES}"
            r"\s+in\s+(?:full|their entirety)",
            re.I,
        ),
        re.compile(rf"released in full\s*[:\-]?\s*{_NUM}", re.I),
    ],
    "released_part": [
        re.compile(
            rf"{_NUM}\s+{_PAGES}{_GAP}(?:released|releasable|produced|provided|disclosed)\s+in\s+part",
            re.I,
        ),
        re.compile(rf"(?:releas\w*|produc\w*|provid\w*)\s+{_NUM}\s+{_PAGES}\s+in\s+part", re.I),
        re.compile(
            rf"{_NUM}\s+{_PAGES}{_GAP}(?:with|contain\w*)\s+(?:partial\s+)?redactions", re.I
        ),
        re.compile(rf"released in part\s*[:\-]?\s*{_NUM}", re.I),
    ],
    "withheld_full": [
        re.compile(
            rf"{_NUM}\s+{_PAGES}{_GAP}(?:withheld|denied|exempt)\s+in\s+(?:full|their entirety)",
            re.I,
        ),
        re.compile(rf"withh\w*\s+{_NUM}\s+{_PAGES}\s+in\s+(?:full|their entirety)", re.I),
        re.compile(rf"withheld in full\s*[:\-]?\s*{_NUM}", re.I),
    ],
    "referred": [
        re.compile(rf"{_NUM}\s+{_PAGES}{_GAP}(?:referred|sent)\s+to", re.I),
        re.compile(
            rf"referr\w*\s+(?:(?:those|these|the|an additional)\s+)?{_NUM}\s+{_PAGES}", re.I
        ),
        re.compile(rf"referred\s*[:\-]\s*{_NUM}", re.I),
    ],
}
_CAP = r"(?:(?:[A-Z]\.){2,}|[A-Z][\w&'-]*)"
_REFERRED_TO = re.compile(
    rf"referr\w*[^.]{{0,80}}?\bto\s+(?:the\s+)?({_CAP}(?:\s+(?:(?:and|of|for)\s+)?{_CAP})*)"
    r"(?:\s*\(([A-Z&]{2,8})\))?"
)
#: Where a letter's own claims end and its boilerplate list of every exemption begins.
_BOILERPLATE = re.compile(
    r"EXPLANATION OF EXEMPTIONS|SUBSECTIONS OF TITLE 5|FOIPA Addendum\s*\n|General Information:",
)
_FEDERAL = re.compile(
    r"\(\s*b\s*\)\s*\(\s*(\d)\s*\)(?:\s*\(\s*([A-Fa-f])\s*\))?|\bb\s?(\d)\s?([A-F])?\b(?=[\s,;.)])"
)
_FEDERAL_CONTEXT = re.compile(r"552\s*\(b\)\s*\((\d)\)(?:\s*\(([A-Fa-f])\))?")
_ILLINOIS = re.compile(
    r"140\s*/\s*7\.?5?\s*\(\s*1\s*\)\s*\(\s*([a-z]{1,2})\s*\)(?:\s*\(\s*([ivx]+)\s*\))?", re.I
)
_ILLINOIS_SECTION = re.compile(r"\bSection\s+7\s*\(\s*1\s*\)\s*\(\s*([a-z]{1,2})\s*\)", re.I)
#: Illinois 5 ILCS 140/3(g): a refusal for undue burden, a ground as real as an exemption.
_ILLINOIS_BURDEN = re.compile(r"140\s*/\s*3\s*\(\s*g\s*\)|\bSection\s+3\s*\(\s*g\s*\)", re.I)

_KIND_CUES: list[tuple[str, re.Pattern[str]]] = [
    (
        "appeal",
        re.compile(
            r"\b(?:this|my|our) (?:is an? )?(?:administrative )?appeal\b|hereby appeal", re.I
        ),
    ),
    (
        "no records",
        re.compile(
            r"\bno (?:responsive )?records\b[^.]{0,60}\b(?:were|was) (?:located|found)"
            r"|did not locate any|unable to locate any",
            re.I,
        ),
    ),
    (
        "extension",
        re.compile(
            r"\bextend\w*\b[^.]{0,80}\b(?:time|deadline|response)"
            r"|additional (?:five|5|ten|10) (?:business|working) days|unusual circumstances"
            r"|\bextension of (?:five|ten|\d+) (?:additional )?(?:business |working )?days",
            re.I,
        ),
    ),
    (
        "clarification",
        re.compile(r"\bclarif(?:y|ication)\b|\bnarrow (?:the scope|your request)", re.I),
    ),
    ("fee", re.compile(r"\bfees? (?:estimate|assessment|will be)|estimated (?:fee|cost)", re.I)),
    (
        "acknowledgement",
        re.compile(
            r"\b(?:acknowledg\w*|confirm\w*) (?:the )?receipt\b"
            r"|\bwe (?:have )?received your (?:FOIA )?request\b|\bhas been assigned\b",
            re.I,
        ),
    ),
    (
        "request",
        re.compile(
            r"\b(?:I|we) (?:hereby )?request\b"
            r"|\bpursuant to the (?:Illinois )?Freedom of Information Act[^.]{0,60}\brequest\b"
            r"|\bthis is a request\b",
            re.I,
        ),
    ),
]
_DENIAL = re.compile(r"\bexempt\w*\b|\bwithh(?:e|o)ld|\bredact\w*|\bdenied\b|\bdenial\b", re.I)
_GRANT = re.compile(
    r"\benclosed\b|\battached\b|\bresponsive (?:records|documents)\b|\bproduc\w+\b|\bprovid\w+\b",
    re.I,
)
#: Words with which an agency hands over records ("Attached is…", "will provide you with").
_RELEASED = re.compile(
    r"\b(?:attached|enclosed) (?:is|are)\b|\b(?:is|are) (?:attached|enclosed)\b"
    r"|\bplease see the attached\b|\b(?:will provide|is providing|are providing) you with\b",
    re.I,
)
_FULL_DENIAL = re.compile(
    r"\bdenied in (?:full|its entirety)|\bwithh\w+ in (?:full|their entirety)[^.]{0,40}all\b"
    r"|\bexempt from disclosure in (?:its|their) entirety|\bclosing your request\b"
    r"|administratively closed|\byour request\b[^.]{0,160}\bis (?:hereby )?denied\b",
    re.I,
)


def _number(text: str) -> int:
    t = text.lower().replace(",", "")
    return _WORDS[t] if t in _WORDS else int(t)


def _sentence(text: str, start: int, end: int) -> str:
    lo = max(text.rfind(".", 0, start), text.rfind("\n\n", 0, start)) + 1
    hi = text.find(".", end)
    return " ".join(text[lo : (hi + 1 if hi != -1 else len(text))].split())[:300]


def exemptions_in(text: str) -> list[str]:
    """Exemptions cited in `text`: federal as stored codes (`b7C`), Illinois as `IL 7(1)(c)`."""
    found: set[str] = set()
    for m in _FEDERAL.finditer(text):
        if m[1]:
            code = exemption_code(f"(b)({m[1]})" + (f"({m[2]})" if m[2] else ""))
        else:
            code = exemption_code(f"b{m[3]}{m[4] or ''}")
        if code:
            found.add(code)
    for m in _FEDERAL_CONTEXT.finditer(text):
        code = exemption_code(f"(b)({m[1]})" + (f"({m[2]})" if m[2] else ""))
        if code:
            found.add(code)
    for pat in (_ILLINOIS, _ILLINOIS_SECTION):
        for m in pat.finditer(text):
            found.add(f"IL 7(1)({m[1].lower()})")
    if _ILLINOIS_BURDEN.search(text):
        found.add("IL 3(g)")
    return sorted(found, key=_exemption_order)


def _exemption_order(code: str) -> tuple[int, str]:
    m = re.match(r"b(\d)(.*)", code)
    return (int(m[1]), m[2]) if m else (99, code)


def letter_kind(text: str, figures: dict[str, int]) -> str:
    """The kind of letter, from its cues: a response's own outcome beats procedural words."""
    if _KIND_CUES[0][1].search(text):
        return "appeal"
    if _KIND_CUES[1][1].search(text):
        return "no records"
    withheld = figures.get("withheld_full", 0) + figures.get("released_part", 0)
    if (
        _FULL_DENIAL.search(text)
        and not figures.get("released_full")
        and not figures.get("released_part")
    ):
        return "denial"
    if withheld or (_DENIAL.search(text) and exemptions_in(text)):
        return "partial denial"
    if _RELEASED.search(text):  # a thread's final answer outranks its extension or question
        return "grant"
    for kind, pat in _KIND_CUES[2:]:
        if pat.search(text):
            return kind
    if _GRANT.search(text):
        return "grant"
    return "request"


def parse_letter(text: str) -> dict[str, Any]:
    """Figures, exemptions, referral and kind found in a letter's text, with evidence.

    Returns {figures: {name: int}, evidence: {name: sentence}, exemptions: [code],
    referred_to: str | None, kind: str, consistent: bool | None} where
    `consistent` says whether the parts add up to the pages reviewed (None when
    the letter does not state them all).
    """
    flat = re.sub(r"[ \t]+", " ", text.replace("\u00a0", " "))
    flat = re.sub(r"-\n(?=[a-z])", "", flat)  # words hyphenated across lines
    cut = _BOILERPLATE.search(flat)
    if cut and cut.start() > 200:
        flat = flat[: cut.start()]
    one_line = re.sub(r"\s*\n\s*", " ", flat)
    figures: dict[str, int] = {}
    evidence: dict[str, str] = {}
    for name, patterns in _PATTERNS.items():
        for pat in patterns:
            m = pat.search(one_line)
            if m:
                figures[name] = _number(m[1])
                evidence[name] = _sentence(one_line, m.start(), m.end())
                break
    referred_to = None
    if "referred" in figures:  # "no such matters were referred to the Office…" is no referral
        m = _REFERRED_TO.search(one_line)
        if m:
            referred_to = " ".join(m[1].split()).rstrip(" .,")
            if m[2]:
                referred_to += f" ({m[2]})"
    parts = [figures.get(k) for k in FIGURES[1:]]
    consistent = (
        sum(p or 0 for p in parts) == figures["reviewed"]
        if "reviewed" in figures and any(p is not None for p in parts)
        else None
    )
    return {
        "figures": figures,
        "evidence": evidence,
        "exemptions": exemptions_in(one_line),
        "referred_to": referred_to,
        "kind": letter_kind(one_line, figures),
        "consistent": consistent,
    }
