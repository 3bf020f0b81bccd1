"""`edition lint`: what the encoder has not encoded yet.

Users run the linter while encoding a text. It reports, as `file:line: error: message`:

- every variant spelling the registers know (a `variant` form of an entry) that still stands in
  the text outside a `<choice>`, so that no variant reaches the reading text unrecorded;
- every `persName`, `placeName` or `orgName` without `@ref`, with a `@ref` that names no register
  entry, or whose form the entry does not know: its reading-text form must be a regular or
  accepted form (or a kept historical or native name), its witness form any form of the entry;
  inside a quotation or a title, where the witness's spelling is kept, any form of the entry;
- every quotation mark of the witness that has no partner and is not encoded: neither inside a
  `<quote>` (whose extent the encoder has stated) nor marked
  `<seg type="unmatched-quotation-mark">`.

Quotations (`<quote>`, `<q>`) and titles keep the witness's spelling: a variant there is no
finding.

The registers are those of the file's folder (every TEI file there with a standoff list) and
those its names point to. A corpus is linted through the files it XIncludes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import XI_NS, tei
from .diagnostics import Diagnostic, Severity
from .load import load, parse_xml
from .registers import (
    NAME_TAGS,
    Entry,
    Registers,
    edition_registers,
    name_elements,
    registers_for,
)
from .resources import RefusedResource, confine, real_path, refusal_error
from .text import line_number, reading_text
from .views import DIPLOMATIC, NORMALISED, View

# The author's text: variants as the witness spells them, extraction errors repaired. A name's
# form in this view must be known to its register entry.
AUTHORIAL = View(
    "authorial",
    frozenset(tei(name) for name in ("teiHeader", "back")),
    omit_weak_pc=True,
    line_based=False,
    editorial_notes=False,
    alternatives=frozenset(tei(name) for name in ("reg", "sic", "expan")),
)
_FLOATS = {tei("note"), tei("fw"), tei("figure")}  # they interrupt the running text
_KEPT_AS_WRITTEN = {tei("quote"), tei("q"), tei("title")}  # the witness's spelling stays
_BLOCKS = {tei("p"), tei("head"), tei("note"), tei("trailer")}  # a quotation closes within one
_QUOTATION_MARKS = {"“": "opening", "”": "closing"}
UNMATCHED_MARK = "unmatched-quotation-mark"  # seg/@type: the encoder has seen and noted it
_SKIPPED = {tei("teiHeader"), tei("back")}
_CHOICE_MARK = "\ufffc"  # stands for an encoded <choice>: nothing matches across it


@dataclass
class _Stream:
    """A run of text as the reader meets it, each character with its XML and witness lines."""

    chars: list[str] = field(default_factory=list)
    xml_lines: list[int] = field(default_factory=list)
    witness_lines: list[int | None] = field(default_factory=list)
    join_next: bool = False  # an <lb break="no"/> was met: the next text continues the word

    def add(self, text: str, xml_line: int, witness_line: int | None) -> None:
        if self.join_next:
            text = text.lstrip()
            if text:
                self.join_next = False
        for char in text:
            self.chars.append(char)
            self.xml_lines.append(xml_line)
            self.witness_lines.append(witness_line)
            if char == "\n":
                xml_line += 1

    def join(self) -> None:
        while self.chars and self.chars[-1].isspace():
            for column in (self.chars, self.xml_lines, self.witness_lines):
                column.pop()
        self.join_next = True

    @property
    def text(self) -> str:
        return "".join(self.chars)


class _Linearizer:
    """Cut a TEI <text> into streams of running text, choices masked, floats apart."""

    def __init__(self) -> None:
        self.streams: list[_Stream] = []
        self.witness_line: int | None = None

    def run(self, element: etree._Element) -> list[_Stream]:
        main = _Stream()
        self.streams.append(main)
        self._content(element, main)
        return self.streams

    def _content(self, element: etree._Element, stream: _Stream) -> None:
        if element.text:
            stream.add(element.text, element.sourceline or 0, self.witness_line)
        for child in element:
            self._visit(child, stream)
            if child.tail:
                stream.add(child.tail, child.sourceline or 0, self.witness_line)

    def _visit(self, element: etree._Element, stream: _Stream) -> None:
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            return
        if tag == tei("note") and element.get("type") == "editorial":
            return  # the edition's words, not the witness's
        if tag == tei("choice") or tag in _KEPT_AS_WRITTEN:
            stream.add(_CHOICE_MARK, element.sourceline or 0, self.witness_line)
            for lb in element.iter(tei("lb")):
                self._line_beginning(lb)
        elif tag == tei("lb"):
            self._line_beginning(element)
            if element.get("break") == "no":
                stream.join()
            else:
                stream.add(" ", element.sourceline or 0, self.witness_line)
        elif tag == tei("pc") and element.get("force") == "weak":
            return
        elif tag in _FLOATS:
            floating = _Stream()
            self.streams.append(floating)
            self._content(element, floating)
        else:
            self._content(element, stream)

    def _line_beginning(self, lb: etree._Element) -> None:
        number = line_number(lb)
        if number is not None:
            self.witness_line = number


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    variant: str
    entries: tuple[Entry, ...]


def _variant_pattern(variant: str) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(word) for word in variant.split())
    return re.compile(rf"(?<!\w){words}(?!\w)")


def _outermost(matches: list[_Match]) -> list[_Match]:
    """Drop matches inside a longer one ("Shahtakhtinski" inside "B. Shahtakhtinski")."""
    kept: list[_Match] = []
    for match in sorted(matches, key=lambda m: (m.start, -(m.end - m.start))):
        if kept and match.end <= kept[-1].end:
            continue
        kept.append(match)
    return kept


def unencoded_variants(tree: etree._ElementTree, path: Path,
                       registers: Registers) -> list[Diagnostic]:
    """Known variant forms standing in the text outside a <choice>."""
    patterns = {variant: (_variant_pattern(variant), tuple(entries))
                for variant, entries in registers.variants().items()}
    diagnostics = []
    for text in tree.getroot().iter(tei("text")):
        if any(ancestor.tag == tei("text") for ancestor in text.iterancestors()):
            continue  # a nested <text> is linearised with its parent
        for stream in _Linearizer().run(text):
            content = stream.text
            matches = [
                _Match(found.start(), found.end(), variant, entries)
                for variant, (pattern, entries) in patterns.items()
                for found in pattern.finditer(content)
            ]
            for match in _outermost(matches):
                regular = ", ".join(f"{e.regular} ({e.ref})" for e in match.entries)
                witness = stream.witness_lines[match.start]
                where = f" (witness line {witness})" if witness else ""
                diagnostics.append(Diagnostic(
                    Severity.ERROR,
                    f"variant “{match.variant}” outside <choice>{where}; encode it with "
                    f"<orig>/<reg>, regular form: {regular}",
                    str(path), stream.xml_lines[match.start], code="lint-variant",
                ))
    return diagnostics


def unknown_names(tree: etree._ElementTree, path: Path, registers: Registers) -> list[Diagnostic]:
    """Names without a register entry, or in a form their entry does not know."""
    diagnostics = []

    def report(name: etree._Element, message: str, code: str) -> None:
        diagnostics.append(Diagnostic(Severity.ERROR, message, str(path),
                                      name.sourceline, code=code))

    for name in name_elements(tree):
        tag = etree.QName(name).localname
        ref = name.get("ref")
        reading = reading_text(name, NORMALISED)
        if not ref:
            report(name, f"<{tag}> “{reading}” has no @ref to a register entry", "lint-unlinked")
            continue
        entry = registers.lookup(ref)
        if entry is None:
            report(name, f"<{tag} ref=\"{ref}\"> names no register entry", "lint-unresolved")
            continue
        if entry.kind != NAME_TAGS[name.tag]:
            report(name, f"<{tag}> points to a {entry.kind} ({ref})", "lint-kind")
        kept_as_written = any(ancestor.tag in _KEPT_AS_WRITTEN
                              for ancestor in name.iterancestors())
        # the register's policy: a name in the text reads as its regular or an accepted form; a
        # variant only where it is kept as written; its modern, historical and native names are
        # there for reference, not forms of the text
        readable = entry.regular_forms | (set(entry.variants) if kept_as_written else set())
        if reading not in readable:
            report(name, f"<{tag}> form “{reading}” is not a regular form of {ref} "
                         f"(regular: {entry.regular}); add it to the register as an accepted "
                         "form or regularise it",
                   "lint-unknown-form")
        witness = reading_text(name, AUTHORIAL)
        if witness != reading and witness not in entry.known_forms:
            report(name, f"<{tag}> witness form “{witness}” is not in the register entry {ref}; "
                         "add it as a variant", "lint-unknown-variant")
    return diagnostics


@dataclass(frozen=True)
class _Mark:
    kind: str  # "opening" or "closing"
    xml_line: int
    witness_line: int | None
    encoded: bool  # inside a <quote>/<q>, or marked as unmatched


def _quotation_marks(block: etree._Element) -> list[_Mark]:
    """The quotation marks of one block of the witness (its nested blocks and floats apart)."""
    marks: list[_Mark] = []
    witness_line: int | None = None

    def add(text: str | None, xml_line: int, encoded: bool) -> None:
        marks.extend(_Mark(_QUOTATION_MARKS[char], xml_line, witness_line, encoded)
                     for char in text or "" if char in _QUOTATION_MARKS)

    def visit(element: etree._Element, encoded: bool) -> None:
        nonlocal witness_line
        for child in element:
            tag = child.tag
            if tag == tei("lb") and line_number(child) is not None:
                witness_line = line_number(child)
            skipped = (not isinstance(tag, str) or tag in _BLOCKS or tag in _FLOATS
                       or not DIPLOMATIC.reads(child))
            if not skipped:
                inner = (encoded or tag in (tei("quote"), tei("q"))
                         or (tag == tei("seg") and child.get("type") == UNMATCHED_MARK))
                add(child.text, child.sourceline or 0, inner)
                visit(child, inner)
            add(child.tail, child.sourceline or 0, encoded)

    add(block.text, block.sourceline or 0, False)
    visit(block, False)
    return marks


def unencoded_quotation_marks(tree: etree._ElementTree, path: Path) -> list[Diagnostic]:
    """Quotation marks of the witness without a partner that the encoding does not account for:
    a quotation whose start or end the encoder has not decided."""
    diagnostics = []
    for text in tree.getroot().iter(tei("text")):
        for block in text.iter(*_BLOCKS):
            if block.get("type") == "editorial":
                continue
            unmatched: list[_Mark] = []
            opened: list[_Mark] = []
            for mark in _quotation_marks(block):
                if mark.encoded:
                    continue
                if mark.kind == "opening":
                    opened.append(mark)
                elif opened:
                    opened.pop()
                else:
                    unmatched.append(mark)
            for mark in sorted([*unmatched, *opened], key=lambda m: m.xml_line):
                where = f" (witness line {mark.witness_line})" if mark.witness_line else ""
                diagnostics.append(Diagnostic(
                    Severity.ERROR,
                    f"{mark.kind} quotation mark without its partner{where}, not encoded: mark "
                    f"the quotation's extent with <quote>, or the mark with "
                    f"<seg type=\"{UNMATCHED_MARK}\"> and say why in a note",
                    str(path), mark.xml_line, code="lint-quotation-mark",
                ))
    return diagnostics


def lint_tree(tree: etree._ElementTree, path: Path, registers: Registers) -> list[Diagnostic]:
    """Every lint finding of one loaded document."""
    return [*unencoded_variants(tree, path, registers), *unknown_names(tree, path, registers),
            *unencoded_quotation_marks(tree, path)]


def documents(paths: Sequence[Path]) -> list[Path]:
    """The files to lint: a corpus stands for the files it XIncludes, so that every finding
    names the file and line the encoder has to open."""
    found: list[Path] = []
    seen: set[Path] = set()  # the files of `found`, resolved
    for path in map(Path, paths):
        root = parse_xml(path).getroot()
        members = []
        if root.tag == tei("teiCorpus"):
            for include in root.iterchildren(f"{{{XI_NS}}}include"):
                href = include.get("href", "")
                try:
                    confine(href, path, path.parent)
                except RefusedResource as refusal:
                    raise refusal_error(refusal, path, include.sourceline) from None
                members.append(path.parent / href)
        for document in members or [path]:
            if real_path(document) not in seen:
                seen.add(real_path(document))
                found.append(document)
    return found


def lint(paths: Sequence[Path]) -> list[Diagnostic]:
    """Lint files (a corpus through its members), each problem once, in file and line order."""
    by_folder: dict[Path, Registers] = {}
    diagnostics = []
    for path in documents(paths):
        tree = load(path)
        folder = real_path(path.parent)
        if folder not in by_folder:
            by_folder[folder], unread = edition_registers(path.parent)
            diagnostics += unread
        registers = Registers([*by_folder[folder], *registers_for(tree, path)])
        diagnostics.extend(lint_tree(tree, path, registers))
    return sorted(diagnostics, key=lambda d: (d.file or "", d.line or 0, d.message))
