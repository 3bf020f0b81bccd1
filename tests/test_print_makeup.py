"""The make-up of the pages: a paragraph set a line tighter or looser where a page ends short
(print_makeup.py)."""

from __future__ import annotations

import lxml.html
import weasyprint

from tei_edition.html import serialize
from tei_edition.lineation import mark_lineated_blocks, printed_lines
from tei_edition.print_composition import line_shapes, number_blocks, only_blocks
from tei_edition.print_makeup import (
    MADE_UP,
    BlockOnPage,
    Makeup,
    PageEnd,
    choose,
    justified_paragraphs,
    made_up,
    page_ends,
    trial,
)


def on(block: str, lines: int, fill: float, ends_here: bool = True) -> BlockOnPage:
    return BlockOnPage(block, lines, fill, ends_here)


def test_a_page_short_by_widow_control_is_given_a_line_else_one_is_won_back() -> None:
    """A verso a line short where the recto opens with the two lines widow control carried
    over: a paragraph ending on it with a nearly full last line is tried looser, the fullest
    first. A recto five lines short: a paragraph with a short last line is tried tighter, the
    shortest first, up to five lines shorter; the pages after it move, so none after is
    chosen. An article's opening page (no verso beside it), a page ending level with its
    other page, a page ending with its paragraph (a heading may not fit after it) and its
    article's last page are not made up; nor is what is not a paragraph of the text."""
    pages = [
        PageEnd(0, 1, (on("1", 30, 0.2),)),  # the opening recto: alone
        PageEnd(1, 1, (on("2", 5, 0.9), on("3", 4, 0.95), on("4", 3, 0.5),
                       on("5", 20, 0.8), on("6", 3, 1.0, ends_here=False))),
        PageEnd(2, 0, (on("6", 2, 0.4), on("7", 34, 1.0, ends_here=False))),
        PageEnd(3, 0, (on("7", 37, 1.0, ends_here=False),)),
        PageEnd(4, 5, (on("7", 20, 0.25), on("8", 3, 0.1), on("9", 6, 0.1),
                       on("10", 6, 1.0, ends_here=False))),
        PageEnd(5, 3, (on("10", 2, 0.1), on("11", 10, 0.3, ends_here=False))),
        PageEnd(6, 9, (on("11", 4, 0.1),)),  # the last page: where the article ends
    ]
    sections = [PageEnd(0, 0, (on("20", 30, 1.0, ends_here=False),)),
                PageEnd(1, 3, (on("20", 4, 0.1), on("21", 20, 0.2))),  # a heading after it
                PageEnd(2, 0, (on("22", 34, 1.0, ends_here=False),)),
                PageEnd(3, 9, (on("22", 3, 0.1),))]
    chosen = choose({"article": pages, "sections": sections},
                    {str(block) for block in range(1, 23)} - {"5"})
    assert chosen == [Makeup("3", 1, 1), Makeup("2", 1, 1),
                      Makeup("9", -1, 4, 5), Makeup("8", -1, 4, 5), Makeup("7", -1, 4, 5)]
    assert [Makeup("9", -1, 4, 5).fits(lines) for lines in (-6, -5, -1, 0, 1)] == [
        False, True, True, False, False]
    assert [Makeup("3", 1, 1).fits(lines) for lines in (-1, 0, 1, 2)] == [
        False, False, True, False]


PAGE = weasyprint.CSS(string="""
@page { size: 90mm 60mm; margin: 5mm }
body { font-size: 10pt; line-height: 12pt }
p { margin: 0; text-align: justify; orphans: 2; widows: 2 }
""")
WORDS = ("The delegations of the governments met at the conference to consider the frontier "
         "and the status of the territory under the protection of the republic")
# eight lines, of which the page holds seven: widow control carries two over
LAST = " ".join((WORDS.split() * 3)[:68]) + "."


def test_a_paragraph_set_looser_gives_its_page_the_line_widow_control_kept_back() -> None:
    """Widow control carries two lines of the page's last paragraph over where one would go,
    and leaves the page a line short: page_ends reads it, the first paragraph is tried looser
    in its settings in one rendering, the one that sets it a line longer is kept as its word
    spacing, and set so the page ends full, the next opening with the same two lines."""
    html = lxml.html.fromstring(
        f"<html lang='en'><body><main><article id='a' class='article'><section class='div'>"
        f"<p>{WORDS}</p><p>{LAST}</p></section></article></main></body></html>")
    mark_lineated_blocks(html)
    number_blocks(html)
    articles = {block: "a" for block in justified_paragraphs(html)}

    def rendered(html: lxml.html.HtmlElement) -> weasyprint.document.Document:
        return weasyprint.HTML(string=serialize(html).decode()).render(stylesheets=[PAGE])

    first = rendered(html)
    ends = page_ends(first, articles)["a"]
    assert ends[0].short == 1 and ends[1].blocks[0].lines == 2
    # the first page made a verso: the book's spreads begin on the article's second page
    chosen = choose({"a": [PageEnd(0, 0, ()), *(PageEnd(end.page + 1, end.short, end.blocks)
                                                for end in ends)]},
                    justified_paragraphs(html))
    assert [makeup.block for makeup in chosen] == [ends[0].blocks[0].block]
    before = {block: len(shapes) for block, shapes in line_shapes(first).items()}
    tried = lxml.html.fromstring(serialize(html))
    settings = printed_lines(rendered(only_blocks(tried, trial(tried, chosen))))
    lines = made_up(html, chosen, before, settings, set())
    paragraph = html.find(".//p")
    assert MADE_UP in paragraph.get("class") and "word-spacing" in paragraph.get("style")
    assert len(lines) == before[chosen[0].block] + 1
    again = page_ends(rendered(html), articles)["a"]
    assert again[0].short == 0 and again[1].blocks[0].lines == 2
