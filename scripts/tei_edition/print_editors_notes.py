"""The editors' notes of the printed edition, keyed as reledmac keys a series of notes.

On the web and in the EPUB an editors' note (`<note type="editorial">`, "ed. 1") is called in
the text: a pop-up or a link takes the reader there. A printed critical text carries no call for
the edition's own words: the note is set at the foot of the page where the text it annotates
(its lemma) is printed, keyed by line number and lemma as the apparatus is
(`91–93 The Zangazur … determination”] The witness closes…`), in its own series between the
author's footnotes and the apparatus, each note marked "ed. 1" so that it is told apart from
the author's and can be cited.

A note says what it annotates, as TEI has it, by `@target` (and `@targetEnd` for a span)
pointing to ids in the text: an `<anchor>` or an element (`<seg>`, `<quote>`, a name). The lemma
is then the targeted element, or the text from the start of `@target` to the end of
`@targetEnd` ("if each … Georgia" over two quotations): a note that discusses more than the
words it follows, or a lemma set away from the note (a clause within the quotation it follows),
is keyed where its subject is printed. Without `@target` the TEI places an editors' note right
after what it annotates: the lemma is the element the note follows (a quotation, a date, a
name), passing over the author's note calls and reference citations set between them and what
punctuation stands between; otherwise the word before the note. The line numbers come from the
first rendering, as the apparatus's do (`Apparatus.number_lines`).
"""

from __future__ import annotations

import copy
import re

import lxml.html

from .html import add_text, html_element
from .print_apparatus import (
    EDITORS_NOTE,
    PLACEHOLDER,
    Apparatus,
    KeyedNote,
    caption_of,
    elements_by_id,
    unlineated_locator,
)

# Set between a note and what it annotates: passed over in looking for the lemma.
BETWEEN = ("citation", "footnote-ref", "app-mark")
LEMMA_WORDS = 4  # a longer lemma is printed by its first two and last words: "The Zangazur …
# self-determination”"
PUNCTUATION_ONLY = re.compile(r"[\s.,;:!?()\[\]]*")
LAST_WORD = re.compile(r"(\S+?)([.,;:!?)]*\s*)$")
NOT_THE_LEMMAS_WORDS = ("footnote", "footnote-ref", "app-mark", "app-note")


def key_editors_notes(html: lxml.html.HtmlElement, apparatus: Apparatus) -> None:
    """Take each editors' note's call out of the text and key the note by its lemma.

    The call moves to the end of the lemma, where the note's float (pdf.py's footnotes_at_calls)
    is set on the lemma's page; the note's item is marked so that its float prints no call and
    is keyed `line lemma]` after its marker. Runs before the footnotes are moved to their calls.
    """
    items = {item.get("id"): item for section in html.find_class("footnotes")
             for item in section.iterfind("ol/li[@id]")}  # not a list's in a note
    by_id = elements_by_id(html)
    for call in html.xpath("//a[contains(concat(' ', @class, ' '), ' footnote-ref ')]"
                           "[@data-type='editorial']"):
        item = items.get(call.get("href", "").removeprefix("#"))
        if item is None:
            continue
        lemma, last = targeted(call, by_id) or (lemma_of(call),) * 2
        if lemma is None or last is None:
            continue
        note_id = item.get("id")
        lemma.set("id", lemma.get("id") or f"{note_id}-lemma")
        end = html_element(last, "span", class_="lemma-end", id=f"{note_id}-lemma-end")
        call.drop_tree()  # its tail joins the text before it
        call.tail, last.tail = last.tail, None
        last.addnext(call)
        item.set("class", f"{item.get('class', '')} {EDITORS_NOTE}".strip())
        number = _key(item, lemma_words(spanned(lemma, last)))
        apparatus.keyed_notes.append(KeyedNote(
            lemma.get("id"), end.get("id"), number, unlineated_locator(lemma)))
        if (caption := caption_of(lemma)) is not None:
            apparatus.captions[lemma.get("id")] = caption


