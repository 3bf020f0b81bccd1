"""The web writer: the semantic HTML as a static site, one page per article and per back part.

No server is needed: pages link to each other by relative URLs, fonts, styles and the one small
script are copied into the site, and a Content Security Policy forbids anything from elsewhere.
Both readings stay in the page; a switch (radio buttons and CSS `:has`, so it works without
JavaScript) shows the normalised or the diplomatic one, and `view.js` remembers the choice across
pages.
"""

from __future__ import annotations

import copy
import re
import shutil
import unicodedata
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from lxml import etree

from ..atomic import atomic_directory
from ..diagnostics import Diagnostic, warning
from ..html import HTML, Document, html_element, plain_text, serialize
from ..htmlpaths import ElementIndex, with_class
from ..reference_list import link_references_back
from ..resources import file_path
from . import FONTS, STYLES, BuildOptions, date_the_output
from .citing import Download, cite_box, copy_downloads, highwire_meta, part_authors
from .search import SEARCH_PAGE, SEARCH_SCRIPT, indexing, prepare_for_indexing, search_page

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self'; "
    "script-src 'self'; base-uri 'none'; form-action 'none'"
)
# What Pagefind may need beyond it, on the search page alone: its worker (whose own policy
# comes with its response) fetches the index and compiles the WebAssembly; where no worker can
# start, Pagefind does both in the page. The pages of the text run no code that needs them.
SEARCH_PAGE_POLICY = CONTENT_SECURITY_POLICY.replace(
    "script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; "
    "worker-src 'self'")
STYLESHEETS = ("edition.css", "phrase-rendering.css", "web.css")
SCRIPT = "view.js"
ICON = "icon.svg"
OPENTYPE_FONT = re.compile(r"url\((fonts/[^)]+)\.otf\)")
REGISTERS = with_class("register", "section")  # html.write_registers
# The pages not named after a part of the book (an article "index" would take the front page).
PAGES_OF_ITS_OWN = ("index.html", SEARCH_PAGE)


@dataclass
class Page:
    """One file of the site: its name, title, and the parts of the document it holds."""

    file: str
    title: str
    parts: list[lxml.html.HtmlElement]


def write_site(document: Document, output: Path, options: BuildOptions) -> None:
    """Write the site into the folder `output`, replacing it only when everything is written.
    The document is taken apart (its parts move onto the pages), not copied."""
    html = document.html
    # The head's metadata as the transform made it, which every page repeats (not the date
    # this output was made, which only the imprint says).
    head_metadata = list(html.find("head").iterfind("meta[@name]"))
    date_the_output(html, "This web edition was made on")
    link_references_back(html)
    for register in REGISTERS(html):
        alphabet(register)
    pages = paginate(html, document.metadata.title, options.search)
    indexes = [ElementIndex(page.parts) for page in pages]  # one walk of the text
    names_out_of_the_tab_order(indexes)
    owner = {anchor: page.file for page, index in zip(pages, indexes, strict=True)
             for anchor in index.ids}
    books = books_beside(output, document, options.report)
    with atomic_directory(output, "the web site") as site:
        downloads = copy_downloads(document, site, books)
        for page, index in zip(pages, indexes, strict=True):
            tree = page_tree(document, page, pages, downloads, index, head_metadata,
                             options.search)
            relink(tree, page.file, owner, options)
            copy_media(tree, site / "media")
            (site / page.file).write_bytes(serialize(tree))
        # The search index made while the styles and fonts are written.
        with indexing(site) if options.search else nullcontext():
            copy_assets(site / "styles", document_text(html, pages), options.search)
            # The pages' trees freed while Pagefind runs, not once it has finished.
            del tree, pages, indexes, owner


def books_beside(output: Path, document: Document,
                 report: Callable[[Diagnostic], None]) -> list[Path]:
    """The PDF and EPUB of this edition built beside the site (`make html` builds
    build/edition.pdf and .epub from edition/edition.xml first), to be offered for download:
    named as its TEI file, and made after every file it is made from. A book of another name
    is another edition's; an older one may not say what the site says: not offered (said)."""
    source = Path(document.inputs[0]) if document.inputs else None
    if source is None:
        return []
    newest = max((path.stat().st_mtime for path in map(Path, document.inputs) if path.exists()),
                 default=0.0)
    books = []
    for book in (output.parent / f"{source.stem}.pdf", output.parent / f"{source.stem}.epub"):
        if not book.is_file():
            continue
        if book.stat().st_mtime < newest:
            report(warning("older than a file the edition is made from: not offered for download "
                           "(build it again before the site)", book, code="stale-download"))
            continue
        books.append(book)
    return books


