"""`edition proof`: a production editor's figures for a PDF, read from poppler's word boxes.

`pdftotext -bbox-layout` gives every word's box; the lines of the running text are those set in
the body size (a 10.5 pt face gives boxes 11–13 pt high: notes, heads, margin numbers and the
apparatus are smaller, titles larger). From them: the word spaces of justified lines (not the
contents' leader lines), the lines ending in a hyphen and their runs, words hyphenated across a
leaf turn (the last line of a recto ending in a hyphen), lines opening with a note call,
apparatus entries stranded away from the page of their line (by the margin numbers), footnotes
set on another page than their call (a note's marker at the foot, in the notes' size, its call
not among the page's), widows and orphans, spreads whose pages do not end on the same line of
the text's grid (a page with notes ending below a page of text, not level with it), the word
spaces of the justified lines set in the notes' sizes (footnotes, editors' notes, reference
lists and their annotations: 8–9 pt), in em of their own size, and runt pages: the end of a
text, a table or the index run over onto a page it fills less than a fifth of (a press wants
more than a few lines there), where a part that opens on its own page may be as short as it is.
"""

from __future__ import annotations

import itertools
import re
import statistics
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .diagnostics import error

BODY_HEIGHT = (11.0, 13.0)  # pt: the boxes poppler gives a body line's words
HYPHENS = ("\u2010", "-", "\u00ad")
LOOSE_SPACE = 6.5  # pt: a word space wider than this is a loose line
FULL_MEASURE = 3.0  # pt: a line ending this close to the right edge is justified
INDENT = 5.0  # pt: a line starting this far in opens a paragraph
LEADER_DOTS = 3  # a line holding this many lone dots is a contents line with a leader
CALL_HEIGHT = 9.0  # pt: a note call's box (raised, 72 % of the body size) is lower than this
NOTE_HEIGHT = (9.4, 10.2)  # pt: the boxes of a footnote's words (8.5 pt; the apparatus is 8 pt)
RUNT_FILL = 0.2  # a page run over onto and filled less than this (of the text block) is a runt
RUN_OVER_FILL = 0.75  # the page before a runt: the text ran over from it (it is this full)
GRID_TOLERANCE = 1.5  # pt: a spread's last lines this close to the grid of the text end level
NOTE_SIZES = (CALL_HEIGHT, BODY_HEIGHT[0])  # pt: the boxes of 8–9 pt words (notes, references)
BOX_PER_POINT = 1.14  # the height of poppler's word box per point of type (10.5 pt: 11.97 pt)
JUSTIFIED_WORDS = 4  # a line of fewer words at full measure is a table's row, not text
LOOSE_EM = LOOSE_SPACE / 10.5  # a note line is loose at the body's limit, in em of its size


@dataclass(frozen=True)
class Word:
    text: str
    left: float
    top: float
    right: float
    bottom: float


@dataclass
class Page:
    number: int
    lines: list[list[Word]]  # the body lines, top to bottom
    left: float
    right: float
    numbers: dict[int, int]  # index of a body line -> the line number in the margin beside it
    foot: str  # the words under the body: notes and apparatus
    calls: list[str] = field(default_factory=list)  # the note calls in the body: "3", "ed. 2"
    notes: list[str] = field(default_factory=list)  # footnote markers at a lineated page foot
    boxes: list[tuple[float, float]] = field(default_factory=list)  # every word's top, bottom
    note_lines: list[list[Word]] = field(default_factory=list)  # poppler's lines in 8–9 pt


