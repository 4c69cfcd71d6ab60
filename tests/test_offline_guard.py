"""The app's Python process opens no connection to another machine while it
serves every page: run as the service runs it (the unit's ExecStart) under a
socket guard (tests/socket_guard.py), with every page loaded in Chromium,
directly and through the nginx example in front of two replicas.

The browser side (no request leaves 127.0.0.1) is test_browser.py's; this adds
the server side: no geometry, font, tile or telemetry fetch, no "external IP"
lookup, no first-run download. Through nginx it also shows that the WebSocket
upgrade works (pages only render over it), that the Host header keeps
Streamlit's same-origin check local, and that a browser stays on one replica.
"""

from __future__ import annotations

import collections
import itertools
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ksmart import i18n
from ksmart.ui.pages import PAGES
from tests import workbooks as wb
from tests.chromium import CHROMIUM, FLAGS, VIEWPORT, Browser, check_page, chromium_or_skip, outside
from tests.service import (exec_start, free_port, nginx_main_conf, nginx_or_skip, nginx_upstream_idle_seconds,
                           replica_idle_seconds, start, stop, wait_healthy)
from tests.socket_guard import attempts, guard_env, loaded_pids
from tests.ui_fixtures import ANALYST, ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_guard_sees_outside_attempts(tmp_path):
    env_add, log = guard_env(tmp_path / "guard", block=True)
    code = """
import socket
for attempt in (lambda: socket.getaddrinfo("pypi.org", 443),
                lambda: socket.socket().connect(("192.0.2.1", 80))):
    try:
        attempt()
    except OSError:
        pass
socket.getaddrinfo("localhost", 80)
"""
    done = subprocess.run([sys.executable, "-c", code], env={**os.environ, **env_add}, capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    seen = attempts(log)
    assert [line.split(" pid=")[0] for line in seen] == ["getaddrinfo pypi.org:443", "connect 192.0.2.1:80"]


@dataclass
class Deployment:
    base: str
    log: Path
    servers: list[subprocess.Popen]
    access_log: Path | None = None
    replicas: list[int] = field(default_factory=list)


@pytest.fixture(scope="module", params=["direct", "nginx"])
def deployment(request, sample_store, tmp_path_factory):
    chromium_or_skip()
    nginx = nginx_or_skip() if request.param == "nginx" else None
    folder = tmp_path_factory.mktemp(f"guard-{request.param}")
    env_add, log = guard_env(folder / "guard")
    env = {**os.environ, **env_add, "KSMART_DB_URL": sample_store}
    ports = [free_port() for _ in range(2 if nginx else 1)]
    servers = [start(exec_start(sys.executable, p), ROOT, env, folder / f"app-{p}.log") for p in ports]
    processes = list(servers)
    try:
        for port, server in zip(ports, servers):
            wait_healthy(f"http://127.0.0.1:{port}", server, folder / f"app-{port}.log")
        if not nginx:
            yield Deployment(f"http://127.0.0.1:{ports[0]}", log, servers)
            return
        listen = free_port()
        conf = nginx_main_conf(folder / "nginx", listen=listen, upstreams=ports)
        proxy = start([nginx, "-p", str(conf.parent), "-c", str(conf)], conf.parent, os.environ,
                      conf.parent / "stderr.log")
        processes.append(proxy)
        wait_healthy(f"http://127.0.0.1:{listen}", proxy, conf.parent / "error.log")
        yield Deployment(f"http://127.0.0.1:{listen}", log, servers, conf.parent / "access.log", ports)
    finally:
        stop(*processes)


@pytest.fixture(scope="module")
def browser(deployment):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield Browser(chromium.new_page(viewport=VIEWPORT, locale="ko-KR"), deployment.base)
        chromium.close()


def test_every_page_without_an_outside_connection(deployment, browser, tmp_path):
    for session in ("en", "meeting", "ko"):
        browser.show("overview", session)
        check_page(browser.page, "overview", "en" if session == "en" else "ko")
    for key in [p.key for p in PAGES if p.role is None]:
        browser.show(key, "ko")
        check_page(browser.page, key, "ko")
    # The pages for signed-in roles, and an upload (through nginx: to the session's replica).
    page = browser.page
    page.get_by_text(i18n.t("auth.box", "ko"), exact=True).first.click()
    page.get_by_label(i18n.t("auth.name", "ko")).fill(ANALYST[0])
    page.get_by_label(i18n.t("auth.password", "ko")).fill(ANALYST[1])
    page.get_by_role("button", name=i18n.t("auth.sign_in", "ko"), exact=True).click()
    for key in [p.key for p in PAGES if p.role is not None]:
        browser.show(key, "ko")
        check_page(page, key, "ko")
    workbook = tmp_path / "update.xlsx"
    workbook.write_bytes(wb.messy_valid())
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(workbook))
    page.get_by_text(i18n.t("data.preview", "ko")).wait_for(timeout=60_000)
    page.goto("about:blank")  # closes the WebSocket: nginx logs it when it ends
    browser.session = None
    assert {s.pid for s in deployment.servers} <= loaded_pids(deployment.log), "the guard did not load"
    assert attempts(deployment.log) == []
    assert outside(browser.requests) == []


