"""Plain-text exports of a TEI edition: the diplomatic witness and the normalised reading text.

The diplomatic export rebuilds the source extraction line for line (each `<lb n>` starts source
line n; a gap in the numbering is a blank line; a note placed at its call has its own lines, and
the text after it goes on on the call's line), which is how the tests prove that no word of the
witness is lost. A witness whose lines are not all numbered (other projects' TEI: no `<lb n>`,
or words outside the numbered lines) has its diplomatic text set as the reading text is, block
by block, a line for each `<lb/>`, and says so on stderr (`diplomatic_text`). The normalised
export is the reading text: choices resolved to their editorial side, soft hyphens and page
furniture dropped, notes after the text, each editorial note called "[ed. n]" where it belongs,
as the HTML calls it. Both read what the web edition shows as it shows it: a gap "[…]",
dimensions "250 × 84 mm", an apparatus "word [A ] voice B]", a row's cells apart (a tab).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from . import tei
from .views import DIPLOMATIC, NORMALISED, View, word_runs_on

_SPACES = re.compile(r"\s+")


# The most lines an `<lb n>` may skip: the skipped lines are written as blank lines, and a typo
# (`<lb n="200000000"/>`) had the export write them for minutes.
MAX_LINE_JUMP = 10_000


class LineJump(ValueError):
    """An `<lb n>` that skips more than `MAX_LINE_JUMP` lines, refused (`edition text` says
    where: file and line)."""

    def __init__(self, lb: etree._Element, before: int, number: int) -> None:
        after = f"follows line {before}" if before else "is the first line"
        super().__init__(f"<lb n=\"{lb.get('n')}\"/> {after}: a jump of more than "
                         f"{MAX_LINE_JUMP:,} lines is not written as blank lines (a wrong @n?)")
        self.lb = lb


def line_number(lb: etree._Element) -> int | None:
    """The witness line an `<lb n>` begins: its @n where that is a number in ASCII digits, else
    None ("12a", "", and "²" or "٣", which str.isdigit() takes and which crashed int() or were
    read as another line)."""
    number = lb.get("n", "")
    return int(number) if number.isascii() and number.isdigit() else None


def diplomatic_lines(tree: etree._ElementTree) -> list[str]:
    """The witness, as a list of source lines (index 0 is line 1)."""
    return _witness_lines(tree)[0]


def _witness_lines(tree: etree._ElementTree) -> tuple[list[str], str]:
    """The witness's numbered lines (`diplomatic_lines`), and the words no numbered line
    holds: those before the first `<lb n>` and after an `<lb/>` without a line number (no @n,
    "12a", "²", or "0": line 0 has no place in a list of lines from 1, and its words were
    dropped). An `<lb n>` skipping more than `MAX_LINE_JUMP` lines raises `LineJump`."""
    lines: dict[int, list[str]] = {}
    unplaced: list[str] = []
    current: list[str] = unplaced
    highest = 0

    def visit(element: etree._Element) -> None:
        nonlocal current, highest
        if (not isinstance(element.tag, str) or not DIPLOMATIC.reads(element)
                or element.tag == tei("index")):
            return
        if element.tag in _READ_WHOLE and next(element.iter(tei("lb"), tei("note")), None) is None:
            words: list[str] = []  # a gap, an apparatus, dimensions within a line: as read apart
            _read(element, element, DIPLOMATIC, False, words)
            current.append("".join(words))
            return
        if element.tag == tei("app"):  # holding a line beginning or a note: its lemma's
            in_text, entry = _apparatus_split(element, element, DIPLOMATIC, False, False)
            if in_text is not None:  # lines begin where they stand, the entry after it
                visit(in_text)
                if not "".join(in_text.itertext()).strip():
                    current.append("om.")
            current.append(entry)  # ("brownslow", "jumpsapp noteleaps": lemma and reading ran on)
            return
        call_line = current
        if element.tag == tei("note"):  # a note's words before its first <lb n> are on no line
            current = unplaced  # of the witness (they ran on the call's line: "betaNote gamma")
        if element.tag == tei("lb"):
            number = line_number(element)
            if number and number - highest > MAX_LINE_JUMP:
                raise LineJump(element, highest, number)
            highest = max(highest, number or 0)
            current = lines.setdefault(number, []) if number else unplaced
        elif element.text and element.tag != tei("choice"):
            current.append(element.text)
        for child in element:
            line = current
            if element.tag == tei("note") and child.tag == tei("label") and current is unplaced:
                current = call_line  # the witness's mark of a lost note ("19") is at its call
                visit(child)
                current = unplaced
            else:
                visit(child)
            if child.tag == tei("note"):
                current = line  # the text goes on, after the note's own lines, on the call's
            if child.tail and (child.tail.strip() or element.tag != tei("choice")):
                current.append(child.tail)  # (the spaces that lay a choice out are no text)

    text = tree.getroot().find(tei("text"))
    if text is not None:
        visit(text)
    last = max(lines, default=0)
    return ([_SPACES.sub(" ", "".join(lines.get(n, []))).strip() for n in range(1, last + 1)],
            " ".join(unplaced))


def diplomatic_text(tree: etree._ElementTree) -> tuple[str, str | None]:
    """`edition text --diplomatic`: the witness line for line (`diplomatic_lines`) where its
    encoding numbers every line it has words on; else, rather than lose the words outside
    numbered lines (a text without `<lb n>` came out empty, exit 0), the witness's reading
    (original spellings, abbreviations, the witness's notes) block by block as the
    normalised text is set, a line beginning (`<lb/>`) a new line within its block, as in the
    web edition's diplomatic view. The second value says why the lines are not numbered (None
    when they are)."""
    lines, unplaced = _witness_lines(tree)
    if lines and not unplaced.strip():
        return "\n".join(lines) + "\n", None
    words = len(unplaced.split())
    why = ("it numbers no line (no <lb n>)" if not lines else
           f"{words} of its words stand outside its numbered lines (before the first <lb n> "
           "or after an <lb/> without a line number 1, 2, 3…)")
    return _block_text(tree, DIPLOMATIC), why


_APART = {tei("note"), tei("figure")}  # read on their own, not as part of the text around them


_CERTAINTY_WORDS = {"medium": "probably", "low": "possibly"}  # <note cert>: the number is inferred


def note_label(number: str, note: etree._Element | None) -> str:
    """A note's number as the reader sees it: a number the editors assigned without certainty
    (`<note n="3" cert="medium">`, a note that survived without its number) says so; the
    numbers of a note several calls share ("37-38") are a range, with an en dash."""
    word = _CERTAINTY_WORDS.get(note.get("cert", "")) if note is not None else None
    shown = number.replace("-", "–") if re.fullmatch(r"\d+-\d+", number) else number
    return f"{word} {shown}" if word else shown


MEASURES = ("height", "width", "depth", "dim")  # the measures of a `<dimensions>`, in TEI
_MEASURE_TAGS = frozenset(tei(name) for name in MEASURES)
# What the line for line export reads as `reading_text` does, where it lies within a line: what
# is not the plain run of its text nodes (a gap's mark and not its <desc>, an apparatus's entry).
_READ_WHOLE = frozenset(tei(name) for name in ("gap", "app", "dimensions", *MEASURES))


def measure_value(measure_: etree._Element) -> str:
    """A measure's value: its words, or else its attributes' ("10–12" of @atLeast, @atMost)."""
    words = "".join(measure_.itertext()).strip()
    if words:
        return words
    low = measure_.get("atLeast") or measure_.get("min")
    high = measure_.get("atMost") or measure_.get("max")
    return measure_.get("quantity") or "–".join(value for value in (low, high) if value)


def measure_unit(measure_: etree._Element) -> str | None:
    """The unit of a measure: its own, or else the dimensions' it stands in."""
    holder = measure_.getparent()
    inherited = holder.get("unit") if holder is not None and holder.tag == tei("dimensions") \
        else None
    return measure_.get("unit") or inherited


