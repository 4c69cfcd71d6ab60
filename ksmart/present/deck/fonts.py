"""Korean typefaces on every piece of text of the deck, in one final pass.

python-pptx's `font.name` writes only `<a:latin>`; PowerPoint then draws
Hangul in whatever East Asian font the theme or the machine defaults to
(often a Chinese or Japanese one, with wrong glyph shapes and widths). So,
after all slides are built, `apply` visits every run, field and paragraph
end in the slides (text boxes and table cells alike) and every text
property in the charts, and sets `<a:latin>` and `<a:ea>` on each, plus
the language; the theme's fonts get the same, so text typed later in
PowerPoint is Korean-ready too. Doing it once here means no builder can
forget it.
"""

from __future__ import annotations

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from ksmart.present import palette as pal

EA, LATIN = pal.DECK_EA_FONT, pal.DECK_LATIN_FONT
LANG = {"ko": "ko-KR", "en": "en-US"}

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
# Children of a:rPr / a:defRPr / a:endParaRPr that come after latin/ea/cs in
# the schema's order: the typefaces go before the first of these.
_AFTER_FONTS = tuple(qn(f"a:{tag}") for tag in ("sym", "hlinkClick", "hlinkMouseOver", "rtl", "extLst"))
_FONT_TAGS = (qn("a:latin"), qn("a:ea"), qn("a:cs"))
_PROPERTY_TAGS = (qn("a:rPr"), qn("a:endParaRPr"), qn("a:defRPr"))


def set_typefaces(properties: etree._Element, lang: str | None = None) -> None:
    """Latin and East Asian typefaces on one text-properties element, in schema order."""
    for old in [child for child in properties if child.tag in _FONT_TAGS]:
        properties.remove(old)
    latin = etree.Element(qn("a:latin"), typeface=LATIN)
    ea = etree.Element(qn("a:ea"), typeface=EA)
    anchor = next((child for child in properties if child.tag in _AFTER_FONTS), None)
    if anchor is None:
        properties.append(latin)
        properties.append(ea)
    else:
        anchor.addprevious(latin)
        anchor.addprevious(ea)
    if lang and properties.tag != qn("a:defRPr"):
        properties.set("lang", lang)
        properties.set("altLang", LANG["en"] if lang == LANG["ko"] else LANG["ko"])


def _ensure_run_properties(root: etree._Element) -> None:
    """Give every run and field an `a:rPr` (python-pptx omits it on plain runs)."""
    for run in root.iter(qn("a:r"), qn("a:fld")):
        if run.find(qn("a:rPr")) is None:
            rpr = etree.Element(qn("a:rPr"))
            text = run.find(qn("a:t"))
            if text is not None:
                text.addprevious(rpr)
            else:
                run.insert(0, rpr)


def _apply_tree(root: etree._Element, lang: str | None) -> None:
    _ensure_run_properties(root)
    for properties in root.iter(*_PROPERTY_TAGS):
        set_typefaces(properties, lang)


def apply(prs, lang: str) -> None:
    """Set the deck's typefaces on every slide, chart and the theme."""
    code = LANG.get(lang, LANG["en"])
    for slide in prs.slides:
        _apply_tree(slide._element, code)
        for shape in slide.shapes:
            if getattr(shape, "has_chart", False) and shape.has_chart:
                chart_space = shape.chart._chartSpace
                shape.chart.font  # creates the chart-wide c:txPr that every label inherits
                _apply_tree(chart_space, code)
    _theme(prs)


def _theme(prs) -> None:
    """The theme's major and minor fonts: what PowerPoint uses for new text."""
    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    for group in ("majorFont", "minorFont"):
        for font in root.iter(f"{{{_A}}}{group}"):
            for tag, face in (("latin", LATIN), ("ea", EA)):
                element = font.find(f"{{{_A}}}{tag}")
                if element is not None:
                    element.set("typeface", face)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
