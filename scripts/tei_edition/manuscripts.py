"""A manuscript description (`<msDesc>`) as the entry of a catalogue: the shelfmark line, the
heading, then the description's parts each under its label, in the order of the TEI.

The shelfmark line is the identifier's parts (country, settlement, repository, shelfmark…)
separated by commas, each other identifier after it, labelled. Each part of the description a
reader looks up by name (contents, physical description, history and theirs: extent,
collation, hands, provenance…) is a term and its description in a definition list (`LABELLED`),
a part that only groups others (`GROUPING`) is no entry of its own, its parts are its
container's; what a part holds several of (`BLOCKS`: the hands of its description of the hands,
the events of a custodial history) is a block each. The items of the contents are a list, each
item's locus and title its first line, its rubric, incipit, explicit and bibliography entries
of its own. The words added (the labels, an item's number, another identifier's type) are spans
of the class `ms-label`: no word of the description's is one.

Inside a description a note is read in its place (a catalogue's note is part of the entry, not
the text's footnote; a note of the heading follows the heading), and a list of references is the
part's bibliography, not a references section of the text.
"""

from __future__ import annotations

from lxml import etree

from . import tei
from .html import (
    HANDLERS,
    XML_ID,
    XML_LANG,
    Transformer,
    add_text,
    handles,
    html_element,
    in_paragraph,
    local_name,
    tei_name,
)
from .text import MS_CONTAINER_NAMES

# A part of a description a reader looks for by name: the term it is listed under.
LABELLED: dict[str, str] = {
    "msContents": "Contents", "physDesc": "Physical description", "history": "History",
    "additional": "Additional information", "msPart": "Part", "msFrag": "Fragment",
    "summary": "Summary", "textLang": "Language", "author": "Author",
    "rubric": "Rubric", "incipit": "Incipit", "explicit": "Explicit",
    "finalRubric": "Final rubric", "colophon": "Colophon", "filiation": "Filiation",
    "decoNote": "Decoration", "listBibl": "Bibliography", "bibl": "Bibliography",
    "support": "Material", "extent": "Extent", "foliation": "Foliation",
    "collation": "Collation", "condition": "Condition", "layoutDesc": "Layout",
    "handDesc": "Hands", "scriptDesc": "Script", "typeDesc": "Type", "decoDesc": "Decoration",
    "musicNotation": "Music notation", "additions": "Additions", "bindingDesc": "Binding",
    "sealDesc": "Seals", "accMat": "Accompanying material",
    "origin": "Origin", "provenance": "Provenance", "acquisition": "Acquisition",
    "recordHist": "Record history", "availability": "Availability",
    "custodialHist": "Custodial history", "surrogates": "Surrogates",
}
# A part that groups others and says nothing of its own: its parts are its container's entries.
GROUPING = frozenset({"objectDesc", "supportDesc", "adminInfo"})
# What a part holds several of, each a block of it.
BLOCKS = frozenset({"layout", "handNote", "scriptNote", "typeNote", "binding", "seal",
                    "custEvent", "source"})
# The parts whose children are parts in turn (the others hold prose and phrases).
CONTAINERS = MS_CONTAINER_NAMES  # (text.py's: the text export sets them apart too)
ITEMS = frozenset({tei("msItem"), tei("msItemStruct")})
# An item's first line: where it stands and what it is.
ITEM_HEADLINE = frozenset(tei(name) for name in ("locus", "locusGrp", "title"))
# The shelfmark line's parts; what is not one of them is set after it.
IDENTIFIER = tei("msIdentifier")
ALTERNATIVE_IDENTIFIER = tei("altIdentifier")
# Phrases of a description with no rendering of their own elsewhere: a span named by each.
PHRASES = ("locus", "locusGrp", "origPlace", "origDate", "material", "repository",
           "institution", "collection", "msName", "objectType", "watermark", "catchwords",
           "signatures", "secFol", "heraldry", "stamp")


def label(parent: etree._Element, text: str) -> etree._Element:
    """Words the edition adds to the description (another identifier's type)."""
    return html_element(parent, "span", text, class_="ms-label")


@handles("msDesc")
def manuscript_description(self: Transformer, element: etree._Element,
                           parent: etree._Element) -> None:
    """The entry: an item of the list of references it stands in, else a block of its own."""
    in_list = element.getparent().tag == tei("listBibl")
    entry = html_element(parent, "li" if in_list else "div", class_="ms-desc",
                         id=None if self.witness_copy else element.get(XML_ID),
                         lang=element.get(XML_LANG), data_tei="msDesc")
    level = self.heading_level
    self.heading_level += 2 if in_list else 1  # under the list's heading, or the text's
    self.describing += 1
    try:
        parts(self, element, entry)
        fields_apart(entry)
    finally:
        self.describing -= 1
        self.heading_level = level


