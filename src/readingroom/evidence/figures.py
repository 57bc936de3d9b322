"""Figures: numbers bound to what they count, and to the office or operation named with them.

"a target of 78 arrests of priority targets per week", "a minimum of 3,000
arrests a day", "8,400 to 10,000", "49 arrests across 7 teams, with 17
collateral": each becomes a value (or range), the thing counted, a period,
whether it is a goal (target, minimum, quota) or a count, and the office and
operation the sentence names — else the nearest named before it in the
document. Tables (spreadsheets, CSV: a header row with an office column and
numeric columns) are summed per office: aggregates only, never a row.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from readingroom.evidence.watchlists import Mention

__all__ = ["Figure", "TableTotal", "find_figures", "table_totals"]

_NUM = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
_UNITS = {
    "collateral arrests": "collateral",
    "collateral arrest": "collateral",
    "collaterals": "collateral",
    "collateral": "collateral",
    "at-large arrests": "arrests",
    "arrests": "arrests",
    "arrest": "arrests",
    "priority targets": "targets",
    "targets": "targets",
    "target": "targets",
    "leads": "leads",
    "teams": "teams",
    "removals": "removals",
    "detainers": "detainers",
    "encounters": "encounters",
    "officers": "officers",
}
_UNIT = "|".join(re.escape(u).replace(r"\ ", r"\s+") for u in sorted(_UNITS, key=len, reverse=True))
FIGURE = re.compile(
    rf"(?<![\w,.])(?P<low>{_NUM})(?:\s*(?:to|-|–)\s*(?P<high>{_NUM}))?"
    rf"\s+(?:(?:new|additional|more|total|daily|weekly|[a-z]+-?[a-z]*)\s+){{0,2}}?"
    rf"(?P<unit>{_UNIT})\b"
    r"(?P<tail>[^.;\n]{0,60}?\b(?P<per>per\s+(?:week|day|month|shift)|a\s+(?:week|day)|each\s+(?:week|day)|weekly|daily)\b)?",
    re.IGNORECASE,
)
_GOAL = re.compile(
    r"\b(?:target|minimum|at\s+least|goal|quota|expected|shall\s+(?:make|achieve)|up\s+to)\b"
    r"[^.;]{0,25}$",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=[A-Z(])|\n\s*\n")


@dataclass(frozen=True)
class Figure:
    value: float
    high: float | None
    unit: str
    per: str | None  # week | day | month | shift
    goal: bool  # a target, minimum or quota rather than a count
    office: str | None
    operation: str | None
    start: int
    end: int
    sentence: str


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in _SENTENCE.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return spans


def find_figures(
    text: str, mentions: list[Mention], before: dict[str, str | None] | None = None
) -> list[Figure]:
    """Figures in one page's text; `mentions` are the page's watchlist mentions.

    `before` carries the office and operation last named on earlier pages (and is
    updated), so a figure on page 3 of a plan binds to the office page 1 named.
    """
    state = before if before is not None else {}
    out = []
    sentences = _sentences(text)
    for s0, s1 in sentences:
        sent = text[s0:s1]
        in_sentence = [m for m in mentions if s0 <= m.start < s1]
        office = next((m.entry for m in in_sentence if m.kind == "office"), None)
        operation = next((m.entry for m in in_sentence if m.kind == "operation"), None)
        for f in FIGURE.finditer(sent):
            low = f.group("low")
            # A list ("Atlanta: 78 arrests per week" one per line) names the office on the line.
            line_start = text.rfind("\n", 0, s0 + f.start()) + 1
            on_line = [
                m.entry for m in mentions
                if m.kind == "office" and line_start <= m.start < s0 + f.start()
            ]  # fmt: skip
            if re.fullmatch(r"(?:19|20)\d\d", low) and not f.group("high"):
                continue  # a year, not a count
            lead = sent[max(0, f.start() - 40) : f.start()]
            per = f.group("per")
            if per:
                per = per.split()[-1].lower().replace("weekly", "week").replace("daily", "day")
            start = s0 + f.start()
            end = s0 + (f.end("per") if f.group("per") else f.end("unit"))
            out.append(
                Figure(
                    value=_num(low),
                    high=_num(f.group("high")) if f.group("high") else None,
                    unit=_UNITS[" ".join(f.group("unit").lower().split())],
                    per=per,
                    goal=bool(_GOAL.search(lead)),
                    office=(on_line[-1] if on_line else office) or state.get("office"),
                    operation=operation or state.get("operation"),
                    start=start,
                    end=end,
                    sentence=" ".join(sent.split())[:400],
                )
            )
        for m in in_sentence:
            if m.kind in ("office", "operation"):
                state[m.kind] = m.entry
    return out


@dataclass(frozen=True)
class TableTotal:
    office: str
    measure: str
    total: float
    rows: int
    first_page: int


_OFFICE_COL = re.compile(r"^(?:office|field office|aor|area of responsibility|fo)$", re.I)


def table_totals(pages: list[tuple[int, str]], office_names: dict[str, str]) -> list[TableTotal]:
    """Sum numeric columns per office over tab-separated pages with an office column.

    `office_names`: lower-cased spelling → the office's name. Rows whose office
    is not an office the pack knows are left out (they may be people or places).
    """
    sums: dict[tuple[str, str], float] = defaultdict(float)
    rows: dict[tuple[str, str], int] = defaultdict(int)
    first: dict[tuple[str, str], int] = {}
    for number, text in pages:
        lines = [ln.split("\t") for ln in text.splitlines() if "\t" in ln]
        if len(lines) < 2:
            lines = _spaced_rows(text, office_names)
        if len(lines) < 2:
            continue
        header = [h.strip() for h in lines[0]]
        office_col = next((i for i, h in enumerate(header) if _OFFICE_COL.match(h)), None)
        if office_col is None:
            continue
        for cells in lines[1:]:
            if len(cells) != len(header):
                continue
            office = office_names.get(cells[office_col].strip().lower())
            if office is None:
                continue
            for i, cell in enumerate(cells):
                if i == office_col or not re.fullmatch(_NUM, cell.strip()):
                    continue
                key = (office, header[i])
                sums[key] += _num(cell.strip())
                rows[key] += 1
                first.setdefault(key, number)
    return [TableTotal(o, m, sums[(o, m)], rows[(o, m)], first[(o, m)]) for o, m in sorted(sums)]


_SPACED_HEADER = re.compile(r"^\s*((?:Field\s+)?Office)((?:\s+[A-Za-z_]+){1,8})\s*$")


def _spaced_rows(text: str, office_names: dict[str, str]) -> list[list[str]]:
    """A PDF table as text ("Office Targets Collaterals", then "El Paso 14 6"): rows as cells.

    Header words are the columns; a row is an office the pack knows followed by
    exactly one number per column.
    """
    out: list[list[str]] = []
    width = 0
    for line in text.splitlines():
        if not out:
            m = _SPACED_HEADER.match(line)
            if m:
                out.append(["Office", *m.group(2).split()])
                width = len(out[0]) - 1
            continue
        m = re.match(rf"^\s*(.+?)((?:\s+(?:{_NUM})){{{width}}})\s*$", line)
        if m and m.group(1).strip().lower() in office_names:
            out.append([m.group(1).strip(), *m.group(2).split()])
    return out
