"""The EPUB: valid by EPUBCheck (one run per session: it takes 10 s), and holding what a reader
needs: the normalised text, footnotes, back matter, metadata from the teiHeader, fonts, cover."""

from __future__ import annotations

import re
import uuid
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import EPUBCHECK, epubcheck

OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
XHTML = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


@pytest.fixture(scope="module")
def epub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tei_edition.cli import main

    output = tmp_path_factory.mktemp("epub") / "edition.epub"
    assert main(["build", "epub", "-o", str(output)]) == 0
    return output


def chapters(epub: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(epub) as archive:
        return {name: etree.fromstring(archive.read(name)) for name in archive.namelist()
                if name.startswith("EPUB/text/ch")}


def package(epub: Path) -> etree._Element:
    with zipfile.ZipFile(epub) as archive:
        return etree.fromstring(archive.read("EPUB/content.opf"))


def text_of(element: etree._Element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext()))


def chapter_titled(epub: Path, title: str) -> etree._Element:
    """The chapter whose first-level heading (h2 in the book's HTML) begins with `title`."""
    [chapter] = [c for c in chapters(epub).values()
                 if text_of(c.find(".//x:h2", XHTML)).strip().startswith(title)]
    return chapter


@pytest.fixture(scope="module")
def epubcheck_report(epub: Path) -> str:
    """EPUBCheck's report with its usage messages (-u): one run for the module (it takes 20 s)."""
    if not EPUBCHECK.exists():
        pytest.skip("Debian's epubcheck is not installed")
    result = epubcheck(epub, "-u")
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_epubcheck_reports_nothing(epubcheck_report: str) -> None:
    assert "Messages: 0 fatals / 0 errors / 0 warnings" in epubcheck_report, epubcheck_report


def test_the_stylesheet_and_the_documents_use_each_other(epub: Path,
                                                         epubcheck_report: str) -> None:
    """No rule of the stylesheet matches nothing (CSS-024), no class of a document is styled by
    no rule (CSS-025), and no span is left that carries nothing."""
    unused = [line for line in epubcheck_report.splitlines()
              if "(CSS-024)" in line or "(CSS-025)" in line]
    assert unused == [], f"{len(unused)} unused CSS rules or classes, e.g. {unused[:5]}"
    for name, chapter in chapters(epub).items():
        assert not chapter.xpath("//x:span[not(@*)]", namespaces=XHTML), name
    # what the book does style survives: the apparatus keys, the index's headwords
    index = chapter_titled(epub, "Index of names")
    assert index.xpath("//x:*[@class='headword']", namespaces=XHTML)


def test_each_article_is_a_chapter_with_its_normalised_text(epub: Path) -> None:
    nakhchivan = text_of(chapter_titled(epub, "[On the road to Nakhchivan"))
    kars = text_of(chapter_titled(epub, "[Kars conference: Known and unknown facts]"))
    # The reading text: soft line-end hyphens gone, page furniture of the magazine gone.
    assert "The announced establishment of the Soviet government in Azerbaijan" in nakhchivan
    assert "www.irs-az.com" not in nakhchivan and "42, WINTER 2019" not in nakhchivan
    assert "The Russian-Turkish treaty signed in Moscow on 16 March 1921" in kars


def test_notes_are_epub_footnotes_linked_both_ways(epub: Path) -> None:
    kars = chapter_titled(epub, "[Kars conference")
    notes = kars.xpath("//x:aside[@epub:type='footnote']", namespaces=XHTML)
    calls = kars.xpath("//x:a[@epub:type='noteref']", namespaces=XHTML)
    # notes 37 and 38 share one text: one note, which both calls open
    assert len(notes) == len(calls) - 1 >= 38
    assert len({call.get("href") for call in calls}) == len(notes)
    first = notes[0]
    assert calls[0].get("href") == "#" + first.get("id")
    assert "Text of the note not preserved in the witness" in text_of(first)
    # the one surviving footnote lost its number: the edition assigns it to note 3, as probable
    assert "USSR Foreign Policy Documents" in text_of(notes[2])
    assert calls[2].get("href") == "#" + notes[2].get("id")


