"""The page-foot apparatus and its tables as HTML (print_apparatus.py), and the page foot as
WeasyPrint sets it with the book's stylesheets: its series apart, its rule, its notes' indents."""

from __future__ import annotations

import lxml.html
import pytest

from tei_edition.print_apparatus import (
    Apparatus,
    Entry,
    line_list,
    ranges,
    set_page_foot_entries,
)


def entry(place: str, kind: str = "error", name_form: bool = False) -> Entry:
    return Entry(place, "kars", "Sèvres", "Serves", kind, name_form)


def test_an_intervention_in_a_note_is_keyed_to_the_note_and_set_beside_it() -> None:
    """A float is not set inside a float: the entry of a correction in an author's note
    follows the note's own float, keyed "n. 37" (a note's lines are not numbered)."""
    html = lxml.html.fromstring(
        '<div><p>Text<span class="footnote" data-n="37">See <span class="choice" id="a">'
        'Sèvres</span>.</span> goes on.</p></div>')
    apparatus = Apparatus([entry("a")], {"kars": "W"})
    set_page_foot_entries(html, apparatus)
    [note] = html.find_class("app-note")
    assert note.getprevious().get("class") == "footnote"
    assert note.tail == " goes on."
    assert apparatus.unnumbered == {"a": "n. 37"}
    assert note.text_content() == "000 Sèvres]\u2009Serves W"


def test_only_substantive_interventions_go_to_the_page_foot() -> None:
    assert entry("a").kind == "apparatus"
    assert entry("a", "variant").kind == "apparatus"  # a variant that is not a name's form
    assert entry("a", "variant", name_form=True).kind == "regularisation"
    assert entry("a", "extraction").kind == "repair"


def test_line_numbers_are_given_once_consecutive_ones_as_ranges() -> None:
    assert ranges([12, 3, 7, 8, 9, 12]) == "3, 7–9, 12"
    assert ranges([]) == ""


def test_a_tables_line_that_holds_a_form_twice_says_so() -> None:
    """The appendix's lines add up to the places the Note on the text counts: a line with two
    repairs of one form is "174 (2×)", never folded into a range that hides the second."""
    assert line_list([12, 3, 7, 8, 9, 12]) == "3, 7–9, 12 (2×)"
    assert line_list([97, 98, 98, 99]) == "97, 98 (2×), 99"
    assert line_list([5, 5, 5]) == "5 (3×)"
    assert line_list([]) == ""


def test_a_regularisation_in_a_caption_is_cited_cap_in_the_table() -> None:
    """Captions are not lineated: a form regularised in one is cited "cap." under Lines, as
    the page-foot apparatus cites it, beside the lines of the text's occurrences; never an
    empty cell."""
    from tei_edition.lineation import PrintedLine
    from tei_edition.print_apparatus import regularisation_table

    html = lxml.html.fromstring(
        '<div><p><span class="choice" id="text">Yusuf Kemal</span></p>'
        '<figure class="figure"><figcaption><span class="choice" id="caption">Yusuf Kemal'
        '</span></figcaption></figure><section id="tables"></section></div>')
    found = [Entry(place, "kars", "Yusif Kamal", "Yusuf Kemal", "variant", True)
             for place in ("text", "caption")]
    apparatus = Apparatus(found, {"kars": "K"})
    set_page_foot_entries(html, apparatus)
    regularisation_table(html.get_element_by_id("tables"), apparatus, {"kars": "Kars"})
    apparatus.number_lines({"text": PrintedLine("kars", 12, 0, None)})
    [cell] = html.find_class("lines")
    assert cell.text == "12, cap."
    apparatus.number_lines({})
    assert cell.text == "cap."


