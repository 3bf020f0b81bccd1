"""Stage 4, transform: TEI → one semantic HTML5 document, the intermediate every writer starts from.

The web site, the EPUB and the PDF differ only by stylesheet and packaging; none of them reads TEI.
Each TEI element has one handler in `HANDLERS` (in the manner of docutils' visit_ methods and
WeasyPrint's `@handler`); an element without a handler keeps its content and is reported with its
file and line, never dropped silently. TEI meaning survives as classes and `data-` attributes.

Which reading a view shows is not decided here but taken from `views.py`: an element that only the
diplomatic view reads gets the class `only-diplomatic`, one that only the normalised view reads
`only-normalised`, and the stylesheets (or a writer) show one side.
"""

from __future__ import annotations

import functools
import gc
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import ParamSpec, TypeVar
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from . import TEI_NS, XML_NS, tei
from .apparatus import Intervention
from .articles import article_id
from .chronology import DateMention, events, is_dated, unbroken
from .citations import Citation, Citations, Status
from .diagnostics import Diagnostic, warning
from .htmlpaths import IDS
from .permalinks import add_permalinks
from .placemap import place_map
from .reference_list import order_references
from .registers import Entry, Registers, index_order
from .resources import RefusedResource, confine
from .text import (
    MEASURES,
    listed,
    lists_manuscripts,
    measure_unit,
    measure_value,
    note_label,
    reading_text,
    shared_unit,
)
from .views import (
    DEPENDS_ON_THE_VIEW,
    DIPLOMATIC,
    NORMALISED,
    OFF_THE_LINE,
    SOFT_HYPHEN,
    word_runs_on,
)

XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"
_SPACES = re.compile(r"\s+")
# The TEI elements that hold text of their own: each one rendered says so in `data-tei`, so that
# a test (and a reader of the HTML) can count that none was lost.
TEXT_BEARING = frozenset(("p", "l", "note", "bibl", "rdg", "head", "item", "cell"))
TEI_NAMES = {tei(name): name for name in TEXT_BEARING}
LINE_BEGINNING = tei("lb")
IN_PARAGRAPH = (tei("p"), tei("head"))


@dataclass(frozen=True)
class Metadata:
    """What title pages, imprints, EPUB and PDF metadata say about the edition (from teiHeader)."""

    title: str
    subtitle: str
    authors: tuple[str, ...]
    editors: tuple[str, ...]
    edited_by: str  # the title page's line: "Edited by A. Editor", "Edited by the … project"
    publisher: str
    date: str
    identifier: str
    language: str
    licence: str
    licence_url: str
    sources: tuple[str, ...]
    keywords: tuple[str, ...]


@dataclass
class Footnote:
    """One note of an article, in the order of the calls; its text is rendered with the notes."""

    number: str
    anchor: str
    citation: Citation | None
    calls: list[str] = field(default_factory=list)
    content: etree._Element | None = None  # a note at its own place; else found by number


@dataclass(frozen=True)
class Occurrence:
    """Where a name occurs: its anchor, its article, and the witness line it begins on."""

    anchor: str
    article: str
    article_title: str
    line: str


@dataclass(frozen=True)
class AppEntry:
    """An intervention as the HTML shows it: its place in the text, its mark and entry."""

    intervention: Intervention
    place: str  # id of the choice in the text
    key: str  # the mark's letter ("" for repairs of the extraction, which have no mark)

    @property
    def anchor(self) -> str:
        return f"{self.place}-entry"

    @property
    def mark(self) -> str:
        return f"{self.place}-mark"


def letter_key(index: int) -> str:
    """a, b, … z, aa, ab, …: the apparatus's own series, unlike the author's numbered notes."""
    key = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        key = chr(ord("a") + remainder) + key
    return key


def entry_summary(intervention: Intervention) -> str:
    return f"{intervention.lemma} ] {intervention.reading} ({intervention.type})"


@dataclass
class Resolved:
    """What the transform stage worked out for the writers: citations formatted by citeproc
    (citations.py) by article key, the registers the names point to (registers.py), and the
    interventions of the apparatus (apparatus.py)."""

    citations: dict[str, Citations] = field(default_factory=dict)
    registers: Registers = field(default_factory=lambda: Registers(()))
    apparatus: dict[etree._Element, Intervention] = field(default_factory=dict)  # by <choice>
    borders: dict | None = None  # the map's projected modern borders (placemap.py)
    corpus: etree._Element | None = None  # the book an article built on its own belongs to
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class Document:
    """The semantic HTML document of an edition, its metadata, and what the transform noticed."""

    html: etree._Element
    metadata: Metadata
    diagnostics: list[Diagnostic]
    inputs: list[Path] = field(default_factory=list)
    """The data files it was made from (TEI, registers, BibTeX, images): what a build of it
    depends on."""
    context: list[Path] = field(default_factory=list)
    """Those of `inputs` read only for what they say of it (the corpus an article built on its
    own belongs to, for its header): not its text, so not offered with it for download."""

    @property
    def body(self) -> etree._Element:
        return self.html.find("body")


Handler = Callable[["Transformer", etree._Element, etree._Element], None]
HANDLERS: dict[str, Handler] = {}


def handles(*names: str) -> Callable[[Handler], Handler]:
    """Register a handler for TEI elements (local names)."""

    def register(handler: Handler) -> Handler:
        for name in names:
            HANDLERS[tei(name)] = handler
        return handler

    return register


def add_text(parent: etree._Element, text: str | None) -> None:
    """Append text after the last child of `parent` (lxml keeps it in that child's tail).

    The last child is found from the end: `len(parent)` counts the children one by one, which
    made a list of n entries run on with "; " (the apparatus's repairs, a name's occurrences)
    cost n² (a tenth of the HTML of 100,000 notes)."""
    if not text:
        return
    try:
        last = parent[-1]
    except IndexError:
        parent.text = (parent.text or "") + text
        return
    last.tail = (last.tail or "") + text


class AttributeNames(dict[str, str]):
    """Keyword → HTML attribute name (`class_` → `class`, `data_n` → `data-n`), each worked out
    once: `html_element` makes every element of the document."""

    def __missing__(self, keyword: str) -> str:
        self[keyword] = keyword.rstrip("_").replace("_", "-")
        return self[keyword]


ATTRIBUTE_NAMES = AttributeNames()
SubElement = etree.SubElement


class LocalNames(dict[str, str]):
    """A TEI element's Clark name → its local name ("{…tei}hi" → "hi"), each worked out once:
    `etree.QName` makes an object for every element it is asked about."""

    def __missing__(self, tag: str) -> str:
        self[tag] = tag.rpartition("}")[2]
        return self[tag]


LOCAL_NAMES = LocalNames()


def local_name(element: etree._Element) -> str:
    return LOCAL_NAMES[element.tag]


def html_element(parent: etree._Element, tag: str, text: str | None = None,
                 **attributes: str) -> etree._Element:
    """A child element; attribute names use `_` for `-` and `class_` for `class`."""
    named: dict[str, str] = {}
    for name, value in attributes.items():  # a loop: a comprehension is a call of its own
        if value is not None:
            named[ATTRIBUTE_NAMES[name]] = value
    element = SubElement(parent, tag, named)
    if text:
        element.text = text
    return element


def plain_text(element: etree._Element | None) -> str:
    """The text content of a header element on one line (for metadata)."""
    if element is None:
        return ""
    return _SPACES.sub(" ", "".join(element.itertext())).strip()


def view_class(element: etree._Element) -> str | None:
    """`only-diplomatic` / `only-normalised` for what only one view reads (see views.py)."""
    if element.tag not in DEPENDS_ON_THE_VIEW:
        return None
    if not NORMALISED.reads(element) and DIPLOMATIC.reads(element):
        return "only-diplomatic"
    if not DIPLOMATIC.reads(element) and NORMALISED.reads(element):
        return "only-normalised"
    return None


def tei_name(element: etree._Element) -> str | None:
    """The TEI name of a text-bearing element (for `data-tei`), else None."""
    return TEI_NAMES.get(element.tag)


def classes(*names: str | None) -> str:
    """A class attribute's value from optional names ("" when none)."""
    return " ".join(filter(None, names))


class Transformer:
    """Walks one TEI tree (a TEI or a teiCorpus) and builds the semantic HTML document."""

    def __init__(self, source: Path, resolved: Resolved) -> None:
        self.source = source
        self.resolved = resolved
        self.diagnostics: list[Diagnostic] = []
        self.article = ""  # key of the article being rendered, prefixes generated ids
        self.footnotes: dict[str, Footnote] = {}
        self.notes_by_number: dict[str, etree._Element] = {}
        self.called: set[str] = set()  # note numbers that <ref type="footnote"> calls
        self.bibliography_links: dict[str, str] = {}  # anchor linked to -> author's number
        self.article_title = ""
        self.article_short_title = ""
        self.witness_siglum = ""  # the article's witness's siglum (its sourceDesc's @n)
        self.line = ""  # the witness line being rendered (the last <lb n>)
        self.witness_copy = False  # rendering the witness's own copy of a text shown elsewhere
        self.occurrences: dict[str, list[Occurrence]] = {}  # register entry ref -> occurrences
        self.anchors_used: set[str] = set()  # generated anchors of the current article
        self.repeats: dict[str, int] = {}  # base of an anchor -> the last number `unique` gave
        self.apparatus: list[AppEntry] = []  # the current article's interventions
        self.marks = 0  # how many of them are marked (authorial): the next mark's letter
        self.pending_marks: list[AppEntry] = []
        self.unhandled: dict[tuple[str, str], list[int]] = {}  # (file, element) -> [line, count]
        self.heading_level = 2
        self.dates: list[DateMention] = []  # the articles' dates, for the chronology
        self.editors: frozenset[str] = frozenset()  # xml:ids of the edition's editors
        self.internal_links: list[tuple[etree._Element, etree._Element]] = []  # (a, TEI ref)
        self.verse_lines: dict[str, int] = {}  # article -> number of its last line of verse
        self.tei_ids: dict[str, etree._Element] | None = None  # xml:id -> element, see `ptr`
        self.describing = 0  # within a manuscript description (manuscripts.py): how deep
        self.note_anchors: dict[etree._Element, str] = {}  # a TEI note -> its HTML id

    # -- walking -------------------------------------------------------------------------------

    def render(self, element: etree._Element, parent: etree._Element) -> None:
        if not isinstance(element.tag, str):
            return  # comments and processing instructions; their tails are kept by `children`
        HANDLERS.get(element.tag, unknown_element)(self, element, parent)

    def children(self, element: etree._Element, target: etree._Element) -> None:
        add_text(target, element.text)
        for child in element:
            tag = child.tag
            if isinstance(tag, str):  # `render`, inlined: this is done for every element
                HANDLERS.get(tag, unknown_element)(self, child, target)
            tail = child.tail
            if tail:
                if tag == LINE_BEGINNING and word_runs_on(child):
                    tail = tail.lstrip()  # the word runs on: a space the witness line begins with
                add_text(target, tail)

    def wrap(self, element: etree._Element, parent: etree._Element, tag: str,
             kind: str | None = None, **attributes: str) -> etree._Element:
        """The common case: one HTML element for one TEI element, content inside.

        The TEI xml:id becomes the HTML id, except in the witness's own copy of a text that is
        shown elsewhere too (ids must stay unique).
        """
        anchor = attributes.pop("id", None) or (None if self.witness_copy
                                                 else element.get(XML_ID))
        attributes.setdefault("data_tei", tei_name(element))
        target = html_element(
            parent, tag,
            class_=classes(local_name(element) if kind is None else kind,
                           view_class(element)) or None,
            id=anchor, lang=element.get(XML_LANG), **attributes,
        )
        self.children(element, target)
        return target

    def flush_marks(self, parent: etree._Element) -> None:
        """Set the apparatus marks waiting for the end of the name that holds their choice."""
        for entry in self.pending_marks:
            # Named by its key as shown, spelled out too ("cf (c f)", not only the word "cf"),
            # and its entry.
            spelled = f" ({' '.join(entry.key)})" if len(entry.key) > 1 else ""
            mark = html_element(parent, "a", class_="app-mark", href="#" + entry.anchor,
                                id=entry.mark, data_type=entry.intervention.type,
                                aria_label=f"Apparatus {entry.key}{spelled}: "
                                           f"{entry_summary(entry.intervention)}")
            html_element(mark, "sup", entry.key)
            html_element(mark, "span", entry_summary(entry.intervention), class_="app-popup",
                         role="tooltip")
        self.pending_marks = []

    def report(self, message: str, element: etree._Element, code: str) -> None:
        self.diagnostics.append(warning(message, element.base or self.source,
                                        element.sourceline, code=code))

    def anchor(self, *parts: str) -> str:
        return "-".join((self.article, *parts))

    def line_anchor(self, what: str) -> str:
        """A stable anchor: the witness line and what stands there ("kars-l26-shahtakhtinsky"),
        numbered when it occurs twice on a line. The witness's lines never change, so links
        into the edition survive any later encoding work."""
        return self.unique(self.anchor(f"l{self.line}", what))

    def unique(self, base: str) -> str:
        """`base`, or `base-2`, `base-3`… when the article already has it.

        The search for a free number goes on from where the last one for `base` stopped (the
        numbers below are taken, since anchors are never freed): counting up from 1 each time
        made a text of n notes on lines of the same number cost n² (the synthetic texts of
        `scripts/bench --scale`)."""
        repeat = self.repeats.get(base, 1)
        anchor = base if repeat == 1 else f"{base}-{repeat}"
        while anchor in self.anchors_used:
            repeat += 1
            anchor = f"{base}-{repeat}"
        self.repeats[base] = repeat
        self.anchors_used.add(anchor)
        return anchor


