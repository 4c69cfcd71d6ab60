"""Money as people say it (pipeline.md): one formatter, the spec's table of values."""

from __future__ import annotations

import math

import pytest

from ksmart import money

RATE = 1300.0


@pytest.mark.parametrize(("value", "ko", "en"), [
    (None, "미기재", "not given"),
    (math.nan, "미기재", "not given"),
    (0, "0달러", "USD 0"),
    (0.004, "0달러", "USD 0"),
    (0.35, "35만 달러", "USD 0.35 m"),
    (0.996, "100만 달러", "USD 1 m"),
    (3.5, "400만 달러", "USD 3.5 m"),
    (35, "3,500만 달러", "USD 35 m"),
    (99.4, "9,900만 달러", "USD 99 m"),
    (99.99, "1억 달러", "USD 100 m"),
    (100, "1억 달러", "USD 100 m"),
    (445, "4.5억 달러", "USD 445 m"),
    (999.6, "10억 달러", "USD 1 bn"),
    (4400, "44억 달러", "USD 4.4 bn"),
    (11923.92, "119.2억 달러", "USD 11.9 bn"),
])
def test_an_amount_reads_as_people_say_it(value, ko, en):
    assert money.amount(value, "ko") == ko
    assert money.amount(value, "en") == en


@pytest.mark.parametrize(("value", "ko", "en"), [
    (None, "미기재", "not given"),
    (0, "0원", "KRW 0"),
    (0.35, "5억원", "KRW 455 m"),               # 455,000,000 won
    (35, "455억원", "KRW 46 bn"),                # 45.5 bn won
    (11923.92, "15.5조원", "KRW 15.5 tn"),
    (769.2, "1조원", "KRW 1 tn"),                # 999,960 m won rounds into 조
])
def test_an_amount_in_won(value, ko, en):
    assert money.amount(value, "ko", krw_per_usd=RATE) == ko
    assert money.amount(value, "en", krw_per_usd=RATE) == en


@pytest.mark.parametrize(("delta", "ko", "en"), [
    (400, "+4억 달러", "+USD 400 m"),
    (-30, "−3,000만 달러", "−USD 30 m"),
    (0.001, "0달러", "USD 0"),
    (None, "미기재", "not given"),
])
def test_a_change_carries_its_sign(delta, ko, en):
    assert money.signed_amount(delta, "ko") == ko
    assert money.signed_amount(delta, "en") == en


@pytest.mark.parametrize(("values", "lang", "label", "numbers"), [
    ([4400, 120.5, None, 0], "ko", "억\u00a0달러", [44.0, 1.2, None, 0.0]),
    ([35, 0.35], "ko", "만\u00a0달러", [3500.0, 35.0]),
    ([4400, 120.5], "en", "USD\u00a0bn", [4.4, 0.1]),
    ([4400, 40], "en", "USD\u00a0bn", [4.4, 0.04]),        # a small value beside a large one is not 0
    ([4400, 3.5], "ko", "억\u00a0달러", [44.0, 0.04]),
    ([4400, 0.2], "en", "USD\u00a0bn", [4.4, 0.0]),         # at most two more decimals
    ([445, 3.25], "en", "USD\u00a0m", [445.0, 3.0]),
    ([3.25, 0.5], "en", "USD\u00a0m", [3.3, 0.5]),
    ([], "ko", "만\u00a0달러", []),
])
def test_a_table_takes_one_unit_from_its_largest_value(values, lang, label, numbers):
    """The unit's words never break apart in a narrow header: a no-break space joins them."""
    unit = money.unit_for(values, lang)
    assert unit.label == label
    assert [unit.of(v) for v in values] == numbers


@pytest.mark.parametrize(("value", "decimals", "rounded"), [(3.25, 1, 3.3), (250, -2, 300), (4.45, 1, 4.5), (-2.5, 0, -3)])
def test_rounding_is_half_up(value, decimals, rounded):
    assert money._round(value, decimals) == rounded


def test_a_table_in_won_states_its_unit():
    unit = money.unit_for([11923.92, 35], "ko", krw_per_usd=RATE)
    assert unit.label == "조원" and unit.of(11923.92) == 15.5 and unit.of(35) == 0.05


@pytest.mark.parametrize(("values", "lang", "texts"), [
    ([13995.8, 4400, 35], "ko", ["140억 달러", "44억 달러", "0.4억 달러"]),
    ([445, 3.25], "en", ["USD 445 m", "USD 3 m"]),
    ([13995.8, 4400, None], "en", ["USD 14 bn", "USD 4.4 bn", "not given"]),
])
def test_a_label_in_a_chart_keeps_the_charts_unit(values, lang, texts):
    unit = money.unit_for(values, lang)
    assert [unit.text(v) for v in values] == texts
