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
paddings; a run of inline notes (the apparatus's run-on paragraph, which WeasyPrint sets as one
anonymous paragraph) likewise, until a note joins or leaves it. The area is still laid out by
WeasyPrint, margins collapsing as they would, so its height, and the overflow it reports, are
those of the notes themselves, to the last fraction of a point (the PDFs are byte-identical).
The area the page draws is set from the notes themselves (`make_page`), never from a
stand-in. A note is measured again where the area's width is not the one it was measured at;
a note whose text depends on the pages (a page counter, a `target-counter`) is never stood in
for, as WeasyPrint may change its text between two settings, nor one holding a float or a
positioned box, which may reach into the next note, nor any note after such a one.

A run of inline notes alone in the area (an apparatus with no other note on the page) is
the area's own paragraph: it cannot be stood in for, and WeasyPrint sets it whole again for
each entry the page gains, k²/2 entries a page. A medieval charter of 212 expansions, some
42 a page, spent nine tenths of its time there (10 of 11 s an article). Lines are set one
after the other, each from where the one before ended, and a line's break depends only on the
text up to the first break after it: when entries are added at the end of a run, the lines of
the run before its last word break are those of its last setting. They are taken as they were
set (WeasyPrint's own boxes, with the place each line takes), and the run is set again only
from the line that holds that break on (`lines_resumed`): the same lines, the same heights,
computed as WeasyPrint computes them.

Installed only on the WeasyPrint version it was read against (it restates the 25 lines of
`_update_footnote_area`); any other version keeps its own (correct, only slower).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from math import inf

import weasyprint
from weasyprint.css.properties import Dimension
from weasyprint.formatting_structure import boxes, build
from weasyprint.layout import LayoutContext
from weasyprint.layout import block as block_layout
from weasyprint.layout.block import block_level_layout

WEASYPRINT_VERSION = "70.0"
UPSTREAM_UPDATE = LayoutContext._update_footnote_area
UPSTREAM_ITER_LINE_BOXES = block_layout.iter_line_boxes
MEASURE = "_edition_measured"  # on a note: (width of the area it was set in, content height)
REACHES_OUT = "_edition_reaches_out"  # on a note: whether it may act beyond its own height
WIDTH = "_edition_footnote_width"  # on a layout: the width its page foot was last set at
RUNS = "_edition_runs"  # on a layout: (width, area style, *ids of a run of inline notes) -> height
CHANGING = "_edition_changing"  # on a layout: its boxes whose content depends on the pages
FORCED_BREAKS = {"page", "left", "right", "recto", "verso", "column", "always"}
NOTE_KEY = "_edition_note_key"  # on a note: its number, None if its lines are never kept
MEASURING = "_edition_measuring"  # on a layout: whether the page foot is being measured
LINES = "_edition_run_lines"  # on a layout: (keys of a run, its place) -> its lines, where set
KEPT_SETTINGS = 8  # the last settings of runs kept on a layout
NOTE_NUMBERS = itertools.count()
# A break between two words in a text that wraps (a space after a letter or digit, before one:
# no rule of Unicode's line breaking forbids it).
WORD_BREAK = re.compile(r"\w( +)\w")
WRAPPING = ("normal", "pre-wrap", "pre-line", "break-spaces")


def measured_update(context: LayoutContext) -> bool:
    """WeasyPrint's `_update_footnote_area` with the page's measured notes stood in for."""
    area = context.current_footnote_area
    if area.height != "auto" and not context.in_column:
        context.page_bottom += area.margin_height()
    area.children = context.current_page_footnotes
    if not area.children:
        area.height = 0
        if not context.in_column:
            context.page_bottom -= area.margin_height()
        return False
    # The notes as they are now: setting one may call another (a note in a note), which
    # WeasyPrint measures with its own call, not this one.
    notes = list(context.current_page_footnotes)
    for note in notes:
        if not hasattr(note, NOTE_KEY):
            setattr(note, NOTE_KEY, None if reaches_out(note) or changes(context, note)
                    else next(NOTE_NUMBERS))
    groups = grouped(notes)
    width = getattr(context, WIDTH, None)
    children = stood_in(context, groups, width)
    laid_out = lay_out(context, area, children)
    if laid_out.width != width:  # not the width the notes were measured at
        setattr(context, WIDTH, laid_out.width)
        if children != notes:
            laid_out = lay_out(context, area, notes)
    measure(context, groups, laid_out)
    area.children = context.current_page_footnotes  # the page draws the notes themselves
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
    measuring = getattr(context, MEASURING, False)
    setattr(context, MEASURING, True)  # the lines of its runs kept (lines_resumed)
    try:
        return block_level_layout(context, build.create_anonymous_boxes(area.deepcopy()), -inf,
                                  None, area.page)[0]
    finally:
        setattr(context, MEASURING, measuring)


def lines_resumed(context: LayoutContext, box: boxes.Box, position_y: float,
                  bottom_space: float, skip_stack: dict | None, containing_block: boxes.Box,
                  absolute_boxes: list, fixed_boxes: list, first_letter_style: dict | None,
                  first_line_style: dict | None) -> Iterator[tuple[boxes.LineBox, dict | None]]:
    """WeasyPrint's `iter_line_boxes`; for a run of inline notes measured in the page foot, the
    lines of its last setting with fewer notes, up to the one holding its last word break,
    taken as they were, the others set from there."""
    run = run_keys(context, box, skip_stack, first_letter_style, first_line_style)
    if run is None:
        yield from UPSTREAM_ITER_LINE_BOXES(context, box, position_y, bottom_space, skip_stack,
                                            containing_block, absolute_boxes, fixed_boxes,
                                            first_letter_style, first_line_style)
        return
    place = (position_y, containing_block.content_box_x(), containing_block.width,
             id(context.current_footnote_area.style), id(box.style))
    settings = vars(context).setdefault(LINES, {})
    lines = kept_lines(settings, run, place)
    yield from lines
    if lines:  # the next line where WeasyPrint would have set it, from where the last ended
        last, skip_stack = lines[-1]
        position_y = last.position_y + last.height
    for line, resume_at in UPSTREAM_ITER_LINE_BOXES(  # no ::first-line, ::first-letter
            context, box, position_y, bottom_space, skip_stack, containing_block,
            absolute_boxes, fixed_boxes, None, None):
        lines.append((line, resume_at))
        yield line, resume_at
    if lines and lines[-1][1] is None:  # set to its end (no page bottom in a page foot)
        settings[run, place] = lines, placed(lines)
        while len(settings) > KEPT_SETTINGS:
            del settings[next(iter(settings))]


def run_keys(context: LayoutContext, box: boxes.Box, skip_stack: dict | None,
             first_letter_style: dict | None, first_line_style: dict | None
             ) -> tuple[int, ...] | None:
    """The numbers of the notes of `box` if it is a run of inline notes whose lines may be
    kept (set from its start, in the page foot measured, with no float beside it)."""
    if not (getattr(context, MEASURING, False) and skip_stack is None
            and first_letter_style is None and first_line_style is None
            and isinstance(box, boxes.LineBox) and box.children
            and not context.excluded_shapes):
        return None
    keys = tuple(getattr(child, NOTE_KEY, None) for child in box.children)
    return None if None in keys else keys


def kept_lines(settings: dict, run: tuple[int, ...], place: tuple
               ) -> list[tuple[boxes.LineBox, dict | None]]:
    """The lines of the last setting, in the same place, of the run's first notes (the run
    without its last notes) before the line holding its last word break: those of the run."""
    for end in range(len(run) - 1, 0, -1):
        setting = settings.get((run[:end], place))
        if setting is not None:
            break
    else:
        return []
    lines, where = setting
    if placed(lines) != where:  # moved since (a page foot of its own formatting context,
        return []  # beside a float of the text, is moved in place as a whole): set again
    for index in range(len(lines) - 1, 0, -1):
        if breaks_between_words(lines[index][0]):
            return lines[:index]
    return []


def placed(lines: list[tuple[boxes.LineBox, dict | None]]) -> list[tuple[float, ...]]:
    """Where `lines` are and how tall: a kept line is WeasyPrint's own box, which later
    layout of the area may move, and its next line is set from where it ends."""
    return [(line.position_x, line.position_y, line.height) for line, _ in lines]


def breaks_between_words(line: boxes.LineBox) -> bool:
    """Whether `line` may break between two of its words: a later word than its first starts
    in it (its texts read in order, across their boxes, a space of a text that wraps)."""
    texts = [box for box in line.descendants() if isinstance(box, boxes.TextBox)]
    text = "".join(box.text for box in texts)
    wrapping = "".join(("w" if box.style["white_space"] in WRAPPING else "n") * len(box.text)
                       for box in texts)
    return any("n" not in wrapping[found.start(1):found.end(1)]
               for found in WORD_BREAK.finditer(text))


def changes(context: LayoutContext, note: boxes.Box) -> bool:
    """Whether `note` holds text WeasyPrint sets again as the pages are set."""
    if CHANGING not in vars(context):
        setattr(context, CHANGING, changing_content(context))
    changing = getattr(context, CHANGING)
    return any(id(box) in changing for box in note.descendants())


def grouped(notes: list[boxes.Box]) -> list[list[boxes.Box]]:
    """The page's notes as the area's blocks: each block note alone, each run of inline notes
    together (WeasyPrint sets such a run as one anonymous paragraph)."""
    groups: list[list[boxes.Box]] = []
    for note in notes:
        if isinstance(note, boxes.BlockBox) or not groups or isinstance(groups[-1][0],
                                                                        boxes.BlockBox):
            groups.append([note])
        else:
            groups[-1].append(note)
    return groups


def stood_in(context: LayoutContext, groups: list[list[boxes.Box]],
             width: float | None) -> list[boxes.Box]:
    """The area's children, each block note and run of inline notes measured at `width`
    stood in for by an empty block of its height (a run only among other blocks: alone, its
    lines would be the area's own)."""
    runs = getattr(context, RUNS, {})
    children: list[boxes.Box] = []
    alone = apart(groups)
    for index, group in enumerate(groups):
        if index >= alone:  # a note above may reach into it: as it is
            children.extend(group)
        elif isinstance(group[0], boxes.BlockBox):
            children.append(stand_in(group[0], width))
        elif len(groups) > 1 and (height := runs.get(run_key(context, width, group))):
            paragraph = boxes.BlockBox.anonymous_from(context.current_footnote_area, [])
            children.append(empty_block(paragraph, paragraph.style, height))
        else:
            children.extend(group)
    return children


def stand_in(note: boxes.Box, width: float | None) -> boxes.Box:
    """An empty block as tall as `note` set at `width`, with its margins, borders and
    paddings (its style's, now: the page foot's spacing may have changed them); the note
    itself where it was not measured at that width."""
    measured = getattr(note, MEASURE, None)
    if measured is None or measured[0] != width:
        return note
    return empty_block(note.copy(), note.style, measured[1])


def empty_block(box: boxes.Box, style: dict, height: float) -> boxes.Box:
    """`box` emptied, of `style` but `height` tall (its content)."""
    box.children = []  # not copy_with_children, which resets the original's decoration sides
    box.style = style.copy()
    box.style["height"] = Dimension(height, "px")
    box.style["min_height"] = Dimension(0, "px")
    box.style["max_height"] = Dimension(inf, "px")
    box.style["box_sizing"] = "content-box"
    return box


def run_key(context: LayoutContext, width: float | None,
            run: list[boxes.Box]) -> tuple[object, ...]:
    """A run of inline notes as measured: its paragraph takes its line height from the page
    foot's style, which may differ by page (`@page :first { @footnote { … } }`)."""
    return (width, id(context.current_footnote_area.style), *map(id, run))


def measure(context: LayoutContext, groups: list[list[boxes.Box]], laid_out: boxes.Box) -> None:
    """Each block note and run of inline notes just set in `laid_out` (not stood in for)
    keeps its content height at the area's width, where that height is all it gives the
    area."""
    if len(laid_out.children) != len(groups) or (
            len(groups) == 1 and not isinstance(groups[0][0], boxes.BlockBox)):
        return  # not one block a group: the notes all inline are the area's own lines
    runs = vars(context).setdefault(RUNS, {})
    if CHANGING not in vars(context):
        setattr(context, CHANGING, changing_content(context))
    changing = getattr(context, CHANGING)
    alone = apart(groups)
    for group, child in zip(groups[:alone], laid_out.children[:alone], strict=True):
        if not child.children or child.height <= 0:  # stood in for, or nothing to stand for
            continue
        if not closed(child) or any(id(box) in changing for note in group
                                    for box in note.descendants()):
            continue  # a margin passed through it, or text that pages change: set each time
        if isinstance(group[0], boxes.BlockBox):
            setattr(group[0], MEASURE, (laid_out.width, child.height))
        else:
            runs[run_key(context, laid_out.width, group)] = child.height


def closed(block: boxes.Box) -> bool:
    """Whether nothing of the laid-out `block` but its height and its own margins reaches
    the blocks around it: a margin of a block at its top or its foot would collapse through
    its edge (a note ending in a figure), unless a padding or a border holds it in; lines
    hold theirs."""
    first, last = block.children[0], block.children[-1]
    return ((isinstance(first, boxes.LineBox) or block.padding_top > 0
             or block.border_top_width > 0)
            and (isinstance(last, boxes.LineBox) or block.padding_bottom > 0
                 or block.border_bottom_width > 0))


def apart(groups: list[list[boxes.Box]]) -> int:
    """How many of the area's first groups are set apart from the others: those above the
    first note that may act beyond its own height (reaches_out)."""
    return next((index for index, group in enumerate(groups)
                 if any(reaches_out(note) for note in group)), len(groups))


def reaches_out(note: boxes.Box) -> bool:
    """Whether a box in `note` may act beyond the note's height: a float or a positioned box
    (a float reaches into the next note and shortens its lines; a running element is taken
    out to the page's margin), or a forced break (WeasyPrint's area stops at it, leaving out
    the notes after). Once a note: its boxes stay."""
    reaching = getattr(note, REACHES_OUT, None)
    if reaching is None:
        reaching = any(box.style["float"] != "none"
                       or box.style["position"] not in ("static", "relative")
                       or box.style["break_before"] in FORCED_BREAKS
                       or box.style["break_after"] in FORCED_BREAKS
                       for box in note.descendants() if box is not note)
        setattr(note, REACHES_OUT, reaching)
    return reaching


def changing_content(context: LayoutContext) -> frozenset[int]:
    """The boxes whose content WeasyPrint sets again as the pages are set (a `content` of page
    counters or of `target-counter`: "see p. 12" may become "see p. 112", which may take
    another line), by identity."""
    return frozenset(id(box) for box, token in context.target_collector.counter_lookup_items
                     if token == "content")


def install(version: str = weasyprint.__version__) -> bool:
    """Measure each note once on the WeasyPrint this was written for; True if installed."""
    if version != WEASYPRINT_VERSION:
        return False
    LayoutContext._update_footnote_area = measured_update
    block_layout.iter_line_boxes = lines_resumed
    return True
