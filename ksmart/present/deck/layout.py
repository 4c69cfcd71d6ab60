"""The 16:9 slide grid and the text boxes on it, each fitted before it is placed.

Every slide has the same frame: a title at the top (with an accent bar), an
optional one-line subtitle, a content area, and a footer with the data's
source and the slide number. Positions are in inches on a 13.333 × 7.5 in
slide (PowerPoint's 16:9); `Box` carries them.

Text boxes never rely on PowerPoint's autofit, which only happens when
PowerPoint itself re-renders the slide and not at all in LibreOffice:
`text` measures the paragraphs with `measure.fit`, picks the size (or cuts
with "…"), writes an exact line spacing so the measured height is the real
one, and turns autofit off.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from ksmart.present import palette as pal
from ksmart.present.deck import measure

SLIDE_W_EMU, SLIDE_H_EMU = 12192000, 6858000  # 13.333 × 7.5 in
SLIDE_W, SLIDE_H = SLIDE_W_EMU / 914400, SLIDE_H_EMU / 914400
MARGIN = 0.5

# Insets of every text box (inches): small and fixed, so the measure knows them.
INSET_X, INSET_Y = 0.05, 0.03

TITLE_SIZE, TITLE_MIN = 32, 22
SUBTITLE_SIZE, SUBTITLE_MIN = 18, 12
BODY_SIZE, BODY_MIN = 20, 12
FOOTER_SIZE = 11

INK = pal.INK
MUTED = "#6B7280"
ACCENT_BAR = pal.STAGE_COLORS["negotiation"]  # the deep blue of the dashboard's stages
RULE = "#D1D5DB"


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide, in inches."""

    x: float
    y: float
    w: float
    h: float

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def emu(self) -> tuple[Emu, Emu, Emu, Emu]:
        return Inches(self.x), Inches(self.y), Inches(self.w), Inches(self.h)

    def split(self, *fractions: float, gap: float = 0.3) -> list["Box"]:
        """Columns of the box, widths in proportion to `fractions`, `gap` apart."""
        usable = self.w - gap * (len(fractions) - 1)
        total = sum(fractions)
        boxes, x = [], self.x
        for f in fractions:
            w = usable * f / total
            boxes.append(Box(x, self.y, w, self.h))
            x += w + gap
        return boxes

    def top(self, h: float, gap: float = 0.0) -> tuple["Box", "Box"]:
        """(a band `h` high at the top, the rest below it after `gap`)."""
        return replace(self, h=h), Box(self.x, self.y + h + gap, self.w, max(self.h - h - gap, 0.0))


TITLE = Box(MARGIN + 0.22, 0.32, SLIDE_W - 2 * MARGIN - 0.22, 0.78)
SUBTITLE = Box(MARGIN + 0.22, 1.1, SLIDE_W - 2 * MARGIN - 0.22, 0.42)
FOOTER_Y = 7.0
FOOTER = Box(MARGIN, FOOTER_Y, SLIDE_W - 2 * MARGIN - 0.9, 0.34)
NUMBER = Box(SLIDE_W - MARGIN - 0.8, FOOTER_Y, 0.8, 0.34)
CONTENT_BOTTOM = FOOTER_Y - 0.18


def content(subtitle: bool) -> Box:
    """The area between the title (and subtitle) and the footer."""
    top = 1.62 if subtitle else 1.3
    return Box(MARGIN, top, SLIDE_W - 2 * MARGIN, CONTENT_BOTTOM - top)


def rgb(color: str) -> RGBColor:
    return RGBColor.from_string(color.lstrip("#").upper())


# --- text ------------------------------------------------------------------------


def text(slide, box: Box, paragraphs: Sequence[str] | str, *, size: float = BODY_SIZE, min_size: float = BODY_MIN,
         bold: bool = False, color: str = INK, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP, gap: float = 0.0,
         bullet: bool = False, name: str | None = None) -> measure.Fit:
    """A text box in `box` holding `paragraphs`, fitted (see the module docstring).

    `gap` is the space before each paragraph after the first, as a multiple
    of the size; `bullet` sets a hanging "•". Returns the fit (size, texts,
    whether something was cut).
    """
    paragraphs = [paragraphs] if isinstance(paragraphs, str) else list(paragraphs)
    indent = bullet_indent(size) if bullet else 0.0
    width_pt, height_pt = inner_pt(box)
    fitted = measure.fit(paragraphs, width_pt - indent * 72, height_pt, max_size=size, min_size=min_size,
                         bold=bold, gap=gap)
    shape = slide.shapes.add_textbox(*box.emu())
    if name:
        shape.name = name
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Inches(INSET_X)
    frame.margin_top = frame.margin_bottom = Inches(INSET_Y)
    for i, content_ in enumerate(fitted.texts or [""]):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        write(paragraph, content_, fitted.size, bold=bold, color=color, align=align,
              space_before=gap * fitted.size if i else 0.0, width_pt=width_pt - indent * 72)
        if bullet:
            set_bullet(paragraph, bullet_indent(fitted.size))
    return fitted


