"""Commands on the numbers: summary, changes, briefing.

Each command picks versions from the store, hands frames to `ksmart.analytics.metrics`,
`ksmart.analytics.changes` or `ksmart.analytics.briefing`, and prints cli.md's JSON (`--json`) or
a compact aligned text in the chosen language. Which older version "since the
last meeting" means is decided by `changes.choose`, shared with the dashboard.
"""

from __future__ import annotations

import functools
import json
import unicodedata
from dataclasses import fields
from datetime import date

from ksmart import countries as country_tables
from ksmart import i18n, money
from ksmart import reference as ref
from ksmart.analytics import briefing, changes, followup, metrics
from ksmart.errors import BadArgument
from ksmart.i18n import pair

# --- arguments --------------------------------------------------------------------


def register(sub) -> None:
    p = sub.add_parser("summary", help="the metrics of pipeline.md")
    p.add_argument("--as-of", help="reference date (YYYY-MM-DD): the latest version on or before it")
    p.add_argument("--version", type=int, help="version number (default: the newest)")
    for f in fields(metrics.Filters):
        p.add_argument(f"--{f.name.replace('_', '-')}", dest=f"filter_{f.name}", metavar="A,B",
                       help=f"only these {f.name.replace('_', ' ')} (comma-separated)")
    p.add_argument("--json", action="store_true", help="print cli.md's JSON")
    p.set_defaults(func=run_summary)

    p = sub.add_parser("changes", help="the change table between two versions")
    comparison_arguments(p)
    p.add_argument("--json", action="store_true", help="print cli.md's JSON")
    p.set_defaults(func=run_changes)

    p = sub.add_parser("briefing", help="the changes as sentences")
    comparison_arguments(p)
    # Its own dest: a sub-parser default would overwrite the top-level --lang.
    p.add_argument("--lang", dest="briefing_lang", choices=i18n.LANGS, help="language of the sentences")
    p.set_defaults(func=run_briefing)


def comparison_arguments(p) -> None:
    older = p.add_mutually_exclusive_group()
    older.add_argument("--since", help="compare with the latest version on or before this date (YYYY-MM-DD)")
    older.add_argument("--from-version", type=int, help="compare with this version")
    p.add_argument("--to-version", type=int, help="the newer version (default: the newest)")


def parse_date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadArgument("bad_date", *pair("error.bad_iso_date", option=option, text=text)) from None


def filters_from_args(args) -> metrics.Filters:
    given = {}
    for f in fields(metrics.Filters):
        text = getattr(args, f"filter_{f.name}", None)
        if text:
            given[f.name] = tuple(v.strip() for v in text.split(",") if v.strip())
    return metrics.Filters(**given)


# --- the store -----------------------------------------------------------------------


def open_store(url):
    """The store (imported here so that the other commands run without it)."""
    from ksmart.store import open_store as _open

    return _open(url)


def _newest(store):
    number = store.latest_version()
    if number is None:
        raise BadArgument("empty_store", *pair("error.empty_store"))
    return store.version_info(number)


def _summary_version(store, version: int | None, as_of: date | None):
    if version is not None:
        return store.version_info(version)
    if as_of is None:
        return _newest(store)
    info = store.version_at(as_of)
    if info is None:
        raise BadArgument("no_version_at", *pair("error.no_version_at", date=as_of.isoformat()))
    return info


def compared(args) -> tuple[changes.Comparison, dict, dict]:
    """The comparison the arguments ask for and the frames of both versions."""
    store = open_store(args.db)
    new_info = store.version_info(args.to_version) if args.to_version is not None else _newest(store)
    new = store.read(new_info.number)
    since = parse_date(args.since, "--since") if args.since else None
    comparison = changes.choose(store.versions(), new_info, new.frames["events"],
                                since=since, from_version=args.from_version)
    old = new if comparison.same else store.read(comparison.old.number)
    return comparison, old.frames, new.frames


# --- commands --------------------------------------------------------------------------


def run_summary(args) -> int:
    as_of = parse_date(args.as_of, "--as-of") if args.as_of else None
    store = open_store(args.db)
    info = _summary_version(store, args.version, as_of)
    frames = store.read(info.number).frames
    day = as_of or info.reference_date
    result = metrics.summary(frames["projects"], day, filters=filters_from_args(args), version=info.number)
    # The meeting's directives as a whole: the project filters do not narrow them.
    result["actions"] = followup.summary(frames["actions"], frames["events"], day)
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else summary_text(result, args.lang))
    return 0


def _follow_up(comparison: changes.Comparison, old: dict, new: dict, lang: str) -> followup.FollowUp:
    return followup.follow_up(new["actions"], old["actions"], new["events"], comparison.new.reference_date,
                              comparison.old.reference_date, lang)


def run_changes(args) -> int:
    comparison, old, new = compared(args)
    table = changes.compare(old["projects"], new["projects"])
    result = {"from_version": comparison.old.number, "to_version": comparison.new.number, **table,
              **followup.compare(old["actions"], new["actions"], comparison.old.reference_date,
                                 comparison.new.reference_date)}
    if args.json:
        ranked = briefing.build(table, new["projects"], old["projects"], args.lang, countries=new.get("countries"))
        result["items"] = [item.as_json() for item in ranked.items]
        result["action_items"] = [item.as_json() for item in _follow_up(comparison, old, new, args.lang).items]
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(changes_text(result, comparison, args.lang))
    return 0


