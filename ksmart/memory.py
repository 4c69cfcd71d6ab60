"""Arrow allocates through malloc, so memory freed after a big upload can be used again.

pandas' text columns are Arrow arrays. Arrow's default allocator, mimalloc,
keeps the segments it freed for its own later use, apart from the heap that
Python and calamine share: validating and importing 50,000 projects then
peaked at 88 MB above the process's baseline, against 51 MB with Arrow on
malloc, where every step reuses what the previous one freed (issue 8's
benchmark, same run; the target is 8 × the 7 MB file). Set once, when the
`ksmart` package is imported; Arrow buffers remember their own pool, so switching
is safe at any time.
"""

from __future__ import annotations


def use_malloc_for_arrow() -> None:
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - pyarrow comes with Streamlit and pandas
        return
    pa.set_memory_pool(pa.system_memory_pool())


use_malloc_for_arrow()
