"""Fuzz: the sample workbook's zip and XML mutated; the CLI process never crashes (issue 18, point 7).

Hypothesis mutates the bytes (flips, truncation), the members (renamed to
backslashes, to paths that climb out, to other sheets' names) and the XML
(attribute values: cell references up to XFD1048576, cell types, the date
system, relationship targets). Each example is a batch of mutated files run
through `python -m ksmart validate FILE --json` in one child process under a
memory cap (a batch keeps it fast: one interpreter start for many files); each
file must answer 0, 1 or 2 with JSON, and the process must end normally (a
calamine abort would end it with 134).
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests import workbooks as wb
from tests.examples import examples
from tests.test_far_cells import MEMORY_CAP, ROOT

SAMPLE = wb.messy_valid()
MEMBERS = {info.filename: zipfile.ZipFile(io.BytesIO(SAMPLE)).read(info)
           for info in zipfile.ZipFile(io.BytesIO(SAMPLE)).infolist()}
NAMES = sorted(MEMBERS)
XML_NAMES = [n for n in NAMES if n.endswith((".xml", ".rels"))]
ATTRIBUTE = re.compile(rb'\b(r|t|s|ref|date1904|Target|Type|name|sheetId)="([^"]*)"')
# Each file is validated in the child; one JSON line per file says how it answered.
BATCH = """
import contextlib, io, json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))
from ksmart.cli import main
for path in sys.argv[1:]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--lang", "en", "validate", path, "--json"])
    json.loads(out.getvalue())
    print(json.dumps({{"path": path, "code": code}}))
"""

values = st.sampled_from([b"A1", b"XFD1048576", b"GR100000", b"a1", b"", b"-1", b"1", b"s", b"str", b"inlineStr",
                          b"e", b"true", b"../../x", b"/xl/workbook.xml", b"\\xl\\x.xml", b"A1:XFD1048576",
                          b"99999999999", b"\xff\xfe"])
byte_flips = st.lists(st.tuples(st.integers(0, len(SAMPLE) - 1), st.integers(0, 255)), min_size=1, max_size=6)
renames = st.tuples(st.sampled_from(NAMES), st.sampled_from(["xl\\workbook.xml", "../../tmp/x", "/abs.xml",
                                                               "XL/WORKBOOK.XML", "xl/worksheets/sheet9.xml",
                                                               "xl/sharedStrings.xml", "x"]))
edits = st.lists(st.tuples(st.sampled_from(XML_NAMES), st.integers(0, 10_000), values), min_size=1, max_size=6)
mutation = st.one_of(
    st.tuples(st.just("flip"), byte_flips),
    st.tuples(st.just("truncate"), st.integers(0, len(SAMPLE))),
    st.tuples(st.just("rename"), renames),
    st.tuples(st.just("attributes"), edits),
)


def mutated(kind: str, how) -> bytes:
    if kind == "flip":
        data = bytearray(SAMPLE)
        for at, value in how:
            data[at] = value
        return bytes(data)
    if kind == "truncate":
        return SAMPLE[:how]
    members = dict(MEMBERS)
    if kind == "rename":
        old, new = how
        members[new] = members.pop(old)
    else:
        for name, nth, value in how:
            found = list(ATTRIBUTE.finditer(members[name]))
            if found:
                m = found[nth % len(found)]
                members[name] = members[name][:m.start(2)] + value + members[name][m.end(2):]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for name, content in members.items():
            out.writestr(name, content)
    return buf.getvalue()


@pytest.mark.slow
# No shrinking: a batch runs in a child process, and the failing batch with its stderr says enough.
@settings(max_examples=examples(8), deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(batch=st.lists(mutation, min_size=12, max_size=12))
def test_mutated_workbooks_never_crash_the_cli(batch, tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    paths = []
    for i, (kind, how) in enumerate(batch):
        path = folder / f"{i}_{kind}.xlsx"
        path.write_bytes(mutated(kind, how))
        paths.append(str(path))
    done = subprocess.run([sys.executable, "-c", BATCH.format(cap=MEMORY_CAP), *paths],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, (batch, done.stderr[-3000:])
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert [a["path"] for a in answers] == paths
    assert all(a["code"] in (0, 1, 2) for a in answers), answers
    assert "Traceback" not in done.stderr


def test_the_mutations_reach_every_stage():
    """A flip, a cut, a rename and an attribute edit each give a file the loader answers differently."""
    def code(data: bytes) -> str:
        from ksmart.errors import FileRejected
        from ksmart.ingest.validation import validate_workbook
        try:
            return "ok" if validate_workbook(data).ok else "errors"
        except FileRejected as exc:
            return exc.code

    sheet = next(n for n in XML_NAMES if "worksheets/" in n)
    assert code(mutated("truncate", len(SAMPLE) // 2)) == "truncated"
    assert code(mutated("rename", ("xl/workbook.xml", "../../tmp/x"))) == "unsafe_member"
    assert code(mutated("attributes", [(sheet, 0, b"XFD1048576")])) in ("too_many_rows", "too_many_columns", "ok",
                                                                        "errors")
    assert code(mutated("rename", (NAMES[0], "xl\\" + NAMES[0].rpartition("/")[2]))) != "unsafe_member"
    assert Path(ROOT / "ksmart").is_dir()


def test_a_part_with_a_bad_crc_is_refused_not_raised():
    """Found by the fuzz test: six flipped bytes left xl/styles.xml with a bad CRC, and the
    block reader's `zipfile.read` raised BadZipFile through the CLI (a traceback, exit 1)."""
    from ksmart.errors import FileRejected
    from ksmart.ingest.validation import validate_workbook

    data = mutated("flip", [(5463, 15), (182, 232), (2909, 239), (167, 51), (938, 202), (2026, 228)])
    with pytest.raises(FileRejected) as caught:
        validate_workbook(data)
    assert caught.value.code in ("unreadable", "truncated")
