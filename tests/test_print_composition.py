"""The hyphenation rules CSS cannot state (print_composition.py): faults read from a rendering's
line boxes, the words at fault set unhyphenated. The real book's figures are in test_pdf.py."""

from __future__ import annotations

import json
import re

import lxml.html
import pytest
import weasyprint
from weasyprint.formatting_structure import boxes

from conftest import ROOT
from tei_edition.html import serialize
from tei_edition.lineation import PrintedLine, relined
from tei_edition.print_composition import (
    UNBROKEN,
    UNHYPHENATED,
    Fault,
    SetLine,
    citations_unbroken,
    faults,
    forbid_hyphenation,
    line_shapes,
    number_blocks,
    only_blocks,
    set_lines,
)

HYPHEN = "\u2010"


def line(text: str, page: int = 1, block: str = "7", in_notes: bool = False) -> SetLine:
    return SetLine(block, page, text, HYPHEN if text.endswith(HYPHEN) else "", in_notes)


def test_the_third_hyphenated_line_in_a_row_is_at_fault() -> None:
    lines = [line("the repres‐"), line("entatives of the govern‐"),
             line("ments considered admin‐"), line("istrative arrangements of"),
             line("the govern‐"), line("ments.")]
    assert faults(lines) == [Fault("7", "administrative", 0, "run", 1)]


def test_a_word_is_found_by_its_occurrence_in_its_block() -> None:
    lines = [line("govern‐"), line("ment and govern‐"), line("ment, the govern‐"),
             line("ment.")]
    assert faults(lines) == [Fault("7", "government", 2, "run", 1)]


def test_a_hyphen_on_the_last_line_of_a_recto_is_at_fault_not_of_a_verso() -> None:
    """Pages are counted from 0: an even index is a recto. A note under the text does not make
    the text's last line any less the last."""
    recto = [line("a word at the foot of the page repub‐", page=0),
             line("lic goes on", page=1), line("a note's line", page=0, block="9",
                                               in_notes=True)]
    assert faults(recto) == [Fault("7", "republic", 0, "leaf", 0)]
    verso = [line("a word at the foot of the page repub‐", page=1),
             line("lic goes on", page=2)]
    assert faults(verso) == []


def test_the_word_at_fault_is_set_unhyphenated_where_it_occurs() -> None:
    """The second "government" of the paragraph, counted without the note nested in it (a
    block of its own, whose lines are not the paragraph's)."""
    html = lxml.html.fromstring(
        "<html><body><p>A <em>government</em> and<span class='footnote'>a government</span>"
        " the government.</p></body></html>")
    number_blocks(html)
    [paragraph] = html.iter("p")
    assert forbid_hyphenation(html, [Fault(paragraph.get("data-block"), "government", 1,
                                           "run", 0)]) == {paragraph.get("data-block")}
    [span] = html.find_class(UNHYPHENATED)
    assert span.text == "government" and span.getparent() is paragraph
    assert paragraph.text_content() == "A government anda government the government."
    assert span.getprevious().get("class") == "footnote"


def test_a_box_that_never_breaks_may_still_open_a_line_at_its_space() -> None:
    """A page reference set whole (`white-space: nowrap`) goes to the next line at the space
    before it, the citation's number staying ("… (11, / p.53-54)"): with that space moved into
    it (spaces_into_inline_boxes), the box took the number with it and left a loose line."""
    from tei_edition.writers.pdf import spaces_into_inline_boxes

    html = lxml.html.fromstring(
        "<html><body><p lang='en'>aaaa bbbb cccc dddd eeee ffff ggggggg (<a>11</a>, <span"
        " class='cited-range'>p.53-54</span>). Next</p></body></html>")
    spaces_into_inline_boxes(html)
    css = weasyprint.CSS(string="@page { size: 300pt 200pt; margin: 10pt } p { width: 200pt;"
                         " font-size: 10pt } .cited-range { white-space: nowrap }")
    page = weasyprint.HTML(string=serialize(html)).render(stylesheets=[css]).pages[0]
    lines = ["".join(box.text for box in line.descendants() if isinstance(box, boxes.TextBox))
             for line in page._page_box.descendants() if isinstance(line, boxes.LineBox)]
    assert lines[0].rstrip().endswith("(11,") and lines[1].startswith("p.53-54")


