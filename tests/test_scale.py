"""Cost linear in the size of the work, and the outputs unchanged by what made it so.

The speed itself is measured by `scripts/bench --scale` (not a test: a shared machine's timings
are noise); these tests hold what can be held exactly: the outputs are those of the code before
the work (hashes recorded from it in fixtures/scale/outputs.json), the PDF overrides of
writers/page_references.py, writers/footnote_waitlist.py and writers/footnote_measure.py change
no byte and make tagging and pagination linear (the page references computed once, the
footnotes waiting in a list searched in one step, each note set once for the page foot's room),
the cost per
note of the HTML does not grow with the text (CPU time, with a wide margin), and validation on
several cores reports what it reports on one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import os
import re
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

import pydyf
import pytest
from lxml import etree

from conftest import ROOT
from tei_edition import XML_NS, tei
from tei_edition.diagnostics import Severity
from tei_edition.forking import fork_context
from tei_edition.html import Document, add_text, serialize
from tei_edition.load import Loaded
from tei_edition.pipeline import transform
from tei_edition.synthetic import write_text
from tei_edition.validate import validate

FRUS = ROOT / "tests" / "corpus" / "tei" / "T02_frus-history_monograph.xml"
CORPUS = ROOT / "tests" / "corpus" / "tei"
RECORDED = json.loads((ROOT / "tests" / "fixtures" / "scale" / "outputs.json").read_text())
SOURCE_DATE_EPOCH = "1700000000"
XML_ID = f"{{{XML_NS}}}id"
SLICE = {"epigraph", "foreword", "introduction", "chapter-1"}  # the rest: headings only


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def frus_slice(folder: Path) -> Path:
    """The FRUS monograph cut to its front matter, introduction and first chapter (the whole
    book's PDF takes over a minute, too long for the suite); the other chapters and sections
    keep their heading, which links point to."""
    tree = etree.parse(str(FRUS))
    for div in tree.iter(tei("div")):
        whole = div.get("type") == "chapter" or (
            div.get("type") == "section" and div.getparent().tag != tei("div"))
        if whole and div.get(XML_ID) not in SLICE:
            for child in list(div):
                if child.tag != tei("head"):
                    div.remove(child)
    path = folder / "frus-slice.xml"
    tree.write(str(path), encoding="UTF-8", xml_declaration=True)
    return path


def pdf_text(source: Path, output: Path) -> str:
    from tei_edition.cli import main

    assert main(["build", "pdf", str(source), "-o", str(output)]) == 0
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(output), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_the_frus_html_is_what_it_was() -> None:
    """The semantic HTML of the whole FRUS monograph (1,082 notes), byte for byte."""
    assert sha256(serialize(transform(FRUS).html)) == RECORDED["frus-html-sha256"], (
        "the FRUS HTML changed; if on purpose, record the new hash in "
        "tests/fixtures/scale/outputs.json")


def site_files(site: Path, folder: str = "") -> dict[str, bytes]:
    """The files under `site`/`folder` by their path in the site."""
    return {path.relative_to(site).as_posix(): path.read_bytes()
            for path in sorted((site / folder).rglob("*")) if path.is_file()}


def test_the_frus_site_is_what_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The web edition of the whole FRUS monograph: its pages byte for byte (recorded from the
    code before Pagefind ran beside the writing of the styles and fonts), and its search index
    the one Pagefind makes on its own of the finished pages."""
    from tei_edition.cli import main
    from tei_edition.writers.search import pagefind_command

    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    site = tmp_path / "site"
    assert main(["build", "html", str(FRUS), "-o", str(site)]) == 0
    pages = {name: data for name, data in site_files(site).items() if name.endswith(".html")}
    assert sha256(b"\0".join(name.encode() + b"\0" + data
                             for name, data in pages.items())) == RECORDED["frus-site-sha256"], (
        "the FRUS site's pages changed; if on purpose, record the new hash in "
        "tests/fixtures/scale/outputs.json")
    alone = tmp_path / "alone"
    alone.mkdir()
    for name, data in pages.items():
        (alone / name).write_bytes(data)
    subprocess.run(pagefind_command(alone), check=True, capture_output=True)
    index = site_files(site, "pagefind")
    assert index == {name: data for name, data in site_files(alone, "pagefind").items()
                     if name in index}
    assert any(name.startswith("pagefind/fragment/") for name in index)  # not only scripts


def test_an_error_beside_the_search_index_stops_pagefind(tmp_path: Path, run_cli,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind runs while the fonts are written: when their writing fails, it is stopped and
    waited for, and the build leaves no site, no temporary folder."""
    from tei_edition.writers import search, web

    started: list[subprocess.Popen] = []
    popen = subprocess.Popen

    def recorded(*args: Any, **options: Any) -> subprocess.Popen:
        started.append(popen(*args, **options))
        return started[-1]

    def full_disk(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(search.subprocess, "Popen", recorded)
    monkeypatch.setattr(web, "copy_assets", full_disk)
    source = write_text(tmp_path / "text", 10)
    assert run_cli("build", "html", source, "-o", tmp_path / "site").status == 1
    assert started and all(process.returncode is not None for process in started)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["text"]


def test_the_frus_pdf_text_is_what_it_was(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    text = pdf_text(frus_slice(tmp_path), tmp_path / "frus-slice.pdf")
    assert sha256(text.encode()) == RECORDED["frus-slice-pdf-text-sha256"], (
        "the text of the FRUS slice's PDF changed; if on purpose, record the new hash in "
        "tests/fixtures/scale/outputs.json")


# -- the PDF: tagging linear in the pages ----------------------------------------------------

def tagged_pdf(paragraphs: int) -> bytes:
    import weasyprint

    html = "".join(f"<h2>Part {n}</h2><p>Paragraph {n}, <a href='#p{n}'>a link</a>.</p>"
                   f"<p id='p{n}' style='break-after: page'>The end of part {n}.</p>"
                   for n in range(paragraphs))
    document = weasyprint.HTML(string=f"<html lang='en'><body>{html}</body></html>")
    return document.write_pdf(pdf_tags=True)


def test_tagging_computes_the_page_references_once_per_document(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from tei_edition.writers import page_references, pdf  # noqa: F401  (installs the override)

    computed = []
    upstream = page_references.UPSTREAM

    def counted(self: pydyf.PDF) -> tuple[bytes, ...]:
        computed.append(len(self.pages["Kids"]))
        return upstream.fget(self)

    monkeypatch.setattr(page_references, "UPSTREAM", property(counted))
    tagged_pdf(40)  # 40 pages, hundreds of tagged elements each asking for their page
    assert 1 <= len(computed) <= 2  # upstream: once per tagged element, hundreds


def test_the_override_changes_no_byte_of_the_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    from tei_edition.writers import page_references

    assert page_references.install()
    remembered = tagged_pdf(5)
    monkeypatch.setattr(pydyf.PDF, "page_references", page_references.UPSTREAM)
    assert tagged_pdf(5) == remembered


def test_the_override_stays_out_of_another_pydyf() -> None:
    from tei_edition.writers import page_references

    before = pydyf.PDF.page_references
    assert not page_references.install("0.14.0")
    assert pydyf.PDF.page_references is before


# -- the PDF: pagination linear in the footnotes --------------------------------------------

def footnoted_pdf(notes: int) -> bytes:
    """A text of `notes` footnotes, more than a page holds: some are carried to the next page
    (taken off the waitlist and put back on it)."""
    import weasyprint

    text = "".join(f"<p>Sentence {n}<span class='fn'>Note {n}, "
                   f"{'a longer note that runs on ' * (n % 7)}at the foot.</span> goes on.</p>"
                   for n in range(notes))
    style = ("@page { size: A6 } .fn { float: footnote } "
             "::footnote-call { content: counter(footnote) }")
    return weasyprint.HTML(string=f"<html lang='en'><style>{style}</style><body>{text}"
                                  "</body></html>").write_pdf()


class Compared:
    """An item that counts how often a list compares it with what is looked for."""

    comparisons = 0

    def __eq__(self, other: object) -> bool:
        Compared.comparisons += 1
        return self is other

    __hash__ = object.__hash__


def test_the_footnote_waitlist_is_searched_without_going_through_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint 70 asks its list of the footnotes still to place whether it holds each box it
    sets; a list goes through all of it for a box without a footnote (n² for a book)."""
    from tei_edition.writers.footnote_waitlist import Waitlist

    monkeypatch.setattr(Compared, "comparisons", 0)
    items = [Compared() for _ in range(1000)]
    waitlist = Waitlist(items)
    assert None not in waitlist and Compared() not in waitlist
    assert Compared.comparisons == 0
    assert None not in list(items) and Compared.comparisons == 1000  # what a list costs
    first, moved = items[0], items[500]
    waitlist.remove(first)
    waitlist.remove(moved)
    assert first not in waitlist and moved not in waitlist
    waitlist.append(moved)
    assert moved in waitlist
    copied = waitlist.copy()
    assert first not in copied and moved in copied and items[1] in copied
    assert list(copied) == [*items[1:500], *items[501:], moved] and isinstance(copied, Waitlist)


def test_pagination_waits_footnotes_in_the_waitlist(monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.layout import LayoutContext

    from tei_edition.writers import pdf  # noqa: F401  (installs the override)
    from tei_edition.writers.footnote_waitlist import Waitlist

    kinds: list[type] = []
    upstream = LayoutContext.layout_footnote

    def watched(context: LayoutContext, footnote: object) -> object:
        kinds.append(type(context.footnotes))
        return upstream(context, footnote)

    monkeypatch.setattr(LayoutContext, "layout_footnote", watched)
    footnoted_pdf(30)
    assert len(kinds) >= 30 and set(kinds) == {Waitlist}


def test_the_footnote_waitlist_changes_no_byte_of_the_pdf(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.layout import LayoutContext

    from tei_edition.writers import footnote_waitlist

    assert footnote_waitlist.install()
    waited = footnoted_pdf(60)
    monkeypatch.setattr(LayoutContext, "__init__", footnote_waitlist.UPSTREAM_INIT)
    assert footnoted_pdf(60) == waited


def test_the_footnote_waitlist_stays_out_of_another_weasyprint() -> None:
    from weasyprint.layout import LayoutContext

    from tei_edition.writers import footnote_waitlist

    before = LayoutContext.__init__
    assert not footnote_waitlist.install("71.0")
    assert LayoutContext.__init__ is before


# -- the PDF: each note set once for the page foot's room -----------------------------------

def page_foot_html(notes: int, citing: bool = False, floating: bool = False) -> str:
    """A text of `notes` footnotes of many lines, margins, paddings and borders, with run-on
    notes among them and, `citing`, notes citing a page ("see p. N", which WeasyPrint fills in
    as it sets the pages, setting them again) and, `floating`, notes holding a float taller
    than themselves, on pages whose versos are narrower than their rectos (the foot set at two
    widths), more than a page holds (notes carried over)."""
    def note(n: int) -> str:
        kind = "run-on" if n % 5 == 0 else "fn"
        see = f" <a href='#s{(n * 7) % notes}'>see</a>" if citing and n % 7 == 3 else ""
        afloat = "<b class='afloat'></b>" if floating and n % 7 == 4 else ""
        return (f"<span class='{kind}'>{afloat}Note {n},{see} "
                f"{'a longer note that runs on ' * (n % 4)}at the foot.</span>")

    text = "".join(f"<p id='s{n}'>Sentence {n} goes on{note(n)} and on to its end.</p>"
                   for n in range(notes))
    style = ("@page { size: A5; margin: 12mm } @page :left { margin-left: 22mm } "
             ".fn { float: footnote; margin: 1mm 0 2.5mm; padding: 0.5mm 0 1mm;"
             " border-bottom: 0.4pt solid } "
             ".fn::footnote-marker { display: inline-block; min-width: 2em } "
             ".run-on { float: footnote; footnote-display: inline } "
             "a::after { content: ' p. ' target-counter(attr(href url), page) } "
             ".afloat { float: left; width: 4mm; height: 12mm; background: gray } "
             "::footnote-call { content: counter(footnote) }")
    return f"<html lang='en'><style>{style}</style><body>{text}</body></html>"


def page_foot_pdf(notes: int, citing: bool = False, floating: bool = False) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=page_foot_html(notes, citing, floating)).write_pdf()


def settings(monkeypatch: pytest.MonkeyPatch, module: object, function: str, kind: str) -> int:
    """How many times WeasyPrint's layout `function` of `module` sets a note of class `kind`
    (with its content: not a stand-in) for the page_foot_pdf of 120 notes."""
    count = 0
    upstream = getattr(module, function)

    def counted(context: object, box: Any, *arguments: object, **options: object) -> object:
        nonlocal count
        count += bool(box.children) and box.element is not None and (
            box.element.get("class") == kind)
        return upstream(context, box, *arguments, **options)

    monkeypatch.setattr(module, function, counted)
    page_foot_pdf(120)
    return count


def note_settings(monkeypatch: pytest.MonkeyPatch) -> int:
    from weasyprint.layout import block

    return settings(monkeypatch, block, "block_container_layout", "fn")


def run_on_settings(monkeypatch: pytest.MonkeyPatch) -> int:
    from weasyprint.layout import inline

    return settings(monkeypatch, inline, "split_inline_box", "run-on")


def test_the_page_foot_sets_each_note_once_where_weasyprint_sets_it_for_every_note_after(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.layout import LayoutContext

    from tei_edition.writers import footnote_measure

    assert footnote_measure.install()
    measured = note_settings(monkeypatch)
    monkeypatch.setattr(LayoutContext, "_update_footnote_area", footnote_measure.UPSTREAM_UPDATE)
    upstream = note_settings(monkeypatch)
    # 96 block notes, some 15 a page: each set once to measure it and once for the page drawn,
    # twice over (WeasyPrint sets each page twice for its counters), and again where a note is
    # carried over to a page of another width; WeasyPrint sets a page's first note once for
    # every note the page gains (1,278 settings).
    assert measured <= 96 * 5 and upstream > 3 * measured


def test_the_page_foot_sets_a_run_of_inline_notes_again_only_when_it_changes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The run-on notes (the apparatus's paragraph) are set as one paragraph: stood in for
    while no note joins or leaves the run, as the block notes around them are added."""
    from weasyprint.layout import LayoutContext

    from tei_edition.writers import footnote_measure

    assert footnote_measure.install()
    measured = run_on_settings(monkeypatch)
    monkeypatch.setattr(LayoutContext, "_update_footnote_area", footnote_measure.UPSTREAM_UPDATE)
    assert 2 * measured < run_on_settings(monkeypatch)  # 154 against 429


@pytest.mark.parametrize("holding", ["a", "b"])
def test_a_note_that_may_change_or_reach_beyond_its_height_is_never_stood_in_for(
        holding: str) -> None:
    """"see p. 9" (`a`) may become "see p. 10" as WeasyPrint sets the pages, and take another
    line; a float (`b`) may reach into the next note: such a note is set each time; the others
    are measured."""
    import weasyprint
    from weasyprint.formatting_structure import boxes

    from tei_edition.writers import footnote_measure

    assert footnote_measure.install()
    html = page_foot_html(120, citing=holding == "a", floating=holding == "b")
    rendering = weasyprint.HTML(string=html).render()
    placed = [note for page in rendering.pages for area in page._page_box.children
              if isinstance(area, boxes.FootnoteAreaBox) for note in area.children]
    holders = [note for note in placed if note.element is not None and note.element.find(holding)
               is not None]
    assert holders and not any(hasattr(note, footnote_measure.MEASURE) for note in holders)
    # measured: the others (after a float, only those above it on the page)
    assert sum(hasattr(note, footnote_measure.MEASURE) for note in placed) > len(placed) / 4


def test_the_page_foot_measured_once_a_note_changes_no_byte_of_the_pdf(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.layout import LayoutContext

    from tei_edition.writers import footnote_measure

    assert footnote_measure.install()
    measured = page_foot_pdf(120, citing=True, floating=True)
    monkeypatch.setattr(LayoutContext, "_update_footnote_area", footnote_measure.UPSTREAM_UPDATE)
    assert page_foot_pdf(120, citing=True, floating=True) == measured


def run_on_html(notes: int, joined: bool) -> str:
    """A text of `notes` run-on notes and no other (an apparatus alone in the page foot), some
    long, hyphenated; `joined`: each note's text runs on from the one before, without a space
    or a marker (a word across two notes, broken by hyphenation), some notes of one word."""
    def note(n: int) -> str:
        words = "Donaudampfschifffahrtsgesellschaftskapitän " * (n % 3) + f"Eintrag {n}. "
        return words.strip() if joined and n % 4 else words
    text = "".join("<p>" + "".join(f"Wort {n}<span class=ro>{note(n)}</span> "
                                   for n in range(first, first + 6)) + "</p>"
                   for first in range(0, notes, 6))
    style = ("@page { size: A5; margin: 10mm } @page :left { margin-left: 18mm } "
             ".ro { float: footnote; footnote-display: inline; hyphens: auto } "
             ".ro::footnote-marker { content: " + ("none" if joined else "counter(footnote)")
             + " } ::footnote-call { content: counter(footnote) }")
    return f"<html lang='de'><style>{style}</style><body>{text}</body></html>"


@pytest.mark.parametrize("joined", [False, True], ids=["spaced", "joined"])
def test_a_page_foot_of_run_on_notes_alone_keeps_its_lines_and_no_byte_changes(
        joined: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """The run-on notes alone in the page foot are the area's own paragraph: WeasyPrint sets
    it whole again for each note the page gains; the lines before its last word break are
    kept from its setting before. The same PDF, and a fraction of the lines set."""
    import weasyprint
    from weasyprint.layout import block, inline

    from tei_edition.writers import footnote_measure

    assert footnote_measure.install()
    lines = 0
    upstream = inline.get_next_linebox

    def counted(*arguments: object, **options: object) -> object:
        nonlocal lines
        lines += 1
        return upstream(*arguments, **options)

    monkeypatch.setattr(inline, "get_next_linebox", counted)
    html = run_on_html(150, joined)
    kept = weasyprint.HTML(string=html).write_pdf()
    lines_kept, lines = lines, 0
    monkeypatch.setattr(block, "iter_line_boxes", footnote_measure.UPSTREAM_ITER_LINE_BOXES)
    assert weasyprint.HTML(string=html).write_pdf() == kept
    assert 4 * lines_kept < lines  # 572 against 2,914 lines (joined: 482 against 2,728)


PAGE_FOOT_CASES = sorted((ROOT / "tests" / "fixtures" / "page-foot").glob("*.html"))


@pytest.mark.parametrize("case", PAGE_FOOT_CASES, ids=[case.stem for case in PAGE_FOOT_CASES])
def test_a_note_acting_beyond_its_height_is_set_as_weasyprint_sets_it(
        case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A QA review's pages on which stand-ins once changed the PDF: a margin collapsing through
    a note's top or foot, a float or a running element in a note, a forced break in one, a
    run of inline notes carried to a page whose page foot has another line height, a note
    called in a note."""
    import weasyprint
    from weasyprint.layout import LayoutContext

    from tei_edition.writers import footnote_measure

    assert footnote_measure.install()
    measured = weasyprint.HTML(string=case.read_text()).write_pdf()
    monkeypatch.setattr(LayoutContext, "_update_footnote_area", footnote_measure.UPSTREAM_UPDATE)
    assert weasyprint.HTML(string=case.read_text()).write_pdf() == measured


def test_the_page_foot_measure_stays_out_of_another_weasyprint() -> None:
    from weasyprint.layout import LayoutContext

    from tei_edition.writers import footnote_measure

    before = LayoutContext._update_footnote_area
    assert not footnote_measure.install("71.0")
    assert LayoutContext._update_footnote_area is before


# -- the PDF: each id of a page looked up in one step ------------------------------------------

def identified_pdf(pages: int) -> bytes:
    """Pages of 60 ids each (an article's lines, notes and calls), some cited by page."""
    import weasyprint

    body = "".join(f"<div class='p'>{''.join(f'<span id=a{p}-{k}>w </span>' for k in range(60))}"
                   f"<a href='#a{(p * 7) % pages}-0'>see</a></div>" for p in range(pages))
    style = (".p + .p { break-before: page } "
             "a::after { content: ' p. ' target-counter(attr(href url), page) }")
    return weasyprint.HTML(string=f"<html lang='en'><style>{style}</style><body>{body}"
                                  "</body></html>").write_pdf()


def test_the_ids_of_the_pages_before_are_looked_up_without_going_through_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint 70 asks, for each id of a page, whether a list of all the ids of the pages
    before holds it: n² for a document of n ids."""
    from tei_edition.writers.anchor_lookup import Listed

    monkeypatch.setattr(Compared, "comparisons", 0)
    items = [Compared() for _ in range(1000)]
    listed = Listed()
    listed.extend(items[:500])
    for item in items[500:]:
        listed.append(item)
    assert Compared() not in listed and items[999] in listed and items[0] in listed
    assert Compared.comparisons == 0
    assert list(listed) == items
    with pytest.raises(TypeError):
        listed.remove(items[0])


def test_the_listed_ids_change_no_byte_of_the_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.layout import page

    from tei_edition.writers import anchor_lookup

    assert anchor_lookup.install() and page.make_page is not anchor_lookup.UPSTREAM_MAKE_PAGE
    listed = identified_pdf(40)
    monkeypatch.setattr(page, "make_page", anchor_lookup.UPSTREAM_MAKE_PAGE)
    assert identified_pdf(40) == listed


def test_the_listed_ids_stay_out_of_another_weasyprint_or_another_make_page(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.layout import page

    from tei_edition.writers import anchor_lookup

    before = page.make_page
    assert not anchor_lookup.install("71.0")

    def another_make_page() -> list[str]:
        cached_anchors: list[str] = []
        return cached_anchors

    monkeypatch.setattr(anchor_lookup, "UPSTREAM_MAKE_PAGE", another_make_page)
    assert anchor_lookup.make_page_with_listed_ids() is None
    assert not anchor_lookup.install() and page.make_page is before


# -- the PDF: memory of one layout at a time ------------------------------------------------

def fault_each_setting(monkeypatch: pytest.MonkeyPatch, reshape: bool) -> list[str]:
    """The PDF writer watched: at each setting of the articles or of the blocks mended another
    word of the same line (the first of the first rendering) is made a fault, so that its
    block is mended until the settings run out; with `reshape`, every mended block is taken
    to have changed its lines' shapes, so that its article is set whole again. The names
    of the renderings set, in order."""
    from tei_edition.print_composition import Fault
    from tei_edition.writers import pdf

    set_in_order: list[str] = []
    upstream = pdf.render
    upstream_faults = pdf.faults
    upstream_shapes = pdf.line_shapes

    def watched(html: object, fetcher: object, rendering: dict[str, object],
                what: str) -> object:
        if what != "the imprint alone":  # the front matter's measure, no setting of the text
            set_in_order.append(what)
        return upstream(html, fetcher, rendering, what)

    made: list[int] = []  # the settings a fault was made at
    target: list[str] = []  # the block that gets them

    def a_new_fault_each_setting(lines: list[object], *args: object) -> list[Fault]:
        found = upstream_faults(lines, *args)
        setting = set_in_order.count("the blocks mended")
        if set_in_order[-1] in ("the book", "the index") or setting in made:
            return found  # the book's own faults, reported; one made a setting
        target[:] = target or [next(line.block for line in lines
                                    if len(re.findall(r"\w{4,}", line.text)) > 3)]
        first = next((line for line in lines if line.block == target[0]), None)
        if first is not None:
            word = re.findall(r"\w{4,}", first.text)[setting]
            found.append(Fault(first.block, word, 0, "run", first.page))
            made.append(setting)
        return found

    def shapes_changed(rendering: object) -> dict[str, list[tuple[object, ...]]]:
        return {block: [(len(set_in_order), *shape) for shape in shapes]
                for block, shapes in upstream_shapes(rendering).items()}

    monkeypatch.setattr(pdf, "render", watched)
    monkeypatch.setattr(pdf, "faults", a_new_fault_each_setting)
    if reshape:
        monkeypatch.setattr(pdf, "line_shapes", shapes_changed)
    return set_in_order


def test_each_lineation_rendering_is_freed_before_the_next_is_set(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lineation's renderings (the articles, the blocks mended, the articles mended) were
    held, their line boxes referring to each other in cycles and kept by the printed lines,
    while the next was set, the first one even while the book was set: a 1,000-page PDF
    peaked at 3.0 GB, then 3.9 GB. Every mended block is taken to change its lines, so that
    all three kinds of rendering are set."""
    import weakref

    from weasyprint.formatting_structure.boxes import LineBox

    from tei_edition.cli import main
    from tei_edition.writers import pdf

    set_in_order = fault_each_setting(monkeypatch, reshape=True)
    renderings: list[tuple[str, list[weakref.ref]]] = []  # each one's line boxes, weakly
    alive_when_set: list[int] = []  # of the lineation's, when each later rendering is set
    upstream = pdf.render

    def watched(html: object, fetcher: object, rendering: dict[str, object],
                what: str) -> object:
        alive_when_set.append(sum(box() is not None for done, boxes in renderings
                                  if done not in ("the book", "the index") for box in boxes))
        made = upstream(html, fetcher, rendering, what)
        renderings.append((what, [weakref.ref(box) for page in made.pages
                                  for box in page._page_box.descendants()
                                  if isinstance(box, LineBox)]))
        return made

    monkeypatch.setattr(pdf, "render", watched)
    source = write_text(tmp_path, 30)
    assert main(["build", "pdf", str(source), "-o", str(tmp_path / "book.pdf")]) == 0
    assert set_in_order[:6] == ["the articles", "the blocks mended", "the articles mended",
                                "the blocks mended", "the articles mended", "the blocks mended"]
    assert all(boxes for _, boxes in renderings), "a rendering set no line"
    assert alive_when_set == [0] * len(renderings), "a lineation's layout lives beside the next"


def test_articles_whose_mended_blocks_keep_their_lines_are_not_set_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A mended block whose lines keep their number, heights and note calls moves no page
    break: its article is not set whole again (1.3 s of the edition's build), its faults are
    read from the lines it had, and the book is the same byte for byte as when every mended
    article is set again."""
    from tei_edition.cli import main

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    source = write_text(tmp_path, 30)
    books = []
    for reshape in (False, True):
        with monkeypatch.context() as patch:
            set_in_order = fault_each_setting(patch, reshape)
            book = tmp_path / f"book-{reshape}.pdf"
            assert main(["build", "pdf", str(source), "-o", str(book)]) == 0
        books.append(book.read_bytes())
        assert set_in_order[0] == "the articles"
        assert ("the articles mended" in set_in_order) is reshape
        assert set_in_order.count("the blocks mended") == 3
    assert books[0] == books[1]


# -- the EPUB: pandoc reads the book in parts ------------------------------------------------

def epub_files(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_epub_read_in_parts_is_the_epub_read_at_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pandoc read the whole book at once (1.3 GB for a 3 MB TEI's HTML); in parts, each
    top-level block a part here, the EPUB is the same byte for byte: every note where it was
    called, every heading without an id given the identifier of one reading (all the sections
    are headed "Section": "section", "section-1"…), and pandoc's heap still compacted and
    collected at 1.3 times its live data."""
    from tei_edition.cli import main
    from tei_edition.writers import pandoc_parts

    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    source = write_text(tmp_path, 450)
    source.write_text(re.sub(r"<head>Section \d+</head>", "<head>Section</head>",
                             source.read_text(encoding="utf-8")), encoding="utf-8")
    commands: list[list[str]] = []
    part_files: list[list[str]] = []  # of each pandoc run, from its input
    run = subprocess.run

    def keeping_the_command(command: list[str], **options: object) -> object:
        if str(pandoc_parts.READER) in command:
            commands.append(command)
            [manifest] = [arg for arg in command if arg.endswith("parts.txt")]
            part_files.append(Path(manifest).read_text(encoding="utf-8").split())
        return run(command, **options)

    monkeypatch.setattr(pandoc_parts.subprocess, "run", keeping_the_command)
    books = {}
    for part_bytes in (10**9, 1):
        monkeypatch.setattr(pandoc_parts, "PART_BYTES", part_bytes)
        books[part_bytes] = tmp_path / f"parts-of-{part_bytes}.epub"
        assert main(["build", "epub", str(source), "-o", str(books[part_bytes])]) == 0
    [whole, parts] = part_files
    assert len(whole) == 1 and len(parts) > 5
    at_once, in_parts = epub_files(books[10**9]), epub_files(books[1])
    assert in_parts == at_once
    chapters = b"".join(at_once.values())
    assert chapters.count(b"Minutes of the session") == 450 and b'id="section-4"' in chapters
    assert all(command[-4:] == ["+RTS", "-c", "-F1.3", "-RTS"] for command in commands)


def test_a_long_article_is_cut_into_files_by_its_sections_each_with_its_notes(
        tmp_path: Path) -> None:
    """pandoc made an article one chapter file with all its notes (a 3 MB TEI: 7 MB of XHTML,
    13,000 notes, written whole in pandoc's memory). An article longer than LONGEST_CHAPTER
    (600 notes, about 450 kB of HTML) is cut at its sections: a file per section of 100
    notes, each ending with its own notes, numbered as the TEI numbers them."""
    from tei_edition.cli import main

    source = write_text(tmp_path, 600)
    book = tmp_path / "book.epub"
    assert main(["build", "epub", str(source), "-o", str(book)]) == 0
    sections = {}
    for name, content in epub_files(book).items():
        text = content.decode("utf-8", "replace")
        heading = re.search(r"<h3[^>]*>Section (\d+)</h3>", text)
        if name.startswith("EPUB/text/") and heading:
            sections[int(heading.group(1))] = text
    assert sorted(sections) == [1, 101, 201, 301, 401, 501]
    for first, text in sections.items():
        assert len(re.findall(r"<h3[^>]*>Section", text)) == 1
        labels = re.findall(r'<aside[^>]*epub:type="footnote"[^>]*><a[^>]*>(\d+)</a>', text)
        assert labels == [str(number) for number in range(first, first + 100)]


def test_an_article_of_the_editions_length_stays_one_chapter(tmp_path: Path) -> None:
    """The edition's articles (130 and 160 kB of HTML) stay a file each: pandoc is told to
    cut at the articles alone while none is longer than LONGEST_CHAPTER."""
    from tei_edition.writers import epub

    short = epub.for_pandoc(transform(write_text(tmp_path / "short", 200)))
    long = epub.for_pandoc(transform(write_text(tmp_path / "long", 600)))
    assert (epub.chapter_level(short), epub.chapter_level(long)) == (2, 3)


class MallocInfo(ctypes.Structure):
    """glibc's struct mallinfo2."""

    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


def c_heap_in_use() -> int:
    """The bytes glibc's malloc has handed out and not had back (lxml's trees live there):
    unlike the resident size, it falls as soon as a tree is freed."""
    library = ctypes.util.find_library("c")
    mallinfo2 = getattr(ctypes.CDLL(library), "mallinfo2", None) if library else None
    if mallinfo2 is None:
        pytest.skip("no glibc mallinfo2 here")
    mallinfo2.restype = MallocInfo
    info = mallinfo2()
    return info.uordblks + info.hblkhd


def test_the_epub_writer_lets_go_of_the_book_before_pandoc_runs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pandoc's memory comes on top of the Python that starts it: the build of a 3 MB TEI
    peaked at 830 MB, 190 MB of it Python's while pandoc ran, holding the document. Now
    the writer takes the document and has let go of it, and of its own copy, when pandoc
    starts: of the C heap the document filled, less than a quarter is still in use."""
    from tei_edition import pipeline
    from tei_edition.cli import main
    from tei_edition.writers import pandoc_parts

    source = write_text(tmp_path, 1000)
    in_use: dict[str, int] = {}
    upstream_transform, upstream_pandoc = pipeline.transform, pandoc_parts.run_pandoc

    def measured_transform(path: Path, loaded: Loaded | None = None) -> Document:
        in_use["before the document"] = c_heap_in_use()
        document = upstream_transform(path, loaded)
        in_use["with the document"] = c_heap_in_use()
        return document

    def measured_pandoc(*args: Any) -> None:
        in_use["when pandoc starts"] = c_heap_in_use()
        upstream_pandoc(*args)

    monkeypatch.setattr(pipeline, "transform", measured_transform)
    monkeypatch.setattr(pandoc_parts, "run_pandoc", measured_pandoc)
    assert main(["build", "epub", str(source), "-o", str(tmp_path / "book.epub")]) == 0
    document = in_use["with the document"] - in_use["before the document"]
    left = in_use["when pandoc starts"] - in_use["before the document"]
    assert document > 8 * 2**20
    assert left < document / 4


# -- the HTML: cost per note constant ------------------------------------------------------

def cpu_per_note(folder: Path, notes: int, witness_lines: bool) -> float:
    source = write_text(folder / str(notes), notes, witness_lines)
    best = float("inf")
    for _ in range(2):
        started = time.process_time()
        transform(source)
        best = min(best, time.process_time() - started)
    return best / notes


@pytest.mark.parametrize("witness_lines", [True, False], ids=["lines", "no-lines"])
def test_the_html_costs_the_same_per_note_at_eight_times_the_notes(
        tmp_path: Path, witness_lines: bool) -> None:
    """Before, each intervention looked for its line among all the lines before it, and each
    note of a text without witness lines numbered its anchor from 1 past all the others: 4,000
    notes cost 4 to 20 times per note what 500 did (CPU time)."""
    small = cpu_per_note(tmp_path, 500, witness_lines)
    large = cpu_per_note(tmp_path, 4000, witness_lines)
    assert large < 2 * small


def test_text_runs_on_after_many_children_at_the_same_cost_per_child() -> None:
    """The text after the last child was found by counting the children: a list run on with
    "; " (the apparatus's 10,000 repairs of a text of 100,000 notes, a name's occurrences in
    the index) cost n² — 35 times as much per entry at 8 times the entries (CPU time)."""
    def cost_per_entry(entries: int) -> float:
        parent = etree.Element("p")
        started = time.process_time()
        for _ in range(entries):
            etree.SubElement(parent, "span")
            add_text(parent, "; ")
        assert parent[0].tail == "; " and parent[-1].tail == "; "
        return (time.process_time() - started) / entries

    small = min(cost_per_entry(2_000) for _ in range(3))
    large = min(cost_per_entry(16_000) for _ in range(2))
    assert large < 3 * small


def test_the_synthetic_text_is_valid_tei_and_fully_rendered(tmp_path: Path) -> None:
    """The bench's texts measure the real work, not error paths."""
    source = write_text(tmp_path, 300)
    assert validate([source], "tei_all", progress=False).diagnostics == []
    document = transform(source)
    assert [d for d in document.diagnostics if d.severity is not Severity.INFO] == []
    assert len(document.html.find_class("footnote")) == 300
    assert len(document.html.find_class("app-entry")) == 60
    assert len(document.html.find_class("register-entry")) == 60


# -- fonts subset on all cores ---------------------------------------------------------------

FORKED_SUBSETS = """import os, sys
from pathlib import Path
from tei_edition.writers import fonts
folder, made_here = Path(sys.argv[1]), []
make_subset = fonts.make_subset
fonts.make_subset = lambda face, *rest: made_here.append(face) or make_subset(face, *rest)
fonts.CACHE = folder / "forked-cache"
forked = fonts.subset_fonts("Nakhchivan, Kars", folder / "forked", None)
assert 0 < len(made_here) < len(forked), f"the parent made {len(made_here)} of {len(forked)}"
fonts.fork_context = lambda: None
fonts.CACHE = folder / "serial-cache"
serial = fonts.subset_fonts("Nakhchivan, Kars", folder / "serial", None)
assert [path.read_bytes() for path in forked] == [path.read_bytes() for path in serial]
"""


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: nothing to share out")
def test_fonts_subset_on_several_cores_are_those_subset_on_one(tmp_path: Path) -> None:
    """A build whose fonts are not in the cache shares the faces out among forked children
    (in a process of its own: the test harness runs threads, where nothing is forked), and
    their subsets are byte for byte those made one after another."""
    made = subprocess.run([sys.executable, "-c", FORKED_SUBSETS, str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    assert made.returncode == 0, made.stderr[-2000:]


# -- validation on all cores ---------------------------------------------------------------

SEVERAL_CORES = """import sys
from tei_edition.forking import fork_context
from tei_edition.validate import validate
assert fork_context() is not None, "a single-threaded process is not forked"
one = validate([sys.argv[1]], "tei_all", progress=False)
two = validate([sys.argv[1]], "tei_all", progress=False, jobs=2)
assert one.diagnostics and two.diagnostics == one.diagnostics, "diagnostics differ"
assert two.files == one.files, "files differ"
"""


def test_validation_on_several_cores_reports_what_one_reports() -> None:
    """In a process of its own: the test harness runs threads, where validation is not forked."""
    checked = subprocess.run([sys.executable, "-c", SEVERAL_CORES, str(CORPUS)],
                             capture_output=True, text=True, timeout=600)
    assert checked.returncode == 0, checked.stderr[-2000:]


def test_a_process_running_threads_is_not_forked() -> None:
    """Forked beside a running thread, a child may wait for ever on a lock that thread held
    (a validation -j hung so once in the test suite, beside its HTTP servers' threads)."""
    stop = threading.Event()
    beside = threading.Thread(target=stop.wait)
    beside.start()
    try:
        assert fork_context() is None
        two = validate([CORPUS], "tei_all", progress=False, jobs=2)
    finally:
        stop.set()
        beside.join()
    assert two.diagnostics == validate([CORPUS], "tei_all", progress=False).diagnostics


def test_validate_takes_jobs_on_the_command_line(run_cli) -> None:
    one = run_cli("validate", "--schema", "tei_all", CORPUS)
    several = run_cli("validate", CORPUS, "--schema", "tei_all", "-j")
    assert one.status == several.status == 1
    assert several.stdout.splitlines()[:-1] == one.stdout.splitlines()[:-1]
