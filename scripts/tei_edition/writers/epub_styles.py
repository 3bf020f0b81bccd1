"""The EPUB's stylesheet and its XHTML made to agree, as EPUBCheck's usage report asks.

The one semantic HTML marks everything it knows with a class (every name, reading, intervention,
chronology cell), and the stylesheets are written for every kind of edition (verse, parallel
segmentation, registers in standOff). In a book most of those classes style nothing, and most
rules of the stylesheet match nothing: a reading system parses both for no effect, and
EPUBCheck's usage report lists them by the thousand. So the package keeps only the rules whose
selectors name classes its documents use, and its documents only the classes a kept rule names.
Meaning stays where a reading system looks for it: `epub:type`, `role`, `lang` and the elements
themselves are untouched.

The same holds before pandoc reads the book (`drop_unused_markup`): pandoc keeps every class,
data attribute, id and span of the book in memory while it writes the EPUB, and what no rule
names and no link leads to would only be dropped from its chapters afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable

import lxml.html
import tinycss2
from lxml import etree

SPAN = "{http://www.w3.org/1999/xhtml}span"
UNWRAP = "unwrap"  # a bare span, renamed to be unwrapped


def fit_styles(css: str, documents: Iterable[etree._Element]) -> str:
    """The rules of `css` that the `documents` can use; each document keeps, in place, only the
    classes those rules name; a span left without attributes gives way to its content."""
    documents = list(documents)
    used = {name for document in documents for element in document.iter()
            if isinstance(element.tag, str) for name in element.get("class", "").split()}
    rules, styled = _rules_for(_parse(css), used)
    for document in documents:
        for element in document.iter():
            if not isinstance(element.tag, str):
                continue
            kept = [name for name in element.get("class", "").split() if name in styled]
            if kept:
                element.set("class", " ".join(kept))
            else:
                element.attrib.pop("class", None)
            if element.tag == SPAN and not element.attrib:
                element.tag = UNWRAP
        etree.strip_tags(document, UNWRAP)
    return "\n".join(rules) + "\n"


# Attributes that name ids (space-separated): an element they name keeps its id.
ID_REFERENCES = ("aria-labelledby", "aria-describedby", "aria-controls", "aria-owns",
                 "aria-details", "for", "headers", "data-note-ref")
# pandoc makes the nav's and the chapters' anchors from the ids of headings and sections.
STRUCTURE = frozenset({"section", "h1", "h2", "h3", "h4", "h5", "h6"})


def drop_unused_markup(html: lxml.html.HtmlElement, css: str, package_reads: Iterable[str],
                       addresses: Iterable[str]) -> None:
    """Take out of `html` (before pandoc) the markup the book does not use: classes no selector
    of `css` names, data attributes (for scripts and stylesheets: the book has no script)
    that none names, ids no link or reference leads to (those of headings and sections stay,
    and the `addresses` a citation names from outside), and spans left carrying nothing,
    which give way to their content. `package_reads`: the classes and attributes the package
    reads in pandoc's chapters (epub_package.py). Drawings stay as they are: each becomes a
    file of its own."""
    classes, attributes = _named(_parse(css))
    classes |= set(package_reads)
    attributes |= set(package_reads)
    targets = {href[1:] for href in html.xpath("//@href") if href.startswith("#")}
    targets.update(addresses)
    targets.update(name for attribute in ID_REFERENCES  # not one union: quadratic in libxml2
                   for reference in html.xpath(f"//@{attribute}") for name in reference.split())
    drawings = {element for drawing in html.iter("svg") for element in drawing.iter()}
    for element in html.iter():
        if not isinstance(element.tag, str) or element in drawings:
            continue
        for name in [name for name in element.attrib
                     if name.startswith("data-") and name not in attributes]:
            del element.attrib[name]
        kept = [name for name in element.get("class", "").split() if name in classes]
        if kept:
            element.set("class", " ".join(kept))
        else:
            element.attrib.pop("class", None)
        if element.get("id") not in targets and element.tag not in STRUCTURE:
            element.attrib.pop("id", None)
        if element.tag == "span" and not element.attrib:
            element.tag = UNWRAP
    etree.strip_tags(html, UNWRAP)


def _named(nodes: Iterable[tinycss2.ast.Node]) -> tuple[set[str], set[str]]:
    """The classes and the attributes the selectors of the rules name, in @media blocks too."""
    classes: set[str] = set()
    attributes: set[str] = set()
    for node in nodes:
        if node.type == "qualified-rule":
            for selector in _selectors(node.prelude):
                classes |= _classes(selector, nested=True)
                attributes.update(token.content[0].value for token in selector
                                  if token.type == "[] block" and token.content
                                  and token.content[0].type == "ident")
        elif node.type == "at-rule" and node.lower_at_keyword == "media" and node.content:
            inner = _named(tinycss2.parse_rule_list(node.content, skip_comments=True,
                                                    skip_whitespace=True))
            classes |= inner[0]
            attributes |= inner[1]
    return classes, attributes


def _parse(css: str) -> list[tinycss2.ast.Node]:
    return tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)


def _rules_for(nodes: Iterable[tinycss2.ast.Node], used: set[str]) -> tuple[list[str], set[str]]:
    """The rules (as text) with only the selectors whose classes are all `used`, and the
    classes those selectors name. A rule without selectors left goes, as does an @media block
    without rules; other at-rules (@font-face) stay as they are."""
    rules: list[str] = []
    styled: set[str] = set()
    for node in nodes:
        if node.type == "qualified-rule":
            selectors = [selector for selector in _selectors(node.prelude)
                         if _classes(selector) <= used]
            if selectors:
                styled.update(*(_classes(selector, nested=True) for selector in selectors))
                text = ", ".join(tinycss2.serialize(selector).strip() for selector in selectors)
                rules.append(f"{text} {{{tinycss2.serialize(node.content)}}}")
        elif node.type == "at-rule" and node.lower_at_keyword == "media" and node.content:
            inner, inner_styled = _rules_for(
                tinycss2.parse_rule_list(node.content, skip_comments=True,
                                         skip_whitespace=True), used)
            if inner:
                styled |= inner_styled
                rules.append(f"@media{tinycss2.serialize(node.prelude)}{{\n  "
                             + "\n  ".join(inner) + "\n}")
        else:
            rules.append(node.serialize())
    return rules, styled


def _selectors(prelude: list[tinycss2.ast.Node]) -> list[list[tinycss2.ast.Node]]:
    """A selector list split at its top-level commas."""
    selectors: list[list[tinycss2.ast.Node]] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return selectors


def _classes(selector: list[tinycss2.ast.Node], *, nested: bool = False) -> set[str]:
    """The class names a selector requires (`.name`); `nested` adds those named inside a
    pseudo-class's arguments (`:not(.name)`), which a document must keep but need not use."""
    names = set()
    for index, token in enumerate(selector):
        before = selector[index - 1] if index else None
        if (token.type == "ident" and before is not None and before.type == "literal"
                and before.value == "."):
            names.add(token.value)
        elif token.type == "function" and nested:
            names |= _classes(token.arguments, nested=True)
    return names