_ALIGN = {PP_ALIGN.LEFT: "l", PP_ALIGN.CENTER: "ctr", PP_ALIGN.RIGHT: "r"}


def write(paragraph, content_: str, size: float, *, bold: bool = False, color: str = INK, align=PP_ALIGN.LEFT,
          space_before: float = 0.0, width_pt: float | None = None, measure_bold: bool | None = None) -> None:
    """One paragraph at `size` with an exact line spacing (see `measure.LINE`);
    a "\n" in `content_` is a line break within it.

    With `width_pt`, the paragraph is broken into lines where `measure.wrap` breaks it (between
    words), each line ended by a line break: LibreOffice and PowerPoint know no `keep-all` and
    would break Korean inside a word, and a measured line is never wider than the box, so they
    have no break left to make. `measure_bold` measures as the fit did (default: `bold`).

    Written as XML directly: a deck has hundreds of table cells, and
    python-pptx's property setters made them the slowest part of a build.
    """
    p = paragraph._p
    for child in list(p):
        if child.tag != qn("a:pPr"):
            p.remove(child)
    ppr = p.get_or_add_pPr()
    ppr.set("algn", _ALIGN.get(align, "l"))
    spacing = etree.SubElement(ppr, qn("a:lnSpc"))
    etree.SubElement(spacing, qn("a:spcPts")).set("val", str(round(size * measure.LINE * 100)))
    if space_before:
        etree.SubElement(etree.SubElement(ppr, qn("a:spcBef")), qn("a:spcPts")).set(
            "val", str(round(space_before * 100)))
    ink = color.lstrip("#").upper()
    if width_pt is not None:
        content_ = measure.break_between_words(content_, width_pt / size, bold if measure_bold is None else measure_bold)
    for i, line in enumerate(content_.split("\n")):
        if i:
            etree.SubElement(p, qn("a:br"))
        run = etree.SubElement(p, qn("a:r"))
        rpr = etree.SubElement(run, qn("a:rPr"), sz=str(round(size * 100)), b="1" if bold else "0")
        etree.SubElement(etree.SubElement(rpr, qn("a:solidFill")), qn("a:srgbClr")).set("val", ink)
        etree.SubElement(run, qn("a:t")).text = line


def bullet_indent(size: float) -> float:
    """The hanging indent of a bullet at `size`, in inches."""
    return size * 0.9 / 72


def set_bullet(paragraph, indent_in: float) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.set("marL", str(int(Inches(indent_in))))
    ppr.set("indent", str(-int(Inches(indent_in))))
    for tag in ("a:buNone", "a:buChar", "a:buAutoNum"):
        for old in ppr.findall(qn(tag)):
            ppr.remove(old)
    bullet = etree.SubElement(ppr, qn("a:buChar"))
    bullet.set("char", "•")
    # buChar must precede tabLst/defRPr/extLst; move it before whichever exists.
    for tag in ("a:tabLst", "a:defRPr", "a:extLst"):
        following = ppr.find(qn(tag))
        if following is not None:
            following.addprevious(bullet)
            break


def inner_pt(box: Box) -> tuple[float, float]:
    """(width, height) inside a text box's insets, in points."""
    return (box.w - 2 * INSET_X) * 72, (box.h - 2 * INSET_Y) * 72


def rectangle(slide, box: Box, fill: str, *, line: str | None = None):
    from pptx.enum.shapes import MSO_SHAPE

    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, *box.emu())
    shape.fill.solid()
    shape.fill.fore_color.rgb = rgb(fill)
    if line is None:
        shape.line.fill.background()
    else:
        shape.line.color.rgb = rgb(line)
    # Without the theme style reference a renderer has no shadow or outline to inherit.
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)
    return shape


# --- the frame of every slide -------------------------------------------------------


def title(slide, heading: str, subtitle: str | None = None) -> Box:
    """Title, accent bar and optional subtitle; returns the content area."""
    rectangle(slide, Box(MARGIN, TITLE.y + 0.1, 0.09, TITLE.h - 0.2), ACCENT_BAR)
    text(slide, TITLE, heading, size=TITLE_SIZE, min_size=TITLE_MIN, bold=True, anchor=MSO_ANCHOR.MIDDLE,
         name="Title")
    if subtitle:
        text(slide, SUBTITLE, subtitle, size=SUBTITLE_SIZE, min_size=SUBTITLE_MIN, color=MUTED,
             anchor=MSO_ANCHOR.MIDDLE, name="Subtitle")
    return content(bool(subtitle))


