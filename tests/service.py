"""The app as the service runs it: the systemd unit's ExecStart, started from
any interpreter and folder, and the nginx example in front of replicas.

Used by test_ops.py, test_offline_guard.py and test_bundle.py, so that what
they start is what deploy/ksmart@.service and deploy/nginx.conf say.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UNIT = ROOT / "deploy" / "ksmart@.service"
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
UNIT_PYTHON = "/opt/ksmart/current/venv/bin/python"


def unit_entries(path: Path = UNIT) -> list[tuple[str, str]]:
    """(key, value) of every assignment in the unit, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", path.read_text())
    entries = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";", "[")) and "=" in line:
            key, value = line.split("=", 1)
            entries.append((key.strip(), value.strip()))
    return entries


def unit_value(key: str) -> str:
    values = [v for k, v in unit_entries() if k == key]
    assert len(values) == 1, f"{key}: {values}"
    return values[0]


def exec_start(python: str, port: int) -> list[str]:
    """The unit's ExecStart for instance `port`, run by `python` instead of the installed venv's."""
    argv = shlex.split(unit_value("ExecStart").replace("%i", str(port)))
    assert argv[0] == UNIT_PYTHON, argv
    return [python, *argv[1:]]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_app(store_url: str, log_dir: Path, env: dict | None = None):
    """`streamlit run server.py` (the st.App entry, as `make run` and the unit start it) on a
    free loopback port over `store_url`, with `env` added; yields its base URL."""
    port = free_port()
    log = log_dir / "streamlit.log"
    process = start([sys.executable, "-m", "streamlit", "run", "server.py", "--server.headless", "true",
                     "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats",
                     "false"], ROOT, {**os.environ, "KSMART_DB_URL": store_url, **(env or {})}, log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, process, log)
        yield base
    finally:
        stop(process)


def start(argv: list[str], cwd: Path, env: dict, log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_healthy(base: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"exited with {process.returncode}: {log.read_text()[-3000:]}")
        try:
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).status == 200:
                return
        except OSError:
            time.sleep(0.25)
    pytest.fail(f"not healthy after {seconds:g} s: {log.read_text()[-3000:]}")


def stop(*processes: subprocess.Popen) -> None:
    for p in processes:
        if p.poll() is None:
            p.terminate()
    for p in processes:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def nginx_or_skip() -> str:
    """The nginx binary; missing, the test is skipped, except in CI (.ci/run installs it)."""
    for candidate in ("nginx", "/usr/sbin/nginx"):
        found = subprocess.run(["sh", "-c", f"command -v {candidate}"], capture_output=True, text=True).stdout.strip()
        if found:
            return found
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail("nginx is missing; .ci/run installs nginx-light")
    pytest.skip("nginx is not installed (apt-get install nginx-light); CI runs this test")


def nginx_main_conf(folder: Path, *, listen: int | None = None, upstreams: list[int] | None = None) -> Path:
    """A main nginx.conf in `folder` that includes deploy/nginx.conf as conf.d would.

    With `listen` and `upstreams`, a copy of the example listening on
    127.0.0.1:listen in front of 127.0.0.1:<each upstream>, logging the
    upstream and route cookie of every request to access.log.
    """
    folder.mkdir(parents=True, exist_ok=True)
    site = NGINX_CONF
    if listen is not None:
        text = NGINX_CONF.read_text()
        servers = re.findall(r"^\s*server 127\.0\.0\.1:\d+ .*;$", text, flags=re.M)
        assert len(servers) >= 2, "the example has several replicas"
        text = text.replace(servers[0], "\n".join(
            re.sub(r"127\.0\.0\.1:\d+", f"127.0.0.1:{p}", servers[0]) for p in upstreams))
        for extra in servers[1:]:
            text = text.replace(extra + "\n", "")
        text = re.sub(r"^(\s*)listen 80;$", rf"\1listen 127.0.0.1:{listen};", text, flags=re.M)
        site = folder / "ksmart.conf"
        site.write_text(text)
    root_user = "user root;\n" if os.geteuid() == 0 else ""  # workers must reach the test's private tmp
    conf = folder / "nginx.conf"
    conf.write_text(f"""{root_user}daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 256; }}
http {{
    log_format route '$upstream_addr $cookie_ksmart_route $status $request_uri';
    access_log {folder}/access.log route;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    include {site};
}}
""")
    return conf


def nginx_upstream_idle_seconds() -> float:
    """How long the example's nginx keeps an idle connection to a replica (upstream keepalive_timeout)."""
    upstream = re.search(r"^upstream ksmart \{(.*?)^\}", NGINX_CONF.read_text(), flags=re.M | re.S).group(1)
    found = re.findall(r"^\s*keepalive_timeout (\d+)s;", upstream, flags=re.M)
    assert len(found) == 1, "the upstream block sets keepalive_timeout in seconds"
    return float(found[0])


def replica_idle_seconds() -> float:
    """How long a replica (Streamlit on uvicorn) keeps an idle connection: uvicorn's default, untouched."""
    import uvicorn
    from streamlit.web.server.starlette import starlette_server

    assert "timeout_keep_alive" not in starlette_server._get_uvicorn_config_kwargs()
    return float(uvicorn.Config(app=None).timeout_keep_alive)
