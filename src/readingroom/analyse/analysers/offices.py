"""Which field office a document (and each page) belongs to, from the domain pack.

Phrases that only an office's own records use ("New York Field Office",
"ERO Chicago", "SNA AOR") weigh much more than a bare city name, which a
headquarters memo may mention in passing; bare three-letter codes are never
used alone ("NEW", "WAS", "DEN" are words). The first page (letterhead,
memo header) counts double.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

from readingroom.analyse.base import BaseAnalyser, DocIn, Findings

#: Weights are whole numbers, so scores add up exactly in a Counter.
STRONG = 3
WEAK = 1
#: The document's office needs this much weight and a clear lead over the next.
MIN_SCORE = 3
LEAD = 1.5


@dataclass(frozen=True)
class OfficePattern:
    code: str
    triggers: tuple[str, ...]  # lower-case substrings; no trigger in the text, no regex run
    strong: re.Pattern[str]
    weak: re.Pattern[str] | None


OfficePatterns = tuple[OfficePattern, ...]


def _alt(phrases: list[str]) -> str:
    return "|".join(
        re.escape(p).replace(r"\ ", r"\s+") for p in sorted(set(phrases), key=len, reverse=True)
    )


def _patterns(pack: dict[str, Any]) -> OfficePatterns:
    out = []
    hq = pack.get("headquarters")
    for off in [*pack.get("offices", []), *([hq] if hq else [])]:
        names = [off["name"], *(a for a in off.get("aliases", []) if "Field Office" not in a)]
        names = [n for n in names if not n.startswith("ERO ")]
        code = off["code"]
        strong = [
            *off.get("aliases", []),
            *(
                f"{n} {s}"
                for n in names
                for s in ("Field Office", "FO", "AOR", "Area of Responsibility", "ERO")
            ),
            *(f"{s} {n}" for n in names for s in ("ERO", "FOD", "Field Office Director,")),
        ]
        code_forms = (
            rf"\b{code}\s+(?:ERO|AOR|FO|FOD|Field\s+Office)\b|\bERO[-\s]{code}\b|\({code}\)"
        )
        triggers = tuple({n.lower().split()[0] for n in names})
        out.append(
            OfficePattern(
                code,
                triggers,
                re.compile(rf"\b(?:{_alt([x.lower() for x in strong])})\b|{code_forms.lower()}"),
                # Every office writes "headquarters": the bare word is no evidence.
                re.compile(rf"\b(?:{_alt(names)})\b") if off is not hq else None,
            )
        )
    return tuple(out)


@cache
def _compiled(pack_json: str) -> OfficePatterns:
    import json

    return _patterns(json.loads(pack_json))


def patterns(pack: dict[str, Any]) -> OfficePatterns:
    import json

    return _compiled(json.dumps(pack, sort_keys=True))


def score_text(text: str, pats: OfficePatterns) -> Counter[str]:
    low = text.lower()
    scores: Counter[str] = Counter()
    for p in pats:
        if p.code not in text and not any(t in low for t in p.triggers):
            continue
        strong = len(p.strong.findall(low))
        if strong:
            scores[p.code] += STRONG * strong
        if p.weak is not None:
            weak = len(p.weak.findall(text)) - strong
            if weak > 0:
                scores[p.code] += WEAK * min(weak, 3)
    return scores


def pick(scores: Counter[str]) -> str | None:
    ranked = scores.most_common(2)
    if not ranked or ranked[0][1] < MIN_SCORE:
        return None
    if len(ranked) > 1 and ranked[0][1] < LEAD * ranked[1][1]:
        return None
    return ranked[0][0]


class Offices(BaseAnalyser):
    name = "offices"
    version = "1"
    tables = ("document_offices",)

    def run(self, doc: DocIn) -> Findings:
        pats = patterns(doc.pack)
        out = Findings()
        total: Counter[str] = Counter()
        per_page: dict[int, Counter[str]] = {}
        for i, page in enumerate(doc.pages):
            s = score_text(page.text, pats)
            per_page[page.id] = s
            for k, v in s.items():
                total[k] += v * (2 if i == 0 else 1)
        office = pick(total)
        if office:
            ev = ", ".join(f"{k}={v:g}" for k, v in total.most_common(3))
            out.add(
                "document_offices",
                document_id=doc.id,
                office=office,
                score=total[office],
                evidence=ev,
            )
        for page in doc.pages:
            own = pick(per_page[page.id])
            for code in {c for c in (office, own) if c}:
                out.facets.append((page.id, "office", code))
        return out


ANALYSER = Offices()
