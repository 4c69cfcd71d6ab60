"""Load test: many viewers on the Overview and the Map while an analyst imports.

    .venv/bin/python benchmarks/load_test.py --viewers 20 --seconds 60 [--projects 5000] [--db URL]

One `streamlit run app.py` on 127.0.0.1 and one headless Chromium (Debian's)
with a tab per viewer: each tab is its own Streamlit session (20 browsers
would not fit on a 2-core machine; the tabs share a few renderer processes).
The browsers run on the same machine as the server, so on a small machine the
page-ready times measure the browsers' work as much as the server's. The store starts
with two versions of a synthetic portfolio of `--projects` projects; half the
viewers open the Overview, half the Map, and then switch between the two pages
(a rerun of their session each time) until the test ends. Once every viewer
has rendered its first page, an analyst imports another synthetic workbook of
the same size with `python -m ksmart import --replace` (the command line an
analyst runs against the same store).

Checked: every session renders its pages (every chart drawn, the map's
canvas), no session shows an exception or a JavaScript error, no request leaves
127.0.0.1, the server logs no traceback, and the first rerun of every viewer
that starts after the import has committed shows the new version. Printed: the
p50/p95 of the page-ready times (navigation or page switch → every chart
drawn) and the import's duration. Exit code 0 when every check holds.

Bounded: at most MAX_VIEWERS viewers and MAX_SECONDS seconds of browsing
(refused above), then at most GRACE seconds for the reruns that must show the
new version; every wait has a deadline; everything started is stopped at the
end. Without --db the store is a SQLite file in a temporary folder; --db takes
any empty store URL (e.g. a PostgreSQL database, as a deployment uses).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import common  # noqa: E402

MAX_VIEWERS = 30
MAX_SECONDS = 300
PAGES = ("overview", "map")
WAIT_CAP = 90.0  # seconds: the longest single wait for a page, however much time is left
ARRIVAL = 0.5  # seconds between two viewers opening the dashboard
RENDERERS = 4  # Chromium renderer processes: tabs of one site share them (and the parsed scripts)
GRACE = 120.0  # seconds after --seconds for the last reruns (those that must show the new version)
PAUSE = 3.0  # seconds a viewer looks at a page before switching to the other one


@dataclass
class Viewer:
    number: int
    ready: list[float] = field(default_factory=list)  # seconds, every page load and switch
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    versions_seen: list[int] = field(default_factory=list)
    saw_new_version: bool = False

    @property
    def rendered(self) -> bool:
        return bool(self.ready)


def _title(key: str) -> str:
    from ksmart import i18n

    return i18n.t(f"page.{key}", "ko")


async def _wait_ready(page, key: str, deadline: float) -> None:
    timeout = max(1.0, min(WAIT_CAP, deadline - time.monotonic()))
    await page.wait_for_function(common.READY, arg={"title": _title(key), "charts": common.PAGE_CHARTS[key],
                                                     "deck": key == "map"}, timeout=timeout * 1000)


async def _viewer(context, base: str, viewer: Viewer, imported: asyncio.Event, new_version: dict,
                  first_done: asyncio.Event, counter: dict, browse_until: float, deadline: float) -> None:
    """Open a page, then switch pages until `browse_until` and until one switch
    that started after the import has shown the new version (never past `deadline`)."""
    page = await context.new_page()
    try:
        page.on("request", lambda r: viewer.requests.append(r.url))
        page.on("pageerror", lambda e: viewer.errors.append(f"javascript: {e}"))
        key = PAGES[viewer.number % 2]
        await asyncio.sleep(ARRIVAL * viewer.number)  # a meeting room opening the link, not one instant
        start = time.perf_counter()
        await page.goto(f"{base}/{'' if key == 'overview' else key}")
        await _wait_ready(page, key, deadline)
        viewer.ready.append(time.perf_counter() - start)
        counter["first"] += 1
        if counter["first"] == counter["viewers"]:
            first_done.set()
        checked = False
        while time.monotonic() < deadline:
            if time.monotonic() >= browse_until and (checked or "error" in new_version):
                return
            await asyncio.sleep(PAUSE)
            after_import = imported.is_set() and not checked
            key = PAGES[(PAGES.index(key) + 1) % 2]
            start = time.perf_counter()
            await page.locator('[data-testid="stSidebarNavLink"]').filter(has_text=_title(key)).first.click()
            await _wait_ready(page, key, deadline)
            viewer.ready.append(time.perf_counter() - start)
            if await page.locator('[data-testid="stException"]').count():
                viewer.errors.append(f"exception shown on {key}")
            shown = await page.evaluate(common.SHOWN_VERSION)
            viewer.versions_seen.append(shown)
            if after_import:  # the first rerun that started after the commit
                checked = True
                viewer.saw_new_version = shown == new_version.get("number")
                if not viewer.saw_new_version:
                    viewer.errors.append(f"rerun after the import showed version {shown}, "
                                         f"not {new_version.get('number')}")
        if not checked:
            viewer.errors.append("no rerun after the import within the time limit")
    except Exception as exc:  # a timeout or a crash of this session: reported, never hidden
        viewer.errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    finally:
        await page.close()


async def _analyst(url: str, workbook: Path, first_done: asyncio.Event, imported: asyncio.Event,
                   new_version: dict, start_by: float, deadline: float) -> None:
    """Import once every viewer has rendered a page (at `start_by` at the latest)."""
    try:
        await asyncio.wait_for(first_done.wait(), max(0.1, start_by - time.monotonic()))
    except asyncio.TimeoutError:
        pass  # some viewer is still loading: the import goes ahead, as it would in a real meeting
    start = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "ksmart", "import", str(workbook), "--replace", "--as-of", "2019-03-31",
        "--user", "analyst", "--note", "load test", "--db", url, cwd=common.ROOT,
        env={**os.environ, "PYTHONPATH": str(common.ROOT)},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        out, err = await asyncio.wait_for(process.communicate(), max(1.0, deadline - time.monotonic()))
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()
        new_version["error"] = "the import did not finish in time"
        return
    new_version["seconds"] = time.perf_counter() - start
    new_version["exit"] = process.returncode
    digits = re.findall(r"^\s*(\d+)\s*$", out.decode(errors="replace"), re.MULTILINE)
    if process.returncode != 0 or not digits:
        new_version["error"] = f"import exited {process.returncode}: {err.decode(errors='replace')[-500:]}"
        return
    new_version["number"] = int(digits[-1])
    imported.set()


async def _run(base: str, url: str, workbook: Path, viewers: int, seconds: float) -> tuple[list[Viewer], dict]:
    from playwright.async_api import async_playwright

    now = time.monotonic()
    browse_until, deadline = now + seconds, now + seconds + GRACE
    imported, first_done = asyncio.Event(), asyncio.Event()
    new_version: dict = {}
    counter = {"first": 0, "viewers": viewers}
    people = [Viewer(i) for i in range(viewers)]
    async with async_playwright() as p:
        browser = await common.chromium(p, f"--renderer-process-limit={RENDERERS}")
        try:
            # One browser profile, a tab per viewer: each tab is its own Streamlit session (its own
            # WebSocket); the tabs share the HTTP cache as a returning viewer's browser would.
            context = await browser.new_context(viewport=common.VIEWPORT, locale="ko-KR")
            context.set_default_timeout(WAIT_CAP * 1000)
            context.set_default_navigation_timeout(WAIT_CAP * 1000)
            tasks = [_viewer(context, base, v, imported, new_version, first_done, counter, browse_until, deadline)
                     for v in people]
            tasks.append(_analyst(url, workbook, first_done, imported, new_version, now + seconds / 2, deadline))
            await asyncio.wait_for(asyncio.gather(*tasks), seconds + GRACE + 30)
        finally:
            await browser.close()
    return people, new_version


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def run(viewers: int = 20, seconds: float = 60, projects: int = 5_000, db_url: str | None = None) -> dict:
    """Run the load test; returns its report (see `main` for what is checked)."""
    if not 1 <= viewers <= MAX_VIEWERS:
        raise ValueError(f"viewers must be 1…{MAX_VIEWERS}")
    if not 10 <= seconds <= MAX_SECONDS:
        raise ValueError(f"seconds must be 10…{MAX_SECONDS}")
    problem = common.chromium_problem()
    if problem:
        raise RuntimeError(problem)
    new_workbook = common.workbook(projects, common.SEED + 1)  # the analyst's new file
    with tempfile.TemporaryDirectory(prefix="ksmart-load-") as folder:
        url = db_url or f"sqlite:///{Path(folder) / 'store.db'}"
        common.seed_store(url, projects)
        log = Path(folder) / "streamlit.log"
        with common.Server("app.py", env={"KSMART_DB_URL": url}, log=log) as server:
            started, cpu_before = time.perf_counter(), server.cpu_seconds()
            people, new_version = asyncio.run(_run(server.url, url, new_workbook, viewers, seconds))
            elapsed, cpu_after = time.perf_counter() - started, server.cpu_seconds()
        server_log = log.read_text(errors="replace")
    first = [v.ready[0] for v in people if v.ready]
    switches = [t for v in people for t in v.ready[1:]]
    every = [t for v in people for t in v.ready]
    errors = {v.number: v.errors for v in people if v.errors}
    leaks = sorted({u for v in people for u in common.outside(v.requests)})
    report = {
        "viewers": viewers, "seconds": seconds, "projects": projects, "elapsed_s": round(elapsed, 1),
        "server_cpu_s": None if cpu_before is None or cpu_after is None else round(cpu_after - cpu_before, 1),
        "page_loads": len(every),
        "ready_p50_s": _percentile(every, 0.5), "ready_p95_s": _percentile(every, 0.95),
        "first_p50_s": _percentile(first, 0.5), "first_p95_s": _percentile(first, 0.95),
        "switch_p50_s": _percentile(switches, 0.5), "switch_p95_s": _percentile(switches, 0.95),
        "all_rendered": all(v.rendered for v in people),
        "all_saw_new_version": all(v.saw_new_version for v in people),
        "import": new_version,
        "errors": errors,
        "outside_requests": leaks[:10],
        "server_traceback": "Traceback" in server_log,
        "load_average": common.load_average(),
    }
    report["ok"] = (report["all_rendered"] and report["all_saw_new_version"] and not errors and not leaks
                    and not report["server_traceback"] and "error" not in new_version)
    if report["server_traceback"]:
        report["server_log_tail"] = server_log[-3000:]
    return report


def _s(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--viewers", type=int, default=20, help=f"browser sessions (1…{MAX_VIEWERS})")
    parser.add_argument("--seconds", type=float, default=60, help=f"how long the viewers browse (10…{MAX_SECONDS})")
    parser.add_argument("--projects", type=int, default=5_000, help="projects in the store and in the import")
    parser.add_argument("--db", help="an empty store URL to use instead of a temporary SQLite file")
    parser.add_argument("--json", help="also write the report here")
    args = parser.parse_args(argv)
    if not 1 <= args.viewers <= MAX_VIEWERS or not 10 <= args.seconds <= MAX_SECONDS:
        parser.error(f"--viewers 1…{MAX_VIEWERS} and --seconds 10…{MAX_SECONDS}")
    report = run(args.viewers, args.seconds, args.projects, args.db)
    print(f"{report['viewers']} viewers, {report['projects']:,} projects, {report['page_loads']} page loads "
          f"in {report['elapsed_s']} s on {os.cpu_count()} CPUs; the Streamlit server used "
          f"{report['server_cpu_s']} s of CPU, the browsers most of the rest (load average {report['load_average']})")
    print(f"page ready: p50 {_s(report['ready_p50_s'])}, p95 {_s(report['ready_p95_s'])} "
          f"(first load p50 {_s(report['first_p50_s'])}, p95 {_s(report['first_p95_s'])}; "
          f"page switch p50 {_s(report['switch_p50_s'])}, p95 {_s(report['switch_p95_s'])})")
    imp = report["import"]
    print(f"import: version {imp.get('number')} in {_s(imp.get('seconds'))}, exit {imp.get('exit')}"
          + (f" — {imp['error']}" if "error" in imp else ""))
    print(f"every session rendered: {report['all_rendered']}; every viewer's next rerun showed the new version: "
          f"{report['all_saw_new_version']}; errors: {report['errors'] or 'none'}; requests off 127.0.0.1: "
          f"{report['outside_requests'] or 'none'}; server traceback: {report['server_traceback']}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print("OK" if report["ok"] else "FAILED")
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
