"""BibTeX lint: the bibliography's problems as `Diagnostic`s, reported by `edition validate`
like every other problem (`file:line: severity: message`).

Rules, by code:
  bib-unreadable      the file cannot be read as UTF-8 BibTeX at all (refused, never a crash)
  bib-syntax          a block bibtexparser could not parse (the rest of the file still is)
  bib-refused         what pandoc's own BibTeX reader refuses (it then refuses the whole file)
  bib-empty           a file with no entry at all (not BibTeX: nothing would be cited from it)
  bib-undefined-macro a bare word in a field or @string that no @string defines (pandoc would
                      print the macro's name as text)
  bib-duplicate-key   a key defined twice, in one file or across the bibliography
  bib-duplicate-field a field given twice in one entry
  bib-missing-field   a field BibTeX requires for the entry type, after crossref/xdata inheritance
  bib-key-refused     a key with a character pandoc's BibTeX reader refuses (it then refuses the
                      whole file): a full-width comma, a dash, '#', '"', …
  bib-crossref-cycle  entries that inherit from each other in a circle (crossref, xdata): pandoc's
                      citeproc never returns on them
  bib-crossref-missing a crossref or xdata to a key the file does not define (the fields it
                      should inherit are silently missing)
  bib-unknown-key     a key the TEI points to that its .bib file does not define
  bib-unknown-file    a TEI pointer to a .bib file that is not part of the bibliography
  reference-unmapped  a number cited in an article's text without its `<bibl n>` in the listBibl
  bib-uncited         an entry no article cites (directly, or through crossref/xdata/related)

The BibTeX reader and the TEI side of the mapping (which `<ptr type="bibtex">` points where)
come from `citations`, so that lint and rendering agree on one reading of both.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry
from lxml import etree

from .citations import (
    BibFile,
    Pointer,
    mapping_problems,
    pandoc_refusal,
    pointers,
    read_bibtex,
)
from .diagnostics import Diagnostic, EditionError, Severity
from .load import load
from .resources import real_path

# Required fields of the classic BibTeX entry types (btxdoc), "a|b" meaning either; the
# biblatex names of the same fields (date, journaltitle, institution) count too.
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "article": ("author", "title", "journal|journaltitle", "year|date"),
    "book": ("author|editor", "title", "publisher", "year|date"),
    "booklet": ("title",),
    "inbook": ("author|editor", "title", "chapter|pages", "publisher", "year|date"),
    "incollection": ("author", "title", "booktitle", "publisher", "year|date"),
    "inproceedings": ("author", "title", "booktitle", "year|date"),
    "conference": ("author", "title", "booktitle", "year|date"),
    "manual": ("title",),
    "mastersthesis": ("author", "title", "school|institution", "year|date"),
    "phdthesis": ("author", "title", "school|institution", "year|date"),
    "misc": (),
    "proceedings": ("title", "year|date"),
    "techreport": ("author", "title", "institution", "year|date"),
    "unpublished": ("author", "title", "note"),
}
# The characters pandoc's BibTeX reader (and so citeproc) accepts in a key besides letters and
# digits (pandoc's Citeproc.BibTeX, isBibtexKeyChar); any other stops it on the whole file.
KEY_PUNCTUATION = frozenset(".:;?!`'()/*@_+=-&[]")
# The same for a file that declares itself biblatex (biblatex manual, 2.1.1): no publisher,
# a type and institution for reports and theses; its aliases of the BibTeX types too.
BIBLATEX_REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "article": ("author", "title", "journaltitle|journal", "year|date"),
    "book": ("author", "title", "year|date"),
    "mvbook": ("author", "title", "year|date"),
    "inbook": ("author", "title", "booktitle", "year|date"),
    "bookinbook": ("author", "title", "booktitle", "year|date"),
    "suppbook": ("author", "title", "booktitle", "year|date"),
    "booklet": ("author|editor", "title", "year|date"),
    "collection": ("editor", "title", "year|date"),
    "mvcollection": ("editor", "title", "year|date"),
    "incollection": ("author", "title", "booktitle", "year|date"),
    "suppcollection": ("author", "title", "booktitle", "year|date"),
    "manual": ("author|editor", "title", "year|date"),
    "misc": ("author|editor", "title", "year|date"),
    "online": ("author|editor", "title", "year|date", "doi|eprint|url"),
    "patent": ("author", "title", "number", "year|date"),
    "periodical": ("editor", "title", "year|date"),
    "proceedings": ("title", "year|date"),
    "mvproceedings": ("title", "year|date"),
    "inproceedings": ("author", "title", "booktitle", "year|date"),
    "conference": ("author", "title", "booktitle", "year|date"),
    "report": ("author", "title", "type", "institution", "year|date"),
    "techreport": ("author", "title", "institution", "year|date"),
    "thesis": ("author", "title", "type", "institution|school", "year|date"),
    "mastersthesis": ("author", "title", "institution|school", "year|date"),
    "phdthesis": ("author", "title", "institution|school", "year|date"),
    "unpublished": ("author", "title", "year|date"),
}
BIBLATEX_DECLARATION = re.compile(r"databaseType\s*:\s*biblatex|!\s*BIB\s+(?:TS-)?program\s*=\s*"
                                  r"biber", re.IGNORECASE)
# Other (biblatex) types need at least a title; these two only carry fields for others.
CONTAINER_TYPES = {"set", "xdata"}
# Fields through which one entry brings another into the bibliography.
LINK_FIELDS = ("crossref", "xdata", "related")
# The macros pandoc's BibTeX reader defines itself (the months).
PREDEFINED_MACROS = frozenset(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
                               "oct", "nov", "dec"))
MACRO_NAME = re.compile(r"[^\s\"#%'(),={}]+")  # the characters BibTeX allows in a macro's name



def lint_bibliography(
    bib_paths: Iterable[Path],
    tei_sources: Iterable[Path | etree._ElementTree | etree._Element] = (),
    dialect: str | None = None,
) -> list[Diagnostic]:
    """Check the .bib files, and with TEI articles given, the mapping between them.

    The required fields are BibTeX's, or biblatex's for a file that says it is biblatex (a
    JabRef `databaseType:biblatex` comment, `% !BIB program = biber`) or with
    `dialect="biblatex"`.

    `tei_sources` are paths (loaded with XInclude) or loaded trees or root elements (a TEI or
    a teiCorpus).
    Without TEI the cross-checks (unknown keys, unmapped numbers, uncited entries) are skipped.
    """
    diagnostics: list[Diagnostic] = []
    files: list[BibFile] = []
    for path in bib_paths:
        try:
            files.append(read_bibtex(path))
        except EditionError as refusal:
            diagnostics.append(refusal.diagnostic)
    for bib in files:
        diagnostics += _file_problems(bib, dialect or dialect_of(bib))
    diagnostics += _cross_file_duplicates(files)
    trees = [_as_tree(source) for source in tei_sources]
    if trees:
        cited: set[str] = set()
        for tree in trees:
            for pointer in pointers(tree):
                cited.add(pointer.key)
                diagnostics += _pointer_problems(pointer, files)
            diagnostics += mapping_problems(tree)
        diagnostics += _uncited(files, cited)
    return list(dict.fromkeys(diagnostics))  # an article given twice (alone, in its corpus)


def _as_tree(
    source: Path | etree._ElementTree | etree._Element,
) -> etree._ElementTree | etree._Element:
    return source if isinstance(source, etree._ElementTree | etree._Element) else load(Path(source))


def _line(block: object) -> int | None:
    start = getattr(block, "start_line", None)
    return None if start is None else start + 1  # bibtexparser counts from 0


def _diagnostic(severity: Severity, message: str, bib: BibFile, block: object,
                code: str) -> Diagnostic:
    return Diagnostic(severity, message, str(bib.path), _line(block), code=code)


def dialect_of(bib: BibFile) -> str:
    """"biblatex" when the file declares itself so in a comment, else "bibtex"."""
    declared = any(BIBLATEX_DECLARATION.search(str(getattr(comment, "comment", "")))
                   for comment in bib.library.comments)
    return "biblatex" if declared else "bibtex"


def _file_problems(bib: BibFile, dialect: str = "bibtex") -> list[Diagnostic]:
    cycles = _inheritance_cycles(bib)
    found = _parse_problems(bib, pandoc_can_read=not cycles)  # on a circle it never returns
    refused = next((d for d in found if d.code == "bib-refused"), None)
    entries = bib.entries()
    if not entries and not bib.library.failed_blocks:
        found.append(Diagnostic(Severity.ERROR, "no BibTeX entry in the file (is it BibTeX?): "
                                "nothing could be cited from it", str(bib.path), 1,
                                code="bib-empty"))
    found += cycles + _dangling_parents(bib) + _undefined_macros(bib)
    for entry in bib.library.entries:
        refused_characters = _refused_key(entry)
        if refused_characters:
            characters = ", ".join(f"{c!r} (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})"
                                   for c in refused_characters)
            found.append(_diagnostic(Severity.ERROR, f"key {entry.key!r} has {characters}, which "
                                     "pandoc refuses in a key (and with it the whole file): use "
                                     "letters, digits and .:;?!`'()/*@_+=-&[]", bib, entry,
                                     "bib-key-refused"))
        if refused is not None and _spans(entry, refused.line):
            continue  # pandoc's error inside the entry says why bibtexparser misread its fields
        for field in _missing_fields(entry, entries, dialect):
            found.append(_diagnostic(Severity.ERROR, f"@{entry.entry_type}{{{entry.key}}} lacks "
                                     f"the required field {field.replace('|', ' or ')}", bib, entry,
                                     "bib-missing-field"))
    return found


def duplicate_problems(bib: BibFile) -> list[Diagnostic]:
    """A key defined twice in the file, a field given twice in an entry: bibtexparser keeps
    the first entry of a key and drops an entry with a field twice, pandoc's citeproc cites
    the last entry and the last field, so neither can be built (`resolve_citations`)."""
    found = []
    for block in bib.library.failed_blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            first = _line(block.previous_block)
            found.append(_diagnostic(Severity.ERROR, f"duplicate key {block.key!r} (first defined "
                                     f"on line {first})", bib, block, "bib-duplicate-key"))
        elif isinstance(block, DuplicateFieldKeyBlock):
            fields = ", ".join(sorted(block.duplicate_keys))
            key = block.ignore_error_block.key
            found.append(_diagnostic(Severity.ERROR, f"entry {key!r} gives the field(s) "
                                     f"{fields} more than once", bib, block,
                                     "bib-duplicate-field"))
    return found


def _parse_problems(bib: BibFile, pandoc_can_read: bool = True) -> list[Diagnostic]:
    """bibtexparser's failed blocks, then pandoc's refusal of the file unless one of them at
    or before its line already says why (pandoc stops at its first error)."""
    found = duplicate_problems(bib)
    for block in bib.library.failed_blocks:
        if not isinstance(block, DuplicateBlockKeyBlock | DuplicateFieldKeyBlock):
            reason = getattr(block.error, "abort_reason", block.error)
            found.append(_diagnostic(Severity.ERROR, f"unparseable entry {_first_line(block)}: "
                                     f"{reason}", bib, block, "bib-syntax"))
    refused = pandoc_refusal(bib.path) if pandoc_can_read else None
    explained = [(_line(block) or 0) for block in bib.library.failed_blocks
                 if not isinstance(block, DuplicateBlockKeyBlock | DuplicateFieldKeyBlock)]
    explained += [(_line(entry) or 0) for entry in bib.library.entries if _refused_key(entry)]
    if refused is not None and not any(line <= (refused.line or 0) for line in explained):
        found.append(refused)
    return found


def _spans(entry: Entry, line: int | None) -> bool:
    first = _line(entry)
    return (line is not None and first is not None
            and first <= line <= first + (entry.raw or "").count("\n"))


def _refused_key(entry: Entry) -> list[str]:
    """The characters of the entry's key that pandoc refuses."""
    return [c for c in dict.fromkeys(entry.key) if not (c.isalnum() or c in KEY_PUNCTUATION)]


