"""Family analysis of forms: one template filled by many facilities.

The real figures read the ICE inspection summaries in `../shared/corpus` and
skip cleanly without them. Measured when set: recall 0.99 (178/179),
precision 0.97 (template 0.99, local 0.95); the same scoring gave 0.87 / 0.88
before family analysis read forms as label and value, so the floors fail a
return to that.
"""

from __future__ import annotations

import pytest

from readingroom.analyse.evaluate import default_corpus
from readingroom.similar.family import Member, analyse_family
from readingroom.similar.forms_evaluate import FOLDER, evaluate_form_family

CORPUS = default_corpus()
needs_forms = pytest.mark.skipif(
    not (CORPUS / FOLDER).is_dir(), reason="ICE inspection forms absent"
)

FACILITIES = [
    ("North Ridge Processing Center", "Acme Corrections", "Yes", ["0", "0", "0"], "12"),
    ("Lakeside County Jail", "Lakeside County", "Yes", ["0", "0"], "7"),
    ("Harbor Detention Facility", "Acme Corrections", "Yes", ["0", "0", "0"], "31"),
    ("Pine Valley Service Center", "Federal", "No", ["0", "4", "0"], "5"),
    ("Mesa Annex", "Mesa Group, Inc.", "Yes", ["0", "0", "0"], "19"),
]


def _form(name: str, operator: str, aca: str, hunger: list[str], sick: str) -> str:
    lines = [
        "Facility Significant Incident Summary",
        "Facility Name:",
        name,
        "Facility Operator:",
        operator,
        "Contract Number:",
        "Recommended Rating:",
        "Does the facility have accreditation(s)?",
        aca,
        "*Date of Last:",
        "Joint Commission on Healthcare",
        "No",
        "*Date of Last:",
        "Current Bedspace:",
        "Future Construction Planned?",
        "Hunger strikes",
        *hunger,
        "Sick call requests",
        sick,
        "Medical:",
        "# filed",
        "0",
        "Food:",
        "# filed",
        "0",
        "Notes:",
        "Revision Date:",
    ]
    return "\n".join(lines)


def test_form_fields_align_by_label_and_report_each_facilitys_values() -> None:
    members = [
        Member(f"k{i}", f"sis-{name.split()[0].lower()}.pdf", [(1, _form(name, *rest))])
        for i, (name, *rest) in enumerate(FACILITIES)
    ]
    fam = analyse_family(members)
    template = " | ".join(t["text"] for t in fam["template"])
    # the template is the printed labels, none of the facilities' values
    assert "Facility Name:" in template and "Sick call requests" in template
    assert not any(name in template for name, *_ in FACILITIES)
    texts = " | ".join(lp["text"] or "" for lp in fam["passages"])
    for i, (name, operator, _, _, sick) in enumerate(FACILITIES):
        mine = [lp["text"] for lp in fam["passages"] if lp["member"] == f"k{i}"]
        assert any(name in t for t in mine) and any(operator in t for t in mine), mine
        assert f"Sick call requests {sick}" in mine, mine
    # a minority answer and a count, each beside its label
    changed = [lp["text"] for lp in fam["passages"] if lp["kind"] == "changed"]
    assert {lp["member"] for lp in fam["passages"] if lp["kind"] == "changed"} == {"k3"}
    assert len(changed) == 2
    assert changed[0].endswith("Does the facility have accreditation(s)? No")
    assert changed[1].endswith("Hunger strikes 0 4 0")
    # a blank month (two zeros where others print three) and labels left blank are not changes
    assert "Hunger strikes 0 0" not in texts
    assert "Joint Commission" not in texts and "# filed" not in texts
    assert len(fam["passages"]) == 3 * len(FACILITIES) + 2


@needs_forms
def test_real_form_family_meets_its_floors() -> None:
    r = evaluate_form_family(CORPUS)
    assert r is not None and r["members"] == 13 and r["transcribed"] == 5
    assert r["recall"] >= 0.95, r["misses"]
    assert r["precision"] >= 0.95 and r["template_precision"] >= 0.97, r["misses"]
    assert r["local_precision"] >= 0.9, r["misses"]
