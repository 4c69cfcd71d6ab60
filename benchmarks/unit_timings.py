"""Timings that used to be asserted inside unit tests; here they are printed, not judged.

    .venv/bin/python benchmarks/unit_timings.py [--repeats 3] [--store] [--store-n 50000] [--pg URL]

The tests keep what these steps must do (tests/test_xlsx_safety.py,
tests/test_synthetic.py, tests/test_countries.py); how long they take depends on
the machine and its neighbours, so the figures are printed (best of
`--repeats`) with the load average, for a person to compare with the budget:

- each builder of the bad-file corpus (tests/corpus_badfiles.py; the old bound
  was 0.5 s each);
- `check_xlsx` of 50,000 × 22 cells without <dimension> (the streamed path;
  old bound 1 s);
- `synthetic.frames(50_000)` (old bound 10 s; about 0.5 s on a laptop);
- `import ksmart.countries` and its first look-ups in a fresh interpreter (old
  bound 2 s; about 0.1 s on a laptop);
- with --store: the store at `--store-n` projects (formerly
  tests/test_store_perf.py): import into an empty store, read the latest
  version, the same frames again (no version), an update changing 500
  projects, an older version, `latest_version()`; on SQLite, and on
  PostgreSQL too with --pg (a URL whose database may be written to).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ksmart and the test corpus importable
    sys.path.insert(0, str(ROOT))

COUNTRIES = """
import time
import pandas  # not ours to time
start = time.perf_counter()
from ksmart import countries
countries.table()
countries.features()
countries.geometry("KWT")
countries.resolve("쿠웨이트")
countries.suggestions("쿠웨잇")
print(time.perf_counter() - start)
"""


def best(step, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return min(times)


def line(name: str, seconds: float, bound: float | None = None) -> None:
    note = f"   (the test used to assert < {bound:g} s)" if bound is not None else ""
    print(f"  {name:<46} {seconds:8.3f} s{note}")


def corpus(repeats: int) -> None:
    from tests.corpus_badfiles import BUILDERS

    print("bad-file corpus, each builder:")
    total = 0.0
    for name, build in BUILDERS.items():
        seconds = best(build, repeats)
        total += seconds
        line(name, seconds, 0.5)
    line("all builders", total)


def streamed_rows(repeats: int) -> None:
    from ksmart.ingest.xlsx_safety import check_xlsx
    from tests.corpus_badfiles import fifty_thousand_rows

    data = fifty_thousand_rows()
    print("safety checks:")
    line("check_xlsx, 50,000 x 22 without <dimension>", best(lambda: check_xlsx(data), repeats), 1.0)


def synthetic_frames(repeats: int) -> None:
    from devkit import synthetic

    print("synthetic generator:")
    line("synthetic.frames(50_000)", best(lambda: synthetic.frames(50_000), repeats), 10.0)


def countries_load(repeats: int) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    times = [float(subprocess.run([sys.executable, "-c", COUNTRIES], cwd=ROOT, env=env, check=True,
                                  capture_output=True, text=True).stdout) for _ in range(repeats)]
    print("countries:")
    line("import and first look-ups, fresh interpreter", min(times), 2.0)


def store(n: int, repeats: int, pg_url: str | None) -> None:
    from devkit import synthetic
    from ksmart.auth import Actor
    from ksmart.store import open_store

    data = synthetic.frames(n)
    changed = data["projects"].copy()
    changed.loc[changed.index[:500], "value_usd_m"] = 123.0
    user = Actor("bench", "analyst")
    with tempfile.TemporaryDirectory() as tmp:
        urls = [lambda run: f"sqlite:///{Path(tmp) / f'r{run}.db'}"]
        if pg_url:
            urls.append(lambda run: pg_url)
        for url_of in urls:
            timings: dict[str, list[float]] = {}
            for run in range(repeats):
                s = open_store(url_of(run))
                if s.backend != "sqlite":
                    with s.engine.begin() as conn:  # start from an empty store each run
                        for table in ("ksmart_audit", "ksmart_rows", "ksmart_versions"):
                            conn.exec_driver_sql(f"DELETE FROM {table}")
                steps = {
                    "import (empty store, replace)": lambda: s.import_frames(
                        data, mode="replace", reference_date=date(2016, 9, 30), user=user),
                    "read latest": lambda: s.read(),
                    "same frames again (no version)": lambda: s.import_frames(
                        data, mode="replace", reference_date=date(2016, 9, 30), user=user),
                    "update 500 changed projects": lambda: s.import_frames(
                        {"projects": changed}, reference_date=date(2016, 12, 31), user=user),
                    "read an older version": lambda: s.read(1),
                    "latest_version()": lambda: s.latest_version(),
                }
                for name, step in steps.items():
                    timings.setdefault(name, []).append(best(step, 1))
                backend = s.backend
                s.close()
            print(f"store, {backend}, {n:,} projects:")
            bounds = {"import (empty store, replace)": 6.0, "read latest": 4.0}
            for name, times in timings.items():
                line(name, min(times), bounds.get(name))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--store", action="store_true", help="also time the store (slow: about a minute)")
    parser.add_argument("--store-n", type=int, default=50_000)
    parser.add_argument("--pg", metavar="URL", help="also time the store on this PostgreSQL database")
    args = parser.parse_args(argv)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    corpus(args.repeats)
    streamed_rows(args.repeats)
    synthetic_frames(args.repeats)
    countries_load(args.repeats)
    if args.store or args.pg:
        store(args.store_n, args.repeats, args.pg)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
