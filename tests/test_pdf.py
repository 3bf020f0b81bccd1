"""The PDF as a reader and a press receive it, checked with poppler's tools on one real build."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from conftest import ROOT


def poppler(tool: str, *args: object) -> str:
    return subprocess.run([tool, *map(str, args)], check=True, capture_output=True,
                          text=True).stdout


def reading(pdf: Path) -> str:
    """The PDF's text with WeasyPrint's line-end hyphens rejoined and spaces collapsed."""
    return reading_of(poppler("pdftotext", "-enc", "UTF-8", pdf, "-"))


def reading_of(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub("\u2010\\s*\n", "", text))


SOURCE_DATE_EPOCH = "1700000000"  # 14 November 2023, 22:13:20 UTC
SMALL_TEI = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>
<titleStmt><title>Small</title></titleStmt><publicationStmt><p>Test</p></publicationStmt>
<sourceDesc><p>Made up.</p></sourceDesc></fileDesc></teiHeader>
<text><body><p>A small text.</p></body></text></TEI>"""


def build(output: Path, *options: str) -> Path:
    from tei_edition.cli import main

    assert main(["build", "pdf", *options, "-o", str(output)]) == 0
    return output


@pytest.fixture(scope="module")
def edition_pdf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        yield build(tmp_path_factory.mktemp("pdf") / "edition.pdf")


def pdf_info(pdf: Path, *options: str) -> dict[str, str]:
    return {key.strip(): value.strip() for key, _, value in (
        line.partition(":") for line in poppler("pdfinfo", *options, pdf).splitlines())}


def outline(pdf: Path) -> list[tuple[int, str, int]]:
    """The PDF's bookmarks as (level, title, page), in order (qpdf reads them)."""
    data = json.loads(subprocess.run(["qpdf", "--json", "--json-key=outlines", str(pdf)],
                                     check=True, capture_output=True, text=True).stdout)
    found: list[tuple[int, str, int]] = []

    def walk(items: list[dict], level: int) -> None:
        for item in items:
            found.append((level, item["title"], item["destpageposfrom1"]))
            walk(item["kids"], level + 1)

    walk(data["outlines"], 1)
    return found


def page_text(pdf: Path, page: int) -> str:
    return reading_of(poppler("pdftotext", "-enc", "UTF-8", "-f", page, "-l", page, pdf, "-"))


def test_both_articles_are_in_the_reading_text(edition_pdf: Path) -> None:
    text = reading(edition_pdf)
    # The first sentence of each article, its soft line-end hyphen ("gov-ernment") dropped.
    assert "The announced establishment of the Soviet government in Azerbaijan" in text
    assert "The Russian-Turkish treaty signed in Moscow on 16 March 1921" in text
    # Titles from the teiHeader: the edition's and each article's.
    assert "Nakhchivan and the Treaty of Kars, 1920–1921" in text
    assert "Kars conference: Known and unknown facts" in text


def test_normalised_names_in_the_text_witness_forms_in_the_apparatus(edition_pdf: Path) -> None:
    bookmarks = outline(edition_pdf)
    kars = next(page for level, title, page in bookmarks if title.startswith("[Kars conference"))
    apparatus = next(page for level, title, page in bookmarks
                     if title == "Textual apparatus" and page > kars)
    text = " ".join(page_text(edition_pdf, page) for page in range(kars, apparatus))
    assert re.search(r"to\s+the\s+issue\s+of\s+Nakh-?\s*chivan", text)
    assert not re.search(r"to\s+the\s+issue\s+of\s+Nakh-?\s*iche-?\s*van", text)
    # a quotation or a title keeps the witness's form (the source of note 30, an annex)
    assert re.search(r"issue\s+of\s+Nakh-?\s*iche-?\s*van\s+into", text)
    assert re.search(r"Territory\s+of\s+Nakh-?\s*iche-?\s*van”", text)
    assert "Sevres" in text and "Serves" not in text
    entries = page_text(edition_pdf, apparatus)
    assert "Nakhchivan ] Nakhichevan" in entries and "Sevres ] Serves" in entries
    # each entry: its mark, the page of its place in the text, lemma ] reading (type, editor)
    lines = poppler("pdftotext", "-enc", "UTF-8", "-f", apparatus, "-l", apparatus + 1,
                    edition_pdf, "-")
    keyed = re.findall(r"(?m)^([a-z]{1,2}) p\. (\d+) (.+) \] (.+) \((\w+), ([\w-]+)\)$", lines)
    assert len(keyed) >= 10, lines[:500]
    assert all(kars <= int(page) < apparatus for _, page, *_ in keyed)


def test_witness_furniture_stays_out_of_the_reading_text(edition_pdf: Path) -> None:
    """Running heads and folios of the magazine are the witness's, not the edition's."""
    text = reading(edition_pdf)
    assert "www.irs-az.com" not in text
    assert "42, WINTER 2019" not in text


