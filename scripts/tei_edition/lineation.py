"""Lineation of the printed reading text, as reledmac numbers it.

Every printed line of an article's text is counted, from 1 in each article; every fifth number
is shown in the outer margin. The lines are those of a real WeasyPrint rendering: its line boxes
(`Document.pages[i]._page_box`), not the witness's lines (`<lb n>`, the diplomatic view's
reference system). The text keeps one measure on every page (mirrored margins of equal width),
so a line holds the same words in every rendering of the same HTML: a first rendering gives the
line of each lemma for the apparatus, the final one the lines the margin numbers go beside.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import lxml.html
from weasyprint.document import Document as Rendering
from weasyprint.formatting_structure import boxes

LINEATED = "data-lineation"  # on a block whose lines are numbered; the value names the article
BLOCK = "data-block"  # the number print_composition.py gives each block
NUMBERED = "data-line-number"  # on a margin number of the pool (see `line_number_pool`)
INTERVAL = 5
POOL = "line-number-pool"  # the class of the margin numbers' pool
TEXT_BLOCKS = ("p", "h3", "h4", "h5", "h6", "blockquote", "li")
OUTSIDE_THE_TEXT = ("figure", "figcaption", "footnote", "app-note")


@dataclass
class PrintedLine:
    """A line of an article's reading text as printed: its number and where it stands."""

    article: str
    number: int
    page: int  # index of the page in the rendering
    # where its baseline stands on its page (CSS px): kept instead of the line box, which
    # would keep its text's boxes, and the layout they belong to, alive
    baseline: float = field(repr=False)
    anchors: list[str] = field(default_factory=list)  # ids of the elements that begin on it
    block: str = ""  # the number of its block (print_composition.BLOCK), if it has one


def mark_lineated_blocks(html: lxml.html.HtmlElement) -> None:
    """Mark the blocks of each article's text (not its header, figures, notes or back matter)."""
    for article in html.xpath("//article[contains(concat(' ', @class, ' '), ' article ')]"):
        for division in article.xpath("./section[contains(concat(' ', @class, ' '), ' div ')]"):
            for block in division.iter(*TEXT_BLOCKS):
                if not _outside_the_text(block):
                    block.set(LINEATED, article.get("id", ""))


def _outside_the_text(element: lxml.html.HtmlElement) -> bool:
    return any(set((ancestor.get("class") or "").split()) & set(OUTSIDE_THE_TEXT)
               for ancestor in (element, *element.iterancestors()))


def printed_lines(rendering: Rendering, numbered_before: dict[str, int] | None = None
                  ) -> list[PrintedLine]:
    """The numbered lines of a rendering, in reading order, each with the anchors on it; each
    article's counted on from `numbered_before` (a slice of it: writers/article_slices.py)."""
    lines: list[PrintedLine] = []
    counts = dict(numbered_before or {})
    for page_index, page in enumerate(rendering.pages):
        for article, line_box, block in _lineated_line_boxes(page._page_box.children[0],
                                                             None, ""):
            counts[article] = counts.get(article, 0) + 1
            anchors = [box.element.get("id") for box in line_box.descendants()
                       if box.element is not None and box.element.get("id")
                       and not _only_a_space(box)]
            lines.append(PrintedLine(article, counts[article], page_index,
                                     line_box.position_y + line_box.baseline,
                                     list(dict.fromkeys(anchors)), block))
    return lines


def relined(lines: list[PrintedLine], blocks: set[str],
            set_again: list[PrintedLine]) -> list[PrintedLine]:
    """`lines` with those of `blocks` replaced by the lines they have in `set_again` (a
    rendering of those blocks alone, in their places), each article's lines counted anew."""
    again: dict[str, list[PrintedLine]] = {}
    for line in set_again:
        again.setdefault(line.block, []).append(line)
    merged: list[PrintedLine] = []
    for line in lines:
        if line.block not in blocks:
            merged.append(line)
        elif line.block in again:
            merged += again.pop(line.block)
    counts: dict[str, int] = {}
    for line in merged:
        counts[line.article] = counts.get(line.article, 0) + 1
        line.number = counts[line.article]
    return merged


def articles_relined(lines: list[PrintedLine], set_again: list[PrintedLine]
                     ) -> list[PrintedLine]:
    """`lines` with those of the articles of `set_again` (a rendering of these articles alone)
    replaced by its lines, the articles in their order."""
    by_article: dict[str, list[PrintedLine]] = {}
    for line in lines:
        by_article.setdefault(line.article, []).append(line)
    again: dict[str, list[PrintedLine]] = {}
    for line in set_again:
        again.setdefault(line.article, []).append(line)
    by_article.update(again)
    return [line for article_lines in by_article.values() for line in article_lines]


