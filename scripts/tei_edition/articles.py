"""An article's id: the name every output gives it (its HTML element, its page of the web
edition, its part of the PDF, the key its citations are filed under)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from . import tei


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
