"""Which store and version an exported workbook was made from (its "stamp").

Why: analysts edit an export for days while others commit; on upload the
store merges the file against the version it was made from (three-way, see
`ksmart.store.merging`). Exports record it invisibly as two custom document
properties (`docProps/custom.xml`), and visibly in each sheet's title row.

Reading runs after the whole-file safety pass (`xlsx_safety.check_xlsx`) has
accepted the package: the part is read through `zipfile` with at most
`MAX_PART_BYTES` inflated, parsed by defusedxml with any DTD refused. A
missing, oversized or malformed part means "no stamp", never an error: a
workbook without a base is an ordinary upload.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from defusedxml import ElementTree

from ksmart import reference as ref

PROPERTY_STORE = ref.STAMP_STORE_PROPERTY
PROPERTY_VERSION = ref.STAMP_VERSION_PROPERTY
CUSTOM_PART = "docprops/custom.xml"  # member names compare without case (OPC)
MAX_PART_BYTES = 64 * 1024  # two short properties; Excel adds a few of its own


@dataclass(frozen=True)
class Stamp:
    store_id: str
    version: int


def read_stamp(data: bytes) -> Stamp | None:
    """The stamp of a workbook's bytes, or None when it carries none (or a broken one)."""
    props = _custom_properties(data)
    store, version = props.get(PROPERTY_STORE, "").strip(), props.get(PROPERTY_VERSION, "").strip()
    if not store or not version.isdigit() or int(version) < 1:
        return None
    return Stamp(store, int(version))


def _custom_properties(data: bytes) -> dict[str, str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            member = next((i for i in zf.infolist() if i.filename.lower().lstrip("/") == CUSTOM_PART), None)
            if member is None:
                return {}
            with zf.open(member) as part:
                xml = part.read(MAX_PART_BYTES + 1)
        if len(xml) > MAX_PART_BYTES:
            return {}
        root = ElementTree.fromstring(xml, forbid_dtd=True)
    except Exception:  # zip, inflate or XML trouble (defusedxml's refusals included): no stamp
        return {}
    found = {}
    for prop in root:
        name = prop.get("name")
        if name in (PROPERTY_STORE, PROPERTY_VERSION) and len(prop):
            found[name] = (prop[0].text or "")[:200]
    return found
