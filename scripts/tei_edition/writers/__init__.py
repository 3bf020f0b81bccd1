"""Stage 5, writers: the one semantic HTML document → a published format.

Every writer starts from `html.Document`; formats differ by stylesheet (styles/) and packaging,
never by a second TEI transform. Every output is written atomically (atomic.py).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import lxml.html

from ..diagnostics import Diagnostic
from ..html import Document

PROJECT_ROOT = Path(__file__).resolve().parents[3]
STYLES = PROJECT_ROOT / "styles"
FONTS = STYLES / "fonts"


@dataclass(frozen=True)
class BuildOptions:
    """What a writer needs besides the document: the variant asked for and where to report."""

    report: Callable[[Diagnostic], None]
    variant: str | None = None


def reading_copy(document: Document) -> lxml.html.HtmlElement:
    """A copy of the document holding the normalised reading text only, for print and e-books.

    The web edition keeps both views and lets the reader switch; a book shows one. Line-beginning
    markers go too: the reading text runs on.
    """
    html = copy.deepcopy(document.html)
    for element in [*html.find_class("only-diplomatic"), *html.find_class("lb")]:
        element.drop_tree()
    return html
