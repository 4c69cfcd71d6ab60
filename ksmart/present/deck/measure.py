"""How much room a text needs: an estimate of width per character, and fitting.

PowerPoint lays text out only when the deck is opened, with whatever fonts
the viewer has (맑은 고딕 on Windows, a substitute elsewhere). To be sure that
nothing runs out of its box, the builder measures every text itself before
placing it, with widths that are at least those of 맑은 고딕 and of the
DejaVu/Nanum fonts LibreOffice substitutes (measured at 1000 units per em):
a Hangul syllable is a full em, Latin letters 0.3–1.1 (each its own, bold
its own), digits 0.64, a space 0.32, and a quarter em where Hangul meets
Latin (LibreOffice's Asian-Latin spacing; PowerPoint adds none). Lines
break at spaces, and inside a word only when the word is longer than a
line, as both PowerPoint and LibreOffice do; a renderer that breaks Korean
between any two syllables needs no more lines than this.

Line height is not estimated: every paragraph the deck writes has an exact
line spacing of `LINE` × its size (see `layout.write`), so `lines × LINE ×
size` is the height PowerPoint will use. `check` measures the finished deck
with these same functions.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from typing import Sequence

LINE = 1.25  # exact line spacing, in multiples of the font size
BOLD_HANGUL = 1.04  # bold Hangul is a little wider in some fonts (Latin bold has its own table)
ELLIPSIS = "…"

# Advance widths (em) of printable ASCII, regular and bold: the larger of
# DejaVu Sans (what LibreOffice substitutes for 맑은 고딕's Latin) and
# NanumGothic, rounded up; 맑은 고딕's own Latin is narrower still.
_REGULAR = {
    0.28: "ijl", 0.30: "I", 0.31: "'", 0.32: " ,.", 0.34: ":;|", 0.37: "-Jf", 0.38: "/", 0.40: "()[]t",
    0.42: "r", 0.43: "!", 0.46: '"', 0.50: "`", 0.53: "sz", 0.55: "?_c", 0.56: "L", 0.58: "Fk", 0.60: "vxy",
    0.61: "*P", 0.62: "Taeo", 0.64: "$0123456789ESbdghnpqu{}", 0.66: "K", 0.67: "Y", 0.69: "BVXZ", 0.70: "CR",
    0.73: "A", 0.74: "U", 0.75: "N", 0.76: "H", 0.78: "&D", 0.79: "OQ", 0.80: "G", 0.84: "#+<=>^~", 0.85: "w",
    0.97: "M\\", 0.98: "m", 1.00: "@", 1.03: "W", 1.10: "%",
}
_BOLD = {
    0.31: "'", 0.35: " ijl", 0.37: "|", 0.38: ",./IJ", 0.40: ":;", 0.42: "-", 0.44: "f", 0.46: "!()[]", 0.48: "t",
    0.50: "`r", 0.53: '"', 0.55: "_", 0.59: "?z", 0.60: "cs", 0.61: "*", 0.64: "L", 0.65: "x", 0.66: "vy",
    0.67: "k", 0.68: "ae", 0.69: "EFTo", 0.70: "$0123456789", 0.72: "bdghnpqu{}", 0.73: "SYZ", 0.74: "CP",
    0.77: "B", 0.78: "AKRVX", 0.82: "U", 0.83: "G", 0.84: "#+<=>DHN^~", 0.86: "OQ", 0.88: "&", 0.93: "w",
    0.97: "\\", 1.00: "@M", 1.05: "m", 1.10: "%", 1.11: "W",
}
_ASCII = {False: {ch: em for em, chars in _REGULAR.items() for ch in chars},
          True: {ch: em for em, chars in _BOLD.items() for ch in chars}}
# Punctuation that Korean text uses and fonts draw narrower than a full em (bold widths).
_NARROW_WIDE = {"·": 0.38, "‘": 0.38, "’": 0.38, "“": 0.66, "”": 0.66, "–": 0.5, "×": 0.84, "\u00a0": 0.35}


@functools.lru_cache(maxsize=8192)
def char_em(ch: str, bold: bool = False) -> float:
    """The advance of `ch` in em (font size units), rounded up."""
    ascii_ = _ASCII[bold]
    if ch in ascii_:
        return ascii_[ch]
    if ch in _NARROW_WIDE:
        return _NARROW_WIDE[ch]
    # Hangul, CJK, full-width forms; other ambiguous ones (…, ○, →) are full-width in Korean fonts.
    wide = 1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.8
    return wide * (BOLD_HANGUL if bold else 1.0)


AUTOSPACE = 0.25  # LibreOffice adds about this much where Hangul meets Latin or digits


@functools.lru_cache(maxsize=65536)
def _word_em(word: str, bold: bool = False) -> float:
    """Width of a word (no spaces inside), with the Asian-Latin spacing."""
    total, previous = 0.0, None
    for ch in word:
        total += char_em(ch, bold)
        wide = ch not in _ASCII[False] and ch not in _NARROW_WIDE
        if previous is not None and wide != previous:
            total += AUTOSPACE
        previous = wide
    return total


def width_em(text: str, bold: bool = False) -> float:
    words = str(text).split(" ")
    return sum(_word_em(w, bold) for w in words) + char_em(" ", bold) * (len(words) - 1)


def wrap(text: str, max_em: float, bold: bool = False) -> list[str]:
    """`text` broken into lines no wider than `max_em` (at least one line;
    explicit line breaks kept)."""
    lines: list[str] = []
    for part in str(text).split("\n"):
        lines.extend(_wrap_line(part, max_em, bold))
    return lines or [""]


def break_between_words(text: str, max_em: float, bold: bool = False) -> str:
    """`text` with a "\n" for each space where `wrap` ends a line: what the deck writes, so that
    the renderer has no line left to break (it would break Korean inside a word). A word longer
    than a line keeps no break of ours: only the renderer's cut can split it."""
    out: list[str] = []
    for part in str(text).split("\n"):
        pieces, rest = [], part
        for line in _wrap_line(part, max_em, bold):
            rest = rest[len(line):]
            pieces.append(line + ("\n" if rest.startswith(" ") else ""))
            rest = rest[1:] if rest.startswith(" ") else rest
        out.append("".join(pieces))
    return "\n".join(out)


