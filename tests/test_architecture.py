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


# What import-linter cannot see: builtins and pandas' own readers and writers.
FILE_CALLS = {"open", "read_csv", "read_excel", "read_json", "read_parquet", "read_sql", "to_csv", "to_excel",
              "to_json", "to_parquet", "to_sql", "read_text", "write_text", "read_bytes", "write_bytes"}


def file_calls(source: str) -> list[str]:
    import ast

    calls = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in FILE_CALLS:
                calls.append(f"{name} (line {node.lineno})")
    return calls


def test_analytics_reads_and_writes_no_file():
    found = {p.name: file_calls(p.read_text()) for p in (ROOT / "ksmart" / "analytics").glob("*.py")}
    assert len(found) >= 3 and not any(found.values()), found


@pytest.mark.parametrize("line", ["open('x').read()", "frame.to_csv('x.csv')", "pd.read_excel(path)"])
def test_a_file_call_in_analytics_is_caught(line):
    assert file_calls(f"def f(frame, path):\n    return {line}\n")
