"""Settings: each one declared once with its default and what it does.

Values come from the environment (`KSMART_…`); `get(name)` converts them to
the default's type. The README's settings table is tested against `SETTINGS`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting("KSMART_DB_URL", f"sqlite:///{DATA_DIR / 'ksmart.db'}",
                "SQLAlchemy URL of the store; postgresql+psycopg://… for several servers"),
        Setting("KSMART_BUSY_TIMEOUT", 5.0, "seconds a writer waits for another writer before 'store busy'"),
        Setting("KSMART_KRW_PER_USD", 1300.0, "KRW per USD, to convert 사업비(억원) to USD million"),
        Setting("KSMART_STALLED_STAGE_DAYS", 180, "an open project longer than this in its stage is stalled"),
        Setting("KSMART_STALLED_UPDATE_DAYS", 90, "an open project not updated for longer than this is stalled"),
        Setting("KSMART_UPCOMING_DAYS", 30, "next steps within this many days are upcoming"),
        Setting("KSMART_MAX_UPLOAD_MB", 20.0, "largest accepted workbook file"),
        Setting("KSMART_MAX_UNZIPPED_MB", 200.0, "largest accepted decompressed workbook content"),
        Setting("KSMART_MAX_ZIP_RATIO", 100.0, "largest accepted compression ratio (zip bomb guard)"),
        Setting("KSMART_MAX_ROWS", 100_000, "most data rows accepted in one sheet"),
        Setting("KSMART_MAX_COLUMNS", 200, "most columns accepted in one sheet"),
        Setting("KSMART_REQUIRE_LOGIN", False,
                "viewers must sign in too (default: the dashboard is open to viewers on the internal network)"),
    )
}


def get(name: str):
    """The setting's value from the environment, typed like its default."""
    setting = SETTINGS[name]
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return setting.default
    if isinstance(setting.default, bool):
        return raw.strip().casefold() in ("1", "true", "yes", "on", "y")
    return type(setting.default)(raw)
