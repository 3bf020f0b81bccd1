"""How the real files of the corpus (tests/corpus/tei) read in the HTML every format starts from:
the defects a digital-editions specialist found rendering other people's TEI, each read on the
file that showed it."""

from __future__ import annotations

import functools

from conftest import ROOT

CORPUS = ROOT / "tests" / "corpus" / "tei"


@functools.cache
def corpus_html(name: str):
    """The transform of a corpus file (once per test run: the bigger ones take seconds)."""
    from tei_edition.pipeline import transform

    return transform(CORPUS / name)


def words(text: str) -> str:
    return " ".join(text.split())


def normalised_view(element) -> str:
    """The text the normalised view shows: what only the diplomatic view reads left out (its
    content and not its tail), on one line."""
    parts: list[str] = []

    def read(node) -> None:
        if "only-diplomatic" not in node.get("class", "").split():
            parts.append(node.text or "")
            for child in node:
                read(child)
        parts.append(node.tail or "")

    parts.append(element.text or "")
    for child in element:
        read(child)
    return words("".join(parts))


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
