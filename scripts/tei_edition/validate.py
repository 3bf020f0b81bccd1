"""Stage 2, validate: is each file well-formed, valid TEI, and does it keep the project's rules?

`edition validate [FILE|DIR …]` checks, in order: safe loading and well-formedness (load.py),
the root element, RELAX NG, unique xml:ids and article ids, then for files of the edition
the project's Schematron rules (rules.py), and the BibTeX lint of the bibliography
(biblint.py). Every problem becomes one `Diagnostic` (`file:line:col: severity: message`).

Each schema is compiled once per run, after every file has been read: the official one is
compiled for the vocabulary of the files at hand (schemas.py), which takes a fraction of a
second where the whole of tei_all takes 13 s, with the same verdict and messages.
"""

from __future__ import annotations

import copy
import os
import re
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from lxml import etree

from . import TEI_NS, XML_NS
from .articles import article_id, articles, id_given_by, id_source
from .diagnostics import Diagnostic, EditionError, Severity, error
from .forking import fork_context
from .load import (
    MARKUP_HEAD,
    XML_ID,
    Loaded,
    duplicate_ids,
    external_dtd,
    included_external_dtd,
    load_with_origins,
    parse_xml,
    source_file,
    xml_encoding,
)
from .registers import missing_registers, unusable_registers
from .resources import real_path
from .schema_cache import reduced_grammar
from .schemas import (
    EDITION_SCHEMA,
    TEI_ALL,
    ContentRules,
    Name,
    element_names,
    is_reducible,
    read_grammar,
    reduce_grammar,
    vocabulary,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
EDITION_DIR = PROJECT_ROOT / "edition"
SCHEMAS = {"tei_all": TEI_ALL, "edition": EDITION_SCHEMA}
TEI_ROOTS = {"TEI", "teiCorpus"}
P4_ROOTS = {"TEI.2", "teiCorpus.2"}
PROGRESS_MIN_FILES = 50  # fewer files finish before a progress bar would be read
KEEP_TREES_BYTES = 256 * 1024 * 1024  # above this, files are read again instead of kept


class UsageError(Exception):
    """The command line asks for something that cannot be done (exit status 2)."""


@dataclass
class CompiledSchema:
    """One RELAX NG schema, compiled once for a run."""

    name: str
    path: Path
    validator: etree.RelaxNG
    seconds: float
    elements: set[Name]
    reduced: bool
    vocabulary: set[Name]  # the elements of the documents it checks
    _full: etree._ElementTree | None = None  # read when first needed: see `full`
    _any_root: etree.RelaxNG | None = None

    @property
    def full(self) -> etree._ElementTree:
        """The grammar as read, before its reduction (read again only when a problem is to
        be explained: a reduction from the cache does without it)."""
        if self._full is None:
            self._full = read_grammar(self.path)
        return self._full

    @cached_property
    def rules(self) -> ContentRules:
        return ContentRules(self.full)

    def any_root(self) -> etree.RelaxNG | None:
        """The schema reduced to the documents' vocabulary with any of its elements as the
        root, compiled when first needed (None if the grammar's shape does not allow it)."""
        if self._any_root is None and is_reducible(self.full):
            self._any_root = etree.RelaxNG(reduce_grammar(self.full, self.vocabulary, True))
        return self._any_root

    def describe(self) -> dict[str, object]:
        return {"name": self.name, "path": str(self.path), "elements": len(self.elements),
                "reduced_to_vocabulary": self.reduced, "compile_seconds": round(self.seconds, 3)}


@dataclass
class _Document:
    path: Path
    explicit: bool  # named on the command line (not found in a folder)
    edition: Path | None  # the edition folder, if the file is part of the edition
    size: int = 0
    tree: etree._ElementTree | None = None
    origins: dict[etree._Element, Path] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)  # the files the tree was read from
    names: set[Name] = field(default_factory=set)
    schema: str = ""

    @property
    def in_edition(self) -> bool:
        return self.edition is not None


