"""Editorial views of a TEI text as data: which alternative of a `<choice>` is read, what is
dropped, and how a line beginning joins the text.

In the manner of TEI Publisher's processing model, each view is a small table, so the text
export, the HTML transform and the apparatus agree on one definition of "diplomatic" and
"normalised".
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from . import tei


@dataclass(frozen=True)
class View:
    name: str
    omitted: frozenset[str]  # Clark names of elements whose content this view does not read
    omit_weak_pc: bool  # drop line-end soft hyphens (`<pc force="weak">`)
    line_based: bool  # True: each `<lb n>` starts line n; False: lines are joined into prose
    editorial_notes: bool  # reads the edition's own notes (`<note type="editorial">`)

    def reads(self, element: etree._Element) -> bool:
        if element.tag in self.omitted:
            return False
        if element.tag == tei("note") and element.get("type") == "editorial":
            return self.editorial_notes
        return not (
            self.omit_weak_pc and element.tag == tei("pc") and element.get("force") == "weak"
        )


_EDITORIAL = {"reg", "corr", "expan", "supplied"}
_WITNESS = {"orig", "sic", "abbr"}
_OUTSIDE_TEXT = {"teiHeader", "back"}

DIPLOMATIC = View(
    "diplomatic",
    frozenset(tei(name) for name in _EDITORIAL | _OUTSIDE_TEXT),
    omit_weak_pc=False,
    line_based=True,
    editorial_notes=False,  # the witness has none of the edition's words
)
NORMALISED = View(
    "normalised",
    frozenset(tei(name) for name in _WITNESS | _OUTSIDE_TEXT | {"fw", "pb", "label"}),
    omit_weak_pc=True,
    line_based=False,
    editorial_notes=True,
)
VIEWS = {view.name: view for view in (DIPLOMATIC, NORMALISED)}