def _dangling_parents(bib: BibFile) -> list[Diagnostic]:
    """crossref/xdata naming a key the file does not define: pandoc says nothing and the
    entry lacks what it should inherit."""
    keys = {entry.key.lower() for entry in bib.library.entries}
    return [_diagnostic(Severity.ERROR, f"@{entry.entry_type}{{{entry.key}}}: {link} "
                        f"{parent.strip()!r} is not an entry of this file", bib, entry,
                        "bib-crossref-missing")
            for entry in bib.library.entries for link in ("crossref", "xdata")
            for parent in _fields(entry).get(link, "").split(",")
            if parent.strip() and parent.strip().lower() not in keys]


def _undefined_macros(bib: BibFile) -> list[Diagnostic]:
    """Bare words in field and @string values that no @string defines, read from the file's
    unresolved values (bibtexparser resolves the macros it knows and leaves the others)."""
    raw = bibtexparser.parse_string(bib.path.read_text(encoding="utf-8").removeprefix("\ufeff"),
                                    parse_stack=[])
    defined = PREDEFINED_MACROS | {string.key.lower() for string in raw.strings}
    values = [(f"@string{{{string.key}}}", string, string.value) for string in raw.strings]
    values += [(f"@{entry.entry_type}{{{entry.key}}}, field {field.key},", field, field.value)
               for entry in raw.entries for field in entry.fields]
    found = []
    for where, block, value in values:
        for macro in _macros(str(value)):
            if macro.lower() not in defined:
                found.append(_diagnostic(Severity.ERROR, f"{where} uses the macro {macro!r}, "
                                         "which no @string defines (pandoc would print its "
                                         "name as text): brace the text or define it", bib,
                                         block, "bib-undefined-macro"))
    return found


