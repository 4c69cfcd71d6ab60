"""The deck's labels come from the one text catalogue (`ksmart/catalogue/`, read by `ksmart.i18n`)
(its `deck.` keys are what no page says: footer, title slide, change table…)."""

from ksmart.i18n import t as tr

__all__ = ["tr"]
