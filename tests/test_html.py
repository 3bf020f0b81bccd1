"""TEI → semantic HTML, one behaviour per test on small made-up texts, then the built web site
checked as a whole: every internal link and anchor resolves, nothing is fetched from elsewhere."""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import lxml.html
import pytest
from lxml import etree

from conftest import EDITION, ROOT, manifest_verdicts
from tei_edition import TEI_NS, tei
from tei_edition.diagnostics import Severity
from tei_edition.html import Document, author_name, serialize, to_html
from tei_edition.load import load

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def tei_file(folder: Path, body: str, back: str = "") -> Path:
    """A minimal valid-looking TEI article around `body`."""
    path = folder / "article.xml"
    path.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en">
  <teiHeader><fileDesc>
    <titleStmt><title type="main">A test article</title>
      <author><persName>Ann Author</persName></author></titleStmt>
    <publicationStmt><publisher>Test press</publisher><date when="2020">2020</date>
      <idno type="edition">test-article</idno></publicationStmt>
    <sourceDesc><p>Made up.</p></sourceDesc>
  </fileDesc></teiHeader>
  <text><body><div type="article">
{body}
  </div></body><back>{back}</back></text>
</TEI>""", encoding="utf-8")
    return path


def transform(folder: Path, body: str, back: str = "") -> Document:
    path = tei_file(folder, body, back)
    return to_html(load(path), path)


def article_of(document: Document) -> lxml.html.HtmlElement:
    return document.html.find(".//article")


def test_a_text_that_is_a_group_of_texts_shows_each(tmp_path: Path) -> None:
    """A <text> holding a <group> of texts (a collection, nested groups too) shows every text's
    words; the article read only a body and built an empty page, exit 0 (QA review)."""
    path = tei_file(tmp_path, "<p>x</p>")
    path.write_text(path.read_text(encoding="utf-8").replace(
        """<text><body><div type="article">\n<p>x</p>\n  </div></body><back></back></text>""",
        "<text><group><text><body><p>First text.</p></body></text><group><text><front><head>"
        "Inner head</head></front><body><p>Nested text.</p></body></text></group></group>"
        "</text>"), encoding="utf-8")
    words = " ".join(article_of(to_html(load(path), path)).itertext())
    assert all(text in words for text in ("First text.", "Inner head", "Nested text."))


def test_lines_join_into_prose_and_soft_hyphens_are_witness_only(tmp_path: Path) -> None:
    document = transform(tmp_path, '<p><lb n="1"/>the gov<pc force="weak">-</pc>'
                                   '<lb n="2" break="no"/>ernment of<lb n="3"/>Baku, an eight-'
                                   '<lb n="4" break="no"/> point plan</p>')
    paragraph = article_of(document).find(".//section/p")
    hyphen = paragraph.find_class("pc-weak")[0]
    assert "only-diplomatic" in hyphen.get("class")
    hyphen.drop_tree()
    # A line beginning is a word space, unless the word runs on over the line end (even where
    # the witness's next line begins with a space).
    assert re.sub(r"\s+", " ", paragraph.text_content()).strip() == (
        "the government of Baku, an eight-point plan")
    assert [lb.get("data-n") for lb in paragraph.find_class("lb")] == ["1", "2", "3", "4"]


@pytest.mark.parametrize(("witness", "editorial"), [("orig", "reg"), ("sic", "corr")])
def test_choice_keeps_both_readings_marked_by_view(tmp_path: Path, witness: str,
                                                    editorial: str) -> None:
    document = transform(tmp_path, f'<p><lb n="1"/><choice><{witness}>Nakhichevan</{witness}>'
                                   f'<{editorial}>Nakhchivan</{editorial}></choice></p>')
    choice = article_of(document).find_class("choice")[0]
    shown = {span.text: span.get("class") for span in choice}
    assert shown == {"Nakhichevan": f"{witness} only-diplomatic",
                     "Nakhchivan": f"{editorial} only-normalised"}


def test_page_furniture_is_witness_only(tmp_path: Path) -> None:
    document = transform(tmp_path, '<fw type="runningHead"><lb n="1"/>History</fw><pb n="35"/>'
                                   '<p><lb n="2"/>Text</p>')
    article = article_of(document)
    assert "only-diplomatic" in article.find_class("fw")[0].get("class")
    page_break = article.find_class("pb")[0]
    assert (page_break.text, page_break.get("data-n")) == ("[p.\u00a035]", "35")
    assert "only-diplomatic" in page_break.get("class")


def test_dates_quotes_and_figures_keep_their_meaning(tmp_path: Path) -> None:
    document = transform(tmp_path, '<p><lb n="1"/>On <date when="1921-10-13">13 October</date>'
                                   ' he said <quote>“no”</quote>.</p>'
                                   '<figure><head><lb n="2"/>A caption</head></figure>')
    article = article_of(document)
    assert article.find(".//time").get("datetime") == "1921-10-13"
    # The witness's own quotation marks are text: no <q>, which would add a second pair.
    assert article.find(".//q") is None
    assert article.find_class("quote")[0].text_content() == "“no”"
    assert article.find(".//figure/figcaption").text_content().strip() == "A caption"


def test_a_title_keeps_its_kind_and_a_treatys_name_is_set_in_roman(tmp_path: Path) -> None:
    document = transform(tmp_path, '<p><lb n="1"/>Under the <title type="treaty">Treaty of Batum'
                                   '</title>, as <title>The Road</title> says.</p>')
    cites = article_of(document).findall(".//cite")
    assert [(c.text_content(), c.get("data-type")) for c in cites] == [
        ("Treaty of Batum", "treaty"), ("The Road", None)]
    css = (ROOT / "styles" / "edition.css").read_text(encoding="utf-8")
    assert re.search(r'cite\.title\[data-type="treaty"\][^{]*\{ font-style: normal; \}', css)
    assert re.search(r'cite\.title\[data-type="annex"\][^{]*\{ font-style: normal; \}', css)


def test_citation_links_to_its_bibliography_entry(tmp_path: Path) -> None:
    document = transform(
        tmp_path,
        '<p><lb n="1"/>(<bibl type="citation"><ref type="reference" n="22">22</ref>, '
        '<citedRange unit="page" from="72" to="72">p.72</citedRange></bibl>)</p>',
        '<listBibl><bibl n="22">A book.</bibl></listBibl>',
    )
    link = document.html.find(".//a[@role='doc-biblioref']")
    assert link.get("href") == "#test-article-bib-22"
    entry = document.html.get_element_by_id("test-article-bib-22")
    assert entry.tag == "li" and "A book." in entry.text_content()


def test_footnotes_have_calls_and_back_links(tmp_path: Path) -> None:
    document = transform(
        tmp_path,
        '<p><lb n="1"/>First<ref type="footnote" n="1">1</ref> and second'
        '<ref type="footnote" n="37">37</ref> and third<ref type="footnote" n="38">38</ref>.</p>'
        '<note type="authorial" place="foot" n="1"><lb n="2"/><label>1</label></note>'
        '<note type="authorial" place="foot" n="37-38"><lb n="3"/>A surviving note.</note>',
    )
    html = document.html
    call = html.find(".//a[@role='doc-noteref']")
    assert call.get("href") == "#test-article-fn-1"
    notes = html.find(".//section[@role='doc-endnotes']")
    first, second = notes.findall(".//li")
    assert "not preserved" in first.text_content()
    # Note "37-38" survived and serves the calls of notes 37 and 38: one note, its text once,
    # numbered as a range, each call keeping its own number.
    assert "A surviving note." in second.text_content()
    assert second.find_class("footnote-number")[0].text_content() == "37–38"
    calls = html.xpath(".//a[@role='doc-noteref'][@href=$note]", note="#" + second.get("id"))
    assert [c.text_content() for c in calls] == ["37", "38"]
    back = first.find(".//a[@role='doc-backlink']")
    assert back.get("href") == "#" + call.get("id")
    # In place, the stray label of the witness is shown in the diplomatic view only.
    stray = html.find_class("note-in-witness")[0]
    assert "only-diplomatic" in stray.get("class")


def test_a_note_number_assigned_without_certainty_says_probably(tmp_path: Path) -> None:
    """A note that survived without its number and was assigned one (`cert="medium"`, Kars
    "probably note 3") is labelled "probably 3" among the notes; a certain one is its number."""
    document = transform(
        tmp_path,
        '<p><lb n="1"/>First<ref type="footnote" n="3">3</ref> and<ref type="footnote" n="4">4'
        '</ref>.<note type="authorial" place="foot" n="3" cert="medium"><lb n="2"/>See: it.</note>'
        '<note type="authorial" place="foot" n="4"><lb n="3"/>See: that.</note></p>',
    )
    labels = [span.text_content() for span in document.html.find_class("footnote-number")]
    assert labels == ["probably 3", "4"]


def test_unknown_element_keeps_its_content_and_is_reported(tmp_path: Path) -> None:
    document = transform(tmp_path, '<p><lb n="1"/>A <damage>word</damage> here,\n'
                                   '<damage>another</damage></p>')
    assert "A word here" in re.sub(r"\s+", " ", article_of(document).text_content())
    assert len(document.html.find_class("tei-damage")) == 2
    # Reported once per element and file, at its first occurrence, with the count.
    [diagnostic] = document.diagnostics
    assert diagnostic.code == "html-unhandled"
    assert diagnostic.file.endswith("article.xml")
    assert diagnostic.line == 11
    assert "<damage> (2 in this file; the first here)" in diagnostic.message


def test_graphics_outside_the_edition_are_refused_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "map.png").write_bytes(PNG)
    document = transform(
        tmp_path,
        '<figure><graphic url="map.png"/><head>A map</head></figure>\n'
        '<figure><graphic url="http://example.org/x.png"/></figure>\n'
        '<figure><graphic url="file:///etc/passwd"/></figure>\n'
        '<figure><graphic url="../../secret.png"/></figure>',
    )
    images = document.html.findall(".//img")
    assert [Path(urlparse(i.get("src")).path).name for i in images] == ["map.png"]
    assert images[0].get("alt") == "A map"
    refusals = [d for d in document.diagnostics if d.code == "resource-refused"]
    assert [d.line for d in refusals] == [12, 13, 14]  # the body starts on line 11
    assert "http://example.org/x.png" in refusals[0].message
    assert all(d.file.endswith("article.xml") for d in refusals)


REGISTER = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>
<titleStmt><title>Register</title></titleStmt><publicationStmt><p>Test</p></publicationStmt>
<sourceDesc><p>Made up.</p></sourceDesc></fileDesc></teiHeader><standOff>
<listPerson><person xml:id="stalin"><persName type="regular">Joseph Stalin</persName>
  <persName type="accepted">J. Stalin</persName><birth when="1878"/><death when="1953"/>
  <note type="identification">Soviet leader.</note><idno type="wikidata">Q855</idno></person>
</listPerson>
<listPlace><place xml:id="nakhchivan"><placeName type="regular">Nakhchivan</placeName>
  <placeName type="variant">Nakhichevan</placeName></place>
<place xml:id="azerbaijan"><placeName type="regular">Azerbaijan</placeName></place></listPlace>
<listOrg><org xml:id="revkom"><orgName type="regular">Azerbaijan Revolutionary Committee</orgName>
</org></listOrg></standOff></TEI>"""


