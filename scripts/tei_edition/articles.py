"""An article's id: the name every output gives it (its HTML element, its page of the web
edition, its part of the PDF, the key its citations are filed under)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from . import tei
from .diagnostics import Diagnostic, error
from .htmlpaths import IDS
from .load import source_file


def articles(tree: etree._ElementTree | etree._Element) -> list[etree._Element]:
    """The TEI articles of a loaded tree: the root TEI, or each TEI of a teiCorpus."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    return [root] if root.tag == tei("TEI") else list(root.iter(tei("TEI")))


def article_id(article: etree._Element) -> str:
    """The article's edition identifier (publicationStmt/idno[@type=edition]), else its file."""
    idno = edition_idno(article)
    if idno is not None:
        return idno.text.strip()
    return Path(urlsplit(article.base or "article").path).stem


def edition_idno(article: etree._Element) -> etree._Element | None:
    """The article's idno of type edition that gives its id (`article_id`), if it has one."""
    idno = article.find(f"{tei('teiHeader')}//{tei('publicationStmt')}/{tei('idno')}"
                        "[@type='edition']")
    return idno if idno is not None and (idno.text or "").strip() else None


def id_source(article: etree._Element) -> etree._Element:
    """The element that gives an article its id: its idno, else the article (its file)."""
    idno = edition_idno(article)
    return article if idno is None else idno


def id_given_by(article: etree._Element) -> str:
    """What gives the article its id, in an error's words: "its idno" or "its file name"."""
    return "its file name" if edition_idno(article) is None else "its idno"


def ids_the_book_takes(tree: etree._ElementTree, html: etree._Element, source: Path,
                       pages: Iterable[str]) -> list[Diagnostic]:
    """An error for each article whose id the book's HTML gives another element too (its
    contents are "contents", its text "text"), or that names one of the web edition's `pages`
    of its own: links to either would lead to the first, the web edition's page of one would
    be written over the other's, the PDF's anchors fail. (Two articles of one id are
    validation's error.)"""
    taken = Counter(IDS(html))
    found = []
    for article in articles(tree):
        identifier = article_id(article)
        page = f"{identifier}.html"
        if taken[identifier] > 1:
            other = next(element for element in html.iter()
                         if element.get("id") == identifier and element.tag != "article")
            whose = f"the id of the book's own <{other.tag}>"
        elif page in pages:
            whose = f"the name of the web edition's own page {page}"
        else:
            continue
        said = id_source(article)
        found.append(error(
            f'the article id "{identifier}" ({id_given_by(article)}) is {whose}: choose '
            'another (its <idno type="edition"> in its publicationStmt)',
            source_file(said, {}, source), said.sourceline, code="article-id-taken").diagnostic)
    return found
