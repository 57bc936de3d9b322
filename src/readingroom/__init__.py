"""readingroom: a workbench for records released under freedom-of-information laws."""

from __future__ import annotations

from readingroom.errors import ReadingRoomError
from readingroom.investigation import Investigation

__all__ = ["Investigation", "ReadingRoomError", "__version__"]
__version__ = "0.1.0"
