"""The Note on the text is the TEI headers' prose: the edition's editorialDecl part by part, its
sourceDesc and each witness with its siglum, in the semantic HTML (so in every format) and in
the PDF's front matter; another header prints another note."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import lxml.html
from lxml import etree

from conftest import ROOT
from tei_edition import TEI_NS
from tei_edition.html import surviving_notes
from tei_edition.note_on_text import NOTE_ID
from tei_edition.pipeline import transform
from tei_edition.writers import reading_copy

NS = {"tei": TEI_NS}


def spaced(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_the_editions_note_is_its_headers_prose() -> None:
    """Every paragraph of the corpus header's editorialDecl and sourceDesc, and every
    article's witness note, stands in the note, with the witness's siglum; the contents open
    with it."""
    html = transform(ROOT / "edition" / "edition.xml").html
    [note] = html.xpath("//section[@id=$id]", id=NOTE_ID)
    text = spaced(note.text_content())
    corpus = etree.parse(str(ROOT / "edition" / "edition.xml")).getroot()
    paragraphs = corpus.xpath("tei:teiHeader//tei:editorialDecl//tei:p | "
                              "tei:teiHeader//tei:sourceDesc/tei:p", namespaces=NS)
    assert len(paragraphs) >= 8
    for paragraph in paragraphs:
        assert spaced("".join(paragraph.itertext())) in text
    headings = [spaced(h.text_content()) for h in note.iter("h3")]
    assert headings[:2] == ["Witnesses and sigla", "Corrections"]
    assert "References and names" in headings  # the part's own @n
    for name in ("nakhchivan-autonomy", "treaty-of-kars"):
        article = etree.parse(str(ROOT / "edition" / f"{name}.xml")).getroot()
        [witness] = article.xpath("tei:teiHeader//tei:sourceDesc/*[@n]", namespaces=NS)
        remark = spaced("".join(witness.find(f"{{{TEI_NS}}}note").itertext()))
        [described] = [dd for dd in note.iter("dd") if remark in spaced(dd.text_content())]
        assert described.getprevious().text == witness.get("n")
    first = html.get_element_by_id("contents").find("ol").find("li/a")
    assert first.get("href") == "#" + NOTE_ID


HEADER = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en"><teiHeader><fileDesc>
<titleStmt><title>Small</title></titleStmt><publicationStmt><p>Test</p></publicationStmt>
<sourceDesc><bibl n="S">A made-up source. <note>{state}</note></bibl></sourceDesc></fileDesc>
{encoding}</teiHeader><text><body><p>A small text.</p></body></text></TEI>"""
DECLARATION = """<encodingDesc><editorialDecl><p>{opening}</p>
<correction><p>{correction} (<gi>sic</gi>, <att>resp</att>).</p></correction>
</editorialDecl></encodingDesc>"""


def small_tei(folder: Path, **prose: str) -> Path:
    source = folder / "small.xml"
    encoding = DECLARATION.format(**prose) if "opening" in prose else ""
    source.write_text(HEADER.format(state=prose["state"], encoding=encoding), encoding="utf-8")
    return source


def front_matter(source: Path, output: Path) -> str:
    from tei_edition.cli import main

    assert main(["build", "pdf", str(source), "-o", str(output)]) == 0
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-l", "8", str(output), "-"],
                          check=True, capture_output=True, text=True).stdout
    return spaced(re.sub("\u2010\\s*\n", "", text))


def test_another_header_prints_its_own_note(tmp_path: Path) -> None:
    """The PDF's front matter says what the header says, and changes when it does."""
    first = front_matter(small_tei(tmp_path, opening="Readings kept as printed.",
                                   correction="Misprints mended silently", state="Worn copy."),
                         tmp_path / "first.pdf")
    assert "Note on the text" in first
    assert "Readings kept as printed." in first and "S A made-up source. Worn copy." in first
    note = first[first.rindex("Note on the text"):]  # after the contents' entry
    assert note.count("Worn copy.") == 1
    assert "Misprints mended silently (<sic>, @resp)." in first
    assert re.search(r"Corrections Misprints", first)
    second = front_matter(small_tei(tmp_path, opening="Every reading normalised.",
                                    correction="Misprints listed", state="Fresh copy."),
                          tmp_path / "second.pdf")
    assert "Every reading normalised." in second and "Fresh copy." in second
    assert "Readings kept as printed." not in second and "Misprints mended" not in second


def test_an_article_on_its_own_prints_the_editions_note_for_readers() -> None:
    """An article of the edition built on its own (`make articles`) prints the edition's Note on
    the text, written for readers, and says whose it is, with its own witness; not its own
    editorialDecl, which documents the encoding for encoders ("Every line of the extraction
    begins with <lb>; @n gives …"). The edition is one of the article's inputs (make rebuilds
    the article when its note changes)."""
    article = ROOT / "edition" / "nakhchivan-autonomy.xml"
    document = transform(article)
    [note] = document.html.xpath("//section[@id=$id]", id=NOTE_ID)
    text = spaced(note.text_content())
    assert spaced(note.find("p").text_content()) == (
        "The article is part of the edition Nakhchivan and the Treaty of Kars, 1920–1921. This "
        "is the edition’s note: its examples are drawn from all its articles, and not every "
        "practice it describes has an instance in this one; its figures, tables and lists are "
        "this article’s.")
    corpus = etree.parse(str(ROOT / "edition" / "edition.xml")).getroot()
    for paragraph in corpus.xpath("tei:teiHeader//tei:editorialDecl//tei:p | "
                                  "tei:teiHeader//tei:sourceDesc/tei:p", namespaces=NS):
        assert spaced("".join(paragraph.itertext())) in text
    own = etree.parse(str(article)).getroot()
    for paragraph in own.xpath("tei:teiHeader//tei:editorialDecl//tei:p", namespaces=NS):
        assert spaced("".join(paragraph.itertext())) not in text
    assert not note.xpath(".//code")  # no element, attribute or command named
    [witness] = own.xpath("tei:teiHeader//tei:sourceDesc/*[@n]", namespaces=NS)
    assert [dt.text for dt in note.iter("dt")] == [witness.get("n")]
    assert (ROOT / "edition" / "edition.xml").resolve() in {
        Path(path).resolve() for path in document.inputs}


