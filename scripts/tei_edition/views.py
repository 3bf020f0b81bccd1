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
    # The side of a `<choice>` this view does not read. Outside a choice a `<sic>` or an `<abbr>`
    # is the only text there is, and every view reads it.
    alternatives: frozenset[str] = frozenset()
    note_labels: bool = True  # reads the witness's number at the head of a note (`<label>`)

    def reads(self, element: etree._Element) -> bool:
        if element.tag in self.omitted:
            return False
        parent = element.getparent()
        if element.tag in self.alternatives:
            return parent is None or parent.tag != tei("choice")
        if element.tag == tei("label") and parent is not None and parent.tag == tei("note"):
            return self.note_labels
        if element.tag == tei("note") and element.get("type") == "editorial":
            return self.editorial_notes
        return not (
            self.omit_weak_pc and element.tag == tei("pc") and element.get("force") == "weak"
        )


_EDITORIAL = {"reg", "corr", "expan"}
_WITNESS = {"orig", "sic", "abbr"}
_OUTSIDE_TEXT = {"teiHeader", "back"}

DIPLOMATIC = View(
    "diplomatic",
    frozenset(tei(name) for name in _OUTSIDE_TEXT | {"supplied"}),
    omit_weak_pc=False,
    line_based=True,
    editorial_notes=False,  # the witness has none of the edition's words
    alternatives=frozenset(tei(name) for name in _EDITORIAL),
)
NORMALISED = View(
    "normalised",
    frozenset(tei(name) for name in _OUTSIDE_TEXT | {"fw", "pb"}),
    omit_weak_pc=True,
    line_based=False,
    editorial_notes=True,
    alternatives=frozenset(tei(name) for name in _WITNESS),
    note_labels=False,  # the reading text gives the note its number with its text
)
# A line beginning inside a word (the word runs on, no word space): the TEI way
# (`<lb break="no"/>`), the TCP's (`<lb type="hyphenInWord"/>`, 1,890 in T04's Formosa), and
# a line that the encoder ends with the witness's hyphen kept as a soft hyphen (U+00AD, "wea\u00ad
# <lb/>kest" in T11's Romeo and Juliet). The soft hyphen is the witness's: the diplomatic view
# shows it, the normalised view leaves it out, as a weak `<pc>`.
WORD_RUNS_ON = frozenset({("break", "no"), ("type", "hyphenInWord")})
SOFT_HYPHEN = "\u00ad"


def text_before(element: etree._Element) -> str:
    """The text that comes just before `element` (its previous sibling's tail, or that
    sibling's text when its tail is only space, or its parent's text)."""
    previous = element.getprevious()
    if previous is None:
        parent = element.getparent()
        return (parent.text or "") if parent is not None else ""
    if previous.tail and previous.tail.strip():
        return previous.tail
    return "".join(previous.itertext()) + (previous.tail or "") if isinstance(
        previous.tag, str) else previous.tail or ""


def word_runs_on(line_beginning: etree._Element) -> bool:
    """Whether a `<lb/>` falls inside a word, which then reads whole in the normalised view."""
    return (any(line_beginning.get(name) == value for name, value in WORD_RUNS_ON)
            or text_before(line_beginning).rstrip().endswith(SOFT_HYPHEN))


VIEWS = {view.name: view for view in (DIPLOMATIC, NORMALISED)}
# The elements `View.reads` may refuse (it looks at nothing else): every other element, every
# view reads.
DEPENDS_ON_THE_VIEW = frozenset({tei("label"), tei("note"), tei("pc")}).union(
    *(view.omitted | view.alternatives for view in VIEWS.values()))
