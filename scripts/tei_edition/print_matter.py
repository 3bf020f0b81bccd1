"""The printed book's own matter around the texts: a half-title, what the Note on the text needs
in print (how the apparatus reads, the regularised name forms), the appendix of extraction
repairs, and the chronology's places by page and printed line.

It is made from what the semantic HTML and the apparatus (print_apparatus.py) hold: the Note
on the text in the headers' words (note_on_text.py), the articles' titles, and the
interventions sorted by kind.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator

import lxml.html
from lxml import etree

from .html import add_text, html_element
from .note_on_text import NOTE_ID, open_note
from .print_apparatus import (
    EDITORS_NOTE,
    PLACEHOLDER,
    Apparatus,
    regularisation_table,
    repairs_table,
    unlineated_locator,
)

APPENDIX_ID = "repairs-of-the-extraction"
NUMBERS = {2: "two", 3: "three"}
RUNS_OVER = "runs-over"  # an imprint longer than its page (print.css)


def article_titles(html: lxml.html.HtmlElement) -> dict[str, str]:
    return {article.get("id"): article.find_class("article-title")[0].text_content()
            for article in html.xpath("//article[@id]") if article.find_class("article-title")}


def authors_in_the_contents(html: lxml.html.HtmlElement) -> None:
    """Each article's entry in the contents names its author as the byline gives it ("[attributed
    to] Ismayil Hajiyev"), on a line of its own under the title, as a press's contents of a
    collection does. The articles are found by id in one walk of the book: a walk for each entry
    of the contents (every section has one) was quadratic in the book."""
    articles: dict[str, lxml.html.HtmlElement] = {}
    for article in html.iter("article"):
        articles.setdefault(article.get("id"), article)  # the first of an id, as XPath finds
    for link in html.get_element_by_id("contents").iterfind(".//li/a[@href]"):
        article = articles.get(link.get("href").removeprefix("#"))
        authors = article.xpath(".//*[@class='byline']/*[@class='author']") if (
            article is not None) else []
        if not authors:
            continue
        line = lxml.html.Element("span", {"class": "toc-author"})
        for number, author in enumerate(authors):
            if number:
                add_text(line, " and " if number == len(authors) - 1 else ", ")
            line.append(copy.deepcopy(author))
            line[-1].set("class", "toc-author-name")
            line[-1].tail = None
        link.addnext(line)


def half_title(html: lxml.html.HtmlElement) -> None:
    """The title alone on the book's first leaf, before the title page."""
    title_page = html.get_element_by_id("title-page")
    page = lxml.html.Element("section", {"class": "half-title"})
    html_element(page, "p", title_page.find_class("edition-title")[0].text_content(),
                 class_="half-title-text")
    title_page.addprevious(page)


def imprint_on_one_page(html: lxml.html.HtmlElement,
                        fits: Callable[[lxml.html.HtmlElement], bool]) -> bool:
    """The imprint stands on the verso of the title page, whatever the book: when it does not
    fit there (`fits`, given a book holding the imprint alone, sets it as the book does and
    says), it does not list the articles' sources, one line each, but says where they are, as
    a press's collection sends its reader from the copyright page to the acknowledgements;
    every article's opening names its source, and the Note on the text's witnesses, where the
    headers give them, describe them. An imprint too long for a page even so (a licence of
    pages) runs over from the head of the page, every word kept (a column set at the foot of
    its page lost the words of its third page): False then."""
    sources = html.find_class("imprint-source")
    if not sources or fits(imprint_alone(html)):
        return True
    where = "at its head"
    if html.find_class("witnesses"):
        where += " and under “Witnesses and sigla” in the Note on the text"
    sources[0].addprevious(lxml.html.Element("p", {"class": "imprint-sources"}))
    sources[0].getprevious().text = f"The source of each article is given {where}."
    for source in sources:
        source.drop_tree()
    if fits(imprint_alone(html)):
        return True
    [imprint] = html.find_class("imprint")
    imprint.set("class", f"{imprint.get('class')} {RUNS_OVER}")
    return False


