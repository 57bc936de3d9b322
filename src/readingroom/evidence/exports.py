"""Rows as CSV or JSON, the same from the command line and the browser.

CSV is what a spreadsheet opens: UTF-8 with a byte-order mark (Excel reads
accents right), one header row, and cells that start with = + - @ prefixed
with an apostrophe so a quote from a record is never run as a formula.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from readingroom.store.reading import KEY_CHARS

__all__ = ["finding_rows", "to_csv", "to_json"]

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    if text.startswith(_FORMULA) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([_cell(r.get(c)) for c in columns])
    return buf.getvalue()


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


FINDING_COLUMNS = (
    "finding_id",
    "claim",
    "status",
    "citation_id",
    "document",
    "document_key",
    "page",
    "bates",
    "quote",
    "state",
    "link",
)


def finding_rows(findings: Iterable[Mapping[str, Any]], base_url: str = "") -> list[dict[str, Any]]:
    """One row per citation (a finding without one still gets a row)."""
    rows: list[dict[str, Any]] = []
    for f in findings:
        cites = f.get("citations") or [{}]
        for c in cites:
            key = str(c.get("sha256") or "")[:KEY_CHARS]
            rows.append(
                {
                    "finding_id": f["id"],
                    "claim": f["claim"],
                    "status": f["status"],
                    "citation_id": c.get("id"),
                    "document": c.get("document"),
                    "document_key": key or None,
                    "page": c.get("page"),
                    "bates": c.get("bates"),
                    "quote": c.get("exact"),
                    "state": c.get("state"),
                    "link": f"{base_url}/doc/{key}?page={c.get('page')}" if key else None,
                }
            )
    return rows
