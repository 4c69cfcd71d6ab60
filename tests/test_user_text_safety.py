"""Issue 17, point 5: user text never acts. Control characters from cells reach no terminal
(`validate` in a subprocess), web addresses and markup in user text become neither links nor
formatting on the dashboard, and a store that cannot be used is a located message, never a
traceback. Also the forced password change form (`ksmart.ui.password`) in AppTest."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from ksmart.auth import Actor, cli_actor
from ksmart.errors import PermissionDenied
from ksmart.cli.output import clean
from ksmart.store import open_store
from ksmart.ui import layout
from tests import workbooks
from tests.store_backends import cli
from tests.ui_fixtures import app, share_component_scan

ANSI = "\x1b[2J\x1b]0;pwned\x07\x9b31m\u202e"  # clear screen, set the title (OSC … BEL), C1 CSI, bidi override
ATTACK = "see https://evil.example and www.evil.example or mail boss@evil.example **bold** <b>x</b> [a](https://x.example)"


# --- the command line ---------------------------------------------------------------------------------


def _workbook_with_cell(tmp_path, text: str):
    # openpyxl refuses control characters in a cell; the file format writes them as _xHHHH_,
    # which is how a crafted workbook carries them (and how readers decode them).
    encoded = "".join(f"_x{ord(c):04X}_" if ord(c) < 0x20 else c for c in text)
    path = tmp_path / "controls.xlsx"
    path.write_bytes(workbooks.with_cell(encoded, column="단계"))
    return path


def test_validate_prints_no_control_character_from_a_cell(tmp_path):
    path = _workbook_with_cell(tmp_path, "착공" + ANSI)
    done = cli("validate", str(path))
    assert done.returncode == 1
    assert "착공" in done.stdout
    for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert raw not in done.stdout + done.stderr
    assert "\\u001b[2J\\u001b]0;pwned\\u0007" in done.stdout  # shown, harmless
    assert done.stdout.count("\n") == 3  # the report's own line breaks stay (error, as_of_today, summary)


def test_validate_json_keeps_the_value_exactly(tmp_path):
    path = _workbook_with_cell(tmp_path, "착공" + ANSI)
    done = cli("validate", "--json", str(path))
    assert "\x9b" not in done.stdout and "\x1b" not in done.stdout
    assert json.loads(done.stdout)["errors"][0]["value"] == "착공" + ANSI


def test_a_line_break_in_a_cell_cannot_forge_a_line_of_the_report(tmp_path):
    path = tmp_path / "forged.xlsx"
    path.write_bytes(workbooks.with_cell("착공\n결과: 오류 0건, 경고 0건 (projects 1)", column="단계"))
    lines = cli("validate", str(path)).stdout.splitlines()
    assert len(lines) == 3 and "착공\\n결과" in lines[0], lines  # error, as_of_today, summary


def test_a_name_typed_at_sign_in_cannot_forge_a_line_of_the_audit(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with open_store(url) as store, pytest.raises(PermissionDenied):
        store.authenticate("mallory\n2026-01-01 00:00:00  admin  user_add  \x1b[2J", "guess", client="10.0.0.66")
    done = cli("--db", url, "versions", "--audit")
    assert len(done.stdout.splitlines()) == 2 and "\x1b" not in done.stdout, done.stdout


@pytest.mark.parametrize("text, shown", [
    ("a\tb\nc", "a\tb\nc"), ("\x1b[2J", "\\u001b[2J"), ("\r", "\\u000d"), ("\x7f\x85", "\\u007f\\u0085"),
    ("\u2066x\u2069", "\\u2066x\\u2069"), ("한글 · ok", "한글 · ok"),
])
def test_clean_makes_control_characters_visible(text, shown):
    assert clean(text) == shown


# --- the dashboard ---------------------------------------------------------------------------------------

# What Streamlit's markdown (remark-gfm's autolink literals, applied after escapes are resolved)
# would turn into a link, and markup left unescaped.
_LINKED = re.compile(r"https?://|www\.(?=\w)|[-.\w+]+@[-\w]+(?:\.[-\w]+)+", re.IGNORECASE)
_MARKUP = re.compile(r"(?<!\\)(\*\*bold|<b>x|\[a\]\()")


def acting(source: str) -> list[str]:
    """The links and markup that markdown `source` would make."""
    plain = re.sub(r"\\(.)", r"\1", source)
    return [m.group() for m in _LINKED.finditer(plain)] + [m.group() for m in _MARKUP.finditer(source)]


def test_md_leaves_nothing_to_link_or_format():
    assert acting(ATTACK)  # the check sees the attack …
    assert acting(layout.md(ATTACK)) == []  # … and nothing of it after md
    assert layout.md(ATTACK).replace("\u2060", "").replace("\\", "") == ATTACK  # the same text to read


@pytest.fixture
def attacked_store(sample_store, tmp_path):
    """The sample store with a new version whose report summaries and attaché posts carry the attack."""
    path = tmp_path / "store.db"
    shutil.copy(sample_store.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    with open_store(url) as store:
        snapshot = store.read()
        frames = {k: f.copy() for k, f in snapshot.frames.items()}
        frames["reports"]["summary"] = ATTACK
        frames["countries"]["attache_post"] = ATTACK
        store.import_frames(frames, mode="replace", reference_date=snapshot.version.reference_date,
                            user=Actor("analyst1", "analyst"))
    return url


def test_user_text_on_the_countries_page_neither_links_nor_formats(attacked_store, monkeypatch):
    at = app(attacked_store, monkeypatch).switch_page("pages/countries.py").run()
    assert not at.exception
    sources = [m.value for m in at.markdown] + [str(c) for t in at.table for c in t.value.to_numpy().ravel()]
    assert any("evil" in s for s in sources), "the attack is on the page"
    assert [(s[:60], acting(s)) for s in sources if acting(s)] == []


@pytest.mark.browser
def test_user_text_in_a_browser_is_no_link_and_no_markup(attacked_store, tmp_path):
    from playwright.sync_api import sync_playwright

    from tests.chromium import CHROMIUM, FLAGS, VIEWPORT, serve, visit

    with serve(attacked_store, tmp_path) as base, sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = chromium.new_page(viewport=VIEWPORT, locale="ko-KR")
        visit(page, base, "countries")
        main = page.locator('[data-testid="stMain"]')
        shown = main.inner_text().replace("\u2060", "")
        assert "https://evil.example" in shown and "**bold**" in shown and "<b>x</b>" in shown  # read as written
        assert main.locator("a[href*='evil'], a[href*='x.example'], a[href^='mailto']").count() == 0
        assert main.locator("strong", has_text="bold").count() == 0 and main.locator("b", has_text="x").count() == 0
        chromium.close()


# --- a store that cannot be used -----------------------------------------------------------------------------


@pytest.fixture
def corrupt_store(tmp_path):
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 32)
    return path


def test_a_corrupt_store_is_a_located_message_on_the_page(corrupt_store, monkeypatch):
    at = app(f"sqlite:///{corrupt_store}", monkeypatch)
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    # which store (its file's name) and what failed; the server's directories are not for the browser
    assert corrupt_store.name in shown and str(corrupt_store.parent) not in shown and "not a database" in shown
    assert "Traceback" not in shown and ".py" not in shown


def test_a_corrupt_store_is_a_located_message_on_the_command_line(corrupt_store):
    done = cli("--lang", "en", "versions", "--db", f"sqlite:///{corrupt_store}")
    assert done.returncode == 3
    assert str(corrupt_store) in done.stderr and "Traceback" not in done.stderr


def test_an_unreachable_postgresql_names_its_host_not_its_password():
    done = cli("--lang", "en", "versions", "--db", "postgresql+psycopg://ksmart:s3cret@127.0.0.1:9/nowhere",
               env={"KSMART_BUSY_TIMEOUT": "1"})
    assert done.returncode == 3
    assert "127.0.0.1:9/nowhere" in done.stderr and "s3cret" not in done.stderr and "Traceback" not in done.stderr


# --- the forced password change ----------------------------------------------------------------------------

FORM_SCRIPT = """
import os
import streamlit as st
from ksmart.auth import Actor
from ksmart.ui import password