def targeted(call: lxml.html.HtmlElement, by_id: dict[str, list[lxml.html.HtmlElement]],
             ) -> tuple[lxml.html.HtmlElement, lxml.html.HtmlElement] | None:
    """The first and last element of what the note says it annotates (its @target and
    @targetEnd, html.py's data-target…), None if it does not say or they are not in the text."""
    first = by_id.get(call.get("data-target") or "", [None])[0]
    last = by_id.get(call.get("data-target-end") or "", [first])[0]
    return (first, last) if first is not None and last is not None else None


def spanned(first: lxml.html.HtmlElement, last: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """A copy of the text from the start of `first` to the end of `last`: their nearest common
    ancestor less what stands before the one and after the other."""
    if first is last:
        return first
    around = {last, *last.iterancestors()}
    common = next(a for a in (first, *first.iterancestors()) if a in around)
    copied = copy.deepcopy(common)
    copied.tail = None
    first, last = (_same_in(copied, common, element) for element in (first, last))
    for node in (last, *last.iterancestors()):  # after the end: the tails and the siblings
        if node is copied:
            break
        node.tail = None
        for after in list(node.itersiblings()):
            node.getparent().remove(after)  # lxml removes its tail with it
    for node in (first, *first.iterancestors()):  # before the start
        if node is copied:
            break
        node.getparent().text = None
        for before in list(node.itersiblings(preceding=True)):
            node.getparent().remove(before)
    return copied


def _same_in(copied: lxml.html.HtmlElement, original: lxml.html.HtmlElement,
             element: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The element of `copied` (a deep copy of `original`) that stands where `element` does."""
    path = []
    while element is not original:
        parent = element.getparent()
        path.append(parent.index(element))
        element = parent
    for index in reversed(path):
        copied = copied[index]
    return copied


def lemma_of(call: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The element the note annotates: the one it follows, past calls, citations and
    punctuation; or the word before it, wrapped in a span."""
    previous = call.getprevious()
    between = previous.tail if previous is not None else call.getparent().text
    while previous is not None and PUNCTUATION_ONLY.fullmatch(between or ""):
        if not set((previous.get("class") or "").split()) & set(BETWEEN):
            return previous
        before = previous.getprevious()
        between = (before.tail if before is not None else previous.getparent().text) or ""
        previous = before
    holder, attribute = (previous, "tail") if previous is not None else (call.getparent(), "text")
    text = getattr(holder, attribute) or ""
    word = LAST_WORD.search(text)
    if word is None:
        return None
    setattr(holder, attribute, text[:word.start()])
    wrapped = lxml.html.Element("span", {"class": "lemma-word"})
    wrapped.text, wrapped.tail = word[1], word[2]
    if previous is not None:
        previous.addnext(wrapped)
    else:
        call.getparent().insert(0, wrapped)
    return wrapped


def lemma_words(lemma: lxml.html.HtmlElement) -> str:
    """The lemma as printed in the text (no note, call or apparatus of its own), a long one by
    its first two and last words."""
    words = copy.deepcopy(lemma)
    for aside in words.xpath(".//*[" + " or ".join(
            f"contains(concat(' ', @class, ' '), ' {name} ')" for name in NOT_THE_LEMMAS_WORDS)
            + "]"):
        aside.drop_tree()
    text = words.text_content().split()
    text[-1:] = [text[-1].rstrip(".,;:")] if text else []
    if len(text) > LEMMA_WORDS:
        return f"{text[0]} {text[1]} … {text[-1]}"
    return " ".join(text)


def _key(item: lxml.html.HtmlElement, lemma: str) -> lxml.html.HtmlElement:
    """Set `line lemma]` at the head of the note's text; returns the line number's span."""
    key = lxml.html.Element("span", {"class": "note-key"})
    number = html_element(key, "span", PLACEHOLDER, class_="app-line")
    add_text(key, " ")
    html_element(key, "span", lemma, class_="lemma")
    add_text(key, "] ")
    text = item.find_class("footnote-text")
    holder = text[0] if text else item
    key.tail, holder.text = holder.text, None
    holder.insert(0, key)
    return number
