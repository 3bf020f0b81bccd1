"""The PDF writer: the semantic HTML, set by WeasyPrint with the CSS Paged Media of styles/.

Book features (footnotes at the page foot, running heads, page-numbered contents and index,
bookmarks) are CSS; this module only rearranges what paged media needs in another place (a
footnote's text at its call) and packages the variants: the default reading PDF, `print` (trim
with bleed and crop marks) and `archive` (PDF/A-3b). Nothing outside the project is fetched: the
url_fetcher of resources.py refuses it with a warning.
"""

from __future__ import annotations

import copy
import gc
import json
import logging
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

import lxml.html
import pydyf
import weasyprint
from weasyprint.text.fonts import FontConfiguration

from ..atomic import atomic_path
from ..diagnostics import Diagnostic, Severity, error, warning
from ..html import Document, add_text, html_element
from ..htmlpaths import contents_links
from ..lineation import (
    BLOCK,
    NUMBERED,
    PrintedLine,
    articles_relined,
    line_number_pool,
    line_of_anchors,
    mark_lineated_blocks,
    numbers_set,
    place_line_numbers,
    printed_lines,
    relined,
    without_the_pool,
)
from ..print_apparatus import (
    Apparatus,
    apparatus_below_footnotes,
    collect,
    drop_first_separators,
    set_page_foot_entries,
    shorten_footnote_rules,
)
from ..print_composition import (
    UNLIGATED_MARGINS,
    Fault,
    SetLine,
    citations_unbroken,
    compounds_unhyphenated,
    days_and_months_unbroken,
    faults,
    forbid_hyphenation,
    ligatures_kept_apart,
    line_shapes,
    number_blocks,
    only_blocks,
    ranges_unbroken,
    set_lines,
)
from ..print_editors_notes import key_editors_notes
from ..print_index_columns import balanced_index
from ..print_makeup import PageEnd, choose, justified_paragraphs, made_up, page_ends, trial
from ..print_matter import (
    authors_in_the_contents,
    chronology_by_page_and_line,
    editors_on_the_title_page,
    half_title,
    imprint_on_one_page,
    note_on_the_text,
)
from ..print_notes import present_lost_notes_and_references
from ..resources import confined_url_fetcher
from . import (
    PROJECT_ROOT,
    STYLES,
    TIMINGS,
    BuildOptions,
    anchor_lookup,
    captions_after_their_paragraphs,
    column_fill,
    date_the_output,
    font_feature_lists,
    footnote_measure,
    footnote_waitlist,
    footnotes_kept,
    label_figures_not_reproduced,
    page_references,
    reading_copy,
    style_tables,
)
from .article_slices import Cut, SliceMoved, read_in_slices, set_in_slices, sliced
from .book_parts import (
    SKELETON_CSS,
    anchors_by_page,
    article_alone,
    book_pages,
    folio_rule,
    main_articles,
    numbers_by_article,
    partable,
    pool_of,
    referenced_from_outside,
    skeleton,
    with_only,
)
from .fonts import LIGATURES
from .page_labels import with_page_labels
from .pdf_links import with_links_described
from .pdf_parts import write_pdf_in_parts
from .pdfx import black_ink_only, derive_document_id, name_printing_condition
from .weasyprint_tree import weasyprint_document

page_references.install()  # tagging linear in the pages (see page_references.py)
footnote_waitlist.install()  # pagination linear in the footnotes (footnote_waitlist.py)
footnotes_kept.install()  # the notes of a page's last line set (footnotes_kept.py)
footnote_measure.install()  # each note set once for the page foot's room (footnote_measure.py)
anchor_lookup.install()  # each id of a page looked up in one step (anchor_lookup.py)
column_fill.install()  # the index's columns in one layout a page (column_fill.py)
font_feature_lists.install()  # each text layout's font features freed with it
style_tables.install()  # the elements' styles dropped once the boxes hold theirs
STYLESHEETS = ("edition.css", "phrase-rendering.css", "print.css")
# The @font-face rules of styles/ register the shipped faces here; WeasyPrint ignores them unless
# this configuration reaches both the stylesheets and the render, and then sets the book in
# whatever fonts the machine happens to have.
SHIPPED_FONTS = FontConfiguration()
VARIANTS: dict[str | None, dict[str, object]] = {
    None: {"stylesheets": ()},
    "print": {"stylesheets": ("print-trim.css",), "bleed_mm": 3, "pdf_variant": "pdf/x-4",
              "black_ink": True},
    "archive": {"stylesheets": (), "pdf_variant": "pdf/a-3b"},
}


