"""Columns filled in one layout: WeasyPrint's idle trial of a `column-fill: auto` box skipped.

WeasyPrint 70 sets a multi-column box's columns twice on each page (`layout/column.py`,
`columns_layout`): a trial, whose heights tell whether all the content fits and so is to be
balanced, then the columns kept. With `column-fill: auto` (the index, print.css) nothing is
balanced: the trial ends with the columns as tall as the page allows, which is where the kept
columns start from anyway, unless footnotes or floats in the columns take room from the page
(the trial is set again for them) or a `column-span` block divides the box (the runs before it
are balanced). For a box with none of those the trial decides nothing, and it cost more than
the columns kept: some 40 % of the index's renderings (1.2 of 2.8 s CPU of the edition's).

The override runs upstream's `columns_layout` with the trial's column layouts (those given a
list of adjoining margins to collect; the kept columns are given None) answered by an empty
column: all the content taken, as when it fits, the auto fill's ending. The columns kept, and
the PDF, are the same. Installed only on the WeasyPrint version it was read against; any other
keeps its trial (correct, only slower).

Chosen over copying `columns_layout` (some 300 lines to keep in step with upstream).
"""

from __future__ import annotations

import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.layout import block, column

WEASYPRINT_VERSION = "70.0"
UPSTREAM_COLUMNS = column.columns_layout
NO_BREAK = {"break": "any", "page": None}


def install(version: str = weasyprint.__version__) -> bool:
    """Lay out idle-trial column boxes in one layout on the WeasyPrint this was written for;
    True if installed."""
    if version != WEASYPRINT_VERSION:
        return False
    block.columns_layout = columns_without_idle_trial
    return True


def columns_without_idle_trial(context: object, box: boxes.Box, *arguments: object) -> tuple:
    """WeasyPrint's `columns_layout`, its trial answered without a layout where it is idle."""
    if not idle_trial(box):
        return UPSTREAM_COLUMNS(context, box, *arguments)
    laid_out = block.block_box_layout
    block.block_box_layout = _trial_answered(laid_out)
    try:
        return UPSTREAM_COLUMNS(context, box, *arguments)
    finally:
        block.block_box_layout = laid_out


def idle_trial(box: boxes.Box) -> bool:
    """Whether the trial of `box` decides nothing: filled, not balanced, no footnote, float or
    column-spanning block in it."""
    return box.style["column_fill"] == "auto" and not any(
        child.footnote is not None or child.style["float"] != "none"
        or child.style["column_span"] == "all" for child in box.descendants() if child is not box)


def _trial_answered(laid_out: object) -> object:
    def answered(context: object, box: boxes.Box, bottom_space: float, skip_stack: object,
                 containing_block: object, page_is_empty: bool, absolute_boxes: list,
                 fixed_boxes: list, adjoining_margins: list | None, *rest: object,
                 **options: object) -> tuple:
        if getattr(box, "is_column", False) and adjoining_margins is not None:
            return box.copy_with_children([]), None, NO_BREAK, [], False, None
        return laid_out(context, box, bottom_space, skip_stack, containing_block,
                        page_is_empty, absolute_boxes, fixed_boxes, adjoining_margins, *rest,
                        **options)

    return answered
