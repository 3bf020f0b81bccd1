"""The PDF's memory: what a rendering holds is given back when it is dropped, and the overrides
that make it so change no byte of the PDF.

A book of 1,000 pages is too long for the suite; `scripts/bench --scale` measures its peak. These
tests hold the mechanisms exactly, on a few pages.
"""

from __future__ import annotations

import gc
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from types import SimpleNamespace

import pytest
import weasyprint
from weasyprint import document
from weasyprint.text.line_break import Layout, split_first_line

from tei_edition.synthetic import write_text
from tei_edition.writers import font_feature_lists, style_tables
from test_scale import c_heap_in_use

# Font features on every text, as the edition's stylesheets set them (kerning, old-style figures).
FEATURED = ("p { font-kerning: normal; font-variant-numeric: oldstyle-nums; "
            "text-align: justify; hyphens: auto }")
SENTENCE = ("The delegation reached the frontier in the late autumn of 1920 and the Government "
            "agreed on the boundary, as the minutes say at length. ")


def featured_document(paragraphs: int) -> weasyprint.HTML:
    text = "".join(f"<p>{n}. {SENTENCE * 3}</p>" for n in range(paragraphs))
    return weasyprint.HTML(string=f"<html lang='en'><style>{FEATURED}</style><body>{text}"
                                  "</body></html>")


def heap_growth_of_layouts(count: int) -> int:
    """The C heap still in use after `count` lines set (a layout each) in a featured style."""
    [page] = featured_document(1).render().pages
    [text] = [box for box in page._page_box.descendants() if hasattr(box, "pango_layout")][:1]
    hyphenation = SimpleNamespace(dictionaries={})  # the layout context's, all a line needs
    for _ in range(100):  # caches filled (fonts, shaping, hyphenation) before counting
        split_first_line(SENTENCE, text.style, hyphenation, 300, 0)
    gc.collect()
    before = c_heap_in_use()
    for _ in range(count):
        split_first_line(SENTENCE, text.style, hyphenation, 300, 0)
    gc.collect()
    return c_heap_in_use() - before


def test_a_line_set_leaves_no_native_memory_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint 70 lost the font-feature list of each layout it set up (some 150 bytes, a
    layout for every line tried, kept and drawn: 18 MB for each rendering of 48 pages, never
    given back); with font_feature_lists.py, the C heap is as it was after 5,000 lines."""
    assert font_feature_lists.install()
    assert heap_growth_of_layouts(5000) < 64 * 1024
    monkeypatch.setattr(Layout, "setup", font_feature_lists.UPSTREAM_SETUP)
    assert heap_growth_of_layouts(5000) > 5000 * 64  # what upstream loses: the test can see it


def test_the_freed_font_feature_lists_change_no_byte_of_the_pdf(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert font_feature_lists.install()
    freed = featured_document(40).write_pdf()
    monkeypatch.setattr(Layout, "setup", font_feature_lists.UPSTREAM_SETUP)
    assert featured_document(40).write_pdf() == freed


def test_the_freed_font_feature_lists_stay_out_of_another_weasyprint() -> None:
    before = Layout.setup
    assert not font_feature_lists.install("71.0")
    assert Layout.setup is before


def test_each_rendering_leaves_no_garbage_to_collect(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A rendering's style tables (every element's and pseudo-element's styles, in cycles)
    outlived it until Python's next full collection: through the index's renderings and the
    writing of the book, some 0.8 MB a page. Each rendering of a build is collected as it
    returns: nothing is left to collect then."""
    from tei_edition.cli import main
    from tei_edition.writers import pdf

    left: dict[str, int] = {}
    upstream = pdf.render

    def watched(html: object, fetcher: object, rendering: dict[str, object],
                what: str) -> object:
        made = upstream(html, fetcher, rendering, what)
        left[what] = max(left.get(what, 0), gc.collect())
        return made

    monkeypatch.setattr(pdf, "render", watched)
    source = write_text(tmp_path, 30)
    assert main(["build", "pdf", str(source), "-o", str(tmp_path / "book.pdf")]) == 0
    assert {"the articles", "the book", "the index"} <= set(left)
    assert max(left.values()) < 100, left


# -- the elements' style tables, dropped once the boxes are built ---------------------------

PAGED = """@page { size: A6; @top-center { content: string(part) " " counter(page) }
                    @bottom-center { content: element(foot) } }
h2 { string-set: part content() } .foot { position: running(foot) }
.fn { float: footnote } ::footnote-call { content: counter(footnote) }
p::before { content: "§ " } a::after { content: " (p. " target-counter(attr(href), page) ")" }"""


def paged_document(parts: int) -> weasyprint.HTML:
    """Pages whose margin boxes, footnotes and generated content all read styles."""
    text = "".join(f"<h2 id='h{n}'>Part {n}</h2><p class='foot'>Foot {n}</p>"
                   f"<p>{SENTENCE}<span class='fn'>Note {n}.</span> See "
                   f"<a href='#h{(n * 7) % parts}'>part</a>. {SENTENCE * 4}</p>"
                   for n in range(parts))
    return weasyprint.HTML(string=f"<html lang='en'><style>{FEATURED}{PAGED}</style><body>"
                                  f"{text}</body></html>")


def test_each_page_reads_only_the_page_styles(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint 70 went through the styles of every element of the book for every page it
    made (n² in the pages), and kept them all to the end of the rendering; with
    style_tables.py, a page finds only the root's and the pages' own (a few a page type)."""
    from weasyprint.layout import page

    upstream = page.set_page_type_computed_styles
    sizes: list[int] = []

    def watched(page_type: object, html: weasyprint.HTML, style_for: object) -> None:
        sizes.append(sum(isinstance(element, ElementTree.Element)
                         and element is not html.etree_element
                         for table in (style_for.get_cascaded_styles(),
                                       style_for.get_computed_styles())
                         for element, _ in table))
        upstream(page_type, html, style_for)

    monkeypatch.setattr(page, "set_page_type_computed_styles", watched)
    assert style_tables.install()
    pages = len(paged_document(30).render().pages)
    assert len(sizes) >= pages > 10 and max(sizes) == 0  # the root's alone are kept
    sizes.clear()
    monkeypatch.setattr(document, "build_formatting_structure", style_tables.UPSTREAM_BUILD)
    paged_document(30).render()
    assert min(sizes) > 30 * 5  # upstream: every element, every page


def test_the_dropped_style_tables_change_no_byte_of_the_pdf(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert style_tables.install()
    dropped = paged_document(30).write_pdf(pdf_tags=True)
    monkeypatch.setattr(document, "build_formatting_structure", style_tables.UPSTREAM_BUILD)
    assert paged_document(30).write_pdf(pdf_tags=True) == dropped


def test_the_dropped_style_tables_stay_out_of_another_weasyprint() -> None:
    before = document.build_formatting_structure
    assert not style_tables.install("71.0")
    assert document.build_formatting_structure is before
