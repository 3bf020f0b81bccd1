"""Hyphenation rules of a press that CSS cannot state in WeasyPrint 70.

A press allows at most two consecutive lines ending in a hyphen and no word hyphenated across a
leaf turn (the last line of a recto). WeasyPrint has no `hyphenate-limit-lines` and no page
rule for hyphens, but it breaks lines greedily: a line's words depend only on where it starts,
never on the lines after it. So a rendering shows every fault, and forbidding the hyphenation
of the one word at fault (`hyphens: manual` on it) changes only the lines from there on. The
PDF writer renders, reads the faults from the line boxes, forbids those words in the HTML and
renders again, a bounded number of times (writers/pdf.py).

A word is found again in the HTML by its block (an attribute each block carries) and its
occurrence in the block's text: the line boxes hold the words, not where they came from.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass

import lxml.html
from weasyprint.document import Document as Rendering
from weasyprint.document import Page
from weasyprint.formatting_structure import boxes

from .lineation import BLOCK

UNHYPHENATED = "unhyphenated"  # the class of a word whose hyphenation is forbidden (print.css)
LONGEST_RUN = 2  # consecutive lines ending in a hyphen a press allows
BLOCK_TAGS = ("p", "li", "td", "th", "dd", "dt", "blockquote", "figcaption", "caption",
              "h1", "h2", "h3", "h4", "h5", "h6", "div", "section", "article", "nav", "header",
              "footer", "main", "body", "aside", "figure", "table")
BLOCK_CLASSES = {"footnote", "app-note", "figure", "figcaption"}  # spans set as blocks in print
WORD_AT_END = re.compile(r"\w+$")
WORD_AT_START = re.compile(r"^\w+")


@dataclass
class SetLine:
    """A line box of a rendering, with what the rules need to know of it."""

    block: str  # the BLOCK of the element the line belongs to
    page: int  # index of its page
    text: str  # its words as set, the hyphen of a hyphenated word included
    hyphen: str  # the hyphenate-character of its last word's style ("" if none ends it)
    in_notes: bool  # set in the page's footnote area, not in its text


@dataclass(frozen=True)
class Fault:
    """A word to set unhyphenated: the `occurrence`-th `word` of a block's text."""

    block: str
    word: str
    occurrence: int
    why: str  # "run" (third hyphenated line in a row) or "leaf" (hyphen across a leaf turn)
    page: int  # index of the page the hyphenated line is on


def number_blocks(html: lxml.html.HtmlElement) -> None:
    """Give each block of the body its number, by which a rendering's lines are found in it."""
    for number, element in enumerate(html.find("body").iter(), start=1):
        if _is_block(element):
            element.set(BLOCK, str(number))


def _is_block(element: lxml.html.HtmlElement) -> bool:
    return isinstance(element.tag, str) and (
        element.tag in BLOCK_TAGS or bool(set((element.get("class") or "").split())
                                          & BLOCK_CLASSES))


def set_lines(rendering: Rendering) -> list[SetLine]:
    """The lines of a rendering in reading order: each page's main text, then its notes."""
    return [SetLine(block, page_index, *line_text(line), in_notes)
            for page_index, page in enumerate(rendering.pages)
            for block, line, in_notes in _lines(page._page_box, None, False)]


def line_shapes(rendering: Rendering) -> dict[str, list[tuple[object, ...]]]:
    """Each block's lines as they weigh in the page breaks: in the notes or not, their height,
    and the calls of the notes each holds (a note goes to its call's page). A block whose
    lines have the same shapes in two renderings fills its pages alike in both, whatever
    words each line holds."""
    shapes: dict[str, list[tuple[object, ...]]] = {}
    for page in rendering.pages:
        for block, line, in_notes in _lines(page._page_box, None, False):
            calls = tuple(box.element.get(BLOCK) for box in line.descendants()
                          if box.element is not None
                          and box.element.get(BLOCK) not in (None, block))
            shapes.setdefault(block, []).append((in_notes, line.height, calls))
    return shapes