# -- document and articles ---------------------------------------------------------------------


UNCERTAIN_ATTRIBUTION = frozenset({"low", "medium", "unknown"})  # <author cert>: not verified
ATTRIBUTED = "[attributed to] "


def author_name(author: etree._Element) -> str:
    """An author of the header as every output prints it: an attribution the header marks as not
    verified (`<author cert="medium">`) says so, on the title page as in the metadata."""
    name = plain_text(author.find(tei("persName"))) or plain_text(author)
    return f"{ATTRIBUTED}{name}" if author.get("cert") in UNCERTAIN_ATTRIBUTION else name


def edited_by(editors: list[etree._Element]) -> str:
    """The title page's "Edited by …" as the header names the editors: a person by name, a body
    (`<editor><orgName>`) as a press prints it, "Edited by the … project"."""
    names = [("the " if editor.find(tei("orgName")) is not None
              and editor.find(tei("persName")) is None else "") + plain_text(editor)
             for editor in editors]
    if not names:
        return ""
    return "Edited by " + (f"{', '.join(names[:-1])} and {names[-1]}" if len(names) > 1
                           else names[0])


def edition_metadata(root: etree._Element) -> Metadata:
    """Metadata of the whole edition: its own header, with the articles' authors and sources."""
    header = root.find(tei("teiHeader"))
    articles = [root] if root.tag == tei("TEI") else root.findall(tei("TEI"))
    authors: list[str] = []
    for article in articles:
        for name in article.iterfind(f"{tei('teiHeader')}//{tei('titleStmt')}/{tei('author')}"):
            text = author_name(name)
            if text and text not in authors:
                authors.append(text)
    title_stmt = f"{tei('fileDesc')}/{tei('titleStmt')}"
    publication = header.find(f"{tei('fileDesc')}/{tei('publicationStmt')}")
    licence = publication.find(f".//{tei('licence')}") if publication is not None else None
    editors = header.findall(f"{title_stmt}/{tei('editor')}")
    return Metadata(
        title=plain_text(header.find(f"{title_stmt}/{tei('title')}[@type='main']"))
        or plain_text(header.find(f"{title_stmt}/{tei('title')}")),
        subtitle=plain_text(header.find(f"{title_stmt}/{tei('title')}[@type='sub']")),
        authors=tuple(authors),
        editors=tuple(plain_text(editor) for editor in editors),
        edited_by=edited_by(editors),
        publisher=plain_text(header.find(f".//{tei('publicationStmt')}/{tei('publisher')}")),
        date=_date_of(header.find(f".//{tei('publicationStmt')}/{tei('date')}")),
        identifier=plain_text(header.find(f".//{tei('publicationStmt')}/{tei('idno')}")),
        language=root.get(XML_LANG, "en"),
        licence=plain_text(licence),
        licence_url=licence.get("target", "") if licence is not None else "",
        sources=tuple(source_line(article) for article in articles),
        keywords=tuple(dict.fromkeys(
            plain_text(term) for article in articles
            for term in article.iterfind(f"{tei('teiHeader')}//{tei('keywords')}/{tei('term')}"))),
    )


