"""Version times in the configured zone (KSMART_TIMEZONE, Asia/Seoul by default) with their
offset in JSON, and the `as_of_today` warning of an upload that names no reference date."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

from devkit import synthetic
from ksmart import cli, settings
from ksmart.present import exporting
from ksmart.store import open_store
from tests.store_backends import ANALYST


def test_local_time_is_seoul_by_default_and_the_setting_moves_it(monkeypatch):
    moment = datetime(2017, 9, 30, 15, 30, tzinfo=timezone.utc)
    monkeypatch.delenv("KSMART_TIMEZONE", raising=False)
    seoul = settings.local_time(moment)
    assert seoul.isoformat() == "2017-10-01T00:30:00+09:00" and seoul == moment
    assert settings.local_time(moment.replace(tzinfo=None)) == moment  # naive counts as UTC
    monkeypatch.setenv("KSMART_TIMEZONE", "Europe/Berlin")
    assert settings.local_time(moment).utcoffset() == timedelta(hours=2)
    monkeypatch.setenv("KSMART_TIMEZONE", "Nowhere/Atlantis")
    assert settings.local_time(moment).utcoffset() == timedelta(0)


def test_versions_json_and_text_show_the_time_in_seoul_with_its_offset(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("KSMART_TIMEZONE", raising=False)
    url = f"sqlite:///{tmp_path / 's.db'}"
    with open_store(url) as s:
        info = s.import_frames(synthetic.frames(3, seed=1), mode="replace", reference_date=date(2017, 9, 30),
                               user=ANALYST)
    assert cli.main(["--db", url, "versions", "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    shown = datetime.fromisoformat(listed["committed_at"])
    assert listed["committed_at"].endswith("+09:00") and shown == info.committed_at
    assert cli.main(["--db", url, "versions", "--audit", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["at"].endswith("+09:00")
    assert cli.main(["--db", url, "versions"]) == 0
    assert f"{settings.local_time(info.committed_at):%Y-%m-%d %H:%M:%S} KST" in capsys.readouterr().out


def test_an_import_without_any_reference_date_warns_that_today_is_used(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 's.db'}"
    undated = tmp_path / "undated.xlsx"
    exporting.write_xlsx(synthetic.frames(3, seed=1), undated)
    assert cli.main(["--db", url, "validate", str(undated), "--json"]) == 0
    assert [w["code"] for w in json.loads(capsys.readouterr().out)["warnings"]] == ["as_of_today"]
    assert cli.main(["--db", url, "import", str(undated), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [w["code"] for w in report["warnings"]] == ["as_of_today"]
    assert report["reference_date"] == date.today().isoformat()
    assert cli.main(["--db", url, "import", str(undated), "--replace", "--as-of", "2017-09-30", "--json"]) == 0
    assert "as_of_today" not in [w["code"] for w in json.loads(capsys.readouterr().out)["warnings"]]
