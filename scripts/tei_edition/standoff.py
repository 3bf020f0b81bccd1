"""Registers and bibliographies that other projects keep in `standOff` or `back`: lists of
persons, places, organisations and events, and structured bibliographic entries (`biblStruct`),
rendered as lists in the semantic HTML (the edition's own registers live in files of their own,
registers.py, and make the index of names instead).

Each entry is a list item holding its name first, then its other parts (dates, notes,
identifiers) each as a span named by its TEI element, separated by semicolons.
"""

from __future__ import annotations

from lxml import etree

from . import tei
from .html import HANDLERS, XML_ID, Transformer, add_text, handles, html_element, plain_text

ENTRY_LISTS = {"listPerson": "Persons", "listPlace": "Places", "listOrg": "Organisations",
               "listEvent": "Events", "listNym": "Names", "listObject": "Objects"}
ENTRIES = ("person", "personGrp", "place", "org", "event", "nym", "object")
ENTRY_PARTS = ("birth", "death", "floruit", "occupation", "affiliation", "residence", "sex",
               "age", "nationality", "faith", "education", "state", "trait", "socecStatus",
               "langKnowledge", "location", "geo", "country", "region", "settlement",
               "district", "bloc", "desc", "orgName", "persName", "placeName", "eventName",
               "objectName", "form",
               # the parts of a bibliographic entry
               "author", "editor", "publisher", "pubPlace", "respStmt", "resp", "extent",
               "series", "imprint", "distributor", "textLang")


@handles("standOff")
def stand_off(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """What a TEI document keeps beside its text (registers, bibliographies), after it."""
    section = html_element(parent, "section", class_="standoff",
                           id=self.unique(self.anchor("standoff")))
    self.children(element, section)


@handles(*ENTRY_LISTS)
def entry_list(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """A register: its heading (the TEI's `head`, else the kind of entries), then its entries."""
    name = etree.QName(element).localname
    section = html_element(parent, "section", class_=f"entry-list {name}",
                           id=element.get(XML_ID))
    heading = element.find(tei("head"))
    if heading is not None:
        self.render(heading, section)
    else:
        html_element(section, f"h{min(self.heading_level + 1, 6)}", ENTRY_LISTS[name],
                     class_="back-heading")
    entries = html_element(section, "ul", class_="entries")
    for child in element:
        if child is not heading and isinstance(child.tag, str):
            self.render(child, entries)


@handles(*ENTRIES)
def entry(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """One entry of a register: its parts in their order, separated by semicolons."""
    item = html_element(parent, "li", class_=f"entry {etree.QName(element).localname}",
                        id=None if self.witness_copy else element.get(XML_ID),
                        data_type=element.get("type"))
    parts = [child for child in element if isinstance(child.tag, str)]
    if not parts:
        self.children(element, item)
    for number, part in enumerate(parts):
        add_text(item, "; " if number else None)
        if part.tag == tei("note"):  # an annotation of the entry, read with it
            self.wrap(part, item, "span", "entry-note")
        else:
            self.render(part, item)


def entry_part(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """A part of an entry (a date of birth, an occupation, a location, an author): a span
    named by it."""
    self.wrap(element, parent, "span", data_type=element.get("type"), data_when=element.get(
        "when"))


for _part in ENTRY_PARTS:
    if tei(_part) not in HANDLERS:  # a name keeps its own handler (its register link)
        handles(_part)(entry_part)


def fields_of_part(self: Transformer, fields: list[etree._Element],
                   target: etree._Element) -> None:
    """The fields of a part of a structured entry as their texts separated by commas; a pointer
    (`<ptr target>`, which has no text: T13's 25 web addresses were left out) as its link."""
    first = True
    for field in fields:
        text = None if field.tag == tei("ptr") else plain_text(field)
        if text == "":
            continue
        add_text(target, None if first else ", ")
        first = False
        if text is None:
            self.render(field, target)
        else:
            add_text(target, text)


@handles("biblStruct")
def structured_reference(self: Transformer, element: etree._Element,
                         parent: etree._Element) -> None:
    """A structured bibliographic entry: its parts (analytic, monograph, series) in order,
    each as its fields' texts separated by commas, then its notes and links."""
    in_list = element.getparent().tag == tei("listBibl")
    item = html_element(parent, "li" if in_list else "span", class_="bibl-struct",
                        id=None if self.witness_copy else element.get(XML_ID))
    for number, part in enumerate(child for child in element if isinstance(child.tag, str)):
        add_text(item, ". " if number else None)
        if part.tag in (tei("analytic"), tei("monogr"), tei("series")):
            fields = [field for child in part if isinstance(child.tag, str)
                      for field in (child if child.tag == tei("imprint") else [child])]
            fields_of_part(self, fields, html_element(item, "span",
                                                      class_=etree.QName(part).localname))
        else:
            self.render(part, item)
    add_text(item, ".")
