"""A chronology of the events the texts date: every encoded `<date>` of the articles, in date order.

Readers of diplomatic history look for when before why. The chronology is generated, not
written: each `<date>` with `@when` (or `@notBefore`/`@notAfter`, or `@from`/`@to`) in an
article's text gives a row with the date as precisely as the encoding states it, the event in
the words of the sentence around the date, and a link to that place in the text. An uncertain
date (`@cert`) or a range says so. The transform (html.py) collects the mentions as it renders
the text; this module only orders and words them.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import date

from lxml import etree

from . import TEI_NS, tei
from .text import drop_keeping_tail, reading_text

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
MOST_WORDS = 60  # a sentence longer than this is cut, keeping its beginning and its date
KEPT_START = 12  # words kept from the beginning of a cut sentence (who did what)
# A sentence ends at . ! ? (after a closing quotation mark too), before a capital or an opening
# mark; not after an initial ("M. D. Huseynov") or a locator ("p. 5", "No. 3").
SENTENCE_END = re.compile(
    r"(?<![\s(][A-Z])(?<!^[A-Z])(?<!\b[Pp]p)(?<!\b[Pp])(?<!\b[Nn]o)[.!?][”’\"]?\s+(?=[“\"A-Z])")
DATE_MARK_START, DATE_MARK_END = "\ue000", "\ue001"  # private use: in no text


@dataclass(frozen=True)
class DateMention:
    """A date of the text where the HTML has it: its anchor, article and witness line."""

    anchor: str
    article: str
    article_title: str
    line: str
    element: etree._Element


# A date inside these is no event of the text: a bibliography's dates of publication, a
# register's, or the witness's side of a choice, which the reading text does not show.
NOT_EVENTS = frozenset(tei(name) for name in (
    "bibl", "biblStruct", "listBibl", "standOff", "teiHeader", "orig", "sic", "abbr"))


ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def is_dated(element: etree._Element) -> bool:
    """A `<date>` the chronology places: it states a date in ISO form and is an event's, not
    `@type="reference"` (a date that only dates a document or serves as a point of reference,
    "the territories that belonged to Armenia as of October 23, 1920")."""
    stated = [iso(element, name) for name in ("when", "notBefore", "notAfter", "from", "to")
              if element.get(name)]
    return (any(element.get(name) for name in ("when", "notBefore", "from"))
            and all(ISO_DATE.fullmatch(value) for value in stated)  # no BCE or other calendars
            and element.get("type") != "reference"
            and not any(ancestor.tag in NOT_EVENTS for ancestor in element.iterancestors()))


@dataclass(frozen=True)
class Event:
    """One row of the chronology."""

    start: str
    end: str
    label: str
    phrase: str
    mention: DateMention

    @property
    def order(self) -> tuple[str, str, str]:
        return (self.start, self.end, self.mention.article)


def events(mentions: list[DateMention]) -> list[Event]:
    """The mentions as events in date order (earliest start first, then the shorter range);
    a date stated twice in one sentence is one event."""
    found: dict[tuple[str, str, str], Event] = {}
    for mention in mentions:
        start, end = date_range(mention.element)
        event = Event(start, end, date_label(mention.element), phrase_around(mention.element),
                      mention)
        found.setdefault((start, end, event.phrase), event)
    return sorted(found.values(), key=lambda event: event.order)


def iso(element: etree._Element, name: str) -> str:
    """An ISO date attribute as a day, month or year: the time of a dateTime left out."""
    return (element.get(name) or "").partition("T")[0]


def date_range(element: etree._Element) -> tuple[str, str]:
    """The first and last day the date may mean, as ISO strings ("1921-04" → April 1–30)."""
    start = iso(element, "when") or iso(element, "notBefore") or iso(element, "from")
    end = iso(element, "when") or iso(element, "notAfter") or iso(element, "to") or start
    return first_day(start), last_day(end)


def first_day(value: str) -> str:
    year, month, day = [*value.split("-"), "01", "01"][:3]
    return f"{year}-{month}-{day}"


def last_day(value: str) -> str:
    parts = value.split("-")
    if len(parts) == 1:
        return f"{parts[0]}-12-31"
    if len(parts) == 2:
        year, month = int(parts[0]), int(parts[1])
        following = date(year + month // 12, month % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1).isoformat()
    return value


def date_label(element: etree._Element) -> str:
    """The date as precisely as the encoding states it: "28 July 1920", "April 1921",
    "21–31 August 1921", "June–August 1921"; "(uncertain)" when `@cert` is not high,
    "(planned)" for `@type="planned"`, a date something was set for."""
    when = iso(element, "when")
    if when:
        label = spoken(when)
    else:
        start = iso(element, "notBefore") or iso(element, "from")
        end = iso(element, "notAfter") or iso(element, "to")
        if start and end:
            label = spoken_range(start, end)
        elif element.get("from"):
            label = f"from {spoken(start)}"
        else:
            label = f"not before {spoken(start)}" if start else f"not after {spoken(end)}"
    if element.get("type") == "planned":
        label += " (planned)"
    if element.get("cert") in ("low", "medium", "unknown"):
        label += " (uncertain)"
    return label


def spoken_range(start: str, end: str) -> str:
    """A range said once where its ends share a year or month: "21–31 August 1921", "1 June –
    31 August 1921"; whole months as months ("June–August 1921")."""
    if first_day(start) == first_day(start[:7]) and last_day(end) == last_day(end[:7]) and (
            start[:4] == end[:4] and len(start) <= 10):
        if start[:7] == end[:7]:
            return spoken(start[:7])
        return f"{MONTHS[int(start[5:7]) - 1]}–{spoken(end[:7])}"
    if len(start) == len(end) == 10 and start[:4] == end[:4]:
        if start[:7] == end[:7]:
            return f"{int(start[8:])}–{spoken(end)}"
        return f"{int(start[8:])} {MONTHS[int(start[5:7]) - 1]} – {spoken(end)}"
    return f"{spoken(start)} – {spoken(end)}"