def _only_a_space(box: boxes.Box) -> bool:
    """The box holds none of its element's words, only the word space before them (moved into
    it by pdf.py) at the end of a line: they begin on the next line."""
    texts = [descendant.text for descendant in box.descendants()
             if isinstance(descendant, boxes.TextBox)]
    return not "".join(texts).strip() and bool("".join(box.element.itertext()).strip())


def _lineated_line_boxes(box: boxes.Box, article: str | None, block: str
                         ) -> Iterator[tuple[str, boxes.LineBox, str]]:
    if isinstance(box, boxes.LineBox):
        if article:
            yield article, box, block
        return
    if isinstance(box, boxes.BlockContainerBox) and box.element is not None:
        block = box.element.get(BLOCK) or block
        if box.element.get(LINEATED):
            article = box.element.get(LINEATED)
        elif box.element_tag in TEXT_BLOCKS or _classes(box) & set(OUTSIDE_THE_TEXT):
            article = None
    for child in getattr(box, "children", ()):
        yield from _lineated_line_boxes(child, article, block)


def _classes(box: boxes.Box) -> set[str]:
    return set((box.element.get("class") or "").split()) if box.element is not None else set()


def line_of_anchors(lines: list[PrintedLine]) -> dict[str, PrintedLine]:
    """The line where each anchored element begins (its first line if it runs over two)."""
    found: dict[str, PrintedLine] = {}
    for line in lines:
        for anchor in line.anchors:
            found.setdefault(anchor, line)
    return found


def line_number_pool(html: lxml.html.HtmlElement, lines: list[PrintedLine]) -> None:
    """Set, out of the flow at the end of the book, the margin numbers the lines will need.

    The final rendering lays them out (font, size, glyphs) without moving a line of the text;
    `place_line_numbers` then moves each beside its line, on the outer side of its page.
    """
    pool = lxml.html.Element("div", {"class": POOL, "aria-hidden": "true"})
    for line in lines:
        if line.number % INTERVAL == 0:
            number = lxml.html.Element("span", {"class": "line-number", NUMBERED: str(line.number),
                                                "data-article": line.article})
            number.text = str(line.number)
            pool.append(number)
    articles = html.xpath("//article")
    if articles:
        articles[-1].addnext(pool)  # on a page of the text: the index is set apart (pdf.py)
    else:
        html.find("body").append(pool)


def place_line_numbers(rendering: Rendering, gap: float,
                       numbered_before: dict[str, int] | None = None) -> list[PrintedLine]:
    """Move each margin number of the pool beside its line, `gap` (CSS px) outside the text:
    left of it on a verso (a left page), right of it on a recto (the lines counted on from
    `numbered_before`: printed_lines). Returns the lines numbered."""
    lines = printed_lines(rendering, numbered_before)
    pool = {}
    for page in rendering.pages:
        found = [(parent, child) for parent in page._page_box.descendants()
                 for child in getattr(parent, "children", ())
                 if isinstance(child, boxes.BlockBox) and child.element is not None
                 and child.element.get(NUMBERED)]
        for parent, child in found:
            pool[child.element.get("data-article"), int(child.element.get(NUMBERED))] = child
            parent.children.remove(child)
    for line in lines:
        number = pool.pop((line.article, line.number), None)
        if number is None:
            continue
        page = rendering.pages[line.page]._page_box
        verso = page.page_type.side == "left"  # a slice of an article may begin on one
        text_left = page.content_box_x()
        text_right = text_left + page.width
        x = text_left - gap - number.margin_width() if verso else text_right + gap
        number_baseline = number.position_y + _baseline(number)
        number.translate(x - number.position_x, line.baseline - number_baseline)
        page.children[0].children.append(number)
    return lines


def numbers_set(rendering: Rendering) -> int:
    """How many margin numbers of the pool a rendering laid out: a pool runs over to the
    next pages, and those it has not are left out."""
    return sum(1 for page in rendering.pages for parent in page._page_box.descendants()
               for child in getattr(parent, "children", ())  # a pool's, absolutely placed
               if isinstance(child, boxes.BlockBox) and child.element is not None
               and child.element.get(NUMBERED))


def without_the_pool(rendering: Rendering) -> None:
    """Take the margin numbers' pool, emptied by place_line_numbers, out of the pages: an
    article set alone (writers/book_parts.py) has one after its text, where the book has one
    only after its last article."""
    holders = [parent for page in rendering.pages for parent in page._page_box.descendants()
               if any(_is_the_pool(child) for child in getattr(parent, "children", ()))]
    for parent in holders:
        parent.children = [child for child in parent.children if not _is_the_pool(child)]


def _is_the_pool(box: boxes.Box) -> bool:
    return box.element is not None and box.element.get("class") == POOL


def _baseline(box: boxes.Box) -> float:
    for descendant in box.descendants():
        if isinstance(descendant, boxes.LineBox):
            return descendant.position_y - box.position_y + descendant.baseline
    return box.height
