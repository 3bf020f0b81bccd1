"""A long article set in slices (writers/article_slices.py) reads as the article set whole:
every line's words and place, the notes at each page's foot, the running heads, folios and
margin numbers; and where a slice would not go on as the article does, the article is set whole.

The slices are made small here (a page or a few) so that a text of 13 pages is set in five.
"""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
import weasyprint

from tei_edition import synthetic
from tei_edition.writers import article_slices
from tei_edition.writers.article_slices import (
    Cut,
    SliceMoved,
    page_signature,
    read_in_slices,
    set_in_slices,
    slice_document,
    text_blocks,
)
from test_book_parts import build, pages_text


def test_an_article_set_in_slices_reads_page_by_page_as_set_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Slices beginning on a verso or a recto as the cut falls:
    each of the book's pages reads as in the article set whole, its folio, running head,
    margin numbers (on the outer side) and notes included."""
    monkeypatch.setattr(synthetic, "NOTES_PER_PARAGRAPH", 2)  # pages that begin a paragraph
    source = synthetic.write_text(tmp_path / "text", 130)
    whole = build(source, tmp_path / "whole.pdf", monkeypatch, in_parts=True)
    monkeypatch.setattr(article_slices, "SLICE_CHARACTERS", 4_000)  # a page or two each
    monkeypatch.setattr(article_slices, "LOOK_AHEAD_CHARACTERS", 5_000)
    sliced = build(source, tmp_path / "sliced.pdf", monkeypatch, in_parts=True)
    assert whole.count("the articles") == whole.count("the book's article") == 1
    assert sliced.count("the articles") == sliced.count("the book's article") >= 3
    whole_pages, sliced_pages = pages_text(tmp_path / "whole.pdf"), pages_text(tmp_path /
                                                                             "sliced.pdf")
    assert len(sliced_pages) == len(whole_pages) > 15
    for number, (in_slices, set_whole) in enumerate(zip(sliced_pages, whole_pages,
                                                        strict=True), start=1):
        assert in_slices == set_whole, f"page {number}"


# -- the slicer on a document of its own ----------------------------------------------------

PAGE = """<style>@page { size: 220px 160px; margin: 10px; @top-center { content: counter(page) } }
body { font: 10px/12px sans-serif; margin: 0; } p { margin: 0; orphans: 2; widows: 2; }
h3 { margin: 8px 0 4px; } figure { display: block; margin: 10px 0; }
main p + p { text-indent: 2em; } .footnote { float: footnote; }
.footnote::footnote-call, .footnote::footnote-marker { content: attr(data-n) }</style>"""
# print.css names the article's pages; WeasyPrint then keeps a block's top margin at the head of
# a page, where it truncates it on a page of no name.
NAMED_PAGES = "<style>main > article { page: article; }</style>"


def document(paragraphs: int, head: str = PAGE) -> lxml.html.HtmlElement:
    """An article of numbered blocks, some with notes, in sections, some with a figure."""
    sections = []
    for section in range(0, paragraphs, 10):
        blocks = "".join(
            f'<p data-block="p{number}">Paragraph {number} '
            + "words of its text " * (number % 4 + 1)
            + (f'<span class="footnote" data-block="n{number}" data-n="{number}">Note.</span>'
               if number % 3 == 0 else "") + "</p>"
            + (f'<figure data-block="f{number}">Figure {number}</figure>'
               if number % 7 == 6 else "")
            for number in range(section, min(section + 10, paragraphs)))
        sections.append(f'<section id="s{section}"><h3 data-block="h{section}">Section '
                        f"{section}</h3>{blocks}</section>")
    return lxml.html.fromstring(f'<html><head>{head}</head><body><main><article id="a">'
                                f'{"".join(sections)}</article></main></body></html>')


def render(html: lxml.html.HtmlElement, css: str) -> weasyprint.document.Document:
    return weasyprint.HTML(string=lxml.html.tostring(html, encoding="unicode")).render(
        stylesheets=[weasyprint.CSS(string=css)] if css else [])


def pages_read(pages: list[weasyprint.document.Page], seen: set[str]) -> list[object]:
    """Each page's signature and the anchors first found on it (the first is the one a link
    goes to: an element over several pages has its anchor on each)."""
    read = []
    for page in pages:
        read.append((page_signature(page), sorted(set(page.anchors) - seen)))
        seen.update(page.anchors)
    return read


@pytest.mark.parametrize("head", [PAGE, PAGE + NAMED_PAGES], ids=["unnamed", "named-pages"])
def test_the_slices_pages_are_the_article_set_whole(head: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Cut at paragraphs and at headings (a section's id then begins on the slice's first
    page, and stays there), the top margin of a slice's first block as the article's page
    break left it, a figure before it not displayed whatever its style."""
    html = document(90, head)
    [article] = html.xpath("//article")
    whole = pages_read(render(html, "").pages, set())
    monkeypatch.setattr(article_slices, "SLICE_CHARACTERS", 700)
    monkeypatch.setattr(article_slices, "LOOK_AHEAD_CHARACTERS", 1000)
    seen: set[str] = set()
    slices, cuts = read_in_slices(html, article, render, lambda rendering, _: pages_read(
        rendering.pages, seen))
    assert len(cuts) >= 5
    assert {cut.start[0] for cut in cuts[1:]} >= {"p", "h"}  # at paragraphs and headings
    assert [cut.first_page for cut in cuts] == [sum(cut.pages for cut in cuts[:index])
                                                for index in range(len(cuts))]
    assert [page for pages in slices for page in pages] == whole


