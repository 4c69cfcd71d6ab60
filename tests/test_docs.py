"""The README documents every CLI command, every setting and every summary metric."""

from __future__ import annotations

from pathlib import Path

import pytest

from ksmart import settings
from ksmart.analytics import metrics
from ksmart.cli import command_names

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", command_names())
def test_every_cli_command_is_in_the_readme(command):
    assert f"`{command}" in README


@pytest.mark.parametrize("name", sorted(settings.SETTINGS))
def test_every_setting_is_in_the_readme(name):
    assert f"`{name}`" in README


def test_every_summary_metric_is_in_the_readme():
    from tests.portfolio import AS_OF, projects  # the hand-computed fixed portfolio

    keys = set(metrics.summary(projects(), AS_OF))
    missing = {k for k in keys - {"as_of", "version"} if f"`{k}`" not in README}
    assert not missing, f"undocumented metrics: {sorted(missing)}"
