"""A long article set in slices, one slice's layout in memory at a time.

WeasyPrint computes the styles of every element, builds every box and lays out every page of a
document before a page can be read: some 2.9 MB a page, 3.7 GB for an article of 1,000 pages (a
FRUS volume is one TEI text). book_parts.py sets a book an article at a time; an article of
more than SLICE_CHARACTERS of text is set here in slices of about that much, each a rendering of
its own that reproduces the pages of the article set whole:
- a slice begins with a block that begins a page of the article, where no note called on the
  pages before is set (a note deferred to the next page would be lost between two slices);
- its top margin is dropped where the page break truncated it in the article;
- the elements before it are kept as empty elements not displayed, so that a selector of place
  (`main p + p`, `:first-of-type`) selects as in the article; its ancestors give up their ids,
  whose anchors are on the slice before;
- it is set as the article's ordinary pages (print.css: `article.slice-continued`), on its
  first page's side (`html.slice-on-verso`), its first folio that page's, the running heads' strings
  those set before it (the article's title, or the last one before it, gives them);
- it is rendered with LOOK_AHEAD_CHARACTERS of the blocks after it: its last pages are laid out
  as the article lays them out when text follows (widows, notes deferred), and those pages are
  left to the next slice;
- every cut is checked: the next slice's first CHECKED_PAGES pages must read as the pages after
  the cut in the slice before (each line's text, block and baseline, in the text and at the
  page foot, and the running heads and folios). If they do not, or no page of a slice can begin
  one, the article is set whole, as it always was (EDITION_TIMINGS says so). When the book sets
  the slices again, each must stop where the next begins, or the PDF is not written.
An article under 1.5 slices is set whole: its pages, and every PDF until now, are unchanged.
"""

from __future__ import annotations

import copy
import gc
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import TypeVar

import lxml.html
import weasyprint
from weasyprint.formatting_structure import boxes

from ..lineation import BLOCK, printed_lines
from ..print_composition import line_text, page_lines
from . import TIMINGS
from .book_parts import folio_rule, stand_in

# About 100 pages of the synthetic text dense with notes (1,950 characters a page, notes
# included; more of the edition's prose): some 300 MB of layout a slice.
SLICE_CHARACTERS = 195_000
# The text rendered after a slice, to be set again at the head of the next: 6–8 pages.
LOOK_AHEAD_CHARACTERS = 15_000
# A slice's last two pages are set as its end makes them (a paragraph's widows pulled over),
# not as the article goes on: they are the next slice's, never its cut nor checked.
PAGES_AT_THE_END = 2
CHECKED_PAGES = 3  # the pages of the slice before that the next slice's first must equal
TITLE = "article-title"  # the class whose element sets the running heads (print.css)
RUNNING_HEADS = ("data-short-title", "data-verso-head")  # its attributes that give them
CONTINUED, ON_VERSO = "slice-continued", "slice-on-verso"  # print.css
NOTES, FIGURE = {"footnote", "app-note"}, "figure"  # set out of the lines (print_composition.py)
CALL = "::footnote-call"  # the element_tag of a note's call in a line

# A rendering of the document with one more stylesheet (CSS text, or "").
Render = Callable[[lxml.html.HtmlElement, str], weasyprint.document.Document]
Read = TypeVar("Read")


@dataclass(frozen=True)
class Cut:
    """A slice of an article: the block it begins with (None: the article's beginning), the
    block its rendering stops before (None: the article's end), the index of its first page in
    the article, the pages it keeps and the printed lines before it (of each article: articles
    nest), from which its own are counted on (lineation.printed_lines); and whether the page
    break truncated the start block's top margin in the article (CSS Fragmentation; WeasyPrint
    keeps it where the page is named, as print.css names an article's)."""

    start: str | None
    stop: str | None
    first_page: int
    pages: int
    lines_before: dict[str, int]
    top_margin_dropped: bool = False  # the start block's, at the head of its page


def sliced(article: lxml.html.HtmlElement) -> bool:
    """Whether `article` is long enough to be set in slices."""
    return len(article.text_content()) > SLICE_CHARACTERS * 3 // 2


def read_in_slices(html: lxml.html.HtmlElement, article: lxml.html.HtmlElement, render: Render,
                   read: Callable[[weasyprint.document.Document, Cut], Read],
                   first_folio: int | None = None) -> tuple[list[Read], list[Cut]]:
    """What `read` reads of each slice of `article` (an element of `html`, the document it is
    set in) and the cuts, found and checked (module docstring); of the article set whole, one
    cut, if it is short or cannot be sliced. Each slice's layout is freed before the next."""
    if sliced(article):
        found = _read_sliced(html, article, render, read, first_folio)
        if found is not None:
            return found
    whole = render(html, _slice_rule(None, first_folio))
    cut = Cut(None, None, 0, len(whole.pages), {})
    return [read(whole, cut)], [cut]


class SliceMoved(Exception):
    """A slice set again did not stop where the next begins, as it did when read."""


