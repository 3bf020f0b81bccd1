"""Make-up of the pages: one paragraph set a line tighter or looser where a page ends short.

WeasyPrint fills each page in turn and cannot balance a spread. Widow control (`widows: 2`,
print.css) carries a paragraph's last two lines over where one would have gone, and leaves
its page a line short; a paragraph a line longer pushes a note it calls, or the lines that
went with it, to the next page, and leaves its page lines short. A press wins the line back
by hand, TeX with \\looseness: a paragraph of the page is set a line tighter (its word spaces a
little narrower), one whose last line is short, so that losing a line costs least; or, where
widow control kept a line back, a paragraph a line looser (one whose last line is nearly
full), which carries the line over itself.

How much tighter cannot be told before the paragraph is set (a line takes a word more only
where the word nearly fitted), so each paragraph chosen is tried in a few settings at once:
copies of it, each with its own word spacing, set alone in one rendering (`trial`); the
narrowest change of the spaces that sets it a line shorter (or longer) wins, as data on the
paragraph (a style), and the first paragraph of a page that wins makes it up (`made_up`).
"""

from __future__ import annotations

import itertools
from copy import deepcopy
from dataclasses import dataclass, replace

import lxml.html
from weasyprint.document import Document as Rendering
from weasyprint.formatting_structure import boxes

from .lineation import BLOCK, PrintedLine
from .print_composition import numbered_blocks, page_lines

MADE_UP = "made-up"  # the class of a paragraph given its own word spacing (print.css)
WIDOWS = 2  # print.css `p { widows }`: the lines widow control carries over together
LAST_LINE_SHORT = 0.3  # a last line under this share of the measure: the paragraph can lose it
LAST_LINE_FULL = 0.75  # a last line over this share: a little more space makes a new line
# The word spacings tried (em): up to TeX's shrink and stretch of a word space (1/9, 1/6 em).
TIGHTER = (-1 / 72, -1 / 36, -1 / 18, -1 / 9)
LOOSER = (1 / 48, 1 / 24, 1 / 12, 1 / 6)
TRIED = "~"  # joins a paragraph's number (and its ids) to the number of a setting tried


@dataclass(frozen=True)
class BlockOnPage:
    """A block's lines of the text (not the notes) on one page."""

    block: str
    lines: int
    last_fill: float  # the width of its last line on the page, a share of the measure
    ends_here: bool  # its last line is on this page


@dataclass(frozen=True)
class PageEnd:
    """How a page of an article ends: its text's blocks and the whole lines left empty
    between its last line and the page's foot (none where notes stand there)."""

    page: int  # counted from the article's first page, a recto
    short: int
    blocks: tuple[BlockOnPage, ...]


@dataclass(frozen=True)
class Makeup:
    """A paragraph to set a line longer (`change` +1) or shorter (-1: up to `short` lines
    shorter, the lines its page lacks)."""

    block: str
    change: int
    page: int  # the page it makes up, as PageEnd counts it
    short: int = 1

    def fits(self, lines: int) -> bool:
        """Whether the paragraph set in `lines` lines instead of its own makes up its page."""
        return lines == 1 if self.change > 0 else -self.short <= lines <= -1


def page_ends(rendering: Rendering, article_of: dict[str, str]) -> dict[str, list[PageEnd]]:
    """The page ends of a rendering of whole articles, by article (article_of: each block's)."""
    texts = [(page, text) for page in rendering.pages
             if (text := [(block, line) for block, line, in_notes in page_lines(page)
                          if not in_notes])]
    found: dict[str, list[PageEnd]] = {}
    for (page, text), following in zip(texts, [*texts[1:], None], strict=True):
        ends = found.setdefault(article_of.get(text[0][0], ""), [])
        goes_on = following is not None and following[1][0][0] == text[-1][0]
        ends.append(PageEnd(len(ends), _short(page._page_box, text), tuple(
            _blocks_on_page(text, page._page_box.width, goes_on))))
    return found


def _blocks_on_page(text: list[tuple[str, boxes.LineBox]], measure: float,
                    last_goes_on: bool) -> list[BlockOnPage]:
    on_page: list[BlockOnPage] = []
    for block, line in text:
        before = on_page.pop().lines if on_page and on_page[-1].block == block else 0
        on_page.append(BlockOnPage(block, before + 1, line.width / measure, True))
    if last_goes_on:
        on_page[-1] = replace(on_page[-1], ends_here=False)
    return on_page


