"""The deck's directives slide: right after the key figures, the last meeting's directives
by status with the overdue ones first and in red, their owners, then earlier meetings'
overdue ones; nothing overflows, also with long texts."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.oxml.ns import qn

from devkit import deck_check as check
from ksmart import i18n
from ksmart.analytics import followup
from ksmart.present import deck
from ksmart.present import palette as pal
from tests.decks import LONG_KO, longer, read

SECTIONS = ["title", "kpi", "directives", "changes"]


def build(deck_sample, snapshot=None, lang="ko") -> Presentation:
    data = deck.build_deck(snapshot or deck_sample.new, old_snapshot=deck_sample.old,
                           comparison=deck_sample.comparison, sections=SECTIONS, lang=lang)
    return Presentation(io.BytesIO(data))


def _title(slide) -> str:
    return next(read(s) for s in slide.shapes if s.name == "Title")


def _rows(slide):
    table = next(s.table for s in slide.shapes if s.has_table)
    return [[read(c) for c in row.cells] for row in table.rows], table


def _ink(cell) -> str:
    fill = cell.text_frame.paragraphs[0].runs[0]._r.find(f"{qn('a:rPr')}/{qn('a:solidFill')}/{qn('a:srgbClr')}")
    return "#" + fill.get("val")


def test_the_directives_slide_follows_the_key_figures(deck_sample):
    prs = build(deck_sample)
    assert [_title(s) for s in prs.slides][1:3] == [deck.text.tr("deck.section.kpi", "ko"), i18n.t("page.followup", "ko")]
    slide = prs.slides[2]
    frames, day = deck_sample.new.frames, deck_sample.new.version.reference_date
    figures = followup.summary(frames["actions"], frames["events"], day)
    subtitle = next(read(s) for s in slide.shapes if s.name == "Subtitle")
    assert subtitle == followup.status_line(figures, "ko")
    cells, table = _rows(slide)
    assert cells[0] == [i18n.t(f"followup.col.{c}", "ko") for c in ("meeting", "directive", "owner", "due", "status")]
    body = cells[1:]
    mine = [r for r in body if r[0] == figures["meeting_date"]]
    assert len(mine) == figures["total"]
    statuses = [r[4] for r in mine]
    assert statuses[:2] == ["미착수 · 기한 경과 30일", "추진중 · 기한 경과 15일"]  # overdue first, most days first
    assert statuses[-2:] == ["완료", "완료"]  # done last
    earlier = body[len(mine):]
    assert len(earlier) == figures["earlier_overdue"] and all("기한 경과" in r[4] for r in earlier)
    late = [i for i, r in enumerate(body, start=1) if "기한 경과" in r[4]]
    assert {_ink(table.cell(i, 1)) for i in late} == {pal.ACCENT}
    assert {_ink(table.cell(i, 1)) for i in range(1, len(cells)) if i not in late} == {"#1F2933"}
    assert "국토교통부, 한국토지주택공사, 한국전력공사, 한국수자원공사" in [r[2] for r in mine]  # every owner
    assert check.problems(prs) == []


def test_long_directives_fit_their_slide(deck_sample):
    prs = build(deck_sample, longer(deck_sample.new, LONG_KO))
    assert check.problems(prs) == []


def test_a_store_without_directives_says_so(deck_sample):
    frames = dict(deck_sample.new.frames, actions=deck_sample.new.frames["actions"].iloc[0:0])
    prs = build(deck_sample, type(deck_sample.new)(deck_sample.new.version, frames))
    notes = [read(s) for s in prs.slides[2].shapes if s.name == "Note"]
    assert notes == [i18n.t("followup.none_deck", "ko")]
