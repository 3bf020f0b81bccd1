"""The index's two columns balanced from a measurement, not by WeasyPrint's balancing.

WeasyPrint balances a multi-column box by laying its content out again and again, its columns
one pixel (or one entry) taller each time, until the content fits: on the index's last page,
where print.css keeps the last entries together, that took some 70 layouts of the register,
most of the index's rendering.

The index is set with `column-fill: auto` (print.css: each column filled before the next, one
layout), which is what balancing gives on the pages a register fills. On the page where a
register ends, the measured heights of its entries there give the split with the shortest
first column not shorter than the second, where the stylesheet allows a break; the entry that
opens the second column is marked COLUMN_START (`break-before: column` in print.css) and the
index set again. A register's last page moves the registers after it, so they are measured
from the next setting, one register at a time; each setting that measures a register holds
only the registers up to it (what follows a register does not move it), which spares laying
out the later registers' pages once per register before them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import lxml.html
from weasyprint.document import Document
from weasyprint.formatting_structure import boxes

COLUMN_START = "column-start"
AVOIDED = ("avoid", "avoid-column")


@dataclass
class SetEntry:
    position: int  # its index among the entries of its register
    column: int  # the page's column it is set in, counted over the whole index
    page: int
    height: float  # its margin box
    margin_bottom: float
    breakable: bool  # a column may begin with it (not `break-before: avoid`)


def balanced_index(render: Callable[[], Document], index: lxml.html.HtmlElement) -> Document:
    """The index `render` sets from `index`, each register's last page in balanced columns.

    Register n is measured from a setting of the registers up to n, those before it already
    balanced; the index is set whole at the end, unless the last setting was that already."""
    for position, listing in enumerate(index.find_class("register-entries")):
        later = list(listing.getparent().itersiblings())
        with _withheld(later):
            pages = render()
        start = second_column_start(_set_entries(pages)[position])
        if start is not None:
            listing[start].classes.add(COLUMN_START)
        elif not later:
            return pages
    return render()


@contextmanager
def _withheld(parts: list[lxml.html.HtmlElement]) -> Iterator[None]:
    """Take `parts` (the index's parts after the register measured) out of the tree for the
    block, putting each back where it was."""
    taken = [(part, part.getparent(), part.getparent().index(part)) for part in parts]
    for part, parent, _ in taken:
        parent.remove(part)
    try:
        yield
    finally:
        for part, parent, position in taken:
            parent.insert(position, part)


def second_column_start(entries: list[SetEntry]) -> int | None:
    """The entry that opens the second column of the register's last page when its columns are
    balanced (the shortest first column not shorter than the second), if it is not the one that
    opens it as set."""
    if not entries:
        return None
    last_page = [entry for entry in entries if entry.page == entries[-1].page]
    if len(last_page) < 2:
        return None

    def height(run: list[SetEntry]) -> float:
        return sum(entry.height for entry in run) - run[-1].margin_bottom if run else 0

    splits = [split for split in range(1, len(last_page)) if last_page[split].breakable]
    if not splits:
        return None
    split = min((split for split in splits
                 if height(last_page[:split]) >= height(last_page[split:])), default=splits[-1])
    opening = last_page[split]
    if opening.column != last_page[0].column and last_page[split - 1].column == last_page[0].column:
        return None  # set so already
    return opening.position


def _set_entries(pages: Document) -> list[list[SetEntry]]:
    """The entries of each register as set, in the order of the registers."""
    root = next(box.element for box in pages.pages[0]._page_box.children
                if box.element is not None and box.element.tag == "html")
    by_listing: dict[int, list[SetEntry]] = {
        id(listing): [] for listing in root.iter("ul")
        if "register-entries" in listing.get("class", "").split()}
    seen: dict[int, set[int]] = {}
    # each listing's entries by position, listed once: again for each column, it was the
    # index's columns times its entries
    positions_in: dict[int, dict[int, int]] = {}
    column = 0
    for page_index, page in enumerate(pages.pages):
        for column_box in _columns(page._page_box):
            column += 1
            listing = column_box.element
            if id(listing) not in positions_in:
                positions_in[id(listing)] = {id(child): position
                                             for position, child in enumerate(listing)}
            positions = positions_in[id(listing)]
            for box in column_box.children:
                if not isinstance(box, boxes.BlockBox) or id(box.element) not in positions:
                    continue
                if id(box.element) in seen.setdefault(id(listing), set()):
                    continue  # an entry split over two columns: its first part placed it
                seen[id(listing)].add(id(box.element))
                by_listing[id(listing)].append(SetEntry(
                    positions[id(box.element)], column, page_index, box.margin_height(),
                    box.margin_bottom, box.style["break_before"] not in AVOIDED))
    return list(by_listing.values())


def _columns(box: boxes.Box) -> Iterator[boxes.Box]:
    if getattr(box, "is_column", False):
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from _columns(child)