def write_pdf(document: Document, output: Path, options: BuildOptions) -> None:
    """Render the edition to `output` (atomically: a failed render leaves the old file)."""
    variant = VARIANTS[options.variant]
    html = reading_copy(document)
    date_the_output(html, "Typeset on")  # a press imprint's words, not a screen's
    apparatus = collect(html)
    present_lost_notes_and_references(html, apparatus)
    key_editors_notes(html, apparatus)
    footnotes_at_calls(html)
    calls_bound_to_their_word(html)
    captions_after_their_paragraphs(html)
    label_figures_not_reproduced(html)
    set_page_foot_entries(html, apparatus)
    chronology_by_page_and_line(html, apparatus)
    compounds_unhyphenated(html)
    ranges_unbroken(html)
    days_and_months_unbroken(html)
    citations_unbroken(html)
    if html.find_class("title-page") and html.find_class("toc"):
        half_title(html)
        editors_on_the_title_page(html)
        authors_in_the_contents(html)
        note_on_the_text(html, apparatus)
    # after the last words the print adds (the half-title repeats the title)
    unligated = ligatures_kept_apart(html, json.loads(LIGATURES.read_text(encoding="utf-8")))
    mark_lineated_blocks(html)
    number_blocks(html)
    spaces_into_inline_boxes(html)
    if variant.get("black_ink"):
        black_ink_only(html)
    fetcher = confined_url_fetcher(PROJECT_ROOT, options.report)
    profiles: dict[str, object] = {}  # the stylesheets' @color-profile rules (print-trim.css)
    rendering = {
        "stylesheets": [*(weasyprint.CSS(filename=str(STYLES / name), url_fetcher=fetcher,
                                         font_config=SHIPPED_FONTS, color_profiles=profiles)
                          for name in (*STYLESHEETS, *variant["stylesheets"])),
                        *([weasyprint.CSS(string=UNLIGATED_MARGINS)] if unligated else [])],
        "color_profiles": profiles,
        "pdf_variant": variant.get("pdf_variant"),
        "pdf_tags": True,
    }
    # The links' descriptions, read before typesetting takes the text apart (with_index).
    finisher = with_page_labels(next((a.get("id") for a in main_articles(html)), None),
                                with_links_described(html, bleed_box(variant.get("bleed_mm"))))
    with _weasyprint_messages(options.report) as messages, spaced_collections(), \
            atomic_path(output, suffix=".pdf", product="the PDF") as temporary:
        if html.find_class("imprint") and not imprint_on_one_page(
                html, imprint_fits(fetcher, rendering)):
            options.report(warning("the imprint is longer than a page even without its "
                                   "sources: it runs over from the title page's verso",
                                   code="imprint-runs-over"))
        lines: list[SetLine] = []
        with timed("setting and writing the PDF"):
            write_pdf_in_parts(typeset(html, fetcher, rendering, apparatus, lines), temporary,
                               finisher=finisher,
                               **{key: value for key, value in rendering.items()
                                  if key != "color_profiles"})  # a rendering's, not the PDF's
        for fault in faults(lines):
            options.report(unmended(fault))
        if messages.errors:  # said above; a PDF made with errors is not written
            raise error(f"WeasyPrint reported {messages.errors} error(s); the PDF is not "
                        "written", code="pdf-render")


def imprint_fits(fetcher: object, rendering: dict[str, object]
                 ) -> Callable[[lxml.html.HtmlElement], bool]:
    """Whether a book holding the imprint alone (print_matter.imprint_alone) sets it on one
    page, as the book sets it."""
    return lambda alone: len(render(alone, fetcher, rendering, "the imprint alone").pages) == 1


def bleed_box(millimetres: object) -> Callable[[object, pydyf.PDF], None] | None:
    """Declare the press's bleed as the PDF BleedBox (WeasyPrint puts it at most 10 pt from
    the trim, whatever the CSS bleed area, which here also holds the slug with the marks), and
    name the printing condition of the PDF/X output intent, its DocumentID not random (pdfx.py)."""
    if not isinstance(millimetres, int | float):
        return None
    distance = millimetres * 72 / 25.4

    def finish(_document: object, pdf: pydyf.PDF) -> None:
        for page in pdf.objects:
            if isinstance(page, pydyf.Dictionary) and "TrimBox" in page:
                left, top, right, bottom = page["TrimBox"]
                page["BleedBox"] = pydyf.Array([left - distance, top - distance,
                                                right + distance, bottom + distance])
        name_printing_condition(pdf)
        derive_document_id(pdf)

    return finish


def unmended(fault: Fault) -> Diagnostic:
    said = {"run": "a third hyphenated line in a row", "leaf": "a hyphen across a leaf turn"}
    return warning(f"PDF page {fault.page + 1}: {said[fault.why]} ({fault.word}) left after "
                   f"{ARTICLE_SETTINGS} settings of the articles", code="composition")


# The margin numbers stand this far (CSS px) outside the text, in the outer margin.
LINE_NUMBER_GAP = 4 * 96 / 25.4
# Settings of the articles at most to mend their hyphenation (print_composition.py): the
# first, then the rounds that read the lines and page breaks of the blocks mended.
ARTICLE_SETTINGS = 3


