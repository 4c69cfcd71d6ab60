"""What the benchmark, the load test and the multi-server test share.

    workbook(n, seed)          a synthetic workbook of n projects, cached under artifacts/bench/
    seed_store(url, n, seed)   a store holding two versions of that portfolio (older, then current)
    Server(script, env=…)      `streamlit run` on a free loopback port, as tests/test_browser.py starts it
    chromium(playwright)       Debian's chromium with the flags of TECH_NOTES (never `playwright install`)
    READY                      the "page has finished rendering" condition, evaluated in the page
    SHOWN_VERSION              the version number a rendered page shows, evaluated in the page
    outside(urls)              requests that left 127.0.0.1

Generating a 50,000-project workbook takes about 15 s, so files are kept,
keyed by size and seed (the generator is deterministic: same seed, same bytes).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ksmart importable
    sys.path.insert(0, str(ROOT))

BENCH_DIR = ROOT / "artifacts" / "bench"
SEED = 2016
CURRENT_DATE = date(2018, 12, 31)  # reference date of a synthetic workbook (its last day)
OLDER_DATE = date(2018, 9, 30)  # the older version: before the last steering committee (2018-12-13)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1600, "height": 900}
STREAMLIT_FLAGS = ["--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats",
                   "false"]

# Finished rendering (TECH_NOTES): connected, script not running, no skeleton, at
# least `charts` charts and every one of them drawn (plotly: its `.main-svg`;
# Vega-Lite: its canvas or svg), the deck.gl canvas when `deck`, and the page
# title when `title` is given. The Overview's bar charts (`ksmart.present.htmlcharts`) are
# HTML: drawn when their bars are in the page.
READY = """({title, charts, deck}) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-connection-state') !== 'CONNECTED'
      || app.getAttribute('data-test-script-state') !== 'notRunning'
      || document.querySelector('[data-testid="stSkeleton"]')) return false;
  if (title) {
    const h1 = document.querySelector('[data-testid="stMain"] h1');
    if (!h1 || h1.innerText.trim() !== title) return false;
  }
  const plots = [...document.querySelectorAll(
    '[data-testid="stPlotlyChart"], [data-testid="stVegaLiteChart"], .ks-chart')];  // .ks-chart: ksmart.present.htmlcharts
  const drawn = c => c.matches('[data-testid="stVegaLiteChart"]') ? !!c.querySelector('canvas, svg')
                   : c.matches('.ks-chart') ? !!c.querySelector('.ks-bars') : !!c.querySelector('.main-svg');
  return plots.length >= charts && plots.every(drawn)
    && (!deck || !!document.querySelector('[data-testid="stDeckGlJsonChart"] canvas'));
}"""
# The version a page shows: the first data caption of the main area reads
# "기준일 2018-12-31 · 버전 3 …" (`i18n.source_caption`, Korean, the default language).
# Not the sidebar's 기준일 box: its label of the latest version is not redrawn
# when a new version arrives while the option stays "latest" (it keeps saying
# "버전 2" while the page shows version 3).
SHOWN_VERSION = """() => {
  for (const caption of document.querySelectorAll('[data-testid="stMain"] [data-testid="stCaptionContainer"]')) {
    const found = caption.innerText.match(/기준일 \\S+ · 버전 (\\d+)/);
    if (found) return Number(found[1]);
  }
  return null;
}"""
# Charts each page draws (plotly or Vega-Lite; tests/test_browser.py CHARTS); the Map also has its deck.gl canvas.
PAGE_CHARTS = {"overview": 2, "map": 1}


def workbook(n_projects: int, seed: int = SEED, *, excel_saved: bool = False) -> Path:
    """The synthetic workbook of `n_projects` (fixed seed), generated once and kept.

    openpyxl writes text inline; `excel_saved` gives the same workbook with its
    text in a shared-strings table, as Excel saves it (and analysts upload).
    """
    from devkit import synthetic

    path = BENCH_DIR / f"synthetic_{n_projects}_seed{seed}{'_excel' if excel_saved else ''}.xlsx"
    if not path.exists():
        data = (synthetic.with_shared_strings(workbook(n_projects, seed).read_bytes()) if excel_saved
                else synthetic.workbook_bytes(n_projects, seed))
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(path)  # never leave a half-written file under the cached name
    return path


def seed_store(url: str, n_projects: int, seed: int = SEED) -> dict:
    """Fill the empty store at `url` with two versions of the synthetic portfolio.

    Version 1 is an older state of the projects (`metrics_bench.older_version`:
    stages a step back, values and dates changed, ids added and removed),
    dated before the last steering committee; version 2 is the workbook as
    validated, so the Overview, the briefing and the deck have changes to show.
    Returns the validated frames of version 2.
    """
    from benchmarks.metrics_bench import older_version
    from ksmart.auth import Actor
    from ksmart.ingest.validation import validate_workbook
    from ksmart.store import open_store

    result = validate_workbook(workbook(n_projects, seed))
    if not result.ok:
        raise RuntimeError(f"the synthetic workbook did not validate: {result.errors[0].message('en')}")
    older = {**result.frames, "projects": older_version(result.frames["projects"])}
    actor = Actor("bench", "analyst")
    with open_store(url) as store:
        store.import_frames(older, mode="replace", reference_date=OLDER_DATE, user=actor, note="bench: older")
        store.import_frames(result.frames, mode="replace", reference_date=CURRENT_DATE, user=actor,
                            sha256=result.sha256, note="bench: current")
    return result.frames


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run SCRIPT` on a free 127.0.0.1 port, started from the project
    folder (so .streamlit/config.toml applies), with `env` added to ours.

    Use as a context manager; `url` is the base URL once it answers its health
    check; the output goes to `log` (a path) and `log_text()` reads it.
    """

    def __init__(self, script: str | Path, *, env: dict | None = None, log: Path | None = None,
                 port: int | None = None, start_timeout: float = 60):
        self.script, self.env = str(script), env or {}
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log or BENCH_DIR / f"streamlit_{self.port}.log"
        self.start_timeout = start_timeout
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", self.script, "--server.port", str(self.port),
                 *STREAMLIT_FLAGS],
                cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **self.env}, stdout=out,
                stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1).status == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"streamlit did not start ({self.script}):\n{self.log_text()[-2000:]}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def cpu_seconds(self) -> float | None:
        """CPU time the server process has used so far (Linux /proc), None when unknown."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
        except (OSError, AttributeError, IndexError, ValueError):
            return None

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def chromium_problem() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium; .ci/run does)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


def chromium(playwright, *extra_flags: str):
    """Launch Debian's chromium through a playwright instance (sync or async API)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_FLAGS, *extra_flags])


def outside(urls) -> list[str]:
    """Requests to anywhere but this machine (blob: URLs carry their origin)."""
    bad = []
    for url in urls:
        parts = urlsplit(url.removeprefix("blob:"))
        if parts.scheme not in ("data",) and parts.hostname != "127.0.0.1":
            bad.append(url)
    return bad


def load_average() -> tuple[float, float, float]:
    return tuple(round(x, 2) for x in os.getloadavg())