def read_pages(pdf: Path) -> list[Page]:
    try:
        layout = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True,
                                capture_output=True).stdout
    except OSError as failure:
        raise error(f"cannot run pdftotext: {failure.strerror}", pdf, code="proof") from None
    except subprocess.CalledProcessError as failure:
        said = failure.stderr.decode("utf-8", "replace").strip().splitlines()
        raise error(f"not a PDF poppler can read ({said[-1] if said else 'pdftotext failed'})",
                    pdf, code="proof") from None
    pages = []
    for number, page in enumerate(etree.fromstring(layout).iter("{*}page"), start=1):
        words = [Word(word.text or "", *(float(word.get(side)) for side in
                                         ("xMin", "yMin", "xMax", "yMax")))
                 for word in page.iter("{*}word")]
        body = [w for w in words if BODY_HEIGHT[0] <= w.bottom - w.top <= BODY_HEIGHT[1]]
        rows: dict[float, list[Word]] = {}
        for word in body:
            rows.setdefault(round(word.bottom, 1), []).append(word)
        left = min((w.left for w in body), default=0.0)
        right = max((w.right for w in body), default=0.0)
        lines = [rows[y] for y in sorted(rows)]
        numbers: dict[int, int] = {}
        for word in words:  # note calls: smaller, raised, inside a body line; margin numbers
            middle = (word.top + word.bottom) / 2
            inside = left - 1 <= word.left <= right + 1
            if word in body or not (inside or word.text.isdigit()):
                continue
            for index, line in enumerate(lines):
                if line[0].top <= middle <= line[0].bottom:
                    if inside:
                        line.append(word)
                    else:
                        numbers[index] = int(word.text)
                    break
        last = lines[-1][0].bottom if lines else 0.0
        foot = [w for w in words if w.top > last and left - 1 <= w.left]
        ordered = [sorted(line, key=lambda w: w.left) for line in lines]
        above = [w for w in words if w.bottom <= last and left - 1 <= w.left <= right + 1]
        pages.append(Page(number, ordered, left, right, numbers, " ".join(w.text for w in foot),
                          _calls(above), _note_markers(foot, left) if numbers else [],
                          [(w.top, w.bottom) for w in words], _note_lines(page)))
    return pages


def _note_lines(page: etree._Element) -> list[list[Word]]:
    """Poppler's lines (a table's cells are lines of their own) whose words are all set in
    the notes' sizes."""
    lines = [[Word(word.text or "", *(float(word.get(side)) for side in
                                      ("xMin", "yMin", "xMax", "yMax")))
              for word in line.iter("{*}word")] for line in page.iter("{*}line")]
    return [line for line in lines if line and all(
        NOTE_SIZES[0] <= word.bottom - word.top < NOTE_SIZES[1] for word in line)]


def note_spaces(pages: list[Page]) -> list[tuple[float, int, list[float]]]:
    """Each justified line in the notes' sizes: its word space, its page and its gaps, in em
    of its size. A justified line reaches the right edge of the body's lines (a last line,
    ragged or in a column, does not) and spaces its words alike: its space is their median,
    not a hung note number's gap or one between a table's cells."""
    found = []
    for page in pages:
        for line in page.note_lines:
            if (len(line) < JUSTIFIED_WORDS or line[-1].right < page.right - FULL_MEASURE
                    or _leader(line)):
                continue
            size = statistics.median(word.bottom - word.top for word in line) / BOX_PER_POINT
            gaps = [(b.left - a.right) / size for a, b in itertools.pairwise(line)]
            found.append((statistics.median(gaps), page.number, gaps))
    return found


def _calls(words: list[Word]) -> list[str]:
    """The note calls above the foot (text and captions): raised digits, an editors' call as
    "ed." and digits."""
    small = [w for w in words if w.bottom - w.top < CALL_HEIGHT]
    calls = []
    for before, word in zip([None, *small], small, strict=False):
        if word.text.isdigit():
            editors = before is not None and before.text == "ed." and (
                0 <= word.left - before.right < BODY_HEIGHT[0])
            calls.append(f"ed. {word.text}" if editors else word.text)
    return calls


def _note_markers(foot: list[Word], left: float) -> list[str]:
    """The markers opening the footnotes: a number (or "ed." and a number) in the notes' size
    at the left edge of the page's text."""
    markers = []
    for word, after in itertools.pairwise([*foot, None]):
        if not (NOTE_HEIGHT[0] <= word.bottom - word.top <= NOTE_HEIGHT[1]
                and abs(word.left - left) <= 1):
            continue
        if word.text.isdigit():
            markers.append(word.text)
        elif word.text == "ed." and after is not None and after.text.isdigit():
            markers.append(f"ed. {after.text}")
    return markers


def _hyphenated(line: list[Word]) -> bool:
    return line[-1].text.endswith(HYPHENS) and len(line[-1].text) > 1


def _leader(line: list[Word]) -> bool:
    """A line of the contents, its title and folio joined by a leader of dots (not word spaces)."""
    return sum(word.text == "." for word in line) >= LEADER_DOTS


