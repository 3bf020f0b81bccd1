"""The report at the end of an import: what the rules recognised and what is left to the editor.

Each line reads `file:line: note: …`, so an editor's tooling can jump to the source line: the
summary of what was recognised, footnote calls whose note text is not in the extraction, the
numbered references to map (or to undo: "(1)" may be an enumeration), notes whose call was not
found, and suspicious splits — two neighbouring pieces that make a word the
text uses elsewhere ("Azer baijan"), judged by a dictionary of the text's own words; and
ASCII hyphens at line ends read as a word's division that may be a compound's ("twenty-" / "two").
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
from .text import line_number, preceding

WORD = re.compile(r"[^\W\d_]+")
HYPHEN_END = re.compile(r"([^\W\d_]+)[-\u2010\u2011\u00ad]$")
TYPESET_HYPHENS = ("\u2010", "\u00ad")  # a typesetter's word division, never a compound's


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
    for line, first, second in doubtful_divisions(body, lines):
        report.append(f"{source}:{line}: note: \"{first}-\" / \"{second}\" read as one word "
                      f"divided at the line end (\"{first}{second}\", which the text does not "
                      f"write elsewhere): keep the hyphen if the word is \"{first}-{second}\"")
    return report


def doubtful_divisions(body: etree._Element,
                       lines: Sequence[SourceLine]) -> list[tuple[int, str, str]]:
    """ASCII hyphens at line ends taken as a word's division (dropped from the reading text)
    that the text's own words do not confirm: "twenty-" / "two" may be a compound's hyphen,
    which an extraction writes with the same character. Doubtful when the text does not
    write the joined word, and either writes both pieces as words of their own ("com-" /
    "mittee" is a division) or divides its words with another hyphen (U+2010, a soft
    hyphen), as a typesetter does: (line, first piece, second piece)."""
    words = vocabulary(lines)
    whole = _whole_words(_tokens(lines))
    by_number = {line.number: line for line in lines}
    typeset = any(line.content.endswith(TYPESET_HYPHENS) for line in lines)
    doubtful, last_line, divided_at = [], None, None
    for element in body.iter(tei("lb"), tei("pc")):
        if element.tag == tei("pc"):
            if element.get("force") == "weak" and element.text == "-":
                divided_at = last_line
            continue
        number = line_number(element)
        if divided_at is not None and number is not None:
            first = HYPHEN_END.search(by_number[divided_at].content)
            second = WORD.match(by_number[number].content.lstrip("“\"'‘(["))
            if first and second and not words[(first.group(1) + second.group()).lower()] and (
                    typeset or min(whole[first.group(1).lower()],
                                   whole[second.group().lower()]) > 0):
                doubtful.append((divided_at, first.group(1), second.group()))
        divided_at = None
        last_line = number if number is not None else last_line
    return doubtful


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


def _whole_words(tokens: Sequence[tuple[int, str, str]]) -> Counter[str]:
    """The words the text writes whole: not a piece before or after a hyphen at a line end."""
    return Counter(word.lower() for (_, word, separator), (_, _, following)
                   in pairwise([*tokens, (0, "", "")])
                   if separator != "-" and following != "-")


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
    lb = next((lb for lb in preceding(element) if lb.tag == tei("lb")
               and not any(True for _ in lb.iterancestors(tei("note")))), None)
    return (lb.get("n") if lb is not None else None) or "1"


def _first_line(element: etree._Element) -> str:
    lb = element.find(f".//{tei('lb')}")
    return lb.get("n") if lb is not None else _line_of(element)