def test_back_matter_is_in_the_book(epub: Path) -> None:
    headings = [text_of(h).strip() for chapter in chapters(epub).values()
                for h in chapter.iter("{http://www.w3.org/1999/xhtml}h2",
                                      "{http://www.w3.org/1999/xhtml}h3")]
    assert "About this edition" in headings
    assert headings.count("Textual apparatus") == 2
    assert headings.count("References") == 2
    registers = ("Persons", "Places", "Organisations")
    assert [h for h in headings if h in registers] == list(registers)


def test_reading_text_is_normalised_and_the_apparatus_keeps_the_witness(epub: Path) -> None:
    kars = chapter_titled(epub, "[Kars conference")
    # The text's paragraphs, each in a div that keeps its permalink id.
    paragraphs = " ".join(text_of(p) for p in kars.xpath(
        "//x:div[starts-with(@id, 'treaty-of-kars-p')]/x:p", namespaces=XHTML))
    assert "to the issue of Nakhchivan" in paragraphs
    assert "to the issue of Nakhichevan" not in paragraphs
    assert "“The Territory of Nakhichevan”" in paragraphs  # a quotation keeps the witness's form
    assert "Serves" not in paragraphs and "Sevres" in paragraphs
    apparatus = text_of(kars.find(".//x:section[@class='apparatus']", XHTML))
    assert "Nakhchivan edd. ] Nakhichevan K (variant)" in apparatus
    assert "Sevres edd. ] Serves K (error)" in apparatus
    # The marks in the text lead to their entries.
    mark = kars.find(".//x:a[@class='app-mark']", XHTML)
    assert kars.find(f".//*[@id='{mark.get('href').partition('#')[2]}']") is not None


def test_names_lead_to_the_index(epub: Path) -> None:
    index = chapter_titled(epub, "Index of names")
    entry = index.find(".//*[@id='person-shahtakhtinsky']")
    assert text_of(entry).strip().startswith("Shahtakhtinsky, Behbud Agha (1881–1924)")
    kars = chapter_titled(epub, "[Kars conference")
    names = {link.get("title"): link.get("href") for link in kars.iterfind(".//x:a[@class='name']",
                                                                           XHTML)}
    assert names["Behbud Agha Shahtakhtinsky (1881–1924)"].endswith("#person-shahtakhtinsky")


def test_the_navigation_reaches_each_article_and_its_back_matter(epub: Path) -> None:
    with zipfile.ZipFile(epub) as archive:
        nav = etree.fromstring(archive.read("EPUB/nav.xhtml"))
    [toc] = nav.xpath("//x:nav[@epub:type='toc']", namespaces=XHTML)
    titles = [text_of(link).strip() for link in toc.iterfind(".//x:a", XHTML)]
    articles = [title for title in titles if title.startswith(("[On the road", "[Kars conference"))]
    assert len(articles) == 2
    for article, following in zip(articles, [*articles[1:], "Index of names"], strict=True):
        part = titles[titles.index(article):titles.index(following)]
        assert {"Textual apparatus", "References"} <= set(part), part
    assert {"Persons", "Places", "Organisations"} <= set(titles)


def test_metadata_comes_from_the_tei_header(epub: Path) -> None:
    opf = package(epub)
    metadata = opf.find("opf:metadata", OPF)
    assert metadata.findtext("dc:title", namespaces=OPF) == (
        "Nakhchivan and the Treaty of Kars, 1920–1921")
    creators = [c.text for c in metadata.findall("dc:creator", OPF)]
    assert creators[:2] == ["[attributed to] Ismayil Hajiyev", "[attributed to] Jamil Hasanli"]
    assert len(creators) == len(set(creators))
    assert metadata.findtext("dc:language", namespaces=OPF) == "en"
    # A registered URN, the same in every build: a UUID named after the edition's identifier.
    identifier = metadata.findtext("dc:identifier", namespaces=OPF)
    named = uuid.uuid5(uuid.NAMESPACE_URL, "irs-heritage-nakhchivan-kars")
    assert identifier == f"urn:uuid:{named}"
    assert re.fullmatch(r"2\d{3}-\d\d-\d\d", metadata.findtext("dc:date", namespaces=OPF))
    assert "IRS Heritage no. 42" in metadata.findtext("dc:source", namespaces=OPF)
    assert "Creative Commons Attribution 4.0" in metadata.findtext("dc:rights", namespaces=OPF)
    properties = {m.get("property"): m.text for m in metadata.findall("opf:meta", OPF)}
    modes = {m.text for m in metadata.findall("opf:meta", OPF)
             if m.get("property") == "schema:accessMode"}
    assert modes == {"textual", "visual"}  # the cover, the map (EPUB review)
    assert properties["schema:accessModeSufficient"] == "textual"
    assert properties["schema:accessibilityHazard"] == "none"
    assert "schema:accessibilityFeature" in properties
    assert properties["schema:accessibilitySummary"]


