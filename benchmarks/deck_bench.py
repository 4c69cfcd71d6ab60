"""How long the meeting deck of the sample data takes to build (issue 7: under 2 seconds).

    .venv/bin/python benchmarks/deck_bench.py [REPEATS]

Loads the four illustrative sample workbooks into a temporary SQLite store
(as `python -m ksmart seed` does), picks the comparison `briefing` uses
(the last steering committee), then builds the full deck (every section,
the default countries) REPEATS times (default 5) and prints the first
(cold: country polygons, fonts and caches loaded) and the median time, and
the deck's size. Exits 1 when the median is 2 seconds or more.
"""

from __future__ import annotations

import contextlib
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ksmart.analytics import changes
from ksmart.cli import main as cli  # noqa: E402
from ksmart.present import deck  # noqa: E402
from ksmart.store import open_store  # noqa: E402

GOAL_SECONDS = 2.0


def run(repeats: int = 5) -> int:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'sample.db'}"
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            seeded = cli(["--db", url, "seed"])
        if seeded != 0:
            print("seeding the sample data failed", file=sys.stderr)
            return 2
        with open_store(url) as store:
            new = store.read()
            comparison = changes.choose(store.versions(), new.version, new.frames["events"])
            old = store.read(comparison.old.number)
    times, size = [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        data = deck.build_deck(new, old_snapshot=old, comparison=comparison)
        times.append(time.perf_counter() - start)
        size = len(data)
    median = statistics.median(times)
    print(f"deck of the sample data (version {new.version.number}, {len(deck.default_countries(new))} countries): "
          f"first {times[0]:.2f} s, median of {repeats} {median:.2f} s, {size / 1024:.0f} KiB")
    print(f"goal: under {GOAL_SECONDS:.0f} s — {'ok' if median < GOAL_SECONDS else 'TOO SLOW'}")
    return 0 if median < GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(run(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
