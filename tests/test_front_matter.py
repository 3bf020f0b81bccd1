"""The printed book's front matter and running heads as a press expects them, whatever the book:
the imprint on the verso of the title page alone, the contents opening on a recto, and a verso
head on every text page, an article without an author included (print_matter.py, print.css)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tei_edition.synthetic import write_text
from test_pdf import SOURCE_DATE_EPOCH, build, outline, poppler, running_heads

ARTICLES = 5
UNSIGNED = "An unsigned text"


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A synthetic book of five articles (five "Source:" lines, more than a verso holds beside
    the rest of the imprint), its second article without an author and titled apart."""
    folder = tmp_path_factory.mktemp("front-matter")
    source = write_text(folder / "book", 130, articles=ARTICLES)
    text = source.read_text(encoding="utf-8")
    second = [match.start() for match in re.finditer("<TEI", text)][1]
    article = re.sub(r"<author>.*?</author>", "", text[second:], count=1)
    article = re.sub(r"A synthetic text of \d+ notes", UNSIGNED, article, count=1)
    source.write_text(text[:second] + article, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        yield build(folder / "book.pdf", str(source))


def page(pdf: Path, number: int) -> str:
    return poppler("pdftotext", "-enc", "UTF-8", "-f", number, "-l", number, pdf, "-")


def test_the_imprint_stands_on_the_title_pages_verso_alone(book: Path) -> None:
    """The title page's verso holds the whole imprint, to the date of typesetting (it spilled
    onto the next page, one "Source:" line an article), saying where the sources are given."""
    title = next(number for number in range(1, 6) if "scripts/bench · 2026" in page(book, number))
    imprint = page(book, title + 1)
    assert "Identifier: synthetic" in imprint and "Typeset on" in imprint
    assert "The source of each article is given at its head" in imprint
    assert "Source:" not in imprint
    assert outline(book)[0][1:] == ("Contents", title + 2)


def test_the_contents_open_on_a_recto(book: Path) -> None:
    """print.css opens the contents on a recto whatever comes before them (they fell on a
    verso after an imprint of two pages)."""
    _, title, number = outline(book)[0]
    assert title == "Contents" and number % 2 == 1


def test_a_verso_without_an_author_carries_the_articles_title(book: Path) -> None:
    """Every page of the unsigned article but its opening has a head on both sides of the
    spread: its short title beside the folio, on the verso as on the recto (the verso had the
    folio alone); the signed articles keep their author on the verso."""
    parts = [(number, title) for level, title, number in outline(book) if level == 1]
    opening = next(number for number, title in parts if title == UNSIGNED)
    following = min(number for number, _ in parts if number > opening)
    heads = running_heads(book)
    versos = 0
    for number in range(opening + 1, following):
        if heads[number - 1] is None:  # a blank page before the next article
            continue
        words = [head for head in heads[number - 1] if not head.isdigit()]
        assert words == [UNSIGNED], (number, heads[number - 1])
        versos += number % 2 == 0
    assert versos >= 1
    assert any(head and head[1:] == ["Synthetic Author"] for head in heads[following:])
