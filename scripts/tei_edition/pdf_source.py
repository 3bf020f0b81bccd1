"""Import from a PDF: the text pdftotext writes, with the cues of the page that text has lost.

The witness stays the plain extraction (`pdftotext book.pdf`): every line of the draft is one of
its lines, numbered as there. But plain text keeps no indentation, so a paragraph whose last line
is full hides the next paragraph's start; and pdftotext at times reads a column's lower part after
the next column. The PDF itself tells both: `pdftotext -bbox-layout` gives the same lines, in the
same order, with their pages, blocks and coordinates. From those come

- paragraph starts: a line indented from its column's left edge (by half a line's height up to
  three), the lines before and after it at the edge; and a block set below the one before it in its
  column with more space between them than between its lines (paragraph spacing);
- the reading order of a page: its blocks, left column before right, each column top to bottom,
  where pdftotext's order differs (only the order in which the importer reads the lines changes;
  their numbers stay those of the extraction).
"""

from __future__ import annotations

import re
import statistics
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from lxml import etree

from .diagnostics import error
from .pages import Line, SourceLine

PDFTOTEXT = "pdftotext"
XHTML = "{http://www.w3.org/1999/xhtml}"
FORM_FEED = "\f"
PDF_SIGNATURE = b"%PDF-"
SIGNATURE_WINDOW = 1024  # PDF readers accept the header this far into the file
# A first-line indent is at least half a line's height and at most three (further in, a line is
# centred or set apart, not indented).
INDENT_MIN = 0.5
INDENT_MAX = 3.0
EDGE_TOLERANCE = 0.25  # of a line's height: lines this close to the edge start at it
# Paragraph spacing: this share of a line's height more than the usual distance between lines.
SPACING_MIN = 0.3
# Blocks of one column that follow each other this closely (in lines' heights) run on.
RUN_ON_GAP = 1.5
# A block this share of the page's usual line width wide fills its column (a table's cells do
# not): these blocks' widths are the page's columns.
COLUMN_WIDE = 0.8


Extent = tuple[float, float, float, float]  # left, right, top, bottom


@dataclass(frozen=True)
class Box:
    """Where a line of the extraction stands on its page (the first of the PDF's lines it holds:
    pdftotext joins a line ending in "-" with the next one)."""

    page: int
    block: int
    left: float
    right: float
    top: float  # of its first line in the PDF
    last_top: float  # of its last line in the PDF
    height: float
    dropped_hyphens: tuple[str, ...] = ()  # words the PDF divides with a hyphen pdftotext left out


@dataclass
class PdfText:
    """A PDF's plain extraction, and its layout as `pdftotext -bbox-layout` gives it."""

    text: str
    layout: etree._Element


def extract(path: Path) -> PdfText:
    """The text pdftotext writes for `path`, and its layout. A file that is not a PDF, is
    encrypted, or holds no text is refused with a one-line error."""
    with path.open("rb") as head:
        if PDF_SIGNATURE not in head.read(SIGNATURE_WINDOW):
            raise error("not a PDF file (no %PDF- header)", path)
    text = _pdftotext(path, [])
    if not text.replace(FORM_FEED, "").strip():
        raise error("the PDF has no text layer (a scan?): run OCR on it first, or import a "
                    "text extraction", path)
    layout = etree.fromstring(_pdftotext(path, ["-bbox-layout"]).encode("utf-8"),
                              etree.XMLParser(huge_tree=True, recover=True))
    return PdfText(text, layout)


def _pdftotext(path: Path, options: list[str]) -> str:
    try:
        result = subprocess.run([PDFTOTEXT, *options, "-enc", "UTF-8", str(path), "-"],
                                capture_output=True, check=False)
    except FileNotFoundError:
        raise error("pdftotext not found: importing a PDF needs poppler-utils "
                    "(apt-get install poppler-utils)", path) from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines() or ["failed"]
        if any("password" in line.lower() for line in message):
            raise error("the PDF is encrypted: decrypt it first "
                        "(qpdf --decrypt --password=… in.pdf out.pdf)", path)
        raise error(f"pdftotext cannot read this PDF: {message[-1]}", path)
    try:
        return result.stdout.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"pdftotext wrote text that is not UTF-8 (offset {exc.start})",
                    path) from None