@dataclass
class Report:
    """What a run found: the diagnostics, in file and line order, and what was checked."""

    diagnostics: list[Diagnostic]
    files: int
    skipped: list[Path]
    schemas: list[CompiledSchema]
    # Each checked file's tree, as read (validation leaves it so), for a build's transform.
    loaded: dict[Path, Loaded] = field(default_factory=dict)

    def count(self, severity: Severity) -> int:
        return sum(1 for diagnostic in self.diagnostics if diagnostic.severity == severity)

    def summary(self) -> str:
        errors, warnings = self.count(Severity.ERROR), self.count(Severity.WARNING)
        compiled = ", ".join(f"{schema.name} compiled once in {schema.seconds:.2f} s"
                             for schema in self.schemas) or "no schema needed"
        skipped = f", {len(self.skipped)} non-TEI XML skipped" if self.skipped else ""
        return (f"edition validate: {_plural(self.files, 'file')} checked{skipped}: "
                f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} ({compiled})")

    def as_json(self) -> dict[str, object]:
        return {
            "files": self.files,
            "errors": self.count(Severity.ERROR),
            "warnings": self.count(Severity.WARNING),
            "skipped": [str(path) for path in self.skipped],
            "schemas": [schema.describe() for schema in self.schemas],
            "diagnostics": [diagnostic.as_json() for diagnostic in self.diagnostics],
        }


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def validate(targets: Sequence[Path] = (), schema: str = "auto", progress: bool | None = None,
             edition: Path = EDITION_DIR, bib_dialect: str | None = None,
             jobs: int = 1, registers_read: bool = True) -> Report:
    """Validate files and folders (none: the edition and its bibliography, ../bib/*.bib).
    Files inside `edition` are checked with the project's rules too, and XInclude only
    within it; others only against the schema, XIncluding within their own folder. With
    `registers_read`, each register the names point to is read as a build reads it (a build
    validates without, and reads them once, itself).

    With `jobs` > 1, the files are checked by that many processes (see `_check_all`)."""
    if schema != "auto":
        schema_path(schema)  # a usage error before any work
    xml_files, bib_files, absent = _collect(targets, edition)
    if not xml_files and not bib_files:  # bad input, as an unreadable file is: exit status 1
        return Report(absent or [_nothing_in(edition)], 0, [], [])
    bar = _Progress(len(xml_files), sys.stderr.isatty() if progress is None else progress)
    diagnostics: list[Diagnostic] = list(absent)
    documents: list[_Document] = []
    skipped: list[Path] = []
    kept_bytes = 0
    for document in xml_files:
        bar.step("reading")
        problem = _read(document, schema)
        if problem is not None:
            diagnostics.append(problem)
            continue
        if document.tree is None:  # a fragment or other XML found in a folder
            skipped.append(document.path)
            continue
        kept_bytes += document.size
        if kept_bytes > KEEP_TREES_BYTES:
            document.tree, document.origins = None, {}
        documents.append(document)
    compiled = _compile_schemas(documents)
    # A corpus's project rules cover the members it XIncludes (rules.py reports at the
    # member's file): checking a member again on its own would only repeat them.
    covered = {real_path(origin) for document in documents for origin in document.origins.values()
               if document.in_edition}
    bar.restart(len(documents))
    for found in _check_all(documents, compiled, covered, jobs, registers_read):
        bar.step("validating")
        diagnostics += found
    bar.done()
    if bib_files:
        diagnostics += _lint_bibliography(bib_files, documents, bib_dialect)
    unique = dict.fromkeys(diagnostics)  # a corpus and its members report a problem once
    ordered = sorted(unique, key=lambda d: (d.file or "", d.line or 0, d.column or 0))
    checked = len(xml_files) - len(skipped) + len(bib_files)
    kept = {document.path: Loaded(document.tree, document.origins, document.files)
            for document in documents if document.tree is not None}
    return Report(ordered, checked, skipped, list(compiled.values()), kept)


# --- which files -------------------------------------------------------------------------

def _collect(targets: Sequence[Path], edition: Path,
             ) -> tuple[list[_Document], list[Path], list[Diagnostic]]:
    """The XML and .bib files to check, and an error for each target that is not there."""
    def document(path: Path, explicit: bool) -> _Document:
        return _Document(path, explicit, edition if _inside(path, edition) else None)

    if not targets:
        xml = [document(_shown(path), False) for path in sorted(edition.glob("*.xml"))]
        bib = edition.parent / "bib"
        return xml, [_shown(path) for path in sorted(bib.glob("*.bib"))], []
    xml_files: list[_Document] = []
    bib_files: list[Path] = []
    absent: list[Diagnostic] = []
    for target in map(Path, targets):
        if target.is_dir():
            found = len(xml_files) + len(bib_files)
            for path in _walk(target):
                if path.suffix == ".xml":
                    xml_files.append(document(path, False))
                elif path.suffix == ".bib":
                    bib_files.append(path)
            if len(xml_files) + len(bib_files) == found:  # never dropped beside other targets
                absent.append(_nothing_in(target))
        elif target.exists() or target.is_symlink():  # a dangling link: said as unreadable
            if target.suffix == ".bib":
                bib_files.append(target)
            else:
                xml_files.append(document(target, True))
        else:
            absent.append(Diagnostic(Severity.ERROR, "no such file or folder", str(target),
                                     code="no-file"))
    return xml_files, bib_files, absent


