"""Queries of the semantic HTML by class, compiled once, each a walk of the tree in C.

`find_class` of lxml.html tests the class of every element of the tree it is given; on a text
of 100,000 notes each such walk costs a second, and the writers made ten of them. A query here
names the tag as well where the HTML gives the class to one tag only (a name test costs next
to nothing; the class test is then made on those elements alone).
"""

from __future__ import annotations

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
