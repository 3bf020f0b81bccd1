"""The book set in parts, one part's layout in memory at a time.

WeasyPrint lays a document out whole, and holds every box of it until the PDF is written: some
1 MB a page, 3.7 GB for a book of 1,000 pages. It cannot lay out part of a document, so the
book is set in the parts that already begin on a recto of their own (print.css: `article.article
{ break-before: right }`): each article of <main>, set alone, its folios continuing the book's
(`@page :first { counter-reset: page N }`, as the index is set). What the front and back matter
read of the articles (the contents' pages, the chronology's "p. N", the index's numbers) comes
from a SKELETON of the book: the book itself with each article replaced by as many empty pages
as it has, each page holding empty elements with the ids that fall on it in the article's own
rendering. WeasyPrint then resolves every `target-counter` of the front and back matter
itself. The PDF takes the skeleton's pages but those of the articles, which are set again as
the PDF is written (`book_pages`): an article is set twice, once to count its pages, once for
the PDF, and only one is in memory at a time.
"""

from __future__ import annotations

import copy
import gc
from collections.abc import Callable, Iterator

import lxml.html
import weasyprint
from lxml import etree

# An article's pages in the skeleton, and the ids that fall on each (their own elements).
SKELETON_PAGE = "skeleton-page"
SKELETON_CSS = f".{SKELETON_PAGE} + .{SKELETON_PAGE} {{ break-before: page }}"

# A rendering of `html` with one more stylesheet (CSS text, or ""), named for EDITION_TIMINGS.
Render = Callable[[lxml.html.HtmlElement, str, str], weasyprint.document.Document]


