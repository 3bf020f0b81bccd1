"""Addresses a scholar can cite: every paragraph and every witness line of an article gets an id.

A paragraph is `{article}-p{n}` (n counts the paragraphs of the article's text, back matter
excluded), a line `{article}-l{n}` (n is the witness's own line number, `<lb n>`, which never
changes). Both live in the one semantic HTML, so the web edition links to them and the EPUB keeps
the paragraphs' ids. An id the TEI already gave a paragraph stays: it is that paragraph's address.
"""

from __future__ import annotations

from lxml import etree

from .htmlpaths import IDS, LINE_MARKERS, has_class

# Sections after the text proper: their paragraphs are not the author's text.
BACK_MATTER = ("footnotes", "apparatus", "bibliography")

# The paragraphs of an article's text, in reading order: not its header, notes, apparatus or
# references (tested in C: the same tests in Python, ancestor by ancestor, cost more than
# the rest of the permalinks; `descendant::p`, not `.//p`, which lists every node first).
TEXT_PARAGRAPHS = etree.XPath(
    "descendant::p[not(ancestor::header or ancestor::*["
    + " or ".join(has_class(name) for name in BACK_MATTER) + "])]")


def add_permalinks(main: etree._Element) -> None:
    """Give each paragraph and each first marker of a witness line of every article its id."""
    taken = set(IDS(main.getroottree().getroot()))
    for article in main.iterfind(".//article"):
        key = article.get("id")
        if not key:
            continue
        for number, paragraph in enumerate(TEXT_PARAGRAPHS(article), start=1):
            anchor = f"{key}-p{number}"
            if paragraph.get("id") is None and anchor not in taken:
                paragraph.set("id", anchor)
                taken.add(anchor)
        for marker in LINE_MARKERS(article):
            anchor = f"{key}-l{marker.get('data-n')}"
            if marker.get("data-n") and marker.get("id") is None and anchor not in taken:
                marker.set("id", anchor)
                taken.add(anchor)