def _widow(page: Page, before: Page | None) -> bool:
    """The page opens with a paragraph's last line: short, unindented, and carried over from the
    page before, whose last line is one of text (words spaced out to full measure) that runs on.
    A heading, a byline or a caption opening a page follows no such line (the part before it
    ended, or was set in another size): it is no paragraph's end."""
    if before is None or not before.lines or len(page.lines) < 2:
        return False
    first, carried = page.lines[0], before.lines[-1]
    return (first[0].left <= page.left + 1 and first[-1].right < page.right - 20
            and len(carried) >= JUSTIFIED_WORDS
            and carried[-1].right >= before.right - FULL_MEASURE)


def _call_at_start(line: list[Word]) -> bool:
    """A note call opening a line: digits smaller than the body's words."""
    first = line[0]
    return first.text.isdigit() and first.bottom - first.top < BODY_HEIGHT[0]


# An apparatus entry at the page foot: its line number, the lemma, the bracket ("12 Sèvres] …");
# an editors' note keyed so too, after its marker, by the lines of a long lemma ("ed. 1 61–63
# The Zangazur … self-determination”]": its last line, where the note is set).
# The nearest number before the bracket: a note's number before it does not start the entry,
# nor the line a caption follows ("76 cap. Tengirsek] …": a caption is not lineated); nor a
# number whose "lemma" opens a bracket ("vol. 4 (Moscow, 1960) … [37, 38]" of a reference list
# at a page's foot: a label's brackets, not a lemma's).
APPARATUS_ENTRY = re.compile(
    r"(?<![\w.,])(?<!ed\. )(?:\d+–)?(\d+) (?!cap\.)(?:(?! \d+ )[^\[\]|]){1,60}\]")


def _stranded_entries(page: Page) -> int:
    """Apparatus entries at this page's foot whose line is not printed on the page (set on the
    page after their lemma's, or on a page without the text)."""
    entries = [int(entry[1]) for entry in APPARATUS_ENTRY.finditer(_outside_brackets(page.foot))]
    if not page.numbers:
        return len(entries) if page.lines else 0
    index, number = next(iter(page.numbers.items()))
    first = number - index
    return sum(not first <= entry < first + len(page.lines) for entry in entries)


def _outside_brackets(foot: str) -> str:
    """The page foot without the editors' words in an author's note, "[Ed.: …]" (nested
    brackets inside: "see reference [3].]"), whose numbers and closing bracket ("notes 4–36
    is lost; …]") read as an apparatus entry's line and lemma."""
    kept, depth = [], 0
    for piece in re.split(r"(\[Ed\.:|\[|\])", foot):
        if piece == "[Ed.:" or (piece == "[" and depth):
            depth += 1
        elif piece == "]" and depth:
            depth -= 1
        elif not depth:
            kept.append(piece)
    return "".join(kept)


def runt_pages(pages: list[Page]) -> list[int]:
    """The pages a text, a table or the index ran over onto and filled less than `RUNT_FILL`
    of the text block (found from the body lines: their highest top and lowest bottom in the
    book; running heads above it and folios below it are not its text)."""
    if not any(page.lines for page in pages):
        return []
    top, bottom = _text_block(pages)

    def fill(page: Page) -> float:
        inside = [low for high, low in page.boxes if high >= top - 1 and low <= bottom]
        return (max(inside) - top) / (bottom - top) if inside else 0.0

    fills = [fill(page) for page in pages]
    return [page.number for before, page, filled in zip([1.0, *fills], pages, fills, strict=False)
            if 0 < filled < RUNT_FILL and before > RUN_OVER_FILL]


def _text_block(pages: list[Page]) -> tuple[float, float]:
    """The top and bottom of the text block: the highest top and the lowest bottom of a body
    line in the book; a note's last line may sit up to a line under it, a folio lower)."""
    return (min(page.lines[0][0].top for page in pages if page.lines),
            max(page.lines[-1][0].bottom for page in pages if page.lines) + BODY_HEIGHT[1])


def uneven_spreads(pages: list[Page]) -> tuple[list[str], list[str]]:
    """The spreads of the text (a verso and its recto, both with lineated text) whose last
    lines, of the text or of the notes, are not level; and those of them whose last lines are
    not even whole lines of the body apart, off the text's grid (a line kept back by widow
    control, or with a note too long for the page, leaves its page whole lines short:
    WeasyPrint cannot balance a spread)."""
    steps = [b[0].bottom - a[0].bottom for page in pages
             for a, b in itertools.pairwise(page.lines)]
    if not steps:
        return [], []
    leading = statistics.median(steps)
    _, bottom = _text_block(pages)
    uneven, off_the_grid = [], []
    for verso, recto in zip(pages[1::2], pages[2::2], strict=False):
        if not (verso.numbers and recto.numbers):
            continue
        apart = abs(_deepest(verso, bottom) - _deepest(recto, bottom)) / leading
        spread = f"pp. {verso.number}–{recto.number}"
        if apart * leading > GRID_TOLERANCE:
            uneven.append(spread)
        if abs(apart - round(apart)) * leading > GRID_TOLERANCE:
            off_the_grid.append(spread)
    return uneven, off_the_grid