def typeset(html: lxml.html.HtmlElement, fetcher: object, rendering: dict[str, object],
            apparatus: Apparatus, lines: list[SetLine], in_parts: bool = True
            ) -> Iterator[weasyprint.document.Document]:
    """The book in two renderings, as reledmac sets a critical text: the articles alone give
    each lemma its printed line; then the book is set with those numbers in the apparatus, and
    the margin numbers are moved beside their lines.

    The articles are set with the apparatus at the page foot as the book sets them, so that
    they break into pages as in the book (each begins on a recto): the words hyphenated across
    a leaf or in a third line in a row are forbidden to hyphenate, and the articles holding
    them set again for their new lines (number_the_lines).

    The book comes in parts, each set only when the one before is taken (book_parts.py): one
    part's boxes in memory at a time, unless `in_parts` is false (or the book has no articles
    to part it by), when it is set whole. Its lines, book-wide page indices, go into `lines`
    (the faults left, which write_pdf reports).
    """
    with apparatus_below_footnotes():
        number_the_lines(html, fetcher, rendering, apparatus)
        parts = (book_in_parts(html, fetcher, rendering) if in_parts and partable(html)
                 else whole_book(html, fetcher, rendering))
        first_page = 0
        for part in parts:
            lines += from_page(first_page, set_lines(part))
            first_page += len(part.pages)
            yield part
            del part  # not alive beside the next part while that is set


def whole_book(html: lxml.html.HtmlElement, fetcher: object, rendering: dict[str, object]
               ) -> Iterator[weasyprint.document.Document]:
    """The book set whole, in one rendering: one part."""
    yield finished(with_index(html, fetcher, rendering) if html.find_class("registers")
                   else render(html, fetcher, rendering, "the book"))


def finished(part: weasyprint.document.Document,
             numbered_before: dict[str, int] | None = None) -> weasyprint.document.Document:
    """A part of the book (or the whole) as it is printed: its margin numbers beside their
    lines (counted on from `numbered_before`: a slice of an article), its page foot's rules and
    separators as print_apparatus.py sets them."""
    place_line_numbers(part, LINE_NUMBER_GAP, numbered_before)
    drop_first_separators(part)
    shorten_footnote_rules(part)
    return part


def number_the_lines(html: lxml.html.HtmlElement, fetcher: object,
                     rendering: dict[str, object], apparatus: Apparatus) -> None:
    """The first renderings: the printed line of each lemma into the apparatus, the margin
    numbers into the pool, once the hyphenation is mended (print_composition.py).

    The articles are set (each alone: read_alone), their faults mended, and the blocks
    mended set alone, for their new lines (a line's words do not depend on the page it falls
    on). A mended block whose lines keep their shapes (as many, as tall, each with the same
    note calls) moves no page break: its new lines take the pages of its old ones, and the
    faults are read from them. The articles holding a block that changed its shape (each
    begins on a recto, so the others' pages stay as they were) are set again: its new lines
    move the page breaks after it, and a recto may now end in a hyphen, or a mended block hold
    a run of them. The last mends are set as blocks alone, for their lines (a fault left,
    write_pdf reports).
    Each layout (boxes that refer to each other in cycles) is freed once read, before the next
    is set: one layout in memory at a time."""
    article_of = article_of_blocks(html)
    articles = read_alone(html, None, article_of, fetcher, rendering, "the articles")
    lines, first_lines, shapes, ends = (articles.lines, articles.set_lines, articles.shapes,
                                        articles.ends)
    as_set = by_article(first_lines, article_of)
    found = faults(first_lines)
    for _ in range(ARTICLE_SETTINGS - 1):
        mended = mend(html, found)
        if not mended:
            break
        alone = render(only_blocks(articles_only(html), mended), fetcher, rendering,
                       "the blocks mended")
        lines = relined(lines, mended, printed_lines(alone))
        alone_lines = [line for line in set_lines(alone) if line.block in mended]
        alone_shapes = line_shapes(alone)
        del alone
        gc.collect()
        reshaped = articles_holding(article_of, {block for block in mended
                                                 if alone_shapes.get(block) != shapes.get(block)})
        found = []
        for article in sorted(articles_holding(article_of, mended) - reshaped):
            as_set[article] = rewritten(as_set[article], alone_lines)
            found += faults(as_set[article])
        if reshaped:
            settled = read_alone(html, reshaped, article_of, fetcher, rendering,
                                 "the articles mended")
            lines = articles_relined(lines, settled.lines)
            as_set.update(by_article(settled.set_lines, article_of))
            shapes.update(settled.shapes)
            ends.update(settled.ends)
            found += faults(settled.set_lines)
    else:
        mended = mend(html, found)
        if mended:
            again = render(only_blocks(articles_only(html), mended), fetcher, rendering,
                           "the blocks mended")
            lines = relined(lines, mended, printed_lines(again))
            del again
            gc.collect()
    lines = make_up_pages(html, ends, shapes, lines, lambda paragraphs: render(
        paragraphs, fetcher, rendering, "the paragraphs made up"))
    apparatus.number_lines(line_of_anchors(lines), lines)
    line_number_pool(html, lines)


