"""What a scholar needs to cite and reuse the web edition: the sources to download, a "cite
this" box (Chicago and BibTeX, with the permalink of the page or passage), and Highwire
`citation_*` meta tags, which Zotero and Google Scholar read.

The site cannot know the address it will be served from, so the box names the page by its file
and `view.js` puts the address the reader sees, passage and view included, in its place.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import lxml.html

from ..html import ATTRIBUTED, Document, Metadata, html_element
from ..resources import real_path

DOWNLOADS = "downloads"
BIBTEX_FILE = "edition.bib"


@dataclass(frozen=True)
class Download:
    """A file of the site's downloads folder and what a reader is told it is."""

    path: str  # relative to the site
    label: str


def copy_downloads(document: Document, site: Path, books: list[Path]) -> list[Download]:
    """The edition's TEI files and BibTeX into the site, the PDF and EPUB (`books`) when built,
    and a BibTeX entry of the edition itself."""
    folder = site / DOWNLOADS
    folder.mkdir()
    downloads = []
    # The inputs as the build named them: relative or absolute, the same file once.
    context = {real_path(path) for path in document.context}
    sources = list(dict.fromkeys(real_path(path) for path in document.inputs
                                 if Path(path).suffix in (".xml", ".bib")))
    sources = [path for path in sources if path not in context]
    root = Path(os.path.commonpath([path.parent for path in sources])) if sources else site
    for path in sorted(sources, key=lambda p: (p.suffix, str(p))):
        relative = path.relative_to(root)
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, folder / relative)
        kind = "TEI" if path.suffix == ".xml" else "BibTeX"
        downloads.append(Download(f"{DOWNLOADS}/{relative.as_posix()}",
                                  f"{kind}: {relative.as_posix()}"))
    for book in books:
        shutil.copyfile(book, folder / book.name)
        downloads.insert(0, Download(f"{DOWNLOADS}/{book.name}", book.suffix[1:].upper()))
    (folder / BIBTEX_FILE).write_text(edition_bibtex(document.metadata, BIBTEX_FILE),
                                      encoding="utf-8")
    downloads.insert(len(books), Download(f"{DOWNLOADS}/{BIBTEX_FILE}",
                                          "BibTeX entry of this edition"))
    return downloads


def bibtex_key(metadata: Metadata) -> str:
    return slug(metadata.identifier) or "edition"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def plain_name(name: str) -> str:
    """A name as a name field takes it: without the "[attributed to]" the edition prints."""
    return name.removeprefix(ATTRIBUTED)


def part_authors(metadata: Metadata, title: str | None, bylines: list[str]) -> list[str]:
    """Whom a page is by: the edition itself (no `title`) by its articles' authors, an article
    by its byline, and a part without one (chronology, map, index, search) by the editors the
    TEI header names, who made it."""
    if title is None:
        return list(metadata.authors)
    return bylines or list(metadata.editors)


def by_the_editors(metadata: Metadata, authors: list[str] | tuple[str, ...]) -> bool:
    """Whether `authors` are the edition's editors, whose names are cited as the header writes
    them (a team's name is not a given name and a surname to invert)."""
    return bool(authors) and tuple(authors) == metadata.editors


def surname_first(names: list[str] | tuple[str, ...]) -> str:
    """Chicago's list of authors: the first inverted ("Hasanli, Jamil"), the others not; an
    attributed author in square brackets, as Chicago gives a supplied name."""
    if not names:
        return ""
    names = [f"[{plain_name(name)}]" if name.startswith(ATTRIBUTED) else name for name in names]
    first, *others = names
    bracket = first.startswith("[")
    given, _, surname = first.strip("[]").rpartition(" ")
    inverted = f"{surname}, {given}" if given else surname
    inverted = f"[{inverted}]" if bracket else inverted
    return ", and ".join([inverted, *others]) if len(names) < 3 else ", ".join(
        [inverted, *others[:-1], f"and {others[-1]}"])