def transform_with_registers(folder: Path, body: str) -> Document:
    """Through the pipeline's transform stage: registers and apparatus resolved."""
    from tei_edition.pipeline import transform as pipeline_transform

    (folder / "names.xml").write_text(REGISTER, encoding="utf-8")
    return pipeline_transform(tei_file(folder, body))


def test_names_link_to_their_register_entry_which_lists_them(tmp_path: Path) -> None:
    document = transform_with_registers(tmp_path, (
        '<p><lb n="1"/><persName ref="names.xml#stalin">J. Stalin</persName> spoke in'
        '<lb n="2"/><placeName ref="names.xml#nakhchivan">Nakhchivan</placeName>.</p>'))
    html = document.html
    link = html.find(".//a[@data-ref='names.xml#stalin']")
    assert link.get("href") == "#person-stalin" and link.get("title") == "Joseph Stalin (1878–1953)"
    entry = html.get_element_by_id("person-stalin")
    text = re.sub(r"\s+", " ", entry.text_content())
    assert text.startswith("Joseph Stalin (1878–1953) Soviet leader.")
    assert "Wikidata Q855" in text
    [back] = entry.find_class("occurrence")
    assert (back.text, back.get("href")) == ("l. 1", "#" + link.get("id"))
    assert html.get_element_by_id("place-nakhchivan").find_class("occurrence")[0].text == "l. 2"
    assert html.get_element_by_id("index-of-names").get("role") == "doc-index"


