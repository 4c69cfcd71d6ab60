"""The offline bundle: built by one command, installed by one command with
every package index out of reach, and the installed app runs.

`scripts/make_bundle.py` builds the tarball into a temporary folder (pip's
cache makes this quick after the first time). `install.sh` then installs it
into a fresh prefix with PIP_NO_INDEX=1, PIP_FIND_LINKS naming only the
bundle, PIP_INDEX_URL pointing at a closed port, and a socket guard in block
mode on every Python process (pip included): any outside attempt fails the
install and is logged. From the installed venv: seed and summary, the upgrade
path (a store of the previous schema backed up and migrated), and the
dashboard started as the systemd unit starts it, from the installed folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import urllib.request
from pathlib import Path

import pytest

from ksmart.store import schema
from tests.chromium import CHROMIUM, FLAGS, VIEWPORT, Browser, check_page, outside
from tests.service import exec_start, free_port, start, stop, wait_healthy
from tests.socket_guard import attempts, guard_env, loaded_pids
from tests.store_backends import dump_without_migrating, previous_schema_store

pytestmark = [pytest.mark.bundle, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
VERSION = "0.0.0-test"
BASE_PYTHON = getattr(sys, "_base_executable", sys.executable)  # the interpreter behind this venv


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """The extracted bundle folder (built once for the module)."""
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_bundle.py"), "--version", VERSION,
                           "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    tarball = Path(done.stdout.strip().splitlines()[-1])
    assert tarball == out / f"ksmart-offline-{VERSION}-py311-x86_64.tar.gz"
    check = subprocess.run(["sha256sum", "-c", tarball.name + ".sha256"], cwd=out, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    with tarfile.open(tarball) as tar:
        tar.extractall(out, filter="tar")
    return out / f"ksmart-offline-{VERSION}"


def offline_env(bundle: Path, guard: dict) -> dict:
    """No index reachable: pip may only read the bundle's wheels."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "KSMART_", "VIRTUAL_ENV"))}
    return {**env, **guard, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(bundle / "wheels"),
            "PIP_INDEX_URL": "http://127.0.0.1:9/simple", "PIP_EXTRA_INDEX_URL": "", "PIP_CONFIG_FILE": os.devnull,
            "KSMART_ENV_FILE": os.devnull, "HOME": str(bundle.parent)}


def test_bundle_contents(bundle):
    names = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    for needed in ("install.sh", "SHA256SUMS", "requirements.lock", "app/app.py", "app/VERSION",
                   "app/.streamlit/config.toml", "app/data/country_aliases.csv", "app/ksmart/cli/commands_ops.py", "app/ksmart/catalogue/ko.toml", "app/ksmart/catalogue/en.toml",
                   "deploy/ksmart@.service", "deploy/nginx.conf", "deploy/ksmart.env"):
        assert needed in names
    assert {f"app/pages/{p.name}" for p in (ROOT / "pages").glob("*.py")} <= names
    assert len(list((ROOT / "data" / "sample").glob("*.xlsx"))) == len([n for n in names if n.startswith(
        "app/data/sample/") and n.endswith(".xlsx")])
    assert not any(n.endswith((".db", ".pyc", "secrets.toml")) or "__pycache__" in n for n in names)
    wheels = [n for n in names if n.startswith("wheels/")]
    assert all(n.endswith(".whl") for n in wheels)  # nothing to compile on the server
    assert all(n.endswith("-any.whl") or ("manylinux" in n and n.endswith("_x86_64.whl")) for n in wheels), wheels
    listed = {line.split("  ", 1)[1] for line in (bundle / "SHA256SUMS").read_text().splitlines()}
    assert listed == names - {"SHA256SUMS"}
    lock = (bundle / "requirements.lock").read_text().split()
    assert any(p.startswith("streamlit==") for p in lock) and any(p.startswith("pip==") for p in lock)


def test_install_refuses_a_changed_bundle(bundle, tmp_path):
    target = bundle / "app" / "app.py"
    original = target.read_bytes()
    try:
        target.write_bytes(original + b"\n# changed\n")
        done = subprocess.run(["bash", str(bundle / "install.sh"), "--prefix", str(tmp_path / "opt"),
                               "--python", BASE_PYTHON], capture_output=True, text=True, timeout=120)
    finally:
        target.write_bytes(original)
    assert done.returncode == 1 and "app/app.py: FAILED" in done.stdout + done.stderr
    assert not (tmp_path / "opt" / "releases" / VERSION).exists()