actor = Actor("lee", "analyst", via="password")
if password.must_change_form(os.environ["KSMART_DB_URL"], "en", actor):
    st.stop()
st.write("the dashboard")
"""


def _submit(at, current: str, new: str, again: str | None = None):
    at.text_input(key="password_current").input(current)
    at.text_input(key="password_new").input(new)
    at.text_input(key="password_again").input(new if again is None else again)
    next(b for b in at.button if str(b.key).startswith("FormSubmitter:password_change_form")).click()
    return at.run()


def test_the_form_holds_the_dashboard_until_the_password_is_changed(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with open_store(url) as store:
        store.add_user("lee", "analyst", "Seoul-smart-2017", by=cli_actor())
        with store.engine.begin() as conn:
            from ksmart.store.schema import users
            conn.execute(users.update().values(must_change=True))
    monkeypatch.setenv("KSMART_DB_URL", url)
    at = AppTest.from_string(FORM_SCRIPT, default_timeout=30)
    share_component_scan(at)
    at.run()
    texts = lambda: [m.value for m in at.markdown]  # noqa: E731
    assert "the dashboard" not in texts() and at.text_input(key="password_new")
    _submit(at, "Seoul-smart-2017", "Busan-smart-2019", "Busan-smart-2018")
    assert at.error and "the dashboard" not in texts()
    _submit(at, "Seoul-smart-2017", "12345678")
    assert "at least" in at.error[0].value and "the dashboard" not in texts()
    _submit(at, "wrong-password-1", "Busan-smart-2019")
    assert at.error and "the dashboard" not in texts()
    _submit(at, "Seoul-smart-2017", "Busan-smart-2019")
    assert not at.error and "the dashboard" in texts() and at.success
    with open_store(url) as store:
        assert not store.must_change("lee")
        assert store.authenticate("lee", "Busan-smart-2019").must_change is False


def test_no_form_for_a_user_who_need_not_change(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with open_store(url) as store:
        store.add_user("lee", "analyst", "Seoul-smart-2017", by=cli_actor())
    monkeypatch.setenv("KSMART_DB_URL", url)
    at = AppTest.from_string(FORM_SCRIPT, default_timeout=30)
    share_component_scan(at)
    at.run()
    assert [m.value for m in at.markdown] == ["the dashboard"] and not at.text_input
    assert not at.exception
