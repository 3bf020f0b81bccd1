"""Stage 5, writers: the one semantic HTML document → a published format.

Every writer starts from `html.Document`; formats differ by stylesheet (styles/) and packaging,
never by a second TEI transform. Every output is written atomically (atomic.py).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import lxml.html

from ..diagnostics import Diagnostic, error
from ..html import Document, html_element
from ..text import drop_keeping_tail

PROJECT_ROOT = Path(__file__).resolve().parents[3]
STYLES = PROJECT_ROOT / "styles"
FONTS = STYLES / "fonts"
# Set (to anything but empty) to print each rendering's time and pages on stderr: where a PDF
# build spends its time (scripts/bench gives the whole build's).
TIMINGS = "EDITION_TIMINGS"


@dataclass(frozen=True)
class BuildOptions:
    """What a writer needs besides the document: where to report, the PDF variant asked for,
    and whether the site has its search (a draft without it is built in half the time)."""

    report: Callable[[Diagnostic], None]
    variant: str | None = None
    search: bool = True


def reading_copy(document: Document) -> lxml.html.HtmlElement:
    """A copy of the document holding the normalised reading text only, for print and e-books.

    The web edition keeps both views and lets the reader switch; a book shows one. Line-beginning
    markers go too (the reading text runs on), and the pop-ups of apparatus marks (a book has the
    apparatus itself). Where the witness divides a word at a line end and the next line starts
    with a space ("Azer-" / " baijan"), the space goes with the line end.
    """
    html = copy.deepcopy(document.html)
    for element in [*html.find_class("only-diplomatic"), *html.find_class("lb"),
                    *html.find_class("app-popup")]:
        if element.get("data-break") == "no" and element.tail:
            element.tail = element.tail.lstrip()  # "Azer-" / " baijan": the word runs on
        element.drop_tree()
    return html


def captions_after_their_paragraphs(html: lxml.html.HtmlElement) -> None:
    """A caption the extraction dropped inside a paragraph is set after that paragraph, as a
    book sets a figure between paragraphs (the print and the EPUB): left where it fell, it
    split a sentence ("the Russian | [caption] | Soviet government"), and an e-book read it in
    the sentence's middle (EPUB review). Its text keeps its own locator in print ("cap.")."""
    for paragraph in html.xpath("//p[span[contains(concat(' ', @class, ' '), ' figure ')]]"):
        after = paragraph
        for figure in paragraph.xpath("span[contains(concat(' ', @class, ' '), ' figure ')]"):
            drop_keeping_tail(figure)
            figure.tail = None
            after.addnext(figure)
            after = figure


def label_figures_not_reproduced(html: lxml.html.HtmlElement) -> None:
    """A caption whose image the edition does not have is set as a labelled block, so that it
    does not read as a line of the text."""
    for figure in html.xpath("//*[contains(concat(' ', @class, ' '), ' figure ')]"
                             "[not(.//img)]"):
        figure.set("class", figure.get("class") + " not-reproduced")
        label = lxml.html.Element("span", {"class": "figure-label"})
        label.text = "Illustration not reproduced. "
        caption = figure.find_class("figcaption")
        holder = caption[0] if caption else figure
        label.tail, holder.text = holder.text.lstrip() if holder.text else None, None
        holder.insert(0, label)


def build_date() -> datetime:
    """When this output was made: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(UTC)
    if not epoch.isdigit():
        raise error(f"SOURCE_DATE_EPOCH must be a number of seconds, not {epoch!r}",
                    code="source-date-epoch")
    return datetime.fromtimestamp(int(epoch), UTC)


def date_the_output(html: lxml.html.HtmlElement, made_on: str) -> None:
    """Say in the imprint when this output was made, in its format's words (`made_on`: "This
    EPUB was made on", a press's "Typeset on"), and record it in the head's metadata."""
    made = build_date()
    imprint = html.find(".//*[@id='imprint']")  # stops there, near the top
    html_element(imprint, "p", f"{made_on} {made.day} {made:%B %Y}.",
                 class_="imprint-build")
    head = html.find("head")
    for name in ("dcterms.created", "dcterms.modified"):
        html_element(head, "meta", name=name, content=made.isoformat(timespec="seconds"))