NARROW = weasyprint.CSS(string="""
@page { size: 60mm 300mm; margin: 5mm }
body { font-size: 10pt }
p { text-align: justify; hyphens: auto; hyphenate-limit-chars: 6 3 3 }
.unhyphenated { hyphens: manual }
""")
LONG_WORDS = ("The international representatives of the governments considered administrative "
              "arrangements, constitutional guarantees and territorial settlements.")


def longest_run(lines: list[SetLine]) -> int:
    longest = run = 0
    for each in lines:
        run = run + 1 if each.hyphen else 0
        longest = max(longest, run)
    return longest


def test_forbidding_the_word_at_fault_ends_the_run_in_the_next_rendering() -> None:
    """A narrow measure sets three hyphenated lines in a row; set again with the third word
    unhyphenated, no run is longer than two and that word is whole."""
    html = lxml.html.fromstring(f'<html lang="en"><body><p>{LONG_WORDS}</p></body></html>')
    number_blocks(html)

    def rendered() -> list[SetLine]:
        return set_lines(weasyprint.HTML(string=serialize(html).decode()).render(
            stylesheets=[NARROW]))

    first = rendered()
    assert longest_run(first) >= 3
    found = faults(first)
    assert found and forbid_hyphenation(html, found) == {fault.block for fault in found}
    second = rendered()
    assert longest_run(second) <= 2
    whole = re.compile(rf"(?<!\w){found[0].word}(?!\w)")
    assert any(whole.search(each.text) for each in second)


@pytest.mark.parametrize("lang", ["en", "en-GB"])
def test_english_is_hyphenated_with_the_us_patterns(lang: str) -> None:
    """print.css gives English text pyphen's en_US patterns, TeX's ("sig-nif-i-cant"), not its
    default for "en", the British ones ("signific-ant"); text in another language keeps its
    own."""
    print_css = weasyprint.CSS(filename=str(ROOT / "styles" / "print.css"))
    page = weasyprint.HTML(string=f'<html lang="{lang}"><p>significant</p>'
                                  '<p lang="az">Naxçıvan</p></html>').render(
        stylesheets=[print_css]).pages[0]
    langs = [box.style["lang"] for box in page._page_box.children[0].descendants()
             if isinstance(box, boxes.TextBox)]
    assert langs == ["en-US", "az"]


def test_the_blocks_set_again_keep_their_place_and_the_element_before_them() -> None:
    """Set again alone, a block keeps its ancestors and, emptied, the element before it (which
    its indent depends on, `p + p`); the other blocks go."""
    html = lxml.html.fromstring(
        "<html><body><main><article><p>One.</p><p class='continued'>Two.</p>"
        "<p>Three words.</p><p>Four.</p></article><article><p>Five.</p></article></main>"
        "</body></html>")
    number_blocks(html)
    third = html.xpath("//p")[2]
    alone = only_blocks(html, {third.get("data-block")})
    assert [(p.get("class"), p.text_content()) for p in alone.iter("p")] == [
        ("continued", ""), (None, "Three words.")]
    assert len(alone.xpath("//article")) == 1


def test_the_lines_of_blocks_set_again_replace_theirs_and_are_counted_anew() -> None:
    def printed(article: str, block: str, anchors: list[str] | None = None) -> PrintedLine:
        return PrintedLine(article, 0, 0, None, anchors or [], block)

    lines = [printed("a", "1"), printed("a", "2"), printed("a", "2"), printed("a", "3", ["x"]),
             printed("b", "4", ["y"])]
    again = [printed("a", "2"), printed("a", "2"), printed("a", "2", ["z"])]
    merged = relined(lines, {"2"}, again)
    assert [(line.article, line.number, line.block, line.anchors) for line in merged] == [
        ("a", 1, "1", []), ("a", 2, "2", []), ("a", 3, "2", []), ("a", 4, "2", ["z"]),
        ("a", 5, "3", ["x"]), ("b", 1, "4", ["y"])]