def shared_unit(dimensions_: etree._Element) -> str | None:
    """The unit all measures of a `<dimensions>` are given in, if they share one."""
    units = {measure_unit(child) for child in dimensions_
             if isinstance(child.tag, str) and child.tag in _MEASURE_TAGS
             and measure_value(child)}
    return units.pop() if len(units) == 1 else None


_LINE_BEGINS = "\u0001"  # `reading_text(..., lines=True)`: where a `<lb/>` begins a line
# Between a row's cells, a tab: the cells stand apart in every format; a table encoded without
# spaces between its cells (`<cell>1</cell><cell>1861</cell>`) read "11861".
_NEXT_CELL = "\u0002"


def reading_text(element: etree._Element, view: View = NORMALISED,
                 note_calls: bool = False, lines: bool = False) -> str:
    """The text of `element` as the view reads it, on one line, notes and figures left out;
    with `note_calls`, an editorial note leaves its call ("[ed. 1]") where it stands; with
    `lines`, each `<lb/>` begins a new line, as the witness's lines run (the diplomatic
    text of a witness whose lines are not numbered)."""
    parts: list[str] = []
    _read(element, element, view, note_calls, parts, lines)
    # a word running on over a line beginning; the soft hyphen ending its line is the witness's
    line_end = r"\u00ad?\s*\u0000\s*" if view.omit_weak_pc else r"\s*\u0000\s*"
    joined = _SPACES.sub(" ", re.sub(line_end, "", "".join(parts))).strip()
    joined = re.sub(f" ?{_NEXT_CELL} ?", "\t", joined)
    joined = re.sub(f" ?{_NEXT_FIELD} ?", ", ", joined)
    joined = re.sub(f" ?{_NEXT_IDENTIFIER} ?", "; ", joined)
    if lines:
        joined = re.sub(f" ?{_LINE_BEGINS}+ ?", _LINE_BEGINS, joined).strip(_LINE_BEGINS)
        joined = joined.replace(_LINE_BEGINS, "\n")
    return joined