CORPUS = """<teiCorpus xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">
<teiHeader><fileDesc><titleStmt><title>The Book</title></titleStmt><publicationStmt><p>Test</p>
</publicationStmt><sourceDesc><p>Books of the library.</p></sourceDesc></fileDesc>
<encodingDesc><editorialDecl><p>The book's principles.</p></editorialDecl></encodingDesc>
</teiHeader><xi:include href="{member}"/></teiCorpus>"""


def test_only_the_corpus_that_includes_an_article_speaks_for_it(tmp_path: Path) -> None:
    """A teiCorpus beside an article gives its note only when it includes the article; a
    sibling that is no well-formed XML is passed over, as is one including another file."""
    source = small_tei(tmp_path, opening="Encoded with care.", correction="Sic marked",
                       state="Worn copy.")
    (tmp_path / "a-broken.xml").write_text("<teiCorpus><unclosed>", encoding="utf-8")
    (tmp_path / "other.xml").write_text(CORPUS.format(member="elsewhere.xml"), encoding="utf-8")
    alone = spaced(transform(source).html.get_element_by_id(NOTE_ID).text_content())
    assert "Encoded with care." in alone and "The book's principles." not in alone
    (tmp_path / "book.xml").write_text(CORPUS.format(member="small.xml"), encoding="utf-8")
    included = spaced(transform(source).html.get_element_by_id(NOTE_ID).text_content())
    assert ("The article is part of the edition The Book. This is the edition’s note: its "
            "examples are drawn from all its articles") in " ".join(included.split())
    assert "The book's principles." in included and "Books of the library." in included
    assert "Encoded with care." not in included and "Worn copy." in included


def test_no_declaration_no_sigla_and_no_apparatus_no_note(tmp_path: Path) -> None:
    """Nothing to say, no note: not in the HTML, nor in the PDF (no apparatus to explain)."""
    source = tmp_path / "bare.xml"
    source.write_text(HEADER.replace(' n="S"', "").format(state="Made up.", encoding=""),
                      encoding="utf-8")
    html = transform(source).html
    assert not html.xpath("//section[@id=$id]", id=NOTE_ID)
    assert "Note on the text" not in lxml.html.tostring(html, encoding="unicode")
    assert "Note on the text" not in front_matter(source, tmp_path / "bare.pdf")


# "Three footnotes survived", "only two footnote texts survived", "of the Kars footnotes three
# survive"
SURVIVORS_COUNTED = re.compile(r"\b(\w+) footnote(?: text)?s survived|footnotes (\w+) survive",
                               re.IGNORECASE)
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six")


def test_every_count_of_the_surviving_footnotes_is_the_encodings() -> None:
    """Each place that counts the footnotes of the article on Kars that survived (the Note on
    the text, the reference list's head, the bibliography's comments) gives the number of
    author's numbers the encoding gives a text: notes 37 and 38 share one text, and both are
    printed, so 'two footnote texts' misled readers who counted three."""
    article = etree.parse(str(ROOT / "edition" / "treaty-of-kars.xml")).getroot()
    expected = NUMBER_WORDS[len(surviving_notes(article))]
    html = spaced(transform(ROOT / "edition" / "edition.xml").html.text_content())
    sources = [html] + [path.read_text(encoding="utf-8")
                        for path in (ROOT / "bib").glob("*.bib")]
    counts = [(match[1] or match[2]).lower() for text in sources
              for match in SURVIVORS_COUNTED.finditer(" ".join(text.replace("%", "").split()))]
    assert len(counts) >= 4
    assert set(counts) == {expected}


def test_the_note_on_dashes_quotes_the_texts_as_they_stand() -> None:
    """The Note on the text says, with its quotation marks, that the witness's dashes are kept,
    hyphen or dash, spaced or not, and shows it by example: each example it quotes stands so
    in the reading text (a normalised dash would make the statement false)."""
    html = reading_copy(transform(ROOT / "edition" / "edition.xml"))  # the reading only
    [note] = html.xpath("//section[@id=$id]", id=NOTE_ID)
    [part] = note.xpath(".//section[normalize-space(h3) = 'Quotation marks']")
    examples = re.findall(r"“([^”]+)”", spaced(part.text_content()))
    articles = spaced(" ".join(article.text_content() for article in html.iter("article")))
    assert len(examples) >= 2
    assert {"-", "–"} <= set("".join(examples))  # both marks shown
    for example in examples:
        for quoted in example.split("; "):
            assert quoted in articles


def test_the_corpus_read_for_its_note_is_no_download_of_the_articles_site(
        tmp_path: Path, run_cli) -> None:
    """The site of an article built on its own offers the article's TEI, not the corpus read
    for its note: that file XIncludes articles the site does not hold (it was offered, its
    includes dangling: the production review)."""
    source = small_tei(tmp_path, opening="Encoded with care.", correction="Sic marked",
                       state="Worn copy.")
    (tmp_path / "book.xml").write_text(CORPUS.format(member="small.xml"), encoding="utf-8")
    assert run_cli("build", "html", source, "-o", tmp_path / "site").status == 0
    offered = {path.name for path in (tmp_path / "site" / "downloads").rglob("*.xml")}
    assert offered == {"small.xml"}