def test_a_name_inside_a_name_is_no_nested_link(tmp_path: Path) -> None:
    document = transform_with_registers(tmp_path, (
        '<p><lb n="1"/><orgName ref="names.xml#revkom"><placeName ref="names.xml#azerbaijan">'
        'Azerbaijan</placeName> Revolutionary Committee</orgName></p>'))
    outer = document.html.find(".//a[@data-ref='names.xml#revkom']")
    assert outer.find(".//a") is None
    inner = outer.find(".//span[@data-ref='names.xml#azerbaijan']")
    # Still an occurrence: the register links to it.
    place = document.html.get_element_by_id("place-azerbaijan")
    assert place.find_class("occurrence")[0].get("href") == "#" + inner.get("id")


def test_apparatus_marks_authorial_interventions_and_lists_repairs(tmp_path: Path) -> None:
    document = transform_with_registers(tmp_path, (
        '<p><lb n="1"/>In <placeName ref="names.xml#nakhchivan"><choice>'
        '<orig>Nakhichevan</orig><reg type="variant" resp="#ed">Nakhchivan</reg></choice>'
        '</placeName> the <choice><sic>Commit tee</sic><corr type="extraction" resp="#ed">'
        'Committee</corr></choice> met.</p>'))
    html = document.html
    [mark] = html.find_class("app-mark")
    # After the name's link, not inside it: links cannot nest.
    assert mark.getprevious().get("data-ref") == "names.xml#nakhchivan"
    assert mark.findtext("sup") == "a"
    entry = html.get_element_by_id(mark.get("href")[1:])
    assert re.sub(r"\s+", " ", entry.text_content()).strip() == (
        "a l. 1 Nakhchivan ed ] Nakhichevan (variant)")  # the reading's maker after it
    assert entry.find_class("app-key")[0].get("href") == "#" + mark.get("id")
    assert "Nakhchivan ] Nakhichevan" in mark.find_class("app-popup")[0].text
    [repair] = html.find_class("repair")
    assert "Committee ed ] Commit tee (extraction)" in repair.text_content()
    place = repair.find_class("app-place")[0].get("href")[1:]
    assert "Commit tee" in html.get_element_by_id(place).text_content()


def test_a_caption_inside_a_paragraph_keeps_the_paragraph_whole(tmp_path: Path) -> None:
    document = transform(tmp_path, '<p><lb n="1"/>Before <figure><head><lb n="2"/>A caption'
                                   '</head></figure><lb n="3"/>after.</p>')
    paragraph = article_of(document).find(".//section/p")
    figure = paragraph.find(".//span[@role='figure']")
    assert figure.find_class("figcaption")[0].text_content().strip() == "A caption"
    assert b"<figure" not in serialize(document.html)


def test_serialized_html_declares_its_encoding(tmp_path: Path) -> None:
    data = serialize(transform(tmp_path, '<p><lb n="1"/>Nakhchivan’s</p>').html)
    assert data.startswith(b"<!DOCTYPE html>")
    assert b'<meta charset="utf-8">' in data
    assert "Nakhchivan’s".encode() in data


# -- the built site ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tei_edition.cli import main

    output = tmp_path_factory.mktemp("site") / "html"
    assert main(["build", "html", "-o", str(output)]) == 0
    return output


def pages(site: Path) -> dict[Path, lxml.html.HtmlElement]:
    return {page: lxml.html.fromstring(page.read_bytes()) for page in site.glob("*.html")}


def test_the_index_files_under_surnames_and_tells_homonyms_apart(site: Path) -> None:
    index = lxml.html.fromstring((site / "index-of-names.html").read_bytes())
    headwords = [span.text for span in index.find_class("headword")]
    assert "Karabekir, Kazim" in headwords and "Veli bey" in headwords
    assert {"Nakhchivan (city)", "Nakhchivan (region)"} <= set(headwords)
    assert "Nakhchivan" not in headwords
    # a form ending in a full stop ends the list: "J. H.", not "J. H.." (EPUB review)
    forms = [" ".join(span.text_content().split()) for span in index.find_class("forms")]
    assert "Forms in the texts: J. H." in forms and not any(".." in form for form in forms)
    # homonyms file by their qualifier (press review: "(region)" stood before "(city)")
    assert headwords.index("Nakhchivan (city)") < headwords.index("Nakhchivan (region)")
    assert headwords.index("Kuku (mountain)") < headwords.index("Kuku (village)")
    [see] = [item for item in index.find_class("register-see")
             if item.text_content().startswith("Yusif Kamal,")]
    assert see.text_content() == "Yusif Kamal, see Tengirşenk, Yusif Kamal"
    assert see.find("a").get("href") == "#person-yusuf-kemal"
    assert headwords.index("Yusif Kamal") > headwords.index("Veli bey")  # filed under Y


