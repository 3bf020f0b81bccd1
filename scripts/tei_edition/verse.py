"""Verse in the semantic HTML: each `l` a line of its own, numbered in the margin every fifth
line, as printed verse editions number them (the TEI's `@n` when it has one, else counted in the
article). Inside a paragraph (verse quoted in prose) the line is a span the styles set as a
block, since an HTML parser ends a paragraph at a div."""

from __future__ import annotations

from lxml import etree

from .html import Transformer, handles, in_paragraph

NUMBERED_EVERY = 5


@handles("l")
def verse_line(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    given = element.get("n", "")
    counted = self.verse_lines.get(self.article, 0) + 1
    number = int(given) if given.isascii() and given.isdigit() else counted  # not "²"
    self.verse_lines[self.article] = number
    shown = given or str(number)
    target = self.wrap(element, parent, "span" if in_paragraph(element) else "div", "l",
                       data_n=shown)
    if number % NUMBERED_EVERY == 0:
        marker = target.makeelement("span", {"class": "line-number", "aria-hidden": "true"})
        marker.text, marker.tail, target.text = shown, target.text, None
        target.insert(0, marker)
