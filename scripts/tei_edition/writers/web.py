"""The web writer: the semantic HTML as a static site, one page per article and per back part.

No server is needed: pages link to each other by relative URLs, fonts, styles and the one small
script are copied into the site, and a Content Security Policy forbids anything from elsewhere.
Both readings stay in the page; a switch (radio buttons and CSS `:has`, so it works without
JavaScript) shows the normalised or the diplomatic one, and `view.js` remembers the choice across
pages.
"""

from __future__ import annotations

import copy
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import lxml.html

from ..atomic import atomic_directory
from ..diagnostics import warning
from ..html import Document, html_element, plain_text, serialize
from . import FONTS, STYLES, BuildOptions, date_the_output

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self'; script-src 'self'; "
    "base-uri 'none'; form-action 'none'"
)
STYLESHEETS = ("edition.css", "web.css")
SCRIPT = "view.js"


@dataclass
class Page:
    """One file of the site: its name, title, and the parts of the document it holds."""

    file: str
    title: str
    parts: list[lxml.html.HtmlElement]


def write_site(document: Document, output: Path, options: BuildOptions) -> None:
    """Write the site into the folder `output`, replacing it only when everything is written."""
    html = copy.deepcopy(document.html)
    date_the_output(html, "web edition")
    pages = paginate(html, document.metadata.title)
    owner = {anchor: page.file for page in pages for part in page.parts
             for anchor in part.xpath("descendant-or-self::*/@id")}
    with atomic_directory(output) as site:
        for page in pages:
            tree = page_tree(document, page, pages)
            relink(tree, page.file, owner, options)
            copy_media(tree, site / "media")
            (site / page.file).write_bytes(serialize(tree))
        copy_assets(site / "styles")


def paginate(html: lxml.html.HtmlElement, title: str) -> list[Page]:
    """The front matter on index.html, then a page per article and back part of `main`."""
    body = html.find("body")
    front = [child for child in body if child.tag != "main"]
    pages = [Page("index.html", title, front)]
    for part in body.find("main"):
        heading = part.find(".//h2")
        pages.append(Page(f"{part.get('id')}.html", plain_text(heading), [part]))
    return pages


def page_tree(document: Document, page: Page, pages: list[Page]) -> lxml.html.HtmlElement:
    """One page: the document's head, a site header with navigation and the view switch."""
    metadata = document.metadata
    html = lxml.html.Element("html", lang=document.html.get("lang", "en"))
    head = html_element(html, "head")
    html_element(head, "meta", charset="utf-8")
    html_element(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    html_element(head, "meta", http_equiv="Content-Security-Policy",
                 content=CONTENT_SECURITY_POLICY)
    title = page.title if page.file == "index.html" else f"{page.title} — {metadata.title}"
    html_element(head, "title", title)
    for meta in document.html.find("head").iterfind("meta[@name]"):
        head.append(copy.deepcopy(meta))
    for stylesheet in STYLESHEETS:
        html_element(head, "link", rel="stylesheet", href=f"styles/{stylesheet}")
    html_element(head, "script", src=f"styles/{SCRIPT}", defer="defer")

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
    view_switch(banner)
    main = html_element(body, "main", id="site-content")
    main.extend(page.parts)  # moved out of the writer's own copy of the document, not copied
    if page.file != "index.html":
        promote_headings(main)
    footer = html_element(body, "footer", class_="site-footer")
    licence = html_element(footer, "p")
    html_element(licence, "a", metadata.licence, href=metadata.licence_url, rel="license")
    return html


def view_switch(parent: lxml.html.HtmlElement) -> None:
    """Radio buttons for the reading view; CSS shows the chosen reading, no script needed."""
    form = html_element(parent, "form", class_="view-switch")
    group = html_element(form, "fieldset")
    html_element(group, "legend", "Reading view")
    for value, label, note in (
        ("normalised", "Normalised", "regularised spelling, corrections applied"),
        ("diplomatic", "Diplomatic", "the witness as extracted, line by line"),
    ):
        button = html_element(group, "input", type="radio", name="view", value=value,
                              id=f"view-{value}", title=note)
        if value == "normalised":
            button.set("checked", "checked")
        html_element(group, "label", label, for_=f"view-{value}", title=note)


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
        source = Path(url2pathname(urlparse(image.get("src", "")).path))
        target.mkdir(exist_ok=True)
        shutil.copyfile(source, target / source.name)
        image.set("src", f"media/{source.name}")


def copy_assets(target: Path) -> None:
    """The styles, the view script and the fonts with their licence, inside the site."""
    target.mkdir()
    for name in (*STYLESHEETS, SCRIPT):
        shutil.copyfile(STYLES / name, target / name)
    shutil.copytree(FONTS, target / "fonts")
