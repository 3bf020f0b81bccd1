"""The TEI critical apparatus module in the semantic HTML: `app`, `lem`, `rdg`, `rdgGrp`, with
the witnesses' sigla from `listWit`.

Parallel segmentation, as other projects encode it (Perseus, the TEI Stylesheets' tests): an
`app` stands in the text; its lemma (or, when it has none, its first reading) is read in the
text, and the apparatus entry follows it:

    <span class="app">
      <span class="lem" data-wit="#A">word</span>
      <span class="app-readings">
        <span class="app-sigla">A</span> <span class="app-bracket">]</span>
        <span class="rdg" data-wit="#B #C">voice</span> <span class="app-sigla">B C</span>
      </span>
    </span>

Every writer shows the same: the web edition opens the readings on demand, the page styles
set them at the foot or in brackets; a line-keyed apparatus picks the entries up by these
classes. An `app` with a lemma only (an apparatus inside a note, whose readings are the note's
own text) gets its bracket: "cum ] quom A".
"""

from __future__ import annotations

from lxml import etree

from . import tei
from .html import XML_ID, Transformer, add_text, handles, html_element, plain_text


@handles("app")
def apparatus_entry(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """The reading of the text (the lemma, else the first reading), then the entry: the
    lemma's sigla, the bracket, each other reading with its sigla, the entry's notes."""
    lemma = element.find(tei("lem"))
    readings = [reading for reading in element.iter(tei("rdg"))
                if reading.getparent() is element or reading.getparent().tag == tei("rdgGrp")]
    entry = html_element(parent, "span", class_="app", id=None if self.witness_copy
                         else element.get(XML_ID), data_type=element.get("type"),
                         data_from=element.get("from"), tabindex="0")
    in_text = lemma if lemma is not None else (readings.pop(0) if readings else None)
    if in_text is not None:
        reading(self, in_text, entry, "lem" if in_text is lemma else "rdg base")
    if in_text is lemma and not readings and not (lemma.get("wit") or len(element) > 1):
        add_text(entry, " ")  # a lemma alone: its readings are the text that follows
        html_element(entry, "span", "]", class_="app-bracket")
        return
    listing = html_element(entry, "span", class_="app-readings", role="note")
    if in_text is not None and in_text.get("wit"):
        sigla(self, in_text, listing)
    if readings or in_text is lemma:
        add_text(listing, " " if len(listing) else None)
        html_element(listing, "span", "]", class_="app-bracket")
    for number, other in enumerate(readings):
        add_text(listing, "; " if number else " ")
        reading(self, other, listing, "rdg")
        if other.get("wit"):
            add_text(listing, " ")
            sigla(self, other, listing)
    for other in element:  # notes and witness details in the entry come after its readings
        if isinstance(other.tag, str) and other.tag not in (tei("lem"), tei("rdg"),
                                                            tei("rdgGrp")):
            add_text(listing, " ")
            self.render(other, listing)
    if not len(listing):
        listing.drop_tree()


def reading(self: Transformer, element: etree._Element, parent: etree._Element,
            kind: str) -> None:
    """A lemma or a reading; an empty reading is an omission ("om.")."""
    shown = self.wrap(element, parent, "span", kind, data_wit=element.get("wit"))
    if not len(shown) and not (shown.text or "").strip():
        shown.text = "om."
        shown.set("class", f"{shown.get('class')} omission")


def sigla(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """The sigla of `@wit`, each described by its `witness` entry (`@n` or the id as siglum)."""
    witnesses = witness_list(element)
    group = html_element(parent, "span", class_="app-sigla")
    for number, pointer in enumerate(element.get("wit", "").split()):
        witness = witnesses.get(pointer.removeprefix("#"))
        siglum = (witness.get("n") if witness is not None else None) or pointer.split("#")[-1]
        if number:
            add_text(group, " ")
        html_element(group, "abbr", siglum, class_="siglum",
                     title=plain_text(witness) if witness is not None else None)


def witness_list(element: etree._Element) -> dict[str, etree._Element]:
    """The witnesses of the document `element` is in, by xml:id (found once per document)."""
    root = element.getroottree().getroot()
    if root not in _WITNESSES:
        _WITNESSES.clear()
        _WITNESSES[root] = {witness.get(XML_ID): witness
                            for witness in root.iter(tei("witness")) if witness.get(XML_ID)}
    return _WITNESSES[root]


_WITNESSES: dict[etree._Element, dict[str, etree._Element]] = {}


@handles("rdgGrp", "lem", "rdg")
def reading_outside_entry(self: Transformer, element: etree._Element,
                          parent: etree._Element) -> None:
    """Readings are rendered by their `app`; one found elsewhere keeps its text."""
    self.wrap(element, parent, "span", data_wit=element.get("wit"))


@handles("listWit")
def witness_list_in_text(self: Transformer, element: etree._Element,
                         parent: etree._Element) -> None:
    """A list of witnesses in the text (most are in the header): siglum and description."""
    listing = html_element(parent, "ul", class_="witnesses")
    for witness in element.iter(tei("witness")):
        item = html_element(listing, "li", class_="witness", id=witness.get(XML_ID))
        html_element(item, "span", witness.get("n") or witness.get(XML_ID) or "",
                     class_="siglum")
        add_text(item, " ")
        self.children(witness, html_element(item, "span", class_="witness-description"))