def page_lines(page: Page) -> list[tuple[str, boxes.LineBox, bool]]:
    """A page's line boxes in reading order: each with its block, and whether it is set in
    the page's footnote area."""
    return list(_lines(page._page_box, None, False))


def _lines(box: boxes.Box, block: str | None, in_notes: bool
           ) -> Iterator[tuple[str, boxes.LineBox, bool]]:
    if isinstance(box, boxes.LineBox):
        if block:
            yield block, box, in_notes
        return
    in_notes = in_notes or isinstance(box, boxes.FootnoteAreaBox)
    if (box.element is not None and box.element.get(BLOCK)
            and not isinstance(box, boxes.InlineBox)):
        block = box.element.get(BLOCK)
    for child in getattr(box, "children", ()):
        yield from _lines(child, block, in_notes)


def line_text(line: boxes.LineBox) -> tuple[str, str]:
    """A line's words as set, and the hyphen that ends it ("" if none)."""
    texts = [box for box in line.descendants() if isinstance(box, boxes.TextBox)]
    text = "".join(box.text for box in texts).rstrip()
    last = next((box for box in reversed(texts) if box.text.strip()), None)
    hyphen = last.style["hyphenate_character"] if last is not None else ""
    return text, hyphen if hyphen and text.endswith(hyphen) else ""


def faults(lines: list[SetLine], pages_from_recto: bool = True) -> list[Fault]:
    """The hyphenated words that break the press's rules: the third (fourth…) line of a run of
    hyphenated lines, and the last line of the text of a recto (a hyphen across the leaf)."""
    by_block: dict[str, list[SetLine]] = {}
    for line in lines:
        by_block.setdefault(line.block, []).append(line)
    last_of_page = {line.page: line for line in lines if not line.in_notes}
    found: list[Fault] = []
    for block, block_lines in by_block.items():
        flattened, starts = _flatten(block_lines)
        run = 0
        for index, line in enumerate(block_lines):
            run = run + 1 if line.hyphen else 0
            if not line.hyphen or index + 1 == len(block_lines):
                continue
            recto = (line.page % 2 == 0) == pages_from_recto
            why = "run" if run > LONGEST_RUN else (
                "leaf" if recto and last_of_page.get(line.page) is line else "")
            if not why:
                continue
            fault = _hyphenated_word(block, line, block_lines[index + 1], flattened,
                                     starts[index + 1], why)
            if fault is not None:
                found.append(fault)
                run = 0  # the word forbidden, the lines after it are set anew
    return found


def _flatten(lines: list[SetLine]) -> tuple[str, list[int]]:
    """A block's text as one string (a hyphenated word joined again) and where each line starts
    in it."""
    parts: list[str] = []
    starts: list[int] = []
    length = 0
    for line in lines:
        starts.append(length)
        text = line.text[:-len(line.hyphen)] if line.hyphen else line.text + " "
        parts.append(text)
        length += len(text)
    return "".join(parts), starts


def _hyphenated_word(block: str, line: SetLine, following: SetLine, flattened: str,
                     next_start: int, why: str) -> Fault | None:
    head = WORD_AT_END.search(line.text[:-len(line.hyphen)])
    tail = WORD_AT_START.search(following.text)
    if head is None or tail is None:
        return None
    word = head.group() + tail.group()
    start = next_start - len(head.group())
    occurrences = [match.start() for match in _whole_word(word).finditer(flattened)]
    if start not in occurrences:
        return None
    return Fault(block, word, occurrences.index(start), why, line.page)


