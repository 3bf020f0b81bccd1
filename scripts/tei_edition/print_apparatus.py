"""The apparatus of the printed edition, as a press sets a critical text (reledmac's model).

The semantic HTML lists every intervention at the end of its article, keyed by letters in the
text (html.py); print sorts them by what a reader does with them:

- substantive interventions (corrections of errors, variants that are not a name's form) go to
  the foot of the page where their lemma is printed, keyed by line number and lemma, with no mark
  in the text: `12 Sèvres] Serves W`, the entries of a page run on in one paragraph, below the
  author's footnotes;
- routine regularisations of a name's form are stated once, in a table of the Note on the text
  (regular form, the witness's forms, occurrences, lines);
- repairs of the extraction (words the PDF extraction split or joined) are not the author's and
  not the editor's choices: an appendix table grouped by form gives where they are, for the
  reader who checks the witness; they do not crowd the page foot.

The line numbers come from a first rendering (lineation.py); `Apparatus.number_lines` puts them
into the page-foot entries and the tables before the final rendering.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import lxml.html
from weasyprint.css.properties import Dimension
from weasyprint.document import Document as Rendering
from weasyprint.formatting_structure import boxes
from weasyprint.layout import LayoutContext

from .html import add_text, html_element
from .htmlpaths import contents_links
from .lineation import BLOCK, PrintedLine
from .text import preceding

PLACEHOLDER = "000"  # a line number's width in the first rendering
EDITORS_NOTE = "editors-note"  # the class of an editors' note keyed by its lemma
FOOTNOTE_RULE_SHARE = 0.4  # of the measure: the rule above the notes of a page
SERIES_SPACE = 4.0  # px (3 pt): the space between two series of notes at a page's foot


@dataclass
class Entry:
    place: str  # id of the intervention (the <choice>) in the text
    article: str
    lemma: str
    reading: str
    type: str
    name_form: bool  # the intervention is the form of a registered name

    @property
    def kind(self) -> str:
        if self.type == "extraction":
            return "repair"
        if self.type == "variant" and self.name_form:
            return "regularisation"
        return "apparatus"


@dataclass
class KeyedNote:
    """A note of the page foot keyed by the lines of its lemma, not called in the text (the
    editors' notes, print_editors_notes.py)."""

    start: str  # id of the lemma
    end: str  # id of a mark at its end
    number: lxml.html.HtmlElement  # where its line number, or range, is printed
    unnumbered: str  # where it stands when outside the numbered lines: "cap.", "n. 37"


@dataclass
class Apparatus:
    """The interventions of the edition and the HTML that print sets them in."""

    entries: list[Entry]
    sigla: dict[str, str]  # article id -> siglum of its witness
    notes: dict[str, lxml.html.HtmlElement] = field(default_factory=dict)  # place -> foot entry
    unnumbered: dict[str, str] = field(default_factory=dict)  # place -> "cap.", "n. 37"
    line_cells: list[tuple[lxml.html.HtmlElement, list[str]]] = field(default_factory=list)
    keyed_notes: list[KeyedNote] = field(default_factory=list)
    captions: dict[str, lxml.html.HtmlElement] = field(default_factory=dict)  # place -> caption

    def of_kind(self, kind: str) -> list[Entry]:
        return [entry for entry in self.entries if entry.kind == kind]

    def number_lines(self, lines: dict[str, PrintedLine],
                     printed: Sequence[PrintedLine] = ()) -> None:
        """Give each page-foot entry and table cell the printed line of its lemma; an entry on
        the line of the one before prints no number (reledmac's convention). A caption is not
        lineated: it is keyed by the line it follows and "cap." ("76 cap.", from `printed`,
        the lines in order), as an article may hold several captions."""
        after = {line.block: line for line in printed if line.block}  # a block's last line

        def elsewhere(place: str, locator: str) -> str:
            caption = self.captions.get(place)
            line = _line_before(caption, after) if caption is not None else None
            return f"{line} {locator}" if line else locator

        previous: tuple[str, int] | None = None
        for entry in self.of_kind("apparatus"):
            line = lines.get(entry.place)
            here = (entry.article, line.number) if line else None
            number = self.notes[entry.place].find_class("app-line")[0]
            if here is None:
                number.text = elsewhere(entry.place, self.unnumbered.get(entry.place, ""))
                number.set("class", "app-line unnumbered")
            else:
                number.text = "" if here == previous else str(here[1])
            previous = here
        for note in self.keyed_notes:  # a lemma over several lines gives them all: "91–93"
            start, end = lines.get(note.start), lines.get(note.end)
            if start is None:
                note.number.text = elsewhere(note.start, note.unnumbered)
                note.number.set("class", "app-line unnumbered")
            else:
                last = end.number if end is not None and end.article == start.article else 0
                note.number.text = (f"{start.number}–{last}" if last > start.number
                                    else str(start.number))
        for cell, places in self.line_cells:
            numbers = [lines[place].number for place in places if place in lines]
            unnumbered = dict.fromkeys(elsewhere(place, self.unnumbered[place]) for place in places
                                       if place not in lines and place in self.unnumbered)
            cell.text = ", ".join(part for part in (line_list(numbers), *unnumbered) if part)


def _line_before(caption: lxml.html.HtmlElement, after: dict[str, PrintedLine]) -> int | None:
    """The number of the last printed line of the article's text before the caption (print
    sets a caption between paragraphs, after the one that held it)."""
    article = next(caption.iterancestors("article"), None)
    for block in preceding(caption):
        line = after.get(block.get(BLOCK, ""))
        if line is not None:
            return line.number if article is None or line.article == article.get("id") else None
    return None


def caption_of(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The caption (a figure's block) an element stands in, if it does."""
    return next((ancestor for ancestor in element.iterancestors()
                 if "figure" in (ancestor.get("class") or "").split()), None)


def ranges(numbers: list[int]) -> str:
    """"3, 7–9, 12": the line numbers, each once, consecutive ones as a range."""
    return ", ".join(text for _, text in _runs(set(numbers)))


def line_list(numbers: list[int]) -> str:
    """A table's lines: "3, 7–9, 12 (2×)". A line that holds the entry more than once says how
    often, so that the lines add up to the places a count or the Note on the text gives; it
    stands alone, as a range could not say which of its lines is counted twice."""
    times = Counter(numbers)
    repeated = [(number, f"{number} ({count}×)") for number, count in times.items() if count > 1]
    once = _runs({number for number, count in times.items() if count == 1})
    return ", ".join(text for _, text in sorted(once + repeated))


def _runs(numbers: set[int]) -> list[tuple[int, str]]:
    """Each run of consecutive numbers, by its first, as "7" or "7–9"."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return [(run[0], str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}") for run in runs]


def collect(html: lxml.html.HtmlElement) -> Apparatus:
    """Take the apparatus out of the articles (their lists and the letter marks in the text)."""
    entries: list[Entry] = []
    sigla: dict[str, str] = {}
    for mark in html.find_class("app-mark"):
        mark.drop_tree()
    by_id = elements_by_id(html)
    contents = contents_links(html)
    for section in html.find_class("apparatus"):
        article = next(section.iterancestors("article"))
        source = article.find_class("source")
        sigla[article.get("id")] = source[0].get("data-siglum", "") if source else ""
        for item in section.find_class("app-entry"):
            place = item.find_class("app-place")[0].get("href", "")[1:]
            [choice] = by_id.get(place) or [None]
            if choice is None:
                continue
            entries.append(Entry(
                place, article.get("id"), item.find_class("lemma")[0].text_content(),
                item.find_class("reading")[0].text_content(), choice.get("data-type", ""),
                any("name" in (a.get("class") or "").split() for a in choice.iterancestors())))
        for link in contents.get("#" + section.get("id"), []):
            link.getparent().drop_tree()
        section.drop_tree()
    return Apparatus(entries, sigla)


def set_page_foot_entries(html: lxml.html.HtmlElement, apparatus: Apparatus) -> None:
    """Put each substantive entry, as a page-foot float of the apparatus series, right after
    its lemma: WeasyPrint sets it at the foot of the page the lemma falls on."""
    by_id = elements_by_id(html)
    for entry in apparatus.of_kind("apparatus"):
        [choice] = by_id.get(entry.place, [])
        note = lxml.html.Element("span", {"class": "app-note", "data-place": entry.place})
        html_element(note, "span", PLACEHOLDER, class_="app-line")
        add_text(note, " ")
        html_element(note, "span", entry.lemma, class_="lemma")
        add_text(note, "]\u2009")
        html_element(note, "span", entry.reading, class_="reading")
        siglum = apparatus.sigla.get(entry.article)
        if siglum:
            add_text(note, " ")
            html_element(note, "span", siglum, class_="siglum")
        in_note = next((a for a in choice.iterancestors()
                        if "footnote" in (a.get("class") or "").split()), None)
        anchor = choice if in_note is None else in_note  # a float is not set inside a float
        note.tail, anchor.tail = anchor.tail, None
        anchor.addnext(note)
        apparatus.notes[entry.place] = note
    for entry in apparatus.entries:  # the tables cite a caption or a note as the foot does
        for choice in by_id.get(entry.place, []):
            if locator := unlineated_locator(choice):
                apparatus.unnumbered[entry.place] = locator
                if (caption := caption_of(choice)) is not None:
                    apparatus.captions[entry.place] = caption


def elements_by_id(html: lxml.html.HtmlElement) -> dict[str, list[lxml.html.HtmlElement]]:
    """The elements of each id, in document order: one pass, where an XPath for each of a
    book's hundreds of entries went through the whole document each time."""
    found: dict[str, list[lxml.html.HtmlElement]] = {}
    for element in html.iter():
        if isinstance(element.tag, str) and element.get("id"):
            found.setdefault(element.get("id"), []).append(element)
    return found


def unlineated_locator(element: lxml.html.HtmlElement) -> str:
    """Where an element stands outside the numbered lines: "n. 37" in a note, "cap." in a
    caption (captions are not lineated); "" in the text."""
    classes = [(a.get("class") or "").split() for a in element.iterancestors()]
    in_note = next((a for a, names in zip(element.iterancestors(), classes, strict=True)
                    if "footnote" in names), None)
    if in_note is not None:
        return f"n. {in_note.get('data-n', '')}".strip()
    return "cap." if any("figure" in names for names in classes) else ""


def tables_by_article(parent: lxml.html.HtmlElement, class_: str, headings: tuple[str, ...],
                      found: list[Entry], titles: dict[str, str],
                      ) -> Iterator[tuple[lxml.html.HtmlElement, list[Entry]]]:
    """One table of `found` entries with its heading row; for each article in turn (under a row
    with its title when the edition has several) the table's body and the article's entries."""
    table = html_element(parent, "table", class_=class_)
    head = html_element(html_element(table, "thead"), "tr")
    for heading in headings:
        html_element(head, "th", heading)
    body = html_element(table, "tbody")
    for article in dict.fromkeys(entry.article for entry in found):
        if len(titles) > 1:
            html_element(html_element(body, "tr", class_="article-row"), "td",
                         titles.get(article, article), colspan=str(len(headings)))
        yield body, [entry for entry in found if entry.article == article]


def regularisation_table(parent: lxml.html.HtmlElement, apparatus: Apparatus,
                         titles: dict[str, str]) -> None:
    """The routine regularisations, once: regular form, the witness's forms, occurrences, lines."""
    found = apparatus.of_kind("regularisation")
    if not found:
        return
    for body, entries in tables_by_article(parent, "regularisations",
                                           ("Regular form", "Witness", "Occ.", "Lines"),
                                           found, titles):
        by_form: dict[str, list[Entry]] = defaultdict(list)
        for entry in entries:
            by_form[entry.lemma].append(entry)
        for lemma in sorted(by_form, key=str.casefold):
            group = by_form[lemma]
            row = html_element(body, "tr")
            html_element(row, "td", lemma)
            html_element(row, "td", ", ".join(dict.fromkeys(e.reading for e in group)),
                         class_="witness-forms")
            html_element(row, "td", str(len(group)), class_="count")
            cell = html_element(row, "td", PLACEHOLDER, class_="lines")
            apparatus.line_cells.append((cell, [e.place for e in group]))


def repairs_table(parent: lxml.html.HtmlElement, apparatus: Apparatus,
                  titles: dict[str, str]) -> None:
    """The repairs of the extraction grouped by form: `Azerbaijan ] Azer baijan — 5, 120`."""
    found = apparatus.of_kind("repair")
    if not found:
        return
    for body, entries in tables_by_article(parent, "repairs", ("Edition", "Extraction", "Lines"),
                                           found, titles):
        by_form: dict[tuple[str, str], list[str]] = defaultdict(list)
        for entry in entries:
            by_form[entry.lemma, entry.reading].append(entry.place)
        for (lemma, reading), places in sorted(by_form.items(),
                                               key=lambda item: item[0][0].casefold()):
            row = html_element(body, "tr")
            html_element(row, "td", lemma)
            html_element(row, "td", reading, class_="witness-forms")
            cell = html_element(row, "td", PLACEHOLDER, class_="lines")
            apparatus.line_cells.append((cell, places))


@contextmanager
def apparatus_below_footnotes() -> Iterator[None]:
    """While it is active, WeasyPrint sets each page's footnote area with the author's notes
    first, then the editors' notes, and the apparatus entries after them, one paragraph of
    inline notes.

    WeasyPrint 70 has one footnote area and stacks the notes of a page in the order of their
    calls: an author's note called between two lemmas would split the apparatus paragraph. Its
    `LayoutContext._update_footnote_area` (which measures the area as each note is added, so the
    text above makes room) is given the page's notes in that order; the list WeasyPrint keeps
    in call order, and reports from, is left as it is.
    """
    original = LayoutContext._update_footnote_area

    def notes_then_apparatus(context: LayoutContext) -> object:
        in_call_order = context.current_page_footnotes
        context.current_page_footnotes = sorted(in_call_order, key=_series)
        _space_series(context.current_page_footnotes)
        try:
            return original(context)
        finally:
            context.current_page_footnotes = in_call_order

    LayoutContext._update_footnote_area = notes_then_apparatus
    try:
        yield
    finally:
        LayoutContext._update_footnote_area = original


def drop_first_separators(rendering: Rendering) -> None:
    """No separator before the first apparatus entry of a page."""
    for page in rendering.pages:
        for area in page._page_box.children:
            if isinstance(area, boxes.FootnoteAreaBox):
                for block in area.children:
                    if _holds_apparatus(block):
                        _drop_first_separator(block)
                        break


def shorten_footnote_rules(rendering: Rendering) -> None:
    """The rule above a page's notes two fifths of the measure, as LaTeX's \\footnoterule: CSS
    draws a border the area's width, so the laid-out area is narrowed (its notes keep the
    measure they were set to; nothing clips them)."""
    for page in rendering.pages:
        for area in page._page_box.children:
            if isinstance(area, boxes.FootnoteAreaBox):
                area.width *= FOOTNOTE_RULE_SHARE


def _holds_apparatus(block: boxes.Box) -> bool:
    return any(_is_entry(box) for box in block.descendants())


def _series(box: boxes.Box) -> int:
    """The place of a page-foot note's series: the author's notes, the editors' notes, the
    apparatus."""
    if _is_entry(box):
        return 2
    return int(box.element is not None and EDITORS_NOTE in (box.element.get("class") or "").split())


def _space_series(notes: list[boxes.Box]) -> None:
    """A little space below the last note of a series that another series follows on the page:
    a press tells the series apart so (reledmac's skip before each series), not by a rule.

    Which note ends a series depends on the page, so the space is set on each layout of the
    page's foot, on a copy of the note's style (its CSS margin kept beside it)."""
    for index, note in enumerate(notes):
        ends_series = index + 1 < len(notes) and _series(notes[index + 1]) != _series(note)
        if not hasattr(note, "css_style"):
            note.css_style = note.style
            note.style = note.style.copy()
        below = note.css_style["margin_bottom"]
        note.style["margin_bottom"] = Dimension(
            below.value + (SERIES_SPACE if ends_series else 0), below.unit)


def _is_entry(box: boxes.Box) -> bool:
    return box.element is not None and "app-note" in (box.element.get("class") or "").split()


def _drop_first_separator(block: boxes.Box) -> None:
    """Remove the separator (`::before`) of the first entry and close the gap it leaves."""
    line = next((box for box in block.descendants() if isinstance(box, boxes.LineBox)), None)
    if line is None:
        return
    for entry in line.descendants():
        separator = next((child for child in getattr(entry, "children", ())
                          if child.element_tag.endswith("::before") and _is_entry(child)), None)
        if separator is None:
            continue
        width = separator.margin_width()
        entry.children.remove(separator)
        for child in entry.children:
            child.translate(dx=-width)
        entry.width -= width
        for child in line.children:
            if child is not entry and child.position_x > entry.position_x:
                child.translate(dx=-width)
        return