def line_boxes(lines: Sequence[SourceLine], layout: etree._Element) -> dict[int, Box]:
    """Match the extraction's lines, page by page (pages without text left aside), with the
    PDF's lines: one or more of these (a hyphen pdftotext took out joins two) to each non-blank
    line. A page whose lines do not match gets no boxes, and all pages none when their numbers
    differ: the importer reads those by their text alone."""
    text_pages = [page for page in _pages(lines) if any(line.content for line in page)]
    pdf_pages = [page for page in layout.iter(f"{XHTML}page")
                 if next(page.iter(f"{XHTML}line"), None) is not None]
    if len(text_pages) != len(pdf_pages):
        return {}
    boxes: dict[int, Box] = {}
    for page_number, (text_page, pdf_page) in enumerate(zip(text_pages, pdf_pages, strict=True)):
        boxes |= _page_boxes(page_number, pdf_page, text_page)
    return boxes


def _page_boxes(page_number: int, page: etree._Element,
                page_lines: Sequence[SourceLine]) -> dict[int, Box]:
    pdf_lines = [(block_number, line)
                 for block_number, block in enumerate(page.iter(f"{XHTML}block"))
                 for line in block.iter(f"{XHTML}line")]
    boxes: dict[int, Box] = {}
    position = 0
    for source_line in page_lines:
        wanted = "".join(source_line.text.split())
        if not wanted:
            continue
        start, joined, dropped = position, "", []
        while position < len(pdf_lines) and len(joined) < len(wanted):
            if joined.endswith("-") and not wanted.startswith(joined):
                joined = joined[:-1]  # the hyphen pdftotext took out to join two lines
                dropped.append(_last_word(pdf_lines[position - 1][1])
                               + _first_word(pdf_lines[position][1]))
            joined += "".join(word.text or "" for word in pdf_lines[position][1])
            position += 1
        if joined != wanted:
            return {}
        block_number, first = pdf_lines[start]
        last = pdf_lines[position - 1][1]
        boxes[source_line.number] = Box(
            page_number, block_number, float(first.get("xMin")),
            max(float(line.get("xMax")) for _, line in pdf_lines[start:position]),
            float(first.get("yMin")), float(last.get("yMin")),
            float(first.get("yMax")) - float(first.get("yMin")), tuple(dropped))
    return boxes if position == len(pdf_lines) else {}


def _last_word(line: etree._Element) -> str:
    """The letters and hyphen ending a PDF line (its punctuation aside)."""
    found = re.search(r"[^\W\d_]*-$", line[-1].text or "") if len(line) else None
    return found.group() if found else "-"


def _first_word(line: etree._Element) -> str:
    found = re.match(r"[^\W\d_]*", line[0].text or "") if len(line) else None
    return found.group() if found else ""


def dropped_hyphens(boxes: dict[int, Box]) -> list[tuple[int, str]]:
    """The words the PDF divides at a line end with a hyphen that pdftotext took out when it
    joined the two lines ("counter-" / "force": "counterforce"): (line, the PDF's word). The
    witness is pdftotext's text; the editor decides whether the hyphen belongs to the word."""
    return [(number, word) for number, box in sorted(boxes.items())
            for word in box.dropped_hyphens]


def paragraph_starts(lines: Sequence[SourceLine], boxes: dict[int, Box]) -> set[int]:
    """The body lines (in reading order) that open a paragraph by indentation or by spacing."""
    placed = [line for line in lines if line.number in boxes]
    pages: dict[int, list[Box]] = {}
    for line in placed:
        pages.setdefault(boxes[line.number].page, []).append(boxes[line.number])
    pitch = _usual_pitch(placed, boxes)
    starts = set()
    for index, line in enumerate(placed):
        box = boxes[line.number]
        edge = _column_edge(box, pages[box.page])
        before = boxes[placed[index - 1].number] if index else None
        after = boxes[placed[index + 1].number] if index + 1 < len(placed) else None
        if INDENT_MIN * box.height <= _indent(box, edge) <= INDENT_MAX * box.height and all(
                _at_edge(neighbour, box, edge) for neighbour in (before, after)):
            starts.add(line.number)
        if (before is not None and before.block != box.block and _same_column(before, box)
                and box.top - before.last_top - pitch > SPACING_MIN * box.height):
            starts.add(line.number)
    return starts


def _indent(box: Box, edge: float) -> float:
    return box.left - edge


