"""The published report: findings with verified quotes, key documents, statistics, charts.

`build(inv)` re-verifies every quote against its page as stored now and stops
(`ReportBlocked`, naming each finding) when one no longer matches — nothing
is written. Then it gathers what the report shows, and `html(...)` /
`markdown(...)` render it. The HTML is one self-contained, printable file:
page crops are PNG data URIs, charts inline SVG, no script, no network.

Page crops never show what a redaction was meant to hide: the page image is
painted black over every word the store masked and every box with live text
under it (`readingroom.mask`), before it is cropped.
"""

from __future__ import annotations

import base64
import io
import sqlite3
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from readingroom.errors import ReadingRoomError
from readingroom.evidence import charts
from readingroom.evidence.findings import Problem, verify
from readingroom.investigation import Investigation
from readingroom.mask import is_masked
from readingroom.store import evidence as ev
from readingroom.store import reading

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_K",
    "ReportBlocked",
    "build",
    "html",
    "markdown",
    "suppress",
]

DEFAULT_BASE_URL = "http://127.0.0.1:8023"
#: Aggregate cells below this many are not shown (statistics over enforcement records).
DEFAULT_K = 10
CROP_DPI = 130
TEMPLATES = Path(__file__).resolve().parents[1] / "web" / "templates"


class ReportBlocked(ReadingRoomError):
    """A quote no longer matches its page: the report is not written."""

    exit_code = 1  # type: ignore[assignment]

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(
            f"report not written: {len(problems)} quote(s) no longer match their page\n{lines}\n"
            "look at each page, then fix or remove the citation (readingroom findings verify)"
        )


def suppress(value: float | None, k: int) -> float | None:
    """A count shown only when at least k (None: suppressed)."""
    if value is None or value < k:
        return None
    return value


