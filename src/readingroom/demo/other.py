"""The non-PDF parts of the production: spreadsheet, CSV, mail, Word, zip.

Office files and zips embed the time they were written; every writer here is
followed by `normalise_zip`, which pins those times so a seed gives the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import email.policy
import email.utils
import hashlib
import io
import mailbox
import random
import re
import zipfile
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import docx
import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from readingroom.demo.documents import START, mentions
from readingroom.demo.world import (
    AGENCY,
    FIELD_OFFICES,
    MAIL_DOMAIN,
    MARK,
    NATIONAL_OPERATIONS,
    SYSTEMS,
    World,
    fill,
)

ZIP_TIME = (2019, 3, 15, 12, 0, 0)
FIXED_ISO = "2019-03-15T12:00:00Z"


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed member times and fixed core-properties dates."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + FIXED_ISO.encode() + rb"\g<2>",
                    body,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, body)
    return out.getvalue()


def make_zip(members: list[tuple[str, bytes]]) -> bytes:
    return normalise_zip(_raw_zip(members))


def _raw_zip(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members:
            z.writestr(zipfile.ZipInfo(name, date_time=ZIP_TIME), data)
    return buf.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- daily arrests ---------------------------------------------------------------------

COLUMNS = ("date", "office", "targets_arrested", "collateral_arrests")


def arrests(seed: int, days: int = 61) -> tuple[list[tuple[dt.date, str, int, int]], dict]:
    """Daily target and collateral arrests per office, and their per-office totals."""
    rng = random.Random(f"{seed}-arrests")
    rows = []
    totals = {o: {"targets": 0, "collateral": 0} for o in FIELD_OFFICES}
    scale = {o: rng.uniform(0.5, 3.0) for o in FIELD_OFFICES}
    for d in range(days):
        day = START + dt.timedelta(days=d)
        weekend = day.weekday() >= 5
        for office in FIELD_OFFICES:
            base = scale[office] * (0.3 if weekend else 1.0)
            targets = max(0, round(rng.gauss(6 * base, 2 * base)))
            collateral = max(0, round(rng.gauss(2.5 * base, 1.5 * base)))
            rows.append((day, office, targets, collateral))
            totals[office]["targets"] += targets
            totals[office]["collateral"] += collateral
    return rows, totals


#: How a released spreadsheet withholds names: the exemption codes in the cells.
REVIEWER_CELL = "(b)(6); (b)(7)(C)"
APPROVER_CELL = "(b)(6)"


def review_rows(
    rows: list[tuple[dt.date, str, int, int]],
) -> list[tuple[dt.date, str, str, str, str]]:
    """One supervisory review per office and week, names withheld as released sheets do.

    Real releases hold thousands of such cells (one held over 100,000); the
    demo plants a few hundred so that exemption counts must include the sheet.
    """
    weeks = sorted({day - dt.timedelta(days=day.weekday()) for day, *_ in rows})
    out = []
    for week in weeks:
        for office in FIELD_OFFICES:
            remark = "(b)(7)(E)" if office in ("El Paso", "San Diego") else "Reviewed"
            out.append((week, office, REVIEWER_CELL, APPROVER_CELL, remark))
    return out


def review_exemption_cells(rows: list[tuple[dt.date, str, int, int]]) -> dict[str, int]:
    """How many cells of the review sheet carry each exemption code (the demo's truth)."""
    counts = {"b6": 0, "b7C": 0, "b7E": 0}
    for _, _, reviewer, approver, remark in review_rows(rows):
        counts["b6"] += (reviewer == REVIEWER_CELL) + (approver == APPROVER_CELL)
        counts["b7C"] += reviewer == REVIEWER_CELL
        counts["b7E"] += remark == "(b)(7)(E)"
    return counts


def xlsx_bytes(rows: list[tuple[dt.date, str, int, int]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = "Daily arrests"
    ws.append(["Date", "Office", "Targets arrested", "Collateral arrests"])
    for row in rows:
        ws.append(list(row))
    for cell in ws["A"][1:]:
        cell.number_format = "yyyy-mm-dd"
    review = wb.create_sheet("Supervisory review")
    review.append(["Week of", "Office", "Reviewed by", "Approved by", "Remarks"])
    for week, office, reviewer, approver, remark in review_rows(rows):
        review.append([week, office, reviewer, approver, remark])
    for cell in review["A"][1:]:
        cell.number_format = "yyyy-mm-dd"
    note = wb.create_sheet("About")
    note.append([MARK])
    note.append([f"{AGENCY}: daily arrests by field office (invented numbers)."])
    fixed = dt.datetime(2019, 3, 15, 12, 0, 0)
    wb.properties.creator = "readingroom demo (fictional)"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    buf = io.BytesIO()
    wb.save(buf)
    return normalise_zip(buf.getvalue())


def csv_bytes(rows: list[tuple[dt.date, str, int, int]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for day, office, t, c in rows:
        w.writerow([day.isoformat(), office, t, c])
    return buf.getvalue().encode("utf-8")


# --- Word ---------------------------------------------------------------------------


def docx_bytes(world: World, rng: random.Random) -> tuple[bytes, dict[str, Any]]:
    """A briefing memo as .docx; Word files carry no pages, hence no Bates numbers."""
    op = rng.choice(NATIONAL_OPERATIONS)
    system = rng.choice(SYSTEMS)
    author = world.officials[1]
    d = docx.Document()
    props = d.core_properties
    props.author = "readingroom demo (fictional)"
    props.last_modified_by = "readingroom demo"
    props.title = f"Briefing: {op}"
    props.created = props.modified = dt.datetime(2019, 3, 15, 12, 0, 0)
    props.revision = 1
    d.add_paragraph(MARK)
    d.add_heading(AGENCY, level=1)
    d.add_heading(f"Briefing: {op}", level=2)
    paragraphs = [f"From: {author.name}, {author.title}"]
    for _ in range(4):
        paragraphs.append(
            " ".join(fill(s, rng, op=op, system=system) for s in rng.sample(_DOCX_SENTENCES, 2))
        )
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    text = "\n".join(paragraphs)
    return normalise_zip(buf.getvalue()), {
        "title": f"Briefing: {op}",
        "paragraphs": [MARK, *paragraphs],
        "mentions": mentions(text),
    }


_DOCX_SENTENCES = (
    "The {office} Field Office is {pct} percent below its weekly target for {op}.",
    "Collateral arrests rose to {m} last week, mostly at shared addresses.",
    "{system} lead packages are now generated nightly for every field office.",
    "Headquarters will revisit the quota for each office at the end of {op}.",
)


# --- mail -----------------------------------------------------------------------------


def _message(
    n: int,
    seed: int,
    sender: str,
    to: list[str],
    cc: list[str],
    when: dt.datetime,
    subject: str,
    body: str,
    reply_to_id: str | None = None,
) -> EmailMessage:
    msg = EmailMessage(policy=email.policy.SMTP.clone(linesep="\n"))
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    if cc:
        msg["Cc"] = ", ".join(cc)
    msg["Date"] = email.utils.format_datetime(when)
    msg["Subject"] = subject
    msg["Message-ID"] = f"<demo-{seed}-{n}@{MAIL_DOMAIN}>"
    if reply_to_id:
        msg["In-Reply-To"] = reply_to_id
        msg["References"] = reply_to_id
    msg["X-Readingroom-Demo"] = "fictional"
    msg.set_content(f"{body}\n\n-- \n{MARK}\n")
    return msg


def _info(msg: EmailMessage) -> dict[str, Any]:
    atts = []
    for part in msg.iter_attachments():
        data = part.get_payload(decode=True)
        assert isinstance(data, bytes)
        atts.append(
            {
                "filename": part.get_filename(),
                "content_type": part.get_content_type(),
                "size": len(data),
                "sha256": sha256(data),
            }
        )
    return {
        "message_id": msg["Message-ID"],
        "from": msg["From"],
        "to": msg["To"],
        "cc": msg["Cc"],
        "date": msg["Date"],
        "subject": msg["Subject"],
        "attachments": atts,
    }


def mail_messages(
    world: World, seed: int, attachment_pdf: tuple[str, bytes]
) -> tuple[list[EmailMessage], EmailMessage, EmailMessage]:
    """Messages for the mbox, one .eml, and one Outlook export saved as .eml."""
    rng = random.Random(f"{seed}-mail")
    tz = dt.timezone(dt.timedelta(hours=-5))
    ppl = [f"{p.name} <{p.email}>" for p in world.officials]
    t = dt.datetime(2019, 2, 4, 8, 15, tzinfo=tz)
    op = rng.choice(NATIONAL_OPERATIONS)
    msgs = [
        _message(
            1,
            seed,
            ppl[0],
            [ppl[1]],
            [ppl[2]],
            t,
            f"{op} weekly numbers",
            fill(
                "The weekly target for {op} is {n} arrests per office; we are at {m}.", rng, op=op
            ),
        ),
        _message(
            2,
            seed,
            ppl[1],
            [ppl[0]],
            [],
            t + dt.timedelta(hours=2),
            f"RE: {op} weekly numbers",
            "Memo attached. Collateral arrests must be counted separately.",
            reply_to_id=f"<demo-{seed}-1@{MAIL_DOMAIN}>",
        ),
        _message(
            3,
            seed,
            ppl[2],
            [ppl[0], ppl[3]],
            [],
            t + dt.timedelta(days=1),
            "Targeting notes",
            fill("Notes from the {system} review are attached as text.", rng),
        ),
        _message(
            4,
            seed,
            ppl[3],
            [ppl[2]],
            [ppl[4]],
            t + dt.timedelta(days=1, hours=3),
            "RE: Targeting notes",
            "Received, thanks.",
            reply_to_id=f"<demo-{seed}-3@{MAIL_DOMAIN}>",
        ),
    ]
    name, pdf = attachment_pdf
    msgs[1].add_attachment(pdf, maintype="application", subtype="pdf", filename=name)
    notes = "\n".join(fill(s, rng) for s in _DOCX_SENTENCES) + f"\n{MARK}\n"
    msgs[2].add_attachment(
        notes.encode(), maintype="text", subtype="plain", filename="targeting-notes.txt"
    )
    eml = _message(
        5,
        seed,
        ppl[4],
        [ppl[0]],
        [ppl[5]],
        t + dt.timedelta(days=3),
        "Collateral arrests: field office comparison",
        fill(
            "Collateral arrests were {pct} percent of all arrests in {office} during {op}.",
            rng,
            op=op,
        ),
    )
    outlook = _message(
        6,
        seed,
        ppl[5],
        [ppl[1]],
        [],
        t + dt.timedelta(days=4),
        "FW: Quota guidance",
        "Forwarding the quota guidance. This stands in for an Outlook .msg file.",
    )
    for i, m in enumerate([*msgs, eml, outlook]):
        if m.is_multipart():
            m.set_boundary(f"=====readingroom-demo-{seed}-{i}=====")
    return msgs, eml, outlook


def write_mbox(path: Path, msgs: list[EmailMessage]) -> list[dict[str, Any]]:
    """Write an mbox with fixed 'From ' lines (mailbox would use the current time)."""
    path.unlink(missing_ok=True)
    box = mailbox.mbox(path, create=True)
    try:
        for m in msgs:
            mm = mailbox.mboxMessage(m)
            when = email.utils.parsedate_to_datetime(m["Date"]).astimezone(dt.UTC)
            addr = email.utils.parseaddr(m["From"])[1]
            mm.set_from(addr, when.timetuple())
            box.add(mm)
        box.flush()
    finally:
        box.close()
    return [_info(m) for m in msgs]


def eml_bytes(msg: EmailMessage) -> tuple[bytes, dict[str, Any]]:
    return msg.as_bytes(), _info(msg)
