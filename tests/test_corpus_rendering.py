"""How the real files of the corpus (tests/corpus/tei) read in the HTML every format starts from:
the defects a digital-editions specialist found rendering other people's TEI, each read on the
file that showed it."""

from __future__ import annotations

import functools
import re

from conftest import ROOT
from test_word_division import view_text

CORPUS = ROOT / "tests" / "corpus" / "tei"


@functools.cache
def corpus_html(name: str):
    """The transform of a corpus file (once per test run: the bigger ones take seconds)."""
    from tei_edition.pipeline import transform

    return transform(CORPUS / name)


def words(text: str) -> str:
    return " ".join(text.split())


def normalised_view(element) -> str:
    """The words the normalised view shows of `element` (test_word_division.view_text)."""
    return view_text(element, "only-diplomatic")


def test_a_word_divided_at_a_line_end_reads_whole_in_the_normalised_view() -> None:
    """The TCP's `<lb rend="hidden" type="hyphenInWord"/>` (1,890 in T04's Formosa, "con<lb/>
    vince") and a line ended with a soft hyphen before the next `<lb/>` (T11's Romeo and Juliet,
    "wea\u00ad⏎ <lb n="14"/>kest") continue the word: they read "con vince", "wea kest". The
    soft hyphen is the witness's hyphen of the diplomatic view."""
    from tei_edition.text import reading_text

    formosa = normalised_view(corpus_html("T04_tcp_formosa_test14.xml").body)
    assert "not likely to convince me" in formosa and "a great multitude of learned" in formosa
    assert "Re ligion" not in formosa and "con vince" not in formosa
    romeo = corpus_html("T11_tp_F-rom_drama.xml").body
    assert "for the weakest goes to the wall" in normalised_view(romeo)
    assert "\u00ad" not in normalised_view(romeo.find(".//*[@id='T11_tp_F-rom_drama-l14']/.."))
    [hyphen] = [span for span in romeo.find_class("pc-weak")
                if span.getnext() is not None and span.getnext().get("data-n") == "14"]
    assert hyphen.text == "-" and "only-diplomatic" in hyphen.get("class")
    # the text export reads the same words
    from lxml import etree

    source = etree.parse(str(CORPUS / "T11_tp_F-rom_drama.xml"))
    [paragraph] = source.xpath("//*[local-name()='p'][@n='13']")
    assert reading_text(paragraph) == "That shewes thee a weake slaue, for the weakest goes to " \
                                      "the wall."