def shipped_faces() -> set[str]:
    """The PDF font names of the faces styles/edition.css declares with @font-face ("Linux
    Libertine" bold italic → Linux-Libertine-Bold-Italic), as WeasyPrint names a face it loaded
    from a @font-face rule. A system-wide or fontconfig-matched Libertine is named after the
    font file's own family instead ("Linux-Libertine-O"), and fails the test."""
    css = (ROOT / "styles" / "edition.css").read_text(encoding="utf-8")
    faces = set()
    for rule in re.findall(r"@font-face\s*{([^}]*)}", css):
        family = re.search(r'font-family:\s*"([^"]+)"', rule)[1].replace(" ", "-")
        style = [word for word, present in (("Bold", "font-weight: bold" in rule),
                                            ("Italic", "font-style: italic" in rule)) if present]
        faces.add("-".join([family, *style]))
    return faces


def test_every_font_is_embedded_and_subset(edition_pdf: Path) -> None:
    rows = poppler("pdffonts", edition_pdf).splitlines()[2:]
    assert len(rows) >= 4, "the PDF uses too few fonts"
    shipped = shipped_faces()
    assert len(shipped) == len(list((ROOT / "styles" / "fonts").glob("*.otf")))
    for row in rows:
        name, emb, sub = row.split()[0], row.split()[-5], row.split()[-4]
        assert (emb, sub) == ("yes", "yes"), row
        # Only the faces of styles/fonts, loaded through the @font-face rules.
        assert name.partition("+")[2] in shipped, (row, shipped)


def test_the_tests_see_only_the_shipped_fonts() -> None:
    """The machine's own fonts are hidden from every build the tests make (conftest.py), so a
    font installed here cannot make a PDF test pass that fails on a fresh machine."""
    listed = poppler("fc-list", "--format", "%{file}\n").split()
    assert listed and all(Path(file).parent == ROOT / "styles" / "fonts" for file in listed)


def test_document_metadata_comes_from_the_tei_header(edition_pdf: Path) -> None:
    info = pdf_info(edition_pdf)
    assert info["Title"] == "Nakhchivan and the Treaty of Kars, 1920–1921"
    assert info["Author"] == "[attributed to] Ismayil Hajiyev, [attributed to] Jamil Hasanli"
    assert info["Subject"] == "Two articles from IRS Heritage: a critical edition"
    assert "Treaty of Kars" in info["Keywords"]
    assert info["Page size"].split()[:3] == ["442.205", "x", "663.307"]  # 156 x 234 mm
    assert info["CreationDate"].startswith("Tue Nov 14 22:13:20 2023")
    # The language of the text, for screen readers and hyphenation.
    trailer = subprocess.run(["qpdf", "--show-object=trailer", str(edition_pdf)],
                             capture_output=True, text=True, check=True).stdout
    root = re.search(r"/Root (\d+) 0 R", trailer).group(1)
    catalog = subprocess.run(["qpdf", f"--show-object={root}", str(edition_pdf)],
                             capture_output=True, text=True, check=True).stdout
    assert "/Lang (en)" in catalog


def test_bookmarks_match_the_headings(edition_pdf: Path) -> None:
    bookmarks = outline(edition_pdf)
    assert [title for level, title, _ in bookmarks if level == 1] == [
        "Contents", "[On the road to Nakhchivan's autonomy (1920–1921)]",
        "[Kars conference: Known and unknown facts]", "Chronology", "Map of places",
        "Index of names",
    ]
    kars = [title for level, title, _ in bookmarks if level == 2][-5:]
    assert kars == ["Textual apparatus", "References", "Persons", "Places", "Organisations"]
    for _, title, page in bookmarks:
        assert title in page_text(edition_pdf, page), (title, page)


TOP_MARGIN = 20 * 72 / 25.4  # print.css: @page { margin: 20mm … }, in PostScript points
XHTML = {"x": "http://www.w3.org/1999/xhtml"}


def running_heads(pdf: Path) -> list[list[str] | None]:
    """Per page, the text blocks standing in the top margin, from left to right (poppler's word
    boxes); None for a page without any text."""
    layout = etree.fromstring(subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"],
                                             check=True, capture_output=True).stdout)
    heads = []
    for page in layout.iterfind(".//x:page", XHTML):
        blocks = [block for block in page.iterfind(".//x:block", XHTML)
                  if float(block.get("yMax")) < TOP_MARGIN]
        blocks.sort(key=lambda block: float(block.get("xMin")))
        heads.append([" ".join(word.text for word in block.iterfind(".//x:word", XHTML))
                      for block in blocks] if page.find(".//x:word", XHTML) is not None
                     else None)
    return heads


