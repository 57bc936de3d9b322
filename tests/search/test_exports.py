"""The search package's public names are exactly what its `__all__` lists."""

from __future__ import annotations

from types import ModuleType

import readingroom.search as search


def test_all_matches_the_public_names() -> None:
    public = {
        name
        for name, value in vars(search).items()
        if not name.startswith("_") and not isinstance(value, ModuleType)
    } - {"annotations"}  # from __future__
    assert set(search.__all__) == public
    assert len(search.__all__) == len(set(search.__all__))