def make_up_pages(html: lxml.html.HtmlElement, ends: dict[str, list[PageEnd]],
                  shapes: dict[str, list[tuple[object, ...]]], lines: list[PrintedLine],
                  set_alone: Callable[[lxml.html.HtmlElement], weasyprint.document.Document]
                  ) -> list[PrintedLine]:
    """A paragraph set a line tighter or looser on each page of the articles that ends short
    (print_makeup.py): the paragraphs chosen are tried in their settings in one rendering of
    them alone; `lines` with the lines of those that won."""
    chosen = choose(ends, justified_paragraphs(html))
    if not chosen:
        return lines
    articles = articles_only(html)
    alone = set_alone(only_blocks(articles, trial(articles, chosen)))
    faulty = {fault.block for fault in faults(set_lines(alone)) if fault.why == "run"}
    settings = printed_lines(alone)
    del alone
    gc.collect()
    won = made_up(html, chosen, {block: len(block_shapes)
                                 for block, block_shapes in shapes.items()}, settings, faulty)
    return relined(lines, {line.block for line in won}, won)


@dataclass
class ArticlesRead:
    """What the lineation reads of a rendering of articles: their printed lines, their set
    lines, their blocks' shapes and their page ends (print_makeup.py)."""

    lines: list[PrintedLine]
    set_lines: list[SetLine]
    shapes: dict[str, list[tuple[object, ...]]]
    ends: dict[str, list[PageEnd]]


def read_alone(html: lxml.html.HtmlElement, kept: set[str] | None, article_of: dict[str, str],
               fetcher: object, rendering: dict[str, object], what: str) -> ArticlesRead:
    """The articles of `kept` (all, if None), each set alone (a long one in slices:
    article_slices.py), read and freed before the next: one rendering's boxes in memory at a
    time, not the whole text's. Each begins on a recto, so the page indices are those of one
    rendering of them all: the next article's first page is the first recto after the one
    before."""
    read = ArticlesRead([], [], {}, {})
    first_page = 0
    for article in main_articles(html):
        if kept is not None and article.get("id") not in kept:
            continue
        document = articles_only(html, kept_elements=[article])
        slices, cuts = read_in_slices(
            document, main_articles(document)[0], renderer(fetcher, rendering, what),
            lambda alone, cut: read_slice(alone, cut, article_of))
        for cut, (lines, lines_set, shapes, ends) in zip(cuts, slices, strict=True):
            read.lines += from_page(first_page + cut.first_page, lines)
            read.set_lines += from_page(first_page + cut.first_page, lines_set)
            read.shapes.update(shapes)
            for article_id, article_ends in ends.items():
                before = read.ends.setdefault(article_id, [])
                before += [replace(end, page=end.page + len(before)) for end in article_ends]
        pages = sum(cut.pages for cut in cuts)
        first_page += pages + pages % 2
        del document
        gc.collect()
    return read


def read_slice(alone: weasyprint.document.Document, cut: Cut, article_of: dict[str, str]
               ) -> tuple[list[PrintedLine], list[SetLine], dict[str, list[tuple[object, ...]]],
                          dict[str, list[PageEnd]]]:
    """What read_alone reads of a rendering of (a slice of) an article: its printed lines
    (counted on from the slice's first), set lines, blocks' shapes and page ends, each
    page's index its own."""
    return (printed_lines(alone, cut.lines_before), set_lines(alone), line_shapes(alone),
            page_ends(alone, article_of))


LineT = TypeVar("LineT", PrintedLine, SetLine)


def from_page(first_page: int, lines: list[LineT]) -> list[LineT]:
    """`lines` of a part set alone, their page indices the book's: the part begins on the
    book's page `first_page` (index)."""
    return [replace(line, page=line.page + first_page) for line in lines]


def by_article(lines: list[SetLine], article_of: dict[str, str]) -> dict[str, list[SetLine]]:
    """The lines of a rendering of whole articles, by the article that holds them."""
    grouped: dict[str, list[SetLine]] = {}
    for line in lines:
        grouped.setdefault(article_of.get(line.block, ""), []).append(line)
    return grouped


def rewritten(lines: list[SetLine], set_again: list[SetLine]) -> list[SetLine]:
    """`lines` with the words of the blocks of `set_again` (set alone, each in as many lines
    of the same shape) put in the lines they had: the pages are as they were."""
    again: dict[str, list[SetLine]] = {}
    for line in set_again:
        again.setdefault(line.block, []).append(line)
    taken = {block: iter(block_lines) for block, block_lines in again.items()}
    return [replace(line, text=new.text, hyphen=new.hyphen) if line.block in taken
            and (new := next(taken[line.block])) else line for line in lines]


def mend(html: lxml.html.HtmlElement, found: list[Fault]) -> set[str]:
    """Forbid the hyphenation of the words at fault; the blocks changed."""
    changed = forbid_hyphenation(html, found)
    if changed:
        spaces_into_inline_boxes(html)
    return changed