def test_running_heads_follow_print_css(edition_pdf: Path) -> None:
    """print.css: no heads on front matter or blank pages; on a verso the folio outside, then
    the article's title; on a recto the section's title (the first heading that starts on the
    page, else the one in force; an article's title counts), then the folio outside. Headings
    that set the strings are the level 1 and 2 bookmarks."""
    bookmarks = [(page, level, title) for level, title, page in outline(edition_pdf)
                 if level <= 2]
    first_article = next(page for page, _, title in bookmarks
                         if title.lstrip("[").startswith("On the road"))
    strings = [(page, level, title) for page, level, title in bookmarks if page >= first_article]
    checked = 0
    for number, heads in enumerate(running_heads(edition_pdf), start=1):
        if number < first_article or heads is None:  # front matter, blank page
            assert not heads, f"page {number}: {heads}"
            continue
        if number % 2 == 0:
            article = [title for page, level, title in strings if page <= number and level == 1]
            assert heads == [str(number), article[-1]], f"page {number}"
        else:
            on_page = [title for page, _, title in strings if page == number]
            before = [title for page, _, title in strings if page < number]
            section = on_page[0] if on_page else before[-1]
            assert heads == [section, str(number)], f"page {number}"
        checked += 1
    assert checked >= 25


def test_contents_give_the_pages_of_the_parts(edition_pdf: Path) -> None:
    bookmarks = outline(edition_pdf)
    contents = page_text(edition_pdf, bookmarks[0][2])
    for level, title, page in bookmarks[1:]:
        if level == 1:
            assert re.search(re.escape(title) + r"[ .]*" + str(page) + r"\b", contents), title


@pytest.mark.parametrize("ref", ["persons.xml#shahtakhtinsky", "places.xml#gyumri"])
def test_index_pages_really_hold_the_name(edition_pdf: Path, ref: str) -> None:
    """The index entry's page numbers, read from the PDF: each page shows a form of the name
    the register knows."""
    from tei_edition.registers import edition_registers

    entry = edition_registers(ROOT / "edition").lookup(ref)
    index_page = next(page for _, title, page in outline(edition_pdf) if title == "Index of names")
    index = " ".join(page_text(edition_pdf, page) for page in range(index_page, index_page + 3))
    dates = rf" \({re.escape(entry.dates).replace('–', '– ?')}\)" if entry.dates else ""
    found = re.search(re.escape(entry.heading) + dates + r" ((?:\d+, )*\d+)", index)
    assert found, f"{entry.heading} not in the index"
    pages = [int(n) for n in found.group(1).split(", ")]
    assert len(pages) >= 2
    for page in pages:
        text = page_text(edition_pdf, page)
        assert any(form in text for form in entry.known_forms), (entry.regular, page)


def test_the_index_sends_a_reader_from_a_form_of_the_text_to_the_surname(
        edition_pdf: Path) -> None:
    index_page = next(page for _, title, page in outline(edition_pdf) if title == "Index of names")
    index = " ".join(page_text(edition_pdf, page) for page in range(index_page, index_page + 3))
    assert "Karabekir, Kazim (1882–1948)" in index
    assert "Kazim Pasha, see Karabekir, Kazim" in index
    assert "Yusif Kamal, see Tengirsek, Yusif Kamal" in index


def test_a_page_reference_never_breaks_after_p(edition_pdf: Path) -> None:
    """"(36, p. 75-76)", the apparatus's "p. 12", the bibliography's "Cited (p. 86)": the
    abbreviation and its number stay on one line."""
    text = poppler("pdftotext", "-enc", "UTF-8", edition_pdf, "-")
    assert not [line for line in text.splitlines() if re.search(r"\bpp?\.\s*$", line)]


def line_starts(pdf: Path) -> dict[str, tuple[int, float, float]]:
    """Each text line's first three words → (page, its left edge, the page's text margin)."""
    from lxml import etree

    layout = etree.fromstring(poppler("pdftotext", "-bbox-layout", pdf, "-").encode())
    starts: dict[str, tuple[int, float, float]] = {}
    for number, page in enumerate(layout.iter("{*}page"), start=1):
        lines = [[word for word in line.iter("{*}word")] for line in page.iter("{*}line")]
        margin = min((float(words[0].get("xMin")) for words in lines if words), default=0.0)
        for words in lines:
            key = " ".join(word.text for word in words[:3])
            starts.setdefault(key, (number, float(words[0].get("xMin")), margin))
    return starts


def test_a_paragraph_continued_after_a_caption_is_not_indented(edition_pdf: Path) -> None:
    """A caption the extraction dropped mid-paragraph stands between two parts of one
    paragraph: the words after it continue the paragraph, flush left; the next paragraph is
    indented."""
    starts = line_starts(edition_pdf)
    _, continued, margin = starts["Soviet government unconditionally"]
    _, new_paragraph, its_margin = starts["The mentioned statement"]
    assert abs(continued - margin) < 1
    assert new_paragraph - its_margin > 8