def _deepest(page: Page, bottom: float) -> float:
    """The bottom of the page's last line in the text block (text or notes), not its folio."""
    return max(low for _, low in page.boxes if low <= bottom)


def figures(pages: list[Page]) -> dict[str, object]:
    spaces: list[float] = []
    loose = hyphenated = lines_counted = runs = across_leaves = calls = widows = orphans = 0
    stranded = away = 0
    called = {call for page in pages for call in page.calls}  # not a number a note wraps to
    run = 0
    worst = (0.0, 0)
    uneven, off_the_grid = uneven_spreads(pages)
    in_notes = note_spaces(pages)
    before: Page | None = None
    widest_in_notes = max(in_notes, default=(0.0, 0, []))
    for page in pages:
        for line in page.lines:
            lines_counted += 1
            if (line[-1].right >= page.right - FULL_MEASURE and len(line) > 1
                    and not _leader(line)):
                gaps = [b.left - a.right for a, b in itertools.pairwise(line)]
                spaces += gaps
                if max(gaps) > LOOSE_SPACE:
                    loose += 1
                worst = max(worst, (max(gaps), page.number))
            if _hyphenated(line):
                hyphenated += 1
                run += 1
                if run == 3:
                    runs += 1
            else:
                run = 0
            if _call_at_start(line):
                calls += 1
        stranded += _stranded_entries(page)
        away += sum(marker in called and marker not in page.calls for marker in page.notes)
        if page.lines:
            if page.number % 2 and _hyphenated(page.lines[-1]):
                across_leaves += 1
            last = page.lines[-1]
            widows += _widow(page, before)
            if last[0].left > page.left + INDENT and last[-1].right >= page.right - FULL_MEASURE:
                orphans += 1
        run = 0
        before = page
    return {
        "body lines": lines_counted,
        "word space, median (pt)": round(statistics.median(spaces), 2) if spaces else 0,
        "word space, 95th percentile (pt)": round(statistics.quantiles(spaces, n=20)[-1], 2)
        if len(spaces) > 1 else 0,
        "word space, widest (pt, page)": f"{worst[0]:.1f} (p. {worst[1]})",
        f"loose lines (a space over {LOOSE_SPACE} pt)": loose,
        "notes' lines at full measure (8–9 pt)": len(in_notes),
        "notes' word space, median (em)":
            round(statistics.median(gap for *_, gaps in in_notes for gap in gaps), 3)
            if in_notes else 0,
        "notes' word space, widest (em, page)":
            f"{widest_in_notes[0]:.2f} (p. {widest_in_notes[1]})",
        f"notes' loose lines (a space over {LOOSE_EM:.2f} em)":
            sum(space > LOOSE_EM for space, *_ in in_notes),
        "lines ending in a hyphen":
            f"{hyphenated} ({100 * hyphenated / max(lines_counted, 1):.1f} %)",
        "runs of 3+ hyphenated lines": runs,
        "hyphens across a leaf turn": across_leaves,
        "lines opening with a note call": calls,
        "apparatus entries off their lemma's page": stranded,
        "footnotes not on their call's page": away,
        "widows (a paragraph's last line atop a page)": widows,
        "orphans (a paragraph's first line at a page foot)": orphans,
        "spreads not ending level": ", ".join(uneven) or 0,
        "of them off the line grid (not whole lines apart)": ", ".join(off_the_grid) or 0,
        f"runt pages (run over onto, under {RUNT_FILL:.0%} full)":
            ", ".join(f"p. {number}" for number in runt_pages(pages)) or 0,
    }


def proof_report(pdf: Path) -> str:
    found = figures(read_pages(pdf))
    width = max(map(len, found))
    return "\n".join([*(f"{name:<{width}}  {value}" for name, value in found.items()),
                      "(pages are the PDF's, counted from its first leaf, not printed folios)",
                      ""])