def parts(self: Transformer, element: etree._Element, target: etree._Element,
          skipped: frozenset[etree._Element] = frozenset()) -> None:
    """The children of a part of the description (but `skipped`): the labelled ones as the
    entries of a definition list, the contents' items as a list, the rest as themselves."""
    terms: etree._Element | None = None
    items: etree._Element | None = None
    add_text(target, words_of(element.text))  # (valid TEI has none: its parts are elements)
    for child in element:
        if child is not element[0]:
            add_text(target, words_of(child.getprevious().tail))
        if not isinstance(child.tag, str) or child in skipped:
            continue
        name = local_name(child)
        if child.tag not in ITEMS:
            items = None
        if name in GROUPING and only_parts(child):
            # its parts join the container's list: they are the container's entries
            terms = grouped(self, child, target, terms)
            continue
        if name in LABELLED and LABELLED[name] != LABELLED.get(local_name(element)):
            if terms is None:
                terms = html_element(target, "dl", class_="ms-parts")
            term(self, child, terms)
            continue
        terms = None
        if child.tag in ITEMS:
            if items is None:
                items = html_element(target, "ul", class_="ms-items")
            item(self, child, items)
        elif child.tag == IDENTIFIER:
            identifier(self, child, target)
        elif child.tag == tei("head") and element.tag == tei("msDesc"):
            heading(self, child, target)
        elif name in BLOCKS or name in CONTAINERS or name in LABELLED:
            # a part its container's term names already (a decoNote of the decoDesc) is a block
            block = html_element(target, "div", class_=f"ms-block ms-{name}",
                                 data_type=child.get("type"), lang=child.get(XML_LANG))
            contents(self, child, block)
        elif child.tag == tei("note"):
            self.wrap(child, target, "p", "ms-note")
        else:
            self.render(child, target)
    if len(element):
        add_text(target, words_of(element[-1].tail))


def words_of(text: str | None) -> str | None:
    """Text between the parts of a part, if it holds words (else it is layout)."""
    return text if text and text.strip() else None


def only_parts(element: etree._Element) -> bool:
    """Whether a grouping part holds labelled parts (and groups of them) only."""
    return all(local_name(child) in LABELLED or (local_name(child) in GROUPING
                                                 and only_parts(child))
               for child in element if isinstance(child.tag, str))


def grouped(self: Transformer, element: etree._Element, target: etree._Element,
            terms: etree._Element | None) -> etree._Element | None:
    """A grouping part's labelled parts as entries of its container's list (`terms`, the list
    they join, or None to begin one)."""
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if local_name(child) in GROUPING:
            terms = grouped(self, child, target, terms)
            continue
        if terms is None:
            terms = html_element(target, "dl", class_="ms-parts")
        term(self, child, terms)
    return terms


def contents(self: Transformer, element: etree._Element, target: etree._Element) -> None:
    """What a part holds: its parts, or its prose and phrases."""
    if local_name(element) in CONTAINERS:
        parts(self, element, target)
    elif element.tag == tei("listBibl"):
        references(self, element, target)
    else:
        self.children(element, target)


def term(self: Transformer, element: etree._Element, terms: etree._Element) -> None:
    """A labelled part: its term (the defective state of an incipit or explicit said with it)
    and its description."""
    name = local_name(element)
    word = LABELLED[name]
    if element.get("defective") == "true":
        word += " (defective)"
    html_element(terms, "dt", word, class_=f"ms-label ms-term ms-{name}")
    description = html_element(terms, "dd", class_=f"ms-part ms-{name}",
                               lang=element.get(XML_LANG), data_type=element.get("type"),
                               data_tei=tei_name(element))  # an item's <bibl> is one
    contents(self, element, description)


def item(self: Transformer, element: etree._Element, items: etree._Element) -> None:
    """An item of the contents: its number, locus and title on its first line, the rest (its
    rubric, incipit, bibliography…) listed under it, an item within it in a list of its own."""
    entry = html_element(items, "li", class_="ms-item", data_n=element.get("n"),
                         data_class=element.get("class"), lang=element.get(XML_LANG),
                         id=None if self.witness_copy else element.get(XML_ID))
    headline = [child for child in element if child.tag in ITEM_HEADLINE]
    if headline or element.get("n"):
        line = html_element(entry, "p", class_="ms-item-heading")
        if element.get("n"):
            html_element(line, "span", f"{element.get('n')}.", class_="ms-label ms-item-n")
        for child in headline:
            add_text(line, " " if len(line) else None)
            self.render(child, line)
    parts(self, element, entry, frozenset(headline))


