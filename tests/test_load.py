"""The load test in small (issue 8): `benchmarks/load_test.py` with 3 viewers.

Three Chromium sessions switch between the Overview and the Map of one
`streamlit run` server while an analyst imports a 5,000-project workbook with
`python -m ksmart import`: every session renders, none errs, nothing leaves
127.0.0.1, and every viewer's next rerun shows the new version. The full run
(20 viewers) is `.venv/bin/python benchmarks/load_test.py --viewers 20 --seconds 60`.
"""

from __future__ import annotations

import os

import pytest

from benchmarks import common, load_test

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_three_viewers_see_the_analysts_import(capsys):
    problem = common.chromium_problem()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(problem)
        pytest.skip(problem)
    report = load_test.run(viewers=3, seconds=25, projects=5_000)
    with capsys.disabled():
        print(f"\nload test, 3 viewers: {report['page_loads']} page loads, ready p50 {report['ready_p50_s']:.2f} s, "
              f"p95 {report['ready_p95_s']:.2f} s; import {report['import'].get('seconds', 0):.2f} s "
              f"(load average {report['load_average']})")
    assert report["all_rendered"], report
    assert not report["errors"], report["errors"]
    assert "error" not in report["import"], report["import"]
    assert report["all_saw_new_version"], report
    assert not report["outside_requests"], report["outside_requests"]
    assert not report["server_traceback"], report.get("server_log_tail")
    assert report["ok"]
