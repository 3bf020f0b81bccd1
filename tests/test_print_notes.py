"""Lost notes and unidentified references in print (print_notes.py), on the real edition's HTML
before any rendering: the statement printed above each table is made from the table and says
only what it holds."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import lxml.html
import pytest

from conftest import EDITION
from tei_edition.pipeline import transform
from tei_edition.print_apparatus import collect
from tei_edition.print_editors_notes import key_editors_notes
from tei_edition.print_notes import present_lost_notes_and_references
from tei_edition.writers import reading_copy
from tei_edition.writers.pdf import footnotes_at_calls


def expanded(numbers: str) -> set[int]:
    """"1–2, 4–32" → {1, 2, 4, …, 32}."""
    found: set[int] = set()
    for part in numbers.split(","):
        first, _, last = part.strip().partition("–")
        found |= set(range(int(first), int(last or first) + 1))
    return found


@pytest.fixture(scope="module")
def printed() -> lxml.html.HtmlElement:
    html = reading_copy(transform(EDITION / "edition.xml"))
    present_lost_notes_and_references(html, collect(html))
    return html


def test_the_statement_says_what_the_table_holds(printed: lxml.html.HtmlElement) -> None:
    """The numbers it calls unidentified are the table's rows; it names a column ("what the
    article cites them for", "the pages it cites") only where the table has it."""
    statements = printed.find_class("unidentified-note")
    assert len(statements) == 2  # one per article
    for statement in statements:
        text = statement.text_content()
        table = statement.getnext()
        rows = {int(row.find_class("number")[0].text_content())
                for row in table.iterfind(".//tbody/tr")}
        unidentified = re.search(r"numbered ([\d–, ]+) could not be identified", text)
        assert unidentified and expanded(unidentified[1]) == rows
        columns = [cell.text_content() for cell in table.iterfind(".//thead/tr/th")]
        assert ("cites them for" in text) == ("Cited for" in columns)
        assert ("the pages it cites" in text) == ("Pages cited" in columns)


def test_every_reference_the_bibliography_says_a_use_of_has_it_in_the_table(
        printed: lxml.html.HtmlElement) -> None:
    """A row's "Cited for" is the entry's "Cited for …" with or without the pages: nos. 17, 18
    and 25 of the article on Nakhchivan, whose references give no page, read "—" there."""
    nakhchivan = printed.find_class("unidentified-note")[0].getnext()
    cells = {row.find_class("number")[0].text_content(): row.find_class("cited-for")[0]
             .text_content() for row in nakhchivan.iterfind(".//tbody/tr")}
    assert cells["17"] == "B. Shahtakhtinsky’s cables and letters to V. Lenin"
    assert cells["25"] == "the proclamation of the Nakhchivan Soviet Socialist Republic"
    assert "—" not in cells.values()


def test_the_first_lost_notes_call_has_one_note_saying_the_notes_are_lost(
        printed: lxml.html.HtmlElement) -> None:
    """The calls of the Kars article's lost notes stood with nothing at the page foot for
    twenty pages (production review): one note, after the first call of a lost note (1), says
    which notes are lost and where what is known of them is; none for each other call, and
    none in the article on Nakhchivan, whose references are numbers in the text, not notes."""
    [kars] = printed.xpath("//article[@id='treaty-of-kars']")
    [note] = printed.find_class("lost-notes-note")
    assert note.getparent() is not None and note in kars.iter()
    call = note.getprevious()
    assert call.get("data-n") == "1" and note.get("data-marker") == "1"
    # the editors' words, set apart as in an author's note ("[Ed.: …]"), and short: a longer
    # note moved the Kars article's later notes off their calls' pages
    assert " ".join(note.text_content().split()) == (
        "[Ed.: the text of notes 1–2, 4–36 is lost; see the References.]")
    assert note.find_class("editors-lead")
    first = next(link for link in kars.iter("a") if "footnote-ref" in link.get("class", ""))
    assert first is call  # the first call of the article


def test_a_lost_note_with_an_identified_source_leads_to_it(
        printed: lxml.html.HtmlElement) -> None:
    """Notes 33–36 of the article on Kars: their text is lost, their probable source (the
    Treaty of Kars) is in the bibliography; their calls lead to that entry, and no row of the
    table of unidentified numbers holds them."""
    [kars] = printed.xpath("//article[@id='treaty-of-kars']")
    ids = set(kars.xpath(".//@id"))
    rows = {row.get("id") for row in kars.find_class("unidentified")[0].iterfind(".//tbody/tr")}
    statement = kars.find_class("unidentified-note")[0].text_content()
    assert "Notes 33–36 lead to the source the editors identified" in statement
    for number in range(33, 37):
        [call] = kars.xpath(".//a[contains(@class, 'footnote-ref')][@data-n=$n]", n=str(number))
        target = call.get("href").removeprefix("#")
        assert target in ids and target not in rows
        assert "Treaty of Kars" in kars.xpath(".//*[@id=$id]", id=target)[0].text_content()


