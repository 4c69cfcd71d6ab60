"""A far cell never aborts nor bloats the process (issue 18, point 1).

Each case runs `python -m ksmart validate FILE --json` in a child process whose
address space is capped (`resource.setrlimit(RLIMIT_AS)`): before issue 18 a
cell at XFD1048576 made calamine ask for 512 GB and abort (exit 134), one at
GR100000 cost 600 MB. Now the process answers 0, 1 or 2, with JSON, and the
sheet whose real extent is over the limits is refused naming the cell.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ksmart.ingest import sheet_blocks
from ksmart.ingest.validation import validate_workbook
from tests.corpus_realworld import FAR_CELLS, far_cell

ROOT = Path(__file__).resolve().parent.parent
# The CLI itself peaks near 430 MB of address space (Python, numpy, pandas, pyarrow mapped);
# the whole-rectangle read of GR100000 alone needed 600 MB more.
MEMORY_CAP = 900 * 1024 * 1024
CAPPED = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap})); "
          "from ksmart.cli import main; sys.exit(main())")


def run_capped(path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CAPPED.format(cap=MEMORY_CAP), *args, str(path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


@pytest.mark.parametrize("case", list(FAR_CELLS))
def test_a_far_cell_gets_an_answer_under_a_memory_cap(case, tmp_path):
    ref, dimension = FAR_CELLS[case]
    path = tmp_path / "far.xlsx"
    path.write_bytes(far_cell(ref, dimension))
    done = run_capped(path, "--lang", "en", "validate", "--json")
    assert done.returncode in (0, 1, 2), done.stderr[-2000:]
    assert "Traceback" not in done.stderr and "memory allocation" not in done.stderr
    report = json.loads(done.stdout)
    if ref == "XFD1048576":  # beyond the limits: refused, and the message says where
        assert done.returncode == 2
        assert [e["code"] for e in report["errors"]] == ["too_many_rows"]
        assert "XFD1048576" in report["errors"][0]["message"] and "Projects" in report["errors"][0]["message"]
    else:  # inside the limits: an ordinary validation of the two projects
        assert done.returncode == 0, report["errors"]
        assert report["counts"] == {"projects": 2}


@pytest.mark.parametrize("ref", ["GR100000", "CV50000"])
def test_a_stray_cell_inside_the_limits_costs_a_piece_of_its_own(ref, monkeypatch):
    """calamine is never given the rectangle up to the stray cell: each piece it reads is small."""
    areas = []
    parse = sheet_blocks.SheetBlocks._parse

    def measured(self, head, body, tail, members):
        block = parse(self, head, body, tail, members)
        if block is not None:
            areas.append(len(block.rows) * max(map(len, block.rows), default=0))
        return block

    monkeypatch.setattr(sheet_blocks.SheetBlocks, "_parse", measured)
    result = validate_workbook(far_cell(ref, None))
    assert result.ok and result.counts == {"projects": 2}
    assert max(areas) < 70_000  # rows × padded columns calamine returned, per piece (was 20 million)