def _nothing_in(folder: Path) -> Diagnostic:
    return Diagnostic(Severity.ERROR, "nothing to validate: no .xml or .bib file in this folder",
                      str(folder), code="no-file")


def _walk(folder: Path) -> list[Path]:
    """The files under a folder, in name order, without hidden folders (.git, .venv)."""
    found = []
    for directory, subdirectories, files in os.walk(folder):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
        found += [Path(directory) / name for name in sorted(files)]
    return found


def _shown(path: Path) -> Path:
    """A path as the user will want to read it: relative to the working folder if inside."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def is_tei_document(path: Path) -> bool:
    """Whether a file's root element is a TEI document (TEI or teiCorpus)."""
    name = etree.QName(parse_xml(path, check_ids=False).getroot())
    return name.namespace == TEI_NS and name.localname in TEI_ROOTS


def _inside(path: Path, folder: Path) -> bool:
    return real_path(path).is_relative_to(real_path(folder))


# --- reading -----------------------------------------------------------------------------

def _read(document: _Document, schema: str) -> Diagnostic | None:
    """Load one file (well-formedness, safety) and check its root; keep what validation needs."""
    path = document.path
    try:
        tree, origins = load_with_origins(path, document.edition, check_ids=False,
                                          files_read=document.files)
    except EditionError as refusal:
        return refusal.diagnostic
    element = tree.getroot()
    name = etree.QName(element)
    if name.localname in TEI_ROOTS and name.namespace != TEI_NS:
        found = f' (it is in "{name.namespace}")' if name.namespace else ""
        return error(f"the root element <{name.localname}> is not in the TEI namespace{found}: "
                     f'add xmlns="{TEI_NS}" to it', path, element.sourceline,
                     code="wrong-namespace").diagnostic
    if name.localname in P4_ROOTS and not name.namespace:  # TEI, in a folder too
        return error(f"<{name.localname}> is the root of a TEI P4 document: this pipeline reads "
                     "TEI P5 (convert the file, e.g. with the TEI Consortium's p4top5.xsl)",
                     path, element.sourceline, code="tei-p4").diagnostic
    if name.namespace != TEI_NS or name.localname not in TEI_ROOTS:
        if not document.explicit:
            return None  # e.g. a fragment that a document XIncludes: checked as part of it
        return error(f"the root element <{name.localname}> is not a TEI document (expected "
                     "<TEI> or <teiCorpus>; a fragment is checked as part of the document that "
                     "XIncludes it)", path, element.sourceline, code="wrong-root").diagnostic
    document.tree, document.origins = tree, origins
    document.size = path.stat().st_size
    document.names = vocabulary([tree])
    document.schema = _schema_for(document, schema)
    return None


def _schema_for(document: _Document, requested: str) -> str:
    if requested != "auto":
        return requested
    if document.in_edition and EDITION_SCHEMA.exists():
        return "edition"
    return "tei_all"


def schema_path(name: str) -> Path:
    """The file of a schema named on the command line: tei_all, edition, or a .rng path."""
    if name in SCHEMAS:
        return SCHEMAS[name]
    path = Path(name)
    if path.suffix != ".rng" or not path.is_file():
        raise UsageError(f"--schema {name}: expected tei_all, edition or a RELAX NG (.rng) file")
    return path


def _compile_schemas(documents: list[_Document]) -> dict[str, CompiledSchema]:
    """Each schema the documents need, compiled once: reduced to the documents' vocabulary
    when it has the shape of a TEI schema (tei_all does), else as it is."""
    compiled = {}
    for name in dict.fromkeys(document.schema for document in documents):
        path = schema_path(name)
        started = time.perf_counter()
        used = set().union(*(d.names for d in documents if d.schema == name))
        reduction = None if name == "edition" else reduced_grammar(path, used)
        grammar = read_grammar(path) if reduction is None else reduction
        try:
            validator = etree.RelaxNG(grammar)
        except etree.RelaxNGParseError as exc:
            raise error(f"the schema does not compile: {exc}", path, code="schema") from None
        compiled[name] = CompiledSchema(name, path, validator, time.perf_counter() - started,
                                        element_names(grammar), reduction is not None, used,
                                        None if reduction is not None else grammar)
    return compiled


