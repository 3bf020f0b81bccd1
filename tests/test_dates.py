"""The dates of the articles as data: as precise as the words that state them, and typed where they
date only a document or a plan, so that the chronology built from them says what the text says."""

from __future__ import annotations

import re

from conftest import ARTICLES, EDITION
from tei_edition import tei
from tei_edition.load import load
from tei_edition.text import reading_text

# Words that name a part of a month ("the end of August", "late May", "mid-September").
PART_OF_A_MONTH = re.compile(r"\b(end|late|mid|early|beginning|middle)\b", re.IGNORECASE)


def text_dates() -> list[tuple[str, str, dict[str, str]]]:
    """Every <date> of the articles' text: (article, words, attributes)."""
    return [(name, reading_text(date), dict(date.attrib))
            for name in ARTICLES
            for date in load(EDITION / f"{name}.xml").getroot().iter(tei("date"))
            if next(date.iterancestors(tei("text")), None) is not None]


def test_a_part_of_a_month_is_a_range_not_the_whole_month() -> None:
    """"the end of August" is 21-31 August, not August: such a date has @notBefore and
    @notAfter within one month, and no @when."""
    parts = [(name, words, attributes) for name, words, attributes in text_dates()
             if PART_OF_A_MONTH.search(words)]
    # Kars: end of August (twice), late May, mid-September, late September, early March
    assert len(parts) == 6
    for name, words, attributes in parts:
        assert "when" not in attributes, (name, words)
        start, end = attributes["notBefore"], attributes["notAfter"]
        assert start[:7] == end[:7] and len(start) == len(end) == 10, (name, words)


def test_dates_of_plans_and_of_references_are_typed() -> None:
    """A date something was planned for is `planned`; a date that only dates a document or is a
    reference point (the territory "as of October 23, 1920", an archival record, the statement of
    1 December 1920 spoken of later; the telegram of 19 December 1920 a letter refers to; the
    Treaty of Moscow "signed on 16 March 1921" as a quotation names it; the Treaty of Kars
    "although it was signed on 13 October 1921", its signing told before) is `reference`: the
    chronology leaves them out (the production review found them printed as events of their
    dates)."""
    typed = {(words, attributes.get("type")) for _, words, attributes in text_dates()
             if attributes.get("type")}
    assert typed == {("mid-September", "planned"), ("early March", "planned"),
                     ("26 September", "planned"),
                     ("October 23, 1920", "reference"), ("26.01.1922", "reference"),
                     ("December 1, 1920", "reference"), ("19 December 1920", "reference"),
                     ("16 March 1921", "reference"), ("13 October 1921", "reference")}
