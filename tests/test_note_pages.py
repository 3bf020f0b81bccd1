"""No footnote set on a page before its call's (the CSS GCPM rule; WeasyPrint issue #1564, open
upstream, where lines pushed to the next page left their notes behind in the page's foot).

WeasyPrint 70 with the project's overrides takes such notes back (`remove_placeholders`
unlayouts them): these tests keep it so, on the pipeline's own renderings of a synthetic text
and on #1564's shape on a small page, reading where each note went from the pages WeasyPrint
made (not the PDF: its boxes name the element each call and body belong to).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
import weasyprint
from weasyprint.document import Document
from weasyprint.formatting_structure import boxes
from weasyprint.layout import LayoutContext

from tei_edition.synthetic import write_text
from tei_edition.writers import pdf


@dataclass
class NotePages:
    """For each note (by its element's identity): the page of its call and of its body (0-based)."""

    calls: dict[int, int] = field(default_factory=dict)
    bodies: dict[int, int] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)

    def before_call(self) -> list[tuple[str, int, int]]:
        """The notes set on a page before their call's: (text, call page, body page), 1-based."""
        return [(self.labels[note], call + 1, self.bodies[note] + 1)
                for note, call in self.calls.items()
                if note in self.bodies and self.bodies[note] < call]

    def carried_over(self) -> int:
        """How many notes are set on a page after their call's (allowed: no room left)."""
        return sum(1 for note, call in self.calls.items()
                   if note in self.bodies and self.bodies[note] > call)

    def unset(self) -> list[str]:
        """The notes called and set on no page."""
        return [self.labels[note] for note in self.calls if note not in self.bodies]


def note_pages(document: Document) -> NotePages:
    """Each note's call page and body page in `document` (a note is the element that floats:
    its ::footnote-call box and its body box share it)."""
    found = NotePages()
    for number, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            if (box.element_tag or "").endswith("::footnote-call") and box.element is not None:
                found.calls.setdefault(id(box.element), number)
                found.labels.setdefault(id(box.element), label(box.element))
        for area in page._page_box.children:
            if isinstance(area, boxes.FootnoteAreaBox):
                for box in area.descendants():
                    if box.element is not None and "::" not in (box.element_tag or "::"):
                        found.bodies.setdefault(id(box.element), number)
    return found


def label(element: object) -> str:
    """A short name for a note in a report: its text's start."""
    text = " ".join("".join(element.itertext()).split())  # type: ignore[attr-defined]
    return text[:40]


# #1564 on a small page: a paragraph that may not break, whose first line and note fit below
# the spacer and whose last lines do not; the spacer's height is scanned across the page.
PAGE = """<style>@page {{ size: 200px 160px; margin: 0; }}
body {{ font: 10px/10px sans-serif; margin: 0; }}
p {{ margin: 0; orphans: 2; widows: 2; break-inside: avoid; }}
.note {{ float: footnote; }}</style>
<div style="height: {spacer}px"></div>
<p>a b c<span class="note">note 1</span><br>d e f<br>g h<span class="note">note 2</span><br>
i j<br>k l</p>"""


def rendered(spacer: int) -> NotePages:
    return note_pages(weasyprint.HTML(string=PAGE.format(spacer=spacer)).render())


def test_a_paragraph_pushed_whole_to_the_next_page_takes_its_notes() -> None:
    pushed = 0
    for spacer in range(60, 151, 3):
        found = rendered(spacer)
        assert len(found.calls) == 2, spacer
        assert found.before_call() == [] and found.unset() == [], spacer
        pushed += min(found.calls.values()) == 1  # the paragraph on page 2, the spacer alone
    assert pushed > 10


def test_the_checker_sees_a_note_left_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check is not idle: notes never taken back (#1564's effect) are found on the page
    before their call."""
    monkeypatch.setattr(LayoutContext, "unlayout_footnote", lambda context, note: None)
    assert rendered(100).before_call() == [("note 1", 2, 1)]


def test_no_note_of_a_synthetic_book_is_set_before_its_call(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rendering the PDF build makes (the articles alone, mended, the book's parts)."""
    from tei_edition.cli import main

    found: list[tuple[str, NotePages]] = []
    upstream = pdf.render

    def render(*arguments: object) -> Document:
        document = upstream(*arguments)  # type: ignore[arg-type]
        found.append((str(arguments[-1]), note_pages(document)))
        return document

    monkeypatch.setattr(pdf, "render", render)
    source = write_text(tmp_path / "text", 60)
    assert main(["build", "pdf", str(source), "-o", str(tmp_path / "text.pdf")]) == 0
    book = [pages for what, pages in found if what == "the book's article"]
    assert len(book) == 1 and len(book[0].calls) == 66  # 60 notes, 6 apparatus entries
    assert book[0].carried_over() > 0  # pages full enough to carry notes over
    assert [(what, pages.before_call(), pages.unset()) for what, pages in found
            if pages.before_call() or pages.unset()] == []