# --- checking ----------------------------------------------------------------------------

# What the worker processes of `_check_all` inherit from their parent (they are forked).
_WORK: tuple[list[_Document], dict[str, CompiledSchema], set[Path], bool] | None = None


def _check_all(documents: list[_Document], compiled: dict[str, CompiledSchema],
               covered: set[Path], jobs: int,
               registers_read: bool) -> Iterator[list[Diagnostic]]:
    """Each document's diagnostics, in the documents' order, checked by `jobs` processes.

    The processes are forked once the files are read and the schemas compiled, so each starts
    with the parsed trees and the compiled schemas (copy-on-write) and sends back only its
    diagnostics: a corpus of many files is checked on all cores without parsing or compiling
    anything twice. Where fork is not available, the files are checked here, one by one."""
    global _WORK
    _WORK = (documents, compiled, covered, registers_read)
    try:
        forking = fork_context() if jobs > 1 and len(documents) > 1 else None
        if forking is not None:
            with forking.Pool(min(jobs, len(documents))) as pool:
                yield from pool.imap(_check_one, range(len(documents)))
        else:
            yield from map(_check_one, range(len(documents)))
    finally:
        _WORK = None


def _check_one(index: int) -> list[Diagnostic]:
    documents, compiled, covered, registers_read = _WORK
    document = documents[index]
    alone = real_path(document.path) not in covered  # not checked as part of a corpus
    return _check(document, compiled[document.schema], document.in_edition and alone, alone,
                  registers_read)


def _check(document: _Document, schema: CompiledSchema, rules: bool, registers: bool,
           registers_read: bool) -> list[Diagnostic]:
    tree, origins = document.tree, document.origins
    if tree is None:  # not kept in memory: read it again
        tree, origins = load_with_origins(document.path, document.edition, check_ids=False)
    located = _Locator(document.path, origins)
    found = [dtd] if (dtd := external_dtd(tree, document.path)) else []
    found += filter(None, map(included_external_dtd, dict.fromkeys(origins.values())))
    duplicates = {}
    for element, first in duplicate_ids(tree):
        duplicates[element] = first
        found.append(located.diagnostic(
            element, f'duplicate xml:id "{element.get(XML_ID)}" (first defined on line '
            f"{first.sourceline} of {located.file(first)})", "duplicate-id"))
    found += _shared_article_ids(tree, located)
    # The project schema admits a vocabulary on purpose: say so when a file leaves it.
    outside = document.names - schema.elements if schema.name == "edition" else set()
    found += _outside_vocabulary(tree, schema, outside, located)
    if not schema.validator.validate(tree):
        found += _all_relaxng_problems(tree, schema, duplicates, outside, located,
                                       schema.validator)
    # A register gone, or there but unusable, stops a build: said here too.
    missing = missing_registers(tree, document.path) if registers else {}
    unusable = unusable_registers(tree, document.path) if registers and registers_read else {}
    found += [*missing.values(), *unusable.values()]
    if rules and not unusable:  # the rules read the registers (a malformed one stops them)
        from .rules import check_rules

        # (the names pointing into a missing register are said once, by its error)
        gone = re.compile("|".join(rf"(?<![\w./-]){re.escape(file)}#" for file in missing))
        found += [diagnostic for diagnostic in check_rules(tree, document.path)
                  if not (missing and gone.search(diagnostic.message))]
    return found


def _shared_article_ids(tree: etree._ElementTree, located: _Locator) -> list[Diagnostic]:
    """Each article whose id an earlier article of the corpus already has: the outputs name
    an article by its id (its HTML element, its page of the web edition, its part of the PDF,
    its citations), so two of one id merge or take each other's place.

    A check here, not a Schematron rule: the id is the article's file name when it has no
    idno of type edition, which the rules cannot read, and every corpus needs it, not only
    the edition's."""
    first: dict[str, etree._Element] = {}
    found = []
    for article in articles(tree):
        identifier = article_id(article)
        if identifier not in first:
            first[identifier] = article
            continue
        earlier = id_source(first[identifier])
        found.append(located.diagnostic(
            id_source(article), f'the article id "{identifier}" ({id_given_by(article)}) is '
            f"already the id of the article at {located.file(earlier)}:{earlier.sourceline}: "
            'each article needs an id of its own (its <idno type="edition"> in its '
            "publicationStmt, else its file name)", "duplicate-article-id"))
    return found