def test_fonts_and_cover_are_embedded(epub: Path) -> None:
    manifest = package(epub).find("opf:manifest", OPF)
    fonts = [i.get("href") for i in manifest if i.get("media-type") == "font/otf"]
    assert sorted(Path(f).name for f in fonts) == sorted(
        p.name for p in (Path(__file__).parent.parent / "styles" / "fonts").glob("*.otf"))
    cover = [i for i in manifest if i.get("properties") == "cover-image"]
    assert len(cover) == 1 and cover[0].get("media-type") == "image/png"


def test_chapters_are_titled_by_their_headings(epub: Path) -> None:
    for name, chapter in chapters(epub).items():
        heading = chapter.find(".//x:body//x:h2", XHTML)
        title = chapter.findtext("x:head/x:title", namespaces=XHTML)
        assert title == text_of(heading).strip(), name


def test_apparatus_and_references_are_not_numbered_twice(epub: Path) -> None:
    kars = chapter_titled(epub, "[Kars conference")
    for kind, label in (("apparatus", r"a "), ("bibliography", r"\[1\] ")):
        section = kars.find(f".//x:section[@class='{kind}']", XHTML)
        # Labelled entries, no list a reading system would number again.
        assert section.find(".//x:ol", XHTML) is None and section.find(".//x:li", XHTML) is None
        [first, *_] = section.xpath(".//x:div[contains(concat(' ', @class, ' '), ' entry ')]",
                                    namespaces=XHTML)
        assert re.match(label, text_of(first).strip()), text_of(first)[:40]


def test_index_entries_are_headword_led_entries_not_bulleted(epub: Path) -> None:
    """An index entry begins with its headword, set with a hanging indent, and no bullet."""
    index = chapter_titled(epub, "Index of names")
    assert index.find(".//x:ul", XHTML) is None and index.find(".//x:li", XHTML) is None
    entry = index.find(".//*[@id='person-shahtakhtinsky']")
    assert "register-entry" in entry.get("class").split()
    assert entry[0].get("class") == "headword"
    with zipfile.ZipFile(epub) as archive:
        stylesheet = archive.read("EPUB/styles/stylesheet1.css").decode()
    assert re.search(r"\.register-entry\b[^{]*\{[^}]*text-indent: -1\.5em", stylesheet)


def test_notes_are_numbered_under_a_heading_and_lead_back_to_their_calls(epub: Path) -> None:
    kars = chapter_titled(epub, "[Kars conference")
    [section] = kars.xpath("//x:section[@epub:type='footnotes']", namespaces=XHTML)
    assert text_of(section.find("x:h3", XHTML)) == "Notes"
    calls = {call.get("id"): call for call in
             kars.xpath("//x:a[@epub:type='noteref']", namespaces=XHTML)}
    notes = section.findall("x:aside", XHTML)
    assert len(notes) == len(calls) - 1 >= 38  # 37 and 38 call one note
    for note in notes:
        back = note.find(".//x:a[@role='doc-backlink']", XHTML)
        call = calls[back.get("href").lstrip("#")]
        assert call.get("href") == "#" + note.get("id")
        # a number the editors assigned without certainty says so: "probably 3"
        assert re.fullmatch(rf"((probably|possibly) )?{re.escape(text_of(call))}(–\d+)?",
                            text_of(back)), (text_of(back), text_of(call))
        assert text_of(note).startswith(f"{text_of(back)}. ")


