"""Word boxes as the store keeps them: the RRW1 binary format.

A page's words are stored in one BLOB: the magic `RRW1`, then, zlib-compressed,
the word count (uint32), the boxes as float32 [x0, y0, x1, y1] per word, the
confidences as float32 (NaN for none), and the texts joined by the unit
separator. Packing arrays costs a fraction of what JSON with rounded floats
does, and float32 keeps 0.001 pt on a page.
"""

from __future__ import annotations

import math
import struct
import sys
import zlib
from array import array
from collections.abc import Iterable, Sequence

from readingroom.page import Word

__all__ = ["decode_words", "encode_boxes", "encode_words"]

_WORDS_MAGIC = b"RRW1"
_SEP = "\x1f"  # unit separator: never part of a word


def encode_words(words: Iterable[Word]) -> bytes:
    """Pack word boxes; runs in the ingest workers for every page."""
    items = list(words)
    return encode_boxes(
        [c for w in items for c in (w[0], w[1], w[2], w[3])],
        [w[4] for w in items],
        [w[5] for w in items],
    )


def encode_boxes(
    coords: Sequence[float], texts: Sequence[str], confs: Sequence[float | None] | None = None
) -> bytes:
    """The same packing from flat [x0, y0, x1, y1, ...] coordinates (no Word objects)."""
    n = len(texts)
    xy = array("f", coords)
    conf = (
        array("f", [math.nan if c is None else c for c in confs])
        if confs is not None
        else array("f", [math.nan]) * n
    )
    if sys.byteorder != "little":
        xy.byteswap()
        conf.byteswap()
    joined_text = _SEP.join(texts)
    if joined_text.count(_SEP) != max(0, n - 1):  # a word held the separator itself
        joined_text = _SEP.join(t.replace(_SEP, " ") for t in texts)
    joined = joined_text.encode()
    payload = struct.pack("<I", n) + xy.tobytes() + conf.tobytes() + joined
    return _WORDS_MAGIC + zlib.compress(payload, 1)


def decode_words(blob: bytes | None) -> list[Word]:
    """The words of a stored blob; no blob means no words."""
    if not blob:
        return []
    if not blob.startswith(_WORDS_MAGIC):
        raise ValueError("not a readingroom word-box blob")
    payload = zlib.decompress(blob[len(_WORDS_MAGIC) :])
    (n,) = struct.unpack_from("<I", payload)
    coords = array("f")
    coords.frombytes(payload[4 : 4 + 16 * n])
    confs = array("f")
    confs.frombytes(payload[4 + 16 * n : 4 + 20 * n])
    if sys.byteorder != "little":
        coords.byteswap()
        confs.byteswap()
    texts = payload[4 + 20 * n :].decode().split(_SEP) if n else []
    return [
        Word(
            coords[4 * i],
            coords[4 * i + 1],
            coords[4 * i + 2],
            coords[4 * i + 3],
            texts[i],
            None if math.isnan(confs[i]) else confs[i],
        )
        for i in range(n)
    ]