def _at_edge(neighbour: Box | None, box: Box, edge: float) -> bool:
    """Is the line before or after an indented one at its column's edge (or in no column of
    its): then the indent is a first line's, not a quotation's set in throughout?"""
    return neighbour is None or not _same_column(neighbour, box) or (
        _indent(neighbour, edge) < EDGE_TOLERANCE * box.height)


def _usual_pitch(placed: Sequence[SourceLine], boxes: dict[int, Box]) -> float:
    """The usual distance from one line's top to the next one's, within a block."""
    steps = [boxes[b.number].top - boxes[a.number].last_top
             for a, b in pairwise(placed)
             if boxes[a.number].page == boxes[b.number].page
             and boxes[a.number].block == boxes[b.number].block]
    return statistics.median(steps) if steps else 0.0


def _column_edge(box: Box, page: Sequence[Box]) -> float:
    """The left edge of the column a line stands in: the leftmost start of the lines of the
    page that share its column (overlap it, set to about its column's width)."""
    width = max(other.right for other in page if other.block == box.block) - min(
        other.left for other in page if other.block == box.block)
    return min((other.left for other in page if _same_column(other, box) and (
        other.right - other.left) <= 1.5 * width), default=box.left)


def _same_column(first: Box, second: Box) -> bool:
    return first.page == second.page and first.left < second.right and second.left < first.right