def test_the_index_files_every_person_under_a_later_surname_the_register_gives(
        site: Path) -> None:
    """Mustafa Kemal, like Tengirşenk, Cebesoy and Esendal, took a surname in 1934: the register
    gives it in the headword (`<surname>`), so the index files him under it and refers from the
    form the texts use."""
    index = lxml.html.fromstring((site / "index-of-names.html").read_bytes())
    headwords = [span.text for span in index.find_class("headword")]
    see = {item.find_class("headword")[0].text: item.text_content()
           for item in index.find_class("register-see")}
    for filed, form in (("Atatürk, Mustafa Kemal", "Mustafa Kemal"),
                        ("Tengirşenk, Yusif Kamal", "Yusif Kamal"),
                        ("Cebesoy, Ali Fuad", "Ali Fuad Pasha"),
                        ("Esendal, Memduh Shevket", "Memduh Shevket")):
        assert filed in headwords
        assert see[form] == f"{form}, see {filed}"


def test_the_index_refers_from_the_registers_other_forms(site: Path) -> None:
    """A reader looks a name up under a form the texts or the register give (a witness's
    spelling, a modern or a historical name): the index refers from it to the entry, from the
    registers' typed forms alone; not from a native form in another script, nor from a form
    that is another entry's own."""
    index = lxml.html.fromstring((site / "index-of-names.html").read_bytes())
    see = {item.find_class("headword")[0].text: item
           for item in index.find_class("register-see")}
    assert see["Gyumri"].text_content() == "Gyumri, see Alexandropol"  # modern
    assert see["Gyumri"].find("a").get("href") == "#place-gyumri"
    assert see["Batum"].text_content() == "Batum, see Batumi"  # a witness's spelling
    assert see["Yusuf Kemal"].text_content() == "Yusuf Kemal, see Tengirşenk, Yusif Kamal"
    assert see["Erivan"].text_content() == "Erivan, see Iravan"  # historical
    # one form of two entries: both, told apart as their headings are
    assert see["Nakhichevan"].text_content() == (
        "Nakhichevan, see Nakhchivan (region); Nakhchivan district")
    assert "Yusif Kamal" in see and "Memduh Shevket" in see  # under a surname, as before
    assert not [form for form in see if any("\u0400" <= char <= "\u04ff" for char in form)]


def test_the_index_refers_from_no_form_that_is_another_entrys_own() -> None:
    """A form one entry gives as a spelling and another as its own name ("Batumi": a headword,
    were it a witness's spelling of Alexandropol) leads the reader to that entry, filed there:
    no cross-reference from it."""
    import dataclasses

    from tei_edition.html import cross_references
    from tei_edition.registers import edition_registers

    registers = edition_registers(EDITION)[0]
    batumi = registers.lookup("places.xml#batumi")
    alexandropol = registers.lookup("places.xml#gyumri")
    assert batumi is not None and alexandropol is not None
    spelt = dataclasses.replace(alexandropol, variants=("Batumi", "Aleksandropol"))
    assert list(cross_references([batumi, spelt])) == ["Batum", "Aleksandropol", "Gyumri"]


def test_a_note_citing_a_source_in_another_language_says_so(site: Path) -> None:
    """The editors' identification of a note's source is set in the source's language (its
    langid), so that it is hyphenated by that language's patterns: "Министерство …"."""
    kars = lxml.html.fromstring((site / "treaty-of-kars.html").read_bytes())
    [russian] = [link for link in kars.find_class("citation-note")
                 if "Министерство" in link.text_content()]
    assert russian.get("lang") == "ru"
    assert all(link.get("lang") is None for link in kars.find_class("citation-note")
               if link.text_content().isascii())


def test_an_attribution_not_verified_is_printed_as_such(site: Path) -> None:
    """The headers mark both attributions as probable (`<author cert="medium">`: the names come
    from the brief, not the witnesses): each byline says "[attributed to]" before the name, apart
    from the name, and so does the verso's running head (print.css); a verified author is
    printed as the name alone. The articles' authors are not the book's: the title page and
    the document's author metadata (the PDF's Author) name the editors as the header does, a
    body as "the …"."""
    printed = [element.text_content() for tree in pages(site).values()
               for element in tree.find_class("author")]
    assert "[attributed to] Ismayil Hajiyev" in printed
    assert "[attributed to] Jamil Hasanli" in printed
    assert not [text for text in printed if "[attributed to]" not in text]
    names = {element.text_content() for tree in pages(site).values()
             for element in tree.find_class("author-name")}
    assert names == {"Ismayil Hajiyev", "Jamil Hasanli"}
    edition = ROOT / "edition" / "edition.xml"
    html = to_html(load(edition), edition).html
    [title_page] = html.xpath("//*[@id='title-page']")
    assert [p.text_content() for p in title_page.find_class("edition-editors")] == [
        "Edited by the IRS Heritage critical edition project"]
    assert "Hajiyev" not in title_page.text_content()
    assert html.xpath("//meta[@name='author']/@content") == [
        "IRS Heritage critical edition project"]
    verified = etree.fromstring(f'<author xmlns="{TEI_NS}"><persName>A. Author</persName></author>')
    assert author_name(verified) == "A. Author"