@pytest.fixture(scope="module")
def installed(bundle, tmp_path_factory):
    """(prefix, guard log): the bundle installed offline, under a blocking socket guard."""
    prefix = tmp_path_factory.mktemp("opt")
    guard, log = guard_env(tmp_path_factory.mktemp("guard-install"), block=True)
    done = subprocess.run(["bash", str(bundle / "install.sh"), "--prefix", str(prefix), "--python", BASE_PYTHON],
                          env=offline_env(bundle, guard), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert attempts(log) == []
    assert len(loaded_pids(log)) >= 3  # venv python, the bootstrap pip, pip install, the checks
    return prefix


def test_installed_from_the_bundle_alone(installed, bundle):
    current = installed / "current"
    assert current.resolve() == (installed / "releases" / VERSION).resolve()
    python = current / "venv" / "bin" / "python"
    freeze = subprocess.run([str(python), "-m", "pip", "freeze", "--all"], capture_output=True, text=True,
                            env={**os.environ, "PIP_CONFIG_FILE": os.devnull}, check=True).stdout
    wanted = {p.lower() for p in (bundle / "requirements.lock").read_text().split()}
    got = {line.lower().replace("_", "-") for line in freeze.split()}
    assert got == wanted, (got ^ wanted)
    assert (current / "app" / "VERSION").read_text().strip() == VERSION
    # ksmart comes from the installed app folder (the venv's .pth), whatever the working directory.
    where = subprocess.run([str(python), "-c", "import ksmart; print(ksmart.__file__)"], cwd="/",
                           capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where) == (installed / "releases" / VERSION / "app" / "ksmart" / "__init__.py")


def ksmart(installed: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """bin/ksmart of the installed release, run from an unrelated folder."""
    return subprocess.run([str(installed / "current" / "bin" / "ksmart"), *args], cwd="/", capture_output=True,
                          text=True, timeout=300, env={**os.environ, "KSMART_ENV_FILE": os.devnull, **(env or {})})


def test_seed_and_summary_from_the_installed_venv(installed, tmp_path):
    url = f"sqlite:///{tmp_path / 'ksmart.db'}"
    seeded = ksmart(installed, "--db", url, "seed")
    assert seeded.returncode == 0, seeded.stderr
    summary = ksmart(installed, "--db", url, "summary", "--json")
    assert summary.returncode == 0, summary.stderr
    metrics = json.loads(summary.stdout)
    assert metrics["version"] == len(list((ROOT / "data" / "sample").glob("*.xlsx"))) and metrics["projects"] > 0
    # The wrapper reads the store from the settings file, as the service does.
    settings = tmp_path / "ksmart.env"
    settings.write_text(f"KSMART_DB_URL={url}\n")
    again = ksmart(installed, "summary", "--json", env={"KSMART_ENV_FILE": str(settings)})
    assert json.loads(again.stdout) == metrics


def test_upgrade_backs_up_and_migrates_a_store_of_the_previous_schema(installed, tmp_path):
    url = f"sqlite:///{tmp_path / 'store' / 'ksmart.db'}"
    before, versions, _ = previous_schema_store(url)
    done = ksmart(installed, "--db", url, "migrate", "--backup-dir", str(tmp_path / "backups"))
    assert done.returncode == 0, done.stderr
    copy = Path(done.stdout.strip())
    assert dump_without_migrating(f"sqlite:///{copy}") == (schema.MIGRATIONS[-2][0], before)
    listed = ksmart(installed, "--db", url, "versions", "--json")
    assert [v["version"] for v in json.loads(listed.stdout)] == [v.number for v in versions]
    assert dump_without_migrating(url)[0] == schema.SCHEMA_VERSION


def test_the_installed_dashboard_starts_as_the_service_does(installed, tmp_path):
    url = f"sqlite:///{tmp_path / 'ksmart.db'}"
    assert ksmart(installed, "--db", url, "seed").returncode == 0
    guard, log = guard_env(tmp_path / "guard")
    port = free_port()
    app_dir = installed / "current" / "app"
    python = str(installed / "current" / "venv" / "bin" / "python")
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, **guard, "KSMART_DB_URL": url}
    server = start(exec_start(python, port), app_dir, env, tmp_path / "app.log")
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, server, tmp_path / "app.log")
        page = urllib.request.urlopen(f"{base}/", timeout=10).read().decode()
        assert "<html" in page.lower() and "static/js/" in page
        assert urllib.request.urlopen(f"{base}/_stcore/health", timeout=10).read() == b"ok"
        if Path(CHROMIUM).exists():  # the pages render from the installed files: data, geometry
            _pages_render(base)
    finally:
        stop(server)
    assert server.pid in loaded_pids(log)
    assert attempts(log) == []


def _pages_render(base: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            browser = Browser(chromium.new_page(viewport=VIEWPORT, locale="ko-KR"), base)
            for key in ("overview", "map"):
                browser.show(key)
                check_page(browser.page, key, "ko")
            assert outside(browser.requests) == []
        finally:
            chromium.close()
