"""Other people's TEI (fixtures in fixtures/other-tei, made with the features of real files):
never a traceback, never silent loss, the critical apparatus and verse rendered."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "other-tei"


def test_pretty_printed_notes_and_line_beginnings_make_a_pdf(tmp_path: Path, run_cli) -> None:
    """A note holding a space before a newline, an <lb/> followed by a newline: WeasyPrint 70
    kept the line end in the footnote float and stopped on an AssertionError."""
    result = run_cli("build", "pdf", FIXTURES / "pretty-printed-notes.xml",
                     "-o", tmp_path / "out.pdf")
    assert result.status == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")


def test_a_writer_that_fails_says_so_in_one_line_and_writes_nothing(
        tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """The last resort: an unexpected exception inside a writer is one line naming the file,
    exit 1, no output."""
    from tei_edition import pipeline

    def broken_writer(*_: object) -> None:
        raise AssertionError("Got ' \\n' between two lines.\nsecond line")

    monkeypatch.setattr(pipeline, "writer", lambda output_format: broken_writer)
    source = FIXTURES / "pretty-printed-notes.xml"
    result = run_cli("build", "pdf", source, "-o", tmp_path / "out.pdf")
    assert result.status == 1
    [line] = [line for line in result.stderr.splitlines() if "error" in line]
    assert str(source) in line and "AssertionError" in line and "second line" not in line
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("output_format", ["html", "epub", "pdf"])
def test_a_link_to_a_missing_anchor_is_one_warning_at_its_ref_in_every_format(
        output_format: str, tmp_path: Path, run_cli) -> None:
    """The input's error, said with the file and line of the <ref>, the same in every format;
    the link is kept as text and the output written (WeasyPrint said "No anchor" without a
    place, as an error, and wrote the PDF anyway)."""
    source = FIXTURES / "missing-anchor.xml"
    output = tmp_path / f"out.{output_format}"
    result = run_cli("build", output_format, source, "-o", output)
    assert result.status == 0, result.stderr
    problems = [line for line in result.stderr.splitlines() if "#nowhere" in line]
    assert problems == [f"{source}:12: warning: link to #nowhere, which the document does not "
                        "hold; kept as text"]
    assert output.exists()


def test_a_pdf_whose_render_reports_an_error_is_not_written(
        tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from tei_edition import html

    monkeypatch.setattr(html, "unlink_missing_anchors", lambda *_: None)
    result = run_cli("build", "pdf", FIXTURES / "missing-anchor.xml", "-o", tmp_path / "out.pdf")
    assert result.status == 1
    assert "error: WeasyPrint: No anchor #nowhere" in result.stderr
    assert "the PDF is not written" in result.stderr
    assert not list(tmp_path.iterdir())


def semantic_html(name: str):
    from tei_edition.pipeline import transform

    return transform(FIXTURES / name)


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_parallel_segmentation_has_its_lemma_in_the_text_and_readings_with_sigla() -> None:
    """app/lem/rdg with @wit and listWit: "word" in the text, "A ] voice B C" as its entry,
    each siglum described by its witness; an empty reading is an omission."""
    document = semantic_html("apparatus.xml")
    entries = document.html.find_class("app")
    assert [text(entry.find_class("lem")[0]) for entry in entries[:2]] == ["word", "with"]
    assert [text(entry.find_class("app-readings")[0]) for entry in entries] == [
        "A ] voice B C", "A B ] om. C", "A B", "A ] āϑrōi B C"]
    [first_siglum, *_] = entries[0].find_class("siglum")
    assert first_siglum.get("title") == "Codex A, tenth century"
    # Without a lemma, the first reading stands in the text.
    assert text(entries[3].find_class("base")[0]) == "āϑrō"
    paragraph = entries[0].getparent()
    assert text(paragraph).startswith("In the beginning was the wordA ] voice B C,")
    assert not [d for d in document.diagnostics if d.code == "html-unhandled"]


def test_an_apparatus_inside_a_note_reads_lemma_bracket_readings() -> None:
    """Perseus' notes: <note><app><lem>x</lem></app> y M</note> read "x ] y M" (it read "x y M",
    "loco modo")."""
    document = semantic_html("verse.xml")
    [note] = document.html.find_class("footnote-text")
    assert text(note) == "Laviniaque ] Lavinaque M"


def test_verse_is_set_line_by_line_with_line_numbers() -> None:
    document = semantic_html("verse.xml")
    lines = document.html.find_class("l")
    assert [line.tag for line in lines] == ["div"] * 7
    assert [line.get("data-n") for line in lines] == ["1", "2", "3", "4", "5", "6", "7"]
    assert [text(number) for number in document.html.find_class("line-number")] == ["5"]
    assert text(lines[4]) == "5multa quoque et bello passus, dum conderet urbem"


def test_standoff_and_back_registers_and_bibliographies_are_lists() -> None:
    """A standOff with listBibl (bibl, biblStruct) and listPerson, a back with a listBibl: each
    entry a list item (the standOff rendered as nothing; biblStruct was dropped silently)."""
    document = semantic_html("registers.xml")
    items = {item.get("id"): text(item) for item in document.html.iter("li") if item.get("id")}
    assert items["smith1901"] == "Smith, John. A History of Letters. London, 1901."
    assert items["roe1930"] == "Roe, Richard, A Structured Book, Berlin, 1930."
    assert items["jsmith"] == "John Smith; A historian of letters."
    assert items["jdoe"] == "Jane Doe"
    assert "Brown, Paul. A Third Book. Rome, 1950." in [text(li) for li in
                                                       document.html.find_class("bibl")]
    [link] = [a for a in document.html.iter("a") if text(a) == "Smith"]
    assert link.get("href") == "#jsmith"
    assert not [d for d in document.diagnostics if d.severity.name != "INFO"], \
        document.diagnostics


def test_an_epub_leaves_out_the_metadata_the_header_lacks() -> None:
    """EPUBCheck refuses an empty dc:description, dc:rights or dc:date."""
    from tei_edition.writers.epub import for_pandoc, package_metadata

    document = semantic_html("verse.xml")
    fields = package_metadata(document.metadata)
    assert not [name for name, value in fields.items() if not value]
    assert {"rights", "publisher"}.isdisjoint(fields)
    # a book always has an identifier (a UUID from the header's title when it has no idno) and
    # the date it was made when the header gives none
    assert fields["identifier"][0]["text"].startswith("urn:uuid:") and fields["date"]
    head = for_pandoc(document).find("head")
    assert not [meta for meta in head.iter("meta") if meta.get("content", "x").strip() == ""]


# --- validation messages ----------------------------------------------------------------------

HEADER = """<teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
<publicationStmt><p>P</p></publicationStmt><sourceDesc><p>S</p></sourceDesc></fileDesc>
</teiHeader>"""


def tei_file(folder: Path, name: str, header: str = HEADER, doctype: str = "",
             body: str = "<p>Text.</p>", namespaces: str = "") -> Path:
    path = folder / name
    path.write_text(f'{doctype}<TEI xmlns="http://www.tei-c.org/ns/1.0"{namespaces}>{header}\n'
                    f"<text><body>{body}</body></text></TEI>\n", encoding="utf-8")
    return path


def error_lines(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if ": error: " in line]


def test_errors_after_an_unexpected_element_are_reported_too(tmp_path: Path, run_cli) -> None:
    """libxml2 stops checking an element's content at its first unexpected child; jing goes
    on. An <extent> out of place in the teiHeader hid the bad @id on a <language> after it."""
    header = HEADER.replace("</fileDesc>", '</fileDesc><extent>35 Kb</extent>\n<profileDesc>'
                            '<langUsage><language id="grc">Greek</language></langUsage>'
                            "</profileDesc>")
    path = tei_file(tmp_path, "two-errors.xml", header=header)
    result = run_cli("validate", "--schema", "tei_all", path)
    errors = error_lines(result)
    assert len(errors) == 3, errors
    assert "<extent> is not allowed here (inside <teiHeader>)" in errors[0]
    assert [error.split(": error: ")[1] for error in errors[1:]] == [
        "attribute @id is not allowed on <language>",
        "<language> lacks the attribute @ident it requires"]
    assert all(error.startswith(f"{path}:3:") for error in errors[1:])


def test_the_content_of_an_element_out_of_place_is_checked_too(tmp_path: Path, run_cli) -> None:
    """jing goes on inside an element that may not stand where it does, by its own
    definition: a <change> in the teiHeader holding two elements a change may not hold, the
    first of them incomplete (as jing: four errors)."""
    header = HEADER.replace("</fileDesc>", "</fileDesc>\n<change><respStmt/>\n<item/></change>")
    path = tei_file(tmp_path, "inside.xml", header=header)
    errors = error_lines(run_cli("validate", "--schema", "tei_all", path))
    assert [error.split(": error: ")[1] for error in errors] == [
        "element <change> is not allowed here (inside <teiHeader>)",
        "element <respStmt> is not allowed here (inside <change>)",
        "<respStmt> lacks the <resp> it requires",
        "element <item> is not allowed here (inside <change>)"], errors
    assert [error.split(":")[1] for error in errors] == ["3", "3", "3", "4"]


def test_a_foreign_element_is_named_with_its_prefix(tmp_path: Path, run_cli) -> None:
    header = HEADER.replace("<sourceDesc><p>S</p>", "<sourceDesc><vg:letDesc><p>S</p>"
                            "</vg:letDesc>")
    path = tei_file(tmp_path, "letters.xml", header=header,
                    namespaces=' xmlns:vg="http://www.vangoghletters.org/ns/"')
    [message] = error_lines(run_cli("validate", "--schema", "tei_all", path))
    assert "element <vg:letDesc> is not allowed here (inside <sourceDesc>)" in message


def test_a_tei_p4_file_in_a_folder_is_an_error(tmp_path: Path, run_cli) -> None:
    (tmp_path / "old.xml").write_text("<TEI.2><teiHeader/><text><body><p>P4</p></body></text>"
                                      "</TEI.2>", encoding="utf-8")
    result = run_cli("validate", tmp_path)
    assert result.status == 1
    [message] = error_lines(result)
    assert "old.xml:1: error: <TEI.2> is the root of a TEI P4 document" in message


def test_a_small_internal_entity_is_accepted_and_expanded(tmp_path: Path, run_cli) -> None:
    path = tei_file(tmp_path, "entity.xml", doctype='<!DOCTYPE TEI [<!ENTITY ed "Édition">]>\n',
                    body="<p>An &ed; here.</p>")
    assert run_cli("validate", "--schema", "tei_all", path).status == 0
    from tei_edition.load import load

    assert "An Édition here." in "".join(load(path).getroot().itertext())


def test_an_external_entity_is_still_refused(tmp_path: Path, run_cli) -> None:
    path = tei_file(tmp_path, "external.xml",
                    doctype='<!DOCTYPE TEI [<!ENTITY ed SYSTEM "/etc/hostname">]>\n',
                    body="<p>&ed;</p>")
    result = run_cli("validate", path)
    assert result.status == 1
    assert "refused: the DOCTYPE declares entities read from elsewhere" in result.stdout


def test_a_parser_limit_is_said_without_libxml2s_advice(tmp_path: Path, run_cli) -> None:
    path = tei_file(tmp_path, "deep.xml", body="<p>" + "<hi>" * 300 + "</hi>" * 300 + "</p>")
    result = run_cli("validate", path)
    [message] = error_lines(result)
    assert "XML_PARSE_HUGE" not in message and message == message.strip()
    assert "over the parser's safety limit" in message


# --- BibTeX -----------------------------------------------------------------------------------

BOOK = "@book{{{key},\n  author = {{Smith, John}},\n  title = {{A Book}},\n  year = {{2001}}\n}}\n"


def test_a_key_pandoc_would_refuse_is_an_error(tmp_path: Path, run_cli) -> None:
    """A full-width comma in a key passed validation, and pandoc then refused the whole file."""
    bib = tmp_path / "keys.bib"
    bib.write_text(BOOK.format(key="smith，2001").replace("year", "publisher = {P},\n  year")
                   + BOOK.format(key="müller:2001;a").replace("year", "publisher = {P},\n  year"),
                   encoding="utf-8")
    result = run_cli("validate", bib)
    assert result.status == 1
    [message] = error_lines(result)
    assert message.startswith(f"{bib}:1: error: key 'smith，2001' has '，' (U+FF0C FULLWIDTH "
                              "COMMA), which pandoc refuses")


def test_a_file_that_declares_itself_biblatex_is_checked_as_biblatex(tmp_path: Path,
                                                                      run_cli) -> None:
    """A biblatex @book needs no publisher: no BibTeX-only false alarm for such a file, or
    with --dialect biblatex; a plain BibTeX file still gets it."""
    plain = tmp_path / "plain.bib"
    plain.write_text(BOOK.format(key="smith2001"), encoding="utf-8")
    declared = tmp_path / "declared.bib"
    declared.write_text(BOOK.format(key="smith2001")
                        + "\n@Comment{jabref-meta: databaseType:biblatex;}\n", encoding="utf-8")
    [alarm] = error_lines(run_cli("validate", plain))
    assert "lacks the required field publisher" in alarm
    assert run_cli("validate", declared).status == 0
    assert run_cli("validate", "--dialect", "biblatex", plain).status == 0


def test_entries_inheriting_in_a_circle_are_an_error_before_pandoc_loops(tmp_path: Path,
                                                                        run_cli) -> None:
    """biber's test data has crossref circles; pandoc's citeproc never returned on them
    (killed after ten minutes) where `edition cite` now refuses with the line."""
    bib = tmp_path / "circle.bib"
    bib.write_text(BOOK.format(key="a").replace("year", "crossref = {b},\n  year")
                   + BOOK.format(key="b").replace("year", "crossref = {a},\n  year"),
                   encoding="utf-8")
    result = run_cli("cite", bib)
    assert result.status == 1
    assert f"{bib}:1: error: entries inherit from each other in a circle (a → b → a)" \
        in result.stderr


def test_cite_formats_every_entry_of_any_bib_file(tmp_path: Path, run_cli) -> None:
    bib = tmp_path / "any.bib"
    bib.write_text(BOOK.format(key="smith2001") + BOOK.format(key="doe1999").replace(
        "Smith, John", "Doe, Jane").replace("A Book", "Another Book"), encoding="utf-8")
    result = run_cli("cite", bib)
    assert result.status == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("Doe, Jane. ") and "Another Book" in lines[0]
    assert lines[1].startswith("Smith, John. ")


def test_repeated_warnings_are_said_once_with_their_count() -> None:
    from tei_edition.diagnostics import warning, without_repeats

    glyph = "WeasyPrint: no glyph for U+0361 in Linux Libertine"
    said = without_repeats([warning(glyph, code="pdf-render")] * 12_037
                           + [warning("other", "f.xml", 3)])
    assert [str(d) for d in said] == [f"warning: {glyph} (12,037 times; the first here)",
                                      "f.xml:3: warning: other"]


def test_a_relative_link_is_kept_as_text_with_a_warning(tmp_path: Path, run_cli) -> None:
    """<ref target="EA-A3"> (a file beside the TEI, which no output publishes) made a link
    nowhere; EPUBCheck refused it."""
    source = FIXTURES / "missing-anchor.xml"
    result = run_cli("build", "html", source, "-o", tmp_path / "site")
    assert (f"{source}:15: warning: link to 'other-file.xml', a file the edition does not "
            "publish; kept as text") in result.stderr.splitlines()
    assert "other-file.xml" not in (tmp_path / "site" / "missing-anchor.html").read_text()




# --- fonts --------------------------------------------------------------------------------------

def test_what_libertine_lacks_is_set_in_the_fallback_face(tmp_path: Path, run_cli) -> None:
    """A combining letter of the Diacritical Marks Supplement (U+1DE4, e with a superscript s)
    and a MUFI letter of the corpus's manuscript description (U+E425, T13) printed as empty
    boxes: they are set in the shipped fallback face. A character no shipped face has (U+3008,
    fifty times) still is a box, said in one line with its count, not fifty."""
    combining, medieval, nowhere = "e\u1de4", "\ue425", "\u3008"
    body = (f"<p>Ms. reading {combining} and {medieval}.</p>"
            f"<p>{' '.join([nowhere] * 50)}</p>")
    path = tei_file(tmp_path, "marks.xml", body=body)
    output = tmp_path / "marks.pdf"
    result = run_cli("build", "pdf", path, "-o", output)
    assert result.status == 0, result.stderr
    missing = [line for line in result.stderr.splitlines() if ".notdef" in line]
    assert missing == ["warning: WeasyPrint: .notdef glyph rendered for Unicode string "
                       f'unsupported by fonts: "{nowhere}" (U+3008) (50 times; the first here)']
    fonts = subprocess.run(["pdffonts", output], check=True, capture_output=True,
                           text=True).stdout
    assert "Edition-Fallback" in fonts, fonts
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", output, "-"], check=True,
                          capture_output=True, text=True).stdout
    assert combining in text and medieval in text


def test_the_web_and_the_ebook_carry_the_fallback_face_too(tmp_path: Path, run_cli) -> None:
    """The web edition and the EPUB subset the fallback face to the text, as the other faces,
    and their stylesheets fall back to it after Libertine and Biolinum."""
    import re
    import zipfile

    from fontTools.ttLib import TTFont

    path = tei_file(tmp_path, "marks.xml", body="<p>Ms. reading e\u1de4 and \ue425.</p>")
    assert run_cli("build", "html", path, "-o", tmp_path / "site").status == 0
    assert run_cli("build", "epub", path, "-o", tmp_path / "marks.epub").status == 0
    styles = tmp_path / "site" / "styles"
    with zipfile.ZipFile(tmp_path / "marks.epub") as book:
        [font] = [name for name in book.namelist() if name.endswith("/Fallback_R.otf")]
        book.extract(font, tmp_path / "book")
        [css] = [book.read(name).decode() for name in book.namelist() if name.endswith(".css")]
    for face in (styles / "fonts" / "Fallback_R.woff2", tmp_path / "book" / font):
        assert {0x1DE4, 0xE425} <= set(TTFont(face).getBestCmap()), face
    for stylesheet in ((styles / "edition.css").read_text(encoding="utf-8"), css):
        stacks = re.findall(r"font-family: ([^;}]*)", stylesheet)
        assert '"Edition Fallback"' in stylesheet
        assert all('"Edition Fallback"' in stack for stack in stacks if "Linux" in stack
                   and "," in stack), stacks


def test_a_phrase_the_source_renders_italic_or_bold_is_so_in_every_format() -> None:
    """`<hi rend="italic">` (3,360 in the FRUS monograph) reaches the HTML as `data-rend`: the
    stylesheets of the web, the PDF and the EPUB (each format's own, as its writer lists them)
    set it so, as computed by WeasyPrint."""
    from weasyprint import CSS, HTML

    from tei_edition.writers import epub, pdf, web

    html = ('<p>in the <span data-rend="italic">late</span> autumn, '
            '<span data-rend="strong">signed</span></p>')
    formats = {"web": [CSS(filename=str(ROOT / "styles" / name)) for name in web.STYLESHEETS],
               "pdf": [CSS(filename=str(ROOT / "styles" / name)) for name in pdf.STYLESHEETS],
               "epub": [CSS(string=epub.epub_stylesheet())]}
    for output_format, stylesheets in formats.items():
        page = HTML(string=html).render(stylesheets=stylesheets).pages[0]
        found = {}
        boxes = [page._page_box]
        while boxes:
            box = boxes.pop()
            if getattr(box, "text", None) in ("late", "signed"):
                found[box.text] = (box.style["font_style"], box.style["font_weight"])
            boxes.extend(getattr(box, "children", []))
        assert found == {"late": ("italic", 400), "signed": ("normal", 700)}, output_format


def test_a_list_ending_a_note_is_set_under_the_note_one_item_a_line(tmp_path: Path,
                                                                     run_cli) -> None:
    """A <list> at the end of a <note> (a real sermon's notes, in paragraphs and in verse):
    the PDF writer went on into the note's list when it moved the note to its call, met the
    note again, and failed ("'NoneType' object has no attribute 'replace'"); a list in a
    paragraph is spans, whose items ran together ("einszwei")."""
    sermon = (ROOT / "tests" / "corpus" / "tei" / "T15_tp_sermon_27005.xml").read_text()
    items = "<list><item>eins</item><item>zwei</item></list>"
    source = tmp_path / "sermon.xml"
    source.write_text(sermon.replace("</note>", f"{items}</note>"), encoding="utf-8")
    output = tmp_path / "out.pdf"
    result = run_cli("build", "pdf", source, "-o", output)
    assert result.status == 0, result.stderr
    lines = [line.strip() for line in subprocess.run(
        ["pdftotext", "-layout", output, "-"], capture_output=True, text=True,
        check=True).stdout.splitlines()]
    notes = sermon.count("</note>")
    assert lines.count("• eins") == notes and lines.count("• zwei") == notes
    # the next note follows the list at once, no empty line between
    def a_note(line: str) -> bool:  # not a running head ("2 Predigten 1915")
        return line[:1].isdigit() and "Predigten" not in line

    after = [lines[index + 1:index + 3] for index, line in enumerate(lines) if line == "• zwei"]
    assert any(a_note(following[0]) for following in after)
    assert not any(following[0] == "" and a_note(following[1]) for following in after)


def test_a_pretty_printed_choice_sets_no_space_beside_its_reading(tmp_path: Path) -> None:
    """T12's charter lays out each <choice> a reading a line: that layout is no space of the
    text, which read "detrimentum ." before its full stop in every format."""
    from tei_edition.pipeline import transform

    source = tei_file(tmp_path, "charter.xml", body=(
        "<p>Ne error pariat <choice>\n    <abbr>detrimentu<am/></abbr>\n"
        "    <expan>detrimentu<ex>m</ex></expan>\n  </choice>. Conuenit</p>"))
    [choice] = transform(source).html.find_class("choice")
    assert [choice.text, *(reading.tail for reading in choice)] == [None, None, None]
    reading = "".join(choice.find_class("expan")[0].itertext())
    assert reading + choice.tail == "detrimentum. Conuenit"


def test_the_text_export_reads_verse_lists_front_and_pointers(run_cli) -> None:
    """`edition text --normalised` read only paragraphs, headings and trailers of the body:
    Romeo and Juliet's verse and speakers, a title page, lists and a pointer's address were
    left out with exit 0 (QA review). Every block of the front, body and back is read now, and
    the words the web edition shows are in it."""
    import re
    from collections import Counter

    from tei_edition.pipeline import transform

    corpus = ROOT / "tests" / "corpus" / "tei"
    romeo = run_cli("text", "--normalised", corpus / "T11_tp_F-rom_drama.xml")
    assert romeo.status == 0
    assert "for the weakest goes to the wall" in romeo.stdout
    pointers = run_cli("text", "--normalised", corpus / "T13_am62fol_biblStruct_test27.xml")
    assert "http://" in pointers.stdout
    # the words of the normalised web view, but the apparatus's and the headers' own, are read
    for name, allowed in (("T11_tp_F-rom_drama.xml", 0.03), ("T04_tcp_formosa_test14.xml", 0.01)):
        html = transform(corpus / name).html
        for hidden in html.xpath("//*[contains(concat(' ', @class, ' '), ' only-diplomatic ')]"
                                 " | //main//header | //main//nav"):
            hidden.drop_tree()  # the other view, and the article's heading block (its source)
        shown = Counter(re.findall(r"\w+", html.find(".//main").text_content()))
        read = Counter(re.findall(r"\w+", run_cli("text", "--normalised",
                                                  corpus / name).stdout))
        missing = sum((shown - read).values())
        assert missing <= allowed * sum(shown.values()), (name, (shown - read).most_common(10))
