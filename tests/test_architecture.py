"""The arrows of ../shared/spec/architecture.md hold: import-linter's contracts in `.importlinter`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")


def lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--no-cache"], cwd=root, capture_output=True, text=True, timeout=120)


def test_every_contract_is_kept():
    run = lint(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("analytics/metrics.py", "import ksmart.store", "Analytics is pure"),
    ("analytics/changes.py", "import pathlib", "Analytics is pure"),
    ("ingest/values.py", "import ksmart.analytics", "Layers"),
    ("present/charts.py", "import ksmart.store", "Present gets frames"),
    ("store/codec.py", "import streamlit", "Streamlit only"),
    ("reference.py", "import ksmart.countries", "Layers"),
])
def test_a_wrong_arrow_breaks_a_contract(tmp_path, module, line, contract):
    """The contracts can fail: the same tree with one forbidden import added is refused."""
    shutil.copytree(ROOT / "ksmart", tmp_path / "ksmart", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    target = tmp_path / "ksmart" / module
    target.write_text(line + "\n" + target.read_text())
    run = lint(tmp_path)
    assert run.returncode != 0
    broken = [ln for ln in run.stdout.splitlines() if ln.endswith("BROKEN")]
    assert any(name.startswith(contract) for name in broken), run.stdout
