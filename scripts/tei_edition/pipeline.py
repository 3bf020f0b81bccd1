"""The driver, in the manner of docutils' `publish()`: load → check → HTML → writer.

Each stage is one module; this one only chains them and gathers their diagnostics, so that
`edition build` and the tests run exactly the same steps.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lxml import etree

from . import tei
from .apparatus import interventions
from .citations import resolve_edition
from .diagnostics import Diagnostic, Severity, error
from .html import Document, Resolved, to_html
from .load import load
from .registers import registers_for
from .writers import PROJECT_ROOT, BuildOptions

DEFAULT_SOURCE = PROJECT_ROOT / "edition" / "edition.xml"
Writer = Callable[[Document, Path, BuildOptions], None]


def writers() -> dict[str, Writer]:
    """The output formats, imported on demand (WeasyPrint alone takes a second to import)."""
    from .writers.epub import write_epub
    from .writers.pdf import write_pdf
    from .writers.web import write_site

    return {"pdf": write_pdf, "html": write_site, "epub": write_epub}


def transform(source: Path) -> Document:
    """Load a TEI edition (a TEI file or a teiCorpus) and make its semantic HTML document."""
    tree = load(source)
    root = tree.getroot()
    if root.tag not in (tei("TEI"), tei("teiCorpus")):
        raise error(f"not a TEI document: the root element is <{root.tag}>", source,
                    root.sourceline, code="not-tei")
    if root.find(tei("teiHeader")) is None:
        raise error("the TEI document has no teiHeader", source, root.sourceline,
                    code="not-tei")
    return to_html(tree, source, resolve(tree, source))


def resolve(tree: etree._ElementTree, source: Path) -> Resolved:
    """The transform stage: what the HTML needs beyond the TEI (formatted citations, the
    register entries the names point to)."""
    resolved = Resolved(registers=registers_for(tree, source),
                        apparatus={i.element: i for i in interventions(tree)})
    for citations in resolve_edition(tree):
        resolved.citations[citations.article] = citations
        resolved.diagnostics += citations.diagnostics
        resolved.diagnostics.append(Diagnostic(Severity.INFO, citations.report(),
                                               code="citation-report"))
    return resolved


def publish(source: Path, output_format: str, output: Path,
            variant: str | None = None) -> list[Diagnostic]:
    """Build one output from one edition; returns what every stage reported."""
    document = transform(source)
    diagnostics = list(document.diagnostics)
    writers()[output_format](document, output, BuildOptions(diagnostics.append, variant))
    return diagnostics
