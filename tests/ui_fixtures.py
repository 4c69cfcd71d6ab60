"""Helpers for the dashboard tests: the sample files, the users, seeding a store
(conftest.py's `sample_store` and `empty_store` use `seed` and `add_users`),
`app(url)`, an AppTest of app.py reading that store, signing in, and what a
reader sees of a page's charts.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_FILES = sorted((ROOT / "data" / "sample").glob("pipeline_*.xlsx"))  # names sort by date
PAGE_FILES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))
HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")


ANALYST = ("analyst1", "password-analyst")
ADMIN = ("admin1", "password-admin")
VIEWER = ("viewer1", "password-viewer")


def seed(url: str) -> None:
    """Load the sample workbooks into the store at `url` as `python -m ksmart seed` does."""
    from ksmart.cli import main

    assert main(["--db", url, "seed"]) == 0
    add_users(url)


def add_users(url: str) -> None:
    """One user per role, as `python -m ksmart user add` makes them."""
    from ksmart.auth import cli_actor
    from ksmart.store import open_store

    with open_store(url) as store:
        for (name, password), role in ((ANALYST, "analyst"), (ADMIN, "admin"), (VIEWER, "viewer")):
            store.add_user(name, role, password, by=cli_actor())


def sign_in(at, user: tuple[str, str] = ANALYST):
    """Sign in as the sign-in route does (a session in the store), and let the AppTest's
    browser present the cookie: AppTest cannot send cookies, so `app()` stands in for
    `ksmart.ui.cookie.from_browser` with this test's cookie jar. Raises PermissionDenied
    for a wrong password (tests/test_security_http.py posts the form itself)."""
    import os

    from ksmart.store import open_store

    with open_store(os.environ["KSMART_DB_URL"]) as store:
        _actor, token = store.open_session(*user, client="apptest")
    at.cookie_jar["token"] = token
    return at.run()


def sign_out(at):
    """The browser drops the cookie (the sign-out route also deletes the session's row)."""
    at.cookie_jar.clear()
    return at.run()


@functools.cache
def component_scan():
    """Streamlit's v2 components found in the installed distributions, scanned once.

    A new AppTest scans every installed distribution's metadata at its first run
    (about 0.4 s of CPU, a third of a short page test); `streamlit run` does it
    once per process, and the answer cannot change during a test session.
    """
    from streamlit.components.v2.component_manager import BidiComponentManager

    manager = BidiComponentManager()
    manager.discover_and_register_components(start_file_watching=False)
    return manager


def share_component_scan(at) -> None:
    """Give `at` the session's one component scan. Streamlit has no public switch for it, so
    this sets AppTest's private `_bidi_component_manager`, which it reads when it is None;
    it fails loudly (every page test with it) when Streamlit renames or drops the attribute."""
    assert getattr(at, "_bidi_component_manager", "missing") is None, (
        "streamlit.testing.v1.AppTest no longer has _bidi_component_manager: drop share_component_scan")
    at._bidi_component_manager = component_scan()


def app(url: str, monkeypatch, *, query: dict | None = None):
    """An AppTest of app.py on the store at `url`, first run done."""
    from streamlit.testing.v1 import AppTest

    from ksmart.ui import cookie

    monkeypatch.setenv("KSMART_DB_URL", url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.cookie_jar = {}  # what this test's browser would present (sign_in)
    monkeypatch.setattr(cookie, "from_browser", lambda: at.cookie_jar.get("token"))
    share_component_scan(at)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def bar_charts(at) -> list[str]:
    """The HTML of each bar chart (`ksmart.present.htmlcharts`) on the current page, in page order."""
    import re

    bodies = [h.value for h in at.get("html") if 'class="ks-row"' in h.value]
    return [m.group(0) for body in bodies for m in re.finditer(r'<figure class="ks-chart.*?</figure>', body, re.S)]


def html_texts(chart: str) -> list[str]:
    """What a reader sees of a bar chart's HTML: its texts and tooltips, unescaped."""
    import html
    import re

    texts = [t for t in re.split(r"<[^>]+>", chart) if t.strip()]
    texts += re.findall(r'(?:title|aria-label)="([^"]*)"', chart)
    return [html.unescape(t) for t in texts]


def plotly_specs(at) -> list[dict]:
    """The figure JSON of every `st.plotly_chart` on the current page."""
    import json

    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def chart_configs(at) -> list[dict]:
    """The plotly config of every chart on the current page, in `plotly_specs` order."""
    import json

    return [json.loads(chart.proto.config) for chart in at.get("plotly_chart")]


def values(array) -> list:
    """A trace's data array as a list: plotly writes numbers as typed arrays ({"dtype", "bdata"})."""
    if isinstance(array, dict) and "bdata" in array:
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def figure_texts(spec: dict) -> list[str]:
    """What a reader sees on a figure apart from hover labels: title and
    subtitle, axis titles and tick labels, legend entries, category labels
    and bar texts."""
    layout = spec.get("layout", {})
    title = layout.get("title", {})
    texts = [title.get("text"), (title.get("subtitle") or {}).get("text")]
    for key, axis in layout.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            texts.append((axis.get("title") or {}).get("text"))
            texts.extend(axis.get("ticktext") or ())
            texts.extend(axis.get("categoryarray") or ())
    for trace in spec.get("data", []):
        texts.append(trace.get("name"))
        for attr in ("x", "y", "text"):
            values = trace.get(attr)
            if isinstance(values, list):
                texts.extend(v for v in values if isinstance(v, str))
    return [t for t in texts if isinstance(t, str) and t]