def test_every_internal_link_and_anchor_resolves(site: Path) -> None:
    parsed = pages(site)
    ids = {page: {e.get("id") for e in tree.iter() if e.get("id")}
           for page, tree in parsed.items()}
    checked, dangling = 0, []
    for page, tree in parsed.items():
        for _element, _attribute, link, _position in tree.iterlinks():
            url = urlparse(link)
            if url.scheme or url.netloc:
                continue
            target = (page.parent / unquote(url.path)).resolve() if url.path else page
            checked += 1
            if not target.exists():
                dangling.append(f"{page.name}: {link} (no such file)")
            elif url.fragment and url.fragment not in ids.get(target, set()):
                dangling.append(f"{page.name}: {link} (no such anchor)")
    assert checked > 100
    assert not dangling, dangling[:10]


def test_nothing_is_loaded_from_outside_the_site(site: Path) -> None:
    for page, tree in pages(site).items():
        policy = tree.find(".//meta[@http-equiv='Content-Security-Policy']").get("content")
        assert "default-src 'none'" in policy and "script-src 'self'" in policy
        # WebAssembly, fetching and workers only where Pagefind runs: the search page.
        searching = {"'wasm-unsafe-eval'", "connect-src", "worker-src"}
        assert {word for word in searching if word in policy} == (
            searching if page.name == "search.html" else set()), page.name
        for element, _attribute, link, _position in tree.iterlinks():
            if element.tag in ("link", "script", "img"):
                assert not urlparse(link).scheme, f"{page.name}: {element.tag} {link}"


def test_the_fonts_are_the_prints_faces_subset_to_the_text_as_woff2(site: Path) -> None:
    from fontTools.ttLib import TTFont

    shipped = Path(__file__).parent.parent / "styles" / "fonts"
    fonts = sorted((site / "styles" / "fonts").glob("*.woff2"))
    assert [font.stem for font in fonts] == sorted(face.stem for face in shipped.glob("*.otf"))
    assert (site / "styles" / "fonts" / "LICENSE-LinuxLibertine.txt").exists()
    assert not list((site / "styles" / "fonts").glob("*.otf"))
    text = {character for tree in pages(site).values() for character in tree.text_content()
            if not character.isspace()}
    for font in fonts:
        face = TTFont(font)
        assert font.read_bytes()[:4] == b"wOF2"
        full = TTFont(shipped / f"{font.stem}.otf")
        # Every character of the text the full face has, the subset has; and it is far smaller.
        wanted = {ord(character) for character in text} & set(full.getBestCmap())
        assert wanted <= set(face.getBestCmap()), font.name
        assert font.stat().st_size < (shipped / f"{font.stem}.otf").stat().st_size / 4
        # The face's own timestamp, not the day the cached subset was made: reproducible bytes.
        assert face["head"].modified == full["head"].modified, font.name
    css = (site / "styles" / "edition.css").read_text(encoding="utf-8")
    assert ".otf" not in css and css.count('format("woff2")') == len(fonts)


def test_the_search_index_is_made_by_pagefinds_own_binary(site: Path) -> None:
    """Pagefind runs as itself, not behind a second Python interpreter (`python -m
    pagefind`, a tenth of a second of every build), and its index is in the site."""
    from tei_edition.writers.search import pagefind_command

    command = pagefind_command(site)
    assert Path(command[0]).name.startswith("pagefind") and os.access(command[0], os.X_OK)
    assert (site / "pagefind" / "pagefind-entry.json").is_file()


def test_a_draft_site_has_the_same_pages_without_the_search(site: Path, tmp_path: Path) -> None:
    """`build html --no-search`: every page of the site, the same text, but no search page,
    no link to it, no index and nothing marked for Pagefind (the draft a proofreader rebuilds
    in half the time)."""
    from tei_edition.cli import main

    draft = tmp_path / "draft"
    assert main(["build", "html", "--no-search", "-o", str(draft)]) == 0
    full, drafted = pages(site), pages(draft)
    assert {page.name for page in drafted} == {page.name for page in full} - {"search.html"}
    assert not (draft / "pagefind").exists() and not (draft / "styles" / "search.js").exists()
    for page, tree in drafted.items():
        ours = tree.find(".//main")
        theirs = full[site / page.name].find(".//main")
        assert ours.text_content() == theirs.text_content(), page.name
        assert not tree.xpath("//a[@href='search.html']"), page.name
        assert not tree.xpath("//@*[starts-with(name(), 'data-pagefind')]"), page.name
    assert full[site / "index.html"].xpath("//a[@href='search.html']")  # the full site has it


def test_pages_are_accessible_landmarks_with_language(site: Path) -> None:
    for page, tree in pages(site).items():
        assert tree.get("lang") == "en"
        assert len(tree.findall(".//main")) == 1, page.name
        assert tree.find(".//header") is not None and tree.find(".//nav") is not None
        assert len(tree.findall(".//h1")) == 1, page.name
        assert all(img.get("alt") for img in tree.iter("img"))
        assert tree.find(".//a[@class='skip-link']").get("href") == "#site-content"


def test_a_failed_build_keeps_the_previous_site(tmp_path: Path, run_cli) -> None:
    output = tmp_path / "html"
    output.mkdir()
    (output / "index.html").write_text("previous good site", encoding="utf-8")
    broken = tmp_path / "broken.xml"
    broken.write_text("<TEI", encoding="utf-8")
    assert run_cli("build", "html", broken, "-o", output).status == 1
    assert (output / "index.html").read_text(encoding="utf-8") == "previous good site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.xml", "html"]


CORPUS = sorted((Path(__file__).parent / "corpus" / "tei").glob("*.xml"))


