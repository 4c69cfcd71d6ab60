"""The deck renders outside PowerPoint: LibreOffice converts it to PDF, pdftoppm to PNG pages.

The pages are kept under artifacts/deck/ (git-ignored) for people to look
at: the sample deck in Korean and English, the deck of an empty selection,
and one with 60-character names. Needs Debian's libreoffice-impress and
poppler-utils: skipped without them, except in CI (CI=true), where a
missing renderer is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from pptx import Presentation

from tests.decks import LONG_KO, NOTHING, longer
from tests.ui_fixtures import ROOT

ARTIFACTS = ROOT / "artifacts" / "deck"
pytestmark = pytest.mark.slow


def _tool(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    reason = f"{names[0]} is not installed (Debian: apt-get install libreoffice-impress poppler-utils)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def render(prs_bytes: bytes, name: str, profile: Path) -> list[Path]:
    """Write `name`.pptx, convert it to PDF and PNG pages; returns the pages."""
    soffice, pdftoppm = _tool("soffice", "libreoffice"), _tool("pdftoppm")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pptx = ARTIFACTS / f"{name}.pptx"
    pptx.write_bytes(prs_bytes)
    # A profile of its own: a LibreOffice already running for the user would otherwise take the job.
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(ARTIFACTS), str(pptx)], check=True, capture_output=True, timeout=300)
    pdf = ARTIFACTS / f"{name}.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000
    pages = ARTIFACTS / name
    shutil.rmtree(pages, ignore_errors=True)
    pages.mkdir()
    subprocess.run([pdftoppm, "-png", "-r", "80", str(pdf), str(pages / "slide")], check=True, timeout=300)
    return sorted(pages.glob("slide-*.png"))


def _deck(deck_sample, **kw) -> bytes:
    from ksmart.present import deck

    kw.setdefault("old_snapshot", deck_sample.old)
    kw.setdefault("comparison", deck_sample.comparison)
    return deck.build_deck(kw.pop("snapshot", deck_sample.new), **kw)


@pytest.mark.parametrize("name, options", [
    ("sample_ko", {}),
    ("sample_en", {"lang": "en"}),
    ("empty_selection", {"filters": NOTHING}),
    ("long_names", {"long": True}),
])
def test_libreoffice_converts_the_deck(deck_sample, tmp_path, name, options):
    if options.pop("long", False):
        options = {"snapshot": longer(deck_sample.new, LONG_KO), "old_snapshot": longer(deck_sample.old, LONG_KO)}
    data = _deck(deck_sample, **options)
    pages = render(data, f"deck_{name}", tmp_path / "profile")
    assert len(pages) == len(Presentation(BytesIO(data)).slides)
