"""`export deck OUT.pptx`: the meeting deck from the command line (cli.md).

The same deck as the Slides page: `ksmart.present.deck.build_deck` over the newest
version (or `--to-version`), compared with the version that `briefing` and
`changes` would compare with (`commands_metrics.compared`, i.e.
`changes.choose`: the last steering committee unless `--since` or
`--from-version` says otherwise), with the dashboard's filters as options.
`--countries` names the countries that get a slide (ISO codes or names, as
in the workbook); the sidebar's country filter is `--filter-countries`,
since `--countries` already means the slides.
"""

from __future__ import annotations

import sys
from dataclasses import fields
from pathlib import Path

from ksmart import i18n
from ksmart.analytics.metrics import Filters
from ksmart.cli import commands_metrics
from ksmart.cli.commands_store import db_option, export_targets
from ksmart.i18n import t
from ksmart.present import deck


def _filter_option(name: str) -> str:
    """The option of a sidebar filter; the country filter is --filter-countries here."""
    return "--filter-countries" if name == "countries" else f"--{name.replace('_', '-')}"


def register(sub) -> None:
    p = export_targets(sub).add_parser("deck", help="the meeting deck (.pptx)")
    p.add_argument("out", metavar="OUT.pptx")
    commands_metrics.comparison_arguments(p)
    p.add_argument("--countries", metavar="A,B",
                   help="countries that get a slide, ISO codes or names (default: those of the advanced "
                        "projects; an empty value: none)")
    p.add_argument("--sections", metavar="A,B", help=f"sections, any of: {', '.join(deck.ALL_SECTIONS)} (default: all)")
    # Its own dest: a sub-parser default would overwrite the top-level --lang.
    p.add_argument("--lang", dest="deck_lang", choices=i18n.LANGS, help="language of the slides")
    p.add_argument("--title", help=f"the title slide's heading (default: {t('deck.meeting', 'ko')})")
    for f in fields(Filters):
        p.add_argument(_filter_option(f.name), dest=f"filter_{f.name}", metavar="A,B",
                       help=f"only projects of these {f.name.replace('_', ' ')} (comma-separated)")
    db_option(p)
    p.set_defaults(func=run_export_deck)


def _list(text: str | None) -> tuple[str, ...] | None:
    return None if text is None else tuple(v.strip() for v in text.split(",") if v.strip())


def run_export_deck(args) -> int:
    from ksmart.store import Snapshot

    if args.deck_lang:
        args.lang = args.deck_lang  # error messages follow it too
    sections = _list(args.sections)
    deck.resolve_sections(sections)  # a bad section is exit 2 before the store is read
    comparison, old, new = commands_metrics.compared(args)
    data = deck.build_deck(
        Snapshot(comparison.new, new),
        old_snapshot=Snapshot(comparison.old, old),
        comparison=comparison,
        sections=sections,
        countries=_list(args.countries),
        filters=commands_metrics.filters_from_args(args),
        lang=args.lang,
        meeting_title=args.title,
    )
    Path(args.out).write_bytes(data)
    print(args.out)
    info = comparison.new
    print(t("cli.deck_written", args.lang, version=info.number, date=info.reference_date, old=comparison.old.number),
          file=sys.stderr)
    return 0