def _read(node: etree._Element, element: etree._Element, view: View, note_calls: bool,
          parts: list[str], lines: bool = False) -> None:
    """`reading_text`'s walk, the text of `node` (`element` or below) added to `parts`. A
    function of its own, not one nested in `reading_text`: a nested function that calls itself
    is a reference cycle, which kept the TEI tree (a quarter of a gigabyte for 100,000 notes)
    alive after the transform until Python's cycle collector came by."""
    if not isinstance(node.tag, str) or not view.reads(node):
        return
    if node.tag in _APART and node is not element:
        if note_calls and node.tag == tei("note") and node.get("type") == "editorial":
            parts.append(f" [{node.get('n', '*')}]")
        return
    if node.tag == tei("cell") and node is not element and node.getprevious() is not None:
        parts.append(_NEXT_CELL)
    parent = node.getparent()
    if (node is not element and parent is not None and parent.tag in _IDENTIFIERS
            and next(node.itersiblings("*", preceding=True), None) is not None):
        parts.append(_NEXT_IDENTIFIER if node.tag == tei("altIdentifier") else _NEXT_FIELD)
    if node is not element and _set_apart(node):  # a block inside what is read: words apart
        parts.append(" ")
        _read_content(node, element, view, note_calls, parts, lines)
        parts.append(" ")
        return
    _read_content(node, element, view, note_calls, parts, lines)


# The parts of a manuscript description whose children are parts in turn, each set apart by
# the web edition (manuscripts.py: a term and its description, a block, an item of the
# contents): "Parchment10 leaves", "Sub itemExplicit words" ran together in the text export.
# Those that only group others (manuscripts.GROUPING) are among them.
MS_CONTAINER_NAMES = frozenset({
    "msDesc", "msContents", "msItem", "msItemStruct", "physDesc", "history", "additional",
    "msPart", "msFrag", "layoutDesc", "handDesc", "scriptDesc", "typeDesc", "decoDesc",
    "bindingDesc", "sealDesc", "recordHist", "custodialHist", "objectDesc", "supportDesc",
    "adminInfo"})
MS_CONTAINERS = frozenset(tei(name) for name in MS_CONTAINER_NAMES)
# A shelfmark's parts, separated by commas, another identifier after them by a semicolon, as
# manuscripts.identifier sets them ("OxfordBodleianMS 1", "MainAlt").
_IDENTIFIERS = frozenset({tei("msIdentifier"), tei("altIdentifier")})
_NEXT_FIELD, _NEXT_IDENTIFIER = "\u0003", "\u0004"


def _set_apart(node: etree._Element) -> bool:
    """Whether `node`, inside the element read, is a block of its own there, its words apart
    from those around it (a note's paragraphs, "One.Two."; a verse line or a list in a
    paragraph, "Verse:line oneline two"; a citation's quotation and its source)."""
    if node.tag in _BLOCKS_WITHIN:
        return True
    if node.tag == tei("quote"):
        return bool({"block", "blockquote"}.intersection(node.get("rend", "").split()))
    parent = node.getparent()
    return parent is not None and (parent.tag == tei("cit") or parent.tag in MS_CONTAINERS)


_BLOCKS_WITHIN = frozenset(tei(name) for name in (
    "p", "ab", "l", "lg", "head", "item", "list", "table", "row", "sp", "speaker", "castItem",
    "castList", "listBibl", "floatingText"))


