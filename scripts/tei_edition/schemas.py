"""The RELAX NG schemas validation uses, and the reduction that makes the official one fast.

lxml (libxml2) takes about 13 s to compile the whole of `tei_all`: it builds and checks a
content automaton for each of its 594 elements, most of which may contain some 250 others.
A document only ever meets the elements it uses. `reduce_grammar` keeps tei_all's shape but
drops, from every choice, the alternatives that can only match elements outside a given
vocabulary; what is left compiles in a fraction of a second, and for any document whose
elements are all in the vocabulary it gives the same verdict and the same messages as tei_all:

- it only removes alternatives that can match nothing but elements outside the vocabulary,
  so no derivation of such a document is lost;
- elsewhere an element outside the vocabulary is kept as a stub that matches nothing
  (`<element name="X"><notAllowed/></element>`), so that the result accepts a subset of
  tei_all for *every* document, and a missing required element is still reported by name;
- attributes, datatypes and wildcard elements (anyName, nsName) are kept as they are.

Two ways to use it: `edition validate --schema tei_all` reduces tei_all at run time to the
vocabulary of the files it checks (once per run, however many files); `scripts/derive-schema`
reduces it to the edition's vocabulary and commits the result as `schema/edition.rng`, the
project schema that `make validate` uses for the edition.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from . import XML_NS
from .load import parse_xml

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"
TEI_ALL = SCHEMA_DIR / "tei_all.rng"
EDITION_SCHEMA = SCHEMA_DIR / "edition.rng"
RNG_NS = "http://relaxng.org/ns/structure/1.0"

Name = tuple[str, str]  # (namespace URI, local name)


def rng(tag: str) -> str:
    return f"{{{RNG_NS}}}{tag}"


NAME_CLASSES = {rng("name"), rng("anyName"), rng("nsName")}
SEQUENCES = {rng("group"), rng("interleave"), rng("oneOrMore"), rng("list"), rng("mixed")}


def read_grammar(path: Path) -> etree._ElementTree:
    """A RELAX NG grammar without its annotations (documentation, embedded Schematron)."""
    grammar = parse_xml(path)
    # the comments inside the grammar: one before or after it has no parent to leave
    for annotation in [*grammar.xpath("//*[namespace-uri() != $ns]", ns=RNG_NS),
                       *grammar.getroot().iter(etree.Comment)]:
        annotation.getparent().remove(annotation)
    return grammar


def vocabulary(trees: Iterable[etree._ElementTree | etree._Element]) -> set[Name]:
    """The element names the documents use (each distinct tag read once: a QName for every
    element was a tenth of a second of validating the FRUS monograph)."""
    tags = {element.tag for tree in trees for element in tree.iter()}
    return {((name := etree.QName(tag)).namespace or "", name.localname)
            for tag in tags if isinstance(tag, str)}


def is_reducible(grammar: etree._ElementTree) -> bool:
    """Whether the grammar has the form ODD processors generate (and `reduce_grammar` expects):
    one flat grammar, each element pattern alone in a define of its own."""
    root = grammar.getroot()
    if root.tag != rng("grammar") or root.find(rng("start")) is None:
        return False
    if root.xpath("//*[self::r:include or self::r:externalRef or self::r:parentRef or "
                  "self::r:grammar[parent::*] or @combine]", namespaces={"r": RNG_NS}):
        return False
    defined = {define.get("name") for define in root.iterfind(rng("define"))}
    if any(ref.get("name") not in defined for ref in root.iter(rng("ref"))):
        return False  # broken: let libxml2 say so
    return all(element.getparent().tag == rng("define") and element.getparent().getparent() is root
               for element in root.iter(rng("element")))


def element_names(grammar: etree._ElementTree) -> set[Name]:
    """The names of the elements a reducible grammar defines (not counting stubs)."""
    root = grammar.getroot()
    return {
        (element.get("ns", root.get("ns", "")), element.get("name"))
        for element in root.iter(rng("element"))
        if element.get("name") and element.find(rng("notAllowed")) is None
    }


class ContentRules:
    """What a grammar says of an element that libxml2's messages leave unsaid: the children it
    cannot do without, and the datatypes or values each of its attributes takes. Read from the
    grammar on demand, without crossing into child elements' content."""

    def __init__(self, grammar: etree._ElementTree) -> None:
        root = grammar.getroot()
        self.default_ns = root.get("ns", "")
        self.defines = {define.get("name"): define for define in root.iterfind(rng("define"))}
        self.elements = {
            (element.get("ns", self.default_ns), element.get("name")): element
            for element in root.iter(rng("element"))
            if element.get("name") and element.find(rng("notAllowed")) is None
        }
        self.root = root
        self._required_of: dict[str, frozenset[Name]] = {}
        self._attributes_of: dict[str, dict[str, frozenset[str]]] = {}
        self._attribute_schemas: dict[tuple[Name, Name], etree.RelaxNG | None] = {}
        self._attribute_names: dict[Name, set[Name]] = {}

    def required(self, element: Name) -> list[Name]:
        """Elements every valid content of `element` has (a sound under-estimate)."""
        pattern = self.elements.get(element)
        return [] if pattern is None else sorted(self._required(list(pattern)))

    def attribute_values(self, element: Name, attribute: str) -> list[str] | None:
        """The datatypes (xsd names) and "values" the attribute (local name) takes on the
        element, or None if the element has no such attribute."""
        pattern = self.elements.get(element)
        if pattern is None:
            return None
        found = self._attributes(list(pattern)).get(attribute)
        return None if found is None else sorted(found)

    def accepts(self, element: Name, attribute: str, value: str) -> bool | None:
        """Whether the element's attribute (Clark name) may have this value; None if the
        element has no such attribute. Checked by a RELAX NG schema of that attribute alone."""
        qualified = etree.QName(attribute)
        key = (element, (qualified.namespace or "", qualified.localname))
        if key not in self._attribute_schemas:
            self._attribute_schemas[key] = self._attribute_schema(*key)
        schema = self._attribute_schemas[key]
        if schema is None:
            return None
        instance = etree.Element("x")
        instance.set(attribute, value)
        return schema.validate(instance)

    def attribute_names(self, element: Name) -> set[Name] | None:
        """The attributes the element may have (None: the grammar does not define it)."""
        pattern = self.elements.get(element)
        if pattern is None:
            return None
        if element not in self._attribute_names:
            self._attribute_names[element] = {
                self._attribute_name(attribute)
                for attribute in self._attribute_patterns(list(pattern), set())
                if attribute.get("name")}
        return self._attribute_names[element]

    def required_attributes(self, element: Name) -> list[Name]:
        """The attributes every valid instance of the element has (a sound under-estimate)."""
        pattern = self.elements.get(element)
        return [] if pattern is None else sorted(self._required_attributes(list(pattern)))

    def _attribute_name(self, attribute: etree._Element) -> Name:
        """An attribute pattern's name: a prefixed name is resolved ("xml:lang"), an
        unprefixed one is in no namespace unless its pattern says otherwise."""
        name = attribute.get("name")
        if ":" in name:
            prefix, local = name.split(":", 1)
            namespace = (XML_NS if prefix == "xml"
                         else attribute.nsmap.get(prefix, ""))
            return namespace, local
        return attribute.get("ns", ""), name

    def _required_attributes(self, patterns: list[etree._Element]) -> frozenset[Name]:
        required: set[Name] = set()
        for pattern in patterns:
            tag = pattern.tag
            if tag == rng("attribute") and pattern.get("name"):
                required.add(self._attribute_name(pattern))
            elif tag == rng("ref") and pattern.get("name") in self.defines:
                define = self.defines[pattern.get("name")]
                if define.find(rng("element")) is None:
                    required |= self._required_attributes(list(define))
            elif tag == rng("choice"):
                options = [self._required_attributes([child]) for child in pattern]
                required |= frozenset.intersection(*options) if options else set()
            elif tag in (rng("group"), rng("interleave"), rng("oneOrMore")):
                required |= self._required_attributes(list(pattern))
        return frozenset(required)

    def _attribute_schema(self, element: Name, attribute: Name) -> etree.RelaxNG | None:
        pattern = self.elements.get(element)
        if pattern is None:
            return None
        found = [candidate for candidate in self._attribute_patterns(list(pattern), set())
                 if candidate.get("name") and self._attribute_name(candidate) == attribute]
        if not found:
            return None
        root = self.root
        grammar = etree.Element(rng("grammar"), root.attrib, nsmap=root.nsmap)
        grammar.set("ns", "")
        alone = etree.SubElement(etree.SubElement(grammar, rng("start")), rng("element"), name="x")
        choice = etree.SubElement(alone, rng("choice"))
        choice.extend(copy.deepcopy(attribute) for attribute in found)
        pending = [ref.get("name") for ref in choice.iter(rng("ref"))]
        done: set[str] = set()
        while pending:
            name = pending.pop()
            if name not in done and name in self.defines:
                done.add(name)
                define = copy.deepcopy(self.defines[name])
                grammar.append(define)
                pending += [ref.get("name") for ref in define.iter(rng("ref"))]
        return etree.RelaxNG(grammar)

    def _attribute_patterns(self, patterns: list[etree._Element],
                            seen: set[str]) -> list[etree._Element]:
        found = []
        for pattern in patterns:
            if pattern.tag == rng("attribute"):
                found.append(pattern)
            elif pattern.tag == rng("ref") and pattern.get("name") not in seen:
                define = self.defines.get(pattern.get("name"))
                if define is not None and define.find(rng("element")) is None:
                    found += self._attribute_patterns(list(define), seen | {pattern.get("name")})
            elif pattern.tag != rng("element"):
                found += self._attribute_patterns(list(pattern), seen)
        return found

    def _required(self, patterns: list[etree._Element]) -> frozenset[Name]:
        required: set[Name] = set()
        for pattern in patterns:
            tag = pattern.tag
            if tag == rng("element") and pattern.get("name"):
                required.add((pattern.get("ns", self.default_ns), pattern.get("name")))
            elif tag == rng("ref") and pattern.get("name") in self.defines:
                name = pattern.get("name")
                if name not in self._required_of:
                    self._required_of[name] = frozenset()  # recursion passes through elements
                    self._required_of[name] = self._required(list(self.defines[name]))
                required |= self._required_of[name]
            elif tag == rng("choice"):
                options = [self._required([child]) for child in pattern]
                required |= frozenset.intersection(*options) if options else set()
            elif tag in (rng("group"), rng("interleave"), rng("oneOrMore"), rng("mixed")):
                required |= self._required(list(pattern))
        return frozenset(required)

    def _attributes(self, patterns: list[etree._Element]) -> dict[str, frozenset[str]]:
        found: dict[str, frozenset[str]] = {}
        for pattern in patterns:
            if pattern.tag == rng("attribute") and pattern.get("name"):
                local = pattern.get("name").split(":")[-1]
                found[local] = found.get(local, frozenset()) | self._values(pattern)
            elif pattern.tag == rng("ref") and pattern.get("name") in self.defines:
                name = pattern.get("name")
                if self.defines[name].find(rng("element")) is not None:
                    continue
                if name not in self._attributes_of:
                    self._attributes_of[name] = {}
                    self._attributes_of[name] = self._attributes(list(self.defines[name]))
                for local, values in self._attributes_of[name].items():
                    found[local] = found.get(local, frozenset()) | values
            elif pattern.tag != rng("element"):
                for local, values in self._attributes(list(pattern)).items():
                    found[local] = found.get(local, frozenset()) | values
        return found

    def _values(self, pattern: etree._Element) -> frozenset[str]:
        values: set[str] = set()
        for node in pattern.iter(rng("data"), rng("value"), rng("ref"), rng("text")):
            if node.tag == rng("data") and node.getparent().tag != rng("except"):
                values.add(node.get("type", "string"))
            elif node.tag == rng("value"):
                values.add(f'"{node.text or ""}"')
            elif node.tag == rng("text"):
                values.add("text")
            elif node.tag == rng("ref") and node.get("name") in self.defines:
                values |= self._values(self.defines[node.get("name")])
        return frozenset(values)