def spoken(value: str) -> str:
    parts = value.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return value


def phrase_around(element: etree._Element) -> str:
    """The sentence of the reading text in which the date stands, cut to `MOST_WORDS` words
    around the date where it is longer."""
    block = next((ancestor for ancestor in element.iterancestors()
                  if ancestor.tag in (tei("p"), tei("note"), tei("head"), tei("item"),
                                      tei("quote"))), element.getparent())
    marked = copy.deepcopy(block)
    position = next(copy_of for original, copy_of in zip(block.iter(), marked.iter(), strict=True)
                    if original is element)
    position.text = DATE_MARK_START + (position.text or "")
    if len(position):
        position[-1].tail = (position[-1].tail or "") + DATE_MARK_END
    else:
        position.text += DATE_MARK_END
    for aside in marked.xpath(".//tei:ref[@type='footnote'] | .//tei:bibl[@type='citation']",
                              namespaces={"tei": TEI_NS}):
        drop_keeping_tail(aside)  # the calls of notes and references are not the event
    # an editors' note stays out too (reading_text leaves notes out): in a plain-text excerpt
    # its call would be a bare "[ed. 2]" that leads nowhere
    text = re.sub(r"\s*\(\s*\)", "", reading_text(marked))  # "(22, p.72)" gone, its brackets too
    where = text.find(DATE_MARK_START)
    starts = [0, *(match.end() for match in SENTENCE_END.finditer(text) if match.end() <= where)]
    ends = [match.end() for match in SENTENCE_END.finditer(text) if match.start() >= where]
    sentence = text[starts[-1]:ends[0] if ends else len(text)].strip()
    return shortened(sentence).replace(DATE_MARK_START, "").replace(DATE_MARK_END, "")


def shortened(sentence: str) -> str:
    """A sentence of at most `MOST_WORDS` words: cut, it keeps its beginning (who acts) and the
    words around its date."""
    words = sentence.split()
    if len(words) <= MOST_WORDS:
        return sentence
    at = next(index for index, word in enumerate(words) if DATE_MARK_START in word)
    if at < MOST_WORDS - 10:
        return " ".join([*words[:MOST_WORDS], "…"])
    around = words[at - (MOST_WORDS - KEPT_START) // 2: at + (MOST_WORDS - KEPT_START) // 2]
    tail = ["…"] if at + (MOST_WORDS - KEPT_START) // 2 < len(words) else []
    return " ".join([*words[:KEPT_START], "…", *around, *tail])