def _read_content(node: etree._Element, element: etree._Element, view: View, note_calls: bool,
                  parts: list[str], lines: bool) -> None:
    """`_read` of a node it reads: its own words, then its children's."""
    if node.tag == tei("lb"):
        parts.append(_LINE_BEGINS if lines else "\u0000" if word_runs_on(node) else " ")
    elif node.tag == tei("ptr"):  # no words of its own: its addresses, as html.pointer shows them
        parts.append(" ".join(target for target in (node.get("target") or "").split()
                              if not target.startswith("#")) or node.get("cRef") or "")
    elif node.tag == tei("index"):  # an index entry's terms are no words of the text (html.silent)
        return
    elif node.tag == tei("gap"):  # a mark, as html.gap shows it; its <desc> is no word of the text
        parts.append("[…]")
        return
    elif node.tag == tei("app"):  # the lemma, then its entry, as the EPUB and the print read it
        _read_apparatus(node, element, view, note_calls, parts, lines)
        return
    elif node.tag == tei("choice"):  # its alternatives; the spaces that lay them out are no text
        for child in node:
            _read(child, element, view, note_calls, parts, lines)
            if child.tail and child.tail.strip():
                parts.append(child.tail)
        return
    elif node.tag == tei("dimensions"):  # "327 × 236 mm", as the web edition reads it
        _read_dimensions(node, element, view, note_calls, parts, lines)
        return
    elif node.text:
        parts.append(node.text)
    for child in node:
        _read(child, element, view, note_calls, parts, lines)
        if child.tail:
            parts.append(child.tail)
    if node.tag in _MEASURE_TAGS:  # its value (its attributes' if it has no words), its unit
        if not "".join(node.itertext()).strip():
            parts.append(measure_value(node))
        holder, unit = node.getparent(), measure_unit(node)
        if unit and not (holder is not None and holder.tag == tei("dimensions")
                         and shared_unit(holder)):
            parts.append(f" {unit}")


def _read_apparatus(node: etree._Element, element: etree._Element, view: View,
                    note_calls: bool, parts: list[str], lines: bool) -> None:
    """An `<app>` as critical_apparatus.apparatus_entry sets it and the EPUB and the print read
    it, "word [A ] voice B C]": the lemma (else the first reading) in the text, the other
    readings with their sigla in brackets after it; a lemma alone (Perseus' notes) "cum ]". The
    lemma and its readings ran together as one word ("alphabeta"), and the layout between them
    made each reading of T06's apparatus a word of the text."""
    in_text, entry = _apparatus_split(node, element, view, note_calls, lines)
    if in_text is not None:
        _read_reading(in_text, element, view, note_calls, parts, lines)
    parts.append(entry)


def _apparatus_split(node: etree._Element, element: etree._Element, view: View,
                     note_calls: bool, lines: bool) -> tuple[etree._Element | None, str]:
    """`_read_apparatus`'s two halves: the reading in the text (the lemma, else the first
    reading; None for an empty `<app>`) and the entry set after it (" [A ] voice B C]", " ]"),
    for the line for line export to read the first itself, its lines where they begin."""
    lemma = node.find(tei("lem"))
    readings = [reading for reading in node.iter(tei("rdg"))
                if reading.getparent() is node or reading.getparent().tag == tei("rdgGrp")]
    in_text = lemma if lemma is not None else (readings.pop(0) if readings else None)
    if in_text is lemma and not readings and not (lemma.get("wit") or len(node) > 1):
        return in_text, " ]"
    entry: list[str] = []
    if in_text is not None and in_text.get("wit"):
        entry.append(_sigla(in_text))
    if readings or in_text is lemma:
        entry.append("]")
    for number, other in enumerate(readings):
        entry.append(";" if number else "")
        _read_reading(other, element, view, note_calls, entry, lines)
        if other.get("wit"):
            entry.append(" " + _sigla(other))
    for other in node:  # witness details in the entry after its readings (its notes: apart)
        if isinstance(other.tag, str) and other.tag not in (tei("lem"), tei("rdg"),
                                                            tei("rdgGrp"), tei("note")):
            entry.append(" ")
            _read(other, element, view, note_calls, entry, lines)
    listing = re.sub(r"\s*;", ";", " ".join(part for part in entry if part))
    if not listing.strip():
        return in_text, ""
    if not lines:  # a line beginning in a reading, read on one line (`reading_text`)
        line_end = r"\u00ad?\s*\u0000\s*" if view.omit_weak_pc else r"\s*\u0000\s*"
        listing = re.sub(line_end, "", listing)
    return in_text, f" [{listing}]"


