"""The driver, in the manner of docutils' `publish()`: load and validate → transform (the
tree validation loaded) → HTML → writer.

Each stage is one module; this one only chains them and gathers their diagnostics, so that
`edition build` and the tests run exactly the same steps.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import PDF_VARIANTS, tei
from .apparatus import interventions
from .articles import ids_the_book_takes
from .atomic import atomic_write_text, refused
from .citations import default_bib_paths, resolve_edition
from .diagnostics import Diagnostic, EditionError, Severity, error, has_errors
from .html import Document, Resolved, to_html
from .load import Loaded, corpus_including, load
from .placemap import borders_file, read_borders
from .registers import read_registers, register_paths
from .resources import file_path, real_path
from .writers import PROJECT_ROOT, BuildOptions
from .writers.web import PAGES_OF_ITS_OWN

DEFAULT_SOURCE = PROJECT_ROOT / "edition" / "edition.xml"
# A build hands its document over to the one writer, which may take it apart (the EPUB writer
# does, so that its memory is free before pandoc runs).
Writer = Callable[[Document, Path, BuildOptions], None]


WRITERS = {"pdf": ("pdf", "write_pdf"), "html": ("web", "write_site"),
           "epub": ("epub", "write_epub")}  # format -> (module of writers/, its function)
FOLDER_FORMATS = frozenset({"html"})  # written as a folder (a site), not as a file


def writer(output_format: str) -> Writer:
    """The writer of one format, imported when asked for: WeasyPrint alone takes a second to
    import, which only a PDF needs (a third of an HTML build of the FRUS monograph)."""
    module, function = WRITERS[output_format]
    return getattr(importlib.import_module(f".writers.{module}", __package__), function)


def transform(source: Path, loaded: Loaded | None = None) -> Document:
    """Make the semantic HTML document of a TEI edition (a TEI file or a teiCorpus): the tree
    validation `loaded`, or the file loaded here when none is given."""
    if loaded is None:
        tei_files: list[Path] = []
        tree = load(source, files_read=tei_files)
    else:
        tree, tei_files = loaded.tree, loaded.files
    root = tree.getroot()
    if root.tag not in (tei("TEI"), tei("teiCorpus")):
        raise error(f"not a TEI document: the root element is <{root.tag}>", source,
                    root.sourceline, code="not-tei")
    if root.find(tei("teiHeader")) is None:
        raise error("the TEI document has no teiHeader", source, root.sourceline,
                    code="not-tei")
    registers = register_paths(tree, source)
    borders = borders_file(source.parent)
    resolved = resolve(tree, registers, borders)
    corpus = corpus_including(source) if root.tag == tei("TEI") else None
    if corpus is not None:  # an article of a book, built on its own
        resolved.corpus = corpus[1]
    document = to_html(tree, source, resolved)
    document.diagnostics += ids_the_book_takes(tree, document.html, source, PAGES_OF_ITS_OWN)
    document.inputs = [*tei_files, *registers.values(), *default_bib_paths(tree),
                       *images(document), *([borders] if borders.is_file() else []),
                       *([corpus[0]] if corpus is not None else [])]
    document.context = [corpus[0]] if corpus is not None else []
    return document


def resolve(tree: etree._ElementTree, registers: dict[str, Path], borders: Path) -> Resolved:
    """The transform stage: what the HTML needs beyond the TEI (formatted citations, the
    entries of the registers the names point to, the borders of the map of places when the
    edition has them)."""
    resolved = Resolved(registers=read_registers(registers),
                        apparatus={i.element: i for i in interventions(tree)},
                        borders=read_borders(borders) if borders.is_file() else None)
    for citations in resolve_edition(tree):
        resolved.citations[citations.article] = citations
        resolved.diagnostics += citations.diagnostics
        resolved.diagnostics.append(Diagnostic(Severity.INFO, citations.report(),
                                               code="citation-report"))
    return resolved


def images(document: Document) -> list[Path]:
    """The local image files the document shows."""
    return [file_path(source)
            for source in document.html.xpath("//img/@src") if source.startswith("file:")]


def check(source: Path) -> tuple[list[Diagnostic], Loaded | None]:
    """The validate stage, as `edition validate` runs it on this one file: the schema (the
    edition's for its own files, tei_all for any other TEI) and, for the edition, its rules;
    and the document as it loaded it, for the transform (None if it could not load it)."""
    from .validate import UsageError, validate

    try:
        # (the registers: read by the transform, once)
        report = validate([source], progress=False, registers_read=False)
    except UsageError as problem:
        raise error(str(problem), source, code="usage") from None
    return report.diagnostics, report.loaded.get(source)


def checked_transform(source: Path) -> tuple[list[Diagnostic], Document | None]:
    """Validate, then transform the very tree validation loaded: each file of the edition is
    parsed and XIncluded once (validation leaves the tree as it read it). No document when
    validation found errors. The tree is let go of on return, before the writer runs."""
    diagnostics, loaded = check(source)
    if has_errors(diagnostics):
        return diagnostics, None
    return diagnostics, transform(source, loaded)


@dataclass
class Built:
    """What one build reported, and the data files its output was made from (none when a
    stage stopped it before the writer)."""

    diagnostics: list[Diagnostic]
    inputs: list[Path] = field(default_factory=list)


def build(source: Path, output_format: str, output: Path, variant: str | None = None,
          search: bool = True, depfile: Path | None = None) -> Built:
    """Validate, transform and write one output. A stage that reports an error stops the
    build as a compiler does: no output is written, and the previous one is left as it was.
    An output that may not be replaced (a user's folder, a device) is refused first, before
    the work (minutes, for a long book) that the writer would refuse to put in its place.
    So is a `depfile` (the make rule `publish` writes beside) that may not be written.
    A format, variant or search the writers do not have is a ValueError, before the work."""
    refuse_options(output_format, variant, search)
    early = output_over_inputs(output, [source])
    if early is None and (refusal := refused(Path(output), output_format in FOLDER_FORMATS)):
        early = refusal.diagnostic
    if early is None and depfile is not None:
        early = depfile_refused(depfile, output, [source])
    if early is not None:
        return Built([early])
    diagnostics, document = checked_transform(source)
    if document is None:
        return Built(diagnostics)
    diagnostics += document.diagnostics
    overwritten = output_over_inputs(output, document.inputs)
    if overwritten is None and depfile is not None:
        overwritten = output_over_inputs(depfile, document.inputs, what="the depfile")
    if overwritten is not None:
        diagnostics.append(overwritten)
    if has_errors(diagnostics):
        return Built(diagnostics)
    try:
        options = BuildOptions(diagnostics.append, variant, search)
        writer(output_format)(document, output, options)
    except EditionError as failure:  # said with what the stages reported before it
        diagnostics.append(failure.diagnostic)
    except Exception as failure:  # the last resort: one line, never a traceback
        first_line = next(iter(str(failure).splitlines()), "")
        diagnostics.append(error(f"the {output_format} writer failed ({type(failure).__name__}: "
                                 f"{first_line}); nothing written", source,
                                 code="writer-failed").diagnostic)
    if has_errors(diagnostics):
        return Built(diagnostics)
    return Built(diagnostics, document.inputs)


def refuse_options(output_format: str, variant: str | None, search: bool) -> None:
    """A ValueError for what no writer would do: an unknown format or PDF variant (each was a
    KeyError in the writer, after the work), a variant of a site or a book without a search
    (each was ignored without a word)."""
    if output_format not in WRITERS:
        raise ValueError(f"no writer for the format {output_format!r} ({', '.join(WRITERS)})")
    if variant is not None and output_format != "pdf":
        raise ValueError(f"a variant ({variant!r}) is the PDF's alone, not the {output_format}'s")
    if variant is not None and variant not in PDF_VARIANTS:
        raise ValueError(f"no PDF variant {variant!r} ({', '.join(PDF_VARIANTS)})")
    if not search and output_format not in FOLDER_FORMATS:
        raise ValueError("a site without its search (search=False) is the html's alone, not "
                         f"the {output_format}'s")


def output_over_inputs(output: Path, inputs: Iterable[Path], product: str = "the edition",
                       what: str = "the output") -> Diagnostic | None:
    """An error when the output would replace a file the `product` is made from (`-o` naming
    the TEI itself, or a folder holding it): a build must never overwrite its own sources."""
    target = real_path(output)
    for source in inputs:
        source = real_path(source)
        if source == target or target in source.parents:
            return error(f"{what} would replace {source}, which {product} is made from; "
                         "nothing written: choose another output", output,
                         code="output-refused").diagnostic
    return None


def depfile_refused(depfile: Path, output: Path, inputs: Iterable[Path]) -> Diagnostic | None:
    """Why the make rule may not be written at `depfile`, if it may not: over a file the
    edition is made from, over the output itself, or where a regular file cannot replace what
    is there (a folder, a pipe)."""
    if real_path(depfile) == real_path(output):
        return error("the depfile would replace the output; nothing written: choose another "
                     "name for the depfile", depfile, code="output-refused").diagnostic
    overwritten = output_over_inputs(depfile, inputs, what="the depfile")
    if overwritten is None and (refusal := refused(Path(depfile), folder=False)) is not None:
        return refusal.diagnostic
    return overwritten


def publish(source: Path, output_format: str, output: Path, variant: str | None = None,
            depfile: Path | None = None, search: bool = True) -> list[Diagnostic]:
    """Build one output from one edition (see `build`); returns what every stage reported.

    With `depfile`, also write the make rule naming the data files the output was made from
    (as `cc -MD -MF` does), so that make rebuilds an output when, and only when, one of them
    changes. The Makefile adds the styles and the code itself."""
    built = build(source, output_format, output, variant, search, depfile)
    if depfile is not None and built.inputs:
        atomic_write_text(depfile, make_rule(output, built.inputs))
    return built.diagnostics


def make_rule(target: Path, inputs: Iterable[Path]) -> str:
    """`target: inputs…`, then an empty rule per input, so that a file since removed makes
    the target out of date instead of stopping make (as `cc -MP` does)."""
    names = list(dict.fromkeys(_make_name(path) for path in inputs))
    lines = [f"{_make_name(target)}: {' '.join(names)}", *(f"{name}:" for name in names)]
    return "\n".join(lines) + "\n"


def _make_name(path: Path) -> str:
    """A path as make reads it: relative to the working directory when inside it, with
    spaces, '#' and '$' escaped."""
    path = Path(os.path.normpath(Path(path).absolute()))
    if path.is_relative_to(Path.cwd()):
        path = path.relative_to(Path.cwd())
    return str(path).replace("$", "$$").replace("#", "\\#").replace(" ", "\\ ")
