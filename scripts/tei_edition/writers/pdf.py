"""The PDF writer: the semantic HTML, set by WeasyPrint with the CSS Paged Media of styles/.

Book features (footnotes at the page foot, running heads, page-numbered contents and index,
bookmarks) are CSS; this module only rearranges what paged media needs in another place (a
footnote's text at its call) and packages the variants: the default reading PDF, `print` (trim
with bleed and crop marks) and `archive` (PDF/A-3b). Nothing outside the project is fetched: the
url_fetcher of resources.py refuses it with a warning.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import lxml.html
import weasyprint
from weasyprint.text.fonts import FontConfiguration

from ..atomic import atomic_path
from ..diagnostics import Diagnostic, Severity, warning
from ..html import Document, add_text, html_element, serialize
from ..resources import confined_url_fetcher
from . import PROJECT_ROOT, STYLES, BuildOptions, date_the_output, page_references, reading_copy

page_references.install()  # tagging linear in the pages (see page_references.py)
STYLESHEETS = ("edition.css", "print.css")
# The @font-face rules of styles/ register the shipped faces here; WeasyPrint ignores them unless
# this configuration reaches both the stylesheets and the render, and then sets the book in
# whatever fonts the machine happens to have.
SHIPPED_FONTS = FontConfiguration()
VARIANTS: dict[str | None, dict[str, object]] = {
    None: {"stylesheets": ()},
    "print": {"stylesheets": ("print-trim.css",)},
    "archive": {"stylesheets": (), "pdf_variant": "pdf/a-3b"},
}


def write_pdf(document: Document, output: Path, options: BuildOptions) -> None:
    """Render the edition to `output` (atomically: a failed render leaves the old file)."""
    variant = VARIANTS[options.variant]
    html = reading_copy(document)
    date_the_output(html, "PDF")
    footnotes_at_calls(html)
    paragraphs_split_at_captions(html)
    spaces_into_inline_boxes(html)
    fetcher = confined_url_fetcher(PROJECT_ROOT, options.report)
    rendering = {
        "stylesheets": [weasyprint.CSS(filename=str(STYLES / name), url_fetcher=fetcher,
                                       font_config=SHIPPED_FONTS)
                        for name in (*STYLESHEETS, *variant["stylesheets"])],
        "pdf_variant": variant.get("pdf_variant"),
        "pdf_tags": True,
    }
    with _weasyprint_messages(options.report), atomic_path(output, suffix=".pdf") as temporary:
        book = render(html, fetcher, rendering) if not html.find_class("registers") else (
            with_index(html, fetcher, rendering))
        book.write_pdf(temporary, **rendering)


def with_index(html: lxml.html.HtmlElement, fetcher: object,
               rendering: dict[str, object]) -> weasyprint.document.Document:
    """The edition with its index of names, whose page numbers come from the edition itself.

    The edition is rendered with only the index's first heading, on the recto where the index
    will start; the pages where the names fell fill the index, which is rendered on its own from
    that page number on and takes the place of the heading's page. The contents list the index
    as one part: its registers' pages are not known when the contents are set.
    """
    [index] = html.find_class("registers")
    for register in index.iterfind("section"):
        for entry in html.xpath("//nav//a[@href=$target]", target="#" + register.get("id")):
            entry.getparent().drop_tree()
    text = copy.deepcopy(html)
    [placeholder] = text.find_class("registers")
    for register in placeholder.iterfind("section"):
        placeholder.remove(register)
    book = render(text, fetcher, rendering)
    pages = anchor_pages(book)
    index_by_page(index, pages)
    first_page = pages[index.get("id")]
    body = html.find("body")
    for part in [*body, *body.find("main")]:
        if part is not index and index not in part.iterdescendants():
            part.drop_tree()
    numbering = weasyprint.CSS(string=f"@page :first {{ counter-reset: page {first_page} }}",
                               font_config=SHIPPED_FONTS)
    index_pages = render(html, fetcher, {**rendering,
                                         "stylesheets": [*rendering["stylesheets"], numbering]})
    return book.copy([*book.pages[:first_page - 1], *index_pages.pages])


def render(html: lxml.html.HtmlElement, fetcher: object,
           rendering: dict[str, object]) -> weasyprint.document.Document:
    return weasyprint.HTML(string=serialize(html).decode("utf-8"), base_url=str(STYLES) + "/",
                           url_fetcher=fetcher).render(font_config=SHIPPED_FONTS, **rendering)


def anchor_pages(pages: weasyprint.document.Document) -> dict[str, int]:
    """The page number (as printed: pages are numbered from 1) of every anchor."""
    return {anchor: number for number, page in enumerate(pages.pages, start=1)
            for anchor in page.anchors}


def index_by_page(html: lxml.html.HtmlElement, pages: dict[str, int]) -> None:
    """Replace the index's line references by the pages the occurrences fell on, each page once,
    linked to the first occurrence on it."""
    for occurrences in html.find_class("occurrences"):
        first_on_page: dict[int, str] = {}
        for link in occurrences.iterfind(".//a"):
            anchor = link.get("href", "")[1:]
            if anchor in pages:
                first_on_page.setdefault(pages[anchor], anchor)
        occurrences.clear()
        occurrences.set("class", "occurrences pages")
        for position, page in enumerate(sorted(first_on_page)):
            if position:
                add_text(occurrences, ", ")
            html_element(occurrences, "a", str(page), href="#" + first_on_page[page])


def footnotes_at_calls(html: lxml.html.HtmlElement) -> None:
    """Move each note's text to its first call, where CSS `float: footnote` sets it at the foot
    of that page; a later call to the same note stays a link to it."""
    first_calls: dict[str, lxml.html.HtmlElement] = {}
    for link in html.iterfind(".//a[@href]"):
        first_calls.setdefault(link.get("href"), link)  # one pass: a book has thousands of notes
    for section in html.find_class("footnotes"):
        for item in section.iterfind(".//li"):
            first = first_calls.get("#" + item.get("id", ""))
            if first is None:
                continue
            for apparatus in [*item.find_class("footnote-number"),
                              *item.find_class("footnote-back")]:
                apparatus.drop_tree()  # the float has its own marker and sits at its call
            note = lxml.html.Element("span", {"class": "footnote", "id": item.get("id"),
                                              "data-n": item.get("data-n", "")})
            note.text, note[:] = (item.text or "").lstrip(), list(item)
            note.tail = first.tail
            first.getparent().replace(first, note)
        for entry in html.xpath("//nav//a[@href=$target]", target="#" + section.get("id")):
            entry.getparent().drop_tree()
        section.drop_tree()


def paragraphs_split_at_captions(html: lxml.html.HtmlElement) -> None:
    """A caption the extraction dropped inside a paragraph stands between two parts of it: in
    print, the paragraph ends before the caption and goes on after it as a `continued`
    paragraph, which the print style does not indent (kept whole, WeasyPrint indented the words
    after the caption as if a new paragraph began there)."""
    for figure in html.xpath("//p/span[contains(concat(' ', @class, ' '), ' figure ')]"):
        paragraph = figure.getparent()
        continued = lxml.html.Element("p", {"class": " ".join(
            [*paragraph.get("class", "").split(), "continued"])})
        continued.text, figure.tail = figure.tail, None
        continued.extend(list(figure.itersiblings()))
        paragraph.addnext(figure)
        if continued.text or len(continued):
            figure.addnext(continued)
        if not (paragraph.text or "").strip() and not len(paragraph):
            paragraph.drop_tree()


INLINE_BOXES = ("a", "span", "time", "cite", "em")
NOT_IN_THE_LINE = ("footnote", "figure", "figcaption")


def spaces_into_inline_boxes(html: lxml.html.HtmlElement) -> None:
    """Move the word space before an inline element (a name's link, a date) into it.

    WeasyPrint 70, when an inline box does not fit at the end of a line, breaks the text before
    it at its first hyphenation point instead of at that space, leaving a line of a few
    stretched words ("policy, Turkey was not very inter-"). With the space inside the box, the
    break falls there. Footnote floats and blocks keep their spaces outside.
    """
    for element in html.find("body").iter(*INLINE_BOXES):
        if set(element.get("class", "").split()) & set(NOT_IN_THE_LINE):
            continue
        previous = element.getprevious()
        holder, attribute = (previous, "tail") if previous is not None else (
            element.getparent(), "text")
        before = getattr(holder, attribute) or ""
        if before[-1:].isspace():
            setattr(holder, attribute, before.rstrip())
            element.text = " " + (element.text or "")


class _Collector(logging.Handler):
    """WeasyPrint's log records, turned into the pipeline's diagnostics."""

    def __init__(self, report: object) -> None:
        super().__init__(logging.WARNING)
        self.report = report

    def emit(self, record: logging.LogRecord) -> None:
        diagnostic = warning(f"WeasyPrint: {record.getMessage()}", code="pdf-render")
        if record.levelno >= logging.ERROR:
            diagnostic = Diagnostic(Severity.ERROR, diagnostic.message, code="pdf-render")
        self.report(diagnostic)


@contextmanager
def _weasyprint_messages(report: object) -> Iterator[None]:
    logger = logging.getLogger("weasyprint")
    collector = _Collector(report)
    logger.addHandler(collector)
    try:
        yield
    finally:
        logger.removeHandler(collector)