def document_text(html: lxml.html.HtmlElement, pages: Iterable[Page]) -> str:
    """The text of the document as the transform made it, its parts now on the pages (their
    text unchanged there; what a page adds around them, not included)."""
    return "".join(etree.tostring(element, method="text", encoding=str)  # with tails
                   for element in [html, *(part for page in pages for part in page.parts)])


def names_out_of_the_tab_order(indexes: Iterable[ElementIndex]) -> None:
    """A keyboard reader tabs from mark to note to citation, not through every name (411 on
    the Kars page): a name stays a link for a pointer, a tap and a screen reader's list of
    links, and the index leads from each entry to every place the name stands."""
    for index in indexes:
        for link in index.of_class("name", "a"):
            link.set("tabindex", "-1")


def paginate(html: lxml.html.HtmlElement, title: str, search: bool) -> list[Page]:
    """The front matter on index.html, then a page per article and back part of `main`, then
    the search page (unless `search` is false)."""
    body = html.find("body")
    front = [child for child in body if child.tag != "main"]
    pages = [Page("index.html", title, front)]
    for part in body.find("main"):
        heading = part.find(".//h2")
        pages.append(Page(f"{part.get('id')}.html", plain_text(heading), [part]))
    if search:
        pages.append(Page(SEARCH_PAGE, "Search", []))
    return pages


