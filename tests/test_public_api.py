"""`ksmart`'s public API: the names it exports, imported lazily, with no effect on the process."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest

import ksmart
from tests.ui_fixtures import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample" / "pipeline_2016-06-30.xlsx"

PUBLIC = {
    "validate_workbook": "ksmart.ingest.validation.validate_workbook",
    "ValidationResult": "ksmart.ingest.validation.ValidationResult",
    "open_store": "ksmart.store.open_store",
    "Store": "ksmart.store.Store",
    "summary": "ksmart.analytics.metrics.summary",
    "Filters": "ksmart.analytics.metrics.Filters",
    "compare": "ksmart.analytics.changes.compare",
    "briefing": "ksmart.analytics.briefing.sentences",
    "actions_summary": "ksmart.analytics.followup.summary",
    "build_deck": "ksmart.present.deck.build_deck",
    "KsmartError": "ksmart.errors.KsmartError",
}


def _python(code: str) -> dict:
    """Run `code` in a fresh interpreter at the repository root; it prints one JSON line."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_public_names_are_pinned():
    assert ksmart.__all__ == list(PUBLIC)
    assert set(PUBLIC) <= set(dir(ksmart))


@pytest.mark.parametrize("name", PUBLIC)
def test_each_public_name_is_its_home_modules_object(name):
    module, _, attribute = PUBLIC[name].rpartition(".")
    assert getattr(ksmart, name) is getattr(importlib.import_module(module), attribute)


def test_an_unknown_name_is_an_attribute_error_and_submodules_still_import():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        ksmart.nope  # noqa: B018
    from ksmart import countries, reference  # submodules, not exports

    assert countries.REGIONS and reference.STAGES


def test_importing_ksmart_loads_no_heavy_dependency_and_keeps_arrows_pool():
    got = _python(
        "import json, sys\n"
        "import pyarrow as pa\n"
        "before = pa.default_memory_pool().backend_name\n"
        "import ksmart, ksmart.settings, ksmart.reference, ksmart.errors\n"
        "heavy = [m for m in ('pandas', 'plotly', 'pptx', 'sqlalchemy', 'streamlit', 'openpyxl') if m in sys.modules]\n"
        "print(json.dumps({'before': before, 'after': pa.default_memory_pool().backend_name, 'heavy': heavy}))\n")
    assert got["heavy"] == []
    assert got["after"] == got["before"] != "system"  # pyarrow's own default (mimalloc or jemalloc)


def test_a_public_name_imports_only_what_it_needs():
    got = _python("import json, sys, ksmart\n"
                  "ksmart.summary\n"
                  "print(json.dumps([m for m in ('plotly', 'pptx', 'sqlalchemy', 'streamlit') if m in sys.modules]))\n")
    assert got == []


def test_the_cli_switches_arrow_to_malloc_before_reading_a_workbook():
    got = _python("import json\n"
                  "import pyarrow as pa\n"
                  "from ksmart.cli import main\n"
                  "before = pa.default_memory_pool().backend_name\n"
                  f"code = main(['validate', {str(SAMPLE)!r}])\n"
                  "print(json.dumps({'before': before, 'after': pa.default_memory_pool().backend_name, 'code': code}))\n")
    assert got["code"] == 0
    assert got["before"] != "system" and got["after"] == "system"


def test_the_app_switches_arrow_to_malloc(sample_store, monkeypatch):
    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.mimalloc_memory_pool())  # Arrow's default, as a fresh server process starts
    try:
        app(sample_store, monkeypatch)
        assert pa.default_memory_pool().backend_name == "system"
    finally:
        pa.set_memory_pool(previous)
