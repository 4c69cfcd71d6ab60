"""Handing freed memory back to the operating system after each step of a big upload.

Validating and importing 50,000 projects allocates and frees hundreds of
megabytes in small pieces: calamine's cells, Python objects, Arrow buffers.
Freed pieces stay in the allocators' pools, so without a release the server's
resident memory keeps the sum of every step's leftovers (measured: a peak of
70 MB above the baseline where 55 MB is needed, issue 8's benchmark).

`release()` trims glibc's heap (`malloc_trim` also returns free pages inside
it, not only at its top) and Arrow's pool. Arrow is switched to allocating
through malloc the first time: its default, mimalloc, keeps freed segments
for reuse, which one trim could not reach. Elsewhere than glibc the trim is
left out; nothing else changes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools


def release() -> None:
    """Give memory that is free inside the process back to the operating system."""
    pool = _arrow_pool()
    if pool is not None:
        pool.release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _arrow_pool():
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - pyarrow comes with Streamlit and pandas
        return None
    pa.set_memory_pool(pa.system_memory_pool())
    return pa.default_memory_pool()


@functools.cache
def _malloc_trim():
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim
        return None


_arrow_pool()  # from the start, so that an upload's Arrow buffers are all trimmable
