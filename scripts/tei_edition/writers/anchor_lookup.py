"""Pagination linear in the ids: WeasyPrint's ids of the pages before, looked up in one step.

WeasyPrint 70's `make_page` (layout/page.py) gathers the ids of every page before the one it
makes into a list, `cached_anchors`, and asks of each id on its page whether the list holds
it (`anchor not in cached_anchors`): a document of n ids goes through n²/2 of them, and every
line, note and call of the edition has an id. 100 pages of 10,000 ids took 12.9 s to set
with it, 9.5 s without; the share grows with the square of an article's length.

The override makes `make_page` from WeasyPrint's own source with that list (and the list of
counter lookups beside it, asked the same way) a list that also keeps a set of its items, so
that `in` is one lookup; it is the same list to WeasyPrint in everything else, so the pages,
and the PDF, are the same. Chosen over copying `make_page` (some 200 lines to keep in step with
upstream): the source is WeasyPrint's, changed in two lines, checked to be the version it was
read against (the lines must be found as they are, else nothing is installed).
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import SupportsIndex

import weasyprint
from weasyprint.layout import page

WEASYPRINT_VERSION = "70.0"
UPSTREAM_MAKE_PAGE = page.make_page
LISTS = ("    cached_anchors = []\n", "    cached_lookups = []\n")


class Listed(list):
    """A list that knows in one step whether it holds an item (hashable items)."""

    def __init__(self, items: Iterable[object] = ()) -> None:
        super().__init__(items)
        self._held = set(self)

    def __contains__(self, item: object) -> bool:
        return item in self._held

    def append(self, item: object) -> None:
        super().append(item)
        self._held.add(item)

    def extend(self, items: Iterable[object]) -> None:
        items = list(items)
        super().extend(items)
        self._held.update(items)

    # Changes make_page does not make: refused rather than left uncounted.
    def _refused(self, *_: object) -> None:
        raise TypeError("a Listed list only grows")

    insert = remove = pop = clear = __setitem__ = __delitem__ = _refused  # type: ignore[assignment]

    def __iadd__(self, items: Iterable[object]) -> Listed:
        self.extend(items)
        return self

    def __imul__(self, times: SupportsIndex) -> Listed:
        self._refused()
        return self


def make_page_with_listed_ids() -> object | None:
    """WeasyPrint's make_page, its two lists of ids Listed; None where its source is not the
    one this was written for."""
    lines, first = inspect.getsourcelines(UPSTREAM_MAKE_PAGE)
    source = "".join(lines)
    if not all(source.count(line) == 1 for line in LISTS):
        return None
    for line in LISTS:
        source = source.replace(line, line.replace("[]", "Listed()"))
    namespace = {**vars(page), "Listed": Listed}
    # at its own lines of WeasyPrint's file, for a traceback that points there
    exec(compile("\n" * (first - 1) + source, inspect.getsourcefile(UPSTREAM_MAKE_PAGE)
                 or "<make_page>", "exec"), namespace)
    return namespace["make_page"]


def install(version: str = weasyprint.__version__) -> bool:
    """Give WeasyPrint's pagination Listed ids on the version this was written for; True if
    installed."""
    if version != WEASYPRINT_VERSION:
        return False
    made = make_page_with_listed_ids()
    if made is None:
        return False
    page.make_page = made
    return True
