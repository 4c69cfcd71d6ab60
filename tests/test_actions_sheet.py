"""The actions sheet (지시사항) through the chain: read, every rule of its table,
stored in versions (update, replace, rollback), exported and read back, in the template."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from ksmart import frames as fr
from ksmart import reference as ref
from ksmart.ingest.template import build_template
from ksmart.ingest.validation import validate_workbook
from ksmart.present import exporting
from ksmart.store import importing
from tests import workbooks as wb
from tests.store_backends import ANALYST

D = dt.date
TODAY = D(2026, 11, 25)
EVENT_HEADER = ["행사ID", "일자", "행사명", "유형"]
EVENTS = [EVENT_HEADER,
          ["EV-2016-12", D(2016, 9, 8), "제2차 운영위원회", "운영위원회"],
          ["EV-2016-06", D(2016, 9, 8), "GICC 1:1 비즈니스미팅", "1:1 비즈니스미팅"],
          ["EV-2016-17", D(2016, 12, 15), "제3차 운영위원회", "운영위원회"]]
ACTION_HEADER = ["조치ID", "회의", "지시사항", "담당기관", "기한", "이행상태", "완료일", "관련사업", "국가", "이행결과"]


def action(aid=None, meeting="EV-2016-12", directive="테스트베드 착수", owner="국토부", due=D(2016, 12, 31),
           status="추진중", done_on=None, project=None, country=None, result=None):
    return [aid, meeting, directive, owner, due, status, done_on, project, country, result]


def validate(*rows, events=EVENTS, **kw):
    sheets = {"지시사항": [ACTION_HEADER, *rows]}
    if events is not None:
        sheets["행사"] = events
    kw.setdefault("reference_date", TODAY)  # as analysts' files give it (no as_of_today warning)
    return validate_workbook(wb.build(sheets), today=TODAY, **kw)


def codes(result) -> set[tuple[str, int, str]]:
    return {(i.code, i.row, i.column) for i in result.issues if i.level != "info"}


# --- reading ------------------------------------------------------------------------


def test_a_directive_is_read_with_its_meeting_as_the_event_id_and_owners_as_a_list():
    result = validate(
        action("AC-1", D(2016, 9, 8), "쿠웨이트·볼리비아 요소기술 최대 반영", "국토부, LH; 미래부 / 현대건설",
               status="완료", done_on=D(2016, 11, 30), country="쿠웨이트", result="반영 완료"),
        action("AC-2", "ev-2016-17", status="미착수", due=None),
        action("AC-3", "2016.12.15", status="보류"),
    )
    assert result.ok, result.to_json()["errors"]
    frame = result.frames["actions"]
    assert frame["meeting"].tolist() == ["EV-2016-12", "EV-2016-17", "EV-2016-17"]
    assert frame["owner"].tolist() == [("MOLIT", "LH", "MSIT", "현대건설"), ("MOLIT",), ("MOLIT",)]
    assert frame["status"].tolist() == ["done", "not_started", "on_hold"]
    assert frame["country"].tolist()[0] == "KWT"
    assert frame["done_on"].iloc[0] == pd.Timestamp("2016-11-30") and pd.isna(frame["due"].iloc[1])
    pd.testing.assert_frame_equal(frame, fr.conform("actions", frame))


def test_the_sheet_is_found_under_each_of_its_names_and_english_headers():
    for name in ("Actions", "지시사항", "후속조치", "조치사항"):
        data = wb.build({name: [["Meeting", "Directive", "Owner", "Status"], ["EV-2016-12", "x", "LH", "In progress"]],
                         "Events": EVENTS})
        result = validate_workbook(data, today=TODAY)
        assert result.ok and result.frames["actions"]["status"].tolist() == ["in_progress"], name


def test_an_action_without_an_id_gets_one_from_its_meeting_and_directive_whichever_way_the_meeting_is_written():
    by_id = validate(action(meeting="EV-2016-12")).frames["actions"]["action_id"].iloc[0]
    by_date = validate(action(meeting=D(2016, 9, 8))).frames["actions"]["action_id"].iloc[0]
    by_text = validate(action(meeting="2016-09-08")).frames["actions"]["action_id"].iloc[0]
    other = validate(action(directive="스마트도시법 개정")).frames["actions"]["action_id"].iloc[0]
    assert by_id == by_date == by_text and by_id.startswith("EV-2016-12-")
    assert other != by_id


def test_two_rows_with_the_same_derived_id_are_a_duplicate():
    result = validate(action(), action(meeting=D(2016, 9, 8), owner="LH"))
    assert ("duplicate_id", 3, "조치ID") in codes(result)
    assert next(i for i in result.errors if i.code == "duplicate_id").details["first_row"] == 2


def test_given_ids_are_unique_without_regard_to_case():
    result = validate(action("AC-1"), action(" ac-1 ", directive="다른 지시"))
    assert ("duplicate_id", 3, "조치ID") in codes(result)


# --- every rule of the table --------------------------------------------------------


@pytest.mark.parametrize("row, code, column", [
    (action(meeting="2016-09-09"), "unknown_meeting", "회의"),       # no event that day
    (action(meeting="EV-2099-01"), "unknown_meeting", "회의"),       # no such id
    (action(meeting="지난 회의"), "unknown_meeting", "회의"),          # neither id nor date
    (action(meeting="2016.9"), "unknown_meeting", "회의"),           # a month is no exact date
    (action(meeting="EV-2016-06"), "not_a_meeting", "회의"),         # a business meeting's id
    (action(meeting=None), "required", "회의"),
    (action(directive=None), "required", "지시사항"),
    (action(owner=None), "required", "담당기관"),
    (action(owner="-"), "required", "담당기관"),
    (action(status=None), "required", "이행상태"),
    (action(status="진행불가"), "unknown_value", "이행상태"),
    (action(due="연내"), "bad_date", "기한"),
    (action(done_on="2016.13.1", status="완료"), "bad_date", "완료일"),
    (action(country="아틀란티스"), "unknown_country", "국가"),
    (action(project="XXX-999"), "unknown_project", "관련사업"),
])
def test_each_rule_is_a_located_error(row, code, column):
    result = validate(row, known_project_ids=["KWT-001"])
    assert (code, 2, column) in codes(result)
    assert not result.ok


def test_a_date_with_only_another_kind_of_event_is_not_a_meeting():
    events = [EVENT_HEADER, ["EV-2016-06", D(2016, 9, 8), "GICC 1:1 비즈니스미팅", "1:1 비즈니스미팅"]]
    result = validate(action(meeting=D(2016, 9, 8)), events=events)
    assert codes(result) == {("not_a_meeting", 2, "회의")}


def test_two_committees_on_the_date_are_ambiguous_and_name_both():
    events = [*EVENTS, ["EV-2016-12B", D(2016, 9, 8), "제2차 운영위원회(속개)", "운영위원회"]]
    result = validate(action(meeting="2016-09-08"), events=events)
    assert codes(result) == {("ambiguous_meeting", 2, "회의")}
    assert "EV-2016-12, EV-2016-12B" in result.errors[0].message("en")


def test_meeting_messages_exist_in_both_languages():
    result = validate(action(meeting="2016-09-09"))
    issue = result.errors[0]
    assert "2016-09-09" in issue.message("ko") and "2016-09-09" in issue.message("en")
    assert issue.message("ko") != issue.message("en")


def test_done_without_a_done_on_date_is_a_warning_only():
    result = validate(action(status="완료", done_on=None))
    assert result.ok and codes(result) == {("done_on_missing", 2, "완료일")}
    assert validate(action(status="완료", done_on=D(2016, 10, 1))).warnings == []


def test_a_known_project_from_the_file_or_the_store_may_be_named():
    assert validate(action(project="KWT-001"), known_project_ids=["kwt-001"]).ok
    projects = [wb.PROJECT_HEADER, wb.project_row()]
    data = wb.build({"사업": projects, "행사": EVENTS, "지시사항": [ACTION_HEADER, action(project="KWT-001")]})
    assert validate_workbook(data, today=TODAY).ok


def test_meetings_may_be_stored_events_and_the_files_events_replace_them_in_replace_mode():
    stored = fr.conform("events", pd.DataFrame({"event_id": ["EV-2017-03"], "date": [pd.Timestamp("2017-03-16")],
                                                "name": ["제4차 운영위원회"], "type": ["steering_committee"]}))
    alone = validate(action(meeting="2017-03-16"), events=None, known_events=stored)
    assert alone.ok and alone.frames["actions"]["meeting"].tolist() == ["EV-2017-03"]
    assert validate(action(meeting="EV-2017-03"), known_events=stored).ok  # update: file's and stored events
    replaced = validate(action(meeting="EV-2017-03"), known_events=stored, replace=True)
    assert codes(replaced) == {("unknown_meeting", 2, "회의")}


def test_without_any_events_meetings_are_kept_as_written_and_not_checked():
    result = validate(action(meeting=D(2016, 9, 8)), action(meeting="EV-9", directive="b"), events=None)
    assert result.ok and result.frames["actions"]["meeting"].tolist() == ["2016-09-08", "EV-9"]


# --- the store ----------------------------------------------------------------------


def _frames(*rows) -> dict[str, pd.DataFrame]:
    result = validate(*rows)
    assert result.ok, result.to_json()["errors"]
    return result.frames


def test_actions_are_versioned_in_update_and_replace_modes_and_roll_back(store):
    first = _frames(action("AC-1"), action("AC-2", directive="법 개정", owner="국토부, LH"))
    store.import_frames(first, mode="replace", reference_date=D(2016, 9, 30), user=ANALYST)
    update = _frames(action("AC-1", status="완료", done_on=D(2016, 12, 1), result="착수"))
    v2 = store.import_frames({"actions": update["actions"]}, mode="update", reference_date=D(2016, 12, 31),
                             user=ANALYST)
    now = store.read().frames["actions"]
    assert now["action_id"].tolist() == ["AC-1", "AC-2"] and now["status"].tolist() == ["done", "in_progress"]
    assert now["owner"].tolist()[1] == ("MOLIT", "LH") and v2.counts["actions"] == 2
    store.import_frames({"actions": update["actions"]}, mode="replace", reference_date=D(2017, 1, 31), user=ANALYST)
    assert store.read().frames["actions"]["action_id"].tolist() == ["AC-1"]
    store.rollback(1, user=ANALYST)
    pd.testing.assert_frame_equal(store.read().frames["actions"], store.read(1).frames["actions"])
    pd.testing.assert_frame_equal(store.read(1).frames["actions"], first["actions"])


def test_an_upload_may_name_a_stored_meeting_by_date(store, tmp_path):
    store.import_frames(_frames(action("AC-1")), mode="replace", reference_date=D(2016, 9, 30), user=ANALYST)
    path = tmp_path / "only_actions.xlsx"
    path.write_bytes(wb.build({"지시사항": [ACTION_HEADER, action("AC-9", meeting=D(2016, 12, 15), directive="새 지시")]}))
    result = importing.validate_upload(store, path, mode="update")
    assert result.ok, result.to_json()["errors"]
    assert result.frames["actions"]["meeting"].tolist() == ["EV-2016-17"]
    assert not importing.validate_upload(store, wb.build({"행사": EVENTS[:2], "지시사항": [
        ACTION_HEADER, action("AC-9", meeting=D(2016, 12, 15))]}), mode="replace").ok


def test_an_export_imports_again_unchanged_with_derived_ids_written():
    frames = _frames(action(None, D(2016, 9, 8), owner="국토부, LH, 현대건설", status="완료", done_on=D(2016, 11, 1),
                            result="+82-2-123 (수식처럼 보이는 결과)"),
                     action(None, "EV-2016-17", directive="몽골 협의체", project="KWT-001", country="KWT"))
    frames["projects"] = validate_workbook(wb.build({"사업": [wb.PROJECT_HEADER, wb.project_row()]}),
                                           today=TODAY).frames["projects"]
    for lang in ("ko", "en"):
        data = exporting.xlsx_bytes(frames, reference_date=D(2016, 12, 31), lang=lang)
        again = validate_workbook(data, today=TODAY)
        assert again.ok, again.to_json()["errors"]
        pd.testing.assert_frame_equal(again.frames["actions"], frames["actions"])


# --- the template -------------------------------------------------------------------


def test_the_template_has_the_actions_sheet_with_comments_and_drop_downs():
    book = build_template()
    ws = book[ref.ACTIONS.ko]
    headers = [c.value for c in ws[1]]
    assert headers == [c.header_ko + ("*" if c.required else "") for c in ref.ACTIONS.columns]
    assert all(c.comment is not None and c.comment.text for c in ws[1])
    lists = {str(v.sqref).split(":")[0]: v for v in ws.data_validations.dataValidation}
    status_col = openpyxl.utils.get_column_letter(ref.ACTIONS.keys.index("status") + 1)
    owner_col = openpyxl.utils.get_column_letter(ref.ACTIONS.keys.index("owner") + 1)
    status = lists[f"{status_col}2"]
    assert status.formula1 == '"미착수,추진중,완료,보류"' and status.showErrorMessage
    assert "한국토지주택공사" in lists[f"{owner_col}2"].formula1 and not lists[f"{owner_col}2"].showErrorMessage  # more than one allowed
    buffer = io.BytesIO()
    book.save(buffer)
    empty = validate_workbook(buffer.getvalue(), today=TODAY)
    assert empty.ok and empty.counts["actions"] == 0
