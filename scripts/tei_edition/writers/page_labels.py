"""The PDF's page labels: the folios a viewer shows and goes to, as the book prints them.

A viewer numbers a PDF's pages 1, 2, 3… from its first leaf, so that the first page of the
text, printed 1, was "11 of 45", and "go to page 23" went to the wrong page. The PDF's page
labels (/PageLabels in its catalog) number the front matter in lower-case roman from its first
leaf, as print.css counts it, and the text in arabic from 1 at the first article's first page,
where print.css restarts the count (`page: opening`), to the end of the book.
"""

from __future__ import annotations

from collections.abc import Callable

import pydyf

Finisher = Callable[[object, pydyf.PDF], None]


def with_page_labels(first_folio: str | None, finisher: Finisher | None) -> Finisher:
    """A finisher for WeasyPrint's write_pdf that labels the pages, folio 1 the page holding
    the anchor `first_folio` (the first article's id; none: the book has no article and is
    numbered from its first leaf, as print.css does), then runs `finisher`."""

    def finish(document: object, pdf: pydyf.PDF) -> None:
        start = next((number for number, page in enumerate(document.pages)
                      if first_folio in page.anchors), 0) if first_folio else 0
        ranges = [0, pydyf.Dictionary({"S": "/r"})] if start else []
        ranges += [start, pydyf.Dictionary({"S": "/D"})]
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array(ranges)})
        if finisher is not None:
            finisher(document, pdf)

    return finish