def _wrap_line(text: str, max_em: float, bold: bool) -> list[str]:
    lines: list[str] = []
    current: list[str] = []
    width, space = 0.0, char_em(" ", bold)
    for word in text.split(" "):
        w = _word_em(word, bold)
        extra = w + (space if current else 0.0)
        if width + extra <= max_em + 1e-9:
            current.append(word)
            width += extra
            continue
        if current:
            lines.append(" ".join(current))
        # A word longer than a line is broken between characters.
        while w > max_em and len(word) > 1:
            cut = _longest_prefix(word, max_em, bold)
            lines.append(word[:cut])
            word = word[cut:]
            w = _word_em(word, bold)
        current, width = [word], w
    lines.append(" ".join(current))
    return lines


def _longest_prefix(word: str, max_em: float, bold: bool) -> int:
    for i in range(1, len(word) + 1):
        if _word_em(word[:i], bold) > max_em:
            return max(i - 1, 1)
    return len(word)


def clip(text: str, max_em: float, max_lines: int, bold: bool = False) -> str:
    """`text` cut with "…" so that it takes at most `max_lines` lines `max_em` wide."""
    text = str(text)
    if len(wrap(text, max_em, bold)) <= max_lines:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if len(wrap(text[:mid].rstrip() + ELLIPSIS, max_em, bold)) <= max_lines:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + ELLIPSIS


def height_pt(n_lines: int, size_pt: float) -> float:
    return n_lines * LINE * size_pt


@dataclass(frozen=True)
class Fit:
    """A text fitted to a box: the font size and the paragraphs to write
    (the same as given unless something had to be cut with "…")."""

    size: float
    texts: tuple[str, ...]
    truncated: bool = False


def _gaps(gap: float | Sequence[float], n: int) -> list[float]:
    """Space before each of `n` paragraphs (multiples of the size); none before the first."""
    gaps = [float(gap)] * n if isinstance(gap, (int, float)) else [float(g) for g in gap][:n]
    return [0.0, *gaps[1:]] if gaps else []


def needed_pt(paragraphs: Sequence[str], width_pt: float, size: float, *, bold: bool = False,
              gap: float | Sequence[float] = 0.0) -> float:
    """The height `paragraphs` take in a box `width_pt` wide at `size`, with
    `gap` × size before every paragraph but the first (one gap for all, or
    one per paragraph)."""
    lines = sum(len(wrap(p, width_pt / size, bold)) for p in paragraphs)
    return height_pt(lines, size) + sum(_gaps(gap, len(paragraphs))) * size


def fit(paragraphs: Sequence[str], width_pt: float, height_pt_: float, *, max_size: float, min_size: float,
        bold: bool = False, gap: float | Sequence[float] = 0.0) -> Fit:
    """The largest whole size in [min_size, max_size] at which the paragraphs
    fit the box; when even `min_size` is too large, the text is cut at the
    end with "…" (whole paragraphs dropped first if need be).

    `gap` is the space before each paragraph but the first, in multiples
    of the size, one for all or one per paragraph (the layout writes it as
    exact points).
    """
    texts = [str(p) for p in paragraphs]

    def fits(candidate: Sequence[str], size: float) -> bool:
        return needed_pt(candidate, width_pt, size, bold=bold, gap=gap) <= height_pt_ + 1e-6

    size = float(max_size)
    while not fits(texts, size) and size > min_size:
        size = max(float(min_size), size - 1)
    if fits(texts, size):
        return Fit(size, tuple(texts))
    while texts:
        last = texts[-1]
        lo, hi = 0, len(last)  # the longest prefix that fits with "…"
        if fits([*texts[:-1], ELLIPSIS], size):
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if fits([*texts[:-1], last[:mid].rstrip() + ELLIPSIS], size):
                    lo = mid
                else:
                    hi = mid - 1
            return Fit(size, (*texts[:-1], last[:lo].rstrip() + ELLIPSIS), True)
        texts.pop()
    return Fit(size, (), True)
