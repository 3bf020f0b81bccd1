"""The Note on the text, in the words of the TEI headers: what the witnesses are and in what
state they survive (the edition's `sourceDesc`, each article's witness with its siglum and its
note), and what the editors did to the text (the edition's `editorialDecl`, part by part).

The note is data: another edition prints its own declaration. It is part of the semantic HTML,
so the web edition, the EPUB and the PDF give the same text; the PDF adds what only the printed
apparatus needs (print_matter.py).
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from . import tei
from .html import XML_LANG, add_text, cite_source, html_element

NOTE_ID = "note-on-the-text"
# The parts of an editorialDecl (TEI's model.editorialDeclPart), headed as a Note on the text
# heads them; a part's `@n` gives its own heading.
PART_HEADINGS = {
    "correction": "Corrections",
    "normalization": "Regularisation",
    "hyphenation": "Hyphenation",
    "quotation": "Quotation marks",
    "segmentation": "Segmentation",
    "punctuation": "Punctuation",
    "interpretation": "Interpretation",
    "stdVals": "Standard values",
}
DECLARATION = f"{tei('encodingDesc')}/{tei('editorialDecl')}"
PARAGRAPHS = (tei("p"), tei("ab"))
# Inline elements of header prose and the HTML that renders them; `gi`, `att`, `tag` and `val`
# (an encoder's declaration names elements and attributes) in code, marked as TEI writes them.
INLINE = {"title": "cite", "hi": "em", "emph": "em", "foreign": "i", "code": "code",
          "gi": "code", "att": "code", "tag": "code", "val": "code"}
CODE_MARKS = {"gi": ("<", ">"), "att": ("@", ""), "tag": ("<", ">"), "val": ("“", "”")}
# Names the header marks keep their kind as a class, as in the texts: print sets them as names
# (print.css: a short name is not hyphenated).
NAMES = ("persName", "placeName", "orgName")


def write_note_on_the_text(root: etree._Element, body: etree._Element,
                           book: etree._Element | None = None) -> None:
    """The note after the contents, and its entry first in them, when the edition declares its
    editorial principles (an `editorialDecl` in its own header) or sigla for its witnesses.

    An article built on its own that a book includes (`book`, the teiCorpus, load.py's
    `corpus_including`) prints the book's declaration, written for its readers, and says
    whose it is: its own declaration documents the encoding for its encoders (the elements
    and attributes it uses), which the note of a book for readers does not print."""
    header = root.find(tei("teiHeader"))
    book_header = book.find(tei("teiHeader")) if book is not None else None
    declaring = (book_header if book_header is not None and book_header.find(DECLARATION)
                 is not None else header)
    declaration = declaring.find(DECLARATION)
    articles = [root] if root.tag == tei("TEI") else root.findall(tei("TEI"))
    witnesses = [(article, witness_of(article)) for article in articles]
    if declaration is None and not any(witness is not None for _, witness in witnesses):
        return
    note = open_note(body.find("nav[@id='contents']"))
    if declaring is not header:
        the_books_note(declaring, html_element(note, "p"))
    parts = list(declaration) if declaration is not None else []
    for paragraph in (part for part in parts if part.tag in PARAGRAPHS):  # the declaration's
        header_prose(paragraph, html_element(note, "p"))                 # own opening
    sources = html_element(note, "section", class_="note-part witnesses")
    html_element(sources, "h3", "Witnesses and sigla")
    if declaring.getparent().tag == tei("teiCorpus"):  # a TEI's sourceDesc is its witness's
        for paragraph in declaring.iterfind(f"{tei('fileDesc')}/{tei('sourceDesc')}/{tei('p')}"):
            header_prose(paragraph, html_element(sources, "p"))
    sigla = html_element(sources, "dl", class_="sigla")
    for article, witness in witnesses:
        html_element(sigla, "dt", witness.get("n") if witness is not None else "—")
        described = html_element(sigla, "dd")
        if witness is not None and witness.tag != tei("biblStruct"):  # a bibl says it all
            header_prose(witness, described)
            continue
        cite_source(described, article)
        for remark in witness.iterfind(tei("note")) if witness is not None else ():
            add_text(described, " ")
            header_prose(remark, described)
    for part in parts:
        if isinstance(part.tag, str) and part.tag not in PARAGRAPHS:
            declared_part(part, note)


def the_books_note(book_header: etree._Element, target: etree._Element) -> None:
    """Whose the note is: the edition's, its examples drawn from all its articles, its figures
    and lists this article's (the generated parts of the note count this article alone)."""
    titles = f"{tei('fileDesc')}/{tei('titleStmt')}/{tei('title')}"
    title = book_header.find(f"{titles}[@type='main']")
    add_text(target, "The article is part of the edition ")
    header_prose(title if title is not None else book_header.find(titles),
                 html_element(target, "cite"))
    add_text(target, ". This is the edition’s note: its examples are drawn from all its "
             "articles, and not every practice it describes has an instance in this one; its "
             "figures, tables and lists are this article’s.")


def open_note(contents: etree._Element) -> etree._Element:
    """The note's section, headed, after the contents, and its entry first in them."""
    note = lxml.html.Element("section", {"id": NOTE_ID, "class": "note-on-the-text",
                                         "aria-labelledby": NOTE_ID + "-heading"})
    contents.addnext(note)
    html_element(note, "h2", "Note on the text", id=NOTE_ID + "-heading")
    entries = contents.find("ol")
    if entries is not None:
        entry = lxml.html.Element("li")
        html_element(entry, "a", "Note on the text", href="#" + NOTE_ID, class_="front-matter")
        entries.insert(0, entry)
    return note


def witness_of(article: etree._Element) -> etree._Element | None:
    """The witness an article's header describes with a siglum (`sourceDesc/*[@n]`)."""
    return article.find(f"{tei('teiHeader')}/{tei('fileDesc')}/{tei('sourceDesc')}/*[@n]")


def declared_part(part: etree._Element, note: etree._Element) -> None:
    """A part of the editorialDecl (correction, normalization…) as a headed section."""
    name = etree.QName(part).localname
    section = html_element(note, "section", class_=f"note-part {name}")
    html_element(section, "h3", part.get("n") or PART_HEADINGS.get(name, name))
    for paragraph in part:
        if paragraph.tag in PARAGRAPHS:
            header_prose(paragraph, html_element(section, "p"))


def header_prose(element: etree._Element, target: etree._Element) -> None:
    """Header prose as running text: titles cited, names of elements and attributes as code,
    any other element as its text (in its language, where it gives one)."""
    prose(element, target)
    if len(target):
        target[-1].tail = (target[-1].tail or "").rstrip()
    else:
        target.text = (target.text or "").rstrip()
    target.text = (target.text or "").lstrip() or None


def prose(element: etree._Element, target: etree._Element) -> None:
    add_text(target, spaced(element.text))
    for child in element:
        if isinstance(child.tag, str):
            name = etree.QName(child).localname
            language = child.get(XML_LANG)
            inner = target
            if name in INLINE or name in NAMES or language:
                inner = html_element(target, INLINE.get(name, "span"), lang=language,
                                     class_=name if name in NAMES else None)
            opening, closing = CODE_MARKS.get(name, ("", ""))
            add_text(inner, opening)
            prose(child, inner)
            add_text(inner, closing)
        add_text(target, spaced(child.tail))


def spaced(text: str | None) -> str | None:
    """The header's line breaks and indentation as the single spaces they stand for."""
    return re.sub(r"\s+", " ", text) if text else text
