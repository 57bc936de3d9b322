"""Analysers: independent, versioned passes over stored pages (see runner).

The analysers themselves are the modules of `readingroom.analyse.analysers`
(see registry). `run_all` is imported lazily so that
`Investigation.migrations()` can import `readingroom.analyse.schema` without
the runner.
"""

from __future__ import annotations

from typing import Any

__all__ = ["AnalyseReport", "run_all"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from readingroom.analyse import runner

        return getattr(runner, name)
    raise AttributeError(name)