@pytest.mark.parametrize("source", CORPUS, ids=[path.stem[:3] for path in CORPUS])
def test_real_world_tei_becomes_a_site_or_is_refused_clearly(source: Path,
                                                             tmp_path: Path) -> None:
    """TEI the pipeline was not written for. A valid file becomes a site: unknown elements
    are kept and reported, never dropped or fatal, and no link points nowhere. An invalid one
    is refused by the build's validation stage, with file and line, and nothing is written."""
    from tei_edition.pipeline import publish

    diagnostics = publish(source, "html", tmp_path / "site")
    errors = [d for d in diagnostics if d.severity == Severity.ERROR]
    if manifest_verdicts()[source.name] == "invalid":
        assert errors and all(d.file and d.line for d in errors)
        assert not (tmp_path / "site").exists()
        return
    assert not errors, errors[:3]
    assert (tmp_path / "site" / "index.html").is_file()
    assert not [d for d in diagnostics if d.code == "dangling-link"]
    assert all(d.file and d.line for d in diagnostics if d.code == "html-unhandled")
    for page in (tmp_path / "site").glob("*.html"):
        ids = [e.get("id") for e in lxml.html.fromstring(page.read_bytes()).iter() if e.get("id")]
        assert len(ids) == len(set(ids)), page.name


def test_a_locator_abbreviation_is_tied_to_its_number(tmp_path: Path) -> None:
    """"p. 227-228" in a note of the witness, "pp. 5" across a line: whatever the fonts' metrics,
    no output can end a line after the abbreviation (a no-break space joins it to the number)."""
    document = transform(tmp_path, '<p>See T. IV, p. 227-228; pp.<lb n="2"/>5-6 and vol. IV,'
                         ' no. 3; Amb. Ali Fuat. Its app. 5 and the Scharnhorst-Kap. 2.</p>')
    text = article_of(document).text_content()
    assert "p.\u00a0227" in text and "pp.\u00a05" in text
    assert "vol.\u00a0IV" in text and "no.\u00a03" in text
    assert not re.search(r"\b(?:pp?|vol|no)\.[ \n]", text)
    assert "app. 5" in text and "Kap. 2" in text  # a word that ends as a locator is none


def test_an_initial_is_tied_to_its_name_in_either_script(tmp_path: Path) -> None:
    """"M. D. Huseynov", "Ш. Элиава": an initial never ends a line apart from its name, in
    Latin or Cyrillic; a sentence's full stop ("Baku. The") and a word's last letter stay
    breakable."""
    document = transform(tmp_path, "<p>By M. D. Huseynov in Baku. The text.</p>"
                         "<p>By Ш. Элиава, of the U.S. Army.</p>"
                         "<p>By Ə. Topçubaşov, Ş. Məmmədov and Ё. Лукин.</p>")
    text = article_of(document).text_content()
    assert "M.\u00a0D.\u00a0Huseynov" in text and "Ш.\u00a0Элиава" in text
    assert "Ə.\u00a0Topçubaşov" in text and "Ş.\u00a0Məmmədov" in text and "Ё.\u00a0Лукин" in text
    assert "Baku. The" in text
    assert "U.S. Army" in text  # the last letter of an abbreviation is no initial


def test_a_digraph_initial_and_a_dates_day_and_month_are_tied(tmp_path: Path) -> None:
    """"Sh. / Eliava", "26 / September", "13 / October" ended lines of the PDF (production
    review): an initial of two letters is tied to its name, and a date's day to its month,
    either way round; a year stays breakable, and so does a number outside a date."""
    document = transform(tmp_path, '<p>By Sh. Eliava on <date when="1921-09-26">26 '
                         'September</date>, <date when="1921-10-13">October 13, 1921</date> and'
                         ' <date when="1921-09-30">30<lb n="2"/>September</date>; 12 delegates'
                         ' met in <date when="1921-05">late May 1921</date>.</p>')
    text = article_of(document).text_content()
    assert "Sh.\u00a0Eliava" in text and "26\u00a0September" in text and "30\u00a0September" in text
    assert "October\u00a013, 1921" in text and "late May 1921" in text
    assert "12 delegates" in text


def test_the_sources_are_downloadable_and_each_page_says_how_to_cite_it(site: Path) -> None:
    root = Path(__file__).parent.parent
    for source in [*root.glob("edition/*.xml"), *root.glob("edition/references/*.xml"),
                   *root.glob("bib/*.bib")]:
        copy = site / "downloads" / source.relative_to(root)
        assert copy.read_bytes() == source.read_bytes(), source
    kars = lxml.html.fromstring((site / "treaty-of-kars.html").read_bytes())
    offered = {a.get("href") for a in kars.find_class("downloads")[0].iter("a")}
    assert {"downloads/edition/treaty-of-kars.xml", "downloads/bib/treaty-of-kars.bib",
            "downloads/edition.bib"} <= offered
    assert (site / "downloads" / "edition.bib").read_text(encoding="utf-8").startswith(
        "@book{irs-heritage-nakhchivan-kars,")
    # Highwire tags (Zotero, Google Scholar): the article, its author, the edition it is in.
    meta = {m.get("name"): m.get("content") for m in kars.iterfind(".//meta[@name]")}
    assert meta["citation_title"] == "[Kars conference: Known and unknown facts]"
    assert meta["citation_author"] == "Jamil Hasanli"
    assert meta["citation_inbook_title"] == "Nakhchivan and the Treaty of Kars, 1920–1921"
    chicago = kars.find_class("cite-chicago")[0].text_content()
    assert chicago.startswith("[Hasanli, Jamil]. “[Kars conference: Known and unknown facts].” In ")
    assert "@incollection{" in kars.find_class("cite-bibtex")[0].text_content()


