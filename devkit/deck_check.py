"""Re-measure a finished deck: which text would overflow its box or leave the slide,
and which line the renderer would have to break itself (where it might break Korean
inside a word: neither PowerPoint nor LibreOffice knows `keep-all`).

The builder fits every text before writing it; this reads the written deck
back (any .pptx python-pptx opens) and measures it again from what is in
the file only: box sizes, insets, font sizes, exact line spacings, paragraph
spacing, bullets, table column widths and row heights, with `measure`'s
character widths. The tests run it on decks built from 60-character project
names; a builder change that lets text out of its box fails there.
"""

from __future__ import annotations

from pptx.oxml.ns import qn
from pptx.util import Emu

from ksmart.present.deck import layout, measure

EMU_PER_PT = 12700
TOLERANCE_PT = 0.5
FOOTER_SHAPES = ("Footer", "Slide number")


def problems(prs) -> list[str]:
    """Every overflow found, as "slide N, shape: what" (empty: none)."""
    found: list[str] = []
    width, height = prs.slide_width, prs.slide_height
    content_bottom = Emu(int(layout.CONTENT_BOTTOM * 914400))
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            where = f"slide {number}, {shape.name}"
            if shape.left < 0 or shape.top < 0 or shape.left + shape.width > width or shape.top + shape.height > height:
                found.append(f"{where}: outside the slide")
            is_footer = shape.name in FOOTER_SHAPES or shape.shape_type == 9  # 9: the footer's rule (a line)
            if not is_footer and shape.top + shape.height > content_bottom + EMU_PER_PT:
                found.append(f"{where}: runs into the footer")
            if shape.has_text_frame:
                found.extend(f"{where}: {p}" for p in _frame(shape.text_frame, shape.width, shape.height))
            if getattr(shape, "has_table", False) and shape.has_table:
                found.extend(f"{where}: {p}" for p in _table(shape))
    return found


def _paragraphs(txBody):
    """(text, size pt, bold, line pt, space before pt, indent pt) of each paragraph."""
    out = []
    for p in txBody.iter(qn("a:p")):
        parts, size, bold = [], None, False
        for child in p:
            if child.tag in (qn("a:r"), qn("a:fld")):
                text = child.find(qn("a:t"))
                parts.append(text.text or "" if text is not None else "")
                rpr = child.find(qn("a:rPr"))
                if rpr is not None and rpr.get("sz") and size is None:
                    size = int(rpr.get("sz")) / 100
                    bold = rpr.get("b") == "1"
            elif child.tag == qn("a:br"):
                parts.append("\n")
        ppr = p.find(qn("a:pPr"))
        line = before = indent = 0.0
        if ppr is not None:
            spacing = ppr.find(f"{qn('a:lnSpc')}/{qn('a:spcPts')}")
            line = int(spacing.get("val")) / 100 if spacing is not None else 0.0
            gap = ppr.find(f"{qn('a:spcBef')}/{qn('a:spcPts')}")
            before = int(gap.get("val")) / 100 if gap is not None else 0.0
            indent = int(ppr.get("marL", "0")) / EMU_PER_PT
        size = size or 18.0  # PowerPoint's default
        out.append(("".join(parts), size, bold, line or size * 1.2, before, indent))
    return out


def needed_pt(txBody, width_pt: float) -> float:
    """The height the paragraphs of a text body take in `width_pt`."""
    total = 0.0
    for i, (text, size, bold, line, before, indent) in enumerate(_paragraphs(txBody)):
        lines = len(measure.wrap(text, (width_pt - indent) / size, bold))
        total += lines * line + (before if i else 0.0)
    return total


def unbroken(txBody, width_pt: float) -> list[str]:
    """The lines (between the deck's own line breaks) that must break between two words to fit
    `width_pt`: the renderer would choose where (a word longer than a line is the renderer's anyway)."""
    return [line for text, size, bold, _, _, indent in _paragraphs(txBody) for line in text.split("\n")
            if "\n" in measure.break_between_words(line, (width_pt - indent) / size, bold)]


def _breaks(txBody, width_pt: float) -> list[str]:
    return [f"the renderer would break {line!r}" for line in unbroken(txBody, width_pt)]


def _frame(frame, width, height) -> list[str]:
    if not frame.text.strip():
        return []
    inner_w = (width - frame.margin_left - frame.margin_right) / EMU_PER_PT
    inner_h = (height - frame.margin_top - frame.margin_bottom) / EMU_PER_PT
    need = needed_pt(frame._txBody, inner_w)
    found = [f"text needs {need:.1f} pt, box has {inner_h:.1f} pt"] if need > inner_h + TOLERANCE_PT else []
    return found + _breaks(frame._txBody, inner_w)


def _table(shape) -> list[str]:
    found = []
    table = shape.table
    widths = [c.width for c in table.columns]
    for i, row in enumerate(table.rows):
        for j, cell in enumerate(row.cells):
            inner_w = (widths[j] - cell.margin_left - cell.margin_right) / EMU_PER_PT
            need = needed_pt(cell._tc.txBody, inner_w) + (cell.margin_top + cell.margin_bottom) / EMU_PER_PT
            if need > row.height / EMU_PER_PT + TOLERANCE_PT:
                found.append(f"cell ({i}, {j}) needs {need:.1f} pt, row has {row.height / EMU_PER_PT:.1f} pt")
            found.extend(f"cell ({i}, {j}): {p}" for p in _breaks(cell._tc.txBody, inner_w))
    total = sum(r.height for r in table.rows)
    if total > shape.height + EMU_PER_PT:
        found.append("rows are taller than the table frame")
    return found