def test_an_entry_in_a_caption_is_keyed_by_the_line_the_caption_follows() -> None:
    """An article with two captions: "cap." alone would not say which; each entry is keyed by
    the last printed line before its caption ("76 cap."), as the rendering sets it."""
    from tei_edition.lineation import PrintedLine
    from tei_edition.print_apparatus import regularisation_table

    html = lxml.html.fromstring(
        '<div><article id="kars"><p data-block="1">Text</p>'
        '<span class="figure" data-block="2"><span class="choice" id="first">Yusuf Kemal'
        '</span></span><p data-block="3"><span class="choice" id="text">Yusuf Kemal</span></p>'
        '<span class="figure" data-block="4"><span class="choice" id="second">Yusuf Kemal'
        '</span></span></article><section id="tables"></section></div>')
    found = [Entry(place, "kars", "Yusif Kamal", "Yusuf Kemal", "variant", True)
             for place in ("first", "text", "second")]
    apparatus = Apparatus(found, {"kars": "K"})
    set_page_foot_entries(html, apparatus)
    regularisation_table(html.get_element_by_id("tables"), apparatus, {"kars": "Kars"})
    printed = [PrintedLine("kars", number, 0, None, block=block)
               for number, block in ((75, "1"), (76, "1"), (77, "3"), (78, "3"))]
    apparatus.number_lines({"text": printed[2]}, printed)
    [cell] = html.find_class("lines")
    assert cell.text == "77, 76 cap., 78 cap."


def set_page_foot(notes: str) -> object:
    """A page with `notes` in its text, set with the book's stylesheets as the PDF writer sets
    the page foot: the series in order, the rule shortened."""
    import weasyprint

    from conftest import ROOT
    from tei_edition.print_apparatus import apparatus_below_footnotes, shorten_footnote_rules
    from tei_edition.writers.pdf import STYLESHEETS

    styles = [weasyprint.CSS(filename=str(ROOT / "styles" / name)) for name in STYLESHEETS]
    page = f"<html lang='en'><body><main><p>Text{notes} goes on.</p></main></body></html>"
    with apparatus_below_footnotes():
        rendering = weasyprint.HTML(string=page).render(stylesheets=styles)
    shorten_footnote_rules(rendering)
    [area] = [box for box in rendering.pages[0]._page_box.children
              if type(box).__name__ == "FootnoteAreaBox"]
    return area


AUTHORS_NOTE = ('<span class="footnote" data-n="37" data-marker="37">I. Abilov’s conversation '
                'with Yusif Kamal, 26 January 1922, State Archive of the Azerbaijan Republic, '
                'fond 28, inventory 1, file 68, folios 17–20.</span>')
EDITORS_NOTE = ('<span class="footnote editors-note" data-marker="ed. 1">The witness closes this '
                'quotation but does not open it.</span>')
ENTRY = '<span class="app-note"><span class="app-line">12</span> Sèvres]\u2009Serves W</span>'


def test_the_series_at_the_page_foot_are_told_apart_by_a_space_under_a_short_rule() -> None:
    """As reledmac sets them: the author's notes, the editors' notes and the apparatus (a point
    smaller) each a little apart, the page's notes under a rule two fifths of the measure."""
    from tei_edition.print_apparatus import FOOTNOTE_RULE_SHARE, SERIES_SPACE

    area = set_page_foot(AUTHORS_NOTE + EDITORS_NOTE + ENTRY)
    authors, editors, apparatus = area.children
    assert editors.position_y - (authors.position_y + authors.height) == SERIES_SPACE
    assert apparatus.position_y - (editors.position_y + editors.height) == SERIES_SPACE
    assert area.width == pytest.approx(FOOTNOTE_RULE_SHARE * authors.margin_width())
    entry_box = next(box for box in apparatus.descendants() if box.element_tag == "span"
                     and "app-note" in box.element.get("class"))
    sizes = [box.style["font_size"] for box in (authors, editors, entry_box)]
    assert sizes[0] == sizes[1] == pytest.approx(sizes[2] + 4 / 3)  # px: a point smaller
    # one series alone: no space below it
    [alone] = set_page_foot(AUTHORS_NOTE + AUTHORS_NOTE.replace("37", "38")).children[-1:]
    assert alone.margin_bottom == 0


def test_an_authors_note_hangs_its_number() -> None:
    """The text of an author's note, its first line and the lines that run over, aligns after
    its number."""
    [note] = set_page_foot(AUTHORS_NOTE).children
    lines = note.children
    assert len(lines) > 1
    marker, text = lines[0].children[:2]
    assert marker.element_tag.endswith("::footnote-marker")
    assert abs(lines[1].children[0].position_x - text.position_x) < 0.5
