"""MinHash signatures and LSH clustering: near-duplicates without comparing all pairs.

Each page (and each document) gets a MinHash signature of its word 5-gram
shingles (`text.shingles`). Locality-sensitive hashing over those signatures
proposes candidate pairs in time linear in the number of pages; each candidate
is confirmed by its estimated Jaccard similarity, and confirmed pairs are
joined into clusters (connected components). Exact text duplicates with
different bytes share a text hash and always cluster.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from readingroom.similar.text import normalise, shingles

#: Permutations per signature: 128 x 4 bytes a page. The LSH bands below
#: (threshold 0.8) keep near-duplicates above it with probability > 0.99.
NUM_PERM = 128
#: Estimated Jaccard similarity of shingles above which two texts are copies.
THRESHOLD = 0.8
#: How far below the confirming threshold LSH proposes candidates.
LSH_MARGIN = 0.15
#: Shingle count below which a page is too short to call a copy (a cover
#: sheet, "This page intentionally left blank").
MIN_SHINGLES = 8
_SEED = 1
#: 32-bit affine hashing: signatures fit uint32 blobs exactly.
_SCHEME = "affine32"


def signature(text: str) -> tuple[np.ndarray, int] | None:
    """A text's MinHash signature (uint32 array) and shingle count; None if too short."""
    sh = shingles(text)
    if len(sh) < MIN_SHINGLES:
        return None
    # Imported here, not at the top: datasketch pulls in scipy (0.27 s), and
    # opening an investigation imports every analyser module for its migrations.
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)
    m.update_batch([s.encode() for s in sh])
    return m.hashvalues.astype(np.uint32), len(sh)


def text_hash(text: str) -> str:
    """Hash of the normalised words: equal for exact text duplicates in different bytes."""
    return hashlib.sha256(normalise(text).encode()).hexdigest()[:16]


def to_blob(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4")


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


@dataclass
class Item:
    """One thing to cluster: a page or a document, its signature and text hash."""

    key: int
    sig: np.ndarray | None
    text_hash: str | None


class _Union:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        p = self.parent.setdefault(x, x)
        while p != self.parent.setdefault(p, p):
            self.parent[x] = self.parent[p]
            p = self.parent[p]
        return p

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def candidate_pairs(
    items: Iterable[Item], threshold: float = THRESHOLD
) -> Iterator[tuple[int, int, float]]:
    """Pairs (a, b, similarity) whose signatures agree above `threshold`, found through LSH."""
    from datasketch import MinHash, MinHashLSH

    # Bands tuned below the threshold: pairs just above it are proposed too (LSH
    # misses some pairs near its own threshold); the signatures then decide.
    lsh = MinHashLSH(threshold=max(0.2, threshold - LSH_MARGIN), num_perm=NUM_PERM)
    kept: dict[int, np.ndarray] = {}
    perm = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME).permutations  # made once
    for it in items:
        if it.sig is None:
            continue
        m = MinHash(
            num_perm=NUM_PERM,
            seed=_SEED,
            hashvalues=it.sig.astype(np.uint64),
            permutations=perm,
            scheme=_SCHEME,
        )
        for other in lsh.query(m):
            sim = jaccard(it.sig, kept[other])
            if sim >= threshold:
                yield (other, it.key, sim)
        lsh.insert(it.key, m)
        kept[it.key] = it.sig


def cluster(items: list[Item], threshold: float = THRESHOLD) -> list[list[int]]:
    """Groups of two or more keys that are copies of each other, largest first.

    Near-duplicates by MinHash/LSH; exact text duplicates by text hash (so
    short identical pages too).
    """
    u = _Union()
    by_hash: dict[str, int] = {}
    for it in items:
        if it.text_hash:
            if it.text_hash in by_hash:
                u.join(by_hash[it.text_hash], it.key)
            else:
                by_hash[it.text_hash] = it.key
    for a, b, _ in candidate_pairs(items, threshold):
        u.join(a, b)
    groups: dict[int, list[int]] = {}
    for it in items:
        if it.key in u.parent:
            groups.setdefault(u.find(it.key), []).append(it.key)
    out = [sorted(g) for g in groups.values() if len(g) > 1]
    return sorted(out, key=lambda g: (-len(g), g[0]))


def all_pairs(items: list[Item], threshold: float = THRESHOLD) -> list[tuple[int, int]]:
    """Every pair compared directly: the reference the benchmark measures LSH against."""
    sigs = [(it.key, it.sig) for it in items if it.sig is not None]
    out = []
    for i, (ka, a) in enumerate(sigs):
        for kb, b in sigs[i + 1 :]:
            if jaccard(a, b) >= threshold:
                out.append((ka, kb))
    return out