def test_a_part_the_editors_made_is_cited_as_theirs_and_metadata_names_no_attribution(
        site: Path) -> None:
    """The chronology, map, index and search pages are the editors' work (the TEI header's
    <editor>), not the articles' authors': Chicago, BibTeX and the Highwire and `author` meta
    tags say so. Machine-read names are the names alone; "[attributed to]" is for bylines."""
    header = etree.parse(str(EDITION / "edition.xml")).getroot()
    editors = [" ".join("".join(editor.itertext()).split())
               for editor in header.iter(tei("editor"))]
    assert editors == ["IRS Heritage critical edition project"]  # as the header names them
    for name, title in (("chronology.html", "Chronology"), ("map-of-places.html", "Map of places"),
                        ("index-of-names.html", "Index of names"), ("search.html", "Search")):
        page = lxml.html.fromstring((site / name).read_bytes())
        named = {kind: [m.get("content") for m in page.iterfind(f".//meta[@name='{kind}']")]
                 for kind in ("author", "citation_author")}
        assert named == {"author": editors, "citation_author": editors}, name
        chicago = page.find_class("cite-chicago")[0].text_content()
        assert chicago.startswith(f"{editors[0]}. “{title}.” In "), chicago
        bibtex = page.find_class("cite-bibtex")[0].text_content()
        assert f"  author = {{{{{editors[0]}}}}},\n" in bibtex, bibtex
    for path, page in pages(site).items():
        for meta in page.iterfind(".//meta[@content]"):
            assert "[attributed to]" not in meta.get("content"), (path.name, meta.get("name"))
    kars = lxml.html.fromstring((site / "treaty-of-kars.html").read_bytes())
    assert [m.get("content") for m in kars.iterfind(".//meta[@name='author']")] == [
        "Jamil Hasanli"]


def test_references_are_in_the_authors_order_and_lead_back_to_their_citations(
        site: Path) -> None:
    kars = lxml.html.fromstring((site / "treaty-of-kars.html").read_bytes())
    [listing] = kars.find_class("references")
    labels = [entry.find_class("bib-label")[0].text_content() for entry in listing]
    firsts = [int(label.strip("[]").split(",")[0]) for label in labels]
    assert firsts == sorted(firsts) and firsts[0] == 1
    linked_back = 0
    for entry in listing:
        for back in entry.find_class("bib-backlink"):
            citation = kars.get_element_by_id(back.get("href")[1:])
            assert citation.get("href") == "#" + entry.get("id")
            linked_back += 1
    assert linked_back >= 37  # every note of the Kars article (37-38 one) points to its source


def test_a_bibliography_entry_in_russian_says_so_and_its_note_stays_english(site: Path) -> None:
    """A reader's screen reader and the browser's hyphenation need the language of a Cyrillic
    entry (its BibTeX langid), and the editors' English note on it keeps the text's language."""
    page = pages(site)[site / "treaty-of-kars.html"]
    russian = [item for item in page.iter("li") if item.get("lang") == "ru"]
    assert russian and all(re.search("[А-я]", item.text_content()) for item in russian)
    for item in russian:
        assert [note.get("lang") for note in item.find_class("csl-block")] == ["en"]


def test_a_title_in_another_language_keeps_its_language_in_the_byline(site: Path) -> None:
    page = pages(site)[site / "nakhchivan-autonomy.html"]
    [attribution] = page.find_class("attribution")
    [title] = attribution.iter("cite")
    assert title.get("lang") == "az" and title.text == "Naxçıvanın muxtariyyətləşməsi"


def test_the_text_has_typographic_quotes_and_apostrophes(site: Path) -> None:
    """’ and “ ” throughout, as in the witness: in the editors' titles and notes (Schematron
    keeps the TEI so) and in the words the code adds. Code (the BibTeX entry) keeps ' and "."""
    for path, page in pages(site).items():
        for text in page.xpath("//text()[not(ancestor::script or ancestor::style "
                               "or ancestor::pre)]"):
            assert not re.search("['\"]", text), f"{path.name}: {text.strip()[:80]}"


def test_the_apparatus_signs_the_editors_interventions_edd_not_with_an_id(site: Path) -> None:
    page = pages(site)[site / "treaty-of-kars.html"]
    apparatus = page.find_class("apparatus")[0].text_content()
    assert "edition-team" not in apparatus and "l. 5 Sevres edd. ] Serves K (error)" in apparatus
    # the editors sign their reading, before the bracket; the witness's reading has its siglum
    assert "with its siglum, K." in apparatus


def test_the_journal_is_a_title_wherever_the_book_names_it() -> None:
    """The magazine's title is cited (italic) wherever the book names the magazine: in the
    title page's subtitle (marked `<title level="j">` in the header), the imprint's and the
    articles' source lines and the sigla of the Note on the text, as the Note's prose has it.
    The project's name, a body's name, is not the journal's title."""
    edition = ROOT / "edition" / "edition.xml"
    html = to_html(load(edition), edition).html
    places = [*html.find_class("edition-subtitle"), *html.find_class("imprint-source"),
              *html.find_class("source"), *html.xpath("//*[@id='note-on-the-text']//dd")]
    assert len(places) >= 7
    for place in places:
        assert "IRS Heritage" in place.text_content()
        assert [cite.text_content() for cite in place.iter("cite")
                if "IRS Heritage" in cite.text_content()] == ["IRS Heritage"], (
            place.text_content())