TWO_ARTICLES = """<html lang="en"><head></head><body><nav>contents</nav><main>
<article class="article" id="first"><section class="div"><p>One.</p><p>Two.</p></section>
<section class="references"><p>Back matter.</p></section></article>
<article class="article" id="second"><section class="div"><p>Three<span class="footnote">
A note.</span> four.</p></section></article></main></body></html>"""


def test_a_leaf_check_sets_again_only_the_articles_holding_a_mended_block() -> None:
    """Each article begins on a recto, so a mend moves no page break of another article: the
    rendering that looks for a hyphen at a leaf turn holds only the articles mended, a block
    of a footnote counting as its article's."""
    from tei_edition.writers.pdf import article_of_blocks, articles_holding, articles_only

    html = lxml.html.fromstring(TWO_ARTICLES)
    number_blocks(html)
    note = html.find_class("footnote")[0].get("data-block")
    assert articles_holding(article_of_blocks(html), {note}) == {"second"}
    kept = articles_only(html, articles_holding(article_of_blocks(html), {note}))
    assert [article.get("id") for article in kept.iter("article")] == ["second"]
    assert kept.find_class("footnote") and not kept.find_class("references")
    assert [article.get("id") for article in articles_only(html).iter("article")] == [
        "first", "second"]


def test_the_lines_of_an_article_set_again_replace_its_own_alone() -> None:
    """The lines of the article set again take the place of its lines, in the articles'
    order; the other article keeps its lines."""
    from tei_edition.lineation import articles_relined

    def printed(article: str, count: int, page: int) -> list[PrintedLine]:
        return [PrintedLine(article, number, page, None, [], "1")  # type: ignore[arg-type]
                for number in range(1, count + 1)]

    lines = [*printed("first", 3, 0), *printed("second", 2, 2)]
    again = articles_relined(lines, printed("first", 4, 0))
    assert [(line.article, line.number) for line in again] == [
        ("first", 1), ("first", 2), ("first", 3), ("first", 4), ("second", 1), ("second", 2)]
    assert again[-1] is lines[-1]


def shapes_of(paragraph: str) -> list[tuple[object, ...]]:
    html = lxml.html.fromstring(f'<html lang="en"><body><p>{paragraph}</p></body></html>')
    number_blocks(html)
    for note in html.find_class("footnote"):
        note.set("data-block", "note")  # the same note, wherever the <br> puts it
    block = html.find(".//p").get("data-block")
    # as the apparatus's notes: no call to see, nor to make its line taller
    notes = weasyprint.CSS(string=".footnote { float: footnote } .footnote::footnote-call "
                                  "{ content: none; vertical-align: baseline }")
    return line_shapes(weasyprint.HTML(string=serialize(html).decode()).render(
        stylesheets=[NARROW, notes]))[block]


def test_a_block_keeps_its_shape_with_other_words_on_as_many_lines_and_calls_on_each() -> None:
    """The shape of a block's lines (what moves a page break) keeps the words out: other words
    on as many lines, each holding the same note calls, are the same shape; a line more, or a
    note's call on another line, are not."""
    shape = shapes_of('One two<span class="footnote">A note.</span><br>three.')
    assert len(shape) == 2
    assert shapes_of('One<span class="footnote">A note.</span><br>two three.') == shape
    assert shapes_of('One two<br>three<span class="footnote">A note.</span>.') != shape
    assert shapes_of('One two<span class="footnote">A note.</span><br>three<br>four.') != shape


def test_a_block_set_alone_in_its_shape_takes_its_lines_places() -> None:
    """The lines of a mended block, set alone in as many lines of the same shape, take their
    pages from the lines they replace; the other blocks' lines stay as they were."""
    from tei_edition.writers.pdf import rewritten

    lines = [line("One two-", page=4), line("three.", page=5), line("Four.", 5, block="8"),
             line("A note-", 4, in_notes=True, block="9")]
    again = rewritten(lines, [line("One", page=0), line("two three.", page=0),
                              line("A note", 0, in_notes=True, block="9")])
    assert again == [line("One", page=4), line("two three.", page=5), lines[2],
                     line("A note", 4, in_notes=True, block="9")]


