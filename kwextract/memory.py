"""Giving freed memory back to the operating system while a long text is tagged.

Each batch of windows allocates the network's working memory (megabytes of LSTM gates) and
frees it; between batches Python allocates small objects (the spans found). glibc's
allocator then often cannot hand the freed pages back, and a process tagging a 10 MB text
grew by hundreds of megabytes that it no longer used. ``malloc_trim`` returns such pages; it
changes nothing but resident memory. Elsewhere than glibc it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache
from typing import Any


LONG_TEXT_TOKENS = 100_000  # a text this long is handled with memory, not speed, in mind (extractor, ranking)


@cache
def _libc() -> Any:
    """glibc, if this process runs on it (None elsewhere)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


def release_free_memory() -> None:
    """Hand the allocator's free pages back to the operating system (glibc only)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
