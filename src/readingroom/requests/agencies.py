"""Agencies, their components and offices, and the rules that set their deadlines.

The data is the `agencies` pack (`packs/agencies.json`, overridable per
investigation like every pack). A component or agency may take its offices
from another pack by reference (`"offices_from": "ice"`), so the 24 ICE
field offices are listed once. Components inherit their agency's rules.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from readingroom.packs import load_pack, user_pack_dir

__all__ = ["Agencies", "load_agencies"]

PACK = "agencies"


class Agencies:
    """Look-ups over the agencies pack: rules by agency or component, offices by code or name."""

    def __init__(self, pack: dict[str, Any], office_packs: dict[str, dict[str, Any]]) -> None:
        self.pack = pack
        self.default: dict[str, Any] = dict(pack.get("default", {}))
        self._entries: dict[str, dict[str, Any]] = {}
        for agency in pack.get("agencies", []):
            self._add(agency, None, office_packs)
            for comp in agency.get("components", []):
                self._add(comp, agency, office_packs)

    def _add(
        self,
        entry: dict[str, Any],
        parent: dict[str, Any] | None,
        office_packs: dict[str, dict[str, Any]],
    ) -> None:
        rules = {**self.default}
        for src in (parent or {}, entry):
            for key in ("response_days", "extension_days", "appeal"):
                if key in src:
                    rules[key] = src[key]
        offices: list[dict[str, Any]] = list(entry.get("offices", []))
        ref = entry.get("offices_from")
        if ref and ref in office_packs:
            other = office_packs[ref]
            hq = other.get("headquarters")
            if isinstance(hq, dict):
                offices.append({"code": hq["code"], "name": hq.get("name", hq["code"])})
            offices += [
                {
                    "code": o["code"],
                    "name": o.get("name", o["code"]),
                    "aliases": o.get("aliases", []),
                }
                for o in other.get("offices", [])
            ]
        code = str(entry["code"])
        full = f"{parent['code']}/{code}" if parent else code
        record = {
            "code": code,
            "path": full,
            "name": entry.get("name", code),
            "parent": parent["code"] if parent else None,
            "rules": rules,
            "offices": offices,
        }
        self._entries[code.upper()] = record
        self._entries[full.upper()] = record

    def get(self, agency: str) -> dict[str, Any] | None:
        """The agency or component named by code (`ICE`, `DHS/ICE`), or None."""
        return self._entries.get(agency.strip().upper())

    def rules(self, agency: str) -> dict[str, Any]:
        """Response, extension and appeal rules for `agency`; the pack's default when unknown."""
        entry = self.get(agency)
        return dict(entry["rules"]) if entry else {**self.default}

    def offices(self, agency: str) -> list[dict[str, Any]]:
        entry = self.get(agency)
        return list(entry["offices"]) if entry else []

    def office_name(self, agency: str, office: str | None) -> str | None:
        """`SNA` → `San Antonio` for offices the pack knows; the text as given otherwise."""
        if not office:
            return None
        key = office.strip().upper()
        for o in self.offices(agency):
            names = [o["code"], o.get("name", ""), *o.get("aliases", [])]
            if key in (n.upper() for n in names):
                return str(o.get("name", o["code"]))
        return office.strip()

    def listing(self) -> list[dict[str, Any]]:
        """Each agency and component once, with its rules and office count."""
        seen: set[int] = set()
        out = []
        for rec in self._entries.values():
            if id(rec) in seen:
                continue
            seen.add(id(rec))
            out.append({**rec, "offices": [o["name"] for o in rec["offices"]]})
        return out


def load_agencies(investigation_root: Path | None = None) -> Agencies:
    """The agencies pack, preferring the investigation's own copy, with referenced office packs."""
    user = user_pack_dir(investigation_root) if investigation_root else None
    pack = load_pack(PACK, user)
    refs = {
        str(e["offices_from"])
        for a in pack.get("agencies", [])
        for e in (a, *a.get("components", []))
        if e.get("offices_from")
    }
    return Agencies(pack, {name: load_pack(name, user) for name in sorted(refs)})