def set_in_slices(html: lxml.html.HtmlElement, article: lxml.html.HtmlElement, render: Render,
                  cuts: list[Cut], first_folio: int | None = None,
                  prepare: Callable[[lxml.html.HtmlElement, Cut, Cut | None], None]
                  = lambda *_: None) -> Iterator[weasyprint.document.Document]:
    """The slices of `article` set again at `cuts` (read_in_slices'), each with its own pages;
    `prepare` adds to the slice's article, given the cut and the next, before it is set (its
    margin numbers). SliceMoved if a slice does not stop where the next begins."""
    for cut, following in zip(cuts, [*cuts[1:], None], strict=True):
        document = slice_document(html, article, cut)
        prepare(_article_in(document, html, article), cut, following)
        rendering = render(document, _slice_rule(cut, first_folio))
        del document
        if (len(rendering.pages) == cut.pages if following is None
                else len(rendering.pages) > cut.pages
                and first_block(rendering.pages[cut.pages]) == following.start):
            yield rendering.copy(rendering.pages[:cut.pages])
        else:
            raise SliceMoved(f"the slice of {cut.pages} pages from block {cut.start} set "
                             f"again in {len(rendering.pages)} with its look-ahead")
        del rendering
        gc.collect()


def _read_sliced(html: lxml.html.HtmlElement, article: lxml.html.HtmlElement, render: Render,
                 read: Callable[[weasyprint.document.Document, Cut], Read],
                 first_folio: int | None) -> tuple[list[Read], list[Cut]] | None:
    """read_in_slices' slices, or None where the article cannot be sliced."""
    blocks = text_blocks(article)
    lengths = [len(block.text_content()) for block in blocks]
    numbers = [block.get(BLOCK) for block in blocks]
    found: list[Read] = []
    cuts: list[Cut] = []
    begin, first_page, lines_before, margin = 0, 0, {}, False
    expected: list[tuple[object, ...]] = []
    while True:
        stop = _stop(lengths, begin)
        cut = Cut(numbers[begin] if begin else None,
                  numbers[stop] if stop < len(blocks) else None, first_page, 0, lines_before,
                  margin)
        rendering = render(slice_document(html, article, cut), _slice_rule(cut, first_folio))
        if [page_signature(page) for page in rendering.pages[:len(expected)]] != expected:
            del rendering
            return _set_whole(f"the slice from block {cut.start} does not go on as the "
                              "article did")
        if cut.stop is None:
            cut = replace(cut, pages=len(rendering.pages))
            found.append(read(rendering, cut))
            cuts.append(cut)
            return found, cuts
        at = last_cut(rendering, set(numbers[begin + 1:stop]))
        if at is None:
            return _set_whole("no page of a slice begins a block")
        page, block, top_margin_dropped = at
        expected = [page_signature(after) for after in
                    rendering.pages[page:len(rendering.pages) - PAGES_AT_THE_END]]
        kept = rendering.copy(rendering.pages[:page])
        del rendering
        cut = replace(cut, pages=page)
        found.append(read(kept, cut))
        cuts.append(cut)
        lines_before = {**lines_before, **{line.article: line.number
                                           for line in printed_lines(kept, lines_before)}}
        del kept
        gc.collect()
        begin, first_page, margin = numbers.index(block), first_page + page, top_margin_dropped


def _set_whole(why: str) -> None:
    """No slices: the article is set whole (said where EDITION_TIMINGS asks)."""
    gc.collect()  # the slice's layout, cycles and all, not beside the article's
    if os.environ.get(TIMINGS):
        print(f"timing: the article set whole, not in slices: {why}", file=sys.stderr)


def _stop(lengths: list[int], begin: int) -> int:
    """The index of the block a slice beginning with block `begin` stops before: a slice and
    its look-ahead, or the article's end if less than half a slice would be left after it."""
    total = 0
    for index in range(begin, len(lengths)):
        if total >= SLICE_CHARACTERS + LOOK_AHEAD_CHARACTERS:
            if sum(lengths[index:]) >= SLICE_CHARACTERS // 2:
                return index
            break
        total += lengths[index]
    return len(lengths)


