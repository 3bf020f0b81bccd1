"""Import: turn a plain-text PDF extraction, or a PDF (read through pdf_source.py: its extraction
with the cues of its layout), into a draft TEI P5 document.

The draft keeps the witness intact: every source line starts with `<lb n="…"/>`, where n is the
line's number in the extract, so the diplomatic export can rebuild the extract line for line.
On top of that the importer recognises, by rules an editor can predict and then curate:

- pages (an extraction with form feeds, as pdftotext writes them; see pages.py): `<pb n="folio"/>`
  at each page start, running heads and folios learned from repetition as `<fw>`, the footnotes
  at each page foot moved to their calls (`<ref type="footnote">` then the `<note>`, each keeping
  its lines), headings (title-case lines at a paragraph start) opening a section `<div>`;
- paragraphs: from a PDF, a line its layout shows indented or set apart (pdf_source.py); and
  a blank line after a sentence end (unless the text goes on in lower case: a column
  break, or a footnote call on a line of its own ends the sentence); in a paged extraction (a
  typeset text, whose lines are filled), a line ending a clause with room left for the next
  line's first word or its first syllable (a paragraph or list item ended there); in one
  without pages (ragged), a short line ending a sentence followed by a capitalised line;
- words run over the line end: `<lb break="no"/>`, the soft hyphen (U+002D, U+2010, U+2011,
  U+00AD) as `<pc force="weak">` (dropped in the reading text), a hard hyphen (before a capital,
  after `self-` …) kept as text; also over a note or a stray footnote number that divides a word
  ("Azer-" / note / "baijan"), judged by a dictionary of the text's own words;
- page furniture: running heads ("42, WINTER 2019", or lines given with `running_heads`) and
  folios ("34 www.irs-az.com") as `<fw>`, a folio followed by `<pb n="folio + 1"/>`;
- picture captions the extraction dropped into the text: the blocks after a running head, up to
  the next page furniture or a line indented by white space, as `<figure><head>`;
- inline numbered references "(22, p.72)", "(11, p. 48-54; 23, p. 303)", "(25)", also across
  line ends, as `<bibl type="citation"><ref type="reference" n="22">22</ref>,
  <citedRange unit="page" from="72" to="72">p.72</citedRange></bibl>`;
- footnote calls glued to the text ("conference.1 Moscow"), taken in their numeric sequence, as
  `<ref type="footnote" n="1">1</ref>`; stray footnote numbers (a line holding only a number, or a
  number glued to a word that is not the next call) as footnotes whose text was not preserved:
  `<note type="authorial" place="foot" n="18"><label>18</label></note>`;
- quotations in balanced curly quotes within a paragraph as `<quote>`;
- dates with a year ("July 28, 1920", "16 March 1921", "26.01.1922") as `<date when="…">`.
"""

from __future__ import annotations

import re
import statistics
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

import pyphen
from lxml import etree

from . import NSMAP, TEI_NS, tei
from .diagnostics import error
from .import_report import import_report, splits_word, vocabulary
from .pages import FORM_FEED, NOTE_START, FootNote, PageLayout, recognise
from .pdf_source import (
    PDF_SIGNATURE,
    Box,
    dropped_hyphens,
    line_boxes,
    margin_lines,
    paragraph_starts,
    reading_order,
)
from .pdf_source import extract as extract_pdf
from .resources import why_not_a_file

MONTHS = {
    name: number
    for number, name in enumerate(
        ("January", "February", "March", "April", "May", "June", "July", "August",
         "September", "October", "November", "December"),
        start=1,
    )
}
_MONTH = "|".join(MONTHS)
ISSUE_HEAD = re.compile(r"^\d+,\s+(WINTER|SPRING|SUMMER|AUTUMN|FALL)\s+\d{4}$", re.IGNORECASE)
_SITE = r"(?:www\.)?[\w.-]+\.[a-z]{2,}"
FOLIO = re.compile(rf"^(\d{{1,4}})\s+{_SITE}$|^{_SITE}\s+(\d{{1,4}})$")
STRAY_NUMBER = re.compile(r"^\d{1,3}$")
NOTE_TEXT = re.compile(r"^(See|Cf\.|Ibid)\b")
SENTENCE_END = re.compile(r"[.!?:”\"’)]\d{0,3}$")
CLAUSE_END = re.compile(r"[.!?:;”\"’)]\d{0,3}$")
HARD_HYPHEN_PREFIXES = {"self", "non", "ex", "anti", "well", "half", "all", "cross", "post"}

