"""The text catalogue (`ksmart/catalogue/{ko,en}.toml`): complete in both
languages, every key used, no Hangul text left in code, no number typed into a text.

Each check is a function over plain data (a catalogue, a source text) so that
the crafted cases at the end of each block can show it fail.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from ksmart import i18n
from tests.ui_fixtures import HANGUL

KO, EN = i18n.catalogue("ko"), i18n.catalogue("en")

# Korean texts that legitimately have no Hangul (only placeholders, or a name).
NO_HANGUL_KO = {"activities.followed", "deck.change.count", "briefing.with_country", "briefing.item", "axis.value",
                "briefing.date", "briefing.date_year", "briefing.part.stage", "briefing.part.status",
                "map.legend.label"}  # "{name} {value}": a label on the map


def placeholders(text: str) -> set[str]:
    """The field names of a format string ("{count:,}" -> "count")."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


# --- both languages, same keys, same placeholders --------------------------------------------------


def mismatches(ko: dict[str, str], en: dict[str, str]) -> list[str]:
    """What is wrong between two catalogues: a key in one only, different
    placeholders, an empty text, Hangul in English, no Hangul in Korean."""
    problems = [f"{key}: only in ko" for key in sorted(ko.keys() - en.keys())]
    problems += [f"{key}: only in en" for key in sorted(en.keys() - ko.keys())]
    for key in sorted(ko.keys() & en.keys()):
        if placeholders(ko[key]) != placeholders(en[key]):
            problems.append(f"{key}: placeholders {sorted(placeholders(ko[key]))} != {sorted(placeholders(en[key]))}")
        if not ko[key].strip() or not en[key].strip():
            problems.append(f"{key}: empty")
        if HANGUL.search(en[key]):
            problems.append(f"{key}: Hangul in the English text {en[key]!r}")
        if key not in NO_HANGUL_KO and not HANGUL.search(ko[key]):
            problems.append(f"{key}: no Hangul in the Korean text {ko[key]!r}")
    return problems


def test_both_languages_have_the_same_keys_and_placeholders():
    assert mismatches(KO, EN) == []


@pytest.mark.parametrize("ko, en, problem", [
    ({"a.b": "가", "a.c": "나"}, {"a.b": "A"}, "a.c: only in ko"),
    ({"a.b": "가"}, {"a.b": "A", "a.d": "D"}, "a.d: only in en"),
    ({"a.b": "{n}건"}, {"a.b": "{count}"}, "a.b: placeholders ['n'] != ['count']"),
    ({"a.b": "가"}, {"a.b": "한 A"}, "a.b: Hangul in the English text '한 A'"),
    ({"a.b": "A"}, {"a.b": "A"}, "a.b: no Hangul in the Korean text 'A'"),
    ({"a.b": "가"}, {"a.b": " "}, "a.b: empty"),
])
def test_a_mismatch_is_caught(ko, en, problem):
    assert problem in mismatches(ko, en)


def test_the_catalogue_is_read_once():
    assert i18n.catalogue("ko") is i18n.catalogue("ko")
    with pytest.raises(ValueError):
        i18n.catalogue("fr")


# --- every key is used, every used key exists --------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "ksmart").rglob("*.py")])
# A call that names its key as a literal: t("page.overview", …), view.t(…), data.tr(…), pair(…).
CALL = re.compile(r"""\b(?:t|tr|pair)\(\s*["']([a-z0-9_]+(?:\.[a-z0-9_]+)*)["']""")
# Any string literal that spells a key (tables of keys, e.g. the deck's KPI list).
LITERAL = re.compile(r"""["']([a-z0-9_]+(?:\.[a-z0-9_]+)*)["']""")
REJECT = re.compile(r"""_reject\(\s*"(\w+)"(?:,\s*"(\w*)")?""")
REQUIRE = re.compile(r"""\bauth\.require\([^()]*,\s*"(\w+)"\)""")


