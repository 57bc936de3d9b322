"""The analysers there are, checked and put in running order.

Every module of `readingroom.analyse.analysers` is one analyser: it exposes
`ANALYSER`, an object satisfying `base.Analyser`, and optionally
`MIGRATIONS` for tables of its own. A module that fails to import, or whose
`ANALYSER` breaks the contract, stops the program with a `RegistrationError`
naming it: an analyser must never vanish in silence.

On a document, an analyser runs after those named in its `after`; otherwise
analysers run in module-name order, which keeps the order stable from one
run to the next.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType

from readingroom.analyse.base import Analyser
from readingroom.errors import BadArguments, RegistrationError
from readingroom.plugins import discover

__all__ = ["PACKAGE", "analyser_modules", "analysers", "by_name"]

PACKAGE = "readingroom.analyse.analysers"


def analyser_modules() -> tuple[ModuleType, ...]:
    """Every analyser module, imported, in name order."""
    return discover(PACKAGE)


def analysers() -> tuple[Analyser, ...]:
    """Every analyser, in the order they run on a document."""
    found: dict[str, Analyser] = {}
    for module in analyser_modules():
        a = getattr(module, "ANALYSER", None)
        if not isinstance(a, Analyser):
            raise RegistrationError(
                f"{module.__name__} has no ANALYSER satisfying readingroom.analyse.base.Analyser"
            )
        if a.name in found:
            raise RegistrationError(f"{module.__name__}: a second analyser named {a.name!r}")
        found[a.name] = a
    for a in found.values():
        unknown = [n for n in a.after if n not in found]
        if unknown:
            raise RegistrationError(
                f"analyser {a.name!r} runs after unknown analyser(s) {', '.join(unknown)}"
            )
    return _ordered(list(found.values()))


def _ordered(items: list[Analyser]) -> tuple[Analyser, ...]:
    """Each analyser after those it names in `after`; ties in the given order."""
    done: list[Analyser] = []
    names: set[str] = set()
    waiting = list(items)
    while waiting:
        ready = next((a for a in waiting if set(a.after) <= names), None)
        if ready is None:
            cycle = ", ".join(a.name for a in waiting)
            raise RegistrationError(f"analysers wait on each other in a cycle: {cycle}")
        waiting.remove(ready)
        done.append(ready)
        names.add(ready.name)
    return tuple(done)


def by_name(only: Sequence[str] | str | None) -> tuple[Analyser, ...]:
    """The analysers named (all when None), in running order."""
    every = analysers()
    if only is None:
        return every
    names = [only] if isinstance(only, str) else list(only)
    known = [a.name for a in every]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise BadArguments(f"unknown analyser {', '.join(unknown)}; known: {', '.join(known)}")
    return tuple(a for a in every if a.name in names)
