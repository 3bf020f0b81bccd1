"""BibTeX lint: the bibliography's problems as `Diagnostic`s, reported by `edition validate`
like every other problem (`file:line: severity: message`).

Rules, by code:
  bib-unreadable      the file cannot be read as UTF-8 BibTeX at all (refused, never a crash)
  bib-syntax          a block bibtexparser could not parse (the rest of the file still is)
  bib-duplicate-key   a key defined twice, in one file or across the bibliography
  bib-duplicate-field a field given twice in one entry
  bib-missing-field   a field BibTeX requires for the entry type, after crossref/xdata inheritance
  bib-unknown-key     a key the TEI points to that its .bib file does not define
  bib-unknown-file    a TEI pointer to a .bib file that is not part of the bibliography
  reference-unmapped  a number cited in an article's text without its `<bibl n>` in the listBibl
  bib-uncited         an entry no article cites (directly, or through crossref/xdata/related)

The BibTeX reader and the TEI side of the mapping (which `<ptr type="bibtex">` points where)
come from `citations`, so that lint and rendering agree on one reading of both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry
from lxml import etree

from .citations import BibFile, Pointer, mapping_problems, pointers, read_bibtex
from .diagnostics import Diagnostic, EditionError, Severity
from .load import load

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
# Other (biblatex) types need at least a title; these two only carry fields for others.
CONTAINER_TYPES = {"set", "xdata"}
# Fields through which one entry brings another into the bibliography.
LINK_FIELDS = ("crossref", "xdata", "related")


def lint_bibliography(
    bib_paths: Iterable[Path],
    tei_sources: Iterable[Path | etree._ElementTree | etree._Element] = (),
) -> list[Diagnostic]:
    """Check the .bib files, and with TEI articles given, the mapping between them.

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
        diagnostics += _file_problems(bib)
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


def _file_problems(bib: BibFile) -> list[Diagnostic]:
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
        else:
            reason = getattr(block.error, "abort_reason", block.error)
            found.append(_diagnostic(Severity.ERROR, f"unparseable entry {_first_line(block)}: "
                                     f"{reason}", bib, block, "bib-syntax"))
    entries = bib.entries()
    for entry in bib.library.entries:
        for field in _missing_fields(entry, entries):
            found.append(_diagnostic(Severity.ERROR, f"@{entry.entry_type}{{{entry.key}}} lacks "
                                     f"the required field {field.replace('|', ' or ')}", bib, entry,
                                     "bib-missing-field"))
    return found


def _first_line(block: object) -> str:
    raw = (getattr(block, "raw", "") or "").strip().splitlines()
    return repr(raw[0][:60]) if raw else "empty block"


def _fields(entry: Entry) -> dict[str, str]:
    return {field.key.lower(): str(field.value) for field in entry.fields}


def _missing_fields(entry: Entry, entries: dict[str, Entry]) -> list[str]:
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
    required = REQUIRED_FIELDS.get(kind, ("title",))
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
    target = next((bib for bib in files if bib.path.resolve() == pointer.bib_path), None)
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
