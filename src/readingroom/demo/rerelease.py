"""Two of the production's memos released again, with the staff names restored.

Written beside the production, in `DEST/rerelease/`, as a later release would
arrive (its own Bates prefix, released 2020-02-03): the same memos, built from
the same seeds, with the names the first release withheld under (b)(6) or
(b)(7)(C) printed; the (b)(5) sheet and the (b)(7)(E) module name stay
withheld. `readingroom compare` on a memo and its re-release lists each name
withheld in one and released in the other, with the exemption code. Same
seed, same bytes.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from readingroom.demo.documents import build_memo
from readingroom.demo.world import World

__all__ = ["write"]

FOLDER = "rerelease"
PRODUCTION = "DFE-2019-FOIA-00052-R1"
RELEASED = "2020-02-03"
BATES_PREFIX = "DFE-R1"
#: The production's memos released again (0-based: DFE-memo-0002 holds the (b)(5) sheet).
MEMOS = (1, 2)


def write(dest: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Write DEST/rerelease/ and return its truth."""
    seed = int(manifest["seed"])
    world = World(seed)
    folder = Path(dest) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    number = 1
    files = []
    for i in MEMOS:
        rng = random.Random(f"{seed}-memo-{i}")  # the production memo's own seed
        b, info = build_memo(
            world, rng, withheld_after=1 if i == 1 else None, reveal_names=True
        )
        numbers = [f"{BATES_PREFIX} {number + k:06d}" for k in range(len(b.truth))]
        number += len(numbers)
        b.stamp(numbers)
        rel = f"DFE-memo-{i + 1:04d}-released-again.pdf"
        (folder / rel).write_bytes(b.to_bytes(info["title"]))
        files.append(
            {
                "path": f"{FOLDER}/{rel}",
                "first_release": f"memos/DFE-memo-{i + 1:04d}.pdf",
                "title": info["title"],
                "bates": [numbers[0], numbers[-1]],
                "names_restored": info["names_withheld"],
            }
        )
    return {"folder": FOLDER, "production": PRODUCTION, "released": RELEASED, "files": files}
