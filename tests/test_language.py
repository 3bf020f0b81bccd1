"""The language of the edition comes from the TEI (`xml:lang` of its root) into all three formats:
the site's pages, the EPUB's package and chapters, the PDF's catalog. Tested with an edition in
French, since English is what a forgotten language would fall back to."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tei_edition.diagnostics import Severity

FRENCH_TEI = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="fr"><teiHeader><fileDesc>
<titleStmt><title>Une petite édition</title></titleStmt><publicationStmt><p>Essai</p>
</publicationStmt><sourceDesc><p>Inventé.</p></sourceDesc></fileDesc></teiHeader>
<text><body><div><head>Premier chapitre</head><p>Un petit texte.</p></div></body></text></TEI>"""
OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The French edition built as a site, an EPUB and a PDF; and the metadata file the EPUB
    writer gave pandoc (pandoc also reads the language from the HTML, so the EPUB alone cannot
    tell whether the writer passes it)."""
    from tei_edition.pipeline import publish
    from tei_edition.writers import pandoc_parts

    folder = tmp_path_factory.mktemp("french")
    source = folder / "edition.xml"
    source.write_text(FRENCH_TEI, encoding="utf-8")
    outputs = {"html": folder / "site", "epub": folder / "edition.epub",
               "pdf": folder / "edition.pdf", "pandoc-metadata": folder / "pandoc-metadata.json"}
    run_pandoc = pandoc_parts.run_pandoc

    def keeping_the_metadata(parts: Path, output_format: str, output: Path,
                             options: list[str]) -> None:
        [metadata] = [arg.partition("=")[2] for arg in options
                      if arg.startswith("--metadata-file=")]
        outputs["pandoc-metadata"].write_bytes(Path(metadata).read_bytes())
        run_pandoc(parts, output_format, output, options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pandoc_parts, "run_pandoc", keeping_the_metadata)
        for output_format in ("html", "epub", "pdf"):
            diagnostics = publish(source, output_format, outputs[output_format])
            assert not [d for d in diagnostics if d.severity >= Severity.WARNING], diagnostics
    return outputs


def test_every_page_of_the_site_is_in_the_language_of_the_tei(french: dict[str, Path]) -> None:
    pages = sorted(french["html"].glob("*.html"))
    assert len(pages) >= 2
    for page in pages:
        assert etree.parse(str(page), etree.HTMLParser()).getroot().get("lang") == "fr", page


def test_the_epub_writer_gives_pandoc_the_language(french: dict[str, Path]) -> None:
    assert json.loads(french["pandoc-metadata"].read_text(encoding="utf-8"))["lang"] == "fr"


def test_the_epub_package_and_chapters_are_in_the_language_of_the_tei(
        french: dict[str, Path]) -> None:
    with zipfile.ZipFile(french["epub"]) as archive:
        package = etree.fromstring(archive.read("EPUB/content.opf"))
        chapters = [etree.fromstring(archive.read(name)) for name in archive.namelist()
                    if name.startswith("EPUB/text/ch")]
    assert package.findtext("opf:metadata/dc:language", namespaces=OPF) == "fr"
    assert chapters and {chapter.get(XML_LANG) for chapter in chapters} == {"fr"}


def test_the_pdf_catalog_is_in_the_language_of_the_tei(french: dict[str, Path]) -> None:
    def qpdf_object(name: str) -> str:
        return subprocess.run(["qpdf", f"--show-object={name}", str(french["pdf"])],
                              capture_output=True, text=True, check=True).stdout

    root = re.search(r"/Root (\d+) 0 R", qpdf_object("trailer")).group(1)
    assert re.search(r"/Lang \((\w+)\)", qpdf_object(root)).group(1) == "fr"