def _crop(inv: Investigation, conn: sqlite3.Connection, c: dict[str, Any]) -> str | None:
    """The quoted lines of the page as a PNG data URI, masked words painted over."""
    from PIL import ImageDraw

    from readingroom.doctypes import has_page_images
    from readingroom.render import render_page

    doc = reading.document(conn, document_id=c["document_id"])
    if doc is None or not has_page_images(doc["doc_type"]) or not inv.blobs.has(doc["sha256"]):
        return None
    page = reading.page(conn, document_id=c["document_id"], number=c["page"], words=True)
    if page is None or not c["boxes"] or not page.get("width"):
        return None
    img = render_page(inv, c["document_id"], c["page"], dpi=CROP_DPI).convert("RGB")
    sx, sy = img.width / page["width"], img.height / page["height"]
    draw = ImageDraw.Draw(img, "RGBA")
    for x0, y0, x1, y1 in c["boxes"]:
        draw.rectangle((x0 * sx - 2, y0 * sy - 2, x1 * sx + 2, y1 * sy + 2), fill=(255, 214, 0, 80))
    hidden = [(w.x0, w.y0, w.x1, w.y1) for w in page["words"] if is_masked(w.text)]
    hidden += ev.masked_page_boxes(conn, document_id=c["document_id"], page=c["page"])
    for x0, y0, x1, y1 in hidden:
        draw.rectangle((x0 * sx - 1, y0 * sy - 1, x1 * sx + 1, y1 * sy + 1), fill=(0, 0, 0, 255))
    # The text column's width, so the crop reads as lines of the page, not a fragment.
    bx0 = min([b[0] for b in c["boxes"]] + [w.x0 for w in page["words"]]) - 8
    by0 = min(b[1] for b in c["boxes"]) - 16
    bx1 = max([b[2] for b in c["boxes"]] + [w.x1 for w in page["words"]]) + 8
    by1 = max(b[3] for b in c["boxes"]) + 16
    box = (max(0, int(bx0 * sx)), max(0, int(by0 * sy)),
           min(img.width, int(bx1 * sx)), min(img.height, int(by1 * sy)))  # fmt: skip
    buf = io.BytesIO()
    img.crop(box).save(buf, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def build(
    inv: Investigation,
    *,
    status: str | None = None,
    base_url: str = DEFAULT_BASE_URL,
    k: int = DEFAULT_K,
    crops: bool = True,
) -> dict[str, Any]:
    """Everything the report shows, after every quote was re-verified (else ReportBlocked)."""
    conn = inv.db
    problems = verify(conn, status=status)
    if problems:
        raise ReportBlocked(problems)
    base_url = base_url.rstrip("/")
    found = ev.findings(conn, status=status)
    cited: dict[str, dict[str, Any]] = {}
    for f in found:
        for c in f["citations"]:
            c["link"] = f"{base_url}/doc/{c['key']}?page={c['page']}#page"
            c["crop"] = _crop(inv, conn, c) if crops else None
            cited.setdefault(c["key"], {"key": c["key"], "name": c["document"],
                                        "title": c.get("title"), "findings": set()})  # fmt: skip
            cited[c["key"]]["findings"].add(f["id"])
    for d in ev.documents_with_tag(conn, tag="key"):
        cited.setdefault(d["key"], {"key": d["key"], "name": d["name"], "title": d["title"],
                                    "findings": set()})  # fmt: skip
    key_documents = [
        {**d, "findings": sorted(d["findings"]), "link": f"{base_url}/doc/{d['key']}"}
        for d in cited.values()
    ]

    from readingroom.analyse.report import exemption_report

    try:
        ex = exemption_report(conn)
        exemptions = ex["by_production"]
    except sqlite3.OperationalError:
        exemptions = []
    figures = [
        {**f, "link": f"{base_url}/doc/{f['key']}?page={f['page']}#page"}
        for f in ev.figure_rows(conn)
        if f["goal"] and f["unit"] in ("arrests", "targets", "collateral")
    ]
    # Targets and collaterals per office, summed over the enforcement tables: aggregates only.
    per_office: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    sources: set[str] = set()
    by_doc: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
    for t in ev.table_total_rows(conn):
        m = t["measure"].lower()
        kind = "collateral" if "collat" in m else "targets" if "target" in m else None
        if kind is not None:
            by_doc[t["document"]].append((t["office"], kind, t["total"]))
    seen: set[frozenset[tuple[str, str, float]]] = set()
    for name, cells in by_doc.items():
        # The same table released twice (the demo's xlsx and csv) is counted once.
        signature = frozenset(cells)
        if signature in seen:
            continue
        seen.add(signature)
        sources.add(name)
        for office, kind, total in cells:
            per_office[office][kind] += total
    offices = sorted(per_office)
    office_rows: list[dict[str, Any]] = [
        {
            "office": o,
            "targets": suppress(per_office[o].get("targets"), k),
            "collateral": suppress(per_office[o].get("collateral"), k),
        }
        for o in offices
    ]
    weeks = ev.messages_by_week(conn)
    months = ev.mentions_by_month(conn, kind="system")
    systems = sorted({r["entry"] for r in months})
    month_cols = sorted({r["month"] for r in months})
    chart_office = (
        charts.grouped_bars(
            "Targets and collateral arrests per office",
            offices,
            [
                ("targets", [r["targets"] for r in office_rows]),
                ("collateral", [r["collateral"] for r in office_rows]),
            ],
        )
        if offices
        else None
    )
    chart_weeks = (
        charts.columns("E-mail messages per week", [(r["week"], r["messages"]) for r in weeks])
        if weeks
        else None
    )
    chart_systems = (
        charts.heat(
            "Documents mentioning each system, by month",
            systems,
            month_cols,
            {(r["entry"], r["month"]): r["documents"] for r in months},
        )
        if months
        else None
    )
    return {
        "title": f"Findings — {inv.root.name}",
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "status": status,
        "base_url": base_url,
        "k": k,
        "findings": found,
        "key_documents": key_documents,
        "exemptions": exemptions,
        "figures": figures,
        "office_rows": office_rows,
        "office_sources": sorted(sources),
        "weeks": weeks,
        "systems": systems,
        "mention_months": months,
        "charts": {"offices": chart_office, "weeks": chart_weeks, "systems": chart_systems},
        "totals": reading.totals(conn),
    }


def html(data: dict[str, Any]) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from markupsafe import Markup

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape())
    env.filters["svg"] = lambda s: Markup(s or "")  # built here from escaped parts
    env.filters["num"] = lambda v: (
        "" if v is None else (f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}")
    )
    return env.get_template("report_document.html").render(**data)


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(data: dict[str, Any]) -> str:
    checked = "Every quote below was checked against its page before this report was written."
    lines = [f"# {data['title']}", "", f"Generated {data['generated']}. {checked}", ""]
    lines += ["## Findings", ""]
    if not data["findings"]:
        lines += ["No findings recorded.", ""]
    for f in data["findings"]:
        lines += [f"### {f['id']}. {f['claim']}", "", f"Status: **{f['status']}**", ""]
        for c in f["citations"]:
            where = f"{c['document']}, p. {c['page']}" + (f", {c['bates']}" if c["bates"] else "")
            lines += [f"> {' '.join(c['exact'].split())}", ">", f"> — [{where}]({c['link']})", ""]
    lines += ["## Key documents", ""]
    for d in data["key_documents"]:
        lines.append(f"- [{d['title'] or d['name']}]({d['link']}) (`{d['key']}`)")
    lines += ["", "## Targets and collateral arrests per office", ""]
    if data["office_rows"]:
        sources = ", ".join(data["office_sources"])
        lines += [
            f"Sums over {sources}; counts below {data['k']} suppressed.",
            "",
            "| Office | Targets | Collateral |",
            "|---|---:|---:|",
        ]
        for r in data["office_rows"]:
            t = "<" + str(data["k"]) if r["targets"] is None else f"{r['targets']:,.0f}"
            c = "<" + str(data["k"]) if r["collateral"] is None else f"{r['collateral']:,.0f}"
            lines.append(f"| {_md_escape(r['office'])} | {t} | {c} |")
    lines += ["", "## Figures in the records (goals and quotas)", ""]
    lines += ["| Figure | Office | Operation | Source |", "|---|---|---|---|"]
    for f in data["figures"]:
        value = f"{f['value']:,.0f}" + (f"–{f['high']:,.0f}" if f["high"] else "")
        per = f" per {f['per']}" if f["per"] else ""
        bates = ", " + f["bates"] if f["bates"] else ""
        src = f"[{f['document']} p. {f['page']}{bates}]({f['link']})"
        lines.append(
            f"| {value} {f['unit']}{per} | {f['office'] or ''} | {f['operation'] or ''} | {src} |"
        )
    lines += ["", "## Exemptions claimed", "", "| Production | Code | Marks |", "|---|---|---:|"]
    for r in data["exemptions"]:
        lines.append(
            f"| {r.get('production') or ''} | {r.get('display') or r.get('code')}"
            f" | {r.get('marks', '')} |"
        )
    lines += ["", "## E-mail messages per week", "", "| Week | Messages |", "|---|---:|"]
    lines += [f"| {r['week']} | {r['messages']} |" for r in data["weeks"]]
    lines.append("")
    return "\n".join(lines)
