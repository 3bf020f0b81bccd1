"""The PDF as a reader and a press receive it, checked with poppler's tools on one real build."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest


def poppler(tool: str, *args: object) -> str:
    return subprocess.run([tool, *map(str, args)], check=True, capture_output=True,
                          text=True).stdout


def reading(pdf: Path) -> str:
    """The PDF's text with WeasyPrint's line-end hyphens rejoined and spaces collapsed."""
    text = poppler("pdftotext", "-enc", "UTF-8", pdf, "-")
    text = re.sub("\u2010\\s*\n", "", text)
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def edition_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tei_edition.cli import main

    output = tmp_path_factory.mktemp("pdf") / "edition.pdf"
    assert main(["build", "pdf", "-o", str(output)]) == 0
    return output


def test_both_articles_are_in_the_reading_text(edition_pdf: Path) -> None:
    text = reading(edition_pdf)
    # The first sentence of each article, its soft line-end hyphen ("gov-ernment") dropped.
    assert "The announced establishment of the Soviet government in Azerbaijan" in text
    assert "The Russian-Turkish treaty signed in Moscow on 16 March 1921" in text
    # Titles from the teiHeader: the edition's and each article's.
    assert "Nakhchivan and the Treaty of Kars, 1920–1921" in text
    assert "Kars conference: Known and unknown facts" in text


def test_witness_furniture_stays_out_of_the_reading_text(edition_pdf: Path) -> None:
    """Running heads and folios of the magazine are the witness's, not the edition's."""
    text = reading(edition_pdf)
    assert "www.irs-az.com" not in text
    assert "42, WINTER 2019" not in text


def test_every_font_is_embedded_and_subset(edition_pdf: Path) -> None:
    rows = poppler("pdffonts", edition_pdf).splitlines()[2:]
    assert rows, "the PDF uses no fonts"
    for row in rows:
        name, emb, sub = row.split()[0], row.split()[-5], row.split()[-4]
        assert (emb, sub) == ("yes", "yes"), row
        # Only the fonts shipped in styles/fonts: no system fallback crept in.
        assert re.match(r"[A-Z]{6}\+Linux-(Libertine|Biolinum)", name), row


def test_document_metadata_comes_from_the_tei_header(edition_pdf: Path) -> None:
    info = dict(line.split(":", 1) for line in poppler("pdfinfo", edition_pdf).splitlines()
                if ":" in line)
    assert info["Title"].strip() == "Nakhchivan and the Treaty of Kars, 1920–1921"
    assert "Jamil Hasanli" in info["Author"]
    assert info["Page size"].split()[:3] == ["442.205", "x", "663.307"]  # 156 x 234 mm


def test_a_failed_build_keeps_the_previous_pdf(tmp_path: Path, run_cli) -> None:
    output = tmp_path / "edition.pdf"
    output.write_bytes(b"previous good output")
    broken = tmp_path / "broken.xml"
    broken.write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><teiHeader>", encoding="utf-8")
    result = run_cli("build", "pdf", broken, "-o", output)
    assert result.status == 1
    assert "not well-formed" in result.stderr
    assert output.read_bytes() == b"previous good output"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.xml", "edition.pdf"]