def dynamic_keys() -> set[str]:
    """Keys that code builds (f"page.{key}"), each from the table that generates them."""
    from ksmart import auth, money
    from ksmart.analytics import briefing, changes
    from ksmart.analytics.metrics import Filters
    from ksmart.cli import commands_store
    from ksmart.ingest import messages, xlsx_safety
    from ksmart.present import deck
    from ksmart.store import importing
    from ksmart.ui import upload
    from ksmart.ui.pages import PAGES

    safety = (ROOT / "ksmart" / "ingest" / "xlsx_safety.py").read_text(encoding="utf-8")
    rejected = {f"rejected.{code}" + (f"_{variant}" if variant else "") for code, variant in REJECT.findall(safety)}
    # the variant `_sniff_kind` returns: the format a non-ZIP file most likely is
    rejected |= {f"rejected.not_xlsx_{kind}" for kind in ("pdf", "html", "xml", "text")}
    rejected.add("rejected.not_workbook")  # `"xlsb" if … else ""`: the plain variant
    assert xlsx_safety._sniff_kind(b"%PDF-1.4") == "pdf"
    actions = set()
    for path in SOURCES:
        actions |= set(REQUIRE.findall(path.read_text(encoding="utf-8")))
    return (
        {f"page.{p.key}" for p in PAGES} | {"page.data", "page.slides"}
        | {f"filter.{f}" for f in Filters.__dataclass_fields__}
        | {f"kind.{k}" for k in ("import", "seed", "rollback")} | {f"mode.{m}" for m in importing.MODES}
        | {f"role.{r}" for r in auth.ROLES} | {f"report.{c}" for c in upload.REPORT_COLUMNS}
        | {f"change_list.{k}" for k in changes.CHANGE_KEYS} | {s.title_key for s in deck.SECTIONS}
        | {f"reason.{code}" for code in messages.REASONS} | rejected
        | {f"briefing.minor_kind.{kind}" for kind in briefing.MINOR_KINDS}
        | {f"auth.action.{a}" for a in actions}
        | {f"number.n{n}" for n in i18n.NUMBER_WORDS}
        | {f"cli.report.{level}" for level in (messages.ERROR, messages.WARNING, messages.INFO)}
        | {f"cli.audit.{c}" for c in commands_store.AUDIT_COLUMNS}
        | {f"cli.versions.{c}" for c in commands_store.VERSION_COLUMNS}
        | {f"money.{prefix}{tier.key}" for tiers in money._TIERS.values() for tier in tiers for prefix in ("", "unit.")}
        | {f"money.{currency}_zero" for currency in ("usd", "krw")}
    )


def usage_problems(keys: set[str], sources: dict[str, str], dynamic: set[str]) -> list[str]:
    """Keys no code names (literally or through `dynamic`), and keys code asks for that do not exist."""
    literals, called = set(), set()
    for text in sources.values():
        literals |= set(LITERAL.findall(text))
        called |= set(CALL.findall(text))
    problems = [f"{key}: unused" for key in sorted(keys - literals - dynamic)]
    problems += [f"{key}: used but not in the catalogue" for key in sorted(called - keys)]
    return problems


def test_every_key_is_used_and_every_used_key_exists():
    sources = {str(p): p.read_text(encoding="utf-8") for p in SOURCES}
    dynamic = dynamic_keys()
    assert sorted(dynamic - KO.keys()) == [], "dynamic keys the catalogue lacks"
    assert usage_problems(set(KO), sources, dynamic) == []


@pytest.mark.parametrize("source, problem", [
    ('x = t("a.used", lang)', "a.never: unused"),
    ('x = t("a.used", lang) + t("a.missing", lang)', "a.missing: used but not in the catalogue"),
    ('x = view.t("a.used") + data.tr("a.typo")', "a.typo: used but not in the catalogue"),
])
def test_an_unused_or_missing_key_is_caught(source, problem):
    assert problem in usage_problems({"a.used", "a.never", "a.dyn"}, {"x.py": source}, {"a.dyn"})


def test_a_dynamic_key_counts_only_when_declared():
    source = 'x = t(f"a.{kind}", lang)'
    assert usage_problems({"a.one"}, {"x.py": source}, {"a.one"}) == []
    assert usage_problems({"a.one"}, {"x.py": source}, set()) == ["a.one: unused"]


# --- no Hangul text in code outside the catalogue and the reference tables -----------------------------

# Modules that are reference tables: their Korean is data (stages, aliases, country names, particles).
REFERENCE_MODULES = {"ksmart/reference.py", "ksmart/countries.py", "ksmart/korean.py"}
# (module, a fragment of the literal) -> why this Hangul is not a text the catalogue should hold.
ALLOWED_HANGUL = {
    ("ksmart/ui/sidebar.py", "한국어"): "each language's name in its own language, whatever the page's language",
    ("ksmart/present/palette.py", "맑은 고딕"): "a font family's name",
    ("ksmart/settings.py", "사업비(억원)"): "names the workbook column in the settings' English help; "
                                         "settings sit below the catalogue",
    ("ksmart/ingest/values.py", "대략"): "words read in a number cell (약 100, 100 내외)",
    ("ksmart/ingest/values.py", "달러"): "currency words read in a number cell",
    ("ksmart/ingest/values.py", "추정"): "words read in a number cell",
    ("ksmart/ingest/values.py", "년"): "date patterns read in a date cell (2016년 9월 8일, 3분기)",
    ("ksmart/ingest/validation.py", "기준"): "the reference-date line read above a header (기준일: 2017.09.30)",
}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def hangul_literals(name: str, source: str) -> list[str]:
    """String literals with Hangul in `source` (docstrings, comments and allowed fragments aside)."""
    if name in REFERENCE_MODULES:
        return []
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    allowed = [fragment for module, fragment in ALLOWED_HANGUL if module == name]
    literals, inside_fstrings = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):  # an f-string counts whole: "버전 {n} 반영"
            parts = [v.value if isinstance(v, ast.Constant) else "{}" for v in node.values]
            literals.append((node.lineno, "".join(parts)))
            inside_fstrings |= {id(v) for v in node.values}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings | inside_fstrings:
            literals.append((node.lineno, node.value))
    return [f"{name}:{line}: {text!r}" for line, text in sorted(literals)
            if HANGUL.search(text) and not any(fragment in text for fragment in allowed)]