def text_blocks(element: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The numbered blocks inside `element` (print_composition.number_blocks) that hold no
    other but notes, figures whole, in reading order: the blocks of the lines, where a slice
    may begin."""
    found: list[lxml.html.HtmlElement] = []
    for child in element:
        if not isinstance(child.tag, str):
            continue
        classes = set((child.get("class") or "").split())
        if classes & NOTES:
            continue
        inside = [] if FIGURE in classes else text_blocks(child)
        found += inside or ([child] if child.get(BLOCK) else [])
    return found


def last_cut(rendering: weasyprint.document.Document, candidates: set[str]
             ) -> tuple[int, str, bool] | None:
    """The last page of `rendering` where a slice may begin (its index, the block that begins
    it, and whether that block's top margin was truncated there): it begins with one of the
    `candidates` blocks, no line of which is on a page before, and every note called before it
    is set before it. Not the rendering's first page, and CHECKED_PAGES pages before its
    PAGES_AT_THE_END follow it."""
    seen: set[str] = set()
    called: set[str] = set()
    placed: set[str] = set()
    found = None
    for index, page in enumerate(rendering.pages):
        text = [(block, line) for block, line, in_notes in page_lines(page) if not in_notes]
        if (0 < index <= len(rendering.pages) - PAGES_AT_THE_END - CHECKED_PAGES and text
                and text[0][0] in candidates and text[0][0] not in seen and called <= placed):
            found = index, text[0][0]
        for block, line in text:
            seen.add(block)
            called.update(box.element.get(BLOCK) for box in line.descendants()
                          if box.element_tag.endswith(CALL))
        placed.update(box.element.get(BLOCK) for area in page._page_box.children
                      if isinstance(area, boxes.FootnoteAreaBox)
                      for box in area.descendants() if box.element is not None)
    if found is None:
        return None
    index, block = found
    box = next((box for box in rendering.pages[index]._page_box.descendants()
                if isinstance(box, boxes.BlockContainerBox) and box.element is not None
                and box.element.get(BLOCK) == block), None)
    truncated = box is not None and box.margin_top == 0 and getattr(
        box.style["margin_top"], "value", 0) != 0
    return index, block, truncated


def first_block(page: weasyprint.document.Page) -> str | None:
    """The block of a page's first line of text."""
    return next((block for block, _, in_notes in page_lines(page) if not in_notes), None)


def page_signature(page: weasyprint.document.Page) -> tuple[object, ...]:
    """What a page reads: each line's block, words and baseline, in the text and at its foot,
    and its margin boxes' words (running heads, folio)."""
    lines = tuple((block, line_text(line)[0], round(line.position_y + line.baseline, 2),
                   in_notes) for block, line, in_notes in page_lines(page))
    margins = tuple("".join(box.text for box in margin.descendants()
                            if isinstance(box, boxes.TextBox))
                    for margin in page._page_box.children if isinstance(margin, boxes.MarginBox))
    return lines, margins


def slice_document(html: lxml.html.HtmlElement, article: lxml.html.HtmlElement,
                   cut: Cut) -> lxml.html.HtmlElement:
    """A copy of `html` whose `article` holds only the slice `cut` and its look-ahead: the
    elements before it empty and not displayed, those from its stop on left out."""
    document = copy.deepcopy(html)
    copied = _article_in(document, html, article)
    if cut.stop is not None:
        end = _block(copied, cut.stop)
        for element in (end, *end.iterancestors()):
            if element is copied:
                break
            for after in list(element.itersiblings()):
                element.getparent().remove(after)
        end.getparent().remove(end)
    if cut.start is None:
        return document
    begin = _block(copied, cut.start)
    if cut.top_margin_dropped:  # as the page break truncated it in the article
        begin.set("style", ";".join(filter(None, [begin.get("style"), "margin-top: 0"])))
    heads = _titles_before(copied, begin)
    began_before = False  # whether the ancestor reached began on a page before the slice
    for element in (begin, *begin.iterancestors()):
        if element is copied:
            break
        parent = element.getparent()
        before = [sibling for sibling in element.itersiblings(preceding=True)]
        began_before = began_before or bool((parent.text or "").strip()) or any(
            isinstance(sibling.tag, str) for sibling in before)
        parent.text = None
        for sibling in before:
            if isinstance(sibling.tag, str):
                parent.replace(sibling, stand_in(sibling))
            else:
                parent.remove(sibling)
        if began_before:  # its anchor is on the slice before; one beginning here keeps it
            parent.attrib.pop("id", None)
    copied.set("class", " ".join(filter(None, [copied.get("class"), CONTINUED])))
    if cut.first_page % 2:
        root = document.getroottree().getroot()
        root.set("class", " ".join(filter(None, [root.get("class"), ON_VERSO])))
    for name in RUNNING_HEADS:
        if heads and heads[-1].get(name) is not None:
            copied.set(name, heads[-1].get(name))
    return document


def _titles_before(article: lxml.html.HtmlElement, begin: lxml.html.HtmlElement
                   ) -> list[lxml.html.HtmlElement]:
    """The elements of class TITLE in `article` before `begin`, in reading order."""
    titles = []
    for element in article.iter():
        if element is begin:
            break
        if TITLE in (element.get("class") or "").split():
            titles.append(element)
    return titles


def _article_in(document: lxml.html.HtmlElement, html: lxml.html.HtmlElement,
                article: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The copy in `document` (a copy of `html`) of `html`'s `article`."""
    [copied] = document.getroottree().xpath(html.getroottree().getpath(article))
    return copied


def _block(article: lxml.html.HtmlElement, number: str) -> lxml.html.HtmlElement:
    [element] = article.xpath(f".//*[@{BLOCK}=$number]", number=number)
    return element


def _slice_rule(cut: Cut | None, first_folio: int | None) -> str:
    """The stylesheet of a slice (None: the article whole): its first page's folio, where the
    article's rendering is given one or the slice is not the first."""
    first_page = cut.first_page if cut is not None else 0
    if first_folio is None and not first_page:
        return ""
    return folio_rule((first_folio or 1) + first_page)