@pytest.mark.parametrize("deployment", ["nginx"], indirect=True)
def test_nginx_keeps_a_browser_on_one_replica(deployment, browser):
    lines = [line.split() for line in deployment.access_log.read_text().splitlines()]
    # The browser's requests (the test above made them): one route cookie, one replica.
    browser_lines = [f for f in lines if f[1] != "-" and not f[3].startswith("/_stcore/health")]
    assert browser_lines, lines[:5]
    # A request nginx retried on the other replica logs both ("a:1, b:2"), shifting the fields.
    assert len({f[1] for f in browser_lines}) == 1, [" ".join(f) for f in browser_lines if f[0].endswith(",")]
    assert len({f[0] for f in browser_lines}) == 1, collections.Counter(f[0] for f in browser_lines)
    assert any(f[3].startswith("/_stcore/stream") and f[2] == "101" for f in lines), "no WebSocket upgrade"

    # Other browsers (other cookies) spread over both replicas, each one staying put.
    probes = itertools.count()

    def upstream(route: str) -> str:
        uri = f"/_stcore/health?probe={next(probes)}"
        request = urllib.request.Request(deployment.base + uri, headers={"Cookie": f"ksmart_route={route}"})
        urllib.request.urlopen(request, timeout=5).read()
        for _ in range(50):  # nginx logs a request just after answering it
            found = [f[0] for f in map(str.split, deployment.access_log.read_text().splitlines()) if f[3] == uri]
            if found:
                return found[0]
            time.sleep(0.05)
        raise AssertionError(f"{uri} not in the access log")

    first = {route: upstream(route) for route in (f"r{i}" for i in range(16))}
    assert {f"127.0.0.1:{p}" for p in deployment.replicas} == set(first.values())
    assert all(upstream(route) == where for route, where in first.items())


def connections_to(ports: list[int]) -> int:
    """Established IPv4 connections to 127.0.0.1:<port> (both ends are on this machine)."""
    wanted = {f"0100007F:{p:04X}" for p in ports}
    rows = [line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:]]
    return sum(1 for row in rows if row[2] in wanted and row[3] == "01")


@pytest.mark.parametrize("deployment", ["nginx"], indirect=True)
def test_nginx_lets_go_of_an_idle_replica_connection_first(deployment):
    # Just before the replica's idle limit, nginx must have let go of the pooled connection:
    # else a request reusing it can meet the replica's close and move to the other replica.
    assert nginx_upstream_idle_seconds() < replica_idle_seconds() - 0.5
    time.sleep(replica_idle_seconds() + 0.5)  # every earlier pooled connection is closed
    before = connections_to(deployment.replicas)
    urllib.request.urlopen(deployment.base + "/_stcore/health", timeout=5).read()
    assert connections_to(deployment.replicas) == before + 1, "nginx keeps the connection for the next request"
    time.sleep(replica_idle_seconds() - 0.5)
    assert connections_to(deployment.replicas) == before
