"""Lost notes and unidentified references in print: stated once, not set as placeholders.

The semantic HTML keeps a place for every note and reference the author numbered, saying where
its text is lost (html.py, citations.py): right for a web reader who follows a call. A printed
page must not fill its foot with "Text of the note not preserved" nor set "Unidentified source
no. 5" as if it were a book. In print:

- a footnote is set at the page foot only where its text survives; the call of a lost note
  stays in the text;
- the CSL bibliography keeps the identified sources only, in the order of the author's numbers;
- a lost note whose source the editors identified leads to that source's entry (its calls
  are linked to it); the lost notes and the unidentified numbers are one statement and one
  table per article, in numeric order: number, what the article cites it for, the pages it
  cites (each column only where the data fills it), the lines of the calls (from the first
  rendering, as the apparatus's). The statement is made from the table, so it says only what
  the table holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.html

from .citations import Status
from .html import add_text, html_element
from .print_apparatus import PLACEHOLDER, Apparatus, ranges
from .print_composition import UNBROKEN

# "Cited (p. 5–6) for …", or "Cited for …" where the reference gives no page
CITED = re.compile(r"Cited(?: \(([^)]*)\))? for (.+?)\.?$")


@dataclass
class Unidentified:
    """An author's number whose note text or source did not survive."""

    number: int
    cited_for: str = ""
    pages_cited: str = ""
    lost_note: bool = False
    unresolved_reference: bool = False
    identified: bool = False  # a lost note whose source is in the bibliography: no table row
    calls: list[str] = field(default_factory=list)  # ids of its calls in the text


def present_lost_notes_and_references(html: lxml.html.HtmlElement,
                                      apparatus: Apparatus) -> None:
    """Before the footnotes are moved to their calls (pdf.py): take the lost notes and the
    unidentified references out, and set each article's table of them."""
    for article in html.xpath("//article[@id]"):
        _numbers_in_doubt(article)
        found: dict[int, Unidentified] = {}
        _lost_notes(article, found)
        bibliography = _unidentified_references(article, found)
        if found:
            entries = sorted(found.values(), key=lambda u: u.number)
            _table(article, bibliography, entries, apparatus)
            _headnote(article, entries)


def _numbers_in_doubt(article: lxml.html.HtmlElement) -> None:
    """A note that survived without its number, which the editors inferred (`<note n="3"
    cert="medium">`: html.py labels it "probably 3"), hangs the number in brackets with a
    query, "[3?]", as the number slot of a printed note holds a number alone; the note's text
    opens by saying why ("Number lost; probably note 3.")."""
    for item in article.xpath(".//li[@data-n][ancestor::section[contains(@class, 'footnotes')]]"):
        number = item.get("data-n")
        label = item.find_class("footnote-number")
        said = label[0].text_content().strip() if label else number
        if said == number or not said.endswith(number):
            continue
        label[0].text, label[0][:] = f"[{number}?]", []
        item.set("class", f"{item.get('class', '')} doubted-number".strip())
        text = item.find_class("footnote-text")
        if text:
            doubt = lxml.html.Element("span", {"class": "number-in-doubt"})
            doubt.text = f"Number lost; {said.removesuffix(number).strip()} note {number}."
            doubt.tail = " " + (text[0].text or "")
            text[0].text = None
            text[0].insert(0, doubt)


def _number(text: str) -> int | None:
    digits = re.match(r"\[?(\d+)", text.strip())
    return int(digits[1]) if digits else None


def _redirect_calls(article: lxml.html.HtmlElement, target: str, row: str) -> list[str]:
    """Point the calls of a removed note or entry at its row in the table; their ids."""
    calls = []
    for position, call in enumerate(article.xpath(".//a[@href=$href]", href="#" + target)):
        call.set("href", "#" + row)
        if not call.get("id"):
            call.set("id", f"{row}-call-{position + 1}")
        calls.append(call.get("id"))
    return calls


def _row_id(article: lxml.html.HtmlElement, number: int) -> str:
    return f"{article.get('id')}-unidentified-{number}"


def _lost_notes(article: lxml.html.HtmlElement, found: dict[int, Unidentified]) -> None:
    for item in article.xpath(".//li[@data-text='lost']"
                              "[ancestor::section[contains(@class, 'footnotes')]]"):
        number = _number(item.get("data-n", ""))
        if number is None:
            continue
        entry = found.setdefault(number, Unidentified(number))
        entry.lost_note = True
        source = item.find_class("footnote-source")
        link = source[0].find(".//a[@href]") if source and {Status.RESOLVED, Status.PROBABLE} & set(
            source[0].get("class", "").split()) else None
        if link is not None:  # the text is lost, its source identified: its calls lead there
            entry.identified = True
            _redirect_calls(article, item.get("id"), link.get("href").removeprefix("#"))
        else:
            entry.calls += _redirect_calls(article, item.get("id"), _row_id(article, number))
        item.drop_tree()