def main_articles(html: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The book's articles: the parts of its <main> that each begin on a recto."""
    return html.xpath("/html/body/main/article")


def partable(html: lxml.html.HtmlElement) -> bool:
    """Whether the book has articles to be set in parts by, each with an id of its own that
    finds its pages: two articles of one id (two TEI files of one name, say) would take each
    other's place in the book."""
    ids = [article.get("id") for article in main_articles(html)]
    return bool(ids) and all(ids) and len(set(ids)) == len(ids)


def with_only(html: lxml.html.HtmlElement,
              parts: list[lxml.html.HtmlElement]) -> lxml.html.HtmlElement:
    """A copy of `html` whose <main> holds only (copies of) `parts`, and whose body nothing
    else: one part of the book, made without copying the rest of it."""
    document = lxml.html.Element(html.tag, dict(html.attrib))
    head = html.find("head")
    if head is not None:
        document.append(copy.deepcopy(head))
    body = html.find("body")
    alone = etree.SubElement(document, "body", dict(body.attrib))
    main = body.find("main")
    if main is not None:
        kept = etree.SubElement(alone, "main", dict(main.attrib))
        kept.text = main.text
        kept.extend(copy.deepcopy(part) for part in parts)
    return document


def numbers_by_article(pool: lxml.html.HtmlElement | None
                       ) -> dict[str, list[lxml.html.HtmlElement]]:
    """The margin numbers of the lineation's `pool` by the article they number, read in one
    pass: each article set alone (twice) takes its own from here, where a pass over the whole
    pool for each made the cost the articles times the book's lines."""
    numbers: dict[str, list[lxml.html.HtmlElement]] = {}
    for number in pool if pool is not None else ():
        numbers.setdefault(number.get("data-article"), []).append(number)
    return numbers


def article_alone(html: lxml.html.HtmlElement, article: lxml.html.HtmlElement,
                  pool: lxml.html.HtmlElement | None, numbers: list[lxml.html.HtmlElement],
                  pool_first: bool = False) -> lxml.html.HtmlElement:
    """The book with `article` alone in it, to be set as the book sets it: the parts of <main>
    before it stay as empty elements not displayed (stand_in), so that a selector of its place
    (print.css: the first article opens the book, `page: opening`) selects as in the book.

    Its margin numbers of the lineation's `pool` (`numbers`: numbers_by_article) follow it, as
    the book's follow its last article; or, `pool_first`, open it: a pool runs over to the
    pages after the one it begins on, and an article alone has none after its last."""
    alone = with_only(html, [article])
    [copied] = main_articles(alone)
    main = copied.getparent()
    if article.getprevious() is not None:  # <main> begins on a page of the part before
        main.attrib.pop("id", None)
    for outer in (alone, alone.find("body")):  # the front matter's pages hold their ids
        outer.attrib.pop("id", None)
    for before in article.itersiblings(preceding=True):
        if isinstance(before.tag, str):
            copied.addprevious(stand_in(before))
    if pool is not None:
        own = pool_of(pool, numbers)
        if pool_first:
            copied.insert(0, own)
        else:
            copied.addnext(own)
    return alone


def pool_of(pool: lxml.html.HtmlElement, numbers: list[lxml.html.HtmlElement]
            ) -> lxml.html.HtmlElement:
    """A margin numbers' pool like the lineation's `pool`, holding copies of `numbers`."""
    own = lxml.html.Element(pool.tag, dict(pool.attrib))
    own.extend(copy.deepcopy(number) for number in numbers)
    return own


def stand_in(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """An empty copy of `element` that is not displayed, whatever display a stylesheet gives
    its kind (inline style: `hidden` loses to `figure { display: block }`), nor has its id
    (its anchor is in another part): a selector of place still counts it."""
    attributes = {name: value for name, value in element.attrib.items()
                  if name not in ("id", "style")}
    return lxml.html.Element(element.tag, attributes, style="display: none")


def folio_rule(folio: int) -> str:
    """The stylesheet that numbers a part's first page `folio`."""
    return f"@page :first {{ counter-reset: page {folio} }}"


def anchors_by_page(rendering: weasyprint.document.Document,
                    article: lxml.html.HtmlElement) -> list[list[str]]:
    """The ids of the elements inside `article` (not its own) that begin on each page of its
    rendering."""
    inside = {element.get("id") for element in article.iterdescendants() if element.get("id")}
    pages = []
    for page in rendering.pages:
        pages.append([anchor for anchor in page.anchors if anchor in inside])
        inside.difference_update(page.anchors)
    return pages


def referenced_from_outside(html: lxml.html.HtmlElement) -> frozenset[str]:
    """The ids that the book's parts other than its articles link to (the contents, the
    chronology's "p. N", the index's numbers): all the skeleton's pages need to hold."""
    return frozenset(href[1:] for href in html.xpath(
        "//a[starts-with(@href, '#')][not(ancestor::article[parent::main])]/@href"))


def skeleton(html: lxml.html.HtmlElement, articles_pages: list[list[list[str]]],
             referenced: frozenset[str]) -> lxml.html.HtmlElement:
    """The book with each article replaced by its pages, empty but for the ids that fall on
    them (`articles_pages`, in the articles' order) that the rest of the book links to
    (`referenced`): WeasyPrint looks each id of a page up in a list of all the ids of the
    pages before it, n² in the ids, which every line and note of a 1,000-page book has (some
    minutes of the book's time, for ids nothing outside the articles asks for). The margin
    numbers' pool stays after the
    last: what of it a page after the articles holds is the book's (its numbers, the
    articles', are taken out of it: place_line_numbers).

    The articles' text is not copied: each stands aside, an empty article in its place, while
    the rest of the book is copied (a whole copy held the book's text twice while the skeleton
    was set)."""
    articles = main_articles(html)
    emptied = [lxml.html.Element(article.tag, dict(article.attrib)) for article in articles]
    for article, empty in zip(articles, emptied, strict=True):
        empty.tail = article.tail
        article.addprevious(empty)
        article.getparent().remove(article)  # and its tail with it (lxml moves tails along)
    try:
        book = copy.deepcopy(html)
    finally:
        for article, empty in zip(articles, emptied, strict=True):
            empty.addprevious(article)
            empty.getparent().remove(empty)
    for article, pages in zip(main_articles(book), articles_pages, strict=True):
        for anchors in pages:
            page = etree.SubElement(article, "div", {"class": SKELETON_PAGE})
            for anchor in anchors:
                if anchor in referenced:
                    etree.SubElement(page, "div", id=anchor)
    return book


def book_pages(book: weasyprint.document.Document, starts: list[int],
               set_article: Callable[[int], Iterator[weasyprint.document.Document]]
               ) -> Iterator[weasyprint.document.Document]:
    """The book's pages in parts: the skeleton's `book` but the pages of each article, which
    begins on its page `starts[k]` (index) and is set by `set_article(k)` (in one part, or in
    slices: article_slices.py) only when the parts before it are taken; each part dropped here
    once yielded."""
    taken = 0
    for number, start in enumerate(starts):
        if start > taken:
            yield book.copy(book.pages[taken:start])
        taken = start
        for part in set_article(number):
            taken += len(part.pages)
            yield part
            del part
            gc.collect()
    if taken < len(book.pages):
        yield book.copy(book.pages[taken:])
