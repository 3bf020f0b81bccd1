"""The page foot measured once a note: each footnote set once where WeasyPrint sets it again
for every note the page gains.

WeasyPrint 70 measures a page's footnote area each time a note is called on the page
(`LayoutContext._update_footnote_area`: the text above gives up as much room as the area
takes): it copies the area and sets it whole, every note of the page so far, line by line. A
page of k notes sets its first note k times, k²/2 notes a page in all; the synthetic texts of
`scripts/bench --scale` (15 notes and an apparatus paragraph a page) spent two thirds of a
book's time there.

The override sets each block note once at a given width, keeps the height of its content, and
stands for it afterwards by an empty block of that height with its own margins, borders and
paddings: the area is still laid out by WeasyPrint, margins collapsing as they would, so its
height, and the overflow it reports, are those of the notes themselves, to the last fraction
of a point. The notes set inline (the apparatus's run-on paragraph) are set each time, as
before: their lines depend on the others. The area the page draws is set from the notes
themselves (`make_page`), never from a stand-in. A note is measured again where the area's
width is not the one it was measured at.

Installed only on the WeasyPrint version it was read against (it restates the 25 lines of
`_update_footnote_area`); any other version keeps its own (correct, only slower).
"""

from __future__ import annotations

from math import inf

import weasyprint
from weasyprint.css.properties import Dimension
from weasyprint.formatting_structure import boxes, build
from weasyprint.layout import LayoutContext
from weasyprint.layout.block import block_level_layout

WEASYPRINT_VERSION = "70.0"
UPSTREAM_UPDATE = LayoutContext._update_footnote_area
MEASURE = "_edition_measured"  # on a note: (width of the area it was set in, content height)


def stand_in(note: boxes.Box, width: float | None) -> boxes.Box:
    """An empty block as tall as `note` set at `width`, with its margins, borders and
    paddings (its style's, now: the page foot's spacing may have changed them); the note
    itself where it is not a block or was not measured at that width."""
    measured = getattr(note, MEASURE, None)
    if not isinstance(note, boxes.BlockBox) or measured is None or measured[0] != width:
        return note
    empty = note.copy()  # copy_with_children would reset the note's own decoration sides
    empty.children = []
    empty.style = note.style.copy()
    empty.style["height"] = Dimension(measured[1], "px")
    empty.style["min_height"] = Dimension(0, "px")
    empty.style["max_height"] = Dimension(inf, "px")
    empty.style["box_sizing"] = "content-box"
    return empty


def measured_update(context: LayoutContext) -> bool:
    """WeasyPrint's `_update_footnote_area` with the page's measured notes stood in for."""
    area = context.current_footnote_area
    if area.height != "auto" and not context.in_column:
        context.page_bottom += area.margin_height()
    notes = context.current_page_footnotes
    area.children = notes
    if not notes:
        area.height = 0
        if not context.in_column:
            context.page_bottom -= area.margin_height()
        return False
    width = getattr(context, MEASURE, None)
    stood_in = [stand_in(note, width) for note in notes]
    laid_out = lay_out(context, area, stood_in)
    if laid_out.width != width:  # not the width the notes were measured at
        setattr(context, MEASURE, laid_out.width)
        if stood_in != notes:
            laid_out = lay_out(context, area, notes)
    measure(notes, laid_out)
    area.children = notes  # the page draws the notes themselves
    area.height = laid_out.height
    if not context.in_column:
        context.page_bottom -= laid_out.margin_height()
    last = laid_out.children[-1]
    last_bottom = last.position_y + last.margin_height() - last.margin_bottom
    area_bottom = laid_out.position_y + laid_out.margin_height() - laid_out.margin_bottom
    return last_bottom > area_bottom


def lay_out(context: LayoutContext, area: boxes.Box, children: list[boxes.Box]) -> boxes.Box:
    """The footnote area set with `children` (as WeasyPrint sets it: a copy, with no bottom)."""
    area.children = children
    return block_level_layout(context, build.create_anonymous_boxes(area.deepcopy()), -inf,
                              None, area.page)[0]


def measure(notes: list[boxes.Box], laid_out: boxes.Box) -> None:
    """Each block note just set in `laid_out` keeps its content height at the area's width."""
    by_element = {id(note.element): note for note in notes
                  if isinstance(note, boxes.BlockBox) and note.element is not None}
    for child in laid_out.children:
        note = by_element.get(id(child.element))
        if (note is not None and child.children and child.element_tag == note.element_tag
                and child.height > 0):
            setattr(note, MEASURE, (laid_out.width, child.height))


def install(version: str = weasyprint.__version__) -> bool:
    """Measure each note once on the WeasyPrint this was written for; True if installed."""
    if version != WEASYPRINT_VERSION:
        return False
    LayoutContext._update_footnote_area = measured_update
    return True
