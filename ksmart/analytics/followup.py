"""Directives and their follow-up (지시사항 이행점검), pipeline.md's definitions.

A steering committee ends with directives (the actions sheet); the next one
checks them first. At a reference date A:

    action_table   one row per directive: its meeting's date, overdue, days_overdue
    summary        the figures of the chosen meeting (default: the last steering
                   committee before A), by owner, and earlier meetings' open ones
    compare        what changed between two versions: completed, added, due
                   slipped, became overdue (lists of action ids)
    follow_up      the figures and changes as the briefing's opening sentences

Pure pandas over frames given as arguments, like `metrics` and `changes`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ksmart import reference as ref
from ksmart.frames import id_key
from ksmart.i18n import t

STATUS_KEYS = tuple(ref.ACTION_STATUSES.keys)  # not_started, in_progress, done, on_hold
CHANGE_KEYS = ("actions_completed", "actions_added", "actions_due_slipped", "actions_became_overdue")
# each change key's heading in the change list (CLI text)
CHANGE_LABELS = {"actions_completed": "followup.change.completed", "actions_added": "followup.change.added",
                 "actions_due_slipped": "followup.change.due_slipped",
                 "actions_became_overdue": "followup.change.became_overdue"}


def _day(value) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def meeting_dates(events: pd.DataFrame) -> pd.Series:
    """Event id (folded) -> date, of the steering committees."""
    committees = events[events["type"] == ref.MEETING_TYPE]
    return pd.Series(committees["date"].to_numpy(), index=id_key(committees["event_id"]).to_numpy())


def last_meeting(events: pd.DataFrame, as_of) -> str | None:
    """The event id of the latest steering committee strictly before `as_of` (pipeline.md's "last meeting")."""
    committees = events[(events["type"] == ref.MEETING_TYPE) & (events["date"] < _day(as_of))]
    if committees.empty:
        return None
    return committees.sort_values(["date", "event_id"], kind="stable")["event_id"].iloc[-1]


def action_table(actions: pd.DataFrame, events: pd.DataFrame, as_of) -> pd.DataFrame:
    """The directives with `meeting_date`, `is_done`, `overdue` (not done, due < A) and
    `days_overdue` (A − due, for overdue ones; else missing)."""
    day = _day(as_of)
    out = actions.copy()
    out["meeting_date"] = pd.to_datetime(id_key(out["meeting"]).map(meeting_dates(events)).to_numpy())
    out["is_done"] = (out["status"] == ref.ACTION_DONE).fillna(False).to_numpy(dtype=bool)
    out["overdue"] = ~out["is_done"] & (out["due"] < day).to_numpy(dtype=bool)
    out["days_overdue"] = ((day - out["due"]).dt.days.where(out["overdue"])).astype("Int64")
    return out


def status_counts(rows: pd.DataFrame) -> dict:
    """total, each status, overdue of `action_table` rows."""
    counts = {"total": len(rows)}
    counts.update({key: int((rows["status"] == key).sum()) for key in STATUS_KEYS})
    counts["overdue"] = int(rows["overdue"].sum())
    return counts


def by_owner(rows: pd.DataFrame) -> list[dict]:
    """Per owner agency: total, done, overdue; a directive with several owners counts for each.

    Largest total first, then agencies in reference order, then others by name."""
    exploded = rows[["owner", "is_done", "overdue"]].explode("owner").dropna(subset=["owner"])
    if exploded.empty:
        return []
    grouped = exploded.groupby("owner", sort=False).agg(total=("owner", "size"), done=("is_done", "sum"),
                                                        overdue=("overdue", "sum"))
    order = {key: i for i, key in enumerate(ref.AGENCIES.keys)}
    records = [{"owner": owner, "total": int(r.total), "done": int(r.done), "overdue": int(r.overdue)}
               for owner, r in grouped.iterrows()]
    return sorted(records, key=lambda r: (-r["total"], order.get(r["owner"], len(order)), r["owner"]))


def summary(actions: pd.DataFrame, events: pd.DataFrame, as_of, *, meeting: str | None = None) -> dict:
    """The `actions` block of `summary --json`: the chosen meeting's figures,
    `by_owner`, and `earlier_open` (not done, of meetings held before it)."""
    table = action_table(actions, events, as_of)
    meeting = meeting if meeting is not None else last_meeting(events, as_of)
    chosen = table[id_key(table["meeting"]) == meeting.strip().casefold()] if meeting else table.iloc[0:0]
    dates = meeting_dates(events)
    held = dates.get(meeting.strip().casefold()) if meeting else None
    earlier = table[(table["meeting_date"] < held) & ~table["is_done"]] if held is not None else table.iloc[0:0]
    return {"meeting": meeting, "meeting_date": None if held is None else _day(held).date().isoformat(),
            **status_counts(chosen), "earlier_open": len(earlier), "earlier_overdue": int(earlier["overdue"].sum()),
            "by_owner": by_owner(chosen)}


def overdue_actions(actions: pd.DataFrame, events: pd.DataFrame, as_of) -> pd.DataFrame:
    """Every overdue directive, most days overdue first."""
    table = action_table(actions, events, as_of)
    return table[table["overdue"]].sort_values(["days_overdue", "action_id"], ascending=[False, True], kind="stable")


def follow_up_order(table: pd.DataFrame) -> pd.DataFrame:
    """Overdue first (most days first), then open, then done; each by meeting, then id (the Follow-up page)."""
    rank = (~table["overdue"]).astype(int) + table["is_done"].astype(int)
    keyed = table.assign(_rank=rank, _days=-table["days_overdue"].astype("float64").fillna(0))
    return keyed.sort_values(["_rank", "_days", "meeting_date", "action_id"], kind="stable").drop(columns=["_rank", "_days"])


# --- changes between two versions ------------------------------------------------------


def compare(old_actions: pd.DataFrame, new_actions: pd.DataFrame, old_as_of, new_as_of) -> dict:
    """pipeline.md's directive changes from O to N, each a sorted list of N's action ids.

    completed: done in N, in O and not done there; added: not in O; due
    slipped: both dues given and N's later; became overdue: not done in N and
    N's due in [O's reference date, N's reference date).
    """
    old = old_actions.assign(key=id_key(old_actions["action_id"]))
    new = new_actions.assign(key=id_key(new_actions["action_id"]))
    both = new.merge(old[["key", "status", "due"]], on="key", how="inner", suffixes=("", "_old"))
    done = both["status"] == ref.ACTION_DONE
    not_done = new["status"] != ref.ACTION_DONE
    passed = not_done & (new["due"] >= _day(old_as_of)) & (new["due"] < _day(new_as_of))
    return {
        "actions_completed": sorted(both.loc[done & (both["status_old"] != ref.ACTION_DONE), "action_id"]),
        "actions_added": sorted(new.loc[~new["key"].isin(set(old["key"])), "action_id"]),
        "actions_due_slipped": sorted(both.loc[both["due"] > both["due_old"], "action_id"]),
        "actions_became_overdue": sorted(new.loc[passed.fillna(False).to_numpy(dtype=bool), "action_id"]),
    }


# --- sentences ---------------------------------------------------------------------------


def owners_text(owners, lang: str) -> str:
    return ", ".join(ref.AGENCIES.label(o, lang) for o in owners)


def _short_date(value, lang: str) -> str:
    day = _day(value)
    return f"{day.year}.{day.month}.{day.day}" if lang == "ko" else day.strftime("%d %b %Y").lstrip("0")


@dataclass(frozen=True)
class ActionItem:
    """One directive the briefing tells: it became overdue, or it was completed."""

    action_id: str
    kind: str  # "overdue" | "completed"
    days_overdue: int
    sentence: str

    def as_json(self) -> dict:
        return {"action_id": self.action_id, "kind": self.kind, "days_overdue": self.days_overdue,
                "sentence": self.sentence}


@dataclass(frozen=True)
class FollowUp:
    """What the briefing opens with: the follow-up line, the directives that
    became overdue and those completed, and the count of added and slipped ones."""

    line: str | None  # None without a meeting before the reference date, or without any directive to follow
    items: tuple[ActionItem, ...]
    summary_sentence: str | None

    @property
    def lines(self) -> list[str]:
        return [s for s in (self.line, *(i.sentence for i in self.items), self.summary_sentence) if s]


# figure -> its words in the follow-up line, in the line's order
PARTS = {"done": "followup.part.done", "in_progress": "followup.part.in_progress",
          "not_started": "followup.part.not_started", "on_hold": "followup.part.on_hold",
          "overdue": "followup.part.overdue"}
_COUNTS = {"actions_added": "followup.count.added", "actions_due_slipped": "followup.count.due_slipped"}


def status_line(figures: dict, lang: str) -> str | None:
    """"지난 운영위원회(2017.6.22) 지시사항 7건 중 2건 완료, 3건 추진 중, 2건 기한 경과 · 이전 회의 미완료 5건"."""
    if not figures.get("meeting") or not (figures["total"] or figures["earlier_open"]):
        return None  # no meeting yet, or a store that keeps no directives: nothing to follow up
    held = _short_date(figures["meeting_date"], lang) if figures.get("meeting_date") else figures["meeting"]
    if not figures["total"]:
        text = t("followup.line_none", lang, date=held)
    else:
        parts = [t(key, lang, n=figures[figure]) for figure, key in PARTS.items() if figures[figure]]
        text = t("followup.line", lang, date=held, total=figures["total"], parts=", ".join(parts))
    if figures["earlier_open"]:
        text += t("followup.earlier", lang, n=figures["earlier_open"])
    return text


def follow_up(new_actions: pd.DataFrame, old_actions: pd.DataFrame, events: pd.DataFrame, new_as_of, old_as_of,
              lang: str = "ko", *, meeting: str | None = None) -> FollowUp:
    """The briefing's opening: the last meeting's follow-up, then directives that
    became overdue (most days overdue first) and those completed, then a count
    of added and slipped directives. With O = N only the follow-up line."""
    lang = "ko" if lang == "ko" else "en"
    figures = summary(new_actions, events, new_as_of, meeting=meeting)
    table = action_table(new_actions, events, new_as_of).set_index(id_key(new_actions["action_id"]).to_numpy())
    changed = compare(old_actions, new_actions, old_as_of, new_as_of)
    items = []
    overdue = table.loc[[a.strip().casefold() for a in changed["actions_became_overdue"]]]
    for _, row in overdue.sort_values(["days_overdue", "action_id"], ascending=[False, True]).iterrows():
        items.append(ActionItem(row["action_id"], "overdue", int(row["days_overdue"]), t(
            "followup.item_overdue", lang, directive=row["directive"], owners=owners_text(row["owner"], lang),
            due=_short_date(row["due"], lang), days=int(row["days_overdue"]))))
    completed = table.loc[[a.strip().casefold() for a in changed["actions_completed"]]]
    for _, row in completed.sort_values(["meeting_date", "action_id"], kind="stable").iterrows():
        done_on = t("followup.done_on", lang, date=_short_date(row["done_on"], lang)) if pd.notna(row["done_on"]) else ""
        items.append(ActionItem(row["action_id"], "completed", 0, t(
            "followup.item_completed", lang, directive=row["directive"], owners=owners_text(row["owner"], lang),
            done_on=done_on)))
    counts = [t(key, lang, n=len(changed[change])) for change, key in _COUNTS.items() if changed[change]]
    sentence = t("followup.summary", lang, counts=", ".join(counts)) if counts else None
    return FollowUp(status_line(figures, lang), tuple(items), sentence)