def test_a_slice_that_does_not_go_on_as_the_article_did_sets_it_whole(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The check on each cut is what holds the slices to the article: a slice whose first
    pages read otherwise than the pages after the cut (here: every slice's first page has
    another folio) makes the article set whole, in one rendering."""
    html = document(90)
    [article] = html.xpath("//article")
    monkeypatch.setattr(article_slices, "SLICE_CHARACTERS", 700)
    monkeypatch.setattr(article_slices, "LOOK_AHEAD_CHARACTERS", 1000)
    monkeypatch.setattr(article_slices, "folio_rule", lambda folio: "")
    renderings: list[int] = []

    def counted(html: lxml.html.HtmlElement, css: str) -> weasyprint.document.Document:
        rendering = render(html, css)
        renderings.append(len(rendering.pages))
        return rendering

    slices, cuts = read_in_slices(html, article, counted, lambda rendering, _: len(
        rendering.pages))
    assert cuts == [Cut(None, None, 0, renderings[-1], {})] and slices == [renderings[-1]]
    assert len(renderings) == 3  # a slice, the next that failed its check, the article whole


def test_a_slice_keeps_what_selects_as_in_the_article() -> None:
    """The elements before the slice stay, empty and not displayed (inline: no author rule
    displays them), without their ids (their anchors are on the slice before), as do its
    ancestors' ids, but for one that begins with the slice; the elements from where its
    rendering stops are left out; the running heads come from the last title before it."""
    html = lxml.html.fromstring(
        '<html><body><main><article id="a" class="article"><header><h2 class="article-title" '
        'data-short-title="Short" data-verso-head="Author">Title</h2></header>'
        '<section id="s"><p data-block="1" id="p1">One</p><p data-block="2">Two</p>'
        '<p data-block="3">Three</p><p data-block="4">Four</p></section></article></main>'
        "</body></html>")
    [article] = html.xpath("//article")
    assert [block.get("data-block") for block in text_blocks(article)] == ["1", "2", "3", "4"]
    sliced = slice_document(html, article, Cut("2", "4", 3, 0, {}))
    [copied] = sliced.xpath("//article")
    assert copied.get("class") == "article slice-continued" and copied.get("id") is None
    assert sliced.get("class") == "slice-on-verso"  # its first page, the article's fourth
    assert (copied.get("data-short-title"), copied.get("data-verso-head")) == ("Short",
                                                                               "Author")
    [header, section] = copied
    assert header.get("style") == "display: none" and len(header) == 0
    assert section.get("id") is None
    assert [(p.get("data-block"), p.get("id"), p.get("style"), p.text) for p in section] == [
        ("1", None, "display: none", None), ("2", None, None, "Two"),
        ("3", None, None, "Three")]
    assert html.xpath("//p[@id='p1']/text()") == ["One"]  # the document is left as it was
    at_the_section = slice_document(html, article, Cut("1", None, 2, 0, {}))
    assert at_the_section.xpath("//section/@id") == ["s"]  # it begins on the slice's page
    first = slice_document(html, article, Cut(None, "3", 0, 0, {}))
    assert first.xpath("//p/@data-block") == ["1", "2"]
    assert first.xpath("//article/@id") == ["a"] and first.get("class") is None


def test_slices_set_again_are_those_read_or_stop_the_work(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The book sets the slices again at the cuts read: the same pages; a slice that no longer
    stops where the next begins (its text set otherwise) is SliceMoved, not pages lost or
    repeated at the seam."""
    html = document(90)
    [article] = html.xpath("//article")
    monkeypatch.setattr(article_slices, "SLICE_CHARACTERS", 700)
    monkeypatch.setattr(article_slices, "LOOK_AHEAD_CHARACTERS", 1000)
    seen: set[str] = set()
    slices, cuts = read_in_slices(html, article, render, lambda rendering, _: pages_read(
        rendering.pages, seen))
    seen.clear()
    again = [pages_read(part.pages, seen) for part in set_in_slices(html, article, render, cuts)]
    assert again == slices
    looser = lambda html, css: render(html, css + "p { line-height: 13px }")  # noqa: E731
    with pytest.raises(SliceMoved):
        list(set_in_slices(html, article, looser, cuts))
