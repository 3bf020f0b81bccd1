"""The HTML handed to WeasyPrint as a tree (writers/weasyprint_tree.py) is the tree WeasyPrint's
own parser makes of its text: the edition's, and the parts of HTML a copy could get wrong
(comments, inline SVG with its camel-case attributes and xlink, MathML, whitespace)."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ElementTree

import lxml.html
import pytest
import tinyhtml5
import weasyprint

from conftest import EDITION
from tei_edition.html import serialize
from tei_edition.pipeline import transform
from tei_edition.resources import confined_url_fetcher
from tei_edition.writers import PROJECT_ROOT, STYLES, reading_copy
from tei_edition.writers.pdf import SHIPPED_FONTS
from tei_edition.writers.weasyprint_tree import weasyprint_document

AWKWARD = """<!DOCTYPE html><html lang="en"><head><title>t</title><!-- in the head --></head>
<body><p class="a" data-x="1">One <!-- a comment --> two<br>three &amp; <em>four</em></p>
<figure><svg viewBox="0 0 10 10" xmlns:xlink="http://www.w3.org/1999/xlink"><linearGradient
 gradientUnits="userSpaceOnUse"/><use xlink:href="#p"/><path id="p" d="M0 0L10 10"/></svg>
<figcaption>A <math><mi>x</mi></math> caption</figcaption></figure>
<pre>
 kept  spaces</pre></body></html>"""
ROWS_IN_A_TABLE = "<table>\n<tr><td>a</td></tr>\n<tr><td>b</td></tr>\n</table>"


def shape(element: ElementTree.Element) -> tuple[object, ...]:
    return (element.tag, sorted(element.attrib.items()), element.text or "",
            element.tail or "", [shape(child) for child in element])


def parsed_by_weasyprint(html: lxml.html.HtmlElement) -> tuple[object, ...]:
    return shape(tinyhtml5.parse(serialize(html), namespace_html_elements=False))


@pytest.mark.parametrize("html", [
    pytest.param(lambda: reading_copy(transform(EDITION / "edition.xml")), id="edition"),
    pytest.param(lambda: lxml.html.document_fromstring(AWKWARD), id="awkward"),
    pytest.param(lambda: lxml.html.document_fromstring(ROWS_IN_A_TABLE), id="table"),
])
def test_the_tree_is_the_one_weasyprint_parses(html: object) -> None:
    document = html()
    given = weasyprint_document(document, STYLES, confined_url_fetcher(PROJECT_ROOT, print))
    assert shape(given.etree_element) == parsed_by_weasyprint(document)


def pdf_of(document: weasyprint.HTML) -> bytes:
    output = io.BytesIO()
    document.render(font_config=SHIPPED_FONTS).write_pdf(output)
    return output.getvalue()


def test_the_tree_is_set_as_its_text_would_be(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same PDF, byte for byte, from the tree and from the text WeasyPrint parses."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    html = lxml.html.document_fromstring(AWKWARD)
    fetcher = confined_url_fetcher(PROJECT_ROOT, print)
    parsed = weasyprint.HTML(string=serialize(html).decode("utf-8"),
                             base_url=str(STYLES) + "/", url_fetcher=fetcher)
    assert pdf_of(weasyprint_document(html, STYLES, fetcher)) == pdf_of(parsed)
