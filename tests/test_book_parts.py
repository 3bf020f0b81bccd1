"""The book set in parts (writers/book_parts.py) is the book set whole: an article at a time,
its folios, running heads, margin numbers, the contents' and the index's pages as they were.

The edition's own PDF (two articles) is held byte for byte by the lead's recorded builds; these
tests hold it on synthetic books, set both ways in one run.
"""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path

import pytest

from tei_edition.synthetic import write_text

SOURCE_DATE_EPOCH = "1700000000"


def build(source: Path, output: Path, monkeypatch: pytest.MonkeyPatch,
          in_parts: bool) -> list[str]:
    """Build the PDF of `source`, whole or in parts; the renderings' names, in their order."""
    from tei_edition.cli import main
    from tei_edition.writers import pdf

    rendered: list[str] = []
    upstream = pdf.render

    def watched(html: object, fetcher: object, rendering: dict[str, object],
                what: str) -> object:
        rendered.append(what)
        return upstream(html, fetcher, rendering, what)

    with monkeypatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        patch.setattr(pdf, "render", watched)
        patch.setattr(pdf, "typeset", functools.partial(pdf.typeset, in_parts=in_parts))
        assert main(["build", "pdf", str(source), "-o", str(output)]) == 0
    return rendered


def pages_text(pdf: Path) -> list[str]:
    """The text of each page, as pdftotext reads it."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", str(pdf), "-"],
                          check=True, capture_output=True, text=True).stdout
    return text.split("\f")


def test_a_book_of_articles_set_in_parts_reads_page_by_page_as_set_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two articles, each set alone: every page (folio, running head, margin numbers, notes,
    the contents' and the index's page numbers) reads as in the book set whole. Each article's
    margin numbers are more than its last page holds: they open it (book_parts.py), where the
    book's run over to the pages after its last article."""
    from tei_edition.writers import pdf

    source = write_text(tmp_path / "book", 560, articles=2)
    whole = build(source, tmp_path / "whole.pdf", monkeypatch, in_parts=False)
    opening: list[bool] = []
    upstream = pdf.article_alone
    monkeypatch.setattr(pdf, "article_alone", lambda *arguments: (
        opening.append(arguments[-1]), upstream(*arguments))[1])
    parts = build(source, tmp_path / "parts.pdf", monkeypatch, in_parts=True)
    assert "the book's article" not in whole
    assert parts.count("the book's article") == 2
    assert opening[-2:] == [True, True]  # counted with their numbers after them, which ran over
    whole_pages = pages_text(tmp_path / "whole.pdf")
    parts_pages = pages_text(tmp_path / "parts.pdf")
    assert len(parts_pages) == len(whole_pages) > 30
    for number, (in_parts, set_whole) in enumerate(zip(parts_pages, whole_pages, strict=True),
                                                   start=1):
        assert in_parts == set_whole, f"page {number}"