def _whole_word(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")


# "Komurludagh-Sayatdaghi": a compound with its own hyphen (between letters).
COMPOUND = re.compile(r"[^\W\d_]+(?:[-\u2010][^\W\d_]+)+")
# "(1881–1924)", "11–13": a range of numbers.
NUMBER_RANGE = re.compile(r"\d+\u2013\d+")
UNBROKEN = "unbroken"  # the class of a range that never breaks at its dash (print.css)


def compounds_unhyphenated(html: lxml.html.HtmlElement) -> None:
    """A compound that has its own hyphen breaks there or not at all: a second hyphen inside
    one of its parts ("Komurludagh-Say-atdaghi") reads as a third part."""
    for element in list(html.find("body").iter()):
        joined = element.getnext()
        if element.tail in ("-", "\u2010") and joined is not None:  # <name>…</name>-<name>…
            for part in (element, joined):
                part.set("class", f"{part.get('class') or ''} {UNHYPHENATED}".strip())
    wrap_matches(html, COMPOUND, UNHYPHENATED)


def ranges_unbroken(html: lxml.html.HtmlElement) -> None:
    """A range of numbers never breaks at its dash ("(1920– / 1921)"): in print alone, where
    the line is set; a span holds it, so that headings' bookmarks keep their plain text."""
    wrap_matches(html, NUMBER_RANGE, UNBROKEN)


# The most characters a citation set unbroken may have: "(23, p. 302-303)" is 13.
SHORT_CITATION = 16


def citations_unbroken(html: lxml.html.HtmlElement) -> None:
    """A citation by number of one source and its pages ("(10, p. 1)") is read as one figure
    and never parts at a line's end (production review: "(10, / p. 1)"); one of several sources
    ("11, p. 48-54; 23, p. 303") may break between them, and a citation in words (a <bibl>
    of author and title) breaks as prose does (the QA review's run off the page)."""
    for citation in html.find("body").find_class("citation"):  # (find_class counts itself)
        if (len(citation.find_class("biblioref")) == 1 and len(citation.find_class("citation")) == 1
                and len(citation.text_content()) <= SHORT_CITATION):
            citation.set("class", f"{citation.get('class')} {UNBROKEN}")


# "26 September", "October 13": an English day and month, in any text of the book (the
# transform ties those of the text's <date>s; the chronology's rows and the editors' tables
# are words of their own: "scheduled for 26 / September", second production review).
MONTHS = "|".join(calendar.month_name[1:])
ENGLISH_DAY_AND_MONTH = re.compile(rf"(?<!\d)\d{{1,2}}[ \u00a0](?:{MONTHS})\b"
                                   rf"|\b(?:{MONTHS})[ \u00a0]\d{{1,2}}(?!\d)")


def days_and_months_unbroken(html: lxml.html.HtmlElement) -> None:
    """An English book's days never part from their months at a line's end, wherever they
    stand (the months' names are English: another language's book is left as it is)."""
    if (html.get("lang") or "").startswith("en"):
        wrap_matches(html, ENGLISH_DAY_AND_MONTH, UNBROKEN)


UNLIGATED = "unligated"  # the class of a sequence set without its ligature (print.css)


def ligatures_kept_apart(html: lxml.html.HtmlElement, ligatures: dict[str, str]) -> bool:
    """The PDF's text layer gives each glyph of a font one text, the first it stood for
    (WeasyPrint's ToUnicode map): where a ligature's glyph is also a character's (`ligatures`:
    Linux Libertine sets the witness's "..." as the glyph of "…"), the book holding both
    copies, searches and reads one as the other, a change no apparatus records. Where it
    holds both, each such sequence is set without its ligature. True if it does: the running
    heads, which copy the text into the page's margin (`string-set`, no span of it), must then
    be set without common ligatures too (UNLIGATED_MARGINS), or a title's "..." that comes
    first gives the glyph its text there (the QA review's hostile files)."""
    text = "".join(html.find("body").itertext())
    clashing = sorted((sequence for sequence, character in ligatures.items()
                       if character in text and sequence in text), key=len, reverse=True)
    if clashing:
        wrap_matches(html, re.compile("|".join(map(re.escape, clashing))), UNLIGATED)
    return bool(clashing)


# The margin boxes that print.css fills, set unligated: each, since a box's own `font`
# shorthand resets what it would inherit, and !important over the named pages' rules.
UNLIGATED_MARGINS = "@page {{ {} }}".format(" ".join(
    f"@{box} {{ font-variant-ligatures: no-common-ligatures !important; }}"
    for box in ("top-left", "top-center", "top-right", "bottom-left", "bottom-center",
                "bottom-right")))


def wrap_matches(html: lxml.html.HtmlElement, pattern: re.Pattern[str], class_: str) -> None:
    """Each match of `pattern` in the texts of the body in a span of `class_`."""
    for element in list(html.find("body").iter()):
        if not isinstance(element.tag, str) or element.tag in ("style", "script"):
            continue
        for attribute in ("text", "tail"):
            text = getattr(element, attribute) or ""
            pieces = pattern.split(text)
            if len(pieces) == 1:
                continue
            spans = []
            for word, after in zip(pattern.findall(text), pieces[1:], strict=True):
                span = lxml.html.Element("span", {"class": class_})
                span.text, span.tail = word, after
                spans.append(span)
            setattr(element, attribute, pieces[0])
            if attribute == "text":
                for span in reversed(spans):
                    element.insert(0, span)
            else:
                for before, span in zip([element, *spans], spans, strict=False):
                    before.addnext(span)


def numbered_blocks(html: lxml.html.HtmlElement) -> dict[str, lxml.html.HtmlElement]:
    """Each block of the text by its number (number_blocks)."""
    return {element.get(BLOCK): element for element in html.iter() if element.get(BLOCK)}


def forbid_hyphenation(html: lxml.html.HtmlElement, found: list[Fault]) -> set[str]:
    """Set each word of `found` in a span that WeasyPrint does not hyphenate; the blocks
    changed."""
    blocks = numbered_blocks(html)
    changed = set()
    for fault in found:
        block = blocks.get(fault.block)
        if block is not None and _wrap_occurrence(block, fault.word, fault.occurrence):
            changed.add(fault.block)
    return changed


def only_blocks(articles: lxml.html.HtmlElement, kept: set[str]) -> lxml.html.HtmlElement:
    """The blocks of `kept` alone in the articles, to be set again quickly on the measure and
    with the selectors they have in the book: their ancestors stay, and the element before each
    of them and of their ancestors, emptied (`p + p` indents). A line's words depend only on
    where it starts, so the other blocks' lines stay as they were."""
    blocks = [element for element in articles.iter() if element.get(BLOCK) in kept]
    # sets of the elements themselves: lxml keeps one proxy per element only while it lives
    whole = {inner for block in blocks for inner in block.iter()}
    path = {outer for block in blocks for outer in block.iterancestors()}
    before = {sibling for element in [*blocks, *path]
              if (sibling := element.getprevious()) is not None}
    for element in list(articles.find("body").iterdescendants()):
        if element in whole or element in path:
            continue
        if element in before:
            attributes = dict(element.attrib)  # its class still selects its style
            element.clear(keep_tail=True)
            element.attrib.update(attributes)
        elif element.getparent() in path:
            element.drop_tree()
    return articles


def _wrap_occurrence(block: lxml.html.HtmlElement, word: str, occurrence: int) -> bool:
    pieces = list(_texts_of_block(block))
    flattened = "".join(getattr(holder, attribute) or "" for holder, attribute in pieces)
    matches = list(_whole_word(word).finditer(flattened))
    if occurrence >= len(matches):
        return False
    start = matches[occurrence].start()
    offset = 0
    for holder, attribute in pieces:
        text = getattr(holder, attribute) or ""
        if offset <= start and start + len(word) <= offset + len(text):
            at = start - offset
            span = lxml.html.Element("span", {"class": UNHYPHENATED})
            span.text, span.tail = word, text[at + len(word):]
            setattr(holder, attribute, text[:at])
            if attribute == "text":
                holder.insert(0, span)
            else:
                holder.addnext(span)
            return True
        offset += len(text)
    return False  # the word runs over two elements: left as it is


def _texts_of_block(block: lxml.html.HtmlElement) -> Iterator[tuple[lxml.html.HtmlElement, str]]:
    """The text and tails inside `block` in reading order, without the blocks nested in it
    (their lines are theirs), as the rendering's lines of the block hold them."""
    yield block, "text"
    for child in block:
        if isinstance(child.tag, str) and not child.get(BLOCK):
            yield from _texts_of_block(child)
        yield child, "tail"