def _macros(value: str) -> list[str]:
    """The macro names of a raw field value (`x # " and " # {y}` → x): the parts between
    '#'s outside braces and quotes that are a name, not a number (anything else is a syntax
    error, said by bibtexparser or pandoc)."""
    parts, current, depth, quoted = [], "", 0, False
    for character in value:
        if character == "#" and depth == 0 and not quoted:
            parts.append(current.strip())
            current = ""
            continue
        depth += {"{": 1, "}": -1}.get(character, 0)
        quoted = quoted != (character == '"' and depth == 0)
        current += character
    parts.append(current.strip())
    return [part for part in parts if MACRO_NAME.fullmatch(part) and not part.isdigit()]


def _inheritance_cycles(bib: BibFile) -> list[Diagnostic]:
    """Each circle of crossref/xdata parents, once, at its first entry in the file."""
    entries = {entry.key.lower(): entry for entry in bib.library.entries}
    parents = {key: [parent.strip().lower() for link in ("crossref", "xdata")
                     for parent in _fields(entry).get(link, "").split(",") if parent.strip()]
               for key, entry in entries.items()}
    found, in_circle = [], set()
    for start in entries:
        path, key = [start], start
        while True:
            following = [parent for parent in parents.get(key, []) if parent in entries]
            if not following:
                break
            key = following[0]
            if key in path:
                circle = path[path.index(key):]
                if not in_circle & set(circle):
                    in_circle.update(circle)
                    names = " → ".join(entries[k].key for k in [*circle, key])
                    found.append(_diagnostic(Severity.ERROR, f"entries inherit from each other "
                                             f"in a circle ({names}): pandoc's citeproc never "
                                             "returns on it", bib, entries[circle[0]],
                                             "bib-crossref-cycle"))
                break
            path.append(key)
    return found