def test_a_title_page_is_set_a_block_a_part_without_a_heading_of_its_own() -> None:
    """T02's `<titlePage>` (docTitle with two titlePart, byline, docImprint holding docDate) was
    plain text run together, with a warning for each part: each part is a block of its own,
    the title large by its class, not a heading element (the article's title is its h2, and a
    second one would break the order of the headings); its lines (`lb`) are lines in every
    format. T21 has docTitle, docAuthor and docDate straight in its front."""
    document = corpus_html("T02_frus-history_monograph.xml")
    unhandled = {d.message.split(">")[0] for d in document.diagnostics
                 if d.code == "html-unhandled"}
    assert not {name for name in unhandled
                if any(part in name for part in ("titlePage", "docTitle", "titlePart",
                                                 "docImprint", "docDate"))}, unhandled
    [page] = document.body.find_class("titlePage")
    assert page.tag == "div"
    parts = [(child.tag, child.get("class"), words("".join(child.itertext())))
             for child in page.iter("p")]
    assert parts == [
        ("p", "titlePart title-main", "Toward “Thorough, Accurate, and Reliable”"),
        ("p", "titlePart title-sub", "A History of the Foreign Relations of the United States "
                                     "Series"),
        ("p", "byline", "William B. McAllister Joshua Botts Peter Cozzens Aaron W. Marrs"),
        ("p", "docImprint", "Office of the Historian Bureau of Public Affairs U.S. Department of "
                            "State Washington, D.C. 2015")]
    assert len(page.find_class("byline")[0].findall("br")) == 3
    assert not [heading for heading in page.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    front = corpus_html("T21_mathml_tables_maria.xml").body.find(".//article")
    assert [(child.tag, child.get("class")) for child in front[1:4]] == [
        ("div", "docTitle"), ("p", "docAuthor"), ("p", "docDate")]


def test_a_head_for_the_running_heads_is_no_second_heading_of_its_chapter() -> None:
    """T02's 16 `<head type="shortened-for-running-head">` read as a second heading under each
    chapter's title: they are data of the chapter (its running head), not its text, and none is
    lost."""
    body = corpus_html("T02_frus-history_monograph.xml").body
    chapter = body.find(".//section[@id='chapter-1']")
    headings = [words("".join(h.itertext())) for h in chapter.iter("h3", "h4", "h5", "h6")]
    assert headings[0].startswith("Chapter 1: The Parameters of Openness")
    assert not [heading for heading in headings if heading.startswith("Parameters of Openness")]
    assert words("".join(chapter.itertext())).count("Parameters of Openness and Executive") == 1
    kept = [span.get("data-running-head") for span in body.find_class("running-head")]
    assert len(kept) == 16 and kept[0] == ("Parameters of Openness and Executive Discretion, "
                                           "1790–1860")


def test_a_pointer_reads_as_where_it_points() -> None:
    """`<ptr target/>` has no text, and read as nothing: T13's notes "Reprinted in , pp. 17-40",
    its 25 web addresses (in its notes and its structured entries' fields) lost. An address
    reads as itself, a link to it; a pointer inside the document links to its target, named by
    a division's heading (T21's "see section Vavilov theory") or else the target's id."""
    from lxml import etree

    source = CORPUS / "T13_am62fol_biblStruct_test27.xml"
    addresses = [ptr.get("target") for ptr in etree.parse(str(source)).iter(
        "{http://www.tei-c.org/ns/1.0}ptr") if ptr.get("target").startswith("http")]
    body = corpus_html(source.name).body
    links = [(link.get("href"), link.text) for link in body.find_class("ptr")]
    assert len(addresses) == 25
    assert sorted(address for address, _ in links if address) == sorted(addresses)
    assert all(text == address for address, text in links if address)
    [reprint] = [note for note in body.find_class("footnote-text")
                 if "Reprinted in" in "".join(note.itertext())]
    assert words("".join(reprint.itertext())) == "Reprinted in Ide1995b, pp. 17-40"
    maria = corpus_html("T21_mathml_tables_maria.xml").body
    [section] = [link for link in maria.find_class("ptr") if link.get("href") == "#vavref"]
    assert section.text == "Vavilov theory"


def test_a_quotation_set_off_from_the_text_is_a_block() -> None:
    """T02's epigraphs and block quotations between paragraphs (`<quote rend="blockquote">` in
    a div) were spans running on into each other and the heading; outside a paragraph they are
    blockquotes. One in a paragraph stays a span (a parser would end the paragraph at a
    blockquote), set as a block by its rend in every format's stylesheet."""
    from weasyprint import CSS, HTML

    body = corpus_html("T02_frus-history_monograph.xml").body
    epigraph = body.find(".//section[@id='epigraph']")
    quotes = [child for child in epigraph if "quote" in child.get("class", "").split()]
    assert [quote.tag for quote in quotes] == ["blockquote"] * len(quotes) and len(quotes) > 1
    assert words("".join(quotes[0].itertext())).endswith("Charles F. Adams, March 2, 1864")
    in_paragraphs = [quote for quote in body.find_class("quote") if quote.tag == "span"]
    assert in_paragraphs and all(quote.getparent().tag != "section" for quote in in_paragraphs)
    html = '<p>text <span class="quote" data-rend="blockquote">quoted</span> text</p>'
    page = HTML(string=html).render(
        stylesheets=[CSS(filename=str(ROOT / "styles" / "edition.css"))]).pages[0]
    boxes, displays = [page._page_box], []
    while boxes:
        box = boxes.pop()
        if getattr(box, "element_tag", None) == "span":
            displays.append(box.style["display"])
        boxes.extend(getattr(box, "children", []))
    assert ("block", "flow") in displays, displays


def test_dimensions_read_as_measures_with_their_unit(tmp_path) -> None:
    """T13's `<dimensions><height>327</height><width>236</width></dimensions>` read "327236":
    its measures are separated ("327 × 236"), the unit they share said once, one a measure
    has of its own said with it."""
    from tei_edition.pipeline import transform
    from test_other_tei import tei_file

    body = corpus_html("T13_am62fol_biblStruct_test27.xml").body
    assert [words("".join(d.itertext())) for d in body.find_class("dimensions")] == [
        "327 × 236", "250 × 84"]
    source = tei_file(tmp_path, "leaf.xml", body=(
        '<p>Leaves <dimensions unit="mm"><height>349</height><width>323</width></dimensions>, '
        'a box <dimensions><height unit="cm">3</height><width unit="mm">40</width>'
        '<depth unit="cm">2</depth></dimensions>.</p>'))
    found = [words("".join(d.itertext())) for d in transform(source).body.find_class(
        "dimensions")]
    assert found == ["349 × 323 mm", "3 cm × 40 mm × 2 cm"]


def test_what_the_editor_supplies_is_set_in_square_brackets() -> None:
    """T12's 52 `<supplied reason="damage">` read as the witness's own letters in the normalised
    view: they are the editor's, set in square brackets by the stylesheet every format uses."""
    from lxml import etree
    from weasyprint import CSS, HTML

    source = CORPUS / "T12_ms_F101-19_abbr_expan.xml"
    supplied = corpus_html(source.name).body.find_class("supplied")
    assert len(supplied) == len(list(etree.parse(str(source)).iter(
        "{http://www.tei-c.org/ns/1.0}supplied"))) and all(
        "only-normalised" in span.get("class").split() for span in supplied)
    html = '<p>C<span class="supplied only-normalised">om</span>mission</p>'
    page = HTML(string=html).render(
        stylesheets=[CSS(filename=str(ROOT / "styles" / "edition.css"))]).pages[0]
    boxes, text = [page._page_box], []
    while boxes:
        box = boxes.pop(0)
        if getattr(box, "text", None):
            text.append(box.text)
        boxes[:0] = getattr(box, "children", [])
    assert "".join(text) == "C[om]mission"


def test_the_apparatus_names_each_list_without_marks_by_what_it_holds() -> None:
    """The editor's expansions of a manuscript's abbreviations (T12's 212 `<expan>`) were listed
    under "Repairs of the extraction", which they are not: each list is headed by its type."""
    body = corpus_html("T12_ms_F101-19_abbr_expan.xml").body
    [heading] = body.find_class("repairs-heading")
    assert heading.text == "Abbreviations expanded"
    [listing] = body.find_class("repairs")
    assert listing.get("data-type") == "expansion"
    assert all("(expansion" in entry.text_content() for entry in listing.find_class("repair"))
    [heading] = corpus_html("T13_am62fol_biblStruct_test27.xml").body.find_class(
        "repairs-heading")
    assert heading.text == "Corrections"


def made_up(tmp_path, body: str, front: str = ""):
    """The HTML article of a made-up text (test_html's), `front` its front matter."""
    from tei_edition.html import to_html
    from tei_edition.load import load
    from test_html import article_of, tei_file

    path = tei_file(tmp_path, body)
    path.write_text(path.read_text(encoding="utf-8").replace(
        "<text><body>", f"<text><front>{front}</front><body>"), encoding="utf-8")
    return article_of(to_html(load(path), path))


def test_a_title_pages_lines_break_between_its_words_only(tmp_path) -> None:
    """A title page's `<lb break="no"/>` gave "Divi<br> ded" (two words to a search); an `<lb/>`
    at the start or the end of a part gave a `<br>` before or after its words, an empty part an
    empty paragraph, and a note's `<lb/>` in a title part a title page's line break."""
    import lxml.html

    article = made_up(tmp_path, "<p>Body.</p>", (
        '<titlePage><docTitle><titlePart type="main"><lb/>The <lb/>Title<lb/></titlePart>'
        '<titlePart type="sub">Divi<lb break="no"/>ded<note>A note<lb/>two</note></titlePart>'
        '<titlePart/></docTitle><byline>by <docAuthor>Ann Author<lb/></docAuthor></byline>'
        '<docImprint>London: <docDate when="1900">1900<lb/></docDate></docImprint><docDate/>'
        '</titlePage>'))
    [page] = article.find_class("titlePage")
    for call in page.find_class("footnote-ref"):
        call.drop_tree()
    assert [lxml.html.tostring(part, encoding="unicode").split(">", 1)[1]
            for part in page.iter("p")] == [
        'The <br class="lb-title-page"> Title</p>', 'Divi<br class="lb-title-page">ded</p>',
        'by <span class="docAuthor">Ann Author</span></p>',
        'London: <span class="docDate">1900</span></p>']
    [note] = article.find_class("footnote-text")
    assert not note.find_class("lb-title-page") and note.find_class("lb")


def test_a_block_quotation_is_a_block_in_a_quotation_and_in_a_table(tmp_path) -> None:
    """A `<quote rend="blockquote">` in another quotation set as a block was a span holding
    its paragraph, one in a table's cell a span: no block may stand in an inline element."""
    article = made_up(tmp_path, (
        '<quote rend="blockquote">Q in div <quote rend="blockquote">inner <p>inner para</p>'
        '</quote> after</quote><table><row><cell><quote rend="blockquote">Q in cell</quote>'
        '</cell></row></table><quote><p>QP one</p><p>QP two</p></quote>'))
    blocks = ("p", "div", "blockquote", "ul", "ol", "table", "section", "figure")
    assert not [(block.tag, inline.tag) for block in article.iter(*blocks)
                for inline in block.iterancestors("span", "em", "a", "sup", "i", "b")]
    quotes = [(quote.tag, words(quote.text_content())) for quote in article.find_class("quote")]
    assert quotes == [("blockquote", "Q in div inner inner para after"),
                      ("blockquote", "inner inner para"), ("blockquote", "Q in cell"),
                      ("blockquote", "QP oneQP two")]


def test_a_running_heads_note_is_a_note_and_its_data_reads_its_words(tmp_path) -> None:
    """A note in a `<head type="shortened-for-running-head">` was lost (its call and its text,
    with exit 0), and the head's data read "ShortRH notehead": the note is a note, called where
    the head stands, and the data reads the head's words, a line beginning a space."""
    article = made_up(tmp_path, (
        '<head type="shortened-for-running-head">Short<note>RH note</note><lb/>head</head>'
        '<p>Text.</p>'))
    [head] = article.find_class("running-head")
    assert head.get("data-running-head") == "Short head"
    [call] = head.find_class("footnote-ref")
    [note] = article.find_class("footnote")
    assert call.get("href") == "#" + note.get("id")
    assert words(note.find_class("footnote-text")[0].text_content()) == "RH note"


def description_letters(text: str) -> str:
    """A description's letters in their order: its words, without the spaces and the
    punctuation the edition sets between its parts."""
    return re.sub(r"[\s,;:.()×]", "", text)


def test_a_manuscript_description_reads_as_a_catalogue_entry() -> None:
    """T13's `<msDesc>` (in a `<listBibl>` of its text) was its elements' words run together in
    spans of no rendering ("Denmark København Den Arnamagnæanske Samling AM 62 fol. 74",
    "Fornmanna sögurI71-306"), its lists of references "References" sections inside it, its
    notes ("Ed. S") the text's footnotes. It is a catalogue's entry: the shelfmark line, the
    heading, the contents' items each with its locus and title, then its parts under their
    terms; every letter of the description's once, in its order (the words the edition adds,
    `ms-label`, apart)."""
    from lxml import etree

    source = CORPUS / "T13_am62fol_biblStruct_test27.xml"
    body = corpus_html(source.name).body
    [entry] = body.find_class("ms-desc")
    assert entry.tag == "li" and entry.getparent().getparent()[0].text == "Manuscripts"
    [shelfmark] = entry.find_class("ms-identifier")
    assert words(shelfmark.text_content()) == (
        "Denmark, København, Den Arnamagnæanske Samling, AM 62 fol.; "
        "other identifier (KKKat): 74")
    [heading] = entry.find_class("ms-head")
    assert heading.tag in ("h3", "h4") and words(heading.text_content()) == (
        "Ólafs saga Tryggvasonar en mesta; Iceland, s. XIV 2/2.")

    def terms(description) -> list[str]:
        return [term.text for term in description.iterchildren("dt")]

    [parts] = entry.iterchildren("dl")
    assert terms(parts) == ["Contents", "Physical description", "History",
                            "Additional information"]
    items = entry.find_class("ms-item")
    assert [item.get("data-n") for item in items] == ["1", *(f"1.{n}" for n in range(1, 10))]
    assert words(items[0].find_class("ms-item-heading")[0].text_content()) == (
        "1. 1ra-51va:24 Ólafs saga Tryggvasonar en mesta")
    assert terms(items[0].find("dl")) == ["Language", "Incipit (defective)", "Explicit",
                                         "Bibliography"]
    physical = entry.find(".//dd[@class='ms-part ms-physDesc']")
    assert terms(physical.find("dl")) == [
        "Material", "Extent", "Foliation", "Collation", "Condition", "Layout", "Hands",
        "Decoration", "Additions", "Binding", "Accompanying material"]
    history = entry.find(".//dd[@class='ms-part ms-history']")
    assert terms(history.find("dl")) == ["Origin", "Provenance", "Acquisition"]
    assert not [element for element in entry.iter() if "tei-" in element.get("class", "")
                or element.get("role") in ("doc-noteref", "doc-bibliography")]
    [described] = etree.parse(str(source)).iter("{http://www.tei-c.org/ns/1.0}msDesc")
    shown = etree.fromstring(etree.tostring(entry))
    for added in shown.xpath("//*[contains(concat(' ', @class, ' '), ' ms-label ') or "
                             "contains(concat(' ', @class, ' '), ' gap ') or "
                             "contains(concat(' ', @class, ' '), ' pb ')]"):
        drop_keeping_tail(added)
    assert description_letters("".join(shown.itertext())) == description_letters(
        "".join(described.itertext()))


def drop_keeping_tail(element) -> None:
    """Take `element` out of its tree, its tail kept where it stood."""
    parent, previous = element.getparent(), element.getprevious()
    if element.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def test_a_manuscript_descriptions_parts_are_labelled_once_each(tmp_path) -> None:
    """A description in the text (not in a list of references) is a block of its own; a part
    that only groups others (objectDesc, supportDesc) adds no term, a part its container's term
    names already (a decoNote of the decoDesc) none again; an item within an item is listed
    under it; a note is read in its place, no footnote; no element is left unhandled."""
    from tei_edition.html import to_html
    from tei_edition.load import load
    from test_html import article_of, tei_file

    path = tei_file(tmp_path, (
        '<msDesc xml:id="digby23"><msIdentifier><settlement>Oxford</settlement>'
        '<repository>Bodleian Library</repository><idno>MS. Digby 23</idno>'
        '<msName>Roland</msName></msIdentifier>'
        '<msContents><msItem n="1"><locus>1r-72v</locus><title>Chanson de Roland</title>'
        '<incipit>Carles li reis</incipit><msItem n="1.1"><locus>1r</locus>'
        '<title>Prologue</title></msItem></msItem></msContents>'
        '<physDesc><objectDesc form="codex"><supportDesc material="perg"><support><p>'
        'Parchment.</p></support><extent>72 leaves</extent></supportDesc></objectDesc>'
        '<decoDesc><decoNote><p>Red initials.</p></decoNote></decoDesc></physDesc>'
        '<history><origin><p>England<note>Or Normandy.</note>, <origDate>s. XII</origDate>.'
        '</p></origin></history></msDesc>'))
    document = to_html(load(path), path)
    [entry] = article_of(document).find_class("ms-desc")
    assert entry.tag == "div" and entry.get("id") == "digby23"
    assert words(entry.find_class("ms-identifier")[0].text_content()) == (
        "Oxford, Bodleian Library, MS. Digby 23, Roland")
    assert [term.text for term in entry.iter("dt")] == [
        "Contents", "Incipit", "Physical description", "Material", "Extent", "Decoration",
        "History", "Origin"]
    [outer, inner] = entry.find_class("ms-item")
    assert inner.getparent().getparent() is outer
    assert words(inner.text_content()) == "1.1. 1r Prologue"
    assert words(entry.find(".//dd[@class='ms-part ms-origin']").text_content()) == (
        "England (Or Normandy.), s. XII.")
    assert not article_of(document).find_class("footnote-ref")
    assert not [d for d in document.diagnostics if d.code == "html-unhandled"]


def test_a_descriptions_long_cited_range_stays_on_the_printed_page() -> None:
    """print.css keeps a cited range on one line; T13's description cites "109-112 (Text A.
    Fols 18va:13-19va:16); 113 (Text B. …", which ran off the PDF's page and was cut there. A
    description's ranges are its prose: they wrap."""
    from weasyprint import CSS, HTML

    cited = "; ".join(f"{n}-{n + 3} (Text {n}. Fols {n}ra:1-{n}va:2)" for n in range(100, 140, 4))
    html = ('<ol class="references"><li class="ms-desc"><dl><dt>Contents</dt><dd><dl>'
            f'<dt>Bibliography</dt><dd><ul><li>Eeden, <span class="cited-range">{cited}</span>'
            '</li></ul></dd></dl></dd></dl></li></ol>')
    page = HTML(string=html).render(stylesheets=[
        CSS(filename=str(ROOT / "styles" / name))
        for name in ("edition.css", "phrase-rendering.css", "print.css")]).pages[0]
    root = page._page_box.children[0]
    right = root.content_box_x() + root.width
    boxes, edges = [page._page_box], []
    while boxes:
        box = boxes.pop()
        if getattr(box, "text", None):
            edges.append(box.position_x + box.width)
        boxes.extend(getattr(box, "children", []))
    assert edges and max(edges) <= right + 0.5, (max(edges), right)
