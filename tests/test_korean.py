"""Korean particles agree with the last read syllable of any word."""

import pytest

from ksmart.korean import PARTICLES, attach, particle


@pytest.mark.parametrize(
    "word, kind, expected",
    [
        # Hangul: 받침 or not, and ㄹ for 으로/로
        ("협상", "이/가", "이"),
        ("보류", "이/가", "가"),
        ("협상", "으로/로", "으로"),
        ("보류", "으로/로", "로"),
        ("발굴", "으로/로", "로"),
        ("발굴", "이/가", "이"),
        ("중단", "으로/로", "으로"),
        ("사업", "을/를", "을"),
        ("쿠웨이트", "을/를", "를"),
        ("한전", "은/는", "은"),
        ("수공", "과/와", "과"),
        ("도시", "과/와", "와"),
        ("협의·MOU", "으로/로", "로"),  # U 유
        ("학교", "이에요/예요", "예요"),
        ("공원", "이에요/예요", "이에요"),
        ("철수", "아/야", "야"),
        # digits by their Korean reading
        ("2016-12-01", "으로/로", "로"),  # 일 (ㄹ)
        ("2016-12-02", "으로/로", "로"),  # 이
        ("2016-12-03", "으로/로", "으로"),  # 삼
        ("2016-12-06", "이/가", "이"),  # 육
        ("2016-12-07", "으로/로", "로"),  # 칠 (ㄹ)
        ("2016-12-08", "이/가", "이"),  # 팔
        ("2016-12-09", "이/가", "가"),  # 구
        ("2016-12-10", "으로/로", "으로"),  # 십
        ("2,000", "이/가", "이"),  # 천
        ("150백만 달러", "으로/로", "로"),
        ("2단계", "으로/로", "로"),
        ("Phase 2", "이/가", "가"),
        # acronyms by their letters' names
        ("LH", "이/가", "가"),  # 에이치
        ("LX", "이/가", "가"),  # 엑스
        ("KOTRA", "을/를", "를"),  # 에이
        ("KEPCO", "은/는", "는"),
        ("UN", "이/가", "이"),  # 엔
        ("ICT", "으로/로", "로"),
        ("5G", "이/가", "가"),
        ("EXPO L", "으로/로", "로"),  # 엘 (ㄹ)
        ("MDB M", "이/가", "이"),  # 엠
        # other Latin words by their loan-word spelling
        ("Smart City", "이/가", "가"),
        ("Hotel", "으로/로", "로"),
        ("Mobile", "이/가", "이"),
        ("System", "이/가", "이"),
        ("Zone", "을/를", "을"),
        ("Park", "이/가", "가"),
        ("Hong Kong", "은/는", "은"),  # 콩
        ("Smart_", "이/가", "가"),
        # trailing punctuation, quotes, spaces and parentheticals are not read
        ("LH(한국토지주택공사)", "이/가", "가"),
        ("스마트시티 (1단계)", "이/가", "가"),
        ("ICT 플랫폼(2차)", "이/가", "이"),
        ("'압둘라 신도시'", "이/가", "가"),
        ("“스마트 해결사”", "을/를", "를"),
        ("협상.", "으로/로", "으로"),
        ("  발굴  ", "으로/로", "로"),
        ("(가칭)", "이/가", "이"),  # nothing before it: read it
        # nothing readable: both forms
        ("", "이/가", "(이)가"),
        ("???", "으로/로", "(으)로"),
        ("北京", "을/를", "(을)를"),
    ],
)
def test_particle(word, kind, expected):
    assert particle(word, kind) == expected


@pytest.mark.parametrize("kind", list(PARTICLES))
def test_every_pair_in_either_order(kind):
    after_consonant, after_vowel = PARTICLES[kind]
    reversed_kind = f"{after_vowel}/{after_consonant}"
    assert particle("협상", kind) == particle("협상", reversed_kind) == after_consonant
    assert particle("보류", kind) == particle("보류", reversed_kind) == after_vowel


def test_attach():
    assert attach("쿠웨이트 압둘라 신도시 사업", "이/가") == "쿠웨이트 압둘라 신도시 사업이"
    assert attach("보류", "으로/로") == "보류로"


def test_unknown_particle_is_an_error():
    with pytest.raises(ValueError, match="unknown particle"):
        particle("협상", "에게/께")
