"""The PDF's memory: what a rendering holds is given back when it is dropped, and the overrides
that make it so change no byte of the PDF.

A book of 1,000 pages is too long for the suite; `scripts/bench --scale` measures its peak. These
tests hold the mechanisms exactly, on a few pages.
"""

from __future__ import annotations

import gc
from pathlib import Path
from types import SimpleNamespace

import pytest
import weasyprint
from weasyprint.text.line_break import Layout, split_first_line

from tei_edition.synthetic import write_text
from tei_edition.writers import font_feature_lists
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
