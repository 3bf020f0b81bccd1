"""The semantic HTML handed to WeasyPrint as a tree, not as text it parses again.

`weasyprint.HTML(string=…)` parses with tinyhtml5, an HTML5 parser in pure Python: some 0.3 s
CPU for the book's 340 kB, and a PDF build renders the articles and the book up to eight times
(writers/pdf.py), which made the parsing about a tenth of the build. The HTML is already a tree
in memory (lxml): copied into the ElementTree elements tinyhtml5 would have built (HTML elements
without a namespace, comments as ElementTree comments), it is the same document, set the same,
in a few milliseconds. Foreign content (an inline SVG or MathML) is left to tinyhtml5, which
gives it its namespace and adjusts its attributes' case as HTML5 parsing does.

The document is made as `weasyprint.HTML.__init__` of WeasyPrint 70 (the version pyproject.toml
pins) makes it from the parsed tree. tests/test_weasyprint_tree.py holds both ways to the same
tree for the edition's HTML, and to the same PDF bytes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import cssselect2
import lxml.html
import tinyhtml5
import weasyprint
from lxml import etree

from ..html import serialize

FOREIGN = ("svg", "math")
# Elements whose first newline HTML parsing drops (it is taken as the source's line break).
LEADING_NEWLINE_DROPPED = ("pre", "listing", "textarea")


def weasyprint_document(html: lxml.html.HtmlElement, base_url: Path,
                        url_fetcher: object) -> weasyprint.HTML:
    """WeasyPrint's document of `html`, relative URLs resolved against `base_url`."""
    root = html.getroottree().getroot()
    if _reshaped_by_parsing(root):
        return weasyprint.HTML(string=serialize(html).decode("utf-8"),
                               base_url=str(base_url) + "/", url_fetcher=url_fetcher)
    document = weasyprint.HTML.__new__(weasyprint.HTML)
    document.base_url = str(base_url) + "/"
    document.url_fetcher = url_fetcher
    document.media_type = "print"
    document.wrapper_element = cssselect2.ElementWrapper.from_html_root(
        as_parsed(root), content_language=None)
    document.etree_element = document.wrapper_element.etree_element
    return document


def _reshaped_by_parsing(root: lxml.html.HtmlElement) -> bool:
    """Whether the tree holds what the copy does not do as parsing does: a <base href> (it moves
    the base URL), nodes HTML has no tree for, rows straight in a table (given a <tbody>)."""
    return (root.find(".//base") is not None or root.find(".//table/tr") is not None
            or next(root.iter(etree.ProcessingInstruction, etree.Entity), None) is not None)


def as_parsed(element: lxml.html.HtmlElement) -> ElementTree.Element:
    """The ElementTree tinyhtml5 builds from the serialization of `element`."""
    if element.tag in FOREIGN:
        return _parsed_foreign(element)
    copied = ElementTree.Element(element.tag, dict(element.attrib))
    copied.text = element.text
    if element.tag in LEADING_NEWLINE_DROPPED and element.text and element.text[0] == "\n":
        copied.text = element.text[1:]
    for child in element:
        copied_child = (as_parsed(child) if isinstance(child.tag, str)
                        else ElementTree.Comment(child.text))
        copied_child.tail = child.tail
        copied.append(copied_child)
    return copied


def _parsed_foreign(element: lxml.html.HtmlElement) -> ElementTree.Element:
    """An <svg> or <math> as tinyhtml5 parses it in a body."""
    text = lxml.html.tostring(element, encoding="unicode", with_tail=False)
    body = tinyhtml5.parse(f"<!DOCTYPE html><body>{text}",
                           namespace_html_elements=False).find("body")
    return body[0]
