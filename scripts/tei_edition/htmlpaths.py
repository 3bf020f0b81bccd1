"""Finding elements of the semantic HTML by class without a walk of the whole text each time.

`find_class` of lxml.html tests the class of every element of the tree it is given; on a text
of 100,000 notes each such walk costs a second, and the writers made ten of them. A query here
names the tag as well where the HTML gives the class to one tag only (lxml's walk picks out the
elements of that tag in C; the class test is then made on those elements alone); where a writer
looks up many classes, `ElementIndex` files every element by class in one walk.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Callable, Iterable
from operator import itemgetter

from lxml import etree


def has_class(name: str) -> str:
    """An XPath test: the element's class attribute holds the token `name`."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def with_class(name: str, tag: str = "*") -> Callable[[etree._Element], list[etree._Element]]:
    """The `tag` elements below the context element (itself included) of class `name`, in
    document order, as `find_class` gives them.

    With a tag, lxml's walk of that tag's elements, the class tested on those alone: an XPath
    step tests the class in C too, but costs twice as much over a long text (a fifth of a
    second more for the line markers of 25,000 notes)."""
    if tag == "*":
        return etree.XPath(f"descendant-or-self::*[{has_class(name)}]")

    def of_tag_and_class(context: etree._Element) -> list[etree._Element]:
        return [element for element in context.iter(tag)
                if name in (element.get("class") or "").split()]

    return of_tag_and_class


def contents_links(html: etree._Element) -> dict[str, list[etree._Element]]:
    """The links of the book's tables of contents by their href, from one walk of the book to
    its `nav` elements: a caller with many targets (a section of each article) looks them up
    here, where a walk for each made the cost the articles times the book. Walked in the
    contents alone, not looked for in the whole book (`//nav//a` merges node sets, quadratic
    in libxml2: print_matter.in_articles)."""
    links: dict[str, list[etree._Element]] = {}
    for nav in html.iter("nav"):
        if next(nav.iterancestors("nav"), None) is not None:
            continue  # its links are the outer nav's: listed twice, the second drop_tree fails
        for link in nav.iter("a"):
            links.setdefault(link.get("href"), []).append(link)
    return links


IDS = etree.XPath("descendant-or-self::*/@id", smart_strings=False)
LINE_MARKERS = with_class("lb", "span")  # html.line_beginning
REFERENCE_LISTS = with_class("references", "ol")  # html.bibliography


class ElementIndex:
    """The elements of some parts of the HTML by class, and their ids, from one walk of them:
    what a writer looks up, each lookup a walk of its own before (ten over the whole text).
    Elements are listed in document order; an element stays listed where it moves to.

    The walk files each element under its class attribute as written ("name persName"), a
    dictionary entry for each of the few different values; a class is looked up in the values
    that hold it (splitting each element's value into a set of names was half the walk)."""

    def __init__(self, parts: Iterable[etree._Element]) -> None:
        self.by_value: dict[str, tuple[array[int], list[etree._Element]]] = {}
        self.ids: list[str] = []  # the parts' ids, themselves included
        self.found: dict[str, list[etree._Element]] = {}
        position = 0
        for part in parts:
            for element in part.iter("*"):
                position += 1
                value = element.get("class")
                if value is not None:
                    filed = self.by_value.get(value)
                    if filed is None:
                        filed = self.by_value[value] = (array("q"), [])
                    filed[0].append(position)
                    filed[1].append(element)
                anchor = element.get("id")
                if anchor is not None:
                    self.ids.append(anchor)

    def of_class(self, name: str, tag: str | None = None) -> list[etree._Element]:
        """As `find_class(name)` on each part gives them; only `tag` elements if given."""
        found = self.found.get(name)
        if found is None:
            holding = [filed for value, filed in self.by_value.items() if name in value.split()]
            if len(holding) == 1:
                found = holding[0][1]
            else:  # in document order, by the positions the walk gave the elements
                found = [element for _, element in heapq.merge(
                    *(zip(positions, elements, strict=True) for positions, elements in holding),
                    key=itemgetter(0))]
            self.found[name] = found
        return found if tag is None else [element for element in found if element.tag == tag]
