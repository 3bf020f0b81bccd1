"""Finding elements of the semantic HTML by class without a walk of the whole text each time.

`find_class` of lxml.html tests the class of every element of the tree it is given; on a text
of 100,000 notes each such walk costs a second, and the writers made ten of them. A query here
is compiled once and names the tag as well where the HTML gives the class to one tag only (a
name test costs next to nothing; the class test is then made on those elements alone); where
a writer looks up many classes, `ElementIndex` files every element by class in one walk.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree


def has_class(name: str) -> str:
    """An XPath test: the element's class attribute holds the token `name`."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def with_class(name: str, tag: str = "*") -> etree.XPath:
    """The `tag` elements below the context element (itself included) of class `name`, in
    document order, as `find_class` gives them."""
    return etree.XPath(f"descendant-or-self::{tag}[{has_class(name)}]")


IDS = etree.XPath("descendant-or-self::*/@id", smart_strings=False)
LINE_MARKERS = with_class("lb", "span")  # html.line_beginning
REFERENCE_LISTS = with_class("references", "ol")  # html.bibliography


class ElementIndex:
    """The elements of some parts of the HTML by class, and their ids, from one walk of them:
    what a writer looks up, each lookup a walk of its own before (ten over the whole text).
    Elements are listed in document order; an element stays listed where it moves to."""

    def __init__(self, parts: Iterable[etree._Element]) -> None:
        self.by_class: dict[str, list[etree._Element]] = {}
        self.ids: list[str] = []  # the parts' ids, themselves included
        for part in parts:
            for element in part.iter("*"):
                for name in set(element.get("class", "").split()):
                    self.by_class.setdefault(name, []).append(element)
                anchor = element.get("id")
                if anchor is not None:
                    self.ids.append(anchor)

    def of_class(self, name: str, tag: str | None = None) -> list[etree._Element]:
        """As `find_class(name)` on each part gives them; only `tag` elements if given."""
        found = self.by_class.get(name, [])
        return found if tag is None else [element for element in found if element.tag == tag]
