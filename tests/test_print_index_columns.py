"""The index's columns balanced by the project (print_index_columns.py): the split chosen from
measured entries, and registers set by WeasyPrint with print.css balanced on their last page."""

from __future__ import annotations

import lxml.html
import pytest
import weasyprint

from tei_edition.print_index_columns import (
    SetEntry,
    _set_entries,
    balanced_index,
    second_column_start,
)
from tei_edition.writers import STYLES, column_fill
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


def set_index(html: lxml.html.HtmlElement) -> weasyprint.document.Document:
    stylesheets = [weasyprint.CSS(filename=str(STYLES / name), font_config=SHIPPED_FONTS)
                   for name in STYLESHEETS]
    return weasyprint.HTML(string=lxml.html.tostring(html, encoding="unicode"),
                           base_url=str(STYLES) + "/").render(font_config=SHIPPED_FONTS,
                                                               stylesheets=stylesheets)


def columns_laid_out(monkeypatch: pytest.MonkeyPatch,
                     html: lxml.html.HtmlElement) -> tuple[int, int]:
    """The layouts of column boxes while `html` is set, and the column boxes it keeps."""
    from weasyprint.layout import block

    assert column_fill.install()
    laid_out: list[object] = []
    upstream = block.block_container_layout

    def watched(context: object, box: object, *arguments: object, **options: object) -> tuple:
        if getattr(box, "is_column", False):
            laid_out.append(box)
        return upstream(context, box, *arguments, **options)

    monkeypatch.setattr(block, "block_container_layout", watched)
    pages = set_index(html)
    kept = sum(1 for page in pages.pages for box in page._page_box.descendants()
               if getattr(box, "is_column", False))
    return len(laid_out), kept


def test_each_column_of_the_index_is_laid_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint's trial layout of filled (not balanced) columns is skipped (column_fill.py):
    a column box is laid out once, for the column kept (it was twice and more)."""
    laid_out, kept = columns_laid_out(monkeypatch, index(20, 40, 150))
    assert kept > 4 and laid_out == kept


def test_columns_with_a_float_keep_their_trial(monkeypatch: pytest.MonkeyPatch) -> None:
    """A float (or a footnote) takes room the trial makes for it: those columns keep it."""
    html = index(20, 40, 150)
    html.find_class("register-entry")[3].append(
        lxml.html.fromstring('<span style="float: left">*</span>'))
    laid_out, kept = columns_laid_out(monkeypatch, html)
    assert kept > 4 and laid_out > kept


def test_the_columns_laid_out_once_change_no_byte_of_the_pdf(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.layout import block

    html = index(20, 40, 150)
    balanced_index(lambda: set_index(html), html)  # the column breaks marked
    assert column_fill.install()
    once = set_index(html).write_pdf()
    monkeypatch.setattr(block, "columns_layout", column_fill.UPSTREAM_COLUMNS)
    assert set_index(html).write_pdf() == once


def test_the_one_layout_of_columns_stays_out_of_another_weasyprint() -> None:
    from weasyprint.layout import block

    before = block.columns_layout
    assert not column_fill.install("71.0")
    assert block.columns_layout is before