def articles_only(html: lxml.html.HtmlElement, kept: set[str] | None = None,
                  kept_elements: list[lxml.html.HtmlElement] | None = None
                  ) -> lxml.html.HtmlElement:
    """The articles' text (those of `kept` ids or `kept_elements` alone, if given) without the
    front and back matter: all the lineation needs (a line holds the same words wherever the
    page breaks fall)."""
    chosen = kept_elements if kept_elements is not None else [
        article for article in main_articles(html) if kept is None or article.get("id") in kept]
    articles = with_only(html, chosen)
    for back in articles.xpath("//article/section[not(contains(concat(' ', @class, ' '), "
                               "' div '))]"):
        back.drop_tree()
    return articles


def article_of_blocks(html: lxml.html.HtmlElement) -> dict[str, str]:
    """The id of the article (the nearest, where articles nest) holding each numbered block."""
    return {element.get(BLOCK): article.get("id") for article in html.iter("article")
            for element in article.iter() if element.get(BLOCK)}


def articles_holding(article_of: dict[str, str], blocks: set[str]) -> set[str]:
    """The ids of the articles that hold the blocks numbered `blocks` (article_of_blocks)."""
    return {article_of[block] for block in blocks if block in article_of}


def with_index(html: lxml.html.HtmlElement, fetcher: object,
               rendering: dict[str, object]) -> weasyprint.document.Document:
    """The edition with its index of names, whose page numbers come from the edition itself.

    The edition is rendered with only the index's first heading, on the recto where the index
    will start; the pages where the names fell fill the index, which is rendered on its own from
    that page number on and takes the place of the heading's page. The contents list the index
    as one part: its registers' pages are not known when the contents are set.
    """
    book = render(without_index(html), fetcher, rendering, "the book")
    first_page, index = set_index(html, anchor_pages(book), fetcher, rendering)
    return book.copy([*book.pages[:first_page - 1], *index.pages])


