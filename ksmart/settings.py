"""Settings: each one declared once with its default and what it does.

Values come from the environment (`KSMART_…`); `get(name)` converts them to
the default's type. A setting may name an older one it replaces (`fallback`):
when the setting itself is not given, the older one's value counts, so a
settings file written for an earlier release keeps meaning what it said. The
README's settings table is tested against `SETTINGS`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str
    fallback: str | None = None  # an older setting whose value counts when this one is not given
    kind: type | None = None  # the value's type when the default (None) does not say it

    def convert(self, raw: str):
        kind = self.kind or type(self.default)
        if kind is bool:
            return raw.strip().casefold() in ("1", "true", "yes", "on", "y")
        return kind(raw)


# Open stage -> the setting of its stalled limit (pipeline.md: days in the stage above it is stalled).
STALLED_DAYS = {stage: f"KSMART_STALLED_DAYS_{stage.upper()}"
                for stage in ("identified", "engagement", "feasibility", "proposal", "negotiation")}
_ALL_STAGES = "KSMART_STALLED_STAGE_DAYS"


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting("KSMART_DB_URL", f"sqlite:///{DATA_DIR / 'ksmart.db'}",
                "SQLAlchemy URL of the store; postgresql+psycopg://… for several servers"),
        Setting("KSMART_BUSY_TIMEOUT", 5.0, "seconds a writer waits for another writer before 'store busy'"),
        Setting("KSMART_KRW_PER_USD", 1300.0, "KRW per USD, to convert 사업비(억원) to USD million"),
        Setting(STALLED_DAYS["identified"], 180, "an open project longer than this in stage identified is stalled",
                _ALL_STAGES),
        Setting(STALLED_DAYS["engagement"], 270, "… in stage engagement (MOU)", _ALL_STAGES),
        Setting(STALLED_DAYS["feasibility"], 365, "… in stage feasibility", _ALL_STAGES),
        Setting(STALLED_DAYS["proposal"], 180, "… in stage proposal", _ALL_STAGES),
        Setting(STALLED_DAYS["negotiation"], 180, "… in stage negotiation", _ALL_STAGES),
        Setting(_ALL_STAGES, None, "when given, the stalled limit of all five open stages "
                "(a stage's own setting still wins); the single limit of earlier releases", kind=int),
        Setting("KSMART_STALE_DAYS", 90, "an open project not updated for longer than this (or never) needs an "
                "update (stale); it is not stalled for that", "KSMART_STALLED_UPDATE_DAYS"),
        Setting("KSMART_STALLED_UPDATE_DAYS", None, "earlier name of KSMART_STALE_DAYS, still read when that "
                "is not given", kind=int),
        Setting("KSMART_UPCOMING_DAYS", 30, "next steps within this many days are upcoming"),
        Setting("KSMART_MAX_UPLOAD_MB", 20.0, "largest accepted workbook file"),
        Setting("KSMART_MAX_UNZIPPED_MB", 200.0, "largest accepted decompressed workbook content"),
        Setting("KSMART_MAX_ZIP_RATIO", 1000.0, "largest accepted compression ratio of a part (zip bomb guard)"),
        Setting("KSMART_MAX_ROWS", 100_000, "most data rows accepted in one sheet"),
        Setting("KSMART_MAX_COLUMNS", 200, "most columns accepted in one sheet"),
        Setting("KSMART_SIGN_IN_FLOOD", 30, "failed sign-ins a minute (all clients together) above which a "
                "client that has failed waits a minute; a client that has not failed is never held back"),
        Setting("KSMART_TIMEZONE", "Asia/Seoul", "time zone (IANA name) in which version and audit times are shown"),
        Setting("KSMART_REQUIRE_LOGIN", False,
                "viewers must sign in too (default: the dashboard is open to viewers on the internal network)"),
        Setting("KSMART_IDLE_MINUTES", 30, "an analyst's or admin's sign-in ends after this many idle minutes"),
        Setting("KSMART_VIEWER_IDLE_HOURS", 12.0, "a signed-in viewer's (e.g. a meeting-room screen's) sign-in ends "
                "after this many idle hours"),
        Setting("KSMART_UPLOAD_BUDGET_MB", 60.0, "most upload bytes one browser session may hold on the server "
                "at once"),
    )
}


def given(name: str) -> bool:
    """Whether the environment sets `name` (an empty value is not given)."""
    return os.environ.get(name, "").strip() != ""


def get(name: str):
    """The setting's value from the environment, typed like its default; when
    it is not given, its fallback's value if that is given, else its default."""
    setting = SETTINGS[name]
    for source in (name, setting.fallback):
        if source is not None and given(source):
            return setting.convert(os.environ[source])
    return setting.default


def local_time(moment: datetime) -> datetime:
    """`moment` (timezone-aware; naive counts as UTC) in the KSMART_TIMEZONE zone, its offset attached.

    The store keeps UTC; people read the time where they work. An unknown zone name shows UTC.
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    try:
        zone = ZoneInfo(str(get("KSMART_TIMEZONE")).strip())
    except (ZoneInfoNotFoundError, ValueError):
        zone = timezone.utc
    return moment.astimezone(zone)