def _read_reading(reading: etree._Element, element: etree._Element, view: View,
                  note_calls: bool, parts: list[str], lines: bool) -> None:
    """A lemma's or a reading's words; an empty reading is an omission ("om.")."""
    words: list[str] = []
    _read(reading, element, view, note_calls, words, lines)
    parts.append("".join(words) if "".join(words).strip() else "om.")


def _sigla(reading: etree._Element) -> str:
    """The sigla of a reading's `@wit`: each witness's `@n`, else its id (as
    critical_apparatus.sigla names them)."""
    root = reading.getroottree().getroot()
    named = {witness.get(_XML_ID): witness.get("n") for witness in root.iter(tei("witness"))}
    return " ".join(named.get(pointer.removeprefix("#")) or pointer.split("#")[-1]
                    for pointer in reading.get("wit", "").split())


_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def _read_dimensions(node: etree._Element, element: etree._Element, view: View,
                     note_calls: bool, parts: list[str], lines: bool) -> None:
    """A `<dimensions>` as html.dimensions shows it: its measures (T13's `<height>250</height>
    <width>84</width>`, which read "25084") apart, with a multiplication sign, and the unit
    they share once after them; its @extent where it has no measure."""
    parts.append(node.text or "")
    measures = 0
    for child in node:
        if isinstance(child.tag, str) and child.tag in _MEASURE_TAGS:
            if not measure_value(child):  # an empty measure says nothing
                parts.append(child.tail or "")
                continue
            parts.append(" × " if measures else "")
            measures += 1
        _read(child, element, view, note_calls, parts, lines)
        parts.append(child.tail or "")
    if not measures and node.get("extent"):
        parts.append(node.get("extent"))
    unit = shared_unit(node)
    if unit and measures:
        parts.append(f" {unit}")


# What the reading text sets as a line of its own: a paragraph and what stands as one (a
# heading, a verse line, a list's item, a table's row, a speech's speaker, a title page's part,
# a quotation or a bibliographic entry between paragraphs…). Only paragraphs, headings and
# trailers were read, and a text's lists, tables, verse, speeches, front and back were left out
# of `edition text --normalised` without a word (QA review).
READING_BLOCKS = frozenset(tei(name) for name in (
    "p", "head", "trailer", "l", "item", "label", "row", "quote", "cit", "ab", "byline",
    "dateline", "salute", "signed", "stage", "speaker", "titlePart", "docImprint", "docDate",
    "docAuthor", "docEdition", "bibl", "biblStruct", "argument", "epigraph", "closer", "opener",
    "postscript", "castItem", "entry", "form", "sense"))


def normalised_text(tree: etree._ElementTree) -> str:
    """The reading text of the front, the body and the back: one paragraph (heading, caption,
    verse line, item… `READING_BLOCKS`) a line, then the notes. A block inside another is read
    with it; a caption that interrupts a paragraph follows it instead of splitting its
    sentence."""
    return _block_text(tree, NORMALISED)