def without_index(html: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """A copy of the book with only the index's first heading; the contents' entries of the
    index's registers are dropped (from `html` too)."""
    [index] = html.find_class("registers")
    contents = contents_links(html)
    for register in index.iterfind("section"):
        for entry in contents.get("#" + register.get("id"), []):
            entry.getparent().drop_tree()
    text = copy.deepcopy(html)
    [placeholder] = text.find_class("registers")
    for register in placeholder.iterfind("section"):
        placeholder.remove(register)
    return text


def set_index(html: lxml.html.HtmlElement, pages: dict[str, int], fetcher: object,
              rendering: dict[str, object]) -> tuple[int, weasyprint.document.Document]:
    """The index set on its own (all else is dropped from `html`), its numbers the folios of
    the book's `pages` (anchor_pages of the book set without it); with the page (counted from
    1) of the book it begins on."""
    [index] = html.find_class("registers")
    # The folios restart at 1 with the first article (print.css): printed = physical - front.
    articles = [pages[article.get("id")] for article in html.xpath("//article[@id]")
                if article.get("id") in pages]
    front = min(articles, default=1) - 1
    index_by_page(index, {anchor: page - front for anchor, page in pages.items()})
    first_page = pages[index.get("id")]
    body = html.find("body")
    for part in [*body, *body.find("main")]:
        if part is not index and index not in part.iterdescendants():
            part.drop_tree()
    index_rendering = with_stylesheet(rendering, folio_rule(first_page - front))
    return first_page, balanced_index(
        lambda: render(html, fetcher, index_rendering, "the index"), index)


def book_in_parts(html: lxml.html.HtmlElement, fetcher: object, rendering: dict[str, object]
                  ) -> Iterator[weasyprint.document.Document]:
    """The book in parts (book_parts.py): its front matter, each article, its back matter and
    its index (with_index's, its numbers from the skeleton's pages). Each article is set alone
    to count its pages and the ids on each, the skeleton of the book from them, and each
    article again, its folios the book's, when the parts before it are taken."""
    registers = html.find_class("registers")
    text = without_index(html) if registers else html
    [pool] = text.find_class("line-number-pool") or [None]
    numbers = numbers_by_article(pool)
    articles = main_articles(text)

    def set_alone(article: lxml.html.HtmlElement, stylesheet: str, what: str,
                  pool_first: bool = False) -> weasyprint.document.Document:
        return renderer(fetcher, rendering, what)(article_alone(
            text, article, pool, numbers.get(article.get("id"), []), pool_first), stylesheet)

    def with_own_numbers(article: lxml.html.HtmlElement, cut: Cut, following: Cut | None,
                         numbers: list[lxml.html.HtmlElement], given: dict[int, int]) -> None:
        """The margin numbers of the lines of the slice `cut` open it (pool_first); how many,
        into `given` at its first page."""
        if pool is None:
            return
        after = following.lines_before if following is not None else {}
        own = pool_of(pool, [number for number in numbers
                             if cut.lines_before.get(number.get("data-article"), 0)
                             < int(number.get(NUMBERED))
                             <= after.get(number.get("data-article"), sys.maxsize)])
        given[cut.first_page] = len(own)
        article.insert(0, own)

    def set_for_the_book(number: int) -> Iterator[weasyprint.document.Document]:
        article, folio = articles[number], starts[number] - starts[0] + 1
        if cuts[number] is None:
            part = finished(set_alone(article, folio_rule(folio), "the book's article",
                                      overrun[number]))
            pages_set = len(part.pages)
            if number < len(articles) - 1 or overrun[number]:
                without_the_pool(part)
            yield part
        else:
            alone = article_alone(text, article, None, [])
            own, given = numbers.get(article.get("id"), []), {}
            slices = set_in_slices(
                alone, alone.get_element_by_id(article.get("id")),
                renderer(fetcher, rendering, "the book's article"), cuts[number], folio,
                lambda copied, cut, following: with_own_numbers(copied, cut, following, own,
                                                                given))
            pages_set = 0
            try:
                for part, cut in zip(slices, cuts[number], strict=True):
                    if numbers_set(part) != given.get(cut.first_page, 0):
                        raise SliceMoved(f"the margin numbers of the slice from block "
                                         f"{cut.start} run beyond its pages")
                    finished(part, cut.lines_before)
                    without_the_pool(part)
                    pages_set += len(part.pages)
                    yield part
            except SliceMoved as moved:
                raise error(f"the article {article.get('id')!r} set for the book in slices: "
                            f"{moved}; the PDF is not written", code="pdf-parts") from None
        if pages_set != len(articles_pages[number]):  # its slot in the book is wrong
            raise error(f"the article {article.get('id')!r} set for the book took "
                        f"{pages_set} pages, {len(articles_pages[number])} when counted; "
                        "the PDF is not written", code="pdf-parts")

    articles_pages, overrun, cuts = [], [], []
    for article in articles:
        if sliced(article):
            alone = article_alone(text, article, None, [])
            counted, article_cuts = read_in_slices(
                alone, alone.get_element_by_id(article.get("id")),
                renderer(fetcher, rendering, "the book's article counted"),
                lambda part, _, article=article: anchors_by_page(part, article))
            articles_pages.append([page for part in counted for page in part])
            overrun.append(False)
            cuts.append(article_cuts)
            del alone
        else:
            counted = set_alone(article, "", "the book's article counted")
            articles_pages.append(anchors_by_page(counted, article))
            overrun.append(numbers_set(counted) < len(numbers.get(article.get("id"), [])))
            cuts.append(None)
        del counted
        gc.collect()
    book = finished(render(skeleton(text, articles_pages, referenced_from_outside(html)), fetcher,
                           with_stylesheet(rendering, SKELETON_CSS), "the book"))
    pages = anchor_pages(book)
    if any(article.get("id") not in pages for article in articles):  # not an anchor to WeasyPrint
        yield from whole_book(html, fetcher, rendering)
        return
    starts = [pages[article.get("id")] - 1 for article in articles]
    end, index = (set_index(html, pages, fetcher, rendering) if registers else
                  (len(book.pages) + 1, None))
    kept = book.pages[:end - 1]
    for start, article_pages in zip(starts, articles_pages, strict=True):
        kept[start:start + len(article_pages)] = [None] * len(article_pages)  # set again
    skeleton_kept = book.copy(kept)
    del book  # its articles' empty pages, 0.1 MB each, not beside the articles set again
    yield from book_pages(skeleton_kept, starts, set_for_the_book)
    if index is not None:
        yield finished(index)


def renderer(fetcher: object, rendering: dict[str, object], what: str
             ) -> Callable[[lxml.html.HtmlElement, str], weasyprint.document.Document]:
    """`render` of a document with one more stylesheet (CSS text, or ""): book_parts.Render,
    article_slices.Render."""
    return lambda html, css: render(html, fetcher, with_stylesheet(rendering, css), what)


def with_stylesheet(rendering: dict[str, object], css: str) -> dict[str, object]:
    """`rendering` with one more stylesheet, `css` (none if empty)."""
    if not css:
        return rendering
    return {**rendering, "stylesheets": [*rendering["stylesheets"], weasyprint.CSS(
        string=css, font_config=SHIPPED_FONTS)]}


def render(html: lxml.html.HtmlElement, fetcher: object, rendering: dict[str, object],
           what: str) -> weasyprint.document.Document:
    """One WeasyPrint rendering of `html`; `what` names it for EDITION_TIMINGS.

    What the rendering no longer needs once its pages are set (the styles of every element and
    pseudo-element, cached in cycles) is collected at once: left to Python's own pace, it lived
    on through the next rendering or the writing of the book, some 0.8 MB a page (59 synthetic
    pages: peak 287 → 252 MB)."""
    with timed(what) as made:
        made.append(weasyprint_document(html, STYLES, fetcher).render(
            font_config=SHIPPED_FONTS, **rendering))
    gc.collect()
    return made[0]


@contextmanager
def timed(what: str) -> Iterator[list[weasyprint.document.Document]]:
    """Time the block (CPU and wall) and print it when EDITION_TIMINGS is set, with the pages
    of the rendering the block puts in the list it is given."""
    made: list[weasyprint.document.Document] = []
    cpu, wall = time.process_time(), time.perf_counter()
    yield made
    if os.environ.get(TIMINGS):
        pages = f", {len(made[0].pages)} pages" if made else ""
        print(f"timing: {what}{pages}: {time.process_time() - cpu:.2f} s CPU, "
              f"{time.perf_counter() - wall:.2f} s", file=sys.stderr)


def anchor_pages(pages: weasyprint.document.Document) -> dict[str, int]:
    """The page number (counted from 1) where every anchor begins: an element set over
    several pages (an article) has its anchor on each of them."""
    found: dict[str, int] = {}
    for number, page in enumerate(pages.pages, start=1):
        for anchor in page.anchors:
            found.setdefault(anchor, number)
    return found


def index_by_page(html: lxml.html.HtmlElement, pages: dict[str, int]) -> None:
    """Replace the index's line references by the pages the occurrences fell on, each page once,
    consecutive pages as a range ("20–25"), linked to the first occurrence."""
    for occurrences in html.find_class("occurrences"):
        first_on_page: dict[int, str] = {}
        for link in occurrences.iterfind(".//a"):
            anchor = link.get("href", "")[1:]
            if anchor in pages:
                first_on_page.setdefault(pages[anchor], anchor)
        occurrences.clear()
        occurrences.set("class", "occurrences pages")
        runs: list[list[int]] = []
        for page in sorted(first_on_page):
            if runs and page == runs[-1][-1] + 1:
                runs[-1].append(page)
            else:
                runs.append([page])
        for position, run in enumerate(runs):
            if position:
                add_text(occurrences, ", ")
            html_element(occurrences, "a", str(run[0]) if len(run) == 1 else
                         f"{run[0]}–{run[-1]}", href="#" + first_on_page[run[0]])


def footnotes_at_calls(html: lxml.html.HtmlElement) -> None:
    """Move each note's text to its first call, where CSS `float: footnote` sets it at the foot
    of that page; a later call to the same note stays a link to it. The note's own call comes
    first: a cross-reference to the note ("see note 1") may come before it in the HTML, inside
    another note's text, where a float in a float is never set and the note's id is lost."""
    first_calls: dict[str, lxml.html.HtmlElement] = {}
    for link in html.iterfind(".//a[@role='doc-noteref'][@href]"):
        first_calls.setdefault(link.get("href"), link)  # one pass: a book has thousands of notes
    for link in html.iterfind(".//a[@href]"):  # a note without a call: its first reference
        first_calls.setdefault(link.get("href"), link)
    contents = contents_links(html)
    for section in html.find_class("footnotes"):
        for item in section.iterfind("ol/li"):  # the notes, not the items of a list in one
            first = first_calls.get("#" + item.get("id", ""))
            if first is None:
                continue
            label = item.find_class("footnote-number")  # "probably 3": the marker says so
            marker = label[0].text_content() if label else item.get("data-n", "")
            for apparatus in [*item.find_class("footnote-number"),
                              *item.find_class("footnote-back")]:
                apparatus.drop_tree()  # the float has its own marker and sits at its call
            # a call or marker of two words ("ed. 5", "probably 3") never breaks in two; the
            # call is the number of its own call (37 of the note "37–38" that 37 and 38 share)
            call_number = first.get("data-n") or item.get("data-n", "")
            note = lxml.html.Element("span", {"class": item.get("class", "footnote"),
                                              "id": item.get("id"),
                                              "data-n": call_number.replace(" ", NBSP),
                                              "data-marker": marker.replace(" ", NBSP)})
            if item.get("data-tei"):
                note.set("data-tei", item.get("data-tei"))
            note.text, note[:] = (item.text or "").lstrip(), list(item)
            note.tail = first.tail
            collapse_white_space(note)
            if len(note) and note[-1].tail and not note[-1].tail.strip():
                note[-1].tail = None  # the space before the back-links dropped: no empty line
            first.getparent().replace(first, note)
        for entry in contents.get("#" + section.get("id"), []):
            entry.getparent().drop_tree()
        section.drop_tree()


def calls_bound_to_their_word(html: lxml.html.HtmlElement) -> None:
    """A note's call never opens a line: the word before it and the call (a note's float, or
    the link of a note whose text is lost) are set as one unbreakable box ("September.¹⁵"),
    which WeasyPrint would otherwise break between."""
    for note in [*html.find_class("footnote"), *html.find_class("footnote-ref")]:
        previous = note.getprevious()
        holder, attribute = (previous, "tail") if previous is not None else (
            note.getparent(), "text")
        before = getattr(holder, attribute) or ""
        word = re.search(r"\S+$", before)
        if word is None:
            continue
        setattr(holder, attribute, before[:word.start()])
        bound = lxml.html.Element("span", {"class": "with-call"})
        bound.text, bound.tail, note.tail = word.group(), note.tail, None
        note.addprevious(bound)
        bound.append(note)


COLLAPSIBLE = re.compile(r"[ \t\n\r\f]+")


def collapse_white_space(note: lxml.html.HtmlElement) -> None:
    """Collapse the white space of a footnote's text as CSS would (runs into one space, none
    after a space).

    WeasyPrint 70 takes a footnote float out of the box tree before it collapses white space,
    so the float keeps the source's line ends: a space before a newline, ordinary in
    pretty-printed TEI, then stops the render on an assertion ("Got ' \\n' between two lines").
    """
    after_space = False
    for holder, attribute in _texts_in_order(note):
        text = COLLAPSIBLE.sub(" ", getattr(holder, attribute) or "")
        if after_space:
            text = text.lstrip(" ")
        if text:
            after_space = text.endswith(" ")
        setattr(holder, attribute, text or None)


def _texts_in_order(element: lxml.html.HtmlElement) -> Iterator[tuple[object, str]]:
    """The text and the children's tails inside `element`, in reading order."""
    yield element, "text"
    for child in element:
        yield from _texts_in_order(child)
        yield child, "tail"


INLINE_BOXES = ("a", "span", "time", "cite", "em")
NOT_IN_THE_LINE = ("footnote", "figure", "figcaption")
UNBREAKABLE = ("unbroken", "cited-range", "with-call")  # print.css: `white-space: nowrap`
INITIAL_AT_END = re.compile(r"(?<![\w.])[A-ZА-Я]\.\s$")  # html.py ties those in one text
NBSP = "\u00a0"


def spaces_into_inline_boxes(html: lxml.html.HtmlElement) -> None:
    """Move the word space before an inline element (a name's link, a date) into it.

    WeasyPrint 70, when an inline box does not fit at the end of a line, breaks the text before
    it at its first hyphenation point instead of at that space, leaving a line of a few
    stretched words ("policy, Turkey was not very inter-"). With the space inside the box, the
    break falls there. Footnote floats and blocks keep their spaces outside. A box that never
    breaks (print.css: `white-space: nowrap`) would not break at its own first space either: it
    is set in a box of its own that holds the space ("(11,| p. 53–54)", not "(11, p. 53–54)" on
    the next line and a loose line before it).
    """
    for element in list(html.find("body").iter(*INLINE_BOXES)):
        classes = set(element.get("class", "").split())
        if classes & set(NOT_IN_THE_LINE):
            continue
        previous = element.getprevious()
        holder, attribute = (previous, "tail") if previous is not None else (
            element.getparent(), "text")
        before = getattr(holder, attribute) or ""
        if not COLLAPSIBLE.fullmatch(before[-1:]):  # a no-break space ties: it stays
            continue
        setattr(holder, attribute, before.rstrip())
        if classes & set(UNBREAKABLE):
            spaced = lxml.html.Element("span")
            spaced.text, spaced.tail, element.tail = " ", element.tail, None
            element.addprevious(spaced)
            spaced.append(element)
        else:  # an initial before a name in an element of its own is tied to it: "B. | Sha…"
            space = NBSP if INITIAL_AT_END.search(before) else " "
            element.text = space + (element.text or "")


# Allocations between two collections of Python's youngest generation while a PDF is set.
ALLOCATIONS_PER_COLLECTION = 100_000


@contextmanager
def spaced_collections() -> Iterator[None]:
    """Collect cycles less often while the book is set: a rendering allocates millions of boxes
    that live until it is dropped, and at Python's default pace (every 700 allocations) the
    collector went through the whole growing layout again and again, some 1.5 s of a build.
    Each of the lineation's renderings is collected as soon as it is read (number_the_lines):
    left to the spaced collections, it lived beside the next one."""
    thresholds = gc.get_threshold()
    gc.set_threshold(ALLOCATIONS_PER_COLLECTION, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


class _Collector(logging.Handler):
    """WeasyPrint's log records, turned into the pipeline's diagnostics; counts the errors."""

    def __init__(self, report: object) -> None:
        super().__init__(logging.WARNING)
        self.report = report
        self.errors = 0

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        diagnostic = warning(f"WeasyPrint: {message}", code="pdf-render")
        # An image WeasyPrint could not load is left out, as the HTML stage leaves out an image
        # it refuses (resources.py has said why); anything else it calls an error is one.
        if record.levelno >= logging.ERROR and not message.startswith("Failed to load image"):
            diagnostic = Diagnostic(Severity.ERROR, diagnostic.message, code="pdf-render")
            self.errors += 1
        self.report(diagnostic)


@contextmanager
def _weasyprint_messages(report: object) -> Iterator[_Collector]:
    logger = logging.getLogger("weasyprint")
    collector = _Collector(report)
    logger.addHandler(collector)
    try:
        yield collector
    finally:
        logger.removeHandler(collector)
