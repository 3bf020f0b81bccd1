"""A chronology of the events the texts date: every encoded `<date>` of the articles, in date order.

Readers of diplomatic history look for when before why. The chronology is generated, not
written: each `<date>` with `@when` (or `@notBefore`/`@notAfter`, or `@from`/`@to`) in an
article's text gives a row with the date as precisely as the text states it (a part of a month
or a season in the text's words, sorted by the days the encoding gives it), the event in the
words of the text around the date, and a link to that place in the text. An uncertain date
(`@cert`) says so. The transform (html.py) collects the mentions as it renders
the text; this module only orders and words them.

A sentence that dates several events ("Azerbaijan ratified the treaty on 3 March 1922, the
Turkish Grand National Assembly – on 17 March, …") gives each its own row, in the words of its
clause: the sentence is cut between its dates at a clause boundary, its beginning (who acts)
kept, "…" where words are left out. Dates a clause boundary does not part are one event ("on
March 10, March 12 and March 14"; "decided on 26 August to hold the conference in
mid-September"): one row lists them together, at the earliest. A long sentence of one date is
cut to the coordinate clause of its date: the rest says what others did or what followed. A row
stands without the sentence before it, so a connective that points back to that sentence
("Moreover,", "For this reason,") is left out, and a quotation the cut leaves open is closed
after "…". No word is added to the text's but one: a "he" or "she" whose person the row does
not show is followed by the name the sentence before gives, in square brackets, where the
sentence before names one person and no other (`with_antecedent`).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from lxml import etree

from . import TEI_NS, tei
from .text import drop_keeping_tail, listed, reading_text

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
MOST_WORDS = 60  # a sentence longer than this is cut, keeping its beginning and its date
LONG_SENTENCE = 45  # a sentence of one date longer than this is cut to the clause of its date
KEPT_START = 12  # words kept from the beginning of a cut sentence (who did what)
# Each date of a paragraph is marked in its text by two characters of the supplementary private
# use area (in no text): date n by MARK_BASE + 2n before its words and the next one after them.
MARK_BASE = 0xF0000
MARK = "[\U000F0000-\U000FFFFD]"
MARKS = re.compile(MARK)
# A sentence ends at . ! ? (after a closing quotation mark too), before a capital or an opening
# mark; not after an initial ("M. D. Huseynov", "Sh. Eliava") or a locator ("p. 5", "No. 3").
SENTENCE_END = re.compile(
    r"(?<![\s(][A-Z])(?<![\s(][A-Z][a-z])(?<!^[A-Z])(?<!^[A-Z][a-z])"
    r"(?<!\b[Pp]p)(?<!\b[Pp])(?<!\b[Nn]o)"
    rf"[.!?]{MARK}*[”’\"]?{MARK}*\s+(?={MARK}*[“\"A-Z])")
# Where one clause of a sentence ends and the next begins.
CLAUSE_BOUNDARY = re.compile(r"[,;:]\s+|\s+(?:and|but|while|whereas)\s+")
# Where a coordinate clause begins ("…, and ordered"; "; the border"): a long sentence of one
# dated event is cut there, its other clauses being other events or other actors.
COORDINATION = re.compile(r"(?:[,;]\s+|\s+)(?:and|but|while|whereas)\s+|;\s+")
# Words that open a sentence by pointing back to the sentence before it: out of that context, in
# a row of the chronology, they point at nothing, and the excerpt begins after them, cut ("…").
CONNECTIVES = (
    "Moreover", "Furthermore", "However", "Therefore", "Thus", "Hence", "Consequently",
    "Nevertheless", "Nonetheless", "Besides", "Finally", "Overall", "In addition",
    "Apart from that", "For this reason", "As a result of all this", "As a result",
    "At the same time", "To this end", "However, despite that", "Despite that")
LEADING_CONNECTIVE = re.compile(
    rf"(?:… )?(?:{'|'.join(sorted(map(re.escape, CONNECTIVES), key=len, reverse=True))}),\s+")
# Nothing but the words that list dates between two of them: "March 10, March 12 and March 14".
LISTED_DATES = re.compile(r"[\s,]*(?:\b(?:and|or)\b)?\s*(?:\b(?:on|of)\b)?\s*")
# A row that opens pointing back at what the sentence before named ("This article implied
# that …") is about something the row does not show. When its date is a name's, the participle
# that dates the name before it ("the Treaty of Sevres signed on 10 August 1920"), the row begins
# at that name: the date is that document's.
POINTING_BACK = re.compile(r"(?:… )?(?:This|These|That|Those|It)\b")
NAMED_AND_DATED = re.compile(
    rf"\bthe\s+(?:[A-Z][\w’'-]*\s+(?:of\s+)?)*[A-Z][\w’'-]*\s+[a-z]+ed\s+(?:on|in)\s+(?={MARK})")
# Words that lead to a date ("signed on", "in the summer of"): a kept beginning does not end in one.
LEADING_TO_A_DATE = frozenset((
    "on", "in", "at", "of", "by", "from", "since", "until", "till", "to", "during", "before",
    "after", "the", "a", "an", "and", "or", "–", "-"))
# A person named by a pronoun, whom a row that does not show the sentence before names.
PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he)\b")
# The blocks of text in which a date's sentence is sought (a note or a figure: the text around
# it reads it apart); a quotation only when it stands in none of them (a quotation inside a
# paragraph is part of the paragraph's sentence).
PARAGRAPHS = frozenset(tei(name) for name in (
    "p", "ab", "note", "figure", "head", "item", "cell"))


@dataclass(frozen=True)
class DateMention:
    """A date of the text where the HTML has it: its anchor, article (and the article's short
    title, which the chronology cites) and witness line."""

    anchor: str
    article: str
    article_short_title: str
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
    """One row of the chronology: an event with its date, or its dates listed together."""

    mentions: tuple[DateMention, ...]  # in the order of the text
    phrase: str
    notes: tuple[etree._Element, ...] = ()  # the editors' notes on its words ("ed. 2")

    @property
    def mention(self) -> DateMention:
        """The first date of the event in the text: where the row links to."""
        return self.mentions[0]

    @property
    def labels(self) -> list[str]:
        return spoken_together([mention.element for mention in self.mentions])

    @property
    def label(self) -> str:
        return listed(self.labels)

    @property
    def order(self) -> tuple[str, str, str]:
        return (*min(date_range(mention.element) for mention in self.mentions),
                self.mention.article)


def events(mentions: list[DateMention]) -> list[Event]:
    """The mentions as events in date order (earliest start first, then the shorter range);
    a date stated twice in one sentence is one event, and so are dates no clause parts. An
    excerpt's dates find their mentions by element, not in all the mentions (the dates of the
    text squared: 16,000 dates, 33 s)."""
    of_element: dict[etree._Element, list[DateMention]] = {}
    for mention in mentions:
        of_element.setdefault(mention.element, []).append(mention)
    found: dict[tuple[object, ...], Event] = {}
    for mention in mentions:
        words = excerpt(mention.element)
        together = tuple(other for date in words.dates for other in of_element.get(date, ()))
        if together[0] is not mention:
            continue  # the row of the event's first date lists it
        event = Event(together, words.text, words.notes)
        found.setdefault((*(date_range(other.element) for other in together), event.phrase),
                         event)
    return sorted(found.values(), key=lambda event: event.order)


# The space between a row's opening or closing ellipsis and the words it cuts from.
ELLIPSIS_SPACE = re.compile(r"(?<=^…) |(?<=^“…) | (?=…”*$)")


def unbroken(phrase: str) -> str:
    """`phrase` as set in a row: an ellipsis that opens or closes it does not stand alone on a
    line of its own, it keeps to its word (a no-break space)."""
    return ELLIPSIS_SPACE.sub("\u00a0", phrase)


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
    """The date as precisely as the text states it: a day, month or year (`@when`) in one form,
    "28 July 1920", "April 1921"; a range (`@notBefore`/`@notAfter`, `@from`/`@to`) in the
    text's own words, which say how vague it is ("late May 1921", "end of August 1921", "summer
    of 1921"), not the days the encoding gives it to be sorted by (`date_range`).
    "(uncertain)" when `@cert` is not high, "(planned)" for `@type="planned"`, a date something
    was set for."""
    when = iso(element, "when")
    label = spoken(when) if when else in_own_words(element)
    if element.get("type") == "planned":
        label += " (planned)"
    if element.get("cert") in ("low", "medium", "unknown"):
        label += " (uncertain)"
    return label


# A year, a month's name, and a leading article the date column does without ("the end of").
YEAR = re.compile(r"\b\d{4}\b")
MONTH_NAMED = re.compile(rf"\b(?:{'|'.join(MONTHS)})\b")
LEADING_ARTICLE = re.compile(r"^(?:at |in |on |by |during )?the\s+", re.IGNORECASE)


def in_own_words(element: etree._Element) -> str:
    """A range in the words of the text, completed with what the encoding adds to them: the year
    (or years) when the words name none ("end of August" → "end of August 1921"), the month and
    year in brackets when the range lies in one month the words do not name ("late that month
    (May 1921)")."""
    words = LEADING_ARTICLE.sub("", reading_text(element))
    if not words:
        return encoded_range(element)
    start, end = date_range(element)
    if start[:7] == end[:7] and not MONTH_NAMED.search(words):
        return f"{words} ({spoken(start[:7])})"
    if not YEAR.search(words):
        years = start[:4] if start[:4] == end[:4] else f"{start[:4]}–{end[:4]}"
        words += f" {years}"
    return words


def encoded_range(element: etree._Element) -> str:
    """A range the text states in no words (an empty `<date>`), as the encoding gives it."""
    start = iso(element, "notBefore") or iso(element, "from")
    end = iso(element, "notAfter") or iso(element, "to")
    if start and end:
        return spoken_range(start, end)
    if element.get("from"):
        return f"from {spoken(start)}"
    return f"not before {spoken(start)}" if start else f"not after {spoken(end)}"


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


def spoken_together(dates: list[etree._Element]) -> list[str]:
    """The labels of one event's dates, days of one month said once: "10", "12", "14 March
    1921"."""
    labels = [date_label(element) for element in dates]
    for index, (this, following) in enumerate(pairwise(dates)):
        day, next_day = iso(this, "when"), iso(following, "when")
        if (len(day) == len(next_day) == 10 and day[:7] == next_day[:7]
                and labels[index] == spoken(day)):
            labels[index] = str(int(day[8:]))
    return labels


@dataclass(frozen=True)
class Excerpt:
    """The words of the text for the event of a date, and the dates of that event in the
    order of the text (the date itself among them)."""

    text: str
    dates: tuple[etree._Element, ...]
    # the editors' notes on words the row gives ("ed. 2" on "Gyumri agreement"): their calls
    # stay out of the row's words, so the row says where to read them
    notes: tuple[etree._Element, ...] = ()


def excerpt(element: etree._Element) -> Excerpt:
    """The words of the reading text for the event of `element`: its sentence, cut to the clause
    of its date when the sentence dates several events or is longer than `LONG_SENTENCE`, to
    `MOST_WORDS` around the date when longer still; without a connective that points back, its
    quotation marks balanced. Words left out are marked "…"."""
    ancestors = list(element.iterancestors())
    block = next((ancestor for ancestor in ancestors if ancestor.tag in PARAGRAPHS),
                 next((ancestor for ancestor in reversed(ancestors)
                       if ancestor.tag == tei("quote")), element.getparent()))
    dated = [date for date in block.iter(tei("date")) if date is element or is_dated(date)]
    text = with_antecedent(marked_text(block, dated), block, date_mark(dated.index(element)))
    if date_mark(dated.index(element)) not in text:  # a date the reading text leaves out
        return Excerpt(reading_text(element), (element,))  # (a running head's): its own words
    sentence = sentence_of(text, date_mark(dated.index(element)))
    groups = clauses(sentence)
    [group] = [group for group in groups
               if any(index == dated.index(element) for _, _, index in group)]
    if len(groups) == len(group) == 1 and len(MARKS.sub("", sentence).split()) > LONG_SENTENCE:
        words = clause_of(sentence, group)
    else:
        words = cut_to(sentence, groups, group)
    words = shortened(named_and_dated(words, date_mark(group[0][2])), date_mark(group[0][2]))
    phrase = quotation_closed(without_connective(MARKS.sub("", words)))
    return Excerpt(phrase, tuple(dated[index] for _, _, index in group),
                   editors_notes_on(block, phrase))


def editors_notes_on(block: etree._Element, phrase: str) -> tuple[etree._Element, ...]:
    """The editors' notes of `block` keyed to words (`@target`) that `phrase` gives: a note on
    a row's words, which the row does not print, is pointed to."""
    found = []
    for note in block.iter(tei("note")):
        target = (note.get("target") or "").removeprefix("#")
        if note.get("type") != "editorial" or not note.get("n") or not target:
            continue
        lemma = next(iter(block.xpath(".//*[@xml:id=$id]", id=target)), None)
        if lemma is not None and " ".join(reading_text(lemma).split()) in phrase:
            found.append(note)
    return tuple(found)


def date_mark(index: int, closing: bool = False) -> str:
    return chr(MARK_BASE + 2 * index + closing)


def marked_text(block: etree._Element, dated: list[etree._Element]) -> str:
    """The reading text of `block` with each of `dated` between its marks (`date_mark`), without
    the calls of notes and references."""
    marked = copy.deepcopy(block)
    copies = [copy_of for original, copy_of in zip(block.iter(), marked.iter(), strict=True)
              if any(original is date for date in dated)]
    for index, position in enumerate(copies):
        position.text = date_mark(index) + (position.text or "")
        if len(position):
            position[-1].tail = (position[-1].tail or "") + date_mark(index, closing=True)
        else:
            position.text += date_mark(index, closing=True)
    for aside in marked.xpath(".//*[self::tei:ref[@type='footnote'] or "
                              "self::tei:bibl[@type='citation']]",
                              namespaces={"tei": TEI_NS}):
        drop_keeping_tail(aside)  # the calls of notes and references are not the event
    # an editors' note stays out too (reading_text leaves notes out): in a plain-text excerpt
    # its call would be a bare "[ed. 2]" that leads nowhere
    return re.sub(r"\s*\(\s*\)", "", reading_text(marked))  # "(22, p.72)" gone, its brackets too


def sentence_of(text: str, mark: str) -> str:
    """The sentence of `text` in which `mark` stands; none ends inside a date ("24. Januar")."""
    start, end = sentence_bounds(text, text.find(mark))
    return text[start:end].strip()


def sentence_bounds(text: str, where: int) -> tuple[int, int]:
    """Where the sentence of `text` that holds the position `where` begins and ends."""
    dates = date_spans(text)
    ends = [match.end() for match in SENTENCE_END.finditer(text)
            if not any(start < match.start() < end for start, end, _ in dates)]
    return (max((end for end in ends if end <= where), default=0),
            min((end for end in ends if end > where), default=len(text)))


def with_antecedent(text: str, block: etree._Element, mark: str) -> str:
    """`text` with the person a "he" or "she" of the sentence of `mark` stands for named after
    it in square brackets ("He [Yusif Kamal] sent …"), an editorial insertion, for a row that
    does not show the sentence before: only where the sentence names no person before its
    pronoun and the sentence before names exactly one (one `<persName ref>`, in one form or
    several); otherwise the pronoun is left as it is."""
    start, end = sentence_bounds(text, text.find(mark))
    pronoun = PRONOUN.search(text, start, end)
    if pronoun is None or start == 0:
        return text
    names = {reading_text(name): name.get("ref") for name in block.iter(tei("persName"))
             if name.get("ref")}

    def named(words: str) -> dict[str, str]:
        return {name: ref for name, ref in names.items()
                if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", words)}

    before_start, _ = sentence_bounds(text, start - 1)
    if named(text[start:pronoun.start()]):
        return text
    antecedents = named(text[before_start:start])
    if len(set(antecedents.values())) != 1:
        return text
    name = max(antecedents, key=len)
    return f"{text[:pronoun.end()]} [{name}]{text[pronoun.end():]}"


def clauses(sentence: str) -> list[list[tuple[int, int, int]]]:
    """The dates of `sentence` (start, end, index) in the order of the text, grouped by event:
    a date joins the one before it unless a clause boundary stands between them that is more
    than the words of a list of dates."""
    spans = date_spans(sentence)
    groups = [[spans[0]]]
    for before, after in pairwise(spans):
        between = sentence[before[1]:after[0]]
        if LISTED_DATES.fullmatch(between) or not CLAUSE_BOUNDARY.search(between):
            groups[-1].append(after)
        else:
            groups.append([after])
    return groups


def date_spans(text: str) -> list[tuple[int, int, int]]:
    """Where the marked dates of `text` stand: (start, end, index), in the order of the text."""
    starts: dict[int, int] = {}
    spans = []
    for match in MARKS.finditer(text):
        index, closing = divmod(ord(match[0]) - MARK_BASE, 2)
        if not closing:
            starts[index] = match.start()
        elif index in starts:
            spans.append((starts[index], match.end(), index))
    return spans


def cut_to(sentence: str, groups: list[list[tuple[int, int, int]]],
           group: list[tuple[int, int, int]]) -> str:
    """The words of `sentence` about the event of `group`: from the last clause boundary after
    the event before it to the first one before the event after it, the sentence's beginning
    up to its first date kept (who acts, what is done), "…" where words are left out."""
    at = groups.index(group)
    start, end = 0, len(sentence)
    if at > 0:
        *_, boundary = CLAUSE_BOUNDARY.finditer(sentence, groups[at - 1][-1][1], group[0][0])
        start = boundary.end()
    if at < len(groups) - 1:
        # `clauses` parts two events only where such a boundary stands between them
        end = CLAUSE_BOUNDARY.search(sentence, group[-1][1], groups[at + 1][0][0]).start()
    words = sentence[start:end]
    if end < len(sentence):
        words = words.rstrip(" ,;:–-") + " …"
    if start:
        beginning = sentence[:groups[0][0][0]].split()[:KEPT_START]
        while beginning and beginning[-1].lower() in LEADING_TO_A_DATE:
            beginning.pop()
        words = " … ".join(filter(None, (" ".join(beginning).rstrip(",;:"), words)))
        if not beginning:
            words = "… " + words
    return words


def clause_of(sentence: str, group: list[tuple[int, int, int]]) -> str:
    """The coordinate clause of `sentence` that holds the dates of `group`: a long sentence of
    one dated event also says what others did or what followed, which the date does not date."""
    start = max((boundary.end() for boundary in COORDINATION.finditer(
        sentence, 0, group[0][0])), default=0)
    end = next((boundary.start() for boundary in COORDINATION.finditer(
        sentence, group[-1][1])), len(sentence))
    words = sentence[start:end]
    if end < len(sentence):
        words = words.rstrip(" ,;:–-") + " …"
    return f"… {words}" if start else words


def named_and_dated(words: str, mark: str) -> str:
    """A row that opens `POINTING_BACK` from the name its date dates (`NAMED_AND_DATED`), if
    the date is such a name's: the row gives the document and its date."""
    if not POINTING_BACK.match(words):
        return words
    at = words.find(mark)
    named = next((match for match in NAMED_AND_DATED.finditer(words, 0, at + 1)
                  if match.end() == at), None)
    if named is None or named.start() == 0:
        return words
    return "… " + words[named.start():]


def without_connective(words: str) -> str:
    """`words` without a `CONNECTIVES` opening that points back to the sentence before, which
    the chronology does not show: "Moreover, Turkey considered …" → "… Turkey considered …"."""
    opening = LEADING_CONNECTIVE.match(words)
    return f"… {words[opening.end():]}" if opening else words


def quotation_closed(words: str) -> str:
    """`words` with their quotation marks balanced: a quotation the cut leaves open is closed
    after an ellipsis ("…”"), one the excerpt begins inside is opened before one ("“…")."""
    depth = lowest = 0
    for character in words:
        depth += {"“": 1, "”": -1}.get(character, 0)
        lowest = min(lowest, depth)
    if lowest < 0:
        words = "“" * -lowest + ("…" + words[1:] if words.startswith("…") else f"… {words}")
        depth -= lowest
    if depth > 0:
        words = words.rstrip(" .,;:…") + " …" + "”" * depth
    return words


def shortened(words: str, mark: str) -> str:
    """Words of the text at most `MOST_WORDS` long: cut, they keep their beginning (who acts)
    and the words around the date `mark` begins."""
    split = words.split()
    if len(split) <= MOST_WORDS:
        return words
    at = next(index for index, word in enumerate(split) if mark in word)
    if at < MOST_WORDS - 10:
        return " ".join([*split[:MOST_WORDS], "…"])
    around = split[at - (MOST_WORDS - KEPT_START) // 2: at + (MOST_WORDS - KEPT_START) // 2]
    tail = ["…"] if at + (MOST_WORDS - KEPT_START) // 2 < len(split) else []
    return " ".join([*split[:KEPT_START], "…", *around, *tail])
