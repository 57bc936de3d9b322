"""Born-digital documents of the demo production: memos, printed e-mail chains, plans.

Each builder returns the laid-out pages (not yet Bates-stamped, because numbers
are assigned in production order) and the document-level ground truth.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, Literal

from readingroom.demo.pdf import Glue, PdfBuilder, Redact, Token, as_printed, tokens
from readingroom.demo.world import (
    AGENCY,
    DIRECTORATE,
    EMAIL_SENTENCES,
    FIELD_OFFICES,
    LOCAL_TEMPLATES,
    MEMO_SENTENCES,
    MEMO_SUBJECTS,
    NAME_LABELS,
    NATIONAL_OPERATIONS,
    OPS_SECTIONS,
    SUBJECTS,
    SYSTEMS,
    WORDING_CHANGES,
    Person,
    World,
    fill,
)

START = dt.date(2019, 1, 7)
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def long_date(d: dt.date) -> str:
    return f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"


def outlook_time(t: dt.datetime) -> str:
    """'Tuesday, February 12, 2019 9:41 AM' without platform-specific strftime flags."""
    hour = t.hour % 12 or 12
    ampm = "AM" if t.hour < 12 else "PM"
    return f"{_DAYS[t.weekday()]}, {long_date(t.date())} {hour}:{t.minute:02d} {ampm}"


def mentions(text: str) -> dict[str, list[str]]:
    """Which known operations, systems and offices a printed text names."""
    return {
        "operations": sorted(o for o in NATIONAL_OPERATIONS if o in text),
        "systems": sorted(s for s in SYSTEMS if s in text),
        "offices": sorted(o for o in FIELD_OFFICES if o in text),
    }


def name_redaction(
    rng: random.Random, person: Person, *, outlook: bool = False, style: str | None = None
) -> Redact:
    return Redact(
        hidden=person.outlook if outlook else person.name,
        label=rng.choice(NAME_LABELS),
        style=style or rng.choice(("over", "beside")),  # type: ignore[arg-type]
    )


# --- memos ------------------------------------------------------------------------


def build_memo(
    world: World,
    rng: random.Random,
    *,
    withheld_after: int | None = None,
    label_style: Literal["over", "beside"] | None = None,
    min_paragraphs: int = 3,
    max_paragraphs: int = 8,
    reveal_names: bool = False,
) -> tuple[PdfBuilder, dict[str, Any]]:
    """A headquarters memo about quotas, collateral arrests, operations and systems.

    `reveal_names`: the same memo (same rng) as a later release prints it, with
    the staff names the first release withheld under (b)(6)/(b)(7)(C) restored.
    """
    b = PdfBuilder(font="serif", size=11)
    op = rng.choice(NATIONAL_OPERATIONS)
    system = rng.choice(SYSTEMS)
    office = rng.choice(FIELD_OFFICES)
    author = rng.choice(world.officials)
    date = START + dt.timedelta(days=rng.randint(0, 70))
    subject = fill(rng.choice(MEMO_SUBJECTS), rng, op=op, system=system, office=office)
    addressee = rng.choice(
        (f"Field Office Director, {office} Field Office", "All Field Office Directors")
    )
    b.line(AGENCY.upper(), font="serifbold", size=14, align="center")
    b.line(DIRECTORATE, size=10, align="center")
    b.line("Washington, DC (fictional)", size=10, align="center")
    b.space(14)
    printed: list[str] = []
    for label, text in (
        ("MEMORANDUM FOR:", addressee),
        ("FROM:", f"{author.name}, {author.title}"),
        ("SUBJECT:", subject),
        ("DATE:", long_date(date)),
    ):
        b.flow(tokens(text), label=label, label_width=120, after=2)
        printed.append(f"{label} {text}")
    b.rule()
    b.space(6)
    n_par = rng.randint(min_paragraphs, max_paragraphs)
    paragraphs: list[str] = []
    names: list[str] = []
    for i in range(n_par):
        sents = [
            fill(t, rng, op=op, system=system, office=office)
            for t in rng.sample(MEMO_SENTENCES, rng.randint(3, 5))
        ]
        toks: list[Token] = tokens(" ".join(sents))
        if rng.random() < 0.4:
            staff = rng.choice(world.staff)
            toks += tokens(
                "Questions may be directed to {0} of the targeting unit.",
                name_redaction(rng, staff, style=label_style),
            )
        if rng.random() < 0.25:
            toks += tokens(
                f"Queries will use the {{0}} module of {system}.",
                Redact(f"{system} bulk query", "(b)(7)(E)", label_style or "over"),
            )
        names += [t.hidden for t in toks if isinstance(t, Redact) and t.label in NAME_LABELS]
        if reveal_names:
            toks = [
                w
                for t in toks
                for w in (
                    t.hidden.split() if isinstance(t, Redact) and t.label in NAME_LABELS else [t]
                )
            ]
        b.flow(toks, after=8)
        paragraphs.append(as_printed(toks))
        if withheld_after == i:
            b.withheld_page(
                ["Withheld pursuant to exemption", "(b)(5)", "of the Freedom of Information Act"],
                {"reason": "exemption", "label": "(b)(5)", "exemptions": ["(b)(5)"]},
            )
    b.space(12)
    b.line(author.name)
    b.line(author.title)
    text = "\n".join([*printed, *paragraphs])
    info = {
        "title": subject,
        "date": date.isoformat(),
        "author": author.name,
        "office": office,
        "paragraphs": paragraphs,
        "mentions": mentions(text),
        "names_withheld": names,
    }
    return b, info


# --- printed e-mail chains -------------------------------------------------------------


def _names(rng: random.Random, people: list[Person]) -> list[Token]:
    """Outlook display names joined by '; ', staff names redacted."""
    out: list[Token] = []
    for i, p in enumerate(people):
        if i:
            out.append(Glue(";"))
        if p.redact:
            out.append(name_redaction(rng, p, outlook=True))
        else:
            out += tokens(p.outlook)
    return out


def build_chain(
    world: World,
    rng: random.Random,
    *,
    bad_redaction: bool = False,
    duplicate_of: str | None = None,
) -> tuple[PdfBuilder, dict[str, Any]]:
    """An Outlook-style printout of a reply chain, newest message first."""
    b = PdfBuilder(font="sans", size=10)
    office = rng.choice(FIELD_OFFICES)
    op = rng.choice(NATIONAL_OPERATIONS)
    system = rng.choice(SYSTEMS)
    owner = rng.choice(world.officials)
    local_staff = rng.sample(world.staff, 4)
    people = [owner, *rng.sample([o for o in world.officials if o != owner], 1), *local_staff]
    date_field = "Sent" if rng.random() < 0.8 else "Date"
    base_subject = fill(rng.choice(SUBJECTS), rng, op=op, office=office, system=system)
    t = dt.datetime.combine(START + dt.timedelta(days=rng.randint(0, 60)), dt.time(7, 30))
    t += dt.timedelta(minutes=rng.randint(0, 120))
    chrono: list[dict[str, Any]] = []
    prev_sender: Person | None = None
    for i in range(rng.randint(4, 9)):
        sender = rng.choice([p for p in people if p != prev_sender])
        recipients = [p for p in people if p != sender]
        to = [prev_sender] if prev_sender else rng.sample(recipients, rng.randint(1, 2))
        cc_pool = [p for p in recipients if p not in to]
        cc = rng.sample(cc_pool, rng.randint(0, min(3, len(cc_pool))))
        prefix = "" if i == 0 else rng.choice(("RE: ", "RE: ", "FW: "))
        body = [
            fill(t, rng, op=op, office=office, system=system)
            for t in rng.sample(EMAIL_SENTENCES, rng.randint(1, 4))
        ]
        chrono.append(
            {
                "sender": sender,
                "to": to,
                "cc": cc,
                "time": t,
                "subject": prefix + base_subject,
                "body": body,
            }
        )
        prev_sender = sender
        t += dt.timedelta(minutes=rng.randint(4, 600))

    b.line(owner.outlook, font="bold", size=12)
    b.rule(1.5)
    b.space(4)
    messages: list[dict[str, Any]] = []
    printed_order = list(reversed(chrono))
    for idx, msg in enumerate(printed_order):
        if idx:
            b.space(8)
            b.flow(tokens("-----Original Message-----"), after=2)
        first_page = len(b.truth) if b.page is not None else len(b.truth) + 1
        fields: dict[str, str | None] = {}
        for key, label, toks in (
            ("from", "From:", _names(rng, [msg["sender"]])),
            ("sent", f"{date_field}:", tokens(outlook_time(msg["time"]))),
            ("to", "To:", _names(rng, msg["to"])),
            ("cc", "Cc:", _names(rng, msg["cc"]) if msg["cc"] else None),
            ("subject", "Subject:", tokens(msg["subject"])),
        ):
            if toks is None:
                fields[key] = None
                continue
            pages = b.flow(toks, label=label, label_width=56, after=0)
            first_page = min(first_page, pages[0])
            fields[key] = as_printed(toks)
        b.space(8)
        body_lines: list[str] = []
        for j, sent in enumerate(msg["body"]):
            toks = tokens(sent)
            if bad_redaction and idx == 0 and j == 0:
                bad = Redact(world.bad_redaction_person.name, "(b)(6)", "beside", bad=True)
                toks = tokens(f"Per {{0}}, the {office} numbers are short again this week.", bad)
            b.flow(toks, after=3)
            body_lines.append(as_printed(toks))
        if idx + 1 < len(printed_order) and rng.random() < 0.5:
            quoted = printed_order[idx + 1]["body"][0]
            toks = tokens("> " + quoted)
            b.flow(toks, indent=12, after=3)
            body_lines.append(as_printed(toks))
        signer: Person = msg["sender"]
        sig = "(b)(6)" if signer.redact else signer.name
        b.flow(tokens(sig), after=2)
        body_lines.append(sig)
        messages.append(
            {
                "printed_index": idx,
                "first_page": first_page,
                "last_page": len(b.truth),
                "date_field": date_field,
                **fields,
                "body": "\n".join(body_lines),
            }
        )
    if duplicate_of:
        b.withheld_page(
            ["Withheld as a duplicate", f"of {duplicate_of}"],
            {"reason": "duplicate", "exemptions": [], "duplicate_of": duplicate_of},
        )
    text = "\n".join("\n".join(str(v) for v in m.values() if isinstance(v, str)) for m in messages)
    info = {
        "title": base_subject,
        "office": office,
        "mailbox_owner": owner.outlook,
        "messages": messages,
        "mentions": mentions(text),
    }
    return b, info


# --- operations plans -------------------------------------------------------------------

DEFINITIONS = (
    ("Target arrest", "the arrest of a person named in an approved target package."),
    (
        "Collateral arrest",
        (
            "the arrest of a person encountered during an enforcement action "
            "who was not the subject of a target package."
        ),
    ),
    ("Priority target", "a person assigned an enforcement priority under current guidance."),
    ("Lead", "information that may locate a target, developed in FALCON or LeadTrac."),
    ("Team", "a Fugitive Operations team of at least five officers and a team leader."),
    ("Operational plan", "the written plan for a single enforcement action."),
    ("Surge period", "the weeks of the operation during which additional teams are assigned."),
    ("Daily numbers report", "the report of target and collateral arrests due each morning."),
    ("Weekly target", "the number of arrests each field office is expected to make per week."),
)


def plan_variants(seed: int) -> dict[str, tuple[int, str, str] | None]:
    """Which offices get a small wording change: (paragraph index, from, to)."""
    rng = random.Random(f"{seed}-plan-changes")
    flat = [p for _, paras in OPS_SECTIONS for p in paras]
    out: dict[str, tuple[int, str, str] | None] = {o: None for o in FIELD_OFFICES}
    for office in rng.sample(FIELD_OFFICES, 6):
        old, new = rng.choice(WORDING_CHANGES)
        candidates = [i for i, p in enumerate(flat) if old in p]
        out[office] = (rng.choice(candidates), old, new)
    return out


def build_ops_plan(
    world: World,
    rng: random.Random,
    *,
    office: str,
    natop: str,
    change: tuple[int, str, str] | None,
) -> tuple[PdfBuilder, dict[str, Any]]:
    """Headquarters' template plus this office's name and local paragraphs."""
    b = PdfBuilder(font="serif", size=12)
    b.line(AGENCY.upper(), font="serifbold", size=14, align="center")
    b.line(DIRECTORATE, size=10, align="center")
    b.space(20)
    b.line("OPERATIONS PLAN", font="serifbold", size=18, align="center")
    b.line(natop.upper(), font="serifbold", size=14, align="center")
    b.line(f"{office.upper()} FIELD OFFICE", font="serifbold", size=14, align="center")
    b.line("FOR OFFICIAL USE ONLY (FICTIONAL)", font="bold", size=9, align="center")
    b.space(20)
    flat_index = 0
    wording: dict[str, Any] | None = None
    for heading, paras in OPS_SECTIONS:
        b.flow(tokens(heading), font="serifbold", after=4)
        for para in paras:
            text = para.format(natop=natop)
            if change and change[0] == flat_index:
                changed = text.replace(change[1], change[2])
                wording = {
                    "section": heading,
                    "from": change[1],
                    "to": change[2],
                    "original": text,
                    "changed": changed,
                }
                text = changed
            b.flow(tokens(text), after=8)
            flat_index += 1
    lop = world.local_operations[office]
    numbers = {
        "n": rng.randint(12, 95),
        "m": rng.randint(5, 60),
        "team": rng.randint(2, 9),
        "k": rng.randint(40, 400),
        "pct": rng.choice((15, 20, 25, 30, 35, 40)),
    }
    chosen = [0, *sorted(rng.sample(range(1, len(LOCAL_TEMPLATES)), rng.randint(0, 2)))]
    local = [
        LOCAL_TEMPLATES[i].format(
            office=office,
            lop=lop,
            natop=natop,
            system=rng.choice(("ICM", "EID", "SENTINEL-F")),
            **numbers,
        )
        for i in chosen
    ]
    b.flow(tokens(f"11. LOCAL ANNEX — {office.upper()}"), font="serifbold", after=4)
    for para in local:
        b.flow(tokens(para), after=8)
    b.flow(tokens("12. POINTS OF CONTACT"), font="serifbold", after=4)
    poc = rng.choice([s for s in world.staff if s.office == office] or world.staff)
    b.flow(
        tokens(
            f"The point of contact for this plan is {{0}}, {poc.title}, {office} Field "
            "Office. Operational details are withheld: {1}.",
            name_redaction(rng, poc),
            Redact("staging at the county fairground", "(b)(7)(E)", "over"),
        ),
        after=8,
    )
    b.flow(tokens("ANNEX A — DEFINITIONS"), font="serifbold", after=4)
    for term, meaning in DEFINITIONS:
        b.flow(tokens(f"{term}: {meaning}"), indent=18, after=2)
    b.space(8)
    b.flow(tokens("ANNEX B — DISTRIBUTION"), font="serifbold", after=4)
    for other in FIELD_OFFICES:
        b.flow(tokens(f"Field Office Director, {other}"), indent=18, size=10, after=0)
    b.space(16)
    approver = world.officials[3]
    b.line(f"APPROVED: {approver.name}, {approver.title}")
    info = {
        "title": f"Operations Plan — {natop} — {office}",
        "office": office,
        "national_operation": natop,
        "local_operation": lop,
        "local_paragraphs": local,
        "weekly_target": numbers["n"],
        "wording_change": wording,
    }
    return b, info