class _Locator:
    """Where an element of a loaded document is: the file it was read from (an XIncluded part
    has its own), its line, and a column. libxml2 gives RELAX NG problems a line but no
    column; the element's start tag on that line gives one an editor can jump to."""

    def __init__(self, main: Path, origins: dict[etree._Element, Path]) -> None:
        self.main = main
        self.origins = dict(origins)
        self.lines: dict[Path, list[str]] = {}
        self.by_line: dict[etree._Element, dict[tuple[str, int | None],
                                                list[etree._Element]]] = {}
        # Each element's file and column, found once: an element with 200,000 attributes
        # the schema refuses has 200,000 problems, and each search (the ancestors' xml:base,
        # the start tag on a line of megabytes) costs as much as the attributes.
        self.places: dict[tuple[etree._Element, int | None], tuple[Path, int | None]] = {}

    def file(self, element: etree._Element | None) -> Path:
        return self.main if element is None else source_file(element, self.origins, self.main)

    def diagnostic(self, element: etree._Element | None, message: str, code: str,
                   line: int | None = None) -> Diagnostic:
        line = line or (element.sourceline if element is not None else None)
        if element is None:
            return Diagnostic(Severity.ERROR, message, str(self.main), line, None, code)
        if (element, line) not in self.places:
            file = self.file(element)
            self.places[element, line] = file, self.column(file, element, line)
        file, column = self.places[element, line]
        return Diagnostic(Severity.ERROR, message, str(file), line, column, code)

    def column(self, file: Path, element: etree._Element | None, line: int | None) -> int | None:
        if element is None or not line or line != element.sourceline:
            return None
        if file not in self.lines:
            try:
                data = file.read_bytes()
                self.lines[file] = data.decode(xml_encoding(data[:MARKUP_HEAD])).split("\n")
            except (OSError, UnicodeError):
                self.lines[file] = []
        if line > len(self.lines[file]):
            return None
        local = etree.QName(element).localname
        name = f"{element.prefix}:{local}" if element.prefix else local
        starts = [match.start() + 1 for match in
                  re.finditer(rf"<{re.escape(name)}(?=[\s/>]|$)", self.lines[file][line - 1])]
        if not starts:
            return None
        return starts[min(self._earlier_on_line(element), len(starts) - 1)]

    def _earlier_on_line(self, element: etree._Element) -> int:
        """How many elements of the same name start before this one on its line (in other
        parents too: five <math> of five <formula> on one line have five columns)."""
        root = element.getroottree().getroot()
        if root not in self.by_line:
            index: dict[tuple[str, int | None], list[etree._Element]] = {}
            for other in root.iter():
                if isinstance(other.tag, str):
                    index.setdefault((other.tag, other.sourceline), []).append(other)
            self.by_line[root] = index
        same = self.by_line[root].get((element.tag, element.sourceline), [])
        return same.index(element) if element in same else 0


def _outside_vocabulary(tree: etree._ElementTree, schema: CompiledSchema, outside: set[Name],
                        located: _Locator) -> list[Diagnostic]:
    """Elements valid TEI may have but the project schema leaves out: say so, and how to
    admit them, instead of the bare "not expected here" of RELAX NG."""
    found = []
    for element in tree.iter() if outside else ():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element)
        if (name.namespace or "", name.localname) in outside:
            found.append(located.diagnostic(
                element,
                f"<{name.localname}> is not in the {schema.name} schema ({schema.path.name} "
                "admits the elements the edition used when it was derived); if the edition "
                "needs it, run `make schema` (scripts/derive-schema), or check the file with "
                "--schema tei_all",
                "outside-schema"))
    return found