_PAGES = r"p\.\s*\d+(?:\s*[-–]\s*\d+)?"
_ITEM = rf"\d{{1,3}}(?:,\s*{_PAGES}(?:,\s*{_PAGES})*)?"
REFERENCE_GROUP = re.compile(rf"\(\s*{_ITEM}(?:\s*;\s*{_ITEM})*\s*\)")
REFERENCE_ITEM = re.compile(rf"(\d{{1,3}})((?:,\s*{_PAGES})*)")
PAGE_RANGE = re.compile(r"p\.\s*(\d+)(?:\s*[-–]\s*(\d+))?")
FOOTNOTE_CALL = re.compile(r"(?<=[a-z.,;:”\"’)])(\d{1,3})(?=\s|$)")
# A superscript call the extraction put on a line of its own (paged extractions only).
FOOTNOTE_CALL_OWN_LINE = re.compile(r"(?<=\n)(\d{1,3})(?=\s|$)")
QUOTE = re.compile(r"“[^“”]*”")
# `pdftotext -layout` keeps columns side by side: a run of spaces, far into many lines, before
# the second column's text, which starts within a few characters of the same place.
COLUMN_GAP = re.compile(r"(?:^|(?<=\S)) {3,}(?=\S)")
SECOND_COLUMN_MIN = 20
COLUMN_SLACK = 6
SIDE_BY_SIDE_MIN_LINES = 10
SIDE_BY_SIDE_SHARE = 0.2
ALIGNED_SHARE = 0.6
DATE_PATTERNS = (
    (re.compile(rf"\b({_MONTH})\s+(\d{{1,2}}),\s+(\d{{4}})\b"), ("month", "day", "year")),
    (re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\s+(\d{{4}})\b"), ("day", "month", "year")),
    (re.compile(r"\b(\d{2})\.(\d{2})\.(\d{4})\b"), ("day", "monthnum", "year")),
)
LINE_BREAK = "\n"
# The line ends a text file may use (Windows, classic Mac OS, EBCDIC's NEL, Unicode's line and
# paragraph separators), as they are found in the text and in its UTF-8 bytes.
LINE_END = re.compile("\r\n|[\r\x85\u2028\u2029]")
LINE_END_BYTES = re.compile(rb"\r\n|[\r\n]|\xc2\x85|\xe2\x80[\xa8\xa9]")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
LETTER = re.compile(r"[^\W\d_]")
LETTERS = re.compile(r"[^\W\d_]+")
# Where a word may be hyphenated (as WeasyPrint and TeX find it): in English, the language of the
# texts the importer has met.
HYPHENATION = pyphen.Pyphen(lang="en")
HYPHENS = "-\u2010\u2011\u00ad"  # hyphen-minus, hyphen, non-breaking hyphen, soft hyphen
MAX_HEAD_LINES = 3
# In a ragged extraction (the magazine's), a line ending a sentence ends its paragraph when it is
# shorter than this share of the median line.
RAGGED_SHORT_LINE = 0.8
# A typeset column holds about as many characters as the longest fifth of its lines do.
FULL_LINE_QUANTILE = 0.8
FUNCTION_WORDS = {"a", "an", "and", "of", "the", "in", "on", "for", "to", "with", "by", "or"}


@dataclass
class Line:
    number: int
    text: str
    page_break: bool = False  # a form feed opened this line: a new page starts here

    @property
    def content(self) -> str:
        return self.text.strip()


@dataclass
class Block:
    """A run of source lines that becomes one TEI element."""

    kind: str  # "p", "fw", "figure", "label"
    lines: list[Line] = field(default_factory=list)
    fw_type: str = ""


@dataclass
class Span:
    """An element to wrap around text[start:end] of a paragraph string."""

    start: int
    end: int
    tag: str
    attrib: dict[str, str]
    text_override: str | None = None
    children: list[Span] = field(default_factory=list)


def read_extract(path: Path) -> list[Line]:
    """Read a plain-text extraction, refusing binary data and non-UTF-8 bytes. Every line end
    counts as one, whichever the file uses (LF, CRLF, CR, NEL, U+2028, U+2029), so that the
    witness's line numbers are those an editor sees."""
    if (why := why_not_a_file(path)) is not None:
        raise error(why, path)
    data = path.read_bytes()
    if not data.strip():
        raise error("file is empty: nothing to import", path, 1)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise error("UTF-16 text, not UTF-8: convert the extraction to UTF-8 first", path, 1)
    if b"\x00" in data:
        line = len(LINE_END_BYTES.findall(data, 0, data.index(b"\x00"))) + 1
        raise error("binary data (NUL byte): not a plain-text extraction", path, line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = len(LINE_END_BYTES.findall(data, 0, exc.start)) + 1
        raise error(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert the extraction to UTF-8 first",
            path, line,
        ) from None
    lines = text_lines(text, path)
    side_by_side = _columns_side_by_side(lines)
    if side_by_side is not None:
        raise error("columns set side by side (as `pdftotext -layout` writes them): each line "
                    "would join two columns' words; extract without -layout, or import the PDF",
                    path, side_by_side)
    return lines


def _columns_side_by_side(lines: Sequence[Line]) -> int | None:
    """The first line of an extraction that keeps a page's columns side by side: many lines
    with a run of spaces that ends far into the line, at about the same place in most."""
    gaps = [(line.number, gap.end()) for line in lines
            if (gap := COLUMN_GAP.search(line.text)) and gap.end() >= SECOND_COLUMN_MIN]
    filled = sum(bool(line.content) for line in lines)
    if len(gaps) < SIDE_BY_SIDE_MIN_LINES or len(gaps) < SIDE_BY_SIDE_SHARE * filled:
        return None
    ends = Counter(end for _, end in gaps)
    aligned = max(sum(ends[end + shift] for shift in range(-COLUMN_SLACK, COLUMN_SLACK + 1))
                  for end in ends)
    return gaps[0][0] if aligned >= ALIGNED_SHARE * len(gaps) else None


def text_lines(text: str, path: Path) -> list[Line]:
    """The lines of an extraction's text, refusing control characters: but for the line ends
    and the form feed (a page break), one is a sign of data that is not text, or of text
    decoded in the wrong encoding (C1 controls are what Windows-1252 quotes and dashes become
    when read as Latin-1): nothing an editor would want kept silently in the witness."""
    text = LINE_END.sub(LINE_BREAK, text.removeprefix("\ufeff"))
    # Control characters (C0 but tab, line feed and form feed; DEL; C1 but NEL, a line end
    # already counted), and what XML cannot hold (surrogates, U+FFFE, U+FFFF).
    control = re.search(CONTROL, text)
    if control:
        line = text[: control.start()].count(LINE_BREAK) + 1
        code = ord(control.group())
        hint = " (Windows-1252 text decoded as Latin-1?)" if 0x80 <= code <= 0x9F else ""
        raise error(f"control character U+{code:04X}: not a plain-text extraction{hint}",
                    path, line)
    raws = text.split(LINE_BREAK)
    inside = next((number for number, raw in enumerate(raws, start=1)
                   if FORM_FEED in raw.lstrip(FORM_FEED)), None)
    if inside is not None:
        raise error("form feed inside a line: a page break opens a line (pdftotext writes it "
                    "before a page's first line); break the line there or remove it",
                    path, inside)
    return [Line(number, raw.replace(FORM_FEED, ""), FORM_FEED in raw)
            for number, raw in enumerate(raws, start=1)]


def segment(lines: Sequence[Line], running_heads: Iterable[str] = (),
            layout: PageLayout | None = None, starts: Collection[int] = ()) -> list[Block]:
    """Group lines into paragraphs, heads, page furniture, captions and stray footnote labels.

    With a page layout, its furniture and footnotes are left out of the flow (they are placed
    afterwards), so a paragraph runs on over column and page breaks. `starts` are the lines
    that open a paragraph by what the page shows (a PDF's indents and spacing)."""
    heads = {head.strip() for head in running_heads}
    paged = layout is not None and bool(layout.page_starts)
    if paged:
        lines = layout.body(lines)
    lengths = sorted(len(x.content) for x in lines if x.content) or [0]
    measure = statistics.median(lengths)
    capacity = lengths[int(FULL_LINE_QUANTILE * (len(lengths) - 1))]
    blocks: list[Block] = []
    current: Block | None = None
    in_captions = False
    previous: Line | None = None
    blank_before = True
    head_end = 0
    for index, line in enumerate(lines):
        if index < head_end:  # a line of the heading just recognised
            continue
        content = line.content
        after_blank, blank_before = blank_before, False
        if not content:
            if (current is not None and current.kind == "p" and _ends_paragraph(current)
                    and not (paged and _continues_lowercase(lines, index))):
                current = None
            elif current is not None and current.kind == "figure":
                current.lines.append(line)
            previous = None if current is None else previous
            blank_before = True
            continue
        furniture = _furniture_type(content, heads)
        if furniture:
            blocks.append(Block("fw", [line], furniture))
            in_captions = furniture == "runningHead"
            current = None
            previous = line
            continue
        if paged and (previous is None or _ends_sentence(previous.content)):
            head_end = index + _head_lines(lines, index)
            if head_end > index:
                blocks.append(Block("head", list(lines[index:head_end])))
                current, previous = None, lines[head_end - 1]
                continue
        if STRAY_NUMBER.match(content) and not in_captions and not paged:
            blocks.append(Block("label", [line]))
            current = None
            previous = line
            continue
        if after_blank and not paged and (NOTE_TEXT.match(content) or "//" in content):
            blocks.append(Block("note", [line]))
            current = None
            continue
        if in_captions and line.text[:1].isspace():
            in_captions = False
        if in_captions:
            if current is None or current.kind != "figure":
                current = Block("figure")
                blocks.append(current)
            current.lines.append(line)
            previous = line
            continue
        if current is not None and current.kind == "figure":
            current.lines = _trim_blank(current.lines)
            current = None
        if current is not None and previous is not None and (
            line.number in starts or (
                _left_room(previous.content, content, capacity) if paged else (
                    _short_sentence_end(previous.content, measure * RAGGED_SHORT_LINE)
                    and _starts_sentence(content)))
        ):
            current = None
        if current is None or current.kind != "p":
            current = Block("p")
            blocks.append(current)
        current.lines.append(line)
        previous = line
    for block in blocks:
        block.lines = _trim_blank(block.lines)
    blocks = [block for block in blocks if block.lines]
    for index, block in enumerate(blocks):
        if not paged and block.kind == "p" and _is_note_text(
            block, blocks[index - 1] if index else None
        ):  # with pages, the layout found the footnotes
            block.kind = "note"
    return blocks


def _is_note_text(block: Block, before: Block | None) -> bool:
    """A one-line block that reads like a footnote (a "See:" reference, an archival "//"
    citation) or that interrupts a paragraph in mid-word is footnote text."""
    if len(block.lines) != 1:
        return False
    content = block.lines[0].content
    if NOTE_TEXT.match(content) or "//" in content:
        return True
    return before is not None and before.kind == "p" and before.lines[-1].content.endswith("-")


def _trim_blank(lines: list[Line]) -> list[Line]:
    while lines and not lines[-1].content:
        lines = lines[:-1]
    return lines


def _furniture_type(content: str, heads: set[str]) -> str:
    if ISSUE_HEAD.match(content) or content in heads:
        return "runningHead"
    if FOLIO.match(content):
        return "folio"
    return ""


def _ends_paragraph(block: Block) -> bool:
    """Does the block end a sentence, counting a footnote call put on a line of its own
    ("millions." / "21") as the end of the line before?"""
    contents = [line.content for line in block.lines if line.content]
    last = contents[-1]
    if STRAY_NUMBER.match(last) and len(contents) > 1:
        last = contents[-2] + last
    return _ends_sentence(last)


def _ends_sentence(content: str) -> bool:
    return bool(SENTENCE_END.search(content)) and not content.endswith(tuple(HYPHENS))


def _continues_lowercase(lines: Sequence[Line], blank: int) -> bool:
    """Does the text after this blank line (a column or page break) go on in mid-sentence?"""
    following = next((line.content for line in lines[blank:] if line.content), "")
    return following[:1].islower()


def _head_lines(lines: Sequence[Line], start: int) -> int:
    """How many lines from `start` make a heading: up to three lines in title case, the last
    not ending in a comma or a function word, followed by a capitalised line; not numbers
    alone (a footnote call pdftotext set on a line of its own, a folio)."""
    run = 0
    while run < MAX_HEAD_LINES and start + run < len(lines) and _title_case(
        lines[start + run].content
    ):
        run += 1
    for length in range(run, 0, -1):
        last = lines[start + length - 1].content
        after = lines[start + length].content if start + length < len(lines) else ""
        if (
            LETTER.search(lines[start].content)
            and not re.search(r"[.,;:!?\u2010-]$", last)
            and last.split()[-1].lower() not in FUNCTION_WORDS
            and after[:1].isupper()
        ):
            return length
    return 0


def _title_case(content: str) -> bool:
    words = re.findall(r"[^\W\d_]{4,}", content)
    return bool(content) and all(word[0].isupper() for word in words) and not content.endswith(
        tuple(HYPHENS)) and (bool(words) or bool(re.fullmatch(r"[\d–-]+", content)))


def _left_room(previous: str, content: str, capacity: int) -> bool:
    """Did the line before end a clause with room for the start of this line: its first word,
    or that word's first syllable and a hyphen? A typesetter fills a line as far as it can,
    so a break it did not need ended a paragraph or a list item. (Not before a number alone on
    its line: a footnote call the extraction took out of the line before.)"""
    return bool(CLAUSE_END.search(previous)) and not STRAY_NUMBER.match(content) and (
        len(previous) + 1 + len(_first_piece(content.split()[0])) <= capacity)


def _first_piece(word: str) -> str:
    """The least of `word` a typesetter could set at a line end: up to its first hyphenation
    point (with the hyphen), or the whole word."""
    letters = LETTERS.match(word)
    points = HYPHENATION.positions(letters.group()) if letters else []
    return word[:points[0]] + "-" if points else word


def _short_sentence_end(content: str, limit: float) -> bool:
    return bool(SENTENCE_END.search(content)) and len(content) < limit


def _starts_sentence(content: str) -> bool:
    return content[:1].isupper() or content[:1] in "“\""


# --- inline recognition -------------------------------------------------------------------


class FootnoteSequence:
    """The footnote calls of one article, recognised in their numeric order; or, when the notes
    printed at the page feet are known, a call for each of those notes, in whatever order the
    extraction has the columns."""

    def __init__(self, printed: Iterable[int] = ()) -> None:
        self.last = 0
        self.uncalled = set(printed)

    def classify(self, number: int) -> str:
        """'call' for the next footnote call, 'label' for a stray number already called."""
        if self.uncalled:
            if number in self.uncalled:
                self.uncalled.discard(number)
                return "call"
            return ""
        if self.last < number <= self.last + 2:
            self.last = number
            return "call"
        if 0 < number <= self.last:
            return "label"
        return ""


def paragraph_string(lines: Sequence[Line]) -> tuple[str, list[int]]:
    """Join lines with LINE_BREAK; return the string and each line's number."""
    return LINE_BREAK.join(line.text for line in lines), [line.number for line in lines]


def find_spans(text: str, footnotes: FootnoteSequence, paged: bool = False,
               words: Counter[str] | None = None) -> list[Span]:
    """All inline elements of one paragraph string, nested where they contain each other."""
    atoms: list[Span] = []
    atoms += _reference_spans(text)
    atoms += _footnote_spans(text, footnotes, atoms, paged)
    atoms += _date_spans(text, atoms)
    atoms += _hyphen_spans(text, words)
    atoms.sort(key=lambda span: span.start)
    containers = [
        Span(m.start(), m.end(), "quote", {})
        for m in QUOTE.finditer(text)
        if not any(_crosses(m.start(), m.end(), atom) for atom in atoms)
    ]
    for container in containers:
        container.children = [a for a in atoms if container.start <= a.start < container.end]
    inside = {id(a) for c in containers for a in c.children}
    top = containers + [a for a in atoms if id(a) not in inside]
    return sorted(top, key=lambda span: span.start)


def _crosses(start: int, end: int, span: Span) -> bool:
    return (span.start < start < span.end) or (span.start < end < span.end)


def _overlaps(span: Span, others: Iterable[Span]) -> bool:
    return any(span.start < other.end and other.start < span.end for other in others)


def _reference_spans(text: str) -> list[Span]:
    spans = []
    for group in REFERENCE_GROUP.finditer(text):
        inner_start = group.start() + 1
        body = group.group()[1:-1]
        bibl = Span(inner_start, group.end() - 1, "bibl", {"type": "citation"})
        spans.append(bibl)
        for item in REFERENCE_ITEM.finditer(body):
            start = inner_start + item.start()
            bibl.children.append(
                Span(start, start + len(item.group(1)), "ref",
                     {"type": "reference", "n": item.group(1)})
            )
            for pages in PAGE_RANGE.finditer(item.group(2)):
                first, last = pages.group(1), pages.group(2) or pages.group(1)
                page_start = start + item.start(2) - item.start() + pages.start()
                bibl.children.append(
                    Span(page_start, page_start + len(pages.group()), "citedRange",
                         {"unit": "page", "from": first, "to": last})
                )
    return spans


def _footnote_spans(text: str, footnotes: FootnoteSequence, taken: list[Span],
                    paged: bool) -> list[Span]:
    spans = []
    matches = list(FOOTNOTE_CALL.finditer(text))
    if paged:
        matches = sorted(matches + list(FOOTNOTE_CALL_OWN_LINE.finditer(text)),
                         key=lambda match: match.start())
    for match in matches:
        candidate = Span(match.start(1), match.end(1), "ref", {})
        if _overlaps(candidate, taken):
            continue
        number = int(match.group(1))
        kind = footnotes.classify(number)
        if kind == "call":
            candidate.attrib = {"type": "footnote", "n": str(number)}
            spans.append(candidate)
        elif kind == "label":
            spans.append(_label_span(match.start(1), match.end(1), str(number)))
    return spans


def _label_span(start: int, end: int, number: str) -> Span:
    note = Span(start, end, "note", {"type": "authorial", "place": "foot", "n": number})
    note.children.append(Span(start, end, "label", {}))
    return note


def _date_spans(text: str, taken: list[Span]) -> list[Span]:
    spans: list[Span] = []
    for pattern, parts in DATE_PATTERNS:
        for match in pattern.finditer(text):
            values = dict(zip(parts, match.groups(), strict=True))
            month = MONTHS.get(values.get("month", ""), 0) or int(values.get("monthnum", 0))
            when = f"{int(values['year']):04d}-{month:02d}-{int(values['day']):02d}"
            span = Span(match.start(), match.end(), "date", {"when": when})
            if not _overlaps(span, taken + spans):
                spans.append(span)
    return spans


def _hyphen_spans(text: str, words: Counter[str] | None = None) -> list[Span]:
    """Soft hyphens at line ends, to be dropped in the reading text. A hyphen after a prefix
    such as "self-" is hard (kept), unless the joined word is one the text writes whole
    ("ex-" / "tensive": "extensive")."""
    spans = []
    for match in re.finditer(rf"(\w+)[{HYPHENS}][ \t]*\n\s*([a-z]\w*)", text):
        if _hard_hyphen(match.group(1).lower(), match.group(2).lower(), words or Counter()):
            continue
        hyphen = match.start() + len(match.group(1))
        spans.append(Span(hyphen, hyphen + 1, "pc", {"force": "weak"}))
    return spans


def _hard_hyphen(first: str, second: str, words: Counter[str]) -> bool:
    return first in HARD_HYPHEN_PREFIXES and not words[first + second]


# --- building the tree --------------------------------------------------------------------


def build_inline(parent: etree._Element, text: str, numbers: Sequence[int],
                 spans: Sequence[Span], words: Counter[str] | None = None) -> None:
    """Fill `parent` with text, `<lb n>` at each line start, and the spans as elements; with
    the text's words, a word split at a line end without a hyphen ("confer19 / ence") is
    joined too."""
    state = _Builder(parent, text, numbers, words or Counter())
    state.emit_lb(0)
    state.fill(parent, 0, len(text), spans)


class _Builder:
    def __init__(self, root: etree._Element, text: str, numbers: Sequence[int],
                 words: Counter[str]) -> None:
        self.root = root
        self.text = text
        self.words = words
        self.numbers = list(numbers)
        self.line_starts = [0, *(match.end() for match in re.finditer(LINE_BREAK, text))]
        self.line_index = 0
        self.current = root

    def emit_lb(self, position: int) -> None:
        attrib = {"n": str(self.numbers[self.line_index])}
        if self.line_index > 0:
            before, after = self._around_line_start(position)
            if _runs_over(before, after) or _split_at_line_end(before, after, self.words):
                attrib["break"] = "no"
        self.append(etree.Element(tei("lb"), attrib))

    def _around_line_start(self, position: int) -> tuple[str, str]:
        """The text before the line end that `position` follows and the text after it, each as
        far as the nearest line holding a letter: a word run over a line end is judged from
        its neighbours, not from the whole paragraph (which would make long paragraphs cost
        the square of their length)."""
        first = self.line_index - 1
        while first > 0 and not LETTER.search(
                self.text, self.line_starts[first], position - 1):
            first -= 1
        last = self.line_index
        while last + 1 < len(self.line_starts) and not LETTER.search(
                self.text, position, self.line_starts[last + 1]):
            last += 1
        end = (self.line_starts[last + 1] - 1 if last + 1 < len(self.line_starts)
               else len(self.text))
        return self.text[self.line_starts[first]:position - 1], self.text[position:end]

    def append(self, element: etree._Element) -> None:
        self.current.append(element)

    def add_text(self, chunk: str) -> None:
        parts = chunk.split(LINE_BREAK)
        for index, part in enumerate(parts):
            if index:
                self.line_index += 1
                self.emit_lb(self.line_starts[self.line_index])
            if part:
                _append_text(self.current, part)

    def fill(self, parent: etree._Element, start: int, end: int, spans: Sequence[Span]) -> None:
        position = start
        for span in spans:
            self.current = parent
            self.add_text(self.text[position:span.start])
            element = etree.SubElement(parent, tei(span.tag), span.attrib)
            if span.children:
                self.fill(element, span.start, span.end, span.children)
            else:
                self.current = element
                self.add_text(self.text[span.start:span.end])
            position = span.end
        self.current = parent
        self.add_text(self.text[position:end])


def _runs_over(before: str, after: str) -> bool:
    """Does the word at the end of the text before a line end continue on the line after it?"""
    before = before.rstrip(" \t")
    after = after.lstrip(" \t")
    if before.endswith(tuple(HYPHENS)):
        return bool(after[:1].isalpha())
    last_word = before.split()[-1] if before.split() else ""
    if "://" in last_word and last_word.endswith(tuple("/?&=#_")):
        return after[:1].isalnum()  # a URL broken after a separator
    # a dash set close ("1898–1900", "policy—diminished") may break a line without a space
    return before.endswith(("–", "—")) and not before[-2:-1].isspace() and after[:1].isalnum()


def _split_at_line_end(before: str, after: str, words: Counter[str]) -> bool:
    """Is the last piece before a line end (a footnote number glued to it aside) and the first
    piece after it one word of the text?"""
    first = re.search(r"([^\W\d_]+)\d*\s*$", before)
    second = re.match(r"\s*([a-z][^\W\d_]*)", after)
    return bool(first and second) and splits_word(first.group(1), second.group(1), words)


def _append_text(element: etree._Element, text: str) -> None:
    if len(element):
        last = element[-1]
        last.tail = (last.tail or "") + text
    else:
        element.text = (element.text or "") + text


def build_document(blocks: Sequence[Block], title: str, source_name: str,
                   layout: PageLayout | None = None,
                   words: Counter[str] | None = None, from_pdf: bool = False) -> etree._ElementTree:
    root = etree.Element(tei("TEI"), nsmap={None: TEI_NS})
    root.append(_draft_header(title, source_name, from_pdf))
    text = etree.SubElement(root, tei("text"))
    body = etree.SubElement(text, tei("body"))
    div = etree.SubElement(body, tei("div"), {"type": "article"})
    paged = layout is not None and bool(layout.page_starts)
    footnotes = FootnoteSequence(note.number for note in layout.notes) if paged else (
        FootnoteSequence())
    words = words or Counter()
    for block in blocks:
        if block.kind == "fw":
            line = block.lines[0]
            fw = etree.SubElement(div, tei("fw"), {"type": block.fw_type})
            etree.SubElement(fw, tei("lb"), {"n": str(line.number)}).tail = line.content
            folio = FOLIO.match(line.content)
            if folio:
                page = int(folio.group(1) or folio.group(2))
                etree.SubElement(div, tei("pb"), {"n": str(page + 1)})
        elif block.kind == "label":
            line = block.lines[0]
            note = etree.SubElement(
                div, tei("note"), {"type": "authorial", "place": "foot", "n": line.content}
            )
            etree.SubElement(note, tei("lb"), {"n": str(line.number)})
            etree.SubElement(note, tei("label")).text = line.content
        elif block.kind == "note":
            note = etree.SubElement(div, tei("note"), {"type": "authorial", "place": "foot"})
            string, numbers = paragraph_string(block.lines)
            build_inline(note, string, numbers, [])
        elif block.kind == "head":
            head = etree.SubElement(div, tei("head"))
            string, numbers = paragraph_string(block.lines)
            build_inline(head, string, numbers, _hyphen_spans(string, words))
        elif block.kind == "figure":
            figure = etree.SubElement(div, tei("figure"))
            head = etree.SubElement(figure, tei("head"))
            content_lines = [line for line in block.lines if line.content]
            string, numbers = paragraph_string(content_lines)
            build_inline(head, string, numbers, [])
        else:
            paragraph = etree.SubElement(div, tei("p"))
            string, numbers = paragraph_string(block.lines)
            spans = find_spans(string, footnotes, paged, words)
            build_inline(paragraph, string, numbers, spans, words)
    _merge_interrupted_paragraphs(div, words)
    if paged:
        _place_furniture(div, layout)
        _place_notes(div, layout.notes, words)
        _sections_at_heads(div)
    _indent_keeping_inline(root)
    return etree.ElementTree(root)


def _place_furniture(div: etree._Element, layout: PageLayout) -> None:
    """A `<pb n="folio"/>` at each page start and the running heads and folios as `<fw>`, each
    before the first body line from there on in the extraction: a page's first line when
    it is body text."""
    milestones: list[tuple[int, etree._Element]] = []
    for start in layout.page_starts:
        folio = layout.folios.get(start)
        milestones.append((start, etree.Element(tei("pb"), {"n": folio} if folio else {})))
    for number, (kind, content) in layout.furniture.items():
        milestones.append((number, _fw(kind, number, content)))
    body_lines = BodyLines(div)
    for number, milestone in sorted(milestones, key=lambda item: item[0]):
        body_lines.insert_before(number, milestone)


def _fw(kind: str, number: int, content: str) -> etree._Element:
    fw = etree.Element(tei("fw"), {"type": kind})
    etree.SubElement(fw, tei("lb"), {"n": str(number)}).tail = content
    return fw


class BodyLines:
    """The body's lines (not furniture or footnotes already placed) in document order, to put
    elements where a source line stands; found by bisection, so that placing an element on
    each page costs no walk through the whole body."""

    def __init__(self, div: etree._Element) -> None:
        self.div = div
        self.lines = [lb for lb in div.iter(tei("lb")) if not _in_placed(lb, div)]
        # the highest line number so far: the first line numbered `number` or more in document
        # order is the first whose running maximum reaches it
        self.reached = list(accumulate((int(lb.get("n")) for lb in self.lines), max))

    def insert_before(self, number: int, element: etree._Element) -> None:
        """Put `element` where source line `number` stands: before the first body line numbered
        `number` or more, outside the paragraph when that line opens one."""
        index = bisect_left(self.reached, number)
        if index == len(self.lines):
            self.div.append(element)
            return
        following = self.lines[index]
        block = following
        while block.getparent() is not self.div:
            block = block.getparent()
        first_line = next(block.iter(tei("lb")), None) is following
        anchor = block if first_line else following
        anchor.addprevious(element)


def _in_placed(lb: etree._Element, div: etree._Element) -> bool:
    """Is this line inside furniture or a footnote already placed (not a body line)?"""
    parent = lb.getparent()
    while parent is not None and parent is not div:
        if parent.tag in (tei("fw"), tei("note")):
            return True
        parent = parent.getparent()
    return False


def _place_notes(div: etree._Element, notes: Sequence[FootNote], words: Counter[str]) -> None:
    """Each footnote printed at a page foot takes the place of its call, as TEI places a note:
    the call's mark becomes the note's first `<label>` (the witness keeps it on the call's
    line), the note's own lines follow. A note without a call stays where the extraction has
    it. (A `<ref type="footnote">` is left for a call without note text: in the magazine's
    articles such a call cites a numbered reference.)"""
    calls = {ref.get("n"): ref for ref in div.iter(tei("ref")) if ref.get("type") == "footnote"}
    body_lines = BodyLines(div)
    for foot_note in notes:
        note = _note_element(foot_note, words)
        call = calls.get(str(foot_note.number))
        if call is None:
            body_lines.insert_before(foot_note.lines[0].number, note)
            continue
        mark = etree.Element(tei("label"))
        mark.text = call.text
        note.insert(0, mark)
        note.tail = call.tail
        call.getparent().replace(call, note)


def _note_element(foot_note: FootNote, words: Counter[str]) -> etree._Element:
    note = etree.Element(tei("note"), {"type": "authorial", "place": "foot",
                                       "n": str(foot_note.number)})
    string, numbers = paragraph_string(foot_note.lines)
    label = NOTE_START.match(string.lstrip())
    offset = len(string) - len(string.lstrip())
    spans = [Span(offset, offset + label.end(2), "label", {}), *_hyphen_spans(string, words)]
    build_inline(note, string, numbers, spans)
    return note


def _sections_at_heads(div: etree._Element) -> None:
    """A heading opens a section: it and what follows up to the next heading become a `<div>`
    (TEI allows a `<head>` only at the top of a division)."""
    section: etree._Element | None = None
    for child in list(div):
        if child.tag == tei("head"):
            section = etree.SubElement(div, tei("div"))
        if section is not None:
            section.append(child)


def _join_over_interruption(paragraph: etree._Element, continuation: etree._Element,
                            words: Counter[str]) -> None:
    """A word divided by an interruption ("Azer-" / a note / "baijan"): the hyphen becomes a
    weak `<pc>` and the continuation's first line runs over."""
    before = "".join(paragraph.xpath(".//text()[not(ancestor::tei:note)]", namespaces=NSMAP))
    after = "".join(continuation.itertext())
    first_line = next(continuation.iter(tei("lb")), None)
    if first_line is None or not after.lstrip()[:1].islower():
        return
    last = paragraph[-1] if len(paragraph) else None
    hyphenated = last is not None and (last.tail or "").endswith(tuple(HYPHENS))
    if hyphenated:
        word = re.search(r"(\w+)[^\w]$", last.tail)
        if word is None or word.group(1).lower() in HARD_HYPHEN_PREFIXES:
            return
        hyphen = last.tail[-1]
        last.tail = last.tail[:-1]
        etree.SubElement(paragraph, tei("pc"), {"force": "weak"}).text = hyphen
    elif not _split_at_line_end(before, after, words):
        return
    first_line.set("break", "no")


def _merge_interrupted_paragraphs(div: etree._Element, words: Counter[str]) -> None:
    """A paragraph cut by page furniture, a caption or a footnote goes on after it: move the
    interruption and the continuation into the first paragraph."""
    children = list(div)
    index = 0
    while index < len(children):
        paragraph = children[index]
        index += 1
        if paragraph.tag != tei("p") or _text_ends_sentence(paragraph):
            continue
        interruption = []
        while index < len(children) and children[index].tag != tei("p"):
            interruption.append(children[index])
            index += 1
        if index == len(children) or not interruption:
            index -= len(interruption)
            continue
        continuation = children[index]
        _join_over_interruption(paragraph, continuation, words)
        for element in interruption:
            paragraph.append(element)
        _append_text(paragraph, continuation.text or "")
        for child in list(continuation):
            paragraph.append(child)
        div.remove(continuation)
        children = list(div)
        index = children.index(paragraph)


def _text_ends_sentence(paragraph: etree._Element) -> bool:
    text = "".join(paragraph.itertext()).rstrip()
    return bool(SENTENCE_END.search(text)) and not text.endswith("-")


def _indent_keeping_inline(root: etree._Element) -> None:
    """Indent the draft's structure but not its mixed content: there white space is the
    witness's own (the space between two quotations) and indentation would add words' worth."""
    inline = [(descendant, descendant.text, descendant.tail)
              for element in root.iter(tei("p"), tei("head"), tei("note"))
              for descendant in element.iterdescendants()]
    etree.indent(root, space="  ")
    for descendant, text, tail in inline:
        descendant.text, descendant.tail = text, tail


def _draft_header(title: str, source_name: str, from_pdf: bool) -> etree._Element:
    header = etree.Element(tei("teiHeader"))
    file_desc = etree.SubElement(header, tei("fileDesc"))
    title_stmt = etree.SubElement(file_desc, tei("titleStmt"))
    etree.SubElement(title_stmt, tei("title")).text = title
    publication = etree.SubElement(file_desc, tei("publicationStmt"))
    etree.SubElement(publication, tei("p")).text = "Unpublished draft made by the edition importer."
    source_desc = etree.SubElement(file_desc, tei("sourceDesc"))
    note = etree.SubElement(source_desc, tei("p"))
    note.text = "The text of the PDF " if from_pdf else "Plain-text extraction "
    ref = etree.SubElement(note, tei("ref"), {"target": f"sources/{source_name}"})
    ref.text = source_name
    ref.tail = (" as pdftotext extracts it; lb/@n gives the line number in that extraction."
                if from_pdf else "; lb/@n gives the line number in the extraction.")
    return header


@dataclass
class Draft:
    """An imported draft and the import report: what was recognised, what needs the editor."""

    tree: etree._ElementTree
    report: list[str]


def draft_extract(source: Path, running_heads: Iterable[str] = ()) -> Draft:
    """Draft TEI from a plain-text extraction, or from a PDF: its text as pdftotext writes it,
    read with the cues of its layout (see pdf_source.py)."""
    if (why := why_not_a_file(source)) is not None:
        raise error(why, source)
    boxes: dict[int, Box] = {}
    if is_pdf(source):
        pdf = extract_pdf(source)
        lines = text_lines(pdf.text, source)
        boxes = line_boxes(lines, pdf.layout)
    else:
        lines = read_extract(source)
    layout = recognise(lines, margin_lines(lines, boxes))
    ordered = reading_order(lines, boxes) if boxes else lines
    starts = paragraph_starts(layout.body(ordered), boxes) if boxes else set()
    blocks = segment(ordered, running_heads, layout, starts)
    title = source.stem.replace("-", " ").replace("_", " ").capitalize()
    tree = build_document(blocks, title, source.name, layout, vocabulary(lines),
                          from_pdf=bool(is_pdf(source)))
    report = import_report(tree, lines, layout, source) + [
        f"{source}:{line}: note: the PDF divides \"{word}\" at a line end with a hyphen that "
        f"pdftotext left out (\"{word.replace('-', '', 1)}\"): restore it if it belongs to "
        "the word" for line, word in dropped_hyphens(boxes)]
    return Draft(tree, [report[0], *sorted(report[1:], key=_report_line(source))])


def _report_line(source: Path) -> Callable[[str], int]:
    """The line number a report entry (`source:line: note: …`) points at: editors' tools go
    through them in the file's order."""
    prefix = len(f"{source}:")
    return lambda entry: int(entry[prefix:].split(":", 1)[0])


def is_pdf(source: Path) -> bool:
    """A PDF by its name or by its first bytes (one named otherwise is still read as a PDF)."""
    with source.open("rb") as head:
        return source.suffix.lower() == ".pdf" or head.read(len(PDF_SIGNATURE)) == PDF_SIGNATURE


def import_extract(source: Path, running_heads: Iterable[str] = ()) -> etree._ElementTree:
    return draft_extract(source, running_heads).tree