def run_briefing(args) -> int:
    if args.briefing_lang:
        args.lang = args.briefing_lang  # error messages follow it too
    comparison, old, new = compared(args)
    result = changes.compare(old["projects"], new["projects"])
    print(_heading(comparison, args.lang))
    ranked = briefing.build(result, new["projects"], old["projects"], args.lang, countries=new.get("countries"),
                            follow_up=_follow_up(comparison, old, new, args.lang))
    for line in ranked.lines:
        print(f"- {line}")
    for item in ranked.minor:  # what the Overview's expander lists under the tier-3 summary
        print(f"  - {item.sentence}")
    return 0


# --- text output -------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(headers: list[str], rows: list[list]) -> str:
    """An aligned text table: text left, numbers right; Hangul counts double."""
    cells = [[_cell(v) for v in row] for row in [headers, *rows]]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(headers))]
    numeric = [all(isinstance(row[i], (int, float)) or row[i] is None for row in rows)
               for i in range(len(headers))]
    lines = []
    for row in cells:
        padded = [(" " * (w - _width(c)) + c) if num else (c + " " * (w - _width(c)))
                  for c, w, num in zip(row, widths, numeric)]
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines)


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _labels(lang: str):
    """`i18n.t` in `lang`: the text output's labels (`cli.*`, and the shared column headers and unit)."""
    return functools.partial(i18n.t, lang=lang)


def _percent(x: float | None) -> str | None:
    return None if x is None else f"{x:.0%}"


def _country_name(iso3: str, lang: str) -> str:
    return f"{country_tables.name(iso3, lang)} ({iso3})"


def summary_text(s: dict, lang: str) -> str:
    t = _labels(lang)
    usd = t('unit.usd_m')
    version = f" · {t('cli.version')} {s['version']}" if s.get("version") is not None else ""
    head = [
        f"{t('cli.as_of')} {s['as_of']}{version}",
        f"{t('cli.projects')} {s['projects']:,} ({t('cli.active')} {s['active']:,}"
        f" · {t('cli.on_hold')} {s['on_hold']:,} · {t('cli.dropped')} {s['dropped']:,})"
        f" · {t('cli.countries')} {s['countries']:,}",
        # amounts a person reads, as people say them; the tables below keep plain USD m to add up
        f"{t('cli.open')} {s['open']:,} · {money.amount(s['open_value_usd_m'], lang)}"
        f" ({t('cli.weighted')} {money.amount(s['weighted_value_usd_m'], lang)})",
        f"{t('cli.won')} {s['won']:,} · {money.amount(s['won_value_usd_m'], lang)}"
        f" · {t('cli.advanced')} {s['advanced']:,}"
        f" · {t('cli.stalled')} {s['stalled']:,} · {t('cli.overdue')} {s['overdue']:,}"
        f" · {t('cli.upcoming')} {s['upcoming']:,} · {t('cli.stale')} {s['stale']:,}"
        f" · {t('cli.value_missing')} {s['value_missing']:,}",
    ]
    stages = table(
        [t('col.stage'), t('cli.active').capitalize(), t('cli.reached'), f"{t('cli.value')} ({usd})",
         t('cli.conversion')],
        [[ref.STAGES.label(f["stage"], lang), s["by_stage"][f["stage"]], f["reached"], f["value_usd_m"],
          _percent(f["conversion"])] for f in s["funnel"]],
    )
    group_headers = [t('cli.projects'), t('cli.open_count'), f"{t('cli.open_value')} ({usd})",
                     f"{t('cli.weighted_value')} ({usd})", t('cli.won'), f"{t('cli.won_value')} ({usd})"]
    countries = table([t('col.country'), *group_headers],
                      [[_country_name(g["country"], lang), *(g[k] for k in metrics.GROUP_FIELDS)]
                       for g in s["by_country"]])
    subcommittees = table([t('col.subcommittee'), *group_headers],
                          [[ref.SUBCOMMITTEES.label(k, lang), *(g[f] for f in metrics.GROUP_FIELDS)]
                           for k, g in s["by_subcommittee"].items()])
    technologies = " · ".join(f"{ref.TECHNOLOGIES.label(k, lang)} {n:,}"
                              for k, n in s["technology_coverage"].items())
    directives = followup.status_line(s["actions"], lang) if "actions" in s else None
    if directives:
        head.append(directives)
    return "\n\n".join(["\n".join(head), stages, countries, subcommittees, f"{t('cli.technology')}: {technologies}"])


def _heading(comparison: changes.Comparison, lang: str) -> str:
    t = _labels(lang)
    old, new = comparison.old, comparison.new
    text = (f"{t('cli.version')} {old.number} ({old.reference_date.isoformat()}) → "
            f"{t('cli.version')} {new.number} ({new.reference_date.isoformat()})")
    if comparison.since is not None:
        text += f" · {t('cli.meeting') if comparison.meeting else t('cli.since')} {comparison.since.isoformat()}"
    return text


def changes_text(result: dict, comparison: changes.Comparison, lang: str) -> str:
    t = _labels(lang)
    lines = [_heading(comparison, lang)]
    for key in (*changes.CHANGE_KEYS, *followup.CHANGE_KEYS):
        items = result[key]
        label = t(followup.CHANGE_LABELS[key]) if key in followup.CHANGE_LABELS else t(f'change_list.{key}')
        lines.append(f"{label} ({len(items)})")
        for item in items:
            if isinstance(item, str):
                lines.append(f"  {item}")
            else:
                lines.append(f"  {item['project_id']}: {briefing.change_label(key, item['from'], lang)}"
                             f" → {briefing.change_label(key, item['to'], lang)}")
    if changes.is_empty(result) and not any(result[k] for k in followup.CHANGE_KEYS):
        lines.append(t('cli.no_change'))
    return "\n".join(lines)