def imprint_alone(html: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """A copy of the book's head and imprint, nothing else."""
    [imprint] = html.find_class("imprint")
    alone = lxml.html.Element("html", dict(html.attrib))
    alone.append(copy.deepcopy(html.find("head")))
    body = etree.SubElement(alone, "body", dict(html.find("body").attrib))
    body.append(copy.deepcopy(imprint))
    return alone


def editors_on_the_title_page(html: lxml.html.HtmlElement) -> None:
    """"Edited by" above the editors' names as the header gives them, not run into them."""
    for editors in html.find_class("edition-editors"):
        text = editors.text_content()
        if text.startswith("Edited by ") and not len(editors):
            editors.text = None
            html_element(editors, "span", "Edited by", class_="edited-by")
            html_element(editors, "span", text.removeprefix("Edited by "), class_="editor-name")


def note_on_the_text(html: lxml.html.HtmlElement, apparatus: Apparatus) -> None:
    """What the Note on the text (note_on_text.py, the headers' words) needs in print: how the
    apparatus at the page foot reads, the regularised name forms once as a table, and the
    repairs of the extraction sent to their appendix. An edition whose headers declare nothing
    and whose apparatus is empty has no note."""
    titles = article_titles(html)
    corrections = len(apparatus.of_kind("apparatus"))
    regularisations = apparatus.of_kind("regularisation")
    repairs = apparatus.of_kind("repair")
    declared = html.xpath("//section[@id=$id]", id=NOTE_ID)
    if not (declared or corrections or regularisations or repairs):
        return
    note = declared[0] if declared else open_note(html.get_element_by_id("contents"))
    editors_notes = len(html.find_class(EDITORS_NOTE))
    if corrections or editors_notes:
        reading_guide(note, corrections, editors_notes)
    if regularisations:
        regularised = part_of(note, "normalization", "Regularised name forms")
        html_element(regularised, "p", (
            f"The regularised names ({len(regularisations)} occurrences) are listed here once, "
            "not in the apparatus: the regular form, the witness’s forms, the number of "
            "occurrences and the lines."))
        regularisation_table(regularised, apparatus, titles)
    if repairs:
        repaired = part_of(note, "correction", "Repairs of the extraction")
        examples = ", ".join(f"“{reading}”" for reading in list(dict.fromkeys(
            entry.reading for entry in repairs))[:2])
        paragraph = html_element(repaired, "p", (
            f"The repairs of the extraction ({len(repairs)} "
            f"{'place' if len(repairs) == 1 else 'places'}, such as {examples}) are "
            "not in the apparatus: the appendix lists them by form, with their lines, for the "
            "reader who checks the witness ("))
        html_element(paragraph, "a", "p. ", href="#" + APPENDIX_ID, class_="page-ref")
        add_text(paragraph, ").")
        appendix = lxml.html.Element("section", {"class": "appendix", "id": APPENDIX_ID})
        html_element(appendix, "h2", "Appendix: Repairs of the extraction")
        html_element(appendix, "p", (
            "The edition’s form, the extraction’s, and the lines where it stands: a range "
            "(“13–14”) gives each of its lines; “(2×)”, a line that holds the form twice."),
            class_="appendix-note")
        repairs_table(appendix, apparatus, titles)
        html.xpath("//article[@id]")[-1].addnext(appendix)
        contents = html.get_element_by_id("contents").find("ol")
        if contents is not None:
            last_article = max((item for item in contents if item.find("a") is not None and
                                item.find("a").get("href", "")[1:] in titles),
                               key=contents.index)
            appendix_entry = lxml.html.Element("li")
            html_element(appendix_entry, "a", "Appendix: Repairs of the extraction",
                         href="#" + APPENDIX_ID)
            last_article.addnext(appendix_entry)


def html_captions(element: lxml.html.HtmlElement) -> bool:
    """Whether the book `element` is in has captions in its articles, which the apparatus, the
    names' table and the editors' notes cite by "cap." (a `figcaption`, or a figure's caption
    in a paragraph: a span of that class)."""
    return any(part.tag == "figcaption" or "figcaption" in (part.get("class") or "").split()
               for part in in_articles(element, "*"))


def authors_notes(element: lxml.html.HtmlElement) -> bool:
    """Whether the book `element` is in has author's notes at the page foot (footnotes_at_calls
    made each a span of the class "footnote")."""
    return any("footnote" in (span.get("class") or "").split()
               for span in in_articles(element, "span"))


def in_articles(element: lxml.html.HtmlElement, tag: str) -> Iterator[lxml.html.HtmlElement]:
    """The `tag` elements inside the articles of the book `element` is in, walked one article
    at a time. Not the XPath `//article//span`: libxml2 merges the spans found under each
    article into one node set, each merge checking every node against those already in it —
    quadratic, minutes for a book of 1,000 pages."""
    for article in element.getroottree().iter("article"):
        yield from article.iterdescendants(tag)


def reading_guide(note: lxml.html.HtmlElement, corrections: int, editors_notes: int) -> None:
    """How the page foot reads, after the sigla it uses: the lineation, the editors' notes
    (keyed, not called) and the apparatus."""
    guide = part_of(note, "print-apparatus", "The apparatus")
    for witnesses in note.find_class("witnesses"):
        witnesses.addnext(guide)
    lineation = html_element(guide, "p", (
        "The text is the edition’s reading. Its lines are numbered from the start of each "
        "article, every fifth number in the outer margin."))
    if html_captions(note):
        # No number for an example: it is written before the lines are set, and a number
        # no caption of the book has reads as a mistake.
        add_text(lineation, " A caption, which is not lineated, is cited by “cap.” after "
                 "the number of the line it follows.")
    series = ["the author’s notes, called by number"] if authors_notes(note) else []
    if editors_notes:
        series.append(f"the editors’ notes ({editors_notes}), marked “ed. 1” …, not called but "
                      "keyed by line and lemma")
    series += ["the apparatus"] if corrections else []
    if len(series) > 1:
        add_text(lineation, f" The page foot has up to {NUMBERS[len(series)]} series: "
                 f"{'; '.join(series)}.")
    elif series:
        add_text(lineation, f" The page foot holds {series[0]}.")
    if corrections:
        html_element(guide, "p", (
            "The apparatus keys each intervention to its line and to its lemma: the line "
            "number, the edition’s reading, a bracket, the witness’s reading and its siglum; an "
            "entry on the line of the entry before it has no number. "
            "It records the interventions a reader must weigh, the "
            f"corrections of evident errors ({corrections} in all); nothing in the text marks "
            "them."))


def part_of(note: lxml.html.HtmlElement, part: str, heading: str) -> lxml.html.HtmlElement:
    """The note's part of that name (an editorialDecl part, e.g. `normalization`), where the
    print's own paragraphs go after the header's; a new headed part when it has none."""
    for section in note.find_class(part):
        return section
    section = html_element(note, "section", class_=f"note-part {part}")
    html_element(section, "h3", heading)
    return section


def chronology_by_page_and_line(html: lxml.html.HtmlElement, apparatus: Apparatus) -> None:
    """Each event of the chronology located as print locates a lemma: "Kars conference, p. 27,
    l. 215". The page is the link's (print.css); the line of the date, counted as the margin
    numbers count, is put in by `Apparatus.number_lines` like the tables' lines; a date in a
    note or a caption is located by its note ("n. 12") or "cap.". The witness's line, the
    reference of the web edition, is left out. The dates are found by their ids in one pass
    over the book (an XPath search for each of the chronology's links cost some 0.3 s)."""
    by_id: dict[str, lxml.html.HtmlElement] = {}
    for element in html.iterfind(".//*[@id]"):
        by_id.setdefault(element.get("id"), element)  # the first, as the XPath found
    for link in html.find_class("chronology-link"):
        for witness_line in link.find_class("chronology-line"):
            witness_line.drop_tree()
        place = link.get("href", "")[1:]
        where = lxml.html.Element("span", {"class": "chronology-printed-line"})
        date = by_id.get(place)
        locator = unlineated_locator(date) if date is not None else ""
        if locator:
            where.text = f", {locator}"
        else:  # print.css sets ", l." before a line number, nothing where none is found
            cell = html_element(where, "span", PLACEHOLDER, class_="lines")
            apparatus.line_cells.append((cell, [place]))
        where.tail, link.tail = link.tail, None
        link.addnext(where)