def _short(page: boxes.PageBox, text: list[tuple[str, boxes.LineBox]]) -> int:
    """Whole lines free between the page's last line of text and its foot, in that line's
    height (a line box with no height, of an empty inline, measures nothing). A page with
    notes at its foot ends level, as `edition proof` reads a spread: lines free above them
    are left by a note that did not fit, for which no paragraph set tighter makes room."""
    last = next((line for _, line in reversed(text) if line.height), None)
    if last is None or any(isinstance(box, boxes.FootnoteAreaBox) and box.children
                           for box in page.children):
        return 0
    free = page.content_box_y() + page.height - (last.position_y + last.height)
    return max(0, int((free + 1) // last.height))  # a pixel's rounding is no line


def choose(ends: dict[str, list[PageEnd]], paragraphs: set[str]) -> list[Makeup]:
    """The paragraphs (of `paragraphs`, those that may be set tighter or looser) to try on each
    page of a spread that ends short of its other page (or beside its article's last page)
    in the middle of a paragraph (a page that ends with one may end short for the heading
    after it), the likeliest to succeed at least cost first: looser where widow control
    carried two lines over and left one empty (the next page begins as it did), else tighter
    (the pages after it move: the article's later pages, read from the rendering before, are
    left as they are)."""
    chosen: list[Makeup] = []
    for pages in ends.values():
        for end, after in itertools.pairwise(pages):
            other = pages[end.page + 1 if end.page % 2 else end.page - 1]
            if (not end.page or (end.short <= other.short and other is not pages[-1])
                    or not end.blocks or end.blocks[-1].ends_here):
                continue  # a last page, or a page ending with its paragraph (before a heading)
            ending = [on for on in end.blocks if on.ends_here and on.block in paragraphs]
            kept_back = end.short == 1 and after.blocks[0].lines == WIDOWS
            if kept_back:
                ranked = sorted((on for on in ending if on.last_fill > LAST_LINE_FULL),
                                key=lambda on: -on.last_fill)
            else:
                ranked = sorted((on for on in ending if on.last_fill < LAST_LINE_SHORT),
                                key=lambda on: (on.last_fill, -on.lines))
            chosen += [Makeup(on.block, 1 if kept_back else -1, end.page, end.short)
                       for on in ranked]
            if not kept_back:
                break
    return chosen


def trial(articles: lxml.html.HtmlElement, makeups: list[Makeup]) -> set[str]:
    """Put after each paragraph chosen, in a copy of the articles, a copy of it in each of the
    settings it is to be tried in; their numbers (block~setting). A copy keeps the indent the
    paragraph has where it stands (print.css indents `p + p`), its ids their setting's mark."""
    blocks = numbered_blocks(articles)
    tried: set[str] = set()
    for makeup in makeups:
        paragraph = blocks[makeup.block]
        previous = paragraph.getprevious()
        indent = "" if previous is not None and previous.tag == "p" else "; text-indent: 0"
        for setting, spacing in reversed(list(enumerate(_settings(makeup)))):
            copy = deepcopy(paragraph)
            copy.tail = None
            for element in copy.iter():
                for attribute in ("id", BLOCK):
                    if element.get(attribute):
                        element.set(attribute, f"{element.get(attribute)}{TRIED}{setting}")
            _add_style(copy, f"word-spacing: {spacing:.4f}em{indent}")
            paragraph.addnext(copy)
            tried.add(copy.get(BLOCK))
    return tried


def made_up(html: lxml.html.HtmlElement, makeups: list[Makeup], before: dict[str, int],
            settings: list[PrintedLine], faulty: set[str]) -> list[PrintedLine]:
    """Of the paragraphs tried, each with its lines `before`, the first on each page that one
    of its settings makes up (Makeup.fits), the narrowest change of the spaces, without
    a run of three hyphenated lines (`faulty`: the settings that have one), takes that
    setting (a style on the paragraph in `html`); its lines, those of that setting."""
    set_in: dict[str, list[PrintedLine]] = {}
    for line in settings:
        set_in.setdefault(line.block, []).append(line)
    blocks = numbered_blocks(html)
    lines: list[PrintedLine] = []
    pages_made_up: set[tuple[str, int]] = set()
    for makeup in makeups:
        article_page = (_article(blocks[makeup.block]), makeup.page)
        if article_page in pages_made_up:
            continue
        for setting, spacing in enumerate(_settings(makeup)):
            tried = f"{makeup.block}{TRIED}{setting}"
            if tried not in faulty and makeup.fits(len(set_in.get(tried, ()))
                                                   - before.get(makeup.block, 0)):
                paragraph = blocks[makeup.block]
                paragraph.set("class", f"{paragraph.get('class') or ''} {MADE_UP}".strip())
                _add_style(paragraph, f"word-spacing: {spacing:.4f}em")
                lines += [replace(line, block=makeup.block, anchors=[
                    anchor.rpartition(TRIED)[0] for anchor in line.anchors])
                    for line in set_in[tried]]
                pages_made_up.add(article_page)
                break
    return lines


def _add_style(element: lxml.html.HtmlElement, declarations: str) -> None:
    element.set("style", "; ".join(filter(None, (element.get("style"), declarations))))


def _settings(makeup: Makeup) -> tuple[float, ...]:
    return TIGHTER if makeup.change < 0 else LOOSER


def justified_paragraphs(html: lxml.html.HtmlElement) -> set[str]:
    """The blocks of the articles' text set justified (print.css `main p`), which may be set a
    line tighter or looser. Not `//main//article//p`, which is quadratic in libxml2
    (print_matter.in_articles)."""
    return {element.get(BLOCK) for element in html.xpath(
        f"//p[@{BLOCK}][ancestor::article[ancestor::main]]")}


def _article(element: lxml.html.HtmlElement) -> str:
    return next((outer.get("id", "") for outer in element.iterancestors("article")), "")