def pdf_text(html: lxml.html.HtmlElement) -> str:
    """The text layer of `html` set in the shipped Linux Libertine with print.css's rule for
    sequences set apart, as pdftotext reads it."""
    import subprocess

    css = weasyprint.CSS(string=(
        f'@font-face {{ font-family: L; src: url("{ROOT}/styles/fonts/LinLibertine_R.otf") }}'
        "body { font-family: L; font-variant-ligatures: common-ligatures }"
        + re.search(r"\.unligated \{[^}]*\}", (ROOT / "styles" / "print.css").read_text()
                    ).group()))
    pdf = weasyprint.HTML(string=serialize(html)).write_pdf(stylesheets=[css])
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()


@pytest.mark.parametrize("first", ["witness", "editor"])
def test_a_ligature_whose_glyph_is_a_characters_copies_as_what_it_sets(first: str) -> None:
    """Libertine sets "..." as the glyph of "…", and the PDF's text gave the glyph one text,
    the first it stood for: the witness's "Armenia...”" copied as "Armenia…”" where the
    chronology's "…" came first."""
    from tei_edition.print_composition import ligatures_kept_apart
    from tei_edition.writers.fonts import LIGATURES

    witness, editor = "to Armenia...” (10, p. 1)", "on 17 March, … signed"
    body = f"<p>{witness}</p><p>{editor}</p>"
    if first == "editor":
        body = f"<p>{editor}</p><p>{witness}</p>"
    html = lxml.html.fromstring(f"<html><head><meta charset='utf-8'></head><body>{body}"
                                "<p>The office’s fine flags...</p></body></html>")
    ligatures_kept_apart(html, json.loads(LIGATURES.read_text(encoding="utf-8")))
    text = pdf_text(html)
    assert witness in text and editor in text and "flags..." in text, text
    assert "office" in text  # no "ﬁ" in the text: the other ligatures stay as they were
    assert len(html.find_class("unligated")) == 2


def test_the_ligatures_read_from_the_fonts_are_those_the_build_reads() -> None:
    """styles/fonts/ligatures.json is made from the shipped faces (writers/fonts.py): a face
    changed, or another added, without it made again, fails here."""
    from tei_edition.writers.fonts import FONTS, LIGATURES, encoded_ligatures

    found = encoded_ligatures(sorted(FONTS.glob("*.otf")))
    assert json.loads(LIGATURES.read_text(encoding="utf-8")) == found
    assert found["..."] == "…" and "fi" in found


def test_a_running_head_copies_its_stops_as_set_where_the_book_holds_an_ellipsis() -> None:
    """The running heads copy a title into the page's margin, where no span can hold it apart:
    a title "Wait..." there gave the glyph its text before the text's "…" (QA review); where a
    book holds both, the margin boxes are set without common ligatures (UNLIGATED_MARGINS),
    even under a margin box's own `font` shorthand."""
    import subprocess

    from tei_edition.print_composition import UNLIGATED_MARGINS, ligatures_kept_apart
    from tei_edition.writers.fonts import LIGATURES

    face = f'@font-face {{ font-family: L; src: url("{ROOT}/styles/fonts/LinLibertine_R.otf") }}'
    unligated = re.search(r"\.unligated \{[^}]*\}", (ROOT / "styles" / "print.css").read_text())
    css = weasyprint.CSS(string=face + "body { font-family: L } h1 { string-set: t content();"
                         " font: 12pt L } @page { @top-center { content: string(t); font: 9pt L"
                         " } }" + unligated.group())
    html = lxml.html.fromstring("<html><head><meta charset='utf-8'></head><body><h1>Wait...</h1>"
                                "<p>The text’s … ellipsis.</p></body></html>")
    assert ligatures_kept_apart(html, json.loads(LIGATURES.read_text(encoding="utf-8")))
    stylesheets = [css, weasyprint.CSS(string=UNLIGATED_MARGINS)]
    pdf = weasyprint.HTML(string=serialize(html)).write_pdf(stylesheets=stylesheets)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()
    assert "The text’s … ellipsis." in text and text.count("Wait...") == 2, text


