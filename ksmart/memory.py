"""Arrow allocates through malloc, so memory freed after a big upload can be used again.

pandas' text columns are Arrow arrays. Arrow's default allocator, mimalloc,
keeps the segments it freed for its own later use, apart from the heap that
Python and calamine share: validating and importing 50,000 projects then
peaked at 88 MB above the process's baseline, against 51 MB with Arrow on
malloc, where every step reuses what the previous one freed (issue 8's
benchmark, same run; the target is 8 × the 7 MB file).

Importing `ksmart` changes nothing in the process: the processes that read
workbooks call `use_malloc_for_arrow()` before they do, explicitly (the CLI's
`main`, the Streamlit app's `ksmart.ui.start`, the benchmarks). Arrow buffers
remember their own pool, so switching is safe at any time.
"""

from __future__ import annotations


def use_malloc_for_arrow() -> None:
    """Make malloc (Arrow's system pool) the process's default Arrow pool; calling again does nothing."""
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - pyarrow comes with Streamlit and pandas
        return
    if pa.default_memory_pool().backend_name != "system":
        pa.set_memory_pool(pa.system_memory_pool())
