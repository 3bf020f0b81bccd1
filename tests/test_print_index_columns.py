"""The index's columns balanced by the project (print_index_columns.py): the split chosen from
measured entries, and registers set by WeasyPrint with print.css balanced on their last page."""

from __future__ import annotations

import lxml.html
import weasyprint

from tei_edition.print_index_columns import (
    SetEntry,
    _set_entries,
    balanced_index,
    second_column_start,
)
from tei_edition.writers import STYLES
from tei_edition.writers.pdf import SHIPPED_FONTS, STYLESHEETS


def entries(*heights: float, page: int = 0, column: int = 1, first: int = 0,
            kept: int = 0) -> list[SetEntry]:
    """Entries set with these heights, the last `kept` of them not to begin a column."""
    return [SetEntry(first + number, column, page, height, 2.0, number < len(heights) - kept)
            for number, height in enumerate(heights)]


def test_the_first_column_is_the_shortest_not_shorter_than_the_second() -> None:
    assert second_column_start(entries(10, 10, 10, 10)) == 2
    assert second_column_start(entries(10, 10, 10)) == 2
    assert second_column_start(entries(30, 10, 10)) == 1


def test_no_column_begins_where_the_stylesheet_avoids_a_break() -> None:
    assert second_column_start(entries(10, 10, 10, 10, 10, 10, kept=2)) == 3
    assert second_column_start(entries(10, 10, 10, 10, 10, 10, kept=3)) == 2
    assert second_column_start(entries(10, 10, 10, kept=2)) is None


def test_only_the_last_page_is_balanced_and_a_balanced_page_is_left_as_it_is() -> None:
    filled = entries(10, 10, 10, 10) + entries(10, 10, first=4, column=2)
    assert second_column_start(filled + entries(10, 10, page=1, column=3, first=6)) == 7
    assert second_column_start(entries(10, 10) + entries(10, 10, column=2, first=2)) is None
    assert second_column_start(entries(10)) is None


REGISTER = ('<section class="register"><h3>{title}</h3><ul class="register-entries">{items}</ul>'
            "</section>")


def index(*sizes: int) -> lxml.html.HtmlElement:
    registers = "".join(REGISTER.format(title=f"Register {number}", items="".join(
        f'<li class="register-entry"><span class="headword">Name {entry}</span> '
        f'{", ".join(str(page) for page in range(1, 2 + entry % 9))}</li>'
        for entry in range(size))) for number, size in enumerate(sizes))
    return lxml.html.document_fromstring(
        f'<html><body><main><section class="registers">{registers}</section></main></body>'
        "</html>")


def test_each_register_ends_in_balanced_columns() -> None:
    """Registers of 20 and 40 entries (in one page) and 150 (over pages) end with a first column
    at least as tall as the second, which its last entry would make the taller; a last page
    of entries print.css keeps together is one column."""
    html = index(20, 40, 150)
    stylesheets = [weasyprint.CSS(filename=str(STYLES / name), font_config=SHIPPED_FONTS)
                   for name in STYLESHEETS]
    pages = balanced_index(lambda: weasyprint.HTML(
        string=lxml.html.tostring(html, encoding="unicode"), base_url=str(STYLES) + "/",
    ).render(font_config=SHIPPED_FONTS, stylesheets=stylesheets), html)
    for register in _set_entries(pages):
        last_page = [entry for entry in register if entry.page == register[-1].page]
        columns = sorted({entry.column for entry in last_page})
        if not any(entry.breakable for entry in last_page[1:]):  # print.css keeps them
            assert len(columns) == 1
            continue
        assert len(columns) == 2
        first, second = ([entry for entry in last_page if entry.column == column]
                         for column in columns)
        height = [sum(entry.height for entry in run) - run[-1].margin_bottom
                  for run in (first, second)]
        assert height[1] <= height[0]
        assert height[0] - first[-1].height <= height[1] + first[-1].height + 1e-6


def test_a_register_is_measured_from_a_setting_of_the_registers_up_to_it() -> None:
    """The setting that measures register n holds registers 1 to n alone (the later ones do not
    move it: laying them out there was lost time); the index comes back whole, in its order."""
    html = index(20, 40, 150)
    titles = [heading.text for heading in html.iter("h3")]
    stylesheets = [weasyprint.CSS(filename=str(STYLES / name), font_config=SHIPPED_FONTS)
                   for name in STYLESHEETS]
    set_registers: list[list[str]] = []

    def render() -> weasyprint.document.Document:
        set_registers.append([heading.text for heading in html.iter("h3")])
        return weasyprint.HTML(
            string=lxml.html.tostring(html, encoding="unicode"), base_url=str(STYLES) + "/",
        ).render(font_config=SHIPPED_FONTS, stylesheets=stylesheets)

    pages = balanced_index(render, html)
    assert set_registers[:len(titles)] == [titles[:n] for n in range(1, len(titles) + 1)]
    assert set_registers[len(titles):] in ([], [titles])
    assert [heading.text for heading in html.iter("h3")] == titles
    assert [len(entries) for entries in _set_entries(pages)] == [20, 40, 150]
