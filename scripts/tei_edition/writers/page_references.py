"""Linear PDF tagging: pydyf's list of page references, computed once instead of per element.

WeasyPrint tags the PDF (`pdf_tags=True`: the structure tree readers of tagged PDF and PDF/UA
need) in `weasyprint/pdf/tags.py`, which asks `pdf.page_references[page_number]` for every
structure element it makes, and pydyf 0.13's `PDF.page_references` is a property that builds
the tuple of all the pages' references anew at each call. A book of n pages with k tagged
elements a page costs n·k·n: the 506-page FRUS monograph spent some 25 s of its 70 s there.

The override keeps pydyf's own property and remembers its result until a page is added (pages
are only ever appended, by `PDF.add_page`, so the length of `Kids` tells when the list
changed): the same references, the same PDF bytes, computed once per document instead of once
per element. It is installed only on the pydyf version it was read against; any other version
keeps pydyf's property unchanged (correct, only slower) until this module is checked against it.

Chosen over the alternatives: copying WeasyPrint's `add_tags` into the project (200 lines to keep
in step with upstream) or building the structure tree ourselves (giving up WeasyPrint's tagging
of tables, lists and links) would both fork far more code than the one quadratic line.
"""

from __future__ import annotations

import pydyf

PYDYF_VERSION = "0.13.0"
UPSTREAM = pydyf.PDF.page_references
_CACHE = "_edition_page_references"


def _remembered_page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    """pydyf's `page_references`, recomputed only when the number of pages changed."""
    kids = pdf.pages["Kids"]
    remembered = pdf.__dict__.get(_CACHE)
    if remembered is None or remembered[0] is not kids or remembered[1] != len(kids):
        remembered = (kids, len(kids), UPSTREAM.fget(pdf))
        pdf.__dict__[_CACHE] = remembered
    return remembered[2]


def install(version: str = pydyf.__version__) -> bool:
    """Remember the page references on the pydyf this was written for; True if installed."""
    if version != PYDYF_VERSION:
        return False
    pydyf.PDF.page_references = property(_remembered_page_references,
                                         doc=UPSTREAM.__doc__)
    return True