def reduce_grammar(grammar: etree._ElementTree, keep: set[Name],
                   any_root: bool = False) -> etree._ElementTree:
    """The grammar reduced to the elements named in `keep` (see the module's docstring).
    With `any_root`, any of them may be the root: what an element standing where it may not
    is checked against, as jing goes on checking its content by its own definition."""
    return _Reduction(grammar.getroot(), keep).run(any_root)


class _Reduction:
    def __init__(self, root: etree._Element, keep: set[Name]) -> None:
        self.root = root
        self.defines = {define.get("name"): define for define in root.iterfind(rng("define"))}
        default_ns = root.get("ns", "")
        self.stubbed = set()
        for name, define in self.defines.items():
            element = define.find(rng("element"))
            if (element is not None and element.get("name")
                    and (element.get("ns", default_ns), element.get("name")) not in keep):
                self.stubbed.add(name)
        self.void_defines: dict[str, bool] = {}

    def void(self, pattern: etree._Element) -> bool:
        """Whether the pattern can match nothing but elements outside the vocabulary.
        Element patterns in the vocabulary are never void: we do not look into content."""
        tag = pattern.tag
        if tag == rng("ref"):
            name = pattern.get("name")
            if name in self.stubbed:
                return True
            if name not in self.void_defines:
                # Recursion in RELAX NG passes through an element, which is never void, so
                # this provisional answer is never the one that decides.
                self.void_defines[name] = False
                self.void_defines[name] = any(self.void(child) for child in self.defines[name])
            return self.void_defines[name]
        if tag == rng("choice"):
            return all(self.void(child) for child in pattern)
        if tag in SEQUENCES:
            return any(self.void(child) for child in pattern)
        return tag == rng("notAllowed")

    def pattern(self, pattern: etree._Element) -> etree._Element:
        """A copy of the pattern without the void alternatives of its choices."""
        if pattern.tag == rng("choice"):
            alternatives = [child for child in pattern if not self.void(child)] or [pattern[0]]
            if len(alternatives) == 1:
                return self.pattern(alternatives[0])
            return self._copy(pattern, alternatives)
        if pattern.tag in (rng("attribute"), rng("data"), rng("value"), rng("list")):
            return copy.deepcopy(pattern)
        return self._copy(pattern, list(pattern))

    def _copy(self, pattern: etree._Element, children: list[etree._Element]) -> etree._Element:
        new = etree.Element(pattern.tag, pattern.attrib)
        for child in children:
            new.append(copy.deepcopy(child) if child.tag in NAME_CLASSES else self.pattern(child))
        return new

    def run(self, any_root: bool = False) -> etree._ElementTree:
        out = etree.Element(self.root.tag, self.root.attrib, nsmap=self.root.nsmap)
        start = etree.SubElement(out, rng("start"))
        if any_root:
            choice = etree.SubElement(start, rng("choice"))
            for name, define in self.defines.items():
                element = define.find(rng("element"))
                if element is not None and element.get("name") and name not in self.stubbed:
                    etree.SubElement(choice, rng("ref"), name=name)
        else:
            start.extend(self.pattern(child) for child in self.root.find(rng("start")))
        pending = [ref.get("name") for ref in start.iter(rng("ref"))]
        done: set[str] = set()
        while pending:  # only what is reachable from the start
            name = pending.pop()
            if name in done:
                continue
            done.add(name)
            original = self.defines[name]
            define = etree.SubElement(out, rng("define"), original.attrib)
            if name in self.stubbed:
                stub = etree.SubElement(define, rng("element"), original[0].attrib)
                etree.SubElement(stub, rng("notAllowed"))
                continue
            define.extend(self.pattern(child) for child in original)
            pending.extend(ref.get("name") for ref in define.iter(rng("ref")))
        _sort_defines(out)
        return etree.ElementTree(out)


