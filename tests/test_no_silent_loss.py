"""No text of the TEI is dropped without a word: every text node of a kitchen-sink TEI
(fixtures/other-tei/kitchen-sink.xml, valid against tei_all, one element of each kind a text
holds) is found in the web edition's normalised view, in the EPUB's chapters and in the PDF's
text, unless the build's messages name its element."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from conftest import ROOT

KITCHEN_SINK = ROOT / "tests" / "fixtures" / "other-tei" / "kitchen-sink.xml"
TEI = {"t": "http://www.tei-c.org/ns/1.0"}


def squeezed(text: str) -> str:
    """Text without white space or a line-end hyphen (the PDF's lines are set and hyphenated)."""
    return re.sub(r"\s+", "", re.sub("[\u2010-]\n", "", text))


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    """Each format's text and the build's messages, by format."""
    from tei_edition.pipeline import publish

    folder = tmp_path_factory.mktemp("kitchen-sink")
    found: dict[str, tuple[str, str]] = {}
    for kind in ("html", "epub", "pdf"):
        output = folder / f"out.{kind}"
        messages = "\n".join(map(str, publish(KITCHEN_SINK, kind, output)))
        if kind == "html":
            page = lxml.html.fromstring((output / "kitchen-sink.html").read_bytes())
            for hidden in page.find_class("only-diplomatic"):  # the normalised view
                hidden.drop_tree()
            text = page.text_content() + " ".join(page.xpath("//img/@alt"))
        elif kind == "epub":
            with zipfile.ZipFile(output) as archive:
                text = " ".join(" ".join(etree.fromstring(archive.read(name)).itertext())
                                for name in archive.namelist() if name.endswith(".xhtml"))
        else:
            text = subprocess.run(["pdftotext", str(output), "-"], capture_output=True,
                                  text=True, check=True).stdout
        found[kind] = (squeezed(text), messages)
    return found


def text_nodes(source: Path) -> list[tuple[str, list[str]]]:
    """Each text node of the TEI's text with the names of the elements it stands in."""
    tree = etree.parse(str(source))
    nodes = []
    for node in tree.xpath("//t:text//text()[normalize-space()]", namespaces=TEI):
        holder = node.getparent() if node.is_text else node.getparent().getparent()
        names = [etree.QName(e).localname for e in (holder, *holder.iterancestors())]
        nodes.append((str(node), names))
    return nodes


@pytest.mark.parametrize("kind", ["html", "epub", "pdf"])
def test_every_text_of_the_tei_is_rendered_or_reported(
        builds: dict[str, tuple[str, str]], kind: str) -> None:
    text, messages = builds[kind]
    lost = [words for words, names in text_nodes(KITCHEN_SINK)
            if squeezed(words) not in text and not any(f"<{name}>" in messages
                                                       for name in names)]
    assert lost == [], f"{kind}: dropped without a message: {lost}"


def test_sic_abbr_and_a_glossary_label_alone_are_the_text(
        builds: dict[str, tuple[str, str]]) -> None:
    """Outside a <choice>, a <sic> (marked "[sic]"), an <abbr> and a gloss list's <label> are
    the only text there is: every format shows them."""
    for kind, (text, _) in builds.items():
        for words in ("TOKsic[sic]", "TOKabbr", "TOKlabelTOKitem", "TOKfigdesc"):
            assert words in text, (kind, words)


def test_a_gloss_list_is_a_definition_list(tmp_path: Path) -> None:
    """HTML lists hold list items only: a glossary's labels are its terms (dt), not spans
    between the items."""
    from tei_edition.pipeline import publish

    publish(KITCHEN_SINK, "html", tmp_path / "site")
    page = lxml.html.fromstring((tmp_path / "site" / "kitchen-sink.html").read_bytes())
    for listing in page.iter("ul", "ol", "dl"):
        allowed = ("dt", "dd", "div") if listing.tag == "dl" else ("li",)
        assert all(child.tag in allowed for child in listing), lxml.html.tostring(listing)
    [glossary] = page.xpath("//dl[@data-type='gloss']")
    assert [(child.tag, child.text_content()) for child in glossary] == [
        ("dt", "TOKlabel"), ("dd", "TOKitem")]