# libxml2's RELAX NG messages, said the way an editor reads them ({element}: the element the
# message is about; {parent}: where it stands; {attributes}: what it carries).
_REWORDINGS = [
    (r"Did not expect element (\S+) there", "element <{0}> is not allowed here{parent}"),
    (r"Element (\S+) has extra content: (\S+)", "<{0}> has content not allowed here: <{1}>"),
    (r"Did not expect text in element (\S+) content", "text is not allowed directly in <{0}>"),
    (r"Expecting element (\S+), got (\S+)", "expected <{0}> here, found <{1}>"),
    (r"Expecting an element (\S+), got nothing", "<{element}> is incomplete: <{0}> is missing"),
    (r"Expecting an element ?, got nothing", "<{element}> is incomplete: an element is missing"),
    (r"Invalid attribute (\S+) for element (\S+)", "attribute @{0} is not allowed on <{1}>"),
    (r"Element (\S+) failed to validate attributes",
     "<{0}>: an attribute value is invalid, or a required attribute is missing{attributes}"),
    (r"Element (\S+) failed to validate content", "<{0}>: its content is not what TEI allows"),
    (r"Expecting element (\S+) to be empty", "<{0}> must be empty"),
]
_CHILD_PROBLEMS = {"RELAXNG_ERR_ELEMWRONG", "RELAXNG_ERR_ELEMNAME", "RELAXNG_ERR_EXTRACONTENT"}
_ATTRIBUTE_PROBLEMS = {"RELAXNG_ERR_INVALIDATTR", "RELAXNG_ERR_ATTRVALID", "RELAXNG_ERR_NOATTR"}


MAX_REVALIDATIONS = 25


def _all_relaxng_problems(tree: etree._ElementTree, schema: CompiledSchema,
                          duplicates: dict[etree._Element, etree._Element], outside: set[Name],
                          located: _Locator, validator: etree.RelaxNG) -> list[Diagnostic]:
    """Every problem of the tree that `validator` has just found invalid, as jing reports
    them: libxml2 stops checking an element's content at its first unexpected child, so the
    unexpected children are taken out (and put back after) and the tree validated again,
    until no new problem appears; the content of each one taken out is checked on its own."""
    found = _relaxng_problems(tree, schema, duplicates, outside, located, validator)
    seen = set(found)
    taken_out: list[tuple[etree._Element, int, etree._Element]] = []
    try:
        for _ in range(MAX_REVALIDATIONS):
            unexpected = [element for element in _unexpected_children(tree, validator)
                          if element.getparent() is not None]
            if not unexpected:
                break
            for element in dict.fromkeys(unexpected):
                inside = [d for d in _content_problems(element, schema, duplicates, outside,
                                                       located) if d not in seen]
                seen.update(inside)
                found += inside
                parent = element.getparent()
                taken_out.append((parent, parent.index(element), element))
                parent.remove(element)
            if validator.validate(tree):
                break
            # (what is said of the elements they were taken from is an effect of the taking)
            changed = {(str(located.file(parent)), parent.sourceline)
                       for parent, _, _ in taken_out}
            new = [d for d in _relaxng_problems(tree, schema, duplicates, outside, located,
                                                validator)
                   if d not in seen and (d.file, d.line) not in changed]
            seen.update(new)
            found += new
    finally:
        for parent, position, element in reversed(taken_out):
            parent.insert(position, element)
    return found


def _content_problems(element: etree._Element, schema: CompiledSchema,
                      duplicates: dict[etree._Element, etree._Element], outside: set[Name],
                      located: _Locator) -> list[Diagnostic]:
    """The problems inside an element that stands where it may not, checked by its own
    definition, as jing does (an element the schema does not define has none to check).
    Checked as a copy of its own, which keeps the lines and prefixes of the original."""
    validator = schema.any_root() if _name(element) in schema.rules.elements else None
    if validator is None:
        return []
    alone = copy.deepcopy(element)
    alone.tail = None  # (the text after it is its parent's)
    located.origins[alone] = located.file(element)
    if validator.validate(alone):
        return []
    return _all_relaxng_problems(etree.ElementTree(alone), schema, duplicates, outside, located,
                                 validator)


def _unexpected_children(tree: etree._ElementTree,
                         validator: etree.RelaxNG) -> list[etree._Element]:
    """The children the last validation found where they may not stand."""
    found = []
    for entry in validator.error_log:
        match = _SUBJECT.fullmatch(entry.message.strip())
        if entry.type_name not in _CHILD_PROBLEMS or match is None:
            continue
        element = _subject(entry, _element_at(tree, entry.path))
        named = next(group for group in match.groups() if group)
        if element is not None and etree.QName(element).localname == named:
            found.append(element)
    return found


