"""Where a word runs on over a line beginning (`views.word_runs_on`), in the normalised view of
the HTML and in the text export alike: only the line's own words decide, looking back past page
furniture, notes, comments and processing instructions; an explicit `break` wins."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tei_edition.text import normalised_text
from test_html import article_of, tei_file, transform


def view_text(paragraph, hidden: str) -> str:
    """The words of `paragraph` in a view: what only the other view shows left out, and the
    notes' calls (their words are elsewhere)."""
    parts: list[str] = []

    def read(node) -> None:
        classes = node.get("class", "").split()
        if hidden not in classes and "footnote-ref" not in classes:
            parts.append(node.text or "")
            for child in node:
                read(child)
        parts.append(node.tail or "")

    parts.append(paragraph.text or "")
    for child in paragraph:
        read(child)
    return " ".join("".join(parts).split())


CASES = [
    # (1) a note's soft hyphen ends a line of the note, not of the text
    ("one<note>a note\u00ad</note><lb/>word", "one word", "one word"),
    # (2) a space just before the TCP's hyphenInWord: two words
    ('two <lb type="hyphenInWord"/> words', "two words", "two words"),
    # (2b) an older encoding's <lb rend="hyphenated"/> (T13): a word runs on, as hyphenInWord
    ('frag<lb rend="hyphenated"/>mentum', "fragmentum", "fragmentum"),
    ('two <lb rend="hyphenated"/> words', "two words", "two words"),
    # (2c) the space before the break is found past page furniture, notes, comments, into an
    # inline element (QA review: "Twowords", "threemore", "fourfive", "sixseven")
    ('Two <pb n="2"/><lb rend="hyphenated"/>words', "Two words", "Two [p. 2] words"),
    ('<hi>three </hi><lb type="hyphenInWord"/>more', "three more", "three more"),
    ('four <note>n</note><lb rend="hyphenated"/>five', "four five", "four five"),
    ("six <!-- c --><lb rend=\"hyphenated\"/>seven", "six seven", "six seven"),
    ('ei<pb n="2"/><lb rend="hyphenated"/>ght', "eight", "ei[p. 2]ght"),
    # (3) an explicit break="yes" wins over the soft hyphen
    ('wea\u00ad<lb break="yes"/>kest', "wea\u00ad kest", "wea\u00ad kest"),
    # (4) the line's words are found past page beginnings, comments, PIs, into an inline element
    ('wea\u00ad<pb n="2"/><lb/>kest', "weakest", "wea-[p. 2]kest"),
    ("wea\u00ad <!-- c --> <lb/>kest", "weakest", "wea-kest"),
    ("wea\u00ad<?pi x?><lb/>kest", "weakest", "wea-kest"),
    ("wea\u00ad<hi><lb/>kest</hi>", "weakest", "wea-kest"),
    ('wea\u00ad<fw type="catch">kest</fw>\n<pb n="3"/><lb/>kest', "weakest", "wea-kest[p. 3]kest"),
    ("one <hi>big\u00ad</hi> <lb/>word", "one bigword", "one big-word"),
    # (5) break="no" joins across a page beginning and the spaces around it, in HTML as in text
    ('wea <pb n="2"/> <lb break="no"/>kest', "weakest", "wea[p. 2]kest"),
]


@pytest.mark.parametrize(("body", "normalised", "diplomatic"), CASES)
def test_a_word_runs_on_where_its_line_says_so(tmp_path: Path, body: str, normalised: str,
                                               diplomatic: str) -> None:
    paragraph = article_of(transform(tmp_path, f"<p>{body} end</p>")).find(".//section/p")
    assert view_text(paragraph, "only-diplomatic") == f"{normalised} end"
    assert view_text(paragraph, "only-normalised") == f"{diplomatic} end"
    if "\u00ad" not in normalised:
        assert "\u00ad" not in "".join(paragraph.itertext())
    exported = normalised_text(etree.parse(str(tei_file(tmp_path, f"<p>{body} end</p>"))))
    assert exported.split("\n")[0] == f"{normalised} end"