def _unidentified_references(article: lxml.html.HtmlElement,
                             found: dict[int, Unidentified]) -> lxml.html.HtmlElement | None:
    bibliography = article.find(".//section[@class='bibliography']")
    if bibliography is None:
        return None
    listing = bibliography.find_class("references")
    if not listing:
        return bibliography
    for item in listing[0].xpath("./li[contains(concat(' ', @class, ' '), ' unresolved ')]"):
        label = item.find_class("bib-label")
        number = _number(label[0].text_content()) if label else None
        if number is None:
            continue
        entry = found.setdefault(number, Unidentified(number))
        entry.unresolved_reference = True
        description = " ".join(item.find_class("csl-block")[0].text_content().split()) if (
            item.find_class("csl-block")) else ""
        cited = CITED.search(description)
        if cited and not entry.cited_for:
            entry.pages_cited, entry.cited_for = cited[1] or "", cited[2]
        entry.calls += _redirect_calls(article, item.get("id"), _row_id(article, number))
        item.drop_tree()
    remaining = list(listing[0])
    remaining.sort(key=lambda item: _number(item.find_class("bib-label")[0].text_content())
                   if item.find_class("bib-label") else 0)
    listing[0][:] = remaining
    if not remaining:
        listing[0].drop_tree()
    return bibliography


def _table(article: lxml.html.HtmlElement, bibliography: lxml.html.HtmlElement | None,
           entries: list[Unidentified], apparatus: Apparatus) -> None:
    if bibliography is None:
        bibliography = html_element(article, "section", class_="bibliography")
        html_element(bibliography, "h3", "References", class_="back-heading")
    lost = [e.number for e in entries if e.lost_note]
    identified = [e.number for e in entries if e.identified]
    rows = [e for e in entries if not e.identified]
    unresolved = [e.number for e in rows if e.unresolved_reference]
    cited_for = any(entry.cited_for for entry in rows)  # a column nobody fills is left out
    pages_cited = any(entry.pages_cited for entry in rows)
    statement = []
    if lost:
        statement.append(f"The text of note{'s' if len(lost) > 1 else ''} {ranges(lost)} did "
                         "not survive the extraction: only the calls stand in the text.")
    if identified:
        statement.append(f"Note{'s' if len(identified) > 1 else ''} {ranges(identified)} "
                         f"lead{'' if len(identified) > 1 else 's'} to the source the editors "
                         "identified, listed above.")
    if unresolved:
        known = [what for what, shown in (("what the article cites them for, in the editors’ "
                                           "words", cited_for),
                                          ("the pages it cites", pages_cited)) if shown]
        statement.append(f"The source{'s' if len(unresolved) > 1 else ''} the author numbered "
                         f"{ranges(unresolved)} could not be identified. They are listed here "
                         "by number, with " + (f"what is known of them ({', '.join(known)}) "
                                               "and " if known else "")
                         + "the lines of their calls; they are not bibliographic entries.")
    html_element(bibliography, "p", " ".join(statement), class_="unidentified-note")
    if not rows:
        return
    # a table of numbers and lines alone is a few characters wide: set in columns, not down a
    # page and a third with two-thirds of the measure empty (print.css)
    narrow = not (cited_for or pages_cited)
    table = html_element(html_element(bibliography, "div", class_="unidentified-columns")
                         if narrow else bibliography, "table", class_="unidentified")
    head = html_element(html_element(table, "thead"), "tr")
    for heading, column, shown in (("No.", "number", True), ("Cited for", "cited-for", cited_for),
                                   ("Pages cited", "pages-cited", pages_cited),
                                   ("Lines", "lines", True)):
        if shown:  # the column's class sizes it (print.css)
            html_element(head, "th", heading, class_=column)
    body = html_element(table, "tbody")
    for entry in rows:
        row = html_element(body, "tr", id=_row_id(article, entry.number))
        html_element(row, "td", str(entry.number), class_="number")
        if cited_for:
            html_element(row, "td", entry.cited_for or "—", class_="cited-for")
        if pages_cited:
            _pages_cited(html_element(row, "td", class_="pages-cited"), entry.pages_cited)
        cell = html_element(row, "td", PLACEHOLDER, class_="lines")
        apparatus.line_cells.append((cell, entry.calls))


def _headnote(article: lxml.html.HtmlElement, entries: list[Unidentified]) -> None:
    """One note at the foot of the page of the first lost note's call, which says that the
    notes lost did not survive and where what is known of them is set out: their calls stood
    with nothing at the page foot for twenty pages, explained only in the Note on the text and
    the article's references (production review); a press puts that in a headnote. One note,
    not one a call: no page foot filled with placeholders. The editors' words, set apart as
    in an author's note whose source they name ("[Ed.: …]", html.footnote_source)."""
    lost = [entry.number for entry in entries if entry.lost_note]
    calls = {call for entry in entries if entry.lost_note for call in entry.calls}
    first = next((element for element in article.iter("a") if element.get("id") in calls), None)
    if first is None:
        return
    number = _number(first.text_content()) or lost[0]
    others = [n for n in lost if n != number]
    # No page number: the lineation sets the articles without their references, where a
    # target-counter would point nowhere.
    note = lxml.html.Element("span", {"class": "footnote lost-notes-note", "data-n": "",
                                      "data-marker": str(number)})
    lead = html_element(note, "em", "Ed.:", class_="editors-lead")
    note.text = "["
    lead.tail = (f" the text of notes {ranges([number, *others])} is lost; see the References.]"
                 if others else " the text of this note is lost; see the References.]")
    note.tail, first.tail = first.tail, None
    first.addnext(note)


def _pages_cited(cell: lxml.html.HtmlElement, pages: str) -> None:
    """The pages a source is cited for, each locator a box that never breaks ("p. 302–303"),
    so that the cell wraps between them and its column needs no more than the widest."""
    if not pages:
        add_text(cell, "—")
    for position, locator in enumerate(pages.split(", ")):
        add_text(cell, ", " if position else None)
        html_element(cell, "span", locator, class_=UNBROKEN)
