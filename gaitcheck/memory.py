"""Hand freed memory back to the system between the heavy stages of an analysis.

MediaPipe's landmarkers and the decoded frames live on the C heap; glibc keeps what they free
in its arenas (one per thread that allocated), so a process that ran two chunk threads holds
~100 MB of free heap when the second look opens its own landmarker. `malloc_trim` returns it;
on other C libraries this does nothing.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import functools


@functools.cache
def _trim():
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # not glibc
        return None


def release_free_memory() -> None:
    """Return the C heap's free pages to the system (glibc's malloc_trim); else a no-op."""
    trim = _trim()
    if trim is not None:
        trim(0)
