"""The project's own rules (ISO Schematron in schema/edition-rules.sch), as diagnostics.

tei_all says what TEI allows; these rules say what this edition requires on top of it: names
point to register entries of their kind, xml:ids are unique, every `<choice>` is one pair of
alternatives, every intervention is typed and signed, and every `<reg>` is a form its register
entry allows. `check_rules(tree, path)` is what `edition validate` calls.

The rules are compiled once per process by lxml.isoschematron (XSLT 1). They read the
registers with XSLT's document(); the compiled stylesheet is re-parsed with a resolver so that
document() serves only files inside the checked file's folder, through the safe loader's size
limit.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree, isoschematron

from .diagnostics import Diagnostic, Severity
from .load import read_limited, source_file, syntax_error
from .resources import RefusedResource, confine, real_path

RULES = Path(__file__).resolve().parents[2] / "schema" / "edition-rules.sch"
SVRL = "http://purl.oclc.org/dsdl/svrl"
_NOTHING = "<nothing/>"  # what document() gets for a file it may not or cannot read


class _EditionResolver(etree.Resolver):
    """Serve document() only files inside one folder; anything else reads as an empty document."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root

    def resolve(self, url: str, pubid: str | None, context: object) -> object:
        try:
            path = confine(url, self.root / "_", self.root)
        except RefusedResource:
            return self.resolve_string(_NOTHING, context)
        if not path.is_file():
            return self.resolve_string(_NOTHING, context)
        return self.resolve_string(read_limited(path), context, base_url=str(path))


@cache
def _compiled(rules: Path) -> bytes:
    """The rules compiled to an XSLT validator (about 0.1 s; once per process)."""
    schematron = isoschematron.Schematron(etree.parse(str(rules)), store_xslt=True)
    return etree.tostring(schematron.validator_xslt)


@cache
def _validator(root: Path, rules: Path) -> etree.XSLT:
    """The rules as a stylesheet whose document() reads only inside `root`: built once per
    folder (parsing and compiling it took 55 ms a file)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    parser.resolvers.add(_EditionResolver(root))
    stylesheet = etree.fromstring(_compiled(rules), parser)
    access = etree.XSLTAccessControl(read_network=False, write_file=False, create_dir=False,
                                     write_network=False)
    return etree.XSLT(stylesheet, access_control=access)


def check_rules(tree: etree._ElementTree, path: Path, rules: Path = RULES) -> list[Diagnostic]:
    """Every failed project rule of a loaded document, located at its element's line."""
    path = Path(path)
    try:
        report = _validator(real_path(path).parent, rules)(tree)
    except etree.XMLSyntaxError as unreadable:  # a register the rules read with document()
        raise syntax_error(unreadable, Path(unreadable.filename)) from None
    diagnostics = []
    for failure in report.getroot().iter(f"{{{SVRL}}}failed-assert"):
        text = failure.find(f"{{{SVRL}}}text")
        message = " ".join("".join(text.itertext()).split()) if text is not None else ""
        element = _element(tree, failure.get("location", ""))
        # (inside an XIncluded part, its file, whose lines it has: the loader marks each part)
        file = path if element is None else source_file(element, {}, path)
        diagnostics.append(Diagnostic(
            Severity.ERROR, message, str(file),
            element.sourceline if element is not None else None,
            code=f"rule-{failure.get('id') or 'failed'}",
        ))
    return diagnostics


def _element(tree: etree._ElementTree, location: str) -> etree._Element | None:
    """The element an SVRL location (an XPath) points to."""
    try:
        found = tree.xpath(location)
    except etree.XPathError:
        return None
    return found[0] if found and isinstance(found[0], etree._Element) else None