def _sort_defines(grammar: etree._Element) -> None:
    """Defines in name order, so that a derived schema diffs well when it is derived again."""
    defines = sorted(grammar.iterfind(rng("define")), key=lambda define: define.get("name"))
    for define in defines:
        grammar.append(define)


def derive_schema(documents: Iterable[Path], source: Path = TEI_ALL) -> bytes:
    """The project schema: `source` reduced to the vocabulary of the documents (loaded with
    their XIncludes), with a header that says what it is, as deterministic bytes."""
    from .load import load

    used = vocabulary(load(path) for path in documents)
    reduced = reduce_grammar(read_grammar(source), used)
    names = sorted(f"{local}" if namespace == reduced.getroot().get("ns") else f"{{{namespace}}}"
                   f"{local}" for namespace, local in element_names(reduced))
    header = etree.Comment(
        f"\nThe edition's schema, derived by scripts/derive-schema from {source.name}"
        f"\n({_edition_statement(source)}): tei_all reduced to the {len(names)} elements the"
        "\nedition uses. Anything valid against it is valid against tei_all. Do not edit it:"
        "\nwhen the edition needs another element, run `make schema` (scripts/derive-schema)."
        f"\n\n{_wrap(', '.join(names))}\n")
    licence = etree.Comment(_licence_statement(source))
    root = reduced.getroot()
    root.insert(0, licence)
    root.insert(0, header)
    etree.indent(reduced, space="  ")
    return etree.tostring(reduced, xml_declaration=True, encoding="UTF-8") + b"\n"


def _edition_statement(source: Path) -> str:
    """tei_all's own "TEI Edition: P5 Version …" line, to say which TEI this comes from."""
    text = source.read_text(encoding="utf-8")[:4000]
    for line in text.splitlines():
        if "TEI Edition:" in line:
            return line.strip().rstrip(".").split(". Last updated")[0]
    return "TEI P5"


def _licence_statement(source: Path) -> str:
    """The licence comment of the TEI schema, which a derived schema keeps."""
    for comment in parse_xml(source).getroot().xpath("comment()"):
        if "licen" in (comment.text or ""):
            return comment.text
    return "TEI material: dual CC BY 3.0 / BSD-2 licence (see schema/LICENSE-tei_all.txt)."


def _wrap(text: str, width: int = 96) -> str:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])
