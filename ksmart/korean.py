"""Korean particles (조사) that agree with any word, Hangul or not.

A particle pair such as 이/가 takes its first form after a final consonant
(받침) and its second after a vowel; 으로/로 also takes 로 after ㄹ. The word
decides by its last *read* syllable:

- Hangul: the final syllable's 받침 (`"협상"` → 으로, `"발굴"` → 로, `"보류"` → 로).
- Digits, read the Korean way: 0 영, 1 일, 2 이, 3 삼, 4 사, 5 오, 6 육, 7 칠,
  8 팔, 9 구; a number ending in zeros is read by its place (십, 백, 천, 만),
  which always has a 받침 other than ㄹ (`"2016-12-01"` → 로, `"10"` → 으로).
- Latin acronyms (all capitals, e.g. LH, KOTRA, ICT) by the last letter's
  name: L 엘 and R 알 end in ㄹ, M 엠 and N 엔 in other 받침, all other
  letters in a vowel (`"LH"` → 가, `"LX"` → 가, `"UN"` → 이).
- Other Latin words by their usual loan-word spelling: ending in l/le → ㄹ
  (Hotel 호텔, Mobile 모바일), in m, n, ng, or a silent e after m/n
  (System 시스템, Zone 존) → 받침, anything else → vowel (City 시티, Smart
  스마트, Park 파크).
- Trailing punctuation, quotes and spaces are skipped, and a trailing
  parenthetical is not read (국립국어원: the particle agrees with the word
  before the parentheses, "LH(한국토지주택공사)가"), unless nothing precedes it.
- Anything else (no readable character) gets both forms, "(이)가".
"""

from __future__ import annotations

import re

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_RIEUL = 8  # index of ㄹ among the 28 final-consonant slots

# The final sound of each digit and Latin letter name: None = vowel,
# "l" = ㄹ, "c" = any other 받침.
_DIGIT_FINAL = dict(zip("0123456789", ("c", "l", None, "c", None, None, "c", "l", "l", None)))
_LETTER_FINAL = {letter: None for letter in "ABCDEFGHIJKOPQSTUVWXYZ"} | {"L": "l", "R": "l", "M": "c", "N": "c"}

# (form after a 받침, form after a vowel); 으로/로 is the one that treats ㄹ as a vowel.
PARTICLES: dict[str, tuple[str, str]] = {
    "이/가": ("이", "가"),
    "을/를": ("을", "를"),
    "은/는": ("은", "는"),
    "과/와": ("과", "와"),
    "으로/로": ("으로", "로"),
    "이에요/예요": ("이에요", "예요"),
    "이나/나": ("이나", "나"),
    "이랑/랑": ("이랑", "랑"),
    "이라/라": ("이라", "라"),
    "아/야": ("아", "야"),
}
# Either order of a pair names it, and 이에요 alone too.
_ALIASES = {f"{b}/{a}": key for key, (a, b) in PARTICLES.items()} | {"이에요": "이에요/예요"}

_TRAILING_PARENTHETICAL = re.compile(r"^(.*\S)\s*[(\[（［][^()\[\]]*[)\]）］]\s*$")
_LATIN_WORD = re.compile(r"[A-Za-z]+$")
_TRAILING_UNREAD = re.compile(r"[\W_]+$")


def _read_text(word: str) -> str:
    """`word` without what is not read: trailing punctuation, quotes, spaces
    and a trailing parenthetical (unless nothing precedes it)."""
    text = word.strip()
    match = _TRAILING_PARENTHETICAL.match(text)
    if match:
        text = match.group(1)
    return _TRAILING_UNREAD.sub("", text)


def _final_sound(word: str) -> str | None | bool:
    """The final sound of `word` as read: None (vowel), "l" (ㄹ), "c" (another
    받침), or False when nothing in it can be read."""
    text = _read_text(word)
    if not text:
        return False
    last = text[-1]
    if _HANGUL_FIRST <= ord(last) <= _HANGUL_LAST:
        final = (ord(last) - _HANGUL_FIRST) % 28
        return None if final == 0 else ("l" if final == _RIEUL else "c")
    if last in _DIGIT_FINAL:  # a final 0 is 영 or a place (십, 백, 천, 만): "c" either way
        return _DIGIT_FINAL[last]
    if last.isascii() and last.isalpha():
        return _latin_final(_LATIN_WORD.search(text).group())
    return False


def _latin_final(word: str) -> str | None:
    """The final sound of a Latin word (see the module doc)."""
    if word.isupper():
        return _LETTER_FINAL[word[-1]]
    lower = word.lower()
    if lower.endswith(("l", "le")):
        return "l"
    if lower.endswith(("m", "n", "ng", "me", "ne")):
        return "c"
    return None


def _forms(kind: str) -> tuple[str, str]:
    key = kind if kind in PARTICLES else _ALIASES.get(kind)
    if key is None:
        raise ValueError(f"unknown particle {kind!r}; known: {', '.join(PARTICLES)}")
    return PARTICLES[key]


def particle(word: str, kind: str) -> str:
    """The form of particle `kind` (e.g. "이/가", "으로/로") that follows `word`.

    >>> particle("협상", "으로/로"), particle("발굴", "으로/로"), particle("LH", "이/가")
    ('으로', '로', '가')
    """
    after_consonant, after_vowel = _forms(kind)
    final = _final_sound(str(word))
    if final is False:  # unreadable: show both, as Korean writers do ("(이)가", "(으)로")
        if after_consonant.endswith(after_vowel):
            return f"({after_consonant[: -len(after_vowel)]}){after_vowel}"
        return f"({after_consonant}){after_vowel}"
    if final is None or (final == "l" and after_consonant == "으로"):
        return after_vowel
    return after_consonant


def attach(word: str, kind: str) -> str:
    """`word` followed by the agreeing form of particle `kind`."""
    return f"{word}{particle(word, kind)}"