def test_the_title_page_breaks_the_title_where_the_header_does() -> None:
    """`<lb/>` in the header's title is the title page's line break ("Nakhchivan and the /
    Treaty of Kars, 1920–1921"); the metadata and the half-title read it as a space."""
    edition = ROOT / "edition" / "edition.xml"
    document = to_html(load(edition), edition)
    [title] = document.html.find_class("edition-title")
    assert [title.text, *(br.tail for br in title.iter("br"))] == [
        "Nakhchivan and the", " Treaty of Kars, 1920–1921"]
    assert document.metadata.title == title.text_content() == (
        "Nakhchivan and the Treaty of Kars, 1920–1921")


def test_an_article_heading_carries_its_short_title_for_the_running_head() -> None:
    """The recto's running head is the header's `<title type="short">` (print.css)."""
    edition = ROOT / "edition" / "edition.xml"
    html = to_html(load(edition), edition).html
    assert [heading.get("data-short-title") for heading in html.find_class("article-title")] == [
        "Nakhchivan’s autonomy", "Kars conference"]


def test_the_editors_notes_are_worded_for_a_reader_of_any_format() -> None:
    """An editors' note is read in print as on screen: it says what the edition does with the
    text, not how it is encoded or linked."""
    notes = [" ".join("".join(note.itertext()).split())
             for name in ("nakhchivan-autonomy.xml", "treaty-of-kars.xml")
             for note in etree.parse(str(EDITION / name)).iter(tei("note"))
             if note.get("type") == "editorial" and note.get("n", "").startswith("ed.")]
    assert len(notes) == 9
    for note in notes:
        assert not re.search(r"\b(encod|link)", note, re.IGNORECASE), note


def test_only_this_editions_books_built_after_its_files_are_offered(tmp_path: Path) -> None:
    """The site offers the PDF and EPUB beside it named as its TEI file (`make html`: build/
    edition.pdf from edition/edition.xml), not another edition's book that happens to lie there
    (the FRUS site offered the edition's PDF), nor one older than a file it is made from."""
    from tei_edition.pipeline import publish
    from tei_edition.synthetic import write_text

    source = write_text(tmp_path / "text", 3)
    made = os.stat(source).st_mtime
    for name, age in [(f"{source.stem}.pdf", 10), (f"{source.stem}.epub", -10),
                      ("edition.pdf", 10), ("edition.epub", 10)]:
        (source.parent / name).write_bytes(b"a book")
        os.utime(source.parent / name, (made + age, made + age))
    said = publish(source, "html", source.parent / "site")
    page = lxml.html.fromstring((source.parent / "site" / "index.html").read_bytes())
    offered = {a.get("href") for a in page.find_class("downloads")[0].iter("a")}
    assert f"downloads/{source.stem}.pdf" in offered
    assert not {f"downloads/{source.stem}.epub", "downloads/edition.pdf",
                "downloads/edition.epub"} & offered
    assert [(str(d.file), d.code) for d in said if d.severity is Severity.WARNING
            and d.code == "stale-download"] == [(str(source.parent / f"{source.stem}.epub"),
                                                  "stale-download")]


def test_a_link_of_another_scheme_than_the_web_or_mail_is_kept_as_text(tmp_path: Path) -> None:
    """`javascript:`, `data:`, `file:` and `VBScript:` targets of a ref or a ptr were live
    links of every format, the EPUB's too (QA review): each is said with its line and kept as
    text; a web or mail address stays a link, and so does one a bibliography gives."""
    from tei_edition.html import unlink_unsafe_links

    document = transform(tmp_path, '<p><ref target="javascript:alert(1)">run</ref>, '
                         '<ptr target="data:text/html,x"/>, <ptr target="file:///etc/passwd"/>,'
                         ' <ref target=" VBScript:x">vb</ref>, <ref target="https://example.org/'
                         '">web</ref> and <ptr target="mailto:a@example.org"/>.</p>')
    links = {link.text_content(): link.get("href") for link in article_of(document).iter("a")
             if "ref" in link.get("class", "") or "ptr" in link.get("class", "")}
    assert links == {"run": None, "data:text/html,x": None, "file:///etc/passwd": None,
                     "vb": None, "web": "https://example.org/",
                     "mailto:a@example.org": "mailto:a@example.org"}, links
    said = [d for d in document.diagnostics if d.code == "link-unsafe"]
    assert len(said) == 4 and all(d.line and d.line == said[0].line for d in said), said  # <p>
    # a link the transform did not make from an element: the bibliography's, as citeproc wrote it
    html = lxml.html.fromstring('<div><a href="javascript:x">entry</a><a href="#n">n</a></div>')

    class Collecting:
        source, diagnostics = tmp_path / "a.xml", []

    unlink_unsafe_links(Collecting, html)  # type: ignore[arg-type]
    assert [link.get("href") for link in html.iter("a")] == [None, "#n"]
    assert len(Collecting.diagnostics) == 1


def test_dimensions_keep_every_value_and_unit(tmp_path: Path) -> None:
    """The QA review's dimensions: a measure's inherited unit was lost ("3 mm × 4"), an empty
    measure left a sign ("12 × mm"), and values given only as attributes or as the dimensions'
    @extent were dropped without a word."""
    document = transform(tmp_path, '<p>A <dimensions unit="cm"><height unit="mm">3</height>'
                         '<width>4</width></dimensions>, B <dimensions unit="mm"><height>12'
                         '</height><width/></dimensions>, C <dimensions unit="mm"><height '
                         'atLeast="10" atMost="12"/></dimensions>, D <dimensions unit="mm" '
                         'extent="2 x 3"/>, E <dimensions unit="mm"><height>327</height><width>'
                         '236</width></dimensions>.</p>')
    read = [" ".join(e.text_content().split())
            for e in article_of(document).find_class("dimensions")]
    assert read == ["3 mm × 4 cm", "12 mm", "10–12 mm", "2 x 3", "327 × 236 mm"], read
