"""How a page, a Bates number and an exemption code are written when cited.

Lawyers and reporters cite a page by its Bates number (`DFE 000123`) and a
withholding by the code as the statute prints it (`(b)(7)(C)`). Analysers
store short, stable forms (prefix + counter + width; `b7C`) so that counts
group cleanly; every place that shows them to a person goes through here.
"""

from __future__ import annotations

import re

__all__ = ["bates_label", "exemption_code", "exemption_label", "page_reference"]

_SHORT = re.compile(r"b(\d)([a-g]?)", re.IGNORECASE)
_WRITTEN = re.compile(r"\(\s*b\s*\)\s*\(\s*(\d)\s*\)(?:\s*\(\s*([a-g])\s*\))?", re.IGNORECASE)


def bates_label(prefix: str, number: int, digits: int) -> str:
    """`DFE`, 123, 6 → `DFE 000123`: the prefix and the zero-padded counter."""
    return f"{prefix} {number:0{digits}d}"


def exemption_label(code: str) -> str:
    """`b7C` → `(b)(7)(C)`, as the statute and the agencies print it.

    A value that is not a stored code (already written out, or unknown) is
    returned unchanged, so a label never invents a code.
    """
    m = _SHORT.fullmatch(code)
    if not m:
        return code
    return f"(b)({m[1]})" + (f"({m[2].upper()})" if m[2] else "")


def exemption_code(written: str) -> str | None:
    """`(b)(7)(C)` or `b7c` → `b7C`; None when the text is not one exemption code."""
    m = _SHORT.fullmatch(written.strip()) or _WRITTEN.fullmatch(written.strip())
    if not m:
        return None
    return f"b{m[1]}{(m[2] or '').upper()}"


def page_reference(document: str, page: int, bates: str | None = None) -> str:
    """`DFE 000123` when the page is stamped, else `report.pdf, p. 4`."""
    return bates if bates else f"{document}, p. {page}"
