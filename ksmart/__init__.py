"""ksmart: the K-Smart City overseas pipeline dashboard's domain package.

The public API, for scripts and notebooks (the CLI and the pages use the same
functions)::

    import ksmart

    result = ksmart.validate_workbook("pipeline.xlsx")  # ValidationResult: frames, every problem
    with ksmart.open_store("sqlite:///data/ksmart.db") as store:  # Store (None: KSMART_DB_URL)
        new, old = store.read(), store.read(1)           # a version's frames (None: the newest)
    projects = new.frames["projects"]
    ksmart.summary(projects, new.version.reference_date)  # the metrics of pipeline.md, a dict
    diff = ksmart.compare(old.frames["projects"], projects)  # what changed between the two
    ksmart.briefing(diff, projects, old.frames["projects"], lang="en")  # ... as sentences
    ksmart.actions_summary(new.frames["actions"], new.frames["events"], new.version.reference_date)  # directives
    ksmart.build_deck(new, old_snapshot=old)             # the meeting deck, .pptx bytes

Each name is imported on first use (PEP 562), so `import ksmart` and the
ground floor below it (`ksmart.settings`, `ksmart.reference`) load no
plotly, python-pptx or SQLAlchemy. Importing `ksmart` changes nothing in the
process: the Arrow memory pool is switched where workbooks are read
(`ksmart.memory`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# public name -> (module, attribute)
_EXPORTS = {
    "validate_workbook": ("ksmart.ingest.validation", "validate_workbook"),
    "ValidationResult": ("ksmart.ingest.validation", "ValidationResult"),
    "open_store": ("ksmart.store", "open_store"),
    "Store": ("ksmart.store", "Store"),
    "summary": ("ksmart.analytics.metrics", "summary"),
    "Filters": ("ksmart.analytics.metrics", "Filters"),
    "compare": ("ksmart.analytics.changes", "compare"),
    "briefing": ("ksmart.analytics.briefing", "sentences"),
    "actions_summary": ("ksmart.analytics.followup", "summary"),
    "build_deck": ("ksmart.present.deck", "build_deck"),
    "KsmartError": ("ksmart.errors", "KsmartError"),
}

__all__ = list(_EXPORTS)

if TYPE_CHECKING:  # for type checkers and editors; at run time `__getattr__` imports on first use
    from ksmart.analytics.briefing import sentences as briefing
    from ksmart.analytics.changes import compare
    from ksmart.analytics.followup import summary as actions_summary
    from ksmart.analytics.metrics import Filters, summary
    from ksmart.errors import KsmartError
    from ksmart.ingest.validation import ValidationResult, validate_workbook
    from ksmart.present.deck import build_deck
    from ksmart.store import Store, open_store


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'ksmart' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # the next lookup does not come here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