def identifier(self: Transformer, element: etree._Element, target: etree._Element) -> None:
    """The shelfmark line: the identifier's parts separated by commas, each other identifier
    after them under a label naming its type."""
    line = html_element(target, "p", class_="ms-identifier", data_tei="msIdentifier")
    first = True
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if child.tag == ALTERNATIVE_IDENTIFIER:
            add_text(line, "; ")
            kind = child.get("subtype") or child.get("type")
            label(line, f"other identifier ({kind}): " if kind else "other identifier: ")
            alternative = html_element(line, "span", class_="alt-identifier",
                                       data_type=child.get("type"))
            phrases(self, child, alternative)
        else:
            add_text(line, None if first else ", ")
            self.render(child, line)
        first = False


def phrases(self: Transformer, element: etree._Element, target: etree._Element) -> None:
    """An identifier's parts, separated by commas."""
    for number, child in enumerate(c for c in element if isinstance(c.tag, str)):
        add_text(target, ", " if number else None)
        self.render(child, target)


def heading(self: Transformer, element: etree._Element, target: etree._Element) -> None:
    """The description's heading; a note of it after it, as a paragraph of the entry."""
    notes = [child for child in element if child.tag == tei("note")]
    line = html_element(target, f"h{min(self.heading_level, 6)}", class_="head ms-head",
                        data_tei="head")
    add_text(line, element.text)
    for child in element:
        if child.tag == tei("note"):
            add_text(line, child.tail.rstrip() if child is element[-1] and child.tail else
                     child.tail)
            continue
        self.render(child, line)
        add_text(line, child.tail)
    line.text = (line.text or "").lstrip() or None
    for note in notes:
        self.wrap(note, target, "p", "ms-note")


def references(self: Transformer, element: etree._Element, target: etree._Element) -> None:
    """A list of references of the description: its entries listed, or run on in a
    paragraph."""
    inline = in_paragraph(element)
    listing = html_element(target, "span" if inline else "ul", class_="ms-bibliography list",
                           id=None if self.witness_copy else element.get(XML_ID))
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if child.tag == tei("head"):
            self.wrap(child, listing, "span" if inline else "li", "head list-head")
        elif child.tag == tei("bibl"):
            self.wrap(child, listing, "span" if inline else "li", "bibl item" if inline
                      else "bibl")
        else:
            self.render(child, listing)


_bibliography = HANDLERS[tei("listBibl")]
_footnote = HANDLERS[tei("note")]


@handles("listBibl")
def reference_list(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """Within a description, the bibliography of a part of it; else the text's references."""
    if self.describing:
        references(self, element, parent)
    else:
        _bibliography(self, element, parent)


@handles("note")
def note(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """Within a description, a note read in its place, in parentheses (a span: "Fornmanna
    sögur I 71-306 (Ed. S)"); else a note of the text."""
    if not self.describing:
        _footnote(self, element, parent)
        return
    add_text(parent, "(")
    span = self.wrap(element, parent, "span", "ms-note")
    span.text = span.text.lstrip() if span.text else None  # the note's own line breaks
    if len(span) and span[-1].tail:
        span[-1].tail = span[-1].tail.rstrip()
    elif not len(span) and span.text:
        span.text = span.text.rstrip()
    add_text(parent, ")")


def phrase(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    self.wrap(element, parent, "span", data_type=element.get("type"))


for _name in PHRASES:
    if tei(_name) not in HANDLERS:
        handles(_name)(phrase)


# The fields of a reference the TEI sets side by side with nothing between
# (`<ref>…</ref><biblScope>I</biblScope><note>Ed. S</note>`, `<title>plate</title><idno>…`).
FIELDS = frozenset({"cited-range", "ms-note", "ref", "citation", "title", "idno", "date"})
REFERENCES = frozenset({"bibl", "citation"})


def fields_apart(entry: etree._Element) -> None:
    """A space between two fields of a reference that would run together ("sögurI71-306"),
    and before a note read in its place ("England (Or Normandy.)")."""
    for note in entry.find_class("ms-note"):
        if note.tag == "span":
            space_before(note)
    for reference in entry.iter("li", "span"):
        if not REFERENCES & set(reference.get("class", "").split()):
            continue
        for field in reference.iterdescendants("span", "a", "cite"):
            if FIELDS & set(field.get("class", "").split()):
                space_before(field)


def space_before(field: etree._Element) -> None:
    """A space before `field` (before the parenthesis a note opens with) where the word before
    it would run into it."""
    previous, parent = field.getprevious(), field.getparent()
    text = (previous.tail if previous is not None else parent.text) or ""
    opening = "(" if text.endswith("(") and "ms-note" in field.get("class", "").split() else ""
    text = text[:len(text) - len(opening)]
    last = text[-1:] or (previous.text_content()[-1:] if previous is not None else "")
    first = opening or field.text_content()[:1]
    if (not last or not first or last.isspace() or first.isspace() or last in "([“‘"
            or first in ".,;:)]"):
        return
    if previous is not None:
        previous.tail = f"{text} {opening}"
    else:
        parent.text = f"{text} {opening}"