def test_notes_and_calls_carry_the_numbers_of_the_tei(epub: Path) -> None:
    """Pandoc numbers a chapter's notes 1, 2, 3…, the editors' notes among the author's: the
    book gives every call the TEI's @n back, in the order of the text ("ed. 1" between the
    author's 18 and 19), so that a note saying "before the call of note 30" means 30."""
    from conftest import EDITION

    tei = etree.parse(str(EDITION / "treaty-of-kars.xml"))
    namespace = "{http://www.tei-c.org/ns/1.0}"
    called = {ref.get("n") for ref in tei.iter(f"{namespace}ref")
              if ref.get("type") == "footnote"}
    # a call: a reference to a note, or a note at its own place that no reference calls
    text = tei.find(f"{namespace}text")
    expected = [element.get("n") for element in text.iter(f"{namespace}ref", f"{namespace}note")
                if (element.get("type") == "footnote" if element.tag == f"{namespace}ref"
                    else not set(element.get("n", "").split("-")) & called)]
    kars = chapter_titled(epub, "[Kars conference")
    calls = [text_of(call) for call in kars.xpath("//x:a[@epub:type='noteref']",
                                                  namespaces=XHTML)]
    assert calls == expected
    assert calls[calls.index("ed. 4") - 1] == "30"
    [editorial] = [note for note in kars.xpath("//x:aside", namespaces=XHTML)
                   if "before the call of note 30" in text_of(note)]
    assert text_of(editorial).startswith("ed. 4. ")


def test_the_book_shows_no_witness_line_numbers(epub: Path) -> None:
    """The e-book has no witness lines: "l. 5" would point to nothing the reader sees."""
    for name, chapter in chapters(epub).items():
        assert not re.search(r"\bl\.\s\d", text_of(chapter)), name
    index = chapter_titled(epub, "Index of names")
    entry = index.find(".//*[@id='place-moscow']")
    occurrences = [text_of(a) for a in entry.iterfind(".//x:*[@class='occurrences']//x:a", XHTML)]
    assert occurrences[:3] == ["1", "2", "3"]


def test_nav_lists_the_notes_and_landmarks_type_the_parts(epub: Path) -> None:
    with zipfile.ZipFile(epub) as archive:
        nav = etree.fromstring(archive.read("EPUB/nav.xhtml"))
    [kars] = [li for li in nav.xpath("//x:nav[@epub:type='toc']/x:ol/x:li", namespaces=XHTML)
              if text_of(li.find("x:a", XHTML)).lstrip("[").startswith("Kars conference")]
    notes = [a.get("href") for a in kars.iterfind(".//x:a", XHTML) if text_of(a) == "Notes"]
    assert len(notes) == 1 and notes[0].endswith("#footnotes")
    landmarks = {a.get(f"{{{XHTML['epub']}}}type"): a.get("href") for a in
                 nav.xpath("//x:nav[@epub:type='landmarks']//x:a", namespaces=XHTML)}
    by_file = {f"text/{Path(name).name}": chapter for name, chapter in chapters(epub).items()}
    body = by_file[landmarks["bodymatter"]]
    assert text_of(body.find(".//x:h2", XHTML)).lstrip("[").startswith("On the road to Nakhchivan")
    assert by_file[landmarks["index"]].xpath("//x:section[@epub:type='index']",
                                             namespaces=XHTML)
    for front in ("About this edition", "Note on the text"):
        chapter = chapter_titled(epub, front)
        assert chapter.find("x:body", XHTML).get(f"{{{XHTML['epub']}}}type") == "frontmatter"


def test_fitting_the_styles_keeps_the_rules_and_classes_that_meet() -> None:
    """Unit case of epub_styles: a selector list loses only its unused selectors, an @media
    block with no rule left goes, a class a kept :not() names stays on its elements."""
    from tei_edition.writers.epub_styles import fit_styles

    document = etree.fromstring(
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><p class="lemma note">a '
        '<span class="occurrence">b</span> <span class="keep">c</span></p></body></html>')
    css = (".note, .verse { color: red; } .line-number { float: right; } "
           "p:not(.keep) { margin: 0; } @media (max-width: 40em) { .verse { x: y; } } "
           "@font-face { font-family: X; src: url(x.otf); }")
    fitted = fit_styles(css, [document])
    assert fitted.split("\n") == [".note { color: red; }", "p:not(.keep) { margin: 0; }",
                                  "@font-face { font-family: X; src: url(x.otf); }", ""]
    assert etree.tostring(document, encoding="unicode").endswith(
        '<body><p class="note">a b <span class="keep">c</span></p></body></html>')