def page_tree(document: Document, page: Page, pages: list[Page], downloads: list[Download],
              index: ElementIndex, head_metadata: list[lxml.html.HtmlElement],
              search: bool) -> lxml.html.HtmlElement:
    """One page: the document's head metadata (`head_metadata`) with citation metadata, a site
    header with navigation and the view switch, the page's parts, a footer with the citation
    box and the licence."""
    metadata = document.metadata
    html = HTML.makeelement("html", lang=document.html.get("lang", "en"))
    head = html_element(html, "head")
    html_element(head, "meta", charset="utf-8")
    html_element(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    html_element(head, "meta", http_equiv="Content-Security-Policy",
                 content=SEARCH_PAGE_POLICY if page.file == SEARCH_PAGE else
                 CONTENT_SECURITY_POLICY)
    title = page.title if page.file == "index.html" else f"{page.title} — {metadata.title}"
    html_element(head, "title", title)
    for meta in head_metadata:
        if meta.get("name") != "author":  # the page's own authors follow
            head.append(copy.deepcopy(meta))
    chapter = None if page.file == "index.html" else page.title
    authors = part_authors(metadata, chapter, [plain_text(author)
                                               for author in index.of_class("author")])
    highwire_meta(head, metadata, chapter, authors, downloads)
    html_element(head, "link", rel="icon", href=f"styles/{ICON}", type="image/svg+xml")
    for stylesheet in STYLESHEETS:
        html_element(head, "link", rel="stylesheet", href=f"styles/{stylesheet}")
    html_element(head, "script", src=f"styles/{SCRIPT}", defer="defer")
    if page.file == SEARCH_PAGE:
        html_element(head, "script", src=f"styles/{SEARCH_SCRIPT}", defer="defer")

    body = html_element(html, "body")
    html_element(body, "a", "Skip to the text", href="#site-content", class_="skip-link")
    banner = html_element(body, "header", class_="site-header")
    html_element(banner, "a", metadata.title, href="index.html", class_="site-title")
    navigation = html_element(banner, "nav", class_="site-nav", aria_label="Edition")
    links = html_element(navigation, "ul")
    for other in pages:
        item = html_element(html_element(links, "li"), "a",
                            "Contents" if other.file == "index.html" else other.title,
                            href=other.file)
        if other is page:
            item.set("aria-current", "page")
    if has_two_views(index):
        view_switch(banner)
    main = html_element(body, "main", id="site-content")
    main.extend(page.parts)  # moved out of the writer's own copy of the document, not copied
    if page.file == SEARCH_PAGE:
        search_page(main)
    elif search:
        prepare_for_indexing(main, index)
    if page.file not in PAGES_OF_ITS_OWN:
        promote_headings(main)
    footer = html_element(body, "footer", class_="site-footer")
    cite_box(footer, metadata, page.file, chapter, authors, downloads)
    licence = html_element(footer, "p")
    html_element(licence, "a", metadata.licence, href=metadata.licence_url, rel="license")
    return html


def has_two_views(index: ElementIndex) -> bool:
    """Whether the page shows the witness differently from the reading text (an article does;
    the contents and the index do not, and get no switch that would do nothing)."""
    return bool(index.of_class("only-diplomatic") or index.of_class("lb"))


def view_switch(parent: lxml.html.HtmlElement) -> None:
    """Radio buttons for the reading view; CSS shows the chosen reading, no script needed."""
    form = html_element(parent, "form", class_="view-switch")
    group = html_element(form, "fieldset")
    html_element(group, "legend", "Reading view")
    for value, label, note in (
        ("normalised", "Normalised", "regularised spelling, corrections applied"),
        ("diplomatic", "Diplomatic", "the witness as extracted, line by line"),
    ):
        option = html_element(group, "span", class_="view-option")  # wraps as one
        button = html_element(option, "input", type="radio", name="view", value=value,
                              id=f"view-{value}", title=note)
        if value == "normalised":
            button.set("checked", "checked")
        html_element(option, "label", label, for_=f"view-{value}", title=note)


def alphabet(register: lxml.html.HtmlElement) -> None:
    """An A–Z line under a register's heading: each initial leads to its first entry."""
    entries = register.find_class("register-entries")
    heading = register.find("h3")
    if not entries or heading is None:
        return
    firsts: dict[str, lxml.html.HtmlElement] = {}
    for entry in entries[0].iterchildren("li"):
        headword = entry.find_class("headword")
        initial = initial_of(plain_text(headword[0]) if headword else "")
        if initial and initial not in firsts:
            firsts[initial] = entry
    if len(firsts) < 2:
        return
    letters = lxml.html.Element("nav", {"class": "alphabet",
                                        "aria-label": f"{plain_text(heading)} by initial"})
    for initial, entry in firsts.items():
        if not entry.get("id"):
            entry.set("id", f"{register.get('id')}-{initial.lower()}")
        html_element(letters, "a", initial, href=f"#{entry.get('id')}")
    heading.addnext(letters)


def initial_of(headword: str) -> str:
    """The letter an entry is filed under: "Ş" and "S" apart as the index sorts them, but
    accents of Latin letters ignored ("Â" under "A")."""
    letter = headword.strip()[:1].upper()
    base = unicodedata.normalize("NFD", letter)[:1]
    return base if base.isascii() and letter not in "ŞÇÖÜĞİ" else letter


def promote_headings(main: lxml.html.HtmlElement) -> None:
    """On a page of its own, an article's title is the page's first-level heading."""
    for heading in main.iter("h2", "h3", "h4", "h5", "h6"):
        heading.tag = f"h{int(heading.tag[1]) - 1}"


def relink(tree: lxml.html.HtmlElement, page: str, owner: dict[str, str],
           options: BuildOptions) -> None:
    """Point every in-document link `#id` to the page that now holds that id."""
    for element in tree.iter("a"):
        href = element.get("href", "")
        if not href.startswith("#") or href == "#site-content":
            continue
        target = owner.get(href[1:])
        if target is None:
            options.report(warning(f"{page}: link to #{href[1:]}, which no page holds",
                                   code="dangling-link"))
        elif target != page:
            element.set("href", f"{target}{href}")


def copy_media(tree: lxml.html.HtmlElement, target: Path) -> None:
    """Copy the edition's images into the site and point the pages at the copies."""
    for image in tree.iter("img"):
        source = file_path(image.get("src", ""))
        target.mkdir(exist_ok=True)
        shutil.copyfile(source, target / source.name)
        image.set("src", f"media/{source.name}")


def copy_assets(target: Path, text: str, search: bool) -> None:
    """The styles, the view script (and the search page's, with `search`), and the fonts
    (subset to the site's text, as WOFF2) with their licence, inside the site; the stylesheets
    load the WOFF2 files."""
    from .fonts import subset_fonts  # imported here, while Pagefind runs (hashlib, OpenSSL)

    target.mkdir()
    for name in (*STYLESHEETS, SCRIPT, *([SEARCH_SCRIPT] if search else []), ICON):
        css = (STYLES / name).read_text(encoding="utf-8")
        (target / name).write_text(OPENTYPE_FONT.sub(r'url(\1.woff2) format("woff2")', css),
                                   encoding="utf-8")
    subset_fonts(text, target / "fonts", "woff2")
    for licence in FONTS.glob("LICENSE*"):
        shutil.copyfile(licence, target / "fonts" / licence.name)