def test_one_article_set_in_parts_is_the_same_pdf(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A text of one article: its front matter, the article and its index in parts give the
    very bytes of the book set whole."""
    source = write_text(tmp_path / "text", 60)
    build(source, tmp_path / "whole.pdf", monkeypatch, in_parts=False)
    assert build(source, tmp_path / "parts.pdf", monkeypatch, in_parts=True).count(
        "the book's article") == 1
    assert (tmp_path / "parts.pdf").read_bytes() == (tmp_path / "whole.pdf").read_bytes()


def test_articles_of_one_id_are_not_set_in_parts() -> None:
    """Two articles of one id (two TEI files of one name) would take each other's place in a
    book set in parts: pages lost and repeated, folios wrong. Such a book is set whole."""
    import lxml.html

    from tei_edition.writers.book_parts import partable

    def book(*ids: str) -> lxml.html.HtmlElement:
        articles = "".join(f'<article id="{id_}"><p>Text.</p></article>' for id_ in ids)
        return lxml.html.fromstring(f"<html><body><main>{articles}</main></body></html>")

    assert partable(book("first", "second"))
    assert not partable(book("same", "same"))
    assert not partable(book("first", ""))


def test_an_article_set_in_other_pages_than_counted_stops_the_pdf(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Each article is counted, then set again for the book in the slot the count gave it: a
    setting of another length would lose or repeat pages, so it is an error, nothing written."""
    from tei_edition.cli import main
    from tei_edition.writers import pdf

    source = write_text(tmp_path / "book", 40, articles=2)
    output = tmp_path / "book.pdf"
    counted = pdf.anchors_by_page
    monkeypatch.setattr(pdf, "anchors_by_page", lambda *args: [*counted(*args), []])
    assert main(["build", "pdf", str(source), "-o", str(output)]) == 1
    assert "when counted; the PDF is not written" in capsys.readouterr().err
    assert not output.exists()


def test_an_article_whose_id_is_no_anchor_is_set_whole(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An id WeasyPrint makes no anchor of (quotes in a TEI idno) gives the book no page for
    its article: the book is set whole, as before the parts, and says what WeasyPrint says."""
    from tei_edition.cli import main

    source = write_text(tmp_path / "book", 40, articles=2)
    source.write_text(source.read_text(encoding="utf-8").replace(
        '<idno type="edition">article-2', '<idno type="edition">article "2"'), encoding="utf-8")
    assert main(["build", "pdf", str(source), "-o", str(tmp_path / "book.pdf")]) == 1
    said = capsys.readouterr().err
    assert "WeasyPrint reported" in said and "KeyError" not in said


def test_the_skeleton_copies_the_book_but_not_its_articles_text(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The skeleton is the book with each article's pages emptied: its front and back matter
    copied, the articles' text never (a whole copy held the book's text twice while the
    skeleton was set), and the book it is made from left as it was, tails and all."""
    import copy

    import lxml.html

    from tei_edition.writers import book_parts

    html = lxml.html.fromstring(
        "<html><body><nav>Contents</nav><main>"
        '<article id="a"><p id="a1">Article text.</p><p id="a2">More.</p></article>\n'
        '<article id="b"><p id="b1">Second text.</p></article>\n'
        "</main><section>Index</section></body></html>")
    before = lxml.html.tostring(html)
    copied: list[bytes] = []
    upstream = copy.deepcopy

    def watched(element: object, *args: object) -> object:
        copied.append(lxml.html.tostring(element))
        return upstream(element, *args)

    monkeypatch.setattr(book_parts.copy, "deepcopy", watched)
    book = book_parts.skeleton(html, [[["a1", "a3"], ["a2"]], [["b1"]]],
                               frozenset({"a1", "a2", "b1"}))
    assert lxml.html.tostring(html) == before
    assert copied and not any(b"text." in copy_ for copy_ in copied)
    # a3: an id nothing outside the articles links to
    assert [[[anchor.get("id") for anchor in page] for page in article]
            for article in book_parts.main_articles(book)] == [[["a1"], ["a2"]], [["b1"]]]
    assert book.findtext(".//nav") == "Contents" and "Index" in lxml.html.tostring(book).decode()
    assert "text" not in book.text_content()


def test_the_skeleton_holds_only_the_ids_the_rest_of_the_book_links_to() -> None:
    """WeasyPrint looks each id of a page up in a list of the ids of all the pages before it
    (n² in a book's ids): the skeleton holds the ids the contents, the chronology and the
    index link to, not every line and note of the articles."""
    import lxml.html

    from tei_edition.writers import book_parts

    html = lxml.html.fromstring(
        '<html><body><nav><a href="#s1">Section</a></nav><main>'
        '<article id="a"><h2 id="s1">S</h2><p id="l1">Text <a href="#l2">see</a>.</p>'
        '<p id="l2">More.</p></article></main>'
        '<section class="registers"><a href="#l1">1</a><a href="https://x.org/#y">y</a>'
        "</section></body></html>")
    assert book_parts.referenced_from_outside(html) == {"s1", "l1"}