def test_no_hangul_text_in_code_outside_the_catalogue():
    found = []
    for path in SOURCES:
        found += hangul_literals(path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8"))
    assert found == [], "move these texts to ksmart/catalogue/ (or allow them above, with a reason)"


def test_every_allowed_hangul_fragment_is_still_there():
    for module, fragment in ALLOWED_HANGUL:
        assert fragment in (ROOT / module).read_text(encoding="utf-8"), (module, fragment)


@pytest.mark.parametrize("source, caught", [
    ('raise BadArgument("x", "저장된 데이터가 없습니다.", "No data.")', True),
    ('msg = f"버전 {n} 반영" if ko else f"Version {n}"', True),
    ('HEAD = ["버전", "Version"]', True),
    ('def f():\n    """저장소를 엽니다."""\n    return 1  # 주석', False),
    ('x = t("data.committed", lang)', False),
])
def test_a_hangul_literal_in_code_is_caught(source, caught):
    assert bool(hangul_literals("ksmart/x.py", source)) is caught


def test_reference_tables_and_allowed_fragments_may_hold_hangul():
    assert hangul_literals("ksmart/reference.py", 'X = "협상"') == []
    assert hangul_literals("ksmart/ui/sidebar.py", 'X = {"ko": "한국어"}') == []
    assert hangul_literals("ksmart/ui/sidebar.py", 'X = "언어"') != []


# --- no number typed into a text ---------------------------------------------------------------------

# key -> (the numbers it may show as written, why they are not a setting or a constant)
ALLOWED_NUMBERS = {
    "reason.bad_number": (("1,234", "1234.5", "0"), "examples, and 'not negative' itself"),
    "reason.bad_percent": (("0–100", "0 and 100", "0.35", "35"), "what a percentage is, and examples"),
    "reason.bad_date": (("2016-09-08", "2016.9.8", "2016년 9월 8일"), "examples of a date"),
    "rejected.empty_file": (("0",), "an empty file has 0 bytes"),
    "money.usd_zero": (("0",), "an amount of zero"),
    "money.krw_zero": (("0",), "an amount of zero"),
    "rejected.not_xlsx_xml": (("2003",), "a product's name: XML Spreadsheet 2003"),
    "workbook_file.xml_spreadsheet": (("2003",), "a product's name: XML Spreadsheet 2003"),
    "workbook_file.ods": (("2007-365",), "the name of LibreOffice's .xlsx filter: Excel 2007-365"),
    "error.bad_iso_date": (("2016-09-08",), "an example of a date"),
    "error.bad_date_option": (("2016-09-30",), "an example of a date"),
}


def typed_numbers(key: str, text: str) -> list[str]:
    """Digits in `text` outside its placeholders, once the allowed numbers are set aside."""
    literal = "".join(part for part, *_ in string.Formatter().parse(text))
    for number in ALLOWED_NUMBERS.get(key, ((), ""))[0]:
        literal = literal.replace(number, "")
    return re.findall(r"\S*\d\S*", literal)


def test_no_number_is_typed_into_a_text():
    typed = {f"{lang}:{key}": found for lang, texts in (("ko", KO), ("en", EN)) for key, text in texts.items()
             if (found := typed_numbers(key, text))}
    assert typed == {}, "make these numbers placeholders filled from their setting or constant"


def test_every_allowed_number_is_still_there():
    for key, (numbers, _why) in ALLOWED_NUMBERS.items():
        assert any(n in KO[key] or n in EN[key] for n in numbers), key


@pytest.mark.parametrize("key, text, typed", [
    ("deck.kpi.upcoming", "30일 내 일정", ["30일"]),
    ("deck.kpi.upcoming", "{days}일 내 일정", []),
    ("data.upload_help", "Up to 20 MB.", ["20"]),
    ("reason.bad_date", "예: 2016-09-08 (1990년 이후)", ["(1990년"]),
    ("x.y", "{count:,} rows", []),
])
def test_a_typed_number_is_caught(key, text, typed):
    assert typed_numbers(key, text) == typed


def test_texts_follow_the_settings_they_show(monkeypatch):
    from ksmart.ingest import messages, validation, values

    assert i18n.number_word(validation.HEADER_MIN_COLUMNS, "ko") == "세"
    assert i18n.number_word(12, "en") == "12"
    message = messages.render("no_header", "en", {"expected": "X", "rows": 40, "min_columns_en": "four"})
    assert "first 40 rows" in message and "at least four columns" in message
    assert f"{values.MIN_YEAR}년" in messages.render("bad_date", "ko", {"value": "x", "min_year": values.MIN_YEAR})
    assert messages.template("no_header", "ko").count("{") == 3
    with pytest.raises(KeyError):
        messages.template("no_such_code", "ko")
