"""Built-in formats, analysers, web views and CLI commands: found by one mechanism.

As OCRmyPDF does with its built-in plugins, every module of a plugin package
(`readingroom.ingest.formats`, `readingroom.analyse.analysers`,
`readingroom.web.views`, `readingroom.cli.commands`) is imported in name
order. A module that fails to import stops the program with an error naming
it — a typo must never make a feature disappear in silence. Modules whose
names start with `_` are helpers of the package, not plugins.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from types import ModuleType

from readingroom.errors import RegistrationError

__all__ = ["discover"]


@cache
def discover(package: str) -> tuple[ModuleType, ...]:
    """Every plugin module of `package`, imported, in name order."""
    try:
        pkg = importlib.import_module(package)
    except Exception as e:
        raise RegistrationError(f"built-in package {package} failed to import: {e!r}") from e
    found = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        name = f"{package}.{info.name}"
        try:
            found.append(importlib.import_module(name))
        except Exception as e:
            raise RegistrationError(
                f"built-in module {name} failed to import: {type(e).__name__}: {e}"
            ) from e
    return tuple(found)
