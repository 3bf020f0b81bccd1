"""The report at the end of an import: what the rules recognised and what is left to the editor.

Each line reads `file:line: note: …`, so an editor's tooling can jump to the source line: the
summary of what was recognised, footnote calls whose note text is not in the extraction, the
numbered references to map (or to undo: "(1)" may be an enumeration), notes whose call was not
found, and suspicious splits — two neighbouring pieces that make a word the
text uses elsewhere ("Azer baijan"), judged by a dictionary of the text's own words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import Protocol

from lxml import etree

from . import NSMAP, tei
from .pages import PageLayout

WORD = re.compile(r"[^\W\d_]+")
HYPHEN_END = re.compile(r"([^\W\d_]+)[-\u2010\u2011\u00ad]$")


class SourceLine(Protocol):
    number: int

    @property
    def content(self) -> str: ...


def import_report(tree: etree._ElementTree, lines: Sequence[SourceLine], layout: PageLayout,
                  source: Path) -> list[str]:
    body = tree.getroot().find(f"{tei('text')}/{tei('body')}")
    notes = {note.get("n"): note for note in body.iter(tei("note"))
             if note.get("n") and _has_text(note)}
    calls = [ref for ref in body.iter(tei("ref")) if ref.get("type") == "footnote"]
    at_call = [note for note in notes.values() if _at_call(note)]
    paragraphs = body.xpath("count(.//tei:p[not(ancestor::tei:p)])", namespaces=NSMAP)
    heads = body.xpath("count(.//tei:div/tei:head)", namespaces=NSMAP)
    hyphens = body.xpath("count(.//tei:lb[@break='no'])", namespaces=NSMAP)
    pages = len(layout.page_starts) or int(body.xpath("count(.//tei:pb)", namespaces=NSMAP))
    report = [
        f"{source}:1: note: recognised {pages} pages, {int(paragraphs)} paragraphs, "
        f"{int(heads)} heads, {len(notes)} footnote texts, {len(at_call)} of them at their "
        f"call, {len(calls)} calls without note text, {int(hyphens)} words run over a line end"
    ]
    for ref in calls:
        if ref.get("n") not in notes:
            report.append(f"{source}:{_line_of(ref)}: note: footnote call {ref.get('n')} "
                          "has no note text in the extraction")
    references = [ref for ref in body.iter(tei("ref")) if ref.get("type") == "reference"]
    if references:
        numbers = sorted({ref.get("n") for ref in references}, key=int)
        report.append(f"{source}:{_line_of(references[0])}: note: {len(references)} numbered "
                      f"references in parentheses ({', '.join(numbers)}): each number needs a "
                      "<bibl n> in the article's listBibl, or is not a reference")
    called = {ref.get("n") for ref in calls}
    for number, note in notes.items():
        if number not in called and note.get("place") == "foot" and not _at_call(note):
            report.append(f"{source}:{_first_line(note)}: note: footnote {number} has no call "
                          "in the text: left where the extraction has it")
    for line, pair, word, count in suspicious_splits(lines):
        report.append(f"{source}:{line}: note: \"{pair}\" may be one word split in two "
                      f"(\"{word}\" occurs {count} times in the text)")
    return report


def suspicious_splits(lines: Sequence[SourceLine]) -> list[tuple[int, str, str, int]]:
    """Neighbouring pieces, one of them found nowhere else in the text, that join into a word
    the text uses elsewhere: (line, the pair, the word, how often the text has it)."""
    tokens = _tokens(lines)
    words = _count_words(tokens)
    found = []
    for (line, first, _), (_, second, gap) in pairwise(tokens):
        if not gap.strip() and splits_word(first, second, words):
            word = (first + second).lower()
            found.append((line, f"{first} {second}", first + second.lower(), words[word]))
    return found


def vocabulary(lines: Sequence[SourceLine]) -> Counter[str]:
    """The text's own words (lower case), as whole words on a line."""
    return _count_words(_tokens(lines))


def splits_word(first: str, second: str, words: Counter[str]) -> bool:
    """Are these two pieces one word of the text, one of them found nowhere else?"""
    if min(len(first), len(second)) < 2 or not words[(first + second).lower()]:
        return False
    return words[first.lower()] == 1 or words[second.lower()] == 1


def _tokens(lines: Sequence[SourceLine]) -> list[tuple[int, str, str]]:
    tokens: list[tuple[int, str, str]] = []  # (line, word, what separates it from the last)
    separator = ""
    for line in lines:
        end = 0
        for match in WORD.finditer(line.content):
            gap = line.content[end:match.start()]
            tokens.append((line.number, match.group(), separator + gap if end == 0 else gap))
            end = match.end()
        if line.content:
            separator = "-" if HYPHEN_END.search(line.content) else " "
    return tokens


def _count_words(tokens: Sequence[tuple[int, str, str]]) -> Counter[str]:
    return Counter(word.lower() for _, word, _ in tokens)


def _has_text(note: etree._Element) -> bool:
    """A note with words besides its label: a footnote whose text survived."""
    return any(text.strip() for text in note.xpath(".//text()[not(parent::tei:label)]",
                                                   namespaces=NSMAP))


def _at_call(note: etree._Element) -> bool:
    """A note placed at its call opens with the call's mark, before its own first line."""
    return len(note) > 0 and note[0].tag == tei("label")


def _line_of(element: etree._Element) -> str:
    lb = element.xpath("preceding::tei:lb[not(ancestor::tei:note)][1]/@n", namespaces=NSMAP)
    return lb[0] if lb else "1"


def _first_line(element: etree._Element) -> str:
    lb = element.find(f".//{tei('lb')}")
    return lb.get("n") if lb is not None else _line_of(element)
