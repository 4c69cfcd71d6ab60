"""The deck's labels come from the one translation table, `ksmart.i18n.TEXT`
(its `deck.` keys are what no page says: footer, title slide, change table…)."""

from ksmart.i18n import t as tr

__all__ = ["tr"]