def test_the_book_carries_no_markup_it_does_not_use(epub: Path) -> None:
    """pandoc holds every attribute and span of the book in memory while it writes the EPUB
    (a 3 MB TEI: 166 MB of its heap at most, 207 MB with them), so the writer leaves out what
    the book does not use before pandoc reads it: no data attribute is left in a chapter
    (data-tei, data-ref, data-resp… style nothing there and no script reads them), and every
    id left leads somewhere, or is a section's or a heading's (the nav's anchors) or a
    paragraph's address (its permalink "{article}-p{n}", on the div around it)."""
    books = chapters(epub)
    with zipfile.ZipFile(epub) as archive:
        nav = archive.read("EPUB/nav.xhtml").decode("utf-8")
    targets = set(re.findall(r'href="[^"#]*#([^"]+)"', nav))
    for chapter in books.values():
        targets.update(href.partition("#")[2] for href in chapter.xpath("//x:a/@href",
                                                                        namespaces=XHTML))
    for name, chapter in books.items():
        assert chapter.xpath("//@*[starts-with(name(), 'data-')]") == [], name
        untargeted = [element.get("id") for element in chapter.xpath("//x:body//*[@id]",
                                                                      namespaces=XHTML)
                      if element.get("id") not in targets
                      and etree.QName(element).localname not in STRUCTURE
                      and not re.search(r"-p\d+$", element.get("id"))]
        assert untargeted == [], name
    # what links to the text still finds it: the index's occurrences its names, the
    # apparatus's entries their marks
    kars = chapter_titled(epub, "[Kars conference")
    for kind in ("name", "app-mark"):
        kept = kars.xpath(f"//x:a[@class='{kind}']/@id", namespaces=XHTML)
        assert kept and set(kept) <= targets


STRUCTURE = ("section", "h1", "h2", "h3", "h4", "h5", "h6")


def test_markup_the_stylesheet_and_the_package_do_not_use_is_dropped_before_pandoc() -> None:
    """Unit case of epub_styles.drop_unused_markup: classes no selector names go, data
    attributes too unless a selector or the package reads them, ids no link, aria or note
    reference names go (a heading's, a section's and an address given stay), a span left bare
    gives way to its text; a drawing stays as it is."""
    import lxml.html

    from tei_edition.writers.epub_styles import drop_unused_markup

    html = lxml.html.fromstring(
        '<html><body><section id="s" data-tei="div"><h2 id="h" class="head">T</h2>'
        '<p id="p1" class="para"><span class="choice" data-type="variant" id="c">a</span> '
        '<a href="#c" class="app-mark" data-type="x">b</a> <span class="hi">c</span> '
        '<span class="footnote-number" data-note-number="3">3?</span> '
        '<span data-note-ref="n1">note</span> <span id="n1" aria-labelledby="lab">d</span> '
        '<em id="lab" data-kind="k" class="kind">e</em></p><p id="p2">f</p>'
        '<svg class="map" data-x="1"><g class="label" id="g"/></svg></section></body></html>')
    css = ".app-mark { color: red; } @media (max-width: 9em) { .kind[data-kind] { x: y; } }"
    drop_unused_markup(html, css, {"footnote-number", "data-note-number", "data-note-ref"},
                       ["p2"])
    assert lxml.html.tostring(html, encoding="unicode") == (
        '<html><body><section id="s"><h2 id="h">T</h2>'
        '<p><span id="c">a</span> <a href="#c" class="app-mark">b</a> c '
        '<span class="footnote-number" data-note-number="3">3?</span> '
        '<span data-note-ref="n1">note</span> <span id="n1" aria-labelledby="lab">d</span> '
        '<em id="lab" data-kind="k" class="kind">e</em></p><p id="p2">f</p>'
        '<svg class="map" data-x="1"><g class="label" id="g"></g></svg></section></body></html>')