def test_imprint_dates_the_build_from_source_date_epoch(edition_pdf: Path) -> None:
    assert "This PDF was made on 14 November 2023." in reading(edition_pdf)


def test_same_source_date_epoch_gives_the_same_bytes(edition_pdf: Path, tmp_path: Path) -> None:
    """A second build in another process (another hash seed, as `make pdf` run twice)."""
    again = tmp_path / "again.pdf"
    subprocess.run([str(Path(sys.executable).with_name("edition")), "build", "pdf", "-o",
                    str(again)], check=True, capture_output=True,
                   env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
                        "PYTHONHASHSEED": "12345"})
    assert again.read_bytes() == edition_pdf.read_bytes()


def small_edition(folder: Path) -> Path:
    """A one-paragraph TEI: variants and the fetcher are about packaging, not the text."""
    source = folder / "small.xml"
    source.write_text(SMALL_TEI, encoding="utf-8")
    return source


def test_print_variant_has_bleed_and_crop_marks(tmp_path: Path) -> None:
    boxes = pdf_info(build(tmp_path / "print.pdf", "--variant", "print",
                           str(small_edition(tmp_path))), "-box")
    trim = [float(v) for v in boxes["TrimBox"].split()]
    media = [float(v) for v in boxes["MediaBox"].split()]
    millimetre = 72 / 25.4
    assert round((trim[2] - trim[0]) / millimetre) == 156
    assert round((trim[3] - trim[1]) / millimetre) == 234
    bleed = [float(v) for v in boxes["BleedBox"].split()]
    assert [round((t - b) / millimetre) for t, b in zip(trim[:2], bleed[:2], strict=True)] == [3, 3]
    assert media == bleed
    # Crop marks: the title page is white outside its text, so ink in the bleed is a mark.
    subprocess.run(["pdftoppm", "-r", "72", "-f", "1", "-l", "1", "-gray", "-png",
                    str(tmp_path / "print.pdf"), str(tmp_path / "page")], check=True)
    from PIL import Image

    page = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    top_bleed = page.crop((0, 0, page.width, 8))
    assert top_bleed.getextrema()[0] < 128, "no crop mark in the bleed above the trim"


def test_archive_variant_declares_pdf_a_3b(tmp_path: Path) -> None:
    pdf = build(tmp_path / "archive.pdf", "--variant", "archive", str(small_edition(tmp_path)))
    metadata = poppler("pdfinfo", "-meta", pdf)
    assert re.search(r"pdfaid:part[>=\"']+3", metadata), metadata[:500]
    assert re.search(r"pdfaid:conformance[>=\"']+B", metadata)
    assert "A small text." in reading(pdf)


def test_the_renderer_fetches_nothing_outside_the_project(tmp_path: Path) -> None:
    """Whatever reaches WeasyPrint (an image, a stylesheet) goes through the confined fetcher."""
    from tei_edition.pipeline import transform
    from tei_edition.writers import BuildOptions
    from tei_edition.writers.pdf import write_pdf

    document = transform(small_edition(tmp_path))
    body = document.body
    for url in ("file:///etc/passwd", "http://example.org/x.png", "../../../etc/hostname"):
        img = body.makeelement("img", {"src": url, "alt": "x"})
        body.append(img)
    reported = []
    write_pdf(document, tmp_path / "out.pdf", BuildOptions(reported.append))
    refused = [d.message for d in reported if d.code == "resource-refused"]
    assert len(refused) == 3, reported
    assert any("/etc/passwd" in message for message in refused)
    assert "A small text." in reading(tmp_path / "out.pdf")


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



def test_outside_graphics_are_left_out_with_a_warning_and_the_build_goes_on(
        tmp_path: Path, run_cli) -> None:
    source = tmp_path / "graphics.xml"
    source.write_text(SMALL_TEI.replace(
        "<p>A small text.</p>",
        '<p>A small text.</p>\n<figure><graphic url="http://example.org/map.png"/></figure>\n'
        '<figure><graphic url="file:///etc/passwd"/></figure>'), encoding="utf-8")
    result = run_cli("build", "pdf", source, "-o", tmp_path / "out.pdf")
    assert result.status == 0
    warnings = [line for line in result.stderr.splitlines() if "refused" in line]
    assert len(warnings) == 2, result.stderr
    assert warnings[0].startswith(f"{source}:5: warning: graphic refused")
    assert "http://example.org/map.png" in warnings[0]
    assert warnings[1].startswith(f"{source}:6: warning:") and "/etc/passwd" in warnings[1]
    assert "root:" not in reading(tmp_path / "out.pdf")
