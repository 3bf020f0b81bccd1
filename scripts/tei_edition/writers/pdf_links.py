"""What the PDF's links say to a screen reader: readable descriptions, not the targets' ids.

A tagged PDF describes each link annotation by its /Contents, which a screen reader announces;
WeasyPrint puts there the target's id ("place-nakhchivan-region"). The description is made
here from what the link leads to: an entry of the index by its name ("Nakhchivan (region), in
the index"), anything else by the link's own words and the heading of the part it leads into.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import lxml.html
import pydyf

Finisher = Callable[[object, pydyf.PDF], None]
HEADINGS = ("h1", "h2", "h3", "h4")


def with_links_described(html: lxml.html.HtmlElement, finisher: Finisher | None) -> Finisher:
    """A finisher for WeasyPrint's write_pdf that describes the links, then runs `finisher`."""
    targets = target_descriptions(html)

    def finish(document: object, pdf: pydyf.PDF) -> None:
        targets.update({target: description for target, description in locators(html).items()
                        if target not in targets})
        for page in document.pages:
            for kind, target, _rectangle, box in page.links:
                annotation = getattr(box, "link_annotation", None)
                if annotation is None or "Contents" not in annotation:
                    continue
                words = squeezed("".join(box.element.itertext()))
                annotation["Contents"] = pydyf.String(
                    link_description(words, targets.get(target)) if kind == "internal"
                    else words or target)
        if finisher is not None:
            finisher(document, pdf)

    return finish


def link_description(words: str, target: tuple[str, bool] | None) -> str:
    """A link's description from its `words` and its `target` (a text, whether it names the
    target whole: an index entry, a part of the book)."""
    if target is None:
        return words
    text, whole = target
    return text if whole or not words else f"{words}, in {text}"


def target_descriptions(html: lxml.html.HtmlElement) -> dict[str, tuple[str, bool]]:
    """Each id's description (the links of the index are made later, when its pages are
    known): an index entry's name "…, in the index"; a part's heading
    for the part (whole) or for a place in it."""
    described = {}
    for element in html.iter():
        identifier = element.get("id") if isinstance(element.tag, str) else None
        if identifier is None:
            continue
        headword = element.find_class("headword")
        if "register-entry" in (element.get("class") or "").split() and headword:
            described[identifier] = (f"{squeezed(headword[0].text_content())}, in the index",
                                     True)
        elif heading := own_heading(element):
            described[identifier] = (heading, True)
        elif heading := next(filter(None, map(own_heading, element.iterancestors())), ""):
            described[identifier] = (heading, False)
    return described


def locators(html: lxml.html.HtmlElement) -> dict[str, tuple[str, bool]]:
    """The index's page numbers, whose targets the index's rendering made (writers/pdf.py's
    index_by_page): "Iravan governorate, p. 7"."""
    described = {}
    for entry in html.find_class("register-entry"):
        headword = entry.find_class("headword")
        for link in entry.iter("a"):
            if headword and (link.get("href") or "").startswith("#"):
                described[link.get("href")[1:]] = (
                    f"{squeezed(headword[0].text_content())}, p. {squeezed(link.text_content())}",
                    True)
    return described


def own_heading(element: lxml.html.HtmlElement) -> str:
    """The text of an element's heading: its own (an h2), or its first child's (a section's), or
    its header's (an article's)."""
    if element.tag in HEADINGS:
        return squeezed(element.text_content())
    children = [*element, *(child for header in element.iterchildren("header") for child in header)]
    heading = next((child for child in children if child.tag in HEADINGS), None)
    return squeezed(heading.text_content()) if heading is not None else ""


def squeezed(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
