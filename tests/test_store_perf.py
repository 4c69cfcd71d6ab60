"""Store timings at 50,000 projects (opt-in: KSMART_STORE_BENCH=1; add -s to see them).

    KSMART_STORE_BENCH=1 .venv/bin/python -m pytest -s -p no:cacheprovider tests/test_store_perf.py

Imports `synthetic.frames(50_000)` into an empty store (replace), reads the
latest version, imports the same frames again (no new version), then an
update changing 500 projects, on each backend; prints the best of a few runs.
The bounds asserted are loose (a slow shared machine must not fail them); the
printed figures are what the performance budget is checked against.
"""

from __future__ import annotations

import os
import time
from datetime import date

import pytest

from devkit import synthetic
from ksmart.auth import Actor
from ksmart.store import open_store

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("KSMART_STORE_BENCH") != "1", reason="benchmark: set KSMART_STORE_BENCH=1"),
]
N = int(os.environ.get("KSMART_STORE_BENCH_N", "50000"))


def _best(times: list[float]) -> str:
    return f"{min(times):.2f} s"


def test_import_and_read_at_50000_projects(store_url, tmp_path):
    data = synthetic.frames(N)
    changed = data["projects"].copy()
    changed.loc[changed.index[:500], "value_usd_m"] = 123.0
    timings: dict[str, list[float]] = {}
    for run in range(3):
        url = store_url if run == 0 or not store_url.startswith("sqlite") else f"sqlite:///{tmp_path / f'r{run}.db'}"
        s = open_store(url)
        if run and not url.startswith("sqlite"):
            with s.engine.begin() as conn:  # empty the schema for the next run
                for table in ("ksmart_audit", "ksmart_rows", "ksmart_versions"):
                    conn.exec_driver_sql(f"DELETE FROM {table}")
        steps = {
            "import (empty store, replace)": lambda: s.import_frames(data, mode="replace", reference_date=date(2016, 9, 30), user=Actor("b", "analyst")),
            "read latest": lambda: s.read(),
            "same frames again (no version)": lambda: s.import_frames(data, mode="replace", reference_date=date(2016, 9, 30), user=Actor("b", "analyst")),
            "update 500 changed projects": lambda: s.import_frames({"projects": changed}, reference_date=date(2016, 12, 31), user=Actor("b", "analyst")),
            "read an older version": lambda: s.read(1),
            "latest_version()": lambda: s.latest_version(),
        }
        for name, step in steps.items():
            start = time.perf_counter()
            step()
            timings.setdefault(name, []).append(time.perf_counter() - start)
        s.close()
    print(f"\n{s.backend}, {N} projects:")
    for name, times in timings.items():
        print(f"  {name:<34} {_best(times)}")
    assert min(timings["import (empty store, replace)"]) < 6 and min(timings["read latest"]) < 4