def _block_text(tree: etree._ElementTree, view: View) -> str:
    """`normalised_text` in `view`: the witness's own notes (`<label>`) and line beginnings
    in the diplomatic view (`diplomatic_text`)."""
    lines = view.line_based
    # The forme work between blocks (running heads, signatures, catchwords) is the witness's
    # page: the diplomatic view reads it, the normalised view leaves it out.
    blocks = READING_BLOCKS | ({tei("fw")} if view.reads(etree.Element(tei("fw"))) else set())
    holders = blocks | _APART
    # The text's front, body and back, and those of the texts a `<group>` gathers (a group's
    # texts were left out, and a text that is only a group exported nothing, exit 0).
    text = tree.getroot().find(tei("text"))
    names = {tei("front"), tei("body"), tei("back")}
    parts = [] if text is None else [
        part for part in text.iter(*names)
        if not any(ancestor.tag in names for ancestor in part.iterancestors())]
    if not parts:
        return ""
    # The back's list of references is the bibliography's data (citations.py: the author's
    # numbers bound to BibTeX entries, which the built editions format), not words of the text;
    # a list of manuscript descriptions only (and a description's own list) is read, as the web
    # edition shows it, under "Manuscripts" (html.bibliography): it was dropped.
    references = {element for part in parts if part.tag == tei("back")
                  for element in part.iter(tei("listBibl"))
                  if not lists_manuscripts(element)
                  and not any(above.tag == tei("msDesc") for above in element.iterancestors())}
    read: list[etree._Element] = []
    for part in parts:
        for element in part.iter(*blocks, tei("figDesc")):
            container = next((ancestor for ancestor in element.iterancestors()
                              if ancestor.tag in holders or ancestor in references), None)
            if element.tag == tei("figDesc"):  # a figure without an image says it in words
                if container is None or container.tag != tei("figure"):
                    continue
                images = container.findall(tei("graphic"))
                if images and all(_image_shown(image) for image in images):
                    continue
            elif container is not None and not (element.tag == tei("head")
                                                and container.tag == tei("figure")):
                continue
            read.append(element)
        read.extend(_outside_blocks(part, blocks, references, view))
    order = {element: number for number, element in
             enumerate(element for part in parts for element in part.iter())}
    paragraphs = [reading_text(element, view, note_calls=True, lines=lines)
                  for element in sorted(read, key=order.__getitem__)]
    notes = [
        f"[{note_label(note.get('n', '*'), note)}] {text}"
        for part in parts for note in part.iter(tei("note"))
        if view.reads(note) and (text := reading_text(note, view, lines=lines))
        and references.isdisjoint(note.iterancestors())
    ]
    # (a text whose words are all in its notes began with two blank lines)
    sections = ["\n\n".join(p for p in paragraphs if p), "Notes\n\n" + "\n".join(notes) if notes
                else ""]
    return "\n\n".join(section for section in sections if section) + "\n"


def _image_shown(graphic: etree._Element) -> bool:
    """Whether the web edition shows `graphic`'s image (html.graphic): a file inside the
    edition's folder that is there; else it shows the figure's `<figDesc>` in its place, which
    the text export left out (a figure whose image is missing)."""
    from .resources import RefusedResource, confine

    source = graphic.getroottree().docinfo.URL
    if not source:
        return False
    try:
        path = confine(graphic.get("url", ""), Path(graphic.base or source), Path(source).parent)
    except RefusedResource:
        return False
    return path.is_file()


def lists_manuscripts(listing: etree._Element) -> bool:
    """Whether a `<listBibl>`'s entries are all manuscript descriptions: the web edition heads
    it "Manuscripts" (html.bibliography), and the text export reads it, not as references."""
    entries = [entry for entry in listing if isinstance(entry.tag, str)
               and entry.tag not in (tei("head"), tei("desc"))]
    return bool(entries) and all(entry.tag == tei("msDesc") for entry in entries)


def _outside_blocks(part: etree._Element, blocks: frozenset[str] | set[str],
                    references: set[etree._Element], view: View) -> list[etree._Element]:
    """The elements with words of their own that no block holds, each read as a block: T13's
    manuscript description in the body (`<msItem>`'s incipit and explicit, `<accMat>`, 238
    words) the web edition shows and the text export left out without a word. The highest
    element that holds no block, its notes and figures read apart as a block's are."""
    holding = {ancestor for element in part.iter(*blocks) for ancestor in element.iterancestors()}
    holding.update(ancestor for listing in references for ancestor in listing.iterancestors())
    found: list[etree._Element] = []

    def visit(element: etree._Element) -> None:
        for child in element:
            if (not isinstance(child.tag, str) or child.tag in blocks or child.tag in _APART
                    or child in references or not view.reads(child)):
                continue
            if child in holding:
                visit(child)
            elif "".join(child.itertext()).strip() and reading_text(child, view):
                found.append(child)

    if part not in holding and part.tag in blocks:
        return found
    visit(part)
    return found


def drop_keeping_tail(element: etree._Element) -> None:
    """Remove `element` and its content, keeping the text that follows it."""
    parent, previous = element.getparent(), element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + (element.tail or "")
    else:
        parent.text = (parent.text or "") + (element.tail or "")
    parent.remove(element)


def preceding(element: etree._Element) -> Iterator[etree._Element]:
    """The elements before `element` (its ancestors aside), nearest first: XPath's `preceding::`
    walked lazily, as far as it is read (XPath collects all of them, from the start of the
    book, each time it is asked)."""
    for current in (element, *element.iterancestors()):
        for sibling in current.itersiblings(preceding=True):
            yield from reversed(list(sibling.iter("*")))


def listed(items: list[str]) -> str:
    """ "10, 12 and 14 March 1921", "A, B and C": the items run into a phrase ("" for none)."""
    return " and ".join(filter(None, (", ".join(items[:-1]), items[-1]))) if items else ""