def edition_bibtex(metadata: Metadata, url: str, title: str | None = None,
                   authors: tuple[str, ...] = ()) -> str:
    """The edition as a BibTeX `@book` (its editors as editors, its articles' authors too), or
    one of its articles as an `@incollection` in it."""
    authors = authors or metadata.authors
    protect = by_the_editors(metadata, authors)
    fields = {
        "author": " and ".join(f"{{{name}}}" if protect else plain_name(name)
                               for name in authors),
        "title": f"{{{title or metadata.title}}}",
        "booktitle": f"{{{metadata.title}}}" if title else "",
        "subtitle": "" if title else metadata.subtitle,
        "editor": " and ".join(f"{{{editor}}}" for editor in metadata.editors),
        "publisher": metadata.publisher,
        "year": metadata.date[:4],
        "url": url,
        "note": "Critical edition",
    }
    kind, key = ("incollection", f"{bibtex_key(metadata)}-{slug(title)}") if title else (
        "book", bibtex_key(metadata))
    lines = [f"@{kind}{{{key},"]
    lines += [f"  {name} = {{{value}}}," for name, value in fields.items() if value]
    return "\n".join(lines) + "\n}\n"


def chicago(metadata: Metadata, url: str, title: str | None, authors: list[str]) -> str:
    """A Chicago (notes and bibliography) entry for the edition, or for one of its articles."""
    editors = ", ".join(metadata.editors)
    book = f"{metadata.title}: {metadata.subtitle}" if metadata.subtitle else metadata.title
    if title:
        byline = editors if by_the_editors(metadata, authors) else surname_first(authors)
        return (f"{byline}. “{title}.” In {book}, edited by {editors}. "
                f"{metadata.publisher}, {metadata.date}. {url}.")
    return (f"{surname_first(metadata.authors)}. {book}. Edited by {editors}. "
            f"{metadata.publisher}, {metadata.date}. {url}.")


def cite_box(parent: lxml.html.HtmlElement, metadata: Metadata, page: str, title: str | None,
             authors: list[str], downloads: list[Download]) -> None:
    """A disclosure ("Cite and download") with the Chicago entry, the BibTeX entry, the
    permalink and the downloads; closed until opened, so it costs the reader one tab stop."""
    box = html_element(parent, "details", class_="cite-box")
    html_element(box, "summary", "Cite and download")
    html_element(box, "p", "Permalink (the passage and the view you are reading; click or "
                 "tap a paragraph to cite it):", class_="cite-label")
    html_element(html_element(box, "p"), "code", page, class_="permalink")
    html_element(box, "p", "Chicago:", class_="cite-label")
    html_element(box, "p", chicago(metadata, page, title, authors), class_="cite-chicago")
    html_element(box, "p", "BibTeX:", class_="cite-label")
    html_element(box, "pre", edition_bibtex(metadata, page, title, tuple(authors)),
                 class_="cite-bibtex")
    html_element(box, "p", "Downloads:", class_="cite-label")
    listing = html_element(box, "ul", class_="downloads")
    for download in downloads:
        item = html_element(listing, "li")
        html_element(item, "a", download.label, href=download.path, download="download")


def highwire_meta(head: lxml.html.HtmlElement, metadata: Metadata, title: str | None,
                  authors: list[str], downloads: list[Download]) -> None:
    """`citation_*` meta tags, an article or a part as a chapter of the edition, the contents
    page as the edition itself; and the page's `author`s. Machine-read names are the names
    alone: the "[attributed to]" of the bylines is for the human reader."""
    html_element(head, "meta", name="citation_title", content=title or metadata.title)
    for author in authors:
        html_element(head, "meta", name="author", content=plain_name(author))
        html_element(head, "meta", name="citation_author", content=plain_name(author))
    if title:
        html_element(head, "meta", name="citation_inbook_title", content=metadata.title)
    for editor in metadata.editors:
        html_element(head, "meta", name="citation_editor", content=editor)
    html_element(head, "meta", name="citation_publisher", content=metadata.publisher)
    html_element(head, "meta", name="citation_publication_date", content=metadata.date)
    html_element(head, "meta", name="citation_language", content=metadata.language)
    for download in downloads:
        if download.path.endswith(".pdf"):
            html_element(head, "meta", name="citation_pdf_url", content=download.path)