def _date_of(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return element.get("when") or plain_text(element)


def source_parts(article: etree._Element) -> list[tuple[str, bool]]:
    """The line naming the witness (title, journal, issue, date) in runs of text, each with
    whether it is the journal's title, which is cited (italic) wherever the line is set."""
    struct = article.find(f"{tei('teiHeader')}//{tei('sourceDesc')}/{tei('biblStruct')}")
    if struct is None:
        return [(plain_text(article.find(f"{tei('teiHeader')}//{tei('sourceDesc')}")), False)]
    title = plain_text(struct.find(f"{tei('analytic')}/{tei('title')}"))
    journal = plain_text(struct.find(f"{tei('monogr')}/{tei('title')}"))
    issue = plain_text(struct.find(f".//{tei('biblScope')}[@unit='issue']"))
    # The issue's date in one piece: "Winter / 2019." ended a heading's line (production review).
    date = plain_text(struct.find(f".//{tei('imprint')}/{tei('date')}")).replace(" ", "\u00a0")
    runs: list[tuple[str, bool]] = []
    for part, cited in ((f"“{title}”" if title else "", False), (journal, True),
                        (f" no. {issue}" if issue else "", False), (date, False)):
        if part:
            if runs and not part.startswith(" "):
                runs.append((", ", False))
            runs.append((part, cited))
    return runs


def source_line(article: etree._Element) -> str:
    """One line naming the witness: author, title, journal, issue, date."""
    return "".join(text for text, _ in source_parts(article))


def cite_source(target: etree._Element, article: etree._Element) -> None:
    """The line naming the witness set in `target`, the journal's title cited, closed by a
    full stop unless it ends with one (a sourceDesc's sentence)."""
    for text, cited in source_parts(article):
        if cited:
            html_element(target, "cite", text, class_="title")
        else:
            add_text(target, text)
    if not "".join(target.itertext()).rstrip().endswith((".", "!", "?")):
        add_text(target, ".")


def header_phrase(target: etree._Element, element: etree._Element | None) -> None:
    """A title of the header set as a title page sets it: a title within it cited (a journal's,
    italic), and a line broken where the header breaks it (`lb`: a display title's lines)."""
    if element is None:
        return
    add_text(target, _SPACES.sub(" ", element.text or ""))
    for child in element:
        if child.tag == tei("lb"):
            html_element(target, "br")
        elif child.tag == tei("title"):
            header_phrase(html_element(target, "cite", class_="title"), child)
        elif isinstance(child.tag, str):
            header_phrase(target, child)
        add_text(target, _SPACES.sub(" ", child.tail or ""))


@handles("teiCorpus")
def corpus(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    for article in element.iterfind(tei("TEI")):
        self.render(article, parent)


@handles("TEI")
def article(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """One article: heading and byline from its header, its text, then notes and references."""
    self.article = article_id(element)  # the key citations.py files its results under
    self.footnotes = {}
    self.bibliography_links = {}
    self.apparatus = []
    self.marks = 0
    self.notes_by_number = surviving_notes(element)
    self.called = {ref.get("n") for ref in element.iter(tei("ref"))
                   if ref.get("type") == "footnote"}
    header = element.find(tei("teiHeader"))
    target = html_element(parent, "article", id=self.article, class_="article",
                          lang=element.get(XML_LANG))
    heading = html_element(target, "header", class_="article-header")
    title = header.find(f"{tei('fileDesc')}/{tei('titleStmt')}/{tei('title')}")
    self.article_title = plain_text(title)
    short = header.find(f"{tei('fileDesc')}/{tei('titleStmt')}/{tei('title')}[@type='short']")
    self.article_short_title = (plain_text(short) if short is not None
                                else short_title(self.article_title))
    self.anchors_used = set()
    self.repeats = {}
    authors = header.findall(f"{tei('fileDesc')}/{tei('titleStmt')}/{tei('author')}")
    # the printed running heads (print.css): the short title on the recto; on the verso the
    # authors, all of them, or the short title again where there is none
    html_element(heading, "h2", self.article_title, class_="article-title",
                  id=self.anchor("title"), data_short_title=self.article_short_title,
                  data_verso_head=listed([author_name(author) for author in authors])
                  or self.article_short_title)
    for author in authors:
        byline = html_element(heading, "p", class_="byline")
        name = html_element(byline, "span", class_="author")
        printed = author_name(author)
        if printed.startswith(ATTRIBUTED):  # apart: a style may set the mark otherwise
            html_element(name, "span", ATTRIBUTED.strip(), class_="attribution-mark")
            add_text(name, " ")
        html_element(name, "span", printed.removeprefix(ATTRIBUTED), class_="author-name")
        caveat = author.find(tei("note"))
        if caveat is not None:
            add_text(byline, " ")
            # rendered, not flattened: a title in another language keeps its lang
            attribution = html_element(byline, "span", "(", class_="attribution")
            self.children(caveat, attribution)
            add_text(attribution, ")")
    witness = header.find(f".//{tei('sourceDesc')}/*[@n]")
    self.witness_siglum = witness.get("n", "") if witness is not None else ""
    source = html_element(heading, "p", "Source: ", class_="source",
                          data_siglum=self.witness_siglum or None)
    cite_source(source, element)
    text = element.find(tei("text"))
    if text is not None:
        for part in ("front", "body", "group"):  # a text holds a body or a group of texts
            if text.find(tei(part)) is not None:
                self.children(text.find(tei(part)), target)
        # The back matter (references, appendices) comes after the notes and the apparatus,
        # but is rendered first: its own notes and interventions join theirs.
        back = html_element(target, "div")
        if text.find(tei("back")) is not None:
            self.children(text.find(tei("back")), back)
        for stand_off in element.iterfind(tei("standOff")):
            self.render(stand_off, back)
        write_footnotes(self, target)
        write_apparatus(self, target)
        target.append(back)
        back.drop_tag()


def note_numbers(note: etree._Element) -> list[str]:
    """The author's numbers a note carries: "37-38" is 37 and 38."""
    numbers = note.get("n", "")
    first, _, last = numbers.partition("-")
    if (first + last).isascii() and first.isdigit() and last.isdigit():  # "²" is no int()
        return [str(n) for n in range(int(first), int(last) + 1)]
    return [numbers] if numbers else []


def surviving_notes(article: etree._Element) -> dict[str, etree._Element]:
    """Author's notes whose text survived, by every number they carry."""
    notes: dict[str, etree._Element] = {}
    for note in article.iter(tei("note")):
        label_only = note.find(tei("label")) is not None
        if note.get("place") != "foot" or label_only or not "".join(note.itertext()).strip():
            continue
        notes.update(dict.fromkeys(note_numbers(note), note))
    return notes


# -- structure ---------------------------------------------------------------------------------


@handles("text", "body", "front", "group")
def transparent(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    self.children(element, parent)


@handles("teiHeader")
def skipped(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """Metadata, rendered from `Metadata` and the article header, not in the text flow."""


@handles("div", *(f"div{level}" for level in range(1, 8)))
def division(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    self.heading_level += 1
    self.wrap(element, parent, "section", f"div {element.get('type', '')}".strip(),
              data_type=element.get("type"))
    self.heading_level -= 1


# The heads that are no heading of the text but the shorter form of its heading the printed
# book sets in its running heads (T02's FRUS monograph: each chapter has one).
RUNNING_HEAD_TYPES = frozenset({"shortened-for-running-head", "running", "runningHead",
                                "running-head"})


@handles("head")
def head(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """A heading; a caption of a figure.

    A head for the running heads (`RUNNING_HEAD_TYPES`) is not text of the body, where it read
    as a second heading under the chapter's own: it is kept where it stands as data only, an
    empty span whose `data-running-head` holds its words (what a running head of a page may be
    set from, as the reading text has them: a line beginning a space, the notes' words left out)
    and whose `data-tei` counts it among the heads that reached the output. Its notes are notes
    still, their calls in that span."""
    if element.get("type") in RUNNING_HEAD_TYPES:
        span = html_element(parent, "span", class_="running-head", data_tei="head",
                            data_running_head=reading_text(element))
        for note in element.iter(tei("note")):
            outer = note.getparent()
            while outer is not element and outer.tag != tei("note"):
                outer = outer.getparent()
            if outer is element:  # a note of a note is its note's
                self.render(note, span)
        return
    if element.getparent().tag == tei("figure"):
        in_text = in_paragraph(element.getparent())
        self.wrap(element, parent, "span" if in_text else "figcaption",
                  "head figcaption" if in_text else "head")
    else:
        self.wrap(element, parent, f"h{min(self.heading_level, 6)}")


@handles("p")
def paragraph(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    self.wrap(element, parent, "p", "")


@handles("trailer")
def trailer(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    self.wrap(element, parent, "p", "trailer")


# A title page of the text (`<titlePage>`, or its parts straight in `<front>`): each part a
# block of its own, with its TEI name as its class, the HTML tag it takes outside a paragraph.
# None of them is a heading element: the article's title is its heading, and a second one would
# break the order of the headings. A part inside another (a `docDate` in the `docImprint`, a
# `docAuthor` in the `byline`) is a span.
TITLE_PAGE: dict[str, str] = {
    "titlePage": "div", "docTitle": "div", "titlePart": "p", "docImprint": "p", "docDate": "p",
    "docAuthor": "p", "docEdition": "p", "imprimatur": "p",
}
# A titlePart of these types is the title's second line, any other the title itself.
SUBORDINATE_TITLE_PARTS = frozenset({"sub", "subtitle", "alt", "desc", "volume"})
_TITLE_PAGE_BLOCK = frozenset(tei(name) for name, tag in TITLE_PAGE.items() if tag == "p")


@handles(*TITLE_PAGE)
def title_page_part(self: Transformer, element: etree._Element,
                    parent: etree._Element) -> None:
    """A part of a title page: a block, or a span within a paragraph or another part; none for
    an empty part (`<titlePart/>`, an empty paragraph)."""
    if not has_words(element):
        return
    name = local_name(element)
    inline = in_paragraph(element) or any(
        ancestor.tag in _TITLE_PAGE_BLOCK or ancestor.tag == tei("byline")
        for ancestor in element.iterancestors())
    kind = name
    if name == "titlePart":
        kind += (" title-sub" if element.get("type") in SUBORDINATE_TITLE_PARTS
                 else " title-main")
    self.wrap(element, parent, "span" if inline else TITLE_PAGE[name], kind,
              data_type=element.get("type"))


def on_a_title_page(element: etree._Element) -> bool:
    """Whether `element` stands in a part of a title page, and not in a note of it (whose lines
    are the note's)."""
    for ancestor in element.iterancestors():
        if ancestor.tag in _TITLE_PAGE_PARTS:
            return True
        if ancestor.tag in OFF_THE_LINE:
            return False
    return False


def title_page_block(element: etree._Element) -> etree._Element:
    """The block of a title page `element` stands in: its outermost part set as a paragraph."""
    block = element
    for ancestor in element.iterancestors():
        if ancestor.tag in _TITLE_PAGE_BLOCK or ancestor.tag == tei("byline"):
            block = ancestor
    return block


def _words_around(node: etree._Element, line_beginning: etree._Element,
                  found: list[bool]) -> None:
    """`found` [words before `line_beginning`, passed it, words after it] as the walk of `node`
    (notes and page furniture left out) finds them."""
    side = 2 if found[1] else 0
    if node.text and node.text.strip():
        found[side] = True
    for child in node:
        if child is line_beginning:
            found[1] = True
        elif isinstance(child.tag, str) and child.tag not in OFF_THE_LINE:
            _words_around(child, line_beginning, found)
        if child.tail and child.tail.strip():
            found[2 if found[1] else 0] = True


def has_words(element: etree._Element) -> bool:
    """Whether `element` holds words or anything else to show (not only line beginnings)."""
    return bool("".join(element.itertext()).strip()) or any(
        isinstance(child.tag, str) and child.tag not in (tei("lb"), tei("pb"), tei("cb"))
        for child in element.iterdescendants())


_TITLE_PAGE_PARTS = frozenset(tei(name) for name in (*TITLE_PAGE, "byline"))


@handles("figure")
def figure(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """A figure; inside a paragraph (a caption the extraction dropped mid-sentence) a span with
    the figure role, since an HTML parser would end the paragraph at a <figure>."""
    if in_paragraph(element):
        self.wrap(element, parent, "span", "figure", role="figure")
    else:
        self.wrap(element, parent, "figure")


def in_paragraph(element: etree._Element) -> bool:
    return any(a.tag in IN_PARAGRAPH for a in element.iterancestors())


@handles("graphic")
def graphic(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """An image inside the edition's folder, described for readers who cannot see it.

    Anything else (the network, `file:///etc/passwd`, `../../`) is refused here, by the policy
    of resources.py, with a warning; the build goes on without the image.
    """
    url = element.get("url", "")
    figure_ = element.getparent()
    description = figure_.find(tei("figDesc"))
    try:
        path = confine(url, Path(element.base or self.source), self.source.parent)
    except RefusedResource as refusal:
        self.report(f"graphic {refusal}; left out", element, "resource-refused")
        path = None
    if path is not None and not path.is_file():
        self.report(f"graphic {url!r} not found ({path}); left out", element, "resource-missing")
        path = None
    if path is None:
        if description is not None:  # what the image shows, said in words instead
            self.wrap(description, parent, "span", "figure-description")
        return
    html_element(parent, "img", src=path.as_uri(), class_="graphic",
                 alt=plain_text(description if description is not None
                                else figure_.find(tei("head"))))


@handles("figDesc")
def figure_description(self: Transformer, element: etree._Element,
                       parent: etree._Element) -> None:
    """What a figure shows: the alt text of its image (see `graphic`); a figure without an
    image says it in words, in every format."""
    if element.getparent().find(tei("graphic")) is None:
        self.wrap(element, parent, "span", "figure-description")


# -- the witness's lines and page furniture ------------------------------------------------------


@handles("lb")
def line_beginning(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """A line of the witness begins: a word space unless the word runs on (`views.word_runs_on`:
    `break="no"`, the TCP's `type="hyphenInWord"`, a line ending in a soft hyphen). A word that
    runs on loses the layout's space before the line beginning too ("wea\u00ad⏎  <lb/>kest"),
    and a soft hyphen ending its line is the witness's hyphen, shown in the diplomatic view only
    ("wea-" / "kest"; "weakest" in the normalised). A title page's line ends in every view.
    """
    if on_a_title_page(element):  # a title page's line: broken in every view and format
        self.line = element.get("n", self.line)
        found = [False, False, False]
        _words_around(title_page_block(element), element, found)
        if not (found[0] and found[2]):
            return  # the start or the end of its part: no line of its own to break
        html_element(parent, "br", class_="lb-title-page")
        if not word_runs_on(element):
            add_text(parent, " ")  # the words of two lines are two words to a search, a copy
        return
    runs_on = word_runs_on(element)
    if runs_on:
        end_the_line_at_its_word(parent)
    else:
        add_text(parent, " ")
    self.line = element.get("n", self.line)
    html_element(parent, "span", class_="lb", data_n=element.get("n"),
                 data_break="no" if runs_on else element.get("break"))


# HTML that stands between the words of a line and is none of them (`views.OFF_THE_LINE`): the
# page and forme-work markers, note calls and notes kept in the witness, apparatus marks.
_OFF_THE_LINE_CLASSES = frozenset({"pb", "fw", "footnote-ref", "note-in-witness", "app-mark",
                                   "anchor", "running-head", "figure"})
# The HTML elements a word may end in before the line beginning opens (the word "wea\u00ad" of
# "<hi>wea\u00ad</hi><lb/>kest", or the line beginning "wea\u00ad<hi><lb/>kest</hi>").
_INLINE_HTML = frozenset({"span", "em", "i", "b", "strong", "a", "cite", "q", "abbr", "small",
                          "u", "s", "mark", "time", "bdi", "del", "ins", "sub", "sup"})


def _off_the_line(element: etree._Element) -> bool:
    return not isinstance(element.tag, str) or bool(
        _OFF_THE_LINE_CLASSES.intersection(element.get("class", "").split()))


def _text_back(element: etree._Element, stop: etree._Element | None = None):
    """The places of text in `element` (before its child `stop`), last first, as (holder,
    attribute); the words of what is off the line left out, an earlier line beginning the end."""
    children = list(element)
    if stop is not None:
        children = children[:children.index(stop)]
    for child in reversed(children):
        yield child, "tail"
        if "lb" in child.get("class", "").split() and child.tag == "span":
            return
        if not _off_the_line(child):
            yield from _text_back(child)
    yield element, "text"


def end_the_line_at_its_word(parent: etree._Element) -> None:
    """Take the spaces between the last word of the line (made so far in `parent`, or before
    the inline elements the line beginning opens) and the line beginning away, past page markers
    and note calls, and turn a soft hyphen ending the word into the witness's hyphen of the
    diplomatic view, set after the word."""
    places = _text_back(parent)
    node = parent
    while True:
        for holder, attribute in places:
            text = getattr(holder, attribute) or ""
            stripped = text.rstrip()
            setattr(holder, attribute, stripped or None)
            if not stripped:
                continue
            if stripped.endswith(SOFT_HYPHEN):
                setattr(holder, attribute, stripped[:-1] or None)
                if attribute == "tail":
                    hyphen = html_element(holder.getparent(), "span", "-")
                    holder.addnext(hyphen)
                else:
                    hyphen = html_element(holder, "span", "-")
                    holder.insert(0, hyphen)
                hyphen.set("class", "pc-weak only-diplomatic")
                hyphen.set("title", "soft hyphen (U+00AD) of the source")
            return
        above = node.getparent()
        if node.tag not in _INLINE_HTML or above is None:
            return
        places, node = _text_back(above, stop=node), above


@handles("pc")
def punctuation(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    kind = "pc-weak" if element.get("force") == "weak" else "pc"
    self.wrap(element, parent, "span", kind)


@handles("fw")
def forme_work(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    self.wrap(element, parent, "span", f"fw {element.get('type', '')}".strip(),
              data_type=element.get("type"))


@handles("pb")
def page_beginning(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """A page of the magazine begins: a discreet marker in the diplomatic view."""
    number = element.get("n", "")
    html_element(parent, "span", f"[p. {number}]" if number else "[page]",
                 class_=classes("pb", view_class(element)), data_n=number)


@handles("label")
def label(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    self.wrap(element, parent, "span")


# -- phrases -----------------------------------------------------------------------------------


# Where a quotation stands as a block of its own (outside a paragraph), and the HTML element
# it is there: a quotation set off from the text (T02's 12 blockquotes and epigraphs in a
# division, T15's in a `cit`); in an epigraph, already a blockquote, a block of it.
BLOCK_QUOTATION_IN: dict[str, str] = {
    **dict.fromkeys(("div", *(f"div{level}" for level in range(1, 8)), "body", "front", "back",
                     "cit", "item", "sp", "floatingText", "postscript", "argument", "cell"),
                    "blockquote"),
    "epigraph": "div",
}


@handles("quote", "q")
def quotation(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """A quotation: the witness's own quotation marks are text, so no `<q>` that adds more.
    Between blocks (`BLOCK_QUOTATION_IN`) it is a block, where spans ran together with the
    text before and after; in a paragraph a span, which its `rend` may set as a block (CSS).
    In a quotation set as a block it is a block too (a span there held the paragraphs of a
    quotation's quotation: a block inside an inline); in a table's cell a block."""
    self.wrap(element, parent, quotation_tag(element), "quote", data_rend=element.get("rend"))


def quotation_tag(element: etree._Element) -> str:
    """The HTML element of a quotation (`quotation`): a span, or a block where it stands
    between blocks."""
    if in_paragraph(element):
        return "span"
    parent = element.getparent()
    if parent.tag in (tei("quote"), tei("q")):
        return "span" if quotation_tag(parent) == "span" else "blockquote"
    return BLOCK_QUOTATION_IN.get(local_name(parent), "span")


@handles("time")
def time_of_day(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """A time of day ("1130" for 11.30): HTML's <time> with its `when` as the value a machine
    reads, as a date has."""
    when = element.get("when")
    self.wrap(element, parent, "time" if when else "span", "time", datetime=when)


@handles("date")
def date(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """A date; one of an article's text is an event of the chronology, linking back here."""
    when = element.get("when")
    if not (self.article and not self.witness_copy and is_dated(element)):
        day_and_month_tied(self.wrap(element, parent, "time" if when else "span", "date",
                                     datetime=when))
        return
    # The anchor is a span around the date: pandoc keeps a span's id, not a <time>'s.
    anchor = element.get(XML_ID) or self.line_anchor("date")
    self.dates.append(DateMention(anchor, self.article, self.article_short_title, self.line,
                                  element))
    holder = html_element(parent, "span", class_="dated", id=anchor)
    target = html_element(holder, "time" if when else "span",
                          class_=classes("date", view_class(element)), datetime=when,
                          lang=element.get(XML_LANG))
    self.children(element, target)
    day_and_month_tied(target)


# A day's number and the word of its month beside it, either way round ("26 September",
# "October 13"), in the texts of a date: the space between them, which a line break must not
# take (the production review found "26 / September", "13 / October" across lines).
DAY_AND_MONTH = re.compile(r"(?<!\d\d\d)(?<=\d)[ \t\n]+(?=[^\W\d_]{3})"
                           r"|(?<=[^\W\d_]{3})[ \t\n]+(?=\d{1,2}(?!\d))")


def day_and_month_tied(date: etree._Element) -> None:
    """The day and month of the date `date` (rendered) joined by a no-break space, in any
    format, as tie_abbreviations_and_initials joins an initial to its name; also where the
    witness's line ends between them ("30<lb/>September")."""
    for node in date.iter():
        if node.text and isinstance(node.tag, str):
            node.text = day_tied(node.text, next(iter(node), None))
        if node is not date and node.tail:
            node.tail = day_tied(node.tail, node.getnext())


def day_tied(text: str, following: etree._Element | None) -> str:
    """`text` with its days and months tied, and its last space too where a line marker
    (`following`) stands between a day and a month."""
    tied = DAY_AND_MONTH.sub("\u00a0", text)
    end = re.search(r"[ \t\n]+$", tied)
    if end and is_line_marker(following) and DAY_AND_MONTH.search(
            f"{tied[:end.start()][-3:]} {(following.tail or '').lstrip()[:3]}"):
        tied = tied[:end.start()] + "\u00a0"
    return tied


@handles("title")
def title(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """A title; its kind (`@type`: a treaty's, an annex's or an archival document's, set in
    roman) kept."""
    self.wrap(element, parent, "cite", "title", data_type=element.get("type"))


# Elements that only need a tag and a class: (HTML tag in a paragraph, tag elsewhere). Inside a
# paragraph everything is a span, since an HTML parser would end the paragraph at a block.
SIMPLE: dict[str, tuple[str, str]] = {
    "lg": ("span", "div"), "sp": ("span", "div"),
    "speaker": ("span", "span"), "stage": ("span", "span"), "opener": ("span", "div"),
    "closer": ("span", "div"), "salute": ("span", "span"), "signed": ("span", "span"),
    "dateline": ("span", "span"), "epigraph": ("span", "blockquote"),
    "postscript": ("span", "div"), "argument": ("span", "div"), "ab": ("span", "div"),
    "seg": ("span", "span"), "rs": ("span", "span"), "add": ("span", "ins"),
    "del": ("span", "del"), "unclear": ("span", "span"), "supplied": ("span", "span"),
    "item": ("span", "li"), "table": ("span", "table"),
    "row": ("span", "tr"), "cell": ("span", "td"), "code": ("code", "code"),
    "gi": ("code", "code"), "att": ("code", "code"), "val": ("code", "code"),
    "byline": ("span", "p"), "floatingText": ("span", "div"),
    "cit": ("span", "div"), "idno": ("span", "span"), "edition": ("span", "span"),
    "w": ("span", "span"), "c": ("span", "span"), "ex": ("span", "span"),
    "surname": ("span", "span"), "forename": ("span", "span"), "roleName": ("span", "span"),
    "addName": ("span", "span"), "genName": ("span", "span"), "geogName": ("span", "span"),
}


def simple(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    in_text, elsewhere = SIMPLE[local_name(element)]
    self.wrap(element, parent, in_text if in_paragraph(element) else elsewhere,
              data_type=element.get("type"), data_rend=element.get("rend"))


for _name in SIMPLE:
    handles(_name)(simple)


@handles("dimensions")
def dimensions(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """An object's dimensions read as a reader writes them, "327 × 236 mm": its measures (T13's
    `<height>327</height><width>236</width>` read "327236") separated by a multiplication
    sign, the unit they share once after them (`@unit` of the dimensions or of each measure);
    a measure whose unit is its own says it."""
    target = html_element(parent, "span", class_="dimensions", data_type=element.get("type"),
                          id=None if self.witness_copy else element.get(XML_ID))
    add_text(target, element.text)
    measures = 0
    for child in element:
        is_measure = isinstance(child.tag, str) and local_name(child) in MEASURES
        if is_measure and not measure_value(child):  # an empty measure says nothing
            add_text(target, child.tail)
            continue
        if is_measure:
            add_text(target, " × " if measures else None)
            measures += 1
        self.render(child, target)
        add_text(target, child.tail)
    if not measures and element.get("extent"):  # the dimensions given in words
        add_text(target, element.get("extent"))
    unit = shared_unit(element)
    if unit and measures:
        add_text(target, f" {unit}")


@handles(*MEASURES)
def measure(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """A height, width, depth: its value (its attributes' where it has no words), and its
    unit (its own or its dimensions') unless the dimensions say it once."""
    target = self.wrap(element, parent, "span", data_unit=element.get("unit"))
    if not "".join(element.itertext()).strip():
        add_text(target, measure_value(element))
    holder = element.getparent()
    unit = measure_unit(element)
    if unit and not (holder is not None and holder.tag == tei("dimensions")
                     and shared_unit(holder)):
        add_text(target, f" {unit}")


@handles("gap")
def gap(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """Something the source leaves out or cannot be read: a visible mark."""
    reason = element.get("reason")
    html_element(parent, "span", "[…]", class_="gap", title=f"gap: {reason}" if reason else "gap")


@handles("anchor")
def anchor_point(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """A point others link to: an empty span with its id."""
    if element.get(XML_ID) and not self.witness_copy:
        html_element(parent, "span", id=element.get(XML_ID), class_="anchor")


@handles("cb", "milestone", "index", "interpGrp", "linkGrp", "link", "fs", "alt",
         "alternate", "span", "spanGrp", "timeline")
def silent(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """Pointers and analytic data with no text of their own to read."""


@handles("hi", "emph", "foreign", "term", "mentioned", "soCalled")
def highlighted(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    tag = "em" if local_name(element) in ("emph", "foreign", "mentioned") else "span"
    self.wrap(element, parent, tag, data_rend=element.get("rend"))


@handles("choice")
def choice(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """Both readings are kept; the view decides which one shows (see the module docstring).

    An intervention in the author's text (a variant, an error) gets a mark keyed by a letter,
    linking to its apparatus entry; a repair of the extraction is listed without a mark.
    """
    intervention = self.resolved.apparatus.get(element)
    if intervention is None or self.witness_copy:
        without_layout_space(self.wrap(element, parent, "span", "choice",
                                       data_type=element.get("type")))
        return
    entry = AppEntry(intervention, self.line_anchor("app"),
                     letter_key(self.marks) if intervention.authorial else "")
    self.marks += intervention.authorial
    self.apparatus.append(entry)
    without_layout_space(self.wrap(element, parent, "span", "choice", id=entry.place,
                                   data_type=intervention.type))
    if intervention.authorial:
        self.pending_marks.append(entry)
        if not any(a.tag in NAME_ELEMENTS for a in element.iterancestors()):
            self.flush_marks(parent)


def without_layout_space(choice: etree._Element) -> None:
    """A `<choice>` holds its readings and nothing else (TEI: element-only content): the
    spaces and line ends between them in a pretty-printed file are the file's layout, not the
    text's. Kept, one of them stood beside the reading shown ("detrimentum ." before a full
    stop, in every format)."""
    if choice.text is not None and not choice.text.strip():
        choice.text = None
    for reading in choice:
        if reading.tail is not None and not reading.tail.strip():
            reading.tail = None


@handles("orig", "reg", "sic", "corr", "abbr", "expan")
def alternative(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """One reading of a `<choice>`, or, alone, the only text there is (views.py); a `<sic>`
    without its correction is marked "[sic]", as editions mark an error they let stand."""
    target = self.wrap(element, parent, "span", data_resp=element.get("resp"))
    if element.tag == tei("sic") and element.getparent().tag != tei("choice"):
        add_text(target, " ")
        html_element(target, "span", "[sic]", class_="sic-mark")


NAME_ELEMENTS = frozenset(tei(name) for name in ("persName", "placeName", "orgName", "name"))


@handles("persName", "placeName", "orgName", "name")
def name(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """A name, linked to its register entry; each occurrence is listed there, linking back.

    A name inside another ("Azerbaijan" in "Azerbaijan Revolutionary Committee") is not a link
    of its own (links cannot nest), but still an occurrence with its anchor.
    """
    kind = local_name(element)
    ref = element.get("ref")
    entry = self.resolved.registers.lookup(ref) if ref else None
    in_document = entry is None and (ref or "").startswith("#")  # an entry of its standOff
    if ref and entry is None and not in_document:
        self.report(f"<{kind}> points to {ref!r}, which no register holds", element,
                    "name-unresolved")
    outermost = not any(a.tag in NAME_ELEMENTS for a in element.iterancestors())
    if in_document and outermost and not self.witness_copy:
        self.internal_links.append((self.wrap(element, parent, "a", f"name {kind}", href=ref,
                                              data_ref=ref), element))
    elif entry is None or self.witness_copy:
        self.wrap(element, parent, "span", f"name {kind}", data_ref=ref)
    else:
        occurrence = Occurrence(element.get(XML_ID) or self.line_anchor(entry.id),
                                self.article, self.article_title, self.line)
        self.occurrences.setdefault(entry.ref, []).append(occurrence)
        dates = f" ({entry.dates})" if entry.dates else ""
        self.wrap(element, parent, "a" if outermost else "span", f"name {kind}",
                  id=occurrence.anchor, href="#" + register_anchor(entry) if outermost else None,
                  data_ref=ref, title=entry.regular + dates)
    if outermost:
        self.flush_marks(parent)  # marks of the choices inside come after the link


# -- references and notes ----------------------------------------------------------------------


@handles("bibl")
def bibliographic_reference(self: Transformer, element: etree._Element,
                            parent: etree._Element) -> None:
    if element.getparent().tag == tei("listBibl"):
        number = element.get("n")
        item = html_element(parent, "li", class_="bibl", id=element.get(XML_ID)
                            or (self.anchor("bib", number) if number else None), data_tei="bibl")
        self.children(element, item)
    else:
        self.wrap(element, parent, "span", "citation")


@handles("citedRange", "biblScope")
def cited_range(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    self.wrap(element, parent, "span", "cited-range")


@handles("listBibl")
def bibliography(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """The article's references: the entries citeproc formatted, each labelled with the author's
    numbers; without citations.py's resolution, the TEI bibls as they are."""
    section = html_element(parent, "section", class_="bibliography", role="doc-bibliography",
                           id=element.get(XML_ID) or self.unique(self.anchor("references")))
    heading = element.find(tei("head"))
    html_element(section, f"h{self.heading_level + 1}",
                 plain_text(heading) or ("Manuscripts" if lists_manuscripts(element)
                                         else "References"),
                 class_="back-heading",
                 data_tei="head" if heading is not None else None)
    description = element.find(tei("desc"))
    if description is not None:
        self.wrap(description, section, "p", "bibliography-note")
    entries = html_element(section, "ol", class_="references")
    citations = self.resolved.citations.get(self.article)
    text_language = next(iter(element.xpath("ancestor-or-self::*[@xml:lang][1]/@xml:lang")), "en")
    if citations is not None and citations.bibliography:
        for entry in citations.bibliography:
            item = html_element(entries, "li", id=self.anchor("bib", entry.key),
                                class_=f"bibl {entry.status}", data_key=entry.key,
                                lang=entry.language)
            html_element(item, "span", entry.label, class_="bib-label")
            add_text(item, " ")
            append_html(item, entry.html)
            if entry.language and entry.language != text_language:
                for annotation in item.find_class("csl-block"):  # the editors' note on it
                    annotation.set("lang", text_language)
    else:
        for entry in element:
            if entry is not heading and entry is not description and isinstance(entry.tag, str):
                self.render(entry, entries)
    listed = set(entries.xpath("li/@id"))
    for anchor, number in self.bibliography_links.items():
        if anchor not in listed:
            self.report(f"reference {number} has no entry in the article's bibliography",
                        element, "reference-unlisted")
            html_element(entries, "li", f"[{number}] No entry for this number in the edition’s "
                         "reference list.", id=anchor, class_="bibl missing")


@handles("back")
def back_matter(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    self.children(element, parent)


@handles("ref")
def reference(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """A numbered reference, a footnote call, or a plain link."""
    kind = element.get("type")
    number = element.get("n", "")
    citations = self.resolved.citations.get(self.article)
    citation = citations.for_ref(element) if citations is not None else None
    if kind == "reference":
        anchor = self.anchor("bib", citation.key if citation and citation.key else number)
        self.bibliography_links.setdefault(anchor, number)
        self.wrap(element, parent, "a", "biblioref", href="#" + anchor, role="doc-biblioref",
                  data_n=number, title=citation.note_text if citation else None)
    elif kind == "footnote":
        # one text the witness prints for several calls ("37-38") is one note they all call
        shared = self.notes_by_number.get(number)
        numbers = (shared.get("n", number) if shared is not None
                   and len(note_numbers(shared)) > 1 else number)
        anchor = self.anchor("fn", numbers)
        footnote = self.footnotes.setdefault(anchor, Footnote(numbers, anchor, citation))
        call = self.anchor("fnref", numbers, str(len(footnote.calls) + 1))
        footnote.calls.append(call)
        link = html_element(parent, "a", class_="footnote-ref", href="#" + footnote.anchor,
                            id=call, role="doc-noteref", data_n=number)
        self.children(element, html_element(link, "sup"))
    else:
        link = self.wrap(element, parent, "a", "ref", href=link_target(element.get("target")))
        if link.get("href") is not None and not urlsplit(link.get("href")).scheme:
            self.internal_links.append((link, element))  # checked when the document is whole
        else:
            unlink_unsafe_scheme(self, link, element)


@handles("ptr")
def pointer(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """A pointer: a link that has no words of its own, so it is named by what it points to. An
    address outside the document reads as itself (T13's 26 web addresses: "Reprinted in , pp.
    17-40" read as if the reference were lost); one inside it by the target's number (`@n`),
    a division's heading, or else its id; a canonical reference (`@cRef`) as written. Each of
    several targets is a link of its own."""
    targets = (element.get("target") or "").split()
    if not targets:
        add_text(self.wrap(element, parent, "span", "ptr", data_cref=element.get("cRef")),
                 element.get("cRef"))
        return
    for index, target in enumerate(targets):
        if index:
            add_text(parent, "; ")
        href = link_target(target)
        link = html_element(parent, "a", pointer_name(self, element, href), class_="ptr",
                            href=href,
                            id=None if index or self.witness_copy else element.get(XML_ID),
                            data_type=element.get("type"))
        if not urlsplit(href).scheme:
            self.internal_links.append((link, element))  # checked when the document is whole
        else:
            unlink_unsafe_scheme(self, link, element)


# The schemes a link of the text may lead to: the web and mail. A `javascript:`, `data:` or
# `file:` address in a TEI's @target became a live link of every format, the EPUB's too, which
# has no Content Security Policy (the QA review's hostile files).
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def unsafe_address(href: str | None) -> bool:
    """Whether `href` leads out of the document by another scheme than SAFE_SCHEMES."""
    return href is not None and urlsplit(href).scheme.lower() not in {"", *SAFE_SCHEMES}


def unlink_unsafe_scheme(self: Transformer, link: etree._Element,
                         element: etree._Element) -> None:
    """A link to an address of another scheme than SAFE_SCHEMES is said, with the file and
    line of its element, and kept as text."""
    href = link.get("href")
    if not unsafe_address(href):
        return
    self.report(f"link to {href[:60]!r}: not a web or mail address; kept as text", element,
                "link-unsafe")
    del link.attrib["href"]


def unlink_unsafe_links(self: Transformer, html: etree._Element) -> None:
    """Any link left of another scheme than SAFE_SCHEMES, one no element of the text made (a
    bibliography's `url` field, rendered by citeproc), said and kept as text."""
    for link in html.iter("a"):
        href = link.get("href")
        if unsafe_address(href):
            self.diagnostics.append(warning(
                f"link to {href[:60]!r} (a bibliography's address): not a web or mail address;"
                " kept as text", self.source, code="link-unsafe"))
            del link.attrib["href"]


def pointer_name(self: Transformer, element: etree._Element, href: str) -> str:
    """The words of a pointer's link (see `pointer`)."""
    if not href.startswith("#"):
        return href
    if self.tei_ids is None:  # once a document: a search for each pointer would cost n²
        self.tei_ids = {node.get(XML_ID): node
                        for node in element.getroottree().xpath("//*[@xml:id]")}
    target = self.tei_ids.get(href[1:])
    if target is not None:
        heading = target.find(tei("head"))
        if target.get("n"):
            return target.get("n")
        if heading is not None and target.tag in DIVISIONS:
            return plain_text(heading)
    return href[1:]


DIVISIONS = frozenset(tei(name) for name in ("div", *(f"div{level}" for level in range(1, 8))))


def unlink_missing_anchors(self: Transformer, html: etree._Element) -> None:
    """A link of the TEI to an id the document does not hold, or to a file by a relative
    address (which no output publishes), is the input's error: said with the file and line of
    the element that made it, and kept as text, so that every format (web, EPUB, PDF) has the
    same text and the same warning, and no link leads nowhere."""
    if not self.internal_links:
        return
    ids = set(IDS(html))
    for link, element in self.internal_links:
        target = link.get("href", "")
        if target.startswith("#") and target[1:] not in ids:
            self.report(f"link to {target}, which the document does not hold; kept as text",
                        element, "link-unresolved")
        elif not target.startswith("#"):
            self.report(f"link to {target!r}, a file the edition does not publish; kept as text",
                        element, "link-unresolved")
        else:
            continue
        del link.attrib["href"]


def link_target(target: str | None) -> str | None:
    """A TEI pointer as a link: `#range(a,b)` (an XPointer range) leads to its start."""
    ranged = re.match(r"#range\(([^,()]+),", target or "")
    return f"#{ranged.group(1)}" if ranged else target


@handles("note")
def note(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """A note. Called from elsewhere by `<ref type="footnote">` (the author's note where the
    extraction left it), it is part of the witness, shown in the diplomatic view, and the reading
    text has it as the footnote of its call. Otherwise, as TEI usually has it, the note stands
    at its own place: its call is here, its text among the notes."""
    if self.witness_copy or set(note_numbers(element)) & self.called:
        target = html_element(parent, "span", class_="note-in-witness only-diplomatic",
                              data_n=element.get("n"), data_type=element.get("type"),
                              data_tei="note")
        self.witness_copy, outer = True, self.witness_copy
        self.children(element, target)
        self.witness_copy = outer
        return
    number = element.get("n") or str(len(self.footnotes) + 1)
    anchor = element.get(XML_ID) or self.line_anchor("note")
    self.note_anchors[element] = anchor
    footnote = self.footnotes.setdefault(anchor, Footnote(number, anchor, None, content=element))
    call = f"{anchor}-call"
    footnote.calls.append(call)
    link = html_element(parent, "a", class_="footnote-ref", href="#" + anchor, id=call,
                        role="doc-noteref", data_n=number, data_type=element.get("type"),
                        # what the note annotates, if it says (print keys it so)
                        data_target=local_id(element.get("target")),
                        data_target_end=local_id(element.get("targetEnd")))
    html_element(link, "sup", number)


def local_id(pointer: str | None) -> str | None:
    """The id a pointer within the document names ("#gyumri-agreement"); None for another."""
    return pointer[1:] if pointer and pointer.startswith("#") and " " not in pointer else None


def write_footnotes(self: Transformer, article: etree._Element) -> None:
    """The article's notes, in call order, each with back-links to its calls."""
    if not self.footnotes:
        return
    section = html_element(article, "section", class_="footnotes", role="doc-endnotes",
                           id=self.anchor("notes"))
    html_element(section, f"h{self.heading_level + 1}", "Notes", class_="back-heading")
    entries = html_element(section, "ol", class_="footnote-list")
    queue = list(self.footnotes.values())
    for footnote in queue:
        item = html_element(entries, "li", id=footnote.anchor, class_="footnote",
                            data_n=footnote.number,
                            data_tei="note" if footnote.content is not None else None)
        text = footnote.content if footnote.content is not None else (
            # the first of its numbers: a note two calls share is "37-38"
            self.notes_by_number.get(footnote.number.partition("-")[0]))
        html_element(item, "span", note_label(footnote.number, text), class_="footnote-number")
        add_text(item, " ")
        body = html_element(item, "span", class_="footnote-text")
        if text is not None:
            self.children(text, body)
            if len(self.footnotes) > len(queue):  # a note held a note: it joins the list
                queue += list(self.footnotes.values())[len(queue):]
        else:
            add_text(body, "Text of the note not preserved in the witness.")
            item.set("data-text", "lost")
        if footnote.citation is not None:
            footnote_source(self, footnote.citation, item)
        shown = note_label(footnote.number, None)
        for number, call in enumerate(footnote.calls, start=1):
            add_text(item, " ")
            html_element(item, "a", "↩" if number == 1 else f"↩{number}", href="#" + call,
                         class_="footnote-back", role="doc-backlink",
                         aria_label=f"Back to the call of note {shown}" if number == 1 else
                         f"Back to call {number} of note {shown}")


def write_apparatus(self: Transformer, article: etree._Element) -> None:
    """The article's apparatus: its interventions in the author's text, keyed by their marks,
    then the others (repairs of the extraction, expansions…) run on, a list for each type.
    Each entry links to its place in the text."""
    if not self.apparatus:
        return
    section = html_element(article, "section", class_="apparatus", id=self.anchor("apparatus"))
    html_element(section, f"h{self.heading_level + 1}", "Textual apparatus",
                 class_="back-heading")
    note = html_element(section, "p", "The edition’s reading stands before the bracket, signed "
                        "“edd.” where it is the editors’, the witness’s after it",
                        class_="apparatus-note")
    add_text(note, f", with its siglum, {self.witness_siglum}." if self.witness_siglum else ".")
    add_text(note, " The lines are the witness’s, as its line-by-line view numbers them.")
    authorial = [entry for entry in self.apparatus if entry.intervention.authorial]
    if authorial:
        listing = html_element(section, "ol", class_="apparatus-list")
        for entry in authorial:
            item = html_element(listing, "li", id=entry.anchor, class_="app-entry",
                                data_type=entry.intervention.type)
            html_element(item, "a", entry.key, href="#" + entry.mark, class_="app-key",
                         aria_label=f"Back to mark {entry.key} in the text")
            add_text(item, " ")
            apparatus_entry(item, entry, self.editors, self.witness_siglum)
    repairs = [entry for entry in self.apparatus if not entry.intervention.authorial]
    kinds: dict[str, list[AppEntry]] = {}  # by type, in the order each first occurs
    for entry in repairs:
        kinds.setdefault(entry.intervention.type, []).append(entry)
    for kind, entries in kinds.items():
        html_element(section, f"h{self.heading_level + 2}", unmarked_interventions(kind),
                     class_="repairs-heading", data_type=kind)
        paragraph = html_element(section, "p", class_="repairs", data_type=kind)
        for number, entry in enumerate(entries):
            if number:
                add_text(paragraph, "; ")
            apparatus_entry(html_element(paragraph, "span", class_="app-entry repair"), entry,
                            self.editors, self.witness_siglum)
        add_text(paragraph, ".")


# The headings of the apparatus's lists without marks, by the type of what each holds: an
# editor's expansion of the witness's abbreviations (T07, T11, T12, T13, the `<expan>` of every
# manuscript) is no repair of a text extraction, the heading all of them had.
UNMARKED_INTERVENTIONS = {
    "extraction": "Repairs of the extraction",
    "expansion": "Abbreviations expanded",
    "regularisation": "Regularised forms",
    "correction": "Corrections",
}


def unmarked_interventions(kind: str) -> str:
    """The heading of the list of interventions of type `kind` (one the table lacks, by it)."""
    return UNMARKED_INTERVENTIONS.get(kind, f"Interventions: {kind}")


def apparatus_entry(item: etree._Element, entry: AppEntry, editors: frozenset[str],
                    siglum: str) -> None:
    """`l. 8 Nakhchivan edd. ] Nakhichevan K (variant)`, the line linked to the text: the
    reading's maker signed after it (the edition's own editors "edd."), the witness's reading
    with its `siglum`, as the printed apparatus gives it (the textual review found "edd."
    after the witness's reading, as if it were the editors')."""
    intervention = entry.intervention
    where = html_element(item, "a", href="#" + entry.place, class_="app-place")
    html_element(where, "span", f"l. {intervention.line}" if intervention.line else "text",
                 class_="app-line")
    add_text(item, " ")
    html_element(item, "span", intervention.lemma, class_="lemma")
    responsible = "edd." if intervention.responsible in editors else intervention.responsible
    if responsible:
        add_text(item, " ")
        html_element(item, "span", responsible, class_="app-resp")
    add_text(item, " ] ")
    html_element(item, "span", intervention.reading, class_="reading")
    if siglum:
        add_text(item, " ")
        html_element(item, "span", siglum, class_="siglum")
    details = ", ".join(part for part in (intervention.type, intervention.certainty) if part)
    if details:
        add_text(item, " ")
        html_element(item, "span", f"({details})", class_="app-details")


def footnote_source(self: Transformer, citation: Citation, item: etree._Element) -> None:
    """What the edition identified as the note's source, linked to the bibliography entry: set
    apart from the author's words, in brackets with the lead-in "Ed.:", so that no reader takes
    the editors' identification for the end of the author's note."""
    add_text(item, " ")
    source = html_element(item, "span", class_=f"footnote-source {citation.status}")
    source.text = "["
    html_element(source, "em", "Ed.:", class_="editors-lead")
    if not citation.status.resolved:
        add_text(source, " source not identified; see ")
        anchor = self.anchor("bib", citation.key or citation.number)
        self.bibliography_links.setdefault(anchor, citation.number)
        html_element(source, "a", f"reference [{citation.number}]", href="#" + anchor,
                     role="doc-biblioref")
        add_text(source, ".]")
        return
    probable = citation.status is Status.PROBABLE
    add_text(source, " probable source: " if probable else " source: ")
    anchor = self.anchor("bib", citation.key)
    self.bibliography_links.setdefault(anchor, citation.number)
    link = html_element(source, "a", href="#" + anchor, role="doc-biblioref",
                        class_="citation-note", lang=source_language(self, citation))
    append_html(link, citation.note_html)
    add_text(source, "]")


def source_language(self: Transformer, citation: Citation) -> str | None:
    """The language of the cited entry (its langid) where it is not the note's: the reference
    set in it is hyphenated by its own patterns ("Министерство иностранных дел")."""
    citations = self.resolved.citations.get(self.article)
    language = next((entry.language for entry in citations.bibliography
                     if entry.key == citation.key), None) if citations is not None else None
    text = next(iter(citation.element.xpath("ancestor-or-self::*[@xml:lang][1]/@xml:lang")), "en")
    return language if language and language != text else None


def append_html(parent: etree._Element, fragment: str) -> None:
    """Append an HTML fragment (citeproc's formatted text) to `parent`."""
    for piece in lxml.html.fragments_fromstring(fragment) if fragment.strip() else []:
        if isinstance(piece, str):
            add_text(parent, piece)
        else:
            parent.append(piece)


# -- the hook for everything else --------------------------------------------------------------


def unknown_element(self: Transformer, element: etree._Element, parent: etree._Element) -> None:
    """Keep the content of an element nobody handles, and say so with file and line (once per
    element name and file, with the count: a corpus can hold thousands)."""
    qname = etree.QName(element)
    label = qname.localname if qname.namespace == TEI_NS else qname.text
    where = (str(element.base or self.source), label)
    if where not in self.unhandled:
        self.unhandled[where] = [element.sourceline, 0]
    self.unhandled[where][1] += 1
    self.wrap(element, parent, "span", f"tei-{qname.localname}")


def report_unhandled(self: Transformer) -> None:
    for (file, label), (line, count) in self.unhandled.items():
        more = f" ({count} in this file; the first here)" if count > 1 else ""
        self.diagnostics.append(warning(
            f"no HTML rendering for <{label}>{more}: its content is kept as plain text",
            file, line, code="html-unhandled"))


# -- the document ------------------------------------------------------------------------------

# The document's elements are lxml.html's HtmlElement (find_class, drop_tag…), their class
# chosen in C: lxml.html's own parser asks Python for the class of every element Python touches
# (to give form controls classes of their own, which no writer uses), a seventh of the
# transform. A copy of the document keeps its parser, and so this choice.
HTML = etree.HTMLParser()
HTML.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))


Parameters = ParamSpec("Parameters")
Result = TypeVar("Result")


def cycle_collection_paused(function: Callable[Parameters, Result]) -> Callable[Parameters, Result]:
    """`function` run with Python's cycle collector paused (and restarted after it, as it was).

    The transform keeps objects of its own for each note until the end (the proxies of the
    elements it holds, footnotes, occurrences, apparatus entries), and each of the collector's
    full passes walks all of them again: a tenth of the transform of 50,000 notes, more per note
    the longer the text. The transform makes no cycles that need collecting while it runs."""

    @functools.wraps(function)
    def paused(*args: Parameters.args, **kwargs: Parameters.kwargs) -> Result:
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return paused


@cycle_collection_paused
def to_html(tree: etree._ElementTree, source: Path, resolved: Resolved | None = None) -> Document:
    """The semantic HTML document of a TEI edition (a TEI file or a teiCorpus of articles)."""
    root = tree.getroot()
    metadata = edition_metadata(root)
    html = HTML.makeelement("html", lang=metadata.language)
    head_ = html_element(html, "head")
    html_element(head_, "meta", charset="utf-8")
    html_element(head_, "title", metadata.title)
    for editor in metadata.editors:  # the book's authors (the PDF's Author) are its editors
        html_element(head_, "meta", name="author", content=editor)
    html_element(head_, "meta", name="description", content=metadata.subtitle)
    html_element(head_, "meta", name="keywords", content=", ".join(metadata.keywords))
    html_element(head_, "meta", name="dcterms.identifier", content=metadata.identifier)
    html_element(head_, "meta", name="dcterms.rights", content=metadata.licence)
    body = html_element(html, "body")
    title_page(body, metadata, root)
    contents = html_element(body, "nav", id="contents", class_="toc", role="doc-toc",
                            aria_labelledby="contents-heading")
    html_element(contents, "h2", "Contents", id="contents-heading")
    main = html_element(body, "main", id="text")
    transformer = Transformer(source, resolved or Resolved())
    transformer.editors = frozenset(root.xpath(
        "//*[self::tei:editor or self::tei:respStmt][ancestor::tei:teiHeader]/@xml:id",
        namespaces={"tei": TEI_NS}))
    transformer.render(root, main)
    report_unhandled(transformer)
    write_chronology(transformer, main)
    write_place_map(transformer, main)
    write_registers(transformer, main)
    unlink_missing_anchors(transformer, html)
    unlink_unsafe_links(transformer, html)
    tie_abbreviations_and_initials(main)
    add_permalinks(main)
    order_references(main)
    table_of_contents(contents, body)
    note_on_text.write_note_on_the_text(root, body, transformer.resolved.corpus)
    return Document(html, metadata, [*transformer.resolved.diagnostics,
                                     *transformer.diagnostics])


# "p. 227", "pp. 75-76", "no. 5", "vol. IV": the abbreviation never ends a line without its number.
# "I. Abilov", "M. D. Huseynov": an initial never ends a line apart from the name it abbreviates.
# Each pattern starts at the full stop, which the engine finds as a literal, and looks back from
# there: a look-behind tried at every character was three quarters of the ties' time.
LOCATORS = ("p", "pp", "no", "nos", "vol", "vols", "fol", "ch", "art")
AFTER_A_LOCATOR = "|".join(rf"(?<=\b{locator}\.)" for locator in LOCATORS)
NUMBER = r"(?:\d|[IVXLC]+\b)"
LOCATOR_AND_NUMBER = re.compile(rf"\.(?:{AFTER_A_LOCATOR})[ \t\n]+(?={NUMBER})")
LOCATOR_AT_THE_END = re.compile(rf"\.(?:{AFTER_A_LOCATOR}) $")
# The capitals of the Latin and Cyrillic scripts, not only A-Z and А-Я: "Ə. Topçubaşov",
# "Ş. Məmmədov", "Ё. Лукин", "Є. Коновалець" have initials too.
CAPITAL = "[" + "".join(chr(code) for code in range(ord("A"), 0x530) if chr(code).isupper()) + "]"
# An initial may be a digraph of a transliteration ("Sh. Eliava", "Kh. Sultanov").
INITIAL_AND_NAME = re.compile(rf"\.(?:(?<=(?<![\w.]){CAPITAL}\.)|(?<=(?<![\w.]){CAPITAL}[a-z]\.))"
                              rf"[ \t\n]+(?={CAPITAL})")


def tie_abbreviations_and_initials(main: etree._Element) -> None:
    """What a line break must not separate in any format, whatever the fonts' metrics do to
    the lines, in every text of the document (the witness's own notes included): a no-break
    space between a locator's abbreviation and its number, also where the witness's line ends
    between the two ("pp.<lb/>5"), and after an initial.

    Both need a full stop, so one pass over the texts that hold one does them: a pass over
    every text, and one over every line marker, were a third of the transform of a long text.
    The texts are read off the elements (as fast as XPath's `text()[contains(., '.')]` over
    the FRUS monograph, and each knows its holder without a lookup); the time is the patterns'
    (see LOCATORS)."""
    for element in main.iter():
        text, tail = element.text, element.tail
        if text and "." in text and isinstance(element.tag, str):
            tied = tied_text(text, next(iter(element), None))
            if tied != text:
                element.text = tied
        if tail and "." in tail and element is not main:
            tied = tied_text(tail, element.getnext())
            if tied != tail:
                element.tail = tied


def tied_text(text: str, following: etree._Element | None) -> str:
    """`text` with its locators and initials tied to what follows them (`following`: the
    element after the text, a line marker where the witness's line ends after a locator)."""
    tied = INITIAL_AND_NAME.sub(".\u00a0", LOCATOR_AND_NUMBER.sub(".\u00a0", text))
    if (LOCATOR_AT_THE_END.search(tied, len(tied) - 2) and is_line_marker(following)
            and re.match(NUMBER, following.tail or "")):
        tied = tied[:-1] + "\u00a0"
    return tied


def is_line_marker(element: etree._Element | None) -> bool:
    """Whether `element` is the marker of a witness line's beginning (see `line_beginning`)."""
    return (element is not None and isinstance(element.tag, str)
            and element.tag == "span" and "lb" in element.get("class", "").split())


def write_chronology(self: Transformer, main: etree._Element) -> None:
    """The chronology: every dated event of the articles in date order, each with the words
    of its sentence and a link to its place (article and witness line)."""
    rows = events(self.dates)
    if not rows:
        return
    section = html_element(main, "section", id="chronology", class_="chronology",
                           role="doc-appendix", aria_labelledby="chronology-title")
    html_element(section, "h2", "Chronology", id="chronology-title")
    html_element(section, "p", "The events the articles date, in date order, in the words of "
                 "the sentence that dates them, cut to the clause of each date where a sentence "
                 "dates several events or is long (“…” where words are left out); dates of one "
                 "event stand together; a name in square brackets is the editors’, for a “he” or "
                 "“she” the sentence before names. A date is as precise as the text states it: a "
                 "part of a month or a season is given in the text’s words and placed by the days "
                 "it may mean; a year the text leaves implicit (“August 10”) is the editors’, "
                 "supplied from the context. Left out are dates that only date a document the "
                 "text cites or quotes, or that the editors judge to mark a point of reference "
                 "rather than an event, and the dates of the works cited. The authors’ "
                 "references and note numbers are left out without “…”: each row leads to its "
                 "place in the text, which has them, and names an editors’ note on its words "
                 "(“see ed. 2”).",
                 class_="chronology-note")
    table = html_element(section, "table", class_="chronology-table")
    heading = html_element(html_element(table, "thead"), "tr")
    for name in ("Date", "Event", "Where"):
        html_element(heading, "th", name, scope="col")
    body = html_element(table, "tbody")
    for event in rows:
        row = html_element(body, "tr", class_="chronology-event")
        when = html_element(row, "td", class_="chronology-date")
        for position, (label, mention) in enumerate(zip(event.labels, event.mentions,
                                                        strict=True)):
            if position:  # dates of one event listed: "10, 12 and 14 March 1921"
                add_text(when, " and " if position == len(event.labels) - 1 else ", ")
            day, _, qualifier = label.partition(" (")  # "(planned)" is no part of the time
            html_element(when, "time", day, datetime=mention.element.get("when"))
            add_text(when, f" ({qualifier}" if qualifier else "")
        html_element(row, "td", unbroken(event.phrase), class_="chronology-phrase")
        where = html_element(row, "td", class_="chronology-place")
        link = html_element(where, "a", href="#" + event.mention.anchor, class_="chronology-link")
        html_element(link, "cite", event.mention.article_short_title)
        if event.mention.line:  # the witness's line; print gives the page instead
            html_element(link, "span", f", l.\u00a0{event.mention.line}",
                         class_="chronology-line")
        if event.notes:  # the row repeats words an editors' note corrects or explains
            add_text(where, "; see\u00a0")
            for position, note in enumerate(event.notes):
                add_text(where, (" and " if position == len(event.notes) - 1 else ", ")
                         if position else "")
                called = note.get("n", "").replace(" ", "\u00a0")
                anchor = self.note_anchors.get(note)
                if anchor:  # the note itself, a click away (the print names it)
                    html_element(where, "a", called, href="#" + anchor, class_="chronology-note")
                else:
                    add_text(where, called)


def short_title(title: str) -> str:
    """An article's title without its subtitle or dates, for a header that gives no short title
    (`<title type="short">`): "Kars conference", "On the road to Nakhchivan's autonomy"."""
    return re.split(r":| \(", title.strip("[]"), maxsplit=1)[0].strip()


def write_place_map(self: Transformer, main: etree._Element) -> None:
    """The map of the places the texts name, linked to their register entries; the places it
    cannot show are named under it."""
    registers = self.resolved.registers
    places = [entry for entry in registers.of_kind("place") if entry.ref in self.occurrences]
    if self.resolved.borders is None or not any(entry.location for entry in places):
        return
    homonyms = {heading for heading, count in Counter(e.heading for e in places).items()
                if count > 1}
    drawn = place_map(places, self.resolved.borders, lambda e: "#" + register_anchor(e),
                      lambda e: index_heading(e, homonyms))
    section = html_element(main, "section", id="map-of-places", class_="place-map",
                           role="doc-appendix", aria_labelledby="map-of-places-title")
    html_element(section, "h2", "Map of places", id="map-of-places-title")
    figure = html_element(section, "figure", class_="place-map-figure")
    figure.append(drawn.svg)
    caption = html_element(figure, "figcaption")
    add_text(caption, f"The {len(drawn.shown)} places of the texts whose coordinates GeoNames "
             "gives, under the names the texts use: ")
    linked_names(caption, drawn.shown, homonyms)
    if drawn.states:
        add_text(caption, ". The states of the texts named in capitals, as the countries of "
                 "today: ")
        for position, entry in enumerate(drawn.states):
            add_text(caption, ", " if position else "")
            html_element(caption, "a", entry.country, href="#" + register_anchor(entry))
            if entry.country != entry.heading:
                add_text(caption, f" (the texts’ {texts_name(entry)})")
    add_text(caption, f". Borders of today: {drawn.credit}.")
    beyond = [entry for entry in drawn.outside if entry.location]
    states_beyond = [entry for entry in drawn.outside if not entry.location]
    for entries, text in ((drawn.unnamed, "On the map without their names, for want of room "
                                          "(each a point linked to its entry)"),
                          (beyond, "Beyond the map’s frame"),
                          (states_beyond, "States beyond the map’s frame"),
                          (drawn.not_located, "Not on the map, places the edition’s register "
                                              "gives no coordinates for (none is guessed)")):
        if entries:
            listing = html_element(section, "p", class_="place-map-list")
            html_element(listing, "span", text + ": ", class_="place-map-list-label")
            linked_names(listing, entries, homonyms)
            add_text(listing, ".")


def texts_name(entry: Entry) -> str:
    """The shortest name the texts give a state drawn as a country of today under another
    name: "RSFSR" for the RSFSR drawn as Russia."""
    return min((form for form in entry.regular_forms if form != entry.country), key=len)


def linked_names(parent: etree._Element, entries: list[Entry], homonyms: set[str]) -> None:
    """Place names linked to their index entries, a shared heading told apart by its type."""
    for position, entry in enumerate(entries):
        if position:
            add_text(parent, ", ")
        html_element(parent, "a", index_heading(entry, homonyms),
                     href="#" + register_anchor(entry))


def index_heading(entry: Entry, homonyms: set[str]) -> str:
    """The heading as the index shows it: "Nakhchivan (region)" where two entries share it."""
    return f"{entry.heading} ({entry.type})" if entry.heading in homonyms and entry.type else (
        entry.heading)


REGISTERS = (("person", "Persons"), ("place", "Places"), ("org", "Organisations"))
AUTHORITY_NAMES = {"wikidata": "Wikidata", "geonames": "GeoNames", "viaf": "VIAF"}


def register_anchor(entry: Entry) -> str:
    return f"{entry.kind}-{entry.id}"


def write_registers(self: Transformer, main: etree._Element) -> None:
    """The index of names: each register entry that occurs, with its identification, forms,
    authority identifiers and its occurrences by article and witness line, linking back."""
    registers = self.resolved.registers
    if not self.occurrences:
        return
    index = html_element(main, "section", id="index-of-names", class_="registers",
                         role="doc-index")
    html_element(index, "h2", "Index of names", class_="registers-title")
    for kind, title in REGISTERS:
        entries = [entry for entry in registers.of_kind(kind) if entry.ref in self.occurrences]
        if not entries:
            continue
        register = html_element(index, "section", id=f"index-{kind}s", class_="register",
                                data_kind=kind)
        html_element(register, "h3", title)
        listing = html_element(register, "ul", class_="register-entries")
        homonyms = {heading for heading, count in Counter(e.heading for e in entries).items()
                    if count > 1}
        # homonyms file by their qualifier: "Kuku (mountain)" before "Kuku (village)"
        filed: list[tuple[tuple[str, str], str, list[Entry]]] = [
            ((index_order(entry.heading), index_order(entry.type or "")), "", [entry])
            for entry in entries]
        filed += [((index_order(form), ""), form, pointed)
                  for form, pointed in cross_references(entries).items()]
        for _, see_from, pointed in sorted(filed, key=lambda item: item[0]):
            if see_from:
                cross_reference(html_element(listing, "li", class_="register-see"), see_from,
                                pointed, homonyms)
                continue
            [entry] = pointed
            register_entry(html_element(listing, "li", id=register_anchor(entry),
                                        class_="register-entry"),
                           entry, self.occurrences[entry.ref], entry.heading in homonyms)


def cross_references(entries: list[Entry]) -> dict[str, list[Entry]]:
    """Each form a reader may look up (Entry.see_from) and the entries it leads to, from the
    registers alone; not a form that is another entry's own (its heading or a form of it
    read as written): the reader finds that entry there."""
    owners: dict[str, set[str]] = {}
    for entry in entries:
        for form in (entry.heading, *entry.regular_forms):
            owners.setdefault(form, set()).add(entry.ref)
    pointed: dict[str, list[Entry]] = {}
    for entry in entries:
        for form in entry.see_from:
            if owners.get(form, set()) <= {entry.ref}:
                pointed.setdefault(form, []).append(entry)
    return pointed


def cross_reference(item: etree._Element, form: str, entries: list[Entry],
                    homonyms: set[str]) -> None:
    """`Yusuf Kemal, see Tengirşenk, Yusuf Kemal`, `Nakhichevan, see Nakhchivan (region);
    Nakhchivan district`: a form filed where a reader looks for it, pointing to its entries."""
    html_element(item, "span", form, class_="headword")
    add_text(item, ", ")
    html_element(item, "em", "see", class_="see")
    add_text(item, " ")
    for position, entry in enumerate(entries):
        if position:
            add_text(item, "; ")
        html_element(item, "a", index_heading(entry, homonyms), href="#" + register_anchor(entry))


def register_entry(item: etree._Element, entry: Entry, occurrences: list[Occurrence],
                   homonym: bool = False) -> None:
    """One entry; a heading that two entries share gets the entry's type ("Nakhchivan (city)"),
    which an index that shows headings alone needs to tell them apart."""
    heading = f"{entry.heading} ({entry.type})" if homonym and entry.type else entry.heading
    html_element(item, "span", heading, class_="headword")
    if entry.dates:
        add_text(item, " ")
        html_element(item, "span", f"({entry.dates})", class_="dates")
    if entry.identification:
        add_text(item, " ")
        html_element(item, "span", entry.identification, class_="identification")
    forms = [form for form in (*entry.accepted, *entry.variants) if form != entry.regular]
    if forms:
        add_text(item, " ")
        listing = ", ".join(dict.fromkeys(forms))
        html_element(item, "span", f"Forms in the texts: {listing.removesuffix('.')}.",
                     class_="forms")  # "J. H.", not "J. H.."
    for authority in entry.authorities:
        add_text(item, " ")
        label = f"{AUTHORITY_NAMES.get(authority.scheme, authority.scheme)} {authority.value}"
        if authority.certainty:
            label += f" (certainty: {authority.certainty})"
        if authority.url:
            html_element(item, "a", label, href=authority.url, class_="authority", rel="external")
        else:
            html_element(item, "span", label, class_="authority")
    found = html_element(item, "span", class_="occurrences")
    for article, group in groupby(occurrences, key=lambda o: o.article):
        by_line = list({o.line: o for o in reversed(list(group))}.values())[::-1]
        add_text(found, " ")
        lines = html_element(found, "span", class_="occurrence-group", data_article=article)
        html_element(lines, "cite", by_line[0].article_title, class_="occurrence-article")
        add_text(lines, ": ")
        for number, occurrence in enumerate(by_line):
            if number:
                add_text(lines, ", ")
            html_element(lines, "a", f"l. {occurrence.line}" if occurrence.line else "text",
                         href="#" + occurrence.anchor, class_="occurrence")
        add_text(lines, ".")


def title_page(body: etree._Element, metadata: Metadata, root: etree._Element) -> None:
    """The edition's title, editors and imprint: sources, licence, publisher, date. The title
    and subtitle are set from the header, with its line breaks and its titles cited."""
    page = html_element(body, "header", id="title-page", class_="title-page")
    titles = f"{tei('teiHeader')}/{tei('fileDesc')}/{tei('titleStmt')}/{tei('title')}"
    main_title = root.find(f"{titles}[@type='main']")
    header_phrase(html_element(page, "h1", class_="edition-title"),
                  main_title if main_title is not None else root.find(titles))
    if metadata.subtitle:
        header_phrase(html_element(page, "p", class_="edition-subtitle"),
                      root.find(f"{titles}[@type='sub']"))
    # the articles' authors are not the book's: they are named in the contents and bylines
    if metadata.edited_by:
        html_element(page, "p", metadata.edited_by, class_="edition-editors")
    html_element(page, "p", f"{metadata.publisher} · {metadata.date}", class_="edition-publisher")
    imprint = html_element(body, "section", id="imprint", class_="imprint",
                           aria_labelledby="imprint-heading")
    html_element(imprint, "h2", "About this edition", id="imprint-heading")
    for article in root.findall(tei("TEI")) if root.tag != tei("TEI") else [root]:
        source = html_element(imprint, "p", "Source: ", class_="imprint-source")
        cite_source(source, article)
    if metadata.licence:  # what the header says, no empty line where it says nothing
        rights = html_element(imprint, "p", class_="imprint-licence")
        if metadata.licence_url:
            html_element(rights, "a", metadata.licence, href=metadata.licence_url, rel="license")
        else:
            rights.text = metadata.licence
    html_element(imprint, "p", f"{metadata.publisher}, {metadata.date}.",
                 class_="imprint-publisher")
    if metadata.identifier:
        html_element(imprint, "p", f"Identifier: {metadata.identifier}",
                     class_="imprint-identifier")


def table_of_contents(contents: etree._Element, body: etree._Element) -> None:
    """An entry for every article and register, with its headed sections below it."""
    entries = html_element(contents, "ol")
    for part in body.iterfind("main/*"):
        item = html_element(entries, "li")
        html_element(item, "a", plain_text(part.find(".//h2")), href="#" + part.get("id"))
        sections = [s for s in part.iterfind("section") if s.get("id") and len(s) and
                    s[0].tag in ("h3", "h4")]
        if sections:
            sublist = html_element(item, "ol")
            for section in sections:
                html_element(html_element(sublist, "li"), "a", plain_text(section[0]),
                             href="#" + section.get("id"))


def serialize(html: etree._Element) -> bytes:
    """HTML5 text with its doctype and an explicit UTF-8 declaration (WeasyPrint needs one)."""
    return lxml.html.tostring(html, encoding="utf-8", doctype="<!DOCTYPE html>")


# Handlers for other modules of TEI, each in its own module, registered in HANDLERS on import;
# the Note on the text (note_on_text.py), which renders header prose with this module's helpers.
from . import (  # noqa: E402, F401
    critical_apparatus,
    lists,
    manuscripts,
    note_on_text,
    standoff,
    verse,
)