def _first_line(block: object) -> str:
    raw = (getattr(block, "raw", "") or "").strip().splitlines()
    return repr(raw[0][:60]) if raw else "empty block"


def _fields(entry: Entry) -> dict[str, str]:
    return {field.key.lower(): str(field.value) for field in entry.fields}


def _missing_fields(entry: Entry, entries: dict[str, Entry],
                    dialect: str = "bibtex") -> list[str]:
    """Required fields absent from the entry and from what it inherits (crossref, xdata)."""
    kind = entry.entry_type.lower()
    if kind in CONTAINER_TYPES:
        return []
    present = set(_fields(entry))
    for link in ("crossref", "xdata"):
        for parent_key in _fields(entry).get(link, "").split(","):
            parent = entries.get(parent_key.strip())
            if parent is not None:
                inherited = _fields(parent)
                present |= set(inherited)
                if "title" in inherited:  # a parent's title is its children's booktitle
                    present.add("booktitle")
    table = BIBLATEX_REQUIRED_FIELDS if dialect == "biblatex" else REQUIRED_FIELDS
    required = table.get(kind, ("title",))
    return [need for need in required if not present & set(need.split("|"))]


def _cross_file_duplicates(files: Sequence[BibFile]) -> list[Diagnostic]:
    seen: dict[str, BibFile] = {}
    found = []
    for bib in files:
        for entry in bib.library.entries:
            first = seen.setdefault(entry.key, bib)
            if first is not bib:
                found.append(_diagnostic(Severity.ERROR, f"duplicate key {entry.key!r} (also "
                                         f"defined in {first.path})", bib, entry,
                                         "bib-duplicate-key"))
    return found


def _pointer_problems(pointer: Pointer, files: Sequence[BibFile]) -> list[Diagnostic]:
    """A TEI pointer must name a .bib file of the bibliography and a key that file defines."""
    where = {"file": pointer.file, "line": pointer.line}
    target = next((bib for bib in files if real_path(bib.path) == pointer.bib_path), None)
    if target is None:
        return [Diagnostic(Severity.ERROR, f"<ptr target={pointer.target!r}> names "
                           f"{pointer.bib_path}, which is not one of the bibliography's .bib "
                           "files", **where, code="bib-unknown-file")]
    if pointer.key not in target.entries():
        return [Diagnostic(Severity.ERROR, f"BibTeX key {pointer.key!r} (reference "
                           f"{pointer.number}) is not defined in {target.path}", **where,
                           code="bib-unknown-key")]
    return []


def _uncited(files: Sequence[BibFile], cited: set[str]) -> list[Diagnostic]:
    """Entries that no article cites, following crossref/xdata/related from cited entries."""
    entries = {entry.key: entry for bib in files for entry in bib.library.entries}
    reached, pending = set(), [key for key in cited if key in entries]
    while pending:
        key = pending.pop()
        if key in reached:
            continue
        reached.add(key)
        fields = _fields(entries[key])
        pending += [linked.strip() for link in LINK_FIELDS
                    for linked in fields.get(link, "").split(",") if linked.strip() in entries]
    return [
        _diagnostic(Severity.WARNING, f"entry {entry.key!r} is never cited", bib, entry,
                    "bib-uncited")
        for bib in files for entry in bib.library.entries
        if entry.key not in reached and entry.entry_type.lower() not in CONTAINER_TYPES
    ]
