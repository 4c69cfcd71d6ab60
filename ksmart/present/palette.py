"""One look for every chart, map and slide: colours per stage and subcommittee, fonts.

The dashboard's plotly charts, the pydeck map and the PowerPoint deck all take
their colours from here, so a stage is the same colour everywhere.
"""

from __future__ import annotations

# Stages go from pale to deep blue while open, green once won: the eye reads
# progress left to right and "won" stands apart.
STAGE_COLORS = {
    "identified": "#C6DBEF",
    "engagement": "#9ECAE1",
    "feasibility": "#6BAED6",
    "proposal": "#3182BD",
    "negotiation": "#08519C",
    "contract": "#31A354",
    "implementation": "#006D2C",
}

SUBCOMMITTEE_COLORS = {
    "urban_infra": "#E6550D",
    "energy_env": "#2CA25F",
    "ict": "#756BB1",
}

ACCENT = "#C0392B"  # what needs attention: stalled, slipped
NEUTRAL = "#7F7F7F"
INK = "#1F2933"
BACKGROUND = "#FFFFFF"

# Fonts that carry Hangul, in order of preference; the browser picks the first
# installed one (Debian's fonts-nanum gives NanumGothic, Windows Malgun Gothic).
FONT_STACK = "'Malgun Gothic', '맑은 고딕', 'NanumGothic', 'Nanum Gothic', 'Noto Sans CJK KR', 'Apple SD Gothic Neo', sans-serif"
# The East Asian typeface set on every run of the deck.
DECK_EA_FONT = "맑은 고딕"
DECK_LATIN_FONT = "Malgun Gothic"

# Open pipeline value on the map: light to dark, as RGB for pydeck and Pillow.
VALUE_SCALE = [(222, 235, 247), (158, 202, 225), (66, 146, 198), (33, 113, 181), (8, 69, 148)]
NO_VALUE_RGB = (235, 235, 235)
# The map's ground, the same on the page (pydeck) and the deck's picture (Pillow).
SEA_RGB = (236, 242, 248)
LAND_RGB = (250, 250, 250)
OUTLINE_RGB = (200, 204, 210)
COUNTRY_LINE_RGB = (110, 118, 128)
ARC_RGB = (192, 57, 43)
SEOUL_RGB = (200, 30, 30)


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def value_rgb(value: float, max_value: float) -> tuple[int, int, int]:
    """The map colour of an open value, on a square-root scale so small pipelines still show."""
    if not max_value or value <= 0:
        return NO_VALUE_RGB
    share = (value / max_value) ** 0.5
    index = min(int(share * len(VALUE_SCALE)), len(VALUE_SCALE) - 1)
    return VALUE_SCALE[index]


def ink_on(color: str) -> str:
    """Dark or white text, whichever reads on `color` (relative luminance)."""
    r, g, b = (c / 255 for c in hex_to_rgb(color))
    return INK if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.55 else "#FFFFFF"


# Directives by follow-up status (지시사항 이행점검): done green like a won project, in progress
# blue like an open one, not started grey, on hold amber; overdue is ACCENT wherever it is told.
ACTION_STATUS_COLORS = {
    "done": "#31A354",
    "in_progress": "#3182BD",
    "not_started": "#BDBDBD",
    "on_hold": "#F0B429",
}