def footer(slide, caption: str, number: int) -> None:
    """The source line and the slide number (a field: it follows when slides move)."""
    line = slide.shapes.add_connector(1, Inches(MARGIN), Inches(FOOTER_Y - 0.06), Inches(SLIDE_W - MARGIN),
                                      Inches(FOOTER_Y - 0.06))
    line.line.color.rgb = rgb(RULE)
    line.line.width = Pt(0.75)
    text(slide, FOOTER, caption, size=FOOTER_SIZE, min_size=8, color=MUTED, anchor=MSO_ANCHOR.MIDDLE,
         name="Footer")
    text(slide, NUMBER, str(number), size=FOOTER_SIZE, min_size=8, color=MUTED, align=PP_ALIGN.RIGHT,
         anchor=MSO_ANCHOR.MIDDLE, name="Slide number")
    _as_slide_number(slide.shapes[-1].text_frame.paragraphs[0])


def _as_slide_number(paragraph) -> None:
    """Turn the paragraph's run into PowerPoint's slide-number field."""
    run = paragraph.runs[0]._r
    field = etree.Element(qn("a:fld"))
    field.set("id", "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}")
    field.set("type", "slidenum")
    for child in list(run):
        field.append(child)
    run.addprevious(field)
    run.getparent().remove(run)


def note(slide, box: Box, message: str) -> None:
    """A centred grey note where a chart or table would be (nothing to show)."""
    text(slide, box, message, size=24, min_size=14, color=MUTED, align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE,
         name="Note")


def fit_count(items: Sequence[str], box: Box, *, size: float, min_size: float, gap: float, bullet: bool) -> int:
    """How many of `items`, from the first, fit `box` whole at `min_size` or more."""
    width_pt, height_pt = inner_pt(box)
    indent = bullet_indent(size) * 72 if bullet else 0.0  # as `text` measures it

    def fits(n: int) -> bool:
        return not measure.fit(items[:n], width_pt - indent, height_pt, max_size=min_size, min_size=min_size,
                               gap=gap).truncated

    # More items never fit better: search for the last n that fits, among at most
    # as many as one line each would allow (the briefing at 50,000 projects has
    # thousands of sentences; measuring them all took over a minute).
    lo, hi = 0, min(len(items), int(height_pt // measure.height_pt(1, min_size)) + 1)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


PANEL_FILL = "#F3F6FA"
PANEL_PAD = 0.15


def labelled(slide, box: Box, items: Sequence[tuple[str, str]], *, size: float = 16, min_size: float = 11) -> None:
    """Heading / text pairs on a pale panel (a fact sheet): headings bold in
    the accent blue with room above them, texts in ink, all at one fitted
    size (measured as if all were bold, to be safe)."""
    rectangle(slide, box, PANEL_FILL)
    inner = Box(box.x + PANEL_PAD, box.y + PANEL_PAD, box.w - 2 * PANEL_PAD, box.h - 2 * PANEL_PAD)
    paragraphs = [p for heading, body in items for p in (heading, body)]
    gaps = [0.8 if i % 2 == 0 else 0.15 for i in range(len(paragraphs))]
    width_pt, height_pt = inner_pt(inner)
    fitted = measure.fit(paragraphs, width_pt, height_pt, max_size=size, min_size=min_size, bold=True, gap=gaps)
    shape = slide.shapes.add_textbox(*inner.emu())
    shape.name = "Facts"
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = Inches(INSET_X)
    frame.margin_top = frame.margin_bottom = Inches(INSET_Y)
    for i, content_ in enumerate(fitted.texts or [""]):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        heading = i % 2 == 0
        write(paragraph, content_, fitted.size, bold=heading, color=ACCENT_BAR if heading else INK,
              space_before=gaps[i] * fitted.size if i else 0.0, width_pt=width_pt, measure_bold=True)


class SlideMaker:
    """Adds slides with the common frame: title, subtitle, footer with the slide number."""

    def __init__(self, prs, caption: str):
        self.prs = prs
        self.caption = caption
        self.blank = prs.slide_layouts[6]

    def new(self, heading: str | None, subtitle: str | None = None):
        """A new slide with its frame; returns (slide, content box). With no
        heading the slide has only the footer (the title slide draws its own)."""
        slide = self.prs.slides.add_slide(self.blank)
        footer(slide, self.caption, len(self.prs.slides))
        area = title(slide, heading, subtitle) if heading is not None else content(False)
        return slide, area
