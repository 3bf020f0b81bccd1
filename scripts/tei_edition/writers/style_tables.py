"""The elements' style tables dropped once the boxes are built: less memory, and each page's
styles set without going through every element of the book.

WeasyPrint 70 computes the style of every element and pseudo-element into the tables of its
`StyleFor` before it builds the boxes (`document.py`, `Document._render`), and keeps the tables
until the rendering ends. The boxes hold the styles they were built with (each with its own
cascaded values and parent, all a style computes from later), so the tables are read after the
build only for the pages: a page's style inherits from the root element's, and each page made
goes through the whole cascaded table for the margin boxes of its page type
(`layout/page.py`, `set_page_type_computed_styles`): every element of the book, for every page,
n² in the pages.

The override runs upstream's `build_formatting_structure`, then drops from both tables the
entries of the elements other than the root: the pages find what they read, the boxes keep
their styles, and the PDF is the same. Installed only on the WeasyPrint version it was read
against; any other version keeps its tables (correct, only heavier) until this module is
checked against it.

Chosen over copying `set_page_type_computed_styles` (it would cure the time, not the memory).
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import weasyprint
from weasyprint import document
from weasyprint.css import StyleFor

WEASYPRINT_VERSION = "70.0"
UPSTREAM_BUILD = document.build_formatting_structure


def build_then_drop_element_styles(root: ElementTree.Element, style_for: StyleFor,
                                   *arguments: object) -> object:
    """WeasyPrint's `build_formatting_structure`, the styles of the elements but the root
    dropped from `style_for` once the boxes hold theirs."""
    root_box = UPSTREAM_BUILD(root, style_for, *arguments)
    for table in (style_for.get_cascaded_styles(), style_for.get_computed_styles()):
        for key in [key for key in table
                    if isinstance(key[0], ElementTree.Element) and key[0] is not root]:
            del table[key]
    return root_box


def install(version: str = weasyprint.__version__) -> bool:
    """Drop the elements' style tables after the build on the WeasyPrint this was written for;
    True if installed."""
    if version != WEASYPRINT_VERSION:
        return False
    document.build_formatting_structure = build_then_drop_element_styles
    return True
