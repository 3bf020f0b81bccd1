"""The page-foot apparatus and its tables as HTML, before any rendering (print_apparatus.py)."""

from __future__ import annotations

import lxml.html

from tei_edition.print_apparatus import Apparatus, Entry, ranges, set_page_foot_entries


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