def test_the_editors_word_in_an_authors_note_is_set_apart(
        printed: lxml.html.HtmlElement) -> None:
    """The source the editors identified for a surviving note follows the author's words in
    brackets, led by an italic "Ed.:", not run on after a dash; the note the editors numbered
    without certainty hangs "[3?]" at the foot and says so in its text, "Number lost; probably
    note 3." (the TEI's `cert`, print_notes.py), its call in the text stays "3"; a text two
    calls share is set once."""
    html = copy.deepcopy(printed)
    footnotes_at_calls(html)
    notes = {note.get("data-n"): note for note in html.xpath(
        "//span[contains(concat(' ', @class, ' '), ' footnote ')]")}
    for number in ("3", "37"):
        author, _, editors = notes[number].text_content().strip().partition(" [Ed.")
        editors = "Ed." + editors
        assert editors.startswith("Ed.:") and editors.endswith("]"), number
        assert "—" not in author[-3:]
        assert notes[number].xpath(".//em[@class='editors-lead']/text()") == ["Ed.:"]
    assert "probable source" in notes["3"].text_content()
    assert notes["3"].get("data-marker") == "[3?]"
    assert notes["3"].text_content().startswith("Number lost; probably note 3. See:")
    assert notes["3"].xpath(".//span[@class='number-in-doubt']")  # set in italic
    # notes 37 and 38 share one text in the witness: set once at the call of 37, hanging
    # "37–38"; the call of 38 stays a link to it
    assert notes["37"].get("data-marker") == "37–38" and "38" not in notes
    assert [call.text_content() for call in html.xpath(
        "//a[@role='doc-noteref'][@href=$note]", note="#" + notes["37"].get("id"))] == ["38"]


def test_what_an_editors_note_cites_is_printed(printed: lxml.html.HtmlElement) -> None:
    """An editors' note that sends the reader to the bibliography names an entry the book
    prints (the Treaty of Moscow, in no article's references, is cited in place instead, in
    the Note on the text, where the editors compare the heights the two articles give)."""
    entries = [re.sub(r"^\[[\d, ]+\]\s*", "", " ".join(item.text_content().split()))
               for listing in printed.find_class("references") for item in listing.iterfind("li")]
    assert any(entry.startswith("Treaty of Kars") for entry in entries)
    sent = re.findall(r"see the bibliography, ([^)]+)\)", printed.text_content())
    assert [title for title in sent if not any(entry.startswith(title) for entry in entries)] == []
    note = printed.get_element_by_id("note-on-the-text")
    assert "Dokumenty vneshney politiki SSSR" in [cite.text_content() for cite in note.iter("cite")]


TARGETED_NOTES = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>
<titleStmt><title>Targets</title></titleStmt><publicationStmt><p>Test</p></publicationStmt>
<sourceDesc><p>Made up.</p></sourceDesc></fileDesc></teiHeader><text><body>
<p>It was signed <anchor xml:id="from"/>at <hi>Gyumri</hi><anchor xml:id="to"/> by
<seg xml:id="parties">two parties</seg> on 2 December 1920.<note type="editorial" n="ed. 1"
target="#from" targetEnd="#to">Not there.</note><note type="editorial" n="ed. 2"
target="#parties">Not they.</note><note type="editorial" n="ed. 3">Not then.</note></p>
</body></text></TEI>"""


def test_an_editors_note_is_keyed_by_its_target_or_else_by_what_it_follows(
        tmp_path: Path) -> None:
    """@target to @targetEnd (anchors here) is the lemma, a lone @target its element's words;
    a note without one is keyed by the word it follows (print_editors_notes.py). The note's
    float goes to the end of its lemma, where the page foot sets it."""
    source = tmp_path / "targets.xml"
    source.write_text(TARGETED_NOTES, encoding="utf-8")
    html = reading_copy(transform(source))
    apparatus = collect(html)
    key_editors_notes(html, apparatus)
    lemmas = [key.find_class("lemma")[0].text for key in html.find_class("note-key")]
    assert lemmas == ["at Gyumri", "two parties", "1920"]
    assert [note.start for note in apparatus.keyed_notes][:2] == ["from", "parties"]
    calls = html.xpath("//a[@data-type='editorial']")
    assert calls[0].getprevious().get("id") == "to"
    assert calls[1].getprevious().get("id") == "parties"
