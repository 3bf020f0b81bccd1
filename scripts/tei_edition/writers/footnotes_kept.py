"""No footnote lost: the notes of a line WeasyPrint keeps at a page's foot are set.

WeasyPrint 70 sets a line's footnotes after it has found that the line fits on the page
(`layout/block.py`, `_linebox_layout`). When the line does not fit, it first carries the
page's last notes over to the next page, and if the line then fits, keeps it as the page's
last line and stops, without setting the line's own notes: they are neither on the page nor
carried over, and the PDF has their calls and not their text. A synthetic text of 600 notes
(four to a paragraph) lost 6, one page in six; a book of dense notes loses some wherever a
page is full.

The override finishes that path: the notes of the line kept last, not set, are carried over to
the next page with the others (as WeasyPrint carries a note that does not fit: on the next
page, after its call), and returned with the line's notes, so that a layout WeasyPrint undoes
takes them back. Installed only on the WeasyPrint version it was read against; any other keeps
its own layout (tests/test_pdf.py asks every note of a dense text to be in the PDF).
"""

from __future__ import annotations

import weasyprint
from weasyprint.layout import LayoutContext, block

WEASYPRINT_VERSION = "70.0"
UPSTREAM_LINEBOX_LAYOUT = block._linebox_layout


def linebox_layout_keeping_notes(context: LayoutContext, box: object, index: int,
                                 child: object, new_children: list, *arguments: object
                                 ) -> tuple:
    """WeasyPrint's `_linebox_layout`; the notes of the page's last line, if not set, carried
    over to the next page."""
    result = UPSTREAM_LINEBOX_LAYOUT(context, box, index, child, new_children, *arguments)
    abort, stop, _, _, new_footnotes, _ = result
    if stop and not abort and new_children and context.footnotes:
        for descendant in new_children[-1].descendants():
            if descendant.footnote is not None and descendant.footnote in context.footnotes:
                context.layout_footnote(descendant.footnote)
                context.report_footnote(descendant.footnote)
                new_footnotes.append(descendant.footnote)
    return result


def install(version: str = weasyprint.__version__) -> bool:
    """Keep every note of a page's last line on the WeasyPrint this was written for; True if
    installed."""
    if version != WEASYPRINT_VERSION:
        return False
    block._linebox_layout = linebox_layout_keeping_notes
    return True