CROSS_REFERENCES = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>
<titleStmt><title>Notes</title></titleStmt><publicationStmt><p>P</p></publicationStmt>
<sourceDesc><p>S</p></sourceDesc></fileDesc></teiHeader><text><body><div><head>One</head>
<p>A note<note xml:id="n1">The first note.</note> and another<note xml:id="n2">The second,
after <ref target="#n1">note 1</ref>.</note>; <ref target="#n2">see note 2</ref>.</p></div>
</body></text></TEI>"""


def test_a_cross_reference_to_a_note_links_to_the_note_pandoc_made(tmp_path: Path,
                                                                     run_cli) -> None:
    """The HTML links "see note 2" to its note; pandoc renames the notes, so the EPUB writer
    hands it over as text naming the note and the package links it to pandoc's note (it was
    plain text). EPUBCheck accepts the links."""
    source = tmp_path / "notes.xml"
    source.write_text(CROSS_REFERENCES, encoding="utf-8")
    book = tmp_path / "notes.epub"
    result = run_cli("build", "epub", source, "-o", book)
    assert result.status == 0, result.stderr
    [chapter] = [c for c in chapters(book).values() if "see note 2" in text_of(c)]
    notes = {note.get("id"): text_of(note) for note in chapter.iterfind(
        ".//x:section[@epub:type='footnotes']/x:aside", XHTML)}
    links = {text_of(link): link.get("href") for link in chapter.iterfind(".//x:a", XHTML)}
    assert "The second, after note 1." in notes[links["see note 2"].removeprefix("#")]
    assert "The first note." in notes[links["note 1"].removeprefix("#")]
    assert not chapter.xpath("//*[@data-note-ref or @data-note]")
    if EPUBCHECK.exists():
        check = epubcheck(book)
        assert "0 fatals / 0 errors / 0 warnings" in check.stdout, check.stdout + check.stderr


def test_a_cross_reference_to_a_note_of_another_chapter_names_its_file() -> None:
    from tei_edition.writers.epub_package import link_note_references

    chapter = etree.fromstring('<html xmlns="http://www.w3.org/1999/xhtml"><body><p>See '
                               '<span data-note-ref="kars-fn-3">note 3</span> and <span '
                               'data-note-ref="lost">note 9</span>.</p></body></html>')
    link_note_references(chapter, "EPUB/text/ch002.xhtml",
                         {"kars-fn-3": "EPUB/text/ch004.xhtml#fn7"})
    [link] = chapter.iterfind(".//x:a", XHTML)
    assert (link.get("href"), link.text) == ("ch004.xhtml#fn7", "note 3")
    [kept] = chapter.iterfind(".//x:span", XHTML)
    assert kept.text == "note 9" and not kept.attrib  # a note pandoc did not make: text



def test_a_caption_the_witness_set_inside_a_sentence_follows_its_paragraph(epub: Path) -> None:
    """The photograph's caption the extraction dropped into a sentence ("the Russian |
    caption | Soviet government") follows the paragraph, labelled as the print labels it: an
    e-book read it in the sentence's middle (EPUB review)."""
    text = text_of(chapter_titled(epub, "[On the road"))
    assert "the Russian Soviet government unconditionally approves" in text
    assert "Illustration not reproduced. People’s Commissar of Foreign Affairs" in text


def test_every_part_named_by_a_reference_is_named_by_a_heading_or_a_title(epub: Path) -> None:
    """pandoc moves a heading's id to a section of its own: a part `aria-labelledby` its
    heading was named by the whole section's text (the chronology, the map: EPUB review). Each
    reference now leads to a heading or a drawing's <title>, or the part has its heading's
    words as `aria-label`."""
    for chapter in chapters(epub).values():
        for part in chapter.xpath("//*[@aria-labelledby]"):
            for name in part.get("aria-labelledby").split():
                [named] = chapter.xpath(f"//*[@id='{name}']")
                assert etree.QName(named).localname in {"h1", "h2", "h3", "title"}, name
    [chronology] = [part for chapter in chapters(epub).values()
                    for part in chapter.xpath("//*[@id='chronology']")]
    assert chronology.get("aria-label") == "Chronology"
