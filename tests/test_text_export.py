"""`edition text`: the diplomatic and the normalised plain text of a TEI file, other projects'
TEI included (tests/corpus/tei), with no word of the text lost or run into its neighbour."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, cpu_seconds
from tei_edition.apparatus import interventions
from tei_edition.load import load
from tei_edition.text import MAX_LINE_JUMP
from test_html import article_of, tei_file, transform

CORPUS = ROOT / "tests" / "corpus" / "tei"


def exports(run_cli, path: Path) -> set[str]:
    """What `edition text` writes for `path` in each view: one text where both read it alike."""
    return {run_cli("text", view, path).stdout for view in ("--normalised", "--diplomatic")}


def test_a_witness_without_numbered_lines_has_its_diplomatic_text(tmp_path: Path,
                                                                   run_cli) -> None:
    """No `<lb n>`: the diplomatic export printed one empty line, exit 0. It is the witness's
    reading (its spellings, its abbreviations, its errors, not the edition's), a paragraph a
    block and a line for each `<lb/>`, and says on stderr that it is not line for line."""
    path = tei_file(tmp_path, '<head>The <choice><orig>Vvorld</orig><reg>World</reg></choice>'
                              '</head><p>It is <choice><sic>teh</sic><corr>the</corr></choice>'
                              ' <choice><abbr>Dr.</abbr><expan>Doctor</expan></choice><lb/>'
                              'who came<supplied> late</supplied>.</p>')
    result = run_cli("text", "--diplomatic", path)
    assert result.status == 0, result.stderr
    assert result.stdout == "The Vvorld\n\nIt is teh Dr.\nwho came.\n"
    assert result.stderr.startswith(f"{path}: info: it numbers no line (no <lb n>)")
    assert len(result.stderr.splitlines()) == 1
    result = run_cli("text", "--normalised", path)
    assert result.stdout == "The World\n\nIt is the Doctor who came late.\n"


def test_words_outside_the_numbered_lines_are_not_lost(tmp_path: Path, run_cli) -> None:
    """A heading before the first `<lb n>`, words after an `<lb/>` without a number: the line
    for line export dropped the first and ran the second into the line before; the words are
    read block by block instead, each line where the witness begins it."""
    path = tei_file(tmp_path, '<head>A heading</head><p><lb n="1"/>first line<lb n="2"/>second'
                              ' line<lb/>unnumbered line</p>')
    result = run_cli("text", "--diplomatic", path)
    assert result.status == 0, result.stderr
    assert result.stdout == "A heading\n\nfirst line\nsecond line\nunnumbered line\n"
    assert "4 of its words stand outside its numbered lines" in result.stderr


def test_a_witness_numbered_line_for_line_is_exported_line_for_line(tmp_path: Path,
                                                                    run_cli) -> None:
    path = tei_file(tmp_path, '<p><lb n="1"/>first line<lb n="3"/>third line</p>')
    result = run_cli("text", "--diplomatic", path)
    assert (result.status, result.stdout, result.stderr) == (0, "first line\n\nthird line\n", "")


def test_a_text_without_words_is_refused_not_exported_empty(tmp_path: Path, run_cli) -> None:
    path = tei_file(tmp_path, "<p> </p>")
    for view in ("--diplomatic", "--normalised"):
        result = run_cli("text", view, path)
        assert result.status != 0 and result.stdout == ""
        assert result.stderr.startswith(f"{path}: error: no text to export"), result.stderr


def test_the_witness_page_furniture_is_in_its_diplomatic_text(tmp_path: Path, run_cli) -> None:
    """A running head between the blocks (T11's "The Tragedie of Romeo and Iuliet.", 22
    times) is the witness's page: the diplomatic text keeps it, the normalised leaves it out."""
    path = tei_file(tmp_path, '<p>One.</p><pb n="2"/><fw type="header">Running head</fw>'
                              '<p>Two.</p>')
    assert run_cli("text", "--diplomatic", path).stdout == "One.\n\nRunning head\n\nTwo.\n"
    assert run_cli("text", "--normalised", path).stdout == "One.\n\nTwo.\n"


@pytest.mark.parametrize("name", sorted(path.name for path in CORPUS.glob("*.xml")))
def test_every_corpus_file_has_a_diplomatic_text(name: str, run_cli) -> None:
    """Ten of the twelve corpus files had an empty diplomatic export, exit 0; T11's (line
    numbers on a few prose lines only) lost its title page, its first scene and its running
    heads. The diplomatic text has at least the normalised text's words, less a tenth (the
    normalised text adds the edition's notes, the diplomatic its line divisions)."""
    diplomatic = run_cli("text", "--diplomatic", CORPUS / name)
    normalised = run_cli("text", "--normalised", CORPUS / name)
    assert diplomatic.status == 0 and normalised.status == 0, diplomatic.stderr
    assert len(diplomatic.stdout.split()) >= 0.9 * len(normalised.stdout.split())


def test_words_no_block_holds_are_read_as_a_block(tmp_path: Path, run_cli) -> None:
    """T13's manuscript description in its body (`<msItem>`'s locus, incipit, explicit,
    `<accMat>`: 238 words) shows in the web edition, and both exports left it out without a
    word: what no paragraph or other block holds is read as one."""
    path = tei_file(tmp_path, '<listBibl><msDesc><msIdentifier><repository>Arnamagnæan'
                              '</repository></msIdentifier><msContents><msItem><locus>1r</locus>'
                              ' <incipit>Her hefr</incipit></msItem></msContents><physDesc>'
                              '<p>Vellum.</p></physDesc></msDesc></listBibl>')
    assert exports(run_cli, path) == {"Arnamagnæan\n\n1r Her hefr\n\nVellum.\n"}


@pytest.mark.parametrize(("dimensions", "read"), [
    # T13's layout: two measures with no space between them read "25084"
    ('<dimensions type="written"><height>250</height><width>84</width></dimensions>',
     "250 × 84"),
    ('<dimensions unit="mm"><height>327</height><width>236</width></dimensions>',
     "327 × 236 mm"),
    # measures with no words: their attributes' values, which the export left out
    ('<dimensions><height quantity="250" unit="mm"/><width atLeast="80" atMost="84" '
     'unit="mm"/></dimensions>', "250 × 80–84 mm"),
    ('<dimensions><height unit="cm">25</height><width unit="mm">84</width></dimensions>',
     "25 cm × 84 mm"),
    ('<dimensions extent="folio"/>', "folio"),
])
def test_dimensions_read_as_the_web_edition_shows_them(tmp_path: Path, run_cli,
                                                        dimensions: str, read: str) -> None:
    path = tei_file(tmp_path, f"<p>Written in columns of {dimensions} each.</p>")
    for view in ("--normalised", "--diplomatic"):
        result = run_cli("text", view, path)
        assert result.stdout == f"Written in columns of {read} each.\n", result.stderr
    paragraph = article_of(transform(tmp_path, f"<p>Written in columns of {dimensions} each."
                                                "</p>")).find(".//section/p")
    assert " ".join(paragraph.text_content().split()) == f"Written in columns of {read} each."


@pytest.mark.parametrize(("body", "read"), [
    # T11: a gap for an inked space marker between two words ran them together, "inyour"
    ('an interest in<gap extent="1" unit="chars" reason="nonstandardCharacter"/>your hearts',
     "an interest in[…]your hearts"),
    # T04: an illegible letter's <desc> was read as a word, splitting the word around it
    ('<hi>Bale<gap extent="1 letter"><desc>illegible</desc></gap>ns.</hi> r.',
     "Bale[…]ns. r."),
    # T20's 138 bare gaps were left out, "lost" text with no mark
    ("one <gap/> two", "one […] two"),
])
def test_a_gap_is_marked_where_it_stands(tmp_path: Path, run_cli, body: str, read: str) -> None:
    path = tei_file(tmp_path, f"<p>{body}</p>")
    assert exports(run_cli, path) == {f"{read}\n"}
    paragraph = article_of(transform(tmp_path, f"<p>{body}</p>")).find(".//section/p")
    assert " ".join(paragraph.text_content().split()) == read


@pytest.mark.parametrize("numbered", [False, True], ids=["by-block", "line-for-line"])
def test_the_layout_of_a_choice_is_no_word_space(tmp_path: Path, run_cli, numbered: bool) -> None:
    """T12's pretty-printed choices: the newline between `</abbr>` and `<expan>` was read as
    a space before the full stop ("detrimentum ."), in both exports and both modes of the
    diplomatic one; the web edition reads "detrimentum."."""
    line = '<lb n="1"/>' if numbered else ""
    path = tei_file(tmp_path, f"<p>{line}pariat <choice>\n  <abbr>detrimentu<am/></abbr>\n"
                              "  <expan>detrimentu<ex>m</ex></expan>\n</choice>. Conuenit</p>")
    assert run_cli("text", "--normalised", path).stdout == "pariat detrimentum. Conuenit\n"
    assert run_cli("text", "--diplomatic", path).stdout == "pariat detrimentu. Conuenit\n"


@pytest.mark.parametrize(("app", "read"), [
    # a lemma and a reading ran together into one word
    ('<app><lem>alpha</lem><rdg wit="#B">beta</rdg></app>', "alpha [] beta Beta]"),
    # T06's parallel segmentation without a lemma: each laid-out reading was a word of the text
    ('<app>\n <rdg wit="#A #B">āϑrō</rdg>\n <rdg wit="#C">āϑrōi</rdg>\n <rdg wit="#D"/>\n</app>',
     "āϑrō [Alpha B ] āϑrōi C; om. D]"),
    # Perseus' notes: a lemma alone, its readings the words after it
    ("<app><lem>cum</lem></app> quom A", "cum ] quom A"),
])
def test_an_apparatus_reads_its_lemma_then_its_entry(tmp_path: Path, run_cli, app: str,
                                                     read: str) -> None:
    """As the EPUB and the print set the entry after its lemma, "word [A ] voice B C]"."""
    witnesses = ('<listWit><witness xml:id="A" n="Alpha">A</witness><witness xml:id="B" n="Beta">'
                 'B</witness></listWit>' if "#B" in app and "#A" not in app else
                 '<listWit><witness xml:id="A" n="Alpha">A</witness></listWit>')
    path = tei_file(tmp_path, f"{witnesses}<p>{app} gamma</p>")
    for view in ("--normalised", "--diplomatic"):
        output = run_cli("text", view, path).stdout
        assert output.split("\n\n")[-1] == f"{read} gamma\n", output


@pytest.mark.parametrize("numbered", [False, True], ids=["by-block", "line-for-line"])
def test_an_index_entry_is_no_word_of_the_text(tmp_path: Path, run_cli, numbered: bool) -> None:
    """`<index><term>` marks a place for the index; its terms were read into the sentence
    ("Bakuoil, Baku grew."), where the web edition shows nothing."""
    line = '<lb n="1"/>' if numbered else ""
    path = tei_file(tmp_path, f'<p>{line}Baku<index><term>oil, Baku</term></index> grew.</p>')
    assert exports(run_cli, path) == {"Baku grew.\n"}
    paragraph = article_of(transform(tmp_path, f"<p>{line}Baku<index><term>oil, Baku</term>"
                                                "</index> grew.</p>")).find(".//section/p")
    assert " ".join(paragraph.text_content().split()) == "Baku grew."


def test_a_figure_without_an_image_is_said_in_words(tmp_path: Path, run_cli) -> None:
    """Its `<figDesc>`, which the web edition, the EPUB and the print show (README), was left
    out of the text export; the caption was kept."""
    body = ('<p>Before.</p><figure><head>Map of Kars</head><figDesc>The province, with its '
            'new border</figDesc></figure><p>After.</p>')
    path = tei_file(tmp_path, body)
    assert run_cli("text", "--normalised", path).stdout == (
        "Before.\n\nMap of Kars\n\nThe province, with its new border\n\nAfter.\n")
    shown = article_of(transform(tmp_path, body)).find_class("figure-description")
    assert [" ".join(span.text_content().split()) for span in shown] == [
        "The province, with its new border"]


def test_the_cells_of_a_row_stand_apart(tmp_path: Path, run_cli) -> None:
    """A table encoded without spaces between its cells read "VolumeYear", "11861": the web
    edition sets the cells apart, the text export a tab between them (the corpus's pretty-
    printed tables read with a space there)."""
    path = tei_file(tmp_path, "<table><row><cell>Volume</cell><cell>Year</cell></row><row>"
                              "<cell>1</cell>\n<cell>1861</cell></row></table>")
    assert exports(run_cli, path) == {"Volume\tYear\n\n1\t1861\n"}


def test_the_texts_of_a_group_are_read(tmp_path: Path, run_cli) -> None:
    """`<text><group><text>…`: the normalised export read only the outer text's front, body and
    back, and printed nothing of a group's texts (the web edition shows them)."""
    path = tei_file(tmp_path, "<p>Preface.</p>")
    source = path.read_text(encoding="utf-8").replace(
        '<text><body><div type="article">\n<p>Preface.</p>\n  </div></body><back></back></text>',
        "<text><front><p>Preface.</p></front><group><text><body><p>First letter.</p></body></text>"
        "<text><body><p>Second letter.</p></body></text></group></text>")
    assert "<group>" in source
    path.write_text(source, encoding="utf-8")
    for view in ("--normalised", "--diplomatic"):
        result = run_cli("text", view, path)
        assert result.stdout == "Preface.\n\nFirst letter.\n\nSecond letter.\n", result.stderr


@pytest.mark.parametrize(("body", "lines"), [
    # a gap's <desc> read as words of the line, an apparatus's lemma and reading and a
    # dimensions' measures run together
    ('<p><lb n="1"/>Bale<gap><desc>illegible</desc></gap>ns. <app><lem>alpha</lem><rdg '
     'wit="#B">beta</rdg></app> in <dimensions unit="mm"><height>250</height><width>84</width>'
     '</dimensions><lb n="2"/>end</p>',
     "Bale[…]ns. alpha [] beta B] in 250 × 84 mm\nend\n"),
    # an <app> holding an <lb n> or a <note>, read as plain text ("brownslow fox
    # jumpsapp noteleaps"): its lines begin where they stand, its entry after its lemma
    ('<p><lb n="1"/>The <app><lem>quick <lb n="2"/>brown</lem><rdg wit="#B">slow</rdg></app> '
     'fox <app><lem>jumps<note><lb n="4"/>app note</note></lem><rdg>leaps</rdg></app> over '
     '<app><rdg>only</rdg></app> end<lb n="3"/>last</p>',
     "The quick\nbrown [] slow B] fox jumps [] leaps] over only end\nlast\napp note\n"),
])
def test_the_line_for_line_export_reads_within_a_line_as_the_other_exports(
        tmp_path: Path, run_cli, body: str, lines: str) -> None:
    """The line for line diplomatic export reads a gap "[…]", an apparatus "word [] reading]"
    and dimensions "250 × 84 mm" as the other exports do, within its lines."""
    result = run_cli("text", "--diplomatic", tei_file(tmp_path, body))
    assert (result.stdout, result.stderr) == (lines, "")


@pytest.mark.parametrize(("body", "read"), [
    # a note's paragraphs
    ('<p>Text<note n="1"><p>One.</p><p>Two.</p></note> on.</p>', "[1] One. Two."),
    # a list in a paragraph (T13's gatherings: "bifolia.II: Fols 11-22")
    ("<p>He said<list><item>one,</item><item>two</item></list>then</p>", "He said one, two then"),
    # verse lines in a paragraph, which the web edition sets each on its own line
    ("<p>Verse:<lg><l>line one</l><l>line two</l></lg>after</p>", "Verse: line one line two after"),
    # a citation's quotation and its source
    ("<cit><quote>To be</quote><bibl>Ham. 3.1</bibl></cit>", "To be Ham. 3.1"),
    # but an inline source and quotation stay where the encoding sets them
    ("<p>See “<quote>this</quote>” <bibl>Smith</bibl>.</p>", "See “this” Smith."),
])
def test_a_block_inside_what_is_read_stands_apart(tmp_path: Path, run_cli, body: str,
                                                  read: str) -> None:
    path = tei_file(tmp_path, body)
    for view in ("--normalised", "--diplomatic"):
        assert run_cli("text", view, path).stdout.rstrip("\n").split("\n")[-1] == read


def test_the_words_of_a_line_numbered_0_are_not_lost(tmp_path: Path, run_cli) -> None:
    """`<lb n="0"/>`: the line for line export has lines from 1, and dropped line 0's words
    without a word (exit 0); they are read block by block instead, as words outside the
    numbered lines are."""
    path = tei_file(tmp_path, '<p><lb n="0"/>Zero words here <lb n="1"/>One</p>')
    result = run_cli("text", "--diplomatic", path)
    assert (result.status, result.stdout) == (0, "Zero words here\nOne\n"), result.stderr
    assert "3 of its words stand outside its numbered lines" in result.stderr


@pytest.mark.parametrize("number", ["²", "٣", "2a"])
def test_a_line_number_not_in_ascii_digits_numbers_no_line(tmp_path: Path, run_cli,
                                                           number: str) -> None:
    """`<lb n="²"/>`: a superscript digit is a digit to str.isdigit(), not to int(), and the
    diplomatic export (and the build's apparatus) crashed with a traceback."""
    body = f'<p><lb n="1"/>One <lb n="{number}"/>super <choice><sic>teh</sic><corr>the</corr>' \
           '</choice></p>'
    path = tei_file(tmp_path, body)
    result = run_cli("text", "--diplomatic", path)
    assert (result.status, result.stdout) == (0, "One\nsuper teh\n"), result.stderr
    assert "2 of its words stand outside its numbered lines" in result.stderr
    assert [(found.line, found.lemma) for found in interventions(load(path))] == [(1, "the")]


def test_a_jump_of_millions_of_lines_is_refused_where_it_stands(tmp_path: Path, run_cli) -> None:
    """`<lb n="200000000"/>`: the export wrote 200 million blank lines, for minutes; a jump of
    more than MAX_LINE_JUMP lines is refused, the file and line said, in no time."""
    path = tei_file(tmp_path, '<p><lb n="1"/>One\n<lb n="200000000"/>Two</p>')
    started = cpu_seconds()
    result = run_cli("text", "--diplomatic", path)
    assert cpu_seconds() - started < 5
    assert (result.status, result.stdout) == (1, "")
    line = next(number for number, text in enumerate(path.read_text().splitlines(), 1)
                if "200000000" in text)
    assert result.stderr == (f'{path}:{line}: error: <lb n="200000000"/> follows line 1: a '
                             f"jump of more than {MAX_LINE_JUMP:,} lines is not written as "
                             "blank lines (a wrong @n?)\n")
    # a jump within the bound is the blank lines it skips
    path = tei_file(tmp_path, f'<p><lb n="1"/>One<lb n="{MAX_LINE_JUMP + 1}"/>Two</p>')
    assert run_cli("text", "--diplomatic", path).stdout == "One" + "\n" * MAX_LINE_JUMP + "Two\n"


def test_an_apparatus_holding_a_note_without_a_line_reads_its_entry_apart(
        tmp_path: Path, run_cli) -> None:
    """QA's file: the note has no line of its own, so the text is read block by block; the
    apparatus still reads "word [] reading]", not its lemma and reading run together."""
    path = tei_file(tmp_path, '<p><lb n="1"/>The <app><lem>quick <lb n="2"/>brown</lem><rdg>'
                              'slow</rdg></app> fox <app><lem>jumps<note>app note</note></lem>'
                              '<rdg>leaps</rdg></app> over.</p>')
    assert run_cli("text", "--diplomatic", path).stdout == (
        "The quick\nbrown [] slow] fox jumps [] leaps] over.\n\nNotes\n\n[*] app note\n")


def test_the_first_words_of_a_note_do_not_run_into_the_call_s_line(tmp_path: Path,
                                                                    run_cli) -> None:
    """A note's words before its first `<lb n>` were set on the call's line ("Alpha betaNote
    gamma"); no line of the witness holds them, and the text is read block by block. The mark
    of a note whose text is lost (`<note><label>19</label></note>`) stays at its call."""
    path = tei_file(tmp_path, '<p><lb n="1"/>Alpha beta<note>Note <lb n="7"/>inside note words'
                              '</note> gamma <lb n="2"/>delta</p>')
    result = run_cli("text", "--diplomatic", path)
    assert result.stdout == "Alpha beta gamma\ndelta\n\nNotes\n\n[*] Note\ninside note words\n"
    assert "1 of its words stand outside its numbered lines" in result.stderr
    path = tei_file(tmp_path, '<p><lb n="1"/>Alpha beta.<note n="19"><label>19</label></note>'
                              ' gamma <lb n="2"/>delta</p>')
    result = run_cli("text", "--diplomatic", path)
    assert (result.stdout, result.stderr) == ("Alpha beta.19 gamma\ndelta\n", "")


def test_the_fields_of_a_manuscript_description_stand_apart(tmp_path: Path, run_cli) -> None:
    """A description encoded without spaces between its fields read "OxfordBodleianMS 1",
    "Parchment10 leaves", "MainAlt"; the web edition sets them apart (manuscripts.py), the
    shelfmark's parts with commas, another identifier after a semicolon."""
    path = tei_file(tmp_path, '<msDesc><msIdentifier><settlement>Oxford</settlement><repository>'
                              'Bodleian</repository><idno>MS 1</idno><altIdentifier><idno>Old 2'
                              '</idno></altIdentifier></msIdentifier><msContents><msItem><title>'
                              'Sub item</title><explicit>Explicit words</explicit></msItem>'
                              '</msContents><physDesc><objectDesc><supportDesc><support>'
                              'Parchment</support><extent>10 leaves</extent></supportDesc>'
                              '<layoutDesc><layout>Two columns</layout></layoutDesc></objectDesc>'
                              '<handDesc><handNote>Hand one</handNote></handDesc></physDesc>'
                              '</msDesc>')
    assert exports(run_cli, path) == {
        "Oxford, Bodleian, MS 1; Old 2 Sub item Explicit words Parchment 10 leaves Two "
        "columns Hand one\n"}  # (one block: no paragraph in it)


def test_the_grouping_parts_of_a_description_are_containers() -> None:
    """manuscripts.py's grouping parts (objectDesc, …) hold parts, which the text export sets
    apart as the web edition does."""
    from tei_edition.manuscripts import GROUPING
    from tei_edition.text import MS_CONTAINER_NAMES

    assert GROUPING <= MS_CONTAINER_NAMES


def test_a_back_list_of_manuscripts_is_read(tmp_path: Path, run_cli) -> None:
    """A `<listBibl>` of the back holding only descriptions, which the web edition and the
    print show as "Manuscripts", was taken for the bibliography's data and left out."""
    path = tei_file(tmp_path, "<p>Text.</p>", back='<listBibl><msDesc><msIdentifier><idno>Back1'
                                                   '</idno></msIdentifier><head>Back head</head>'
                                                   '<msContents><msItem><listBibl><bibl>Its bibl'
                                                   '</bibl></listBibl></msItem></msContents>'
                                                   '</msDesc></listBibl>')
    assert exports(run_cli, path) == {
        "Text.\n\nBack1\n\nBack head\n\nIts bibl\n"}
    # a list of references stays the bibliography's data
    path = tei_file(tmp_path, "<p>Text.</p>", back="<listBibl><bibl>Smith 1990</bibl></listBibl>")
    assert run_cli("text", "--normalised", path).stdout == "Text.\n"


def test_a_figure_whose_image_is_missing_is_said_in_words(tmp_path: Path, run_cli) -> None:
    """The web edition shows a figure's `<figDesc>` where its image file is missing (or
    refused); the text export read it only for a figure without a `<graphic>`, and left it
    out."""
    body = ('<p>Before.</p><figure><graphic url="{}"/><figDesc>Alt text</figDesc></figure>'
            '<p>After.</p>')
    (tmp_path / "there.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    for url, read in (("missing.png", "Before.\n\nAlt text\n\nAfter.\n"),
                      ("http://example.org/a.png", "Before.\n\nAlt text\n\nAfter.\n"),
                      ("there.png", "Before.\n\nAfter.\n")):
        path = tei_file(tmp_path, body.format(url))
        assert exports(run_cli, path) == {read}, url
        shown = article_of(transform(tmp_path, body.format(url))).find_class("figure-description")
        assert [span.text_content() for span in shown] == (["Alt text"] if "Alt" in read else [])


def test_a_text_whose_words_are_all_in_a_note_begins_with_them(tmp_path: Path,
                                                               run_cli) -> None:
    """Only a note's words: the export began with two blank lines."""
    path = tei_file(tmp_path, "<p><note>Only words in a note.</note></p>")
    assert exports(run_cli, path) == {"Notes\n\n[*] Only words in a note.\n"}