def _relaxng_problems(tree: etree._ElementTree, schema: CompiledSchema,
                      duplicates: dict[etree._Element, etree._Element], outside: set[Name],
                      located: _Locator, validator: etree.RelaxNG) -> list[Diagnostic]:
    """The problems the last validation by `validator` found."""
    entries = []
    for entry in validator.error_log:
        element = _subject(entry, _element_at(tree, entry.path))
        if element is not None:
            if _name(element) in outside:
                continue  # said better by _outside_vocabulary
            if (entry.type_name == "RELAXNG_ERR_INVALIDATTR" and element in duplicates
                    and entry.message.startswith("Invalid attribute id ")):
                continue  # libxml2's way of saying "duplicate xml:id", said better above
        entries.append((entry, element))
    around_precise = {ancestor for entry, element in entries
                      if element is not None and entry.type_name != "RELAXNG_ERR_CONTENTVALID"
                      for ancestor in element.iterancestors()}
    bad_attributes = {element for entry, element in entries
                      if entry.type_name in _ATTRIBUTE_PROBLEMS}
    not_expected = {element for entry, element in entries
                    if entry.type_name == "RELAXNG_ERR_ELEMWRONG"}
    missing = _missing_children(entries, schema.rules, located)
    lacking = {element for element, _ in missing}
    found = [diagnostic for _, diagnostic in missing]
    for entry, element in entries:
        if entry.type_name == "RELAXNG_ERR_NOELEM" and element in lacking:
            continue  # "an element is missing": which one is said
        if entry.type_name == "RELAXNG_ERR_CONTENTVALID" and element in around_precise:
            continue  # a consequence of a more precise problem inside it
        if entry.type_name in _CHILD_PROBLEMS and element in bad_attributes:
            continue  # unexpected only because its attributes are wrong, which is said
        if entry.type_name == "RELAXNG_ERR_EXTRACONTENT" and element in not_expected:
            continue  # libxml2 says "not expected" twice for one element
        code = "rng-" + entry.type_name.removeprefix("RELAXNG_ERR_").lower()
        attributes = (_attribute_problems(element, schema.rules)
                      if entry.type_name in _ATTRIBUTE_PROBLEMS and element is not None else [])
        for message, kind in attributes or [(_reworded(entry, element), code)]:
            line = element.sourceline if element is not None else entry.line
            found.append(located.diagnostic(element, message, kind, line or None))
    return found


_SUBJECT = re.compile(r"Did not expect element (\S+) there|Expecting element \S+, got (\S+)"
                      r"|Element \S+ has extra content: (\S+)")


def _subject(entry: etree._LogEntry, element: etree._Element | None) -> etree._Element | None:
    """The element a message is about: libxml2 locates some problems of a child (\"Expecting
    element desc, got head\") at the parent."""
    match = _SUBJECT.fullmatch(entry.message.strip())
    if element is None or match is None:
        return element
    name = next(group for group in match.groups() if group)
    if etree.QName(element).localname == name:
        return element
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).localname == name:
            return child
    return element


def _name(element: etree._Element) -> Name:
    name = etree.QName(element)
    return name.namespace or "", name.localname


def _missing_children(entries: list[tuple[etree._LogEntry, etree._Element | None]],
                      rules: ContentRules, located: _Locator,
                      ) -> list[tuple[etree._Element, Diagnostic]]:
    """The children the schema requires that an element in trouble lacks, each with the
    element: libxml2 says only that what follows is unexpected ("element <text> is not
    allowed here"), or that "an element is missing"."""
    suspects: dict[etree._Element, None] = {}
    for entry, element in entries:
        if element is None:
            continue
        if entry.type_name in _CHILD_PROBLEMS:
            element = element.getparent()
        if element is not None:
            suspects[element] = None
    found = []
    for element in suspects:
        present = {_name(child) for child in element if isinstance(child.tag, str)}
        for namespace, local in rules.required(_name(element)):
            if (namespace, local) not in present:
                found.append((element, located.diagnostic(
                    element, f"<{etree.QName(element).localname}> lacks the <{local}> it "
                    "requires", "rng-missing")))
    return found