def margin_lines(lines: Sequence[SourceLine], boxes: dict[int, Box]) -> set[int]:
    """The lines set in a page's top or bottom margin, outside its text block: a page's first
    or last row of lines, more than a line's height from the rest, at a height where every
    page that has its first or last row there has it set apart so (a running head, a folio,
    whatever their text: a chapter's title changes from page to page). The body's first row
    and a footnote's last are also at one height on most pages, but not set apart on all."""
    pages: dict[int, list[tuple[Box, int]]] = {}
    for line in lines:
        if line.number in boxes:
            pages.setdefault(boxes[line.number].page, []).append((boxes[line.number], line.number))
    edges: list[tuple[float, float, bool, set[int]]] = []  # top, height, set apart, lines
    for page in pages.values():
        rows = _rows(page)
        for row, neighbour in ((rows[0], rows[1:2]), (rows[-1], rows[-2:-1])):
            if neighbour:
                gap = max(neighbour[0].top - row.bottom, row.top - neighbour[0].bottom)
                edges.append((row.top, row.height, gap > row.height, row.numbers))
    margin: set[int] = set()
    for top, height, apart, numbers in edges:
        alike = [other_apart for other_top, _, other_apart, _ in edges
                 if abs(other_top - top) <= EDGE_TOLERANCE * height]
        if apart and all(alike) and len(alike) >= max(2, len(pages) // 2):
            margin |= numbers
    return margin


@dataclass
class _Row:
    top: float
    bottom: float
    height: float
    numbers: set[int]


def _rows(page: Sequence[tuple[Box, int]]) -> list[_Row]:
    """A page's lines grouped by height on the page (the columns' lines side by side)."""
    rows: list[_Row] = []
    for box, number in sorted(page, key=lambda item: item[0].top):
        if rows and box.top - rows[-1].top <= EDGE_TOLERANCE * box.height:
            rows[-1].bottom = max(rows[-1].bottom, box.last_top + box.height)
            rows[-1].numbers.add(number)
        else:
            rows.append(_Row(box.top, box.last_top + box.height, box.height, {number}))
    return rows


def reading_order(lines: Sequence[Line], boxes: dict[int, Box]) -> list[Line]:
    """The lines with each page's blocks in reading order: a block before another when it stands
    above it in the same column, or in a column left of it within a band of the page that no
    block across both columns divides; pdftotext's order otherwise
    (and wherever these rules contradict each other). Blank lines go with the block before them,
    and are left out between blocks of one column that run on (pdftotext set them apart, the
    page did not)."""
    ordered: list[Line] = []
    for page in _pages(lines):
        units = _units(page, boxes)
        order = _topological(units, boxes) or units
        for index, unit in enumerate(order):
            following = order[index + 1] if index + 1 < len(order) else None
            if following is not None and _runs_on(unit, following, boxes):
                ordered += [line for line in unit if line.content]
            else:
                ordered += unit
    return ordered


def _pages(lines: Sequence[Line]) -> list[list[Line]]:
    pages: list[list[Line]] = [[]]
    for line in lines:
        if line.page_break and pages[-1]:
            pages.append([])
        pages[-1].append(line)
    return pages


def _units(page: Sequence[Line], boxes: dict[int, Box]) -> list[list[Line]]:
    """The page's lines cut where a new block starts, blank lines going with the block before."""
    units: list[list[Line]] = [[]]
    block = None
    for line in page:
        box = boxes.get(line.number)
        if box is not None and block is not None and box.block != block:
            units.append([])
        if box is not None:
            block = box.block
        units[-1].append(line)
    return units


def _extent(unit: Sequence[SourceLine], boxes: dict[int, Box]) -> Extent | None:
    placed = [boxes[line.number] for line in unit if line.number in boxes]
    if not placed:
        return None
    return (min(box.left for box in placed), max(box.right for box in placed),
            min(box.top for box in placed), max(box.last_top + box.height for box in placed))


def _before(first: Extent, second: Extent, extents: Sequence[Extent],
            column_left: bool) -> bool:
    """Above in the same column; or in a column further left (`column_left`) within the same
    band of the page (the bands being cut by blocks that span both columns, a head or the
    footnotes); or left of it at its height."""
    left, right, top, bottom = first
    other_left, other_right, other_top, other_bottom = second
    above = left < other_right and other_left < right and bottom <= other_top + 1
    beside = top < other_bottom and other_top < bottom
    return above or (right <= other_left and (beside or (column_left and not any(
        _separates(extent, first, second) for extent in extents))))


def _columns(extents: Sequence[Extent], page: Sequence[Box]) -> list[list[Extent]]:
    """For each block, the blocks about as wide as the page's usual line (a column's) whose
    width holds it: a block in one column has the columns' and the page's full-width blocks,
    a table's cells share their column's."""
    line_width = statistics.median(box.right - box.left for box in page)
    tolerance = EDGE_TOLERANCE * statistics.median(box.height for box in page)
    wide = [extent for extent in extents if extent[1] - extent[0] >= COLUMN_WIDE * line_width]
    return [[column for column in wide
             if column[0] - tolerance <= left and right <= column[1] + tolerance]
            for left, right, _, _ in extents]


def _column_left_of(first: Sequence[Extent], second: Sequence[Extent]) -> bool:
    """Does a column holding one block end before a column holding the other begins?"""
    return any(left[1] <= right[0] for left in first for right in second)


def _separates(spanner: Extent, first: Extent, second: Extent) -> bool:
    """Does `spanner` reach across both blocks' columns and stand between them vertically?"""
    left, right, top, bottom = spanner
    across = left < first[1] and first[0] < right and left < second[1] and second[0] < right
    return across and any(upper[3] <= top + 1 and bottom <= lower[2] + 1
                          for upper, lower in ((first, second), (second, first)))


def _topological(units: list[list[Line]], boxes: dict[int, Box]) -> list[list[Line]] | None:
    """Kahn's order of the units, the earliest in pdftotext's order first among those free to
    come; None when the constraints form a cycle (or a unit has no box)."""
    placed = [extent for unit in units if (extent := _extent(unit, boxes)) is not None]
    if len(placed) < len(units):
        return None
    count = len(units)
    columns = _columns(placed, [boxes[line.number] for unit in units for line in unit
                                if line.number in boxes])
    after = {i: {j for j in range(count) if j != i and _before(
                 placed[i], placed[j], placed, _column_left_of(columns[i], columns[j]))}
             for i in range(count)}
    waiting = {j: sum(j in after[i] for i in range(count)) for j in range(count)}
    order: list[int] = []
    while len(order) < count:
        free = [i for i in range(count) if waiting[i] == 0 and i not in order]
        if not free:
            return None
        order.append(free[0])
        for j in after[free[0]]:
            waiting[j] -= 1
    return [units[i] for i in order]


def _runs_on(unit: Sequence[SourceLine], following: Sequence[SourceLine],
             boxes: dict[int, Box]) -> bool:
    last = next((boxes[line.number] for line in reversed(unit) if line.number in boxes), None)
    first = next((boxes[line.number] for line in following if line.number in boxes), None)
    return (last is not None and first is not None and _same_column(last, first)
            and 0 < first.top - last.last_top <= RUN_ON_GAP * max(first.height, last.height))
