"""An agency's published FOIA log (CSV, XLSX or XLS), to find similar earlier requests.

Real logs put a banner ("Monthly log for efoia posting", "Requested between …")
above the header row, pad rows with empty columns, write "-" for nothing and
store dates as text, datetimes or Excel serial numbers. The header row is
found as the first row naming a request id and a description; columns are
matched by name. Requester names are read past, never stored: the log is
kept for what was asked and when, not for who asked.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from readingroom.errors import BadArguments
from readingroom.store import requests as store
from readingroom.store import transaction

__all__ = ["import_log", "looks_like_log", "read_log", "similar"]

_COLUMNS = {
    "tracking": re.compile(
        r"request\s*(?:id|no|number|#)|tracking|control\s*number|foia\s*(?:no|number)", re.I
    ),
    "organization": re.compile(r"organi[sz]ation|affiliation|company", re.I),
    "received": re.compile(r"received|date\s*(?:of\s*)?request|submitted", re.I),
    "target": re.compile(r"target|due", re.I),
    "closed": re.compile(r"closed|completed|date\s*closed", re.I),
    "description": re.compile(r"description|subject|records\s*requested|summary", re.I),
}
_BLANK = {"", "-", "–", "n/a", "none", "null"}
_STOP = set(
    "a an and any all are as at be by copy copies documents for from in information into is it "
    "of on or records regarding related relating request requesting requests that the their to "
    "was were with within".split()
)


def _cells_csv(path: Path) -> Iterator[list[Any]]:
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    yield from csv.reader(io.StringIO(text))


def _cells_xlsx(path: Path) -> Iterator[list[Any]]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for row in wb.worksheets[0].iter_rows(values_only=True):
            yield list(row)
    finally:
        wb.close()


def _cells_xls(path: Path) -> Iterator[list[Any]]:
    import xlrd

    book = xlrd.open_workbook(str(path))
    sheet = book.sheet_by_index(0)
    for i in range(sheet.nrows):
        row: list[Any] = []
        for cell in sheet.row(i):
            if cell.ctype == xlrd.XL_CELL_DATE:
                row.append(xlrd.xldate_as_datetime(float(cell.value), book.datemode))
            else:
                row.append(cell.value)
        yield row


def _cells(path: Path) -> Iterator[list[Any]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _cells_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _cells_xlsx(path)
    if suffix == ".xls":
        return _cells_xls(path)
    raise BadArguments(f"{path}: a FOIA log must be .csv, .xlsx or .xls")


def _text(v: Any) -> str:
    return "" if v is None else " ".join(str(v).split())


def _date(v: Any) -> str | None:
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    s = _text(v)
    if s.lower() in _BLANK:
        return None
    for fmt in ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%d-%b-%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(s, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _header(row: Sequence[Any]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for i, cell in enumerate(row):
        name = _text(cell)
        if not name or (
            re.search(r"requester|name of", name, re.I) and "organ" not in name.lower()
        ):
            continue
        for key, pat in _COLUMNS.items():
            if key not in found and pat.search(name):
                found[key] = i
                break
    return found if {"tracking", "description"} <= set(found) else None


def read_log(path: Path) -> dict[str, Any]:
    """The entries of one log file: {banner: [lines above the header], columns, entries}."""
    path = Path(path)
    if not path.is_file():
        raise BadArguments(f"{path}: no such file")
    banner: list[str] = []
    columns: dict[str, int] | None = None
    entries: list[dict[str, Any]] = []
    for row in _cells(path):
        if columns is None:
            columns = _header(row)
            if columns is None:
                line = " ".join(_text(c) for c in row if _text(c))
                if line:
                    banner.append(line)
                if len(banner) > 20:
                    break
            continue
        cell = {k: row[i] if i < len(row) else None for k, i in columns.items()}
        tracking = _text(cell.get("tracking"))
        if not tracking or tracking.lower() in _BLANK:
            continue
        org = _text(cell.get("organization"))
        entries.append(
            {
                "tracking": tracking,
                "organization": None if org.lower() in _BLANK else org,
                "received": _date(cell.get("received")),
                "target": _date(cell.get("target")),
                "closed": _date(cell.get("closed")),
                "description": _text(cell.get("description")),
            }
        )
    if columns is None:
        raise BadArguments(
            f"{path}: no header row naming a request id and a description in the first rows"
        )
    return {"banner": banner, "columns": sorted(columns), "entries": entries}


def looks_like_log(path: Path) -> bool:
    """True when `path` reads as a FOIA log rather than a readingroom request sheet."""
    try:
        first = next(iter(_cells(Path(path))), [])
    except (BadArguments, StopIteration, OSError):
        return False
    names = {_text(c).lower() for c in first}
    if "tracking" in names and "agency" in names:
        return False
    try:
        return bool(read_log(Path(path))["entries"])
    except BadArguments:
        return False


def import_log(conn: sqlite3.Connection, path: Path) -> dict[str, Any]:
    """Read a log file and keep its entries (re-importing a file replaces its entries)."""
    path = Path(path)
    log = read_log(path)
    with transaction(conn):
        n = store.add_log_entries(conn, source=path.name, entries=log["entries"])
    received = sorted(e["received"] for e in log["entries"] if e["received"])
    return {
        "file": str(path),
        "entries": n,
        "banner": log["banner"],
        "columns": log["columns"],
        "received_from": received[0] if received else None,
        "received_to": received[-1] if received else None,
    }


def similar(conn: sqlite3.Connection, text: str, *, limit: int = 10) -> list[dict[str, Any]]:
    """Earlier logged requests whose description shares the most words with `text`."""
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z0-9-]{2,}", text.lower()) if w not in _STOP]
    return store.similar_log_entries(conn, words=dict.fromkeys(words), limit=limit)
