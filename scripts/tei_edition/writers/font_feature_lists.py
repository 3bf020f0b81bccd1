"""The font features of each text layout freed with it: WeasyPrint's leak of them stopped.

WeasyPrint 70 gives every Pango layout of text set with font features (kerning, ligatures,
old-style figures: all of the edition's text) a new Pango attribute list holding them
(`text/line_break.py`, `Layout.setup`), and never releases its own reference to the list; the
attribute it puts in is a new one made for each layout and dropped unused for a cached one
(`FontConfiguration.font_features`, "a cache to avoid leaking too many of them"), which is
shared by every list. A layout is set up for each line tried and each line kept, and again to be
drawn: some 150 bytes of native memory were lost to each, 18 MB for each rendering of 48 pages
of the synthetic text, never given back, so that the lineation's preliminary renderings
(writers/pdf.py) weighed on the book's (1,000 pages: some 1 GB).

The override runs upstream's `setup` with a cache that keeps nothing, so that each list holds
its own new attribute, then releases the list reference upstream kept: the list and its
attribute are freed with their layout. The layouts have the same attributes, and the PDF the
same bytes. Installed only on the WeasyPrint version it was read against; any other version
keeps its own (correct, only leaking) until this module is checked against it.

Chosen over copying `Layout.setup` (some 70 lines to keep in step with upstream).
"""

from __future__ import annotations

import weasyprint
from weasyprint.text.ffi import ffi, pango
from weasyprint.text.line_break import Layout

WEASYPRINT_VERSION = "70.0"
UPSTREAM_SETUP = Layout.setup


class Uncached(dict):
    """A font-features cache that keeps nothing: `setdefault` gives back the attribute it is
    given (a new one, which the layout's attribute list then owns)."""

    def setdefault(self, _key: object, default: object = None) -> object:
        return default


def setup_releasing_the_list(layout: Layout, style: object) -> None:
    """WeasyPrint's `Layout.setup`, the layout left the only owner of its attribute list."""
    if not isinstance(style.font_config.font_features, Uncached):
        style.font_config.font_features = Uncached()
    UPSTREAM_SETUP(layout, style)
    attributes = pango.pango_layout_get_attributes(layout.layout)
    if attributes != ffi.NULL:  # upstream sets a list only for the font features
        pango.pango_attr_list_unref(attributes)


def install(version: str = weasyprint.__version__) -> bool:
    """Free each layout's font-feature list with it on the WeasyPrint this was written for;
    True if installed."""
    if version != WEASYPRINT_VERSION:
        return False
    Layout.setup = setup_releasing_the_list
    return True
