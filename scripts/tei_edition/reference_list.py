"""The references of an article as a reader uses them: in the author's numeric order (every
format), and on screens (web, EPUB) each entry leading back to where it is cited (the text's
citations, the notes' sources), as Wikipedia's "↩ 1 2 3" does; a printed page has no way back.

Citeproc sorts the entries its own way (identified sources first); the author's numbers are
the entries' labels ("[22]", "[37, 38]"), so the list is put in their order here.
"""

from __future__ import annotations

import re

from lxml import etree

from .htmlpaths import REFERENCE_LISTS

FIRST_NUMBER = re.compile(r"\d+")


def order_references(main: etree._Element) -> None:
    """Every references list of the document in the author's numeric order."""
    for listing in REFERENCE_LISTS(main):
        order_by_number(listing)


def link_references_back(html: etree._Element) -> None:
    """Every entry of every references list links back to its citations in its article."""
    for listing in REFERENCE_LISTS(html):
        article = next(listing.iterancestors("article"), None)
        link_back(listing, html if article is None else article)


def order_by_number(listing: etree._Element) -> None:
    """Entries by the first of the author's numbers in their label; unlabelled ones last."""
    def number(entry: etree._Element) -> int:
        label = entry.find_class("bib-label")
        found = FIRST_NUMBER.search("".join(label[0].itertext())) if label else None
        return int(found.group()) if found else 1_000_000

    children = list(listing)
    places = [index for index, child in enumerate(children) if child.tag == "li"]
    # sorted() is stable: ties keep citeproc's order; what is not an entry keeps its place
    for index, entry in zip(places, sorted((children[i] for i in places), key=number),
                            strict=True):
        children[index] = entry
    listing[:] = children


def link_back(listing: etree._Element, scope: etree._Element) -> None:
    """Give each citation of an entry an id, and the entry a link back to each of them."""
    citations: dict[str, list[etree._Element]] = {}
    for link in scope.iter("a"):
        if link.get("role") == "doc-biblioref" and link.get("href", "").startswith("#"):
            citations.setdefault(link.get("href")[1:], []).append(link)
    for entry in listing.iterchildren("li"):
        anchor = entry.get("id")
        links = citations.get(anchor, []) if anchor else []
        if not links:
            continue
        back = etree.SubElement(entry, "span", {"class": "bib-backlinks"})
        back.text = " "
        annotation = entry.find("div")
        if annotation is not None:  # after the entry itself, before its annotation
            annotation.addprevious(back)
        for number, link in enumerate(links, start=1):
            if not link.get("id"):
                link.set("id", f"{anchor}-cited-{number}")
            label = f"Back to citation {number} of {len(links)}" if len(links) > 1 else (
                "Back to the citation")
            backlink = etree.SubElement(back, "a", {
                "href": f"#{link.get('id')}", "role": "doc-backlink", "aria-label": label,
                "class": "bib-backlink"})
            backlink.text = "↩" if len(links) == 1 else f"↩{number}"
            backlink.tail = " "
