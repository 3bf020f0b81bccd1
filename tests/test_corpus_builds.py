"""The acceptance of other people's TEI: every valid file of the real-world corpus and every
fixture of fixtures/other-tei becomes HTML, EPUB and PDF with exit status 0 and no traceback,
the EPUB passes EPUBCheck, and every text-bearing TEI element reaches each format: as many
as the TEI holds are counted (by their `data-tei` mark) in the site's pages and in the HTML
that pandoc and WeasyPrint receive.

The PDF and EPUB of the corpus files over 100 KB (minutes each, with EPUBCheck) are built
only with EDITION_FULL_CORPUS=1; their HTML always."""

from __future__ import annotations

import copy
import os
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from conftest import EPUBCHECK, ROOT, epubcheck, manifest_verdicts

TEXT_BEARING = ("p", "l", "note", "bibl", "rdg", "head", "item", "cell")
CORPUS = ROOT / "tests" / "corpus" / "tei"
SOURCES = [*(CORPUS / name for name, verdict in sorted(manifest_verdicts().items())
             if verdict == "valid"),
           *sorted((ROOT / "tests" / "fixtures" / "other-tei").glob("*.xml"))]
BIG = 100_000  # bytes: a PDF or an EPUB of more takes from a minute (EPUBCheck too)


def tei_counts(source: Path) -> Counter[str]:
    """The text-bearing elements of the text and of the standOff (the header is metadata)."""
    tree = etree.parse(str(source))
    return Counter({name: len(tree.xpath(
        f"(//t:text|//t:standOff)//t:{name}", namespaces={"t": "http://www.tei-c.org/ns/1.0"}))
        for name in TEXT_BEARING})


def html_counts(*documents: lxml.html.HtmlElement) -> Counter[str]:
    found = Counter(element.get("data-tei") for document in documents
                    for element in document.iter() if element.get("data-tei"))
    return Counter({name: found[name] for name in TEXT_BEARING})


def build(output_format: str, source: Path, output: Path,
          monkeypatch: pytest.MonkeyPatch) -> tuple[list[lxml.html.HtmlElement], str]:
    """Build in-process; return the HTML the format's engine received and the messages."""
    from tei_edition.pipeline import publish
    from tei_edition.writers import epub, pandoc_parts, pdf

    received: list[lxml.html.HtmlElement] = []
    parts, render = pandoc_parts.write_parts, pdf.render
    # the EPUB writer leaves out the data attributes the book does not use (data-tei among
    # them) before pandoc reads the HTML: here it keeps the marks counted
    monkeypatch.setattr(epub, "READS", epub.READS | {"data-tei"})
    # pandoc reads the HTML in parts, which write_parts cuts it into (emptying it): a copy
    monkeypatch.setattr(pandoc_parts, "write_parts", lambda html, *args: (
        received.append(copy.deepcopy(html)), parts(html, *args))[1])
    monkeypatch.setattr(pdf, "render", lambda html, *args: (
        received.append(html), render(html, *args))[1])
    diagnostics = publish(source, output_format, output)
    messages = "\n".join(map(str, diagnostics))
    assert not [d for d in diagnostics if d.severity.name == "ERROR"], messages
    if output_format == "html":
        received = [lxml.html.fromstring(page.read_bytes()) for page in output.glob("*.html")]
    return received, messages


@pytest.mark.parametrize("output_format", ["html", "epub", "pdf"])
@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem[:16])
def test_every_text_bearing_element_reaches_every_format(
        source: Path, output_format: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    if (output_format != "html" and source.stat().st_size > BIG
            and not os.environ.get("EDITION_FULL_CORPUS")):
        pytest.skip("a PDF or EPUB of a big corpus file takes minutes: EDITION_FULL_CORPUS=1")
    output = tmp_path / f"out.{output_format}"
    received, messages = build(output_format, source, output, monkeypatch)
    assert "Traceback" not in messages
    # a PDF is rendered more than once (the articles alone to number their lines, the book,
    # the index on its own): the book's render, the fullest, counts
    counted = max((html_counts(html) for html in received), key=lambda c: sum(c.values())) if (
        output_format == "pdf") else html_counts(*received)
    assert counted == tei_counts(source)
    if output_format == "epub" and EPUBCHECK.exists():
        result = epubcheck(output)
        report = result.stdout + result.stderr
        assert "0 fatals / 0 errors" in report, report
