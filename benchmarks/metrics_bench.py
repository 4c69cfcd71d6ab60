"""How long the summary, the change table and the briefing take on a big portfolio.

    .venv/bin/python benchmarks/metrics_bench.py [N_PROJECTS] [REPEATS]

Builds N synthetic projects (default 50,000; `devkit.synthetic`, fixed seed),
derives an older version from them with vectorised edits (some stages one
step back, statuses, values and next-step dates changed, ids added and
removed, some ids re-cased), then prints the first (cold) and the median time
of each call. The goal (issue 4): summary + changes well under a second.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devkit import synthetic  # noqa: E402
from ksmart import reference as ref  # noqa: E402
from ksmart.analytics import briefing, changes, metrics

AS_OF = date(2016, 9, 8)


def older_version(new: pd.DataFrame, seed: int = 4) -> pd.DataFrame:
    """`new` as it might have looked a meeting earlier: a few per cent of the
    rows differ in each way pipeline.md tracks."""
    rng = np.random.default_rng(seed)
    n = len(new)
    old = new.copy()
    picked = lambda share: rng.random(n) < share  # noqa: E731
    number = metrics.stage_numbers(new)
    stage_of = dict(enumerate(ref.STAGES.keys, 1))
    back = picked(0.05) & (number > 1).to_numpy()  # advanced since
    old.loc[back, "stage"] = (number[back] - 1).map(stage_of)
    ahead = picked(0.01) & ~back & (number < len(stage_of)).to_numpy()  # regressed since
    old.loc[ahead, "stage"] = (number[ahead] + 1).map(stage_of)
    old.loc[picked(0.03), "status"] = "active"
    changed = picked(0.05)
    old.loc[changed, "value_usd_m"] = old.loc[changed, "value_usd_m"] * 0.8
    earlier = picked(0.05)
    old.loc[earlier, "next_step_date"] = old.loc[earlier, "next_step_date"] - pd.Timedelta(days=45)
    recased = picked(0.02)
    old.loc[recased, "project_id"] = old.loc[recased, "project_id"].str.lower()
    added_since = picked(0.02)
    dropped_since = old[picked(0.01)].assign(project_id=lambda f: "OLD-" + f["project_id"])
    return pd.concat([old[~added_since], dropped_since], ignore_index=True)


def timed(fn, repeats: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times[0], statistics.median(times), result


def main(n: int = 50_000, repeats: int = 7) -> None:
    start = time.perf_counter()
    new = synthetic.frames(n)["projects"]
    old = older_version(new)
    print(f"{n:,} projects (older version {len(old):,}); data built in {time.perf_counter() - start:.2f} s")
    metrics.regions(new["country"])  # load the country tables once, as a running app has

    rows = [
        ("summary (every metric)", lambda: metrics.summary(new, AS_OF)),
        ("summary, filtered (2 subcommittees)",
         lambda: metrics.summary(new, AS_OF, filters=metrics.Filters(subcommittees=("ict", "energy_env")))),
        ("project_table", lambda: metrics.project_table(new, AS_OF)),
        ("changes (compare)", lambda: changes.compare(old, new)),
    ]
    results = {}
    print(f"{'call':40} {'first':>9} {'median':>9}")
    for label, fn in rows:
        first, median, results[label] = timed(fn, repeats)
        print(f"{label:40} {first * 1000:7.0f} ms {median * 1000:7.0f} ms")
    found = results["changes (compare)"]
    print("changes found:", ", ".join(f"{k} {len(v):,}" for k, v in found.items()))
    first, median, said = timed(lambda: briefing.build(found, new, old), 1)
    print(f"{'briefing of all of them (' + format(len(said.items), ',') + ' items)':40} {first * 1000:7.0f} ms")
    both = timed(lambda: (metrics.summary(new, AS_OF), changes.compare(old, new)), repeats)
    print(f"{'summary + changes':40} {both[0] * 1000:7.0f} ms {both[1] * 1000:7.0f} ms")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
