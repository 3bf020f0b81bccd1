"""Editorial views of a TEI text as data: which alternative of a `<choice>` is read, what is
dropped, and how a line beginning joins the text.

In the manner of TEI Publisher's processing model, each view is a small table, so the text
export, the HTML transform and the apparatus agree on one definition of "diplomatic" and
"normalised".
"""

from __future__ import annotations

from collections.abc import Iterable
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
SOFT_HYPHEN = "\u00ad"


# What stands between the words of a line and is not one of them: page furniture, markers and
# notes, whose words are elsewhere (a note's soft hyphen ends a line of the note, not of the text).
OFF_THE_LINE = frozenset(tei(name) for name in (
    "pb", "cb", "milestone", "fw", "note", "figure", "anchor", "index"))
# The blocks a line's look back does not leave: an `<lb/>` opening one does not continue the word
# that ended the last (inline elements, `<hi>`, `<name>`, are left for the text before them).
_BLOCKS = frozenset(tei(name) for name in (
    "p", "ab", "l", "lg", "head", "item", "list", "label", "cell", "row", "table", "quote", "cit",
    "sp", "speaker", "stage", "trailer", "byline", "note", "figure", "body", "front", "back",
    "text", "div", *(f"div{level}" for level in range(1, 8)), "titlePage", "docTitle",
    "titlePart", "docImprint", "docDate", "docAuthor", "epigraph", "closer", "opener", "salute",
    "signed", "dateline", "argument", "postscript", "floatingText", "lem", "rdg", "app"))


def _last_words_among(backwards: Iterable[etree._Element]) -> str | None:
    """The last text among the nodes `backwards` (read from the last) that is not only space,
    notes and page furniture left out; "" where a line beginning ends the look back, None
    where they hold no words."""
    for node in backwards:
        if node.tail and node.tail.strip():
            return node.tail
        if node.tag == tei("lb"):
            return ""
        if isinstance(node.tag, str) and node.tag not in OFF_THE_LINE:
            found = _last_words(node)
            if found is not None:
                return found
    return None


def _last_words(element: etree._Element) -> str | None:
    """The last words of `element` (see `_last_words_among`), its own text the last place."""
    found = _last_words_among(reversed(element))
    if found is not None:
        return found
    return element.text if element.text and element.text.strip() else None


def line_end(line_beginning: etree._Element) -> str:
    """The last words of the line a `<lb/>` ends, as its text flows: the nearest text before it
    that is not only space, looking back past page and column beginnings, milestones, forme work,
    notes, comments and processing instructions, into an inline element before it and out of one
    the `<lb/>` opens ("wea\u00ad<hi><lb/>kest</hi>"); "" at a block's start or after an
    earlier `<lb/>`."""
    node = line_beginning
    while True:
        found = _last_words_among(node.itersiblings(preceding=True))
        if found is not None:
            return found
        parent = node.getparent()
        if parent is None:
            return ""
        if parent.text and parent.text.strip():
            return parent.text
        if parent.tag in _BLOCKS or parent.tag in OFF_THE_LINE:
            return ""
        node = parent


def word_runs_on(line_beginning: etree._Element) -> bool:
    """Whether a `<lb/>` falls inside a word, which then reads whole in the normalised view:
    `break="no"`; the TCP's `type="hyphenInWord"`, or an older encoding's `rend="hyphenated"`
    (T13), unless a space stands just before it ("two <lb type="hyphenInWord"/> words" are two);
    a line whose words end in a soft hyphen (`line_end`).
    An explicit `break="yes"` wins."""
    broken = line_beginning.get("break")
    if broken in ("yes", "no"):
        return broken == "no"
    if line_beginning.get("type") == "hyphenInWord" or line_beginning.get("rend") == "hyphenated":
        return not _text_just_before(line_beginning)[-1:].isspace()
    return line_end(line_beginning).rstrip().endswith(SOFT_HYPHEN)


def _text_just_before(line_beginning: etree._Element) -> str:
    """The nearest text before a `<lb/>`, a space alone included, as its line flows: past page
    furniture, notes, comments and processing instructions, into an inline element before it
    and out of one it opens ("three <pb/><lb/>", "<hi>three </hi><lb/>": a space ends the
    word); "" at a block's start."""
    node = line_beginning
    while True:
        found = _last_text_among(node.itersiblings(preceding=True))
        if found:
            return found
        parent = node.getparent()
        if parent is None or parent.text or parent.tag in _BLOCKS:
            return parent.text or "" if parent is not None else ""
        node = parent


def _last_text_among(backwards: Iterable[etree._Element]) -> str:
    """The last text among the nodes `backwards` (read from the last), a space alone included,
    inline elements entered, page furniture and notes passed; "" if they hold none."""
    for node in backwards:
        if node.tail:
            return node.tail
        if isinstance(node.tag, str) and node.tag not in OFF_THE_LINE:
            inside = _last_text_among(reversed(node)) or node.text or ""
            if inside:
                return inside
    return ""


VIEWS = {view.name: view for view in (DIPLOMATIC, NORMALISED)}
# The elements `View.reads` may refuse (it looks at nothing else): every other element, every
# view reads.
DEPENDS_ON_THE_VIEW = frozenset({tei("label"), tei("note"), tei("pc")}).union(
    *(view.omitted | view.alternatives for view in VIEWS.values()))
