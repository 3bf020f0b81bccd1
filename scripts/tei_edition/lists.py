"""Lists in the semantic HTML: a list holds list items only, as HTML requires.

A glossary (`<list type="gloss">`, each `<label>` the term of the `<item>` after it) is a
definition list; in any other list a label goes into the item it labels. A list's `<head>` is
its caption, set before it; a line or page beginning between items goes into the next item.
Inside a paragraph a list is a span (an HTML parser would end the paragraph at a block) and its
parts spans, in the order of the TEI.
"""

from __future__ import annotations

from lxml import etree

from . import tei
from .html import XML_ID, Transformer, add_text, handles, html_element, in_paragraph


@handles("list")
def listing(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    if in_paragraph(element):
        self.wrap(element, parent, "span", data_type=element.get("type"),
                  data_rend=element.get("rend"))
        return
    for heading in element.iterfind(tei("head")):
        self.wrap(heading, parent, "p", "head list-head")
    parts = [child for child in element if isinstance(child.tag, str)
             and child.tag != tei("head")]
    glossary = element.get("type") == "gloss" and next(
        (child.tag for child in parts if child.tag in (tei("label"), tei("item"))),
        None) == tei("label")
    target = html_element(parent, "dl" if glossary else "ul", class_="list",
                          id=None if self.witness_copy else element.get(XML_ID),
                          data_type=element.get("type"), data_rend=element.get("rend"))
    add_text(target, element.text)  # the white space between items (valid TEI has no text)
    pending: list[etree._Element] = []  # what goes at the start of the next item
    for child in parts:
        if child.tag == tei("item"):
            entry = self.wrap(child, target, "dd" if glossary else "li")
        elif glossary and child.tag == tei("label"):
            entry = self.wrap(child, target, "dt")
        else:
            pending.append(child)
            continue
        add_text(target, child.tail)
        prepend(self, pending, entry)
        pending = []
    if pending:  # a label that labels no item is an item of its own
        prepend(self, pending, html_element(target, "dd" if glossary else "li"))


def prepend(self: Transformer, parts: list[etree._Element], entry: etree._Element) -> None:
    """Render `parts` (labels, line beginnings) at the start of a list item already made."""
    if not parts:
        return
    scratch = entry.makeelement(entry.tag, {})
    for part in parts:
        self.render(part, scratch)
        if part.tag == tei("label"):
            add_text(scratch, " ")
        add_text(scratch, part.tail.strip() if part.tail else None)
    add_text(scratch, entry.text)
    entry.text = scratch.text
    for position, rendered in enumerate(list(scratch)):
        entry.insert(position, rendered)