def _attribute_problems(element: etree._Element, rules: ContentRules) -> list[tuple[str, str]]:
    """Each attribute of the element the schema refuses, and each it requires that is missing,
    as jing reports them (message, code): libxml2 names only the first ("Invalid attribute
    when for element date", both for a misspelt attribute and for a bad value) or none
    ("failed to validate attributes")."""
    name, shown = _name(element), _shown_name(element)
    allowed = rules.attribute_names(name)
    if allowed is None:
        return []
    problems = []
    for attribute, value in _attributes(element):
        qualified = etree.QName(attribute)
        if (qualified.namespace or "", qualified.localname) not in allowed:
            problems.append((f"attribute @{_attribute_name(attribute)} is not allowed on "
                             f"<{shown}>", "rng-invalidattr"))
        elif rules.accepts(name, attribute, value) is False:
            expected = ", ".join(rules.attribute_values(name, qualified.localname) or ())
            problems.append((f"the value of @{_attribute_name(attribute)} on <{shown}> is not "
                             f'valid: "{_short(value)}" (expected: {expected})',
                             "rng-invalidattr"))
    present = {_name_of(attribute) for attribute in element.attrib}
    for namespace, local in rules.required_attributes(name):
        if (namespace, local) not in present:
            required = _attribute_name(etree.QName(namespace or None, local).text)
            problems.append((f"<{shown}> lacks the attribute @{required} it requires",
                             "rng-noattr"))
    return problems


def _attributes(element: etree._Element) -> list[tuple[str, str]]:
    """Each attribute's name and value, in order. Not `element.attrib.items()`: lxml looks
    each value up by its name, a time quadratic in the attributes (10 s for an element with
    40,000; with the locator, 200,000 in a 2.3 MB file would take some twenty minutes)."""
    return [(value.attrname, str(value)) for value in element.xpath("@*")]


def _name_of(attribute: str) -> Name:
    qualified = etree.QName(attribute)
    return qualified.namespace or "", qualified.localname


def _attribute_name(name: str) -> str:
    qualified = etree.QName(name)
    return f"xml:{qualified.localname}" if qualified.namespace == XML_NS else qualified.localname


def _element_at(tree: etree._ElementTree, location: str | None) -> etree._Element | None:
    if not location:
        return None
    try:
        found = tree.xpath(location)
    except etree.XPathError:  # a prefixed step ("vg:letDesc"): the file's own prefixes
        prefixes = {element.prefix: etree.QName(element).namespace for element in tree.iter()
                    if isinstance(element.tag, str) and element.prefix}
        try:
            found = tree.xpath(location, namespaces=prefixes)
        except etree.XPathError:
            return None
    return found[0] if found and isinstance(found[0], etree._Element) else None


def _reworded(entry: etree._LogEntry, element: etree._Element | None) -> str:
    message = entry.message.strip()
    for pattern, wording in _REWORDINGS:
        match = re.fullmatch(pattern, message)
        if match is None:
            continue
        context = {"parent": "", "attributes": "", "element": "?"}
        names = list(match.groups())
        if element is not None:
            context["element"] = _shown_name(element)
            # libxml2 names elements without their prefix: <letDesc> for vg:letDesc
            names = [_shown_name(element) if name == etree.QName(element).localname else name
                     for name in names]
            parent = element.getparent()
            if parent is not None:
                context["parent"] = f" (inside <{_shown_name(parent)}>)"
            attributes = " ".join(f'{etree.QName(name).localname}="{_short(value)}"'
                                  for name, value in element.attrib.items())
            if attributes:
                context["attributes"] = f" ({attributes})"
        return wording.format(*names, **context)
    return message


def _shown_name(element: etree._Element) -> str:
    """An element's name as the file writes it, with its namespace prefix."""
    local = etree.QName(element).localname
    return f"{element.prefix}:{local}" if element.prefix else local


def _short(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


# --- the bibliography --------------------------------------------------------------------

def _lint_bibliography(bib_files: list[Path], documents: list[_Document],
                       dialect: str | None = None) -> list[Diagnostic]:
    """The BibTeX lint (biblint.py), cross-checked with the edition's TEI of this run."""
    from .biblint import lint_bibliography

    sources = [document.tree or document.path for document in documents if document.in_edition]
    return lint_bibliography(bib_files, sources, dialect)


# --- progress ----------------------------------------------------------------------------

class _Progress:
    """A one-line progress bar on stderr, only on a terminal and only for many files."""

    def __init__(self, total: int, terminal: bool) -> None:
        self.total = total
        self.enabled = terminal and total >= PROGRESS_MIN_FILES
        self.count = 0

    def step(self, what: str) -> None:
        if not self.enabled:
            return
        self.count += 1
        width = 30
        filled = width * self.count // self.total
        sys.stderr.write(f"\r{what:<10} [{'#' * filled}{'.' * (width - filled)}] "
                         f"{self.count}/{self.total}")
        sys.stderr.flush()

    def restart(self, total: int) -> None:
        self.total, self.count = total, 0

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
