"""Page layout of a plain-text PDF extraction: pages, page furniture and footnotes.

pdftotext writes a form feed (U+000C) at every page break. With pages known, what repeats at the
edges of most pages is furniture (a running head, a folio whose digits change), learned from the
extraction itself rather than named by the user, and so is a title-like line opening a page that
the text writes again elsewhere (a chapter's title as running head, over its chapter's pages).
A block at the foot of a page that opens with the next footnote number ("12. See …") up to the
page's bottom furniture is the page's footnotes. Without form feeds there is no layout to learn
and every line is body text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

FORM_FEED = "\f"
NOTE_START = re.compile(r"^(\d{1,3})(\.?)\s+\S")
BARE_NUMBER = re.compile(r"^\d{1,4}$")
EDGE_LINES = 2  # furniture sits among the first and last two non-blank lines of a page
TITLE_WORDS = 12  # a running head naming its chapter is no longer than this


class SourceLine(Protocol):
    number: int
    text: str
    page_break: bool

    @property
    def content(self) -> str: ...


Line = TypeVar("Line", bound=SourceLine)


@dataclass
class FootNote:
    """A footnote printed at a page foot: its number and its source lines."""

    number: int
    lines: list[SourceLine]


@dataclass
class PageLayout:
    page_starts: list[int] = field(default_factory=list)  # first line number of each page
    furniture: dict[int, tuple[str, str]] = field(default_factory=dict)  # line -> (type, text)
    folios: dict[int, str] = field(default_factory=dict)  # page start line -> folio
    notes: list[FootNote] = field(default_factory=list)

    @property
    def note_lines(self) -> set[int]:
        return {line.number for note in self.notes for line in note.lines}

    def body(self, lines: Sequence[Line]) -> list[Line]:
        """The lines that are neither furniture nor footnotes."""
        aside = self.furniture.keys() | self.note_lines
        return [line for line in lines if line.number not in aside]


def recognise(lines: Sequence[SourceLine], margin: Collection[int] = ()) -> PageLayout:
    """Pages from form feeds, then furniture from repetition (and the `margin` lines, set
    outside the text block, that a PDF shows), then footnotes at page feet."""
    pages = _split_pages(lines)
    if len(pages) < 2:
        return PageLayout()
    layout = PageLayout(page_starts=[page[0].number for page in pages])
    for page in pages:
        for line in page:
            if line.number in margin and line.content:
                _add_furniture(layout, page, line)
    shapes = Counter(
        shape for page in pages for shape in {_shape(line.content) for line in _edges(page)}
    )
    repeated = {shape for shape, count in shapes.items() if count >= max(2, len(pages) // 2)}
    for page in pages:
        for line in _edges(page):
            if _shape(line.content) in repeated:
                _add_furniture(layout, page, line)
    written = Counter(line.content for line in lines if line.content)
    for page in pages:
        top = _top_after_folio(page)
        if (top is not None and top.number not in layout.furniture
                and written[top.content] > 1 and _title_like(top.content)):
            _add_furniture(layout, page, top)
    next_note = 1
    previous: list[SourceLine] = []
    for page in pages:
        body = [line for line in page if line.number not in layout.furniture]
        notes = _foot_notes(body, next_note, previous)
        previous = body
        layout.notes += notes
        if notes:
            next_note = notes[-1].number + 1
    return layout


def _add_furniture(layout: PageLayout, page: Sequence[SourceLine], line: SourceLine) -> None:
    folio = BARE_NUMBER.match(line.content)
    layout.furniture[line.number] = ("folio" if folio else "runningHead", line.content)
    if folio:
        layout.folios[page[0].number] = line.content


def _top_after_folio(page: Sequence[SourceLine]) -> SourceLine | None:
    """A page's first non-blank line, or its second when the first is a folio (the line
    under a running head is the text's, even if it is the chapter's heading)."""
    filled = [line for line in page if line.content][:EDGE_LINES]
    if len(filled) > 1 and BARE_NUMBER.match(filled[0].content):
        return filled[1]
    return filled[0] if filled else None


def _title_like(content: str) -> bool:
    """A chapter's title as a running head: short, capitalised, no sentence's end."""
    return (len(content.split()) <= TITLE_WORDS and content[:1].isupper()
            and not content.endswith((".", ",", ";", ":", "-", "\u2010")))


def _split_pages(lines: Sequence[SourceLine]) -> list[list[SourceLine]]:
    pages: list[list[SourceLine]] = [[]]
    for line in lines:
        if line.page_break and pages[-1]:
            pages.append([])
        pages[-1].append(line)
    return [page for page in pages if any(line.content for line in page)]


def _edges(page: Sequence[SourceLine]) -> list[SourceLine]:
    filled = [line for line in page if line.content]
    return filled[:EDGE_LINES] + filled[-EDGE_LINES:]


def _shape(content: str) -> str:
    """What stays the same from page to page: the text with its numbers masked."""
    return re.sub(r"\d+", "#", content)


def _foot_notes(body: Sequence[SourceLine], next_note: int,
                previous: Sequence[SourceLine]) -> list[FootNote]:
    """The notes at the foot of one page: a line opening with the next note number, then
    nothing but notes (no blank line) down to the end of the page. pdftotext sets a blank
    line before them in two columns but none in one, so without the blank line the note
    must also have its call higher on the page or on the page before (a note the
    typesetter carried over)."""
    for index, line in enumerate(body):
        start = NOTE_START.match(line.content)
        if not start or int(start.group(1)) != next_note or index == 0:
            continue
        if body[index - 1].content and not _called([*previous, *body[:index]], next_note):
            continue
        zone = list(body[index:])
        while zone and not zone[-1].content:
            zone.pop()
        if any(not entry.content for entry in zone):
            continue
        return _split_notes(zone, next_note)
    return []


def _called(lines: Sequence[SourceLine], number: int) -> bool:
    """Whether a footnote call for `number` (digits right after a word or its punctuation,
    or alone on a line) occurs in these lines."""
    call = re.compile(rf"(?:(?<=[^\W\d_])|(?<=[.,;:”\"’)]))0*{number}(?=\s|$)|^{number}$")
    return any(call.search(line.content) for line in lines)


def _split_notes(zone: Sequence[SourceLine], first: int) -> list[FootNote]:
    notes: list[FootNote] = []
    expected = first
    for line in zone:
        start = NOTE_START.match(line.content)
        if start and int(start.group(1)) == expected:
            notes.append(FootNote(expected, [line]))
            expected += 1
        else:
            notes[-1].lines.append(line)
    return notes
