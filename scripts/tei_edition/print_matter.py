"""The printed book's own matter around the texts: a half-title, the Note on the text (sigla, how
the apparatus reads, the regularised name forms), and the appendix of extraction repairs.

It is made from what the semantic HTML and the apparatus (print_apparatus.py) hold: the
articles' titles and sources (each with its witness's siglum, the `@n` of the source in the TEI
header), and the interventions sorted by kind.
"""

from __future__ import annotations

import lxml.html

from .html import add_text, html_element
from .print_apparatus import Apparatus, regularisation_table, repairs_table

NOTE_ID = "note-on-the-text"
APPENDIX_ID = "repairs-of-the-extraction"


def article_titles(html: lxml.html.HtmlElement) -> dict[str, str]:
    return {article.get("id"): article.find_class("article-title")[0].text_content()
            for article in html.xpath("//article[@id]") if article.find_class("article-title")}


def half_title(html: lxml.html.HtmlElement) -> None:
    """The title alone on the book's first leaf, before the title page."""
    title_page = html.get_element_by_id("title-page")
    page = lxml.html.Element("section", {"class": "half-title"})
    html_element(page, "p", title_page.find_class("edition-title")[0].text_content(),
                 class_="half-title-text")
    title_page.addprevious(page)


def editors_on_the_title_page(html: lxml.html.HtmlElement) -> None:
    """"Edited by" above the editors' names as the header gives them, not run into them."""
    for editors in html.find_class("edition-editors"):
        text = editors.text_content()
        if text.startswith("Edited by ") and not len(editors):
            editors.text = None
            html_element(editors, "span", "Edited by", class_="edited-by")
            html_element(editors, "span", text.removeprefix("Edited by "), class_="editor-name")


def note_on_the_text(html: lxml.html.HtmlElement, apparatus: Apparatus) -> None:
    """The Note on the text, after the contents: the witnesses and their sigla, what the
    apparatus at the page foot records, the regularised name forms once as a table."""
    titles = article_titles(html)
    contents = html.get_element_by_id("contents")
    note = lxml.html.Element("section", {"class": "note-on-the-text", "id": NOTE_ID})
    contents.addnext(note)
    html_element(note, "h2", "Note on the text")
    html_element(note, "h3", "Witnesses and sigla")
    sigla = html_element(note, "dl", class_="sigla")
    for article in html.xpath("//article[@id]"):
        source = article.find_class("source")
        if not source:
            continue
        html_element(sigla, "dt", source[0].get("data-siglum") or "—")
        described = html_element(sigla, "dd")
        html_element(described, "em", titles.get(article.get("id"), ""))
        add_text(described, ". " + source[0].text_content().removeprefix("Source: ")
                 + " The plain-text extraction of the magazine’s PDF, the only witness.")
    html_element(note, "h3", "The apparatus")
    corrections = len(apparatus.of_kind("apparatus"))
    html_element(note, "p", (
        "The text is the edition’s reading. Its lines are numbered from the start of each "
        "article, every fifth number in the outer margin. The apparatus at the foot of the page "
        "keys each intervention to that line and to its lemma: the line number, the edition’s "
        "reading, a bracket, the witness’s reading and its siglum; an entry on the line of the "
        "entry before it has no number, and an entry in a caption is keyed “cap.”. "
        f"It records the {corrections} interventions a reader must weigh (corrections of "
        "evident errors); nothing in the text marks them."))
    regularisations = apparatus.of_kind("regularisation")
    if regularisations:
        html_element(note, "h3", "Regularised name forms")
        html_element(note, "p", (
            f"Names the witness spells otherwise are given in the form of the registers "
            f"({len(regularisations)} occurrences). They are listed here once, not in the "
            "apparatus: the regular form, the witness’s forms, the number of occurrences and "
            "the lines."))
        regularisation_table(note, apparatus, titles)
    repairs = apparatus.of_kind("repair")
    if repairs:
        html_element(note, "h3", "Repairs of the extraction")
        examples = ", ".join(f"“{reading}”" for reading in list(dict.fromkeys(
            entry.reading for entry in repairs))[:2])
        paragraph = html_element(note, "p", (
            f"The extraction of the PDF split or joined words ({len(repairs)} places, such as "
            f"{examples}). These are not readings of the author’s text and "
            "are repaired silently in the text; the appendix lists them by form, with their "
            "lines, for the reader who checks the witness ("))
        html_element(paragraph, "a", "p. ", href="#" + APPENDIX_ID, class_="page-ref")
        add_text(paragraph, ").")
        appendix = lxml.html.Element("section", {"class": "appendix", "id": APPENDIX_ID})
        html_element(appendix, "h2", "Appendix: Repairs of the extraction")
        repairs_table(appendix, apparatus, titles)
        html.xpath("//article[@id]")[-1].addnext(appendix)
    entries = contents.find("ol")
    if entries is not None:
        first = lxml.html.Element("li")
        html_element(first, "a", "Note on the text", href="#" + NOTE_ID, class_="front-matter")
        entries.insert(0, first)
        if repairs:
            last_article = max((item for item in entries if item.find("a") is not None and
                                item.find("a").get("href", "")[1:] in titles),
                               key=entries.index)
            appendix_entry = lxml.html.Element("li")
            html_element(appendix_entry, "a", "Appendix: Repairs of the extraction",
                         href="#" + APPENDIX_ID)
            last_article.addnext(appendix_entry)