def test_a_book_titled_with_stops_copies_its_text_as_the_tei_holds_it(tmp_path, run_cli) -> None:
    """A title "Wait... title" over a text holding "…" and "ﬃ": the half-title, which the print
    adds after the text's sequences were set apart, gave the glyphs their texts first, and the
    text's "…" copied as "..." (QA review)."""
    import subprocess

    source = tmp_path / "stops.xml"
    source.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Wait...'
        " the office</title></titleStmt><publicationStmt><p>P</p></publicationStmt><sourceDesc>"
        "<p>S</p></sourceDesc></fileDesc></teiHeader><text><body><p>Body has … and ﬃ here."
        "</p></body></text></TEI>", encoding="utf-8")
    assert run_cli("build", "pdf", source, "-o", tmp_path / "stops.pdf").status == 0
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", tmp_path / "stops.pdf", "-"],
                          capture_output=True, check=True, text=True).stdout
    assert "Body has … and ﬃ here." in text and "Wait... the office" in text, text
    assert "Wait… " not in text


def test_a_long_address_breaks_without_a_hyphen(tmp_path, run_cli) -> None:
    """A pointer's address longer than a line was hyphenated ("…/abcdefghijklmnopqrstu‐"), and
    a copied address kept the hyphen (QA review): it breaks anywhere, with no hyphen."""
    import subprocess

    address = "https://example.org/" + "/".join(["abcdefghijklmnopqrstuvwxyz0123456789"] * 4)
    source = tmp_path / "address.xml"
    source.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T'
        "</title></titleStmt><publicationStmt><p>P</p></publicationStmt><sourceDesc><p>S</p>"
        f'</sourceDesc></fileDesc></teiHeader><text><body><p>See <ptr target="{address}"/> '
        "after.</p></body></text></TEI>", encoding="utf-8")
    assert run_cli("build", "pdf", source, "-o", tmp_path / "address.pdf").status == 0
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", tmp_path / "address.pdf", "-"],
                          capture_output=True, check=True, text=True).stdout
    assert "".join(text.split()).count("".join(address.split("//", 1)[1])) == 1, text
    assert "\u2010" not in text and "-\n" not in text


def test_a_day_keeps_to_its_month_in_words_the_book_adds() -> None:
    """The chronology's rows and the editors' tables broke "26 / September", "13 / October"
    (second production review): in an English book every day and month is one box in print,
    and a year, or a number before a month, stays breakable."""
    from tei_edition.print_composition import UNBROKEN, days_and_months_unbroken

    html = lxml.html.fromstring(
        "<html lang='en'><body><p>scheduled for 26 September, ratified on October 13, 1921,"
        " in May 1921 and on 12 and 14 March; 126 May.</p></body></html>")
    days_and_months_unbroken(html)
    assert [span.text for span in html.find_class(UNBROKEN)] == [
        "26 September", "October 13", "14 March"]
    german = lxml.html.fromstring("<html lang='de'><body><p>am 26 September</p></body></html>")
    days_and_months_unbroken(german)
    assert not german.find_class(UNBROKEN)


def test_only_a_short_citation_by_number_is_set_unbroken() -> None:
    """"(10, p. 1)" keeps together; a citation of several numbers, a citation in words (author
    and title: the QA review's ran off the page, 30 words lost) or one holding another breaks
    as prose does."""
    html = lxml.html.fromstring(
        '<html><body><p>'
        '<span class="citation" id="short"><a class="biblioref">10</a>, p. 1</span> '
        '<span class="citation" id="two"><a class="biblioref">11</a>, p. 48-54; '
        '<a class="biblioref">23</a>, p. 303</span> '
        '<span class="citation" id="words"><a class="biblioref">Alexander Johnson-Montgomery'
        '</a>, The Extraordinarily Long History of the Treaty, pages 123 to 456</span> '
        '<span class="citation" id="outer">Outer <span class="citation" id="inner">'
        '<a class="biblioref">9</a></span> end</span></p></body></html>')
    citations_unbroken(html)
    unbroken = [element.get("id") for element in html.iter()
                if UNBROKEN in (element.get("class") or "").split()]
    assert unbroken == ["short", "inner"]
