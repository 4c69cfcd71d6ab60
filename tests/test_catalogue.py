"""The text catalogue (`ksmart/catalogue/{ko,en}.toml`): complete in both
languages, every key used, no Hangul text left in code, no number typed into a text.

Each check is a function over plain data (a catalogue, a source text) so that
the crafted cases at the end of each block can show it fail.
"""

from __future__ import annotations

import string

import pytest

from ksmart import i18n
from tests.ui_fixtures import HANGUL

KO, EN = i18n.catalogue("ko"), i18n.catalogue("en")

# Korean texts that legitimately have no Hangul (only placeholders, or a name).
NO_HANGUL_KO = {"activities.followed", "deck.change.count", "briefing.with_country"}


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
