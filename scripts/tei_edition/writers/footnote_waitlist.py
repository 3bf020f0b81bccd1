"""Pagination linear in the footnotes: WeasyPrint's waitlist of footnotes, searched in one step.

WeasyPrint 70 keeps the footnotes not yet placed on a page in a list, `LayoutContext.footnotes`
(every footnote of the document when the layout starts), and asks, for every box of every line
it sets (`layout/block.py`, `_linebox_layout`: `descendant.footnote in context.footnotes`),
whether the box's footnote is in it. Most boxes have none, and `None in` that list goes through
all of it: a book of n pages with f footnotes a page costs n·f per box set, n² in all. The
synthetic texts of `scripts/bench --scale` spent more of each page's time there the longer the
book (1.1 s a page at 59 pages, 1.5 s at 108, not finished at 1,000).

The override gives the context a list that also counts its items by identity (boxes compare by
identity), so that `in` is one lookup; it is the same list to WeasyPrint in everything else (its
order, `append`, `remove`, `copy`), so the layout, and the PDF, are the same. It is installed
only on the WeasyPrint version it was read against; any other version keeps its own list
(correct, only slower) until this module is checked against it.

Chosen over copying `_linebox_layout` (some 150 lines to keep in step with upstream) for the
one quadratic test.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import SupportsIndex

import weasyprint
from weasyprint.layout import LayoutContext

WEASYPRINT_VERSION = "70.0"
UPSTREAM_INIT = LayoutContext.__init__


class Waitlist(list):
    """A list that knows in one step whether it holds an item (items that compare by identity,
    as WeasyPrint's boxes do)."""

    def __init__(self, items: Iterable[object] = ()) -> None:
        super().__init__(items)
        self._held = Counter(map(id, self))

    def __contains__(self, item: object) -> bool:
        return self._held.get(id(item), 0) > 0

    def append(self, item: object) -> None:
        super().append(item)
        self._held[id(item)] += 1

    def remove(self, item: object) -> None:
        super().remove(item)
        self._held[id(item)] -= 1

    def copy(self) -> Waitlist:
        return Waitlist(self)

    def _recount(self) -> None:
        self._held = Counter(map(id, self))

    # The other changes WeasyPrint 70 does not make: kept right, counted again.
    def extend(self, items: Iterable[object]) -> None:
        super().extend(items)
        self._recount()

    def insert(self, index: SupportsIndex, item: object) -> None:
        super().insert(index, item)
        self._held[id(item)] += 1

    def pop(self, index: SupportsIndex = -1) -> object:
        item = super().pop(index)
        self._held[id(item)] -= 1
        return item

    def clear(self) -> None:
        super().clear()
        self._held.clear()

    def __setitem__(self, index: object, value: object) -> None:
        super().__setitem__(index, value)
        self._recount()

    def __delitem__(self, index: object) -> None:
        super().__delitem__(index)
        self._recount()

    def __iadd__(self, items: Iterable[object]) -> Waitlist:
        self.extend(items)
        return self

    def __imul__(self, times: SupportsIndex) -> Waitlist:
        super().__imul__(times)
        self._recount()
        return self


def _with_waitlist(context: LayoutContext, *arguments: object, **options: object) -> None:
    UPSTREAM_INIT(context, *arguments, **options)
    context.footnotes = Waitlist(context.footnotes)


def install(version: str = weasyprint.__version__) -> bool:
    """Give every layout a Waitlist of footnotes on the WeasyPrint this was written for; True if
    installed."""
    if version != WEASYPRINT_VERSION:
        return False
    LayoutContext.__init__ = _with_waitlist
    return True
