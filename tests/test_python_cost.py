"""The Python steps of the writers linear in the book (issue 18): none walks the whole book
once for each of its parts (an entry of the contents, a note, a page), which made its cost per
page grow with the book. Each test counts the walks of the whole book a step makes, in books
of two sizes: the same count in both. Timings are `scripts/bench --scale`'s."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import SimpleNamespace

import lxml.html
import pytest
from lxml import etree
from weasyprint.formatting_structure import boxes

from tei_edition.chronology import DateMention, events
from tei_edition.pipeline import transform
from tei_edition.print_apparatus import collect
from tei_edition.print_index_columns import _set_entries
from tei_edition.print_matter import authors_in_the_contents
from tei_edition.synthetic import write_text
from tei_edition.writers import reading_copy
from tei_edition.writers.book_parts import article_alone, numbers_by_article
from tei_edition.writers.pdf import footnotes_at_calls

TEI = "http://www.tei-c.org/ns/1.0"
WALKS = ("xpath", "iter", "iterfind", "find_class", "iterdescendants", "findall")


class Counted(lxml.html.HtmlElement):
    """An element that counts the walks made from the root of its book."""

    walks = 0

    def __getattribute__(self, name: str) -> object:
        if name in WALKS and lxml.html.HtmlElement.getparent(self) is None:
            Counted.walks += 1
        return super().__getattribute__(name)


def counted(html: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """A copy of the book whose elements count the walks from its root."""
    parser = lxml.html.HTMLParser()
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(element=Counted))
    return lxml.html.fromstring(lxml.html.tostring(html), parser=parser)


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> list[lxml.html.HtmlElement]:
    """The reading copies of a synthetic text of 400 notes in one article and one of 1,600 in
    four (6 entries in the contents and 15)."""
    return [reading_copy(transform(write_text(tmp_path_factory.mktemp(f"text{notes}"), notes,
                                              articles=articles)))
            for notes, articles in ((400, 1), (1600, 4))]


def walks(step: Callable[[lxml.html.HtmlElement], object], book: lxml.html.HtmlElement) -> int:
    html = counted(book)
    Counted.walks = 0
    step(html)
    return Counted.walks


def test_the_authors_of_the_contents_are_found_in_one_walk(
        books: list[lxml.html.HtmlElement]) -> None:
    """Each entry of the contents looked its article up in a walk of the book: 6 walks for 6
    entries, 15 for 15 (the articles times the text: 2.5 times the cost per note in 10
    articles of 15,000 notes as in one of 1,875)."""
    small, large = (walks(authors_in_the_contents, book) for book in books)
    assert small == large


@pytest.mark.parametrize("step", [collect, footnotes_at_calls])
def test_the_contents_are_walked_once_for_all_the_articles_sections(
        step: Callable[[lxml.html.HtmlElement], object],
        books: list[lxml.html.HtmlElement]) -> None:
    """Each article's apparatus and notes dropped their contents entries, each found in a walk
    of the whole book: a walk more for each article."""
    small, large = (walks(step, book) for book in books)
    assert small == large


def test_each_article_alone_takes_its_margin_numbers_without_going_through_the_pool() -> None:
    """Each article set alone (twice) went through the whole pool for its own margin numbers,
    and once more to count them: the articles times the book's lines. The pool is read once
    (numbers_by_article); an article alone holds the numbers it is given, not the pool's."""
    book = lxml.html.fromstring(
        "<html><head></head><body><main><article id='a'><p>A.</p></article>"
        "<article id='b'><p>B.</p></article></main></body></html>")
    pool = lxml.html.fromstring(
        "<div class='line-number-pool'>"
        + "".join(f"<span data-article='{article}' data-line-number='{line}'>{line}</span>"
                  for article in "ab" for line in (5, 10, 15)) + "</div>")
    numbers = numbers_by_article(pool)
    assert {article: [number.text for number in listed]
            for article, listed in numbers.items()} == {"a": ["5", "10", "15"],
                                                        "b": ["5", "10", "15"]}
    [second] = book.xpath("//article[@id='b']")
    alone = article_alone(book, second, pool, numbers["b"][:1])
    assert [number.get("data-line-number") for number in alone.find_class("line-number-pool")[0]
            ] == ["5"]


class CountedMention(DateMention):
    """A date mention that counts how often its element is asked for."""

    asked = 0

    def __getattribute__(self, name: str) -> object:
        if name == "element":
            CountedMention.asked += 1
        return super().__getattribute__(name)


def mentions_asked(paragraphs: int) -> float:
    """How often the chronology's events asked a mention for its element, per mention, in a
    text of `paragraphs` paragraphs of two dates each."""
    text = "".join(f'<p>On <date when="1920-03-{day:02}">the {day}th</date> the commission met, '
                   f'and on <date when="1921-04-{day:02}">the next</date> it wrote.</p>'
                   for day in range(1, paragraphs + 1))
    root = etree.fromstring(f'<TEI xmlns="{TEI}"><text><body><div>{text}</div></body>'
                            "</text></TEI>")
    mentions = [CountedMention(f"d{number}", "a", "A", "1", date)
                for number, date in enumerate(root.iter(f"{{{TEI}}}date"))]
    CountedMention.asked = 0
    assert len(events(mentions)) == 2 * paragraphs
    return CountedMention.asked / len(mentions)


def test_the_chronology_finds_an_events_mentions_without_going_through_all() -> None:
    """Each date's event looked for its mentions in all the dates of the text: 16,000 dates
    took 33 s (2,053 µs a date, 517 for 1,000), now 7 s."""
    assert mentions_asked(10) == mentions_asked(28)


class CountedListing(lxml.html.HtmlElement):
    """An element that counts the passes over its children."""

    passes = 0

    def __iter__(self) -> Iterator[lxml.html.HtmlElement]:
        CountedListing.passes += 1
        return super().__iter__()


class SetBox(boxes.BlockBox):
    """A block as the index's measure reads it, without a layout."""

    def __init__(self, element: lxml.html.HtmlElement | None, children: list[object] = (),
                 is_column: bool = False) -> None:
        self.element, self.children, self.is_column = element, list(children), is_column
        self.margin_bottom, self.style = 0, {"break_before": "auto"}

    def margin_height(self) -> float:
        return 10


def listing_passes(pages: int) -> int:
    """The passes over a register's entries while the entries of `pages` pages of two columns,
    three entries each, are read."""
    parser = lxml.html.HTMLParser()
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(element=CountedListing))
    html = lxml.html.fromstring("<html><body><ul class='register-entries'>"
                                + "<li>entry</li>" * 6 * pages + "</ul></body></html>",
                                parser=parser)
    [listing] = html.iter("ul")
    items = list(listing)
    set_pages = [SimpleNamespace(_page_box=SetBox(None, [SetBox(html, [SetBox(listing, [
        SetBox(item) for item in items[start:start + 3]], is_column=True)
        for start in (6 * page, 6 * page + 3)])])) for page in range(pages)]
    CountedListing.passes = 0
    [entries] = _set_entries(SimpleNamespace(pages=set_pages))
    assert [entry.position for entry in entries] == list(range(6 * pages))
    return CountedListing.passes


def test_the_index_measure_lists_a_registers_entries_once() -> None:
    """Each column of the index listed all its register's entries again: its columns times its
    entries."""
    assert listing_passes(2) == listing_passes(6)
