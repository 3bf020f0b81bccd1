"""Stage 1, load: parse XML safely and expand XInclude inside the edition's folder only.

One loader serves every command. It refuses what hostile or broken input could do to us:
DTD entity declarations (XXE, billion laughs), network access, XInclude outside the allowed
root (also when an xml:base points elsewhere), files over a size limit, and input that is not
text in its declared encoding (UTF-8 when it declares none). Each refusal is an `EditionError`
naming the file, the line and what was refused.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urljoin

from lxml import etree

from . import TEI_NS, XI_NS, XML_NS
from .diagnostics import Diagnostic, EditionError, error, warning
from .resources import RefusedResource, confine, real_path, why_not_a_file

MAX_BYTES = 64 * 1024 * 1024
MAX_INCLUDE_DEPTH = 8
# Parts one document may include in all: files that include the one before again and again
# (five files under a kilobyte, each including the last 30 times: 810,000 parts) would
# multiply it as entities do in a billion laughs, which the depth limit alone allows (30^8).
MAX_PARTS = 10_000
XML_ID = f"{{{XML_NS}}}id"
XML_BASE = f"{{{XML_NS}}}base"
XI_INCLUDE = f"{{{XI_NS}}}include"
# A corpus says it is one in its root's start tag, after at most an XML declaration, processing
# instructions and comments: a folder's other files (a 2 MB monograph) are not parsed to know,
# their first bytes read as text in their encoding (a UTF-16 corpus is one too).
TEI_CORPUS = "<teiCorpus"
MARKUP_HEAD = 4096
# What a file's first bytes say of its encoding (XML 1.0, appendix F): a byte-order mark, or
# "<?" in UTF-16 without one (libxml2 reads such a file as UTF-16 too).
ENCODING_MARKS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                  (codecs.BOM_UTF16_BE, "utf-16"), (b"<\0?\0", "utf-16-le"),
                  (b"\0<\0?", "utf-16-be"))
DECLARED_ENCODING = re.compile(rb"<\?xml\s[^>]*?encoding\s*=\s*[\"']([A-Za-z][\w.-]*)[\"']")


def _parser(recover: bool = False, resolve_entities: bool = False) -> etree.XMLParser:
    # collect_ids stays on: turning it off makes libxml2 read the external DTD subset.
    return etree.XMLParser(
        resolve_entities=resolve_entities,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        recover=recover,
    )


def read_limited(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """Read a file, refusing directories, missing files and files over the size limit."""
    if (why := why_not_a_file(path)) is not None:
        raise error(why, path, code="no-file")
    size = path.stat().st_size
    if size > max_bytes:
        raise error(f"refused: the file is {size:,} bytes, over the limit of {max_bytes:,} bytes",
                    path, code="too-large")
    if size == 0:
        raise error("the file is empty", path, 1, code="empty")
    return path.read_bytes()


def xml_encoding(head: bytes) -> str:
    """The encoding of an XML file whose first bytes are `head`, found as the parser finds it:
    its byte-order mark, else its XML declaration's encoding, else UTF-8. What reads a file as
    text besides the parser (a column on a line, a corpus' root) so reads what the parser read,
    a UTF-16 file too."""
    for mark, encoding in ENCODING_MARKS:
        if head.startswith(mark):
            return encoding
    declared = DECLARED_ENCODING.match(head)
    if declared is not None:
        try:
            return codecs.lookup(declared[1].decode("ascii")).name
        except LookupError:  # a name only libxml2 knows: read as UTF-8, what it can of it
            pass
    return "utf-8"


def parse_xml(path: Path, max_bytes: int = MAX_BYTES, *,
              check_ids: bool = True) -> etree._ElementTree:
    """Parse one file safely, without XInclude; with `check_ids`, refuse a duplicate xml:id."""
    data = read_limited(path, max_bytes)
    tree = _parse(data, path)
    dtd = tree.docinfo.internalDTD
    entities = list(dtd.iterentities()) if dtd is not None else []
    external = [entity.name for entity in entities
                if entity.system_url or entity.content is None]
    if external or PARAMETER_ENTITY.search(data):
        raise error(
            "refused: the DOCTYPE declares entities read from elsewhere (SYSTEM or PUBLIC) or "
            "parameter entities; only internal entities are accepted: write the text itself",
            path, _declaration_line(data, external[0] if external else None),
            code="entity-refused",
        )
    if entities:  # internal ones, expanded within libxml2's limits on amplification
        tree = _parse(data, path, resolve_entities=True)
    duplicate = next(duplicate_ids(tree), None) if check_ids else None
    if duplicate is not None:
        element, first = duplicate
        raise error(f'duplicate xml:id "{element.get(XML_ID)}" (first defined on line '
                    f"{first.sourceline})", path, element.sourceline, code="duplicate-id")
    return tree


PARAMETER_ENTITY = re.compile(rb"<!ENTITY\s+%")
ENTITY = re.compile(rb"<!ENTITY\s")
HUGE_ADVICE = re.compile(r"[,;:]?\s*(?:try|use|set)?\s*(?:the )?XML_PARSE_HUGE(?: option)?",
                         re.IGNORECASE)


def _parse(data: bytes, path: Path, resolve_entities: bool = False) -> etree._ElementTree:
    parser = _parser(resolve_entities=resolve_entities)
    try:
        root = etree.fromstring(data, parser, base_url=str(real_path(path)))
    except etree.XMLSyntaxError as exc:
        # (the parser's own log: the exception's may hold earlier parses' errors too)
        if not all(entry.type_name == "DTD_ID_REDEFINED" for entry in parser.error_log):
            raise syntax_error(exc, path, data) from None
        # Well-formed, only an xml:id given twice: read it whole, and report every duplicate
        # with both its lines (below, or `duplicate_ids` in validation) instead of libxml2's
        # bare "ID x already defined".
        parser = _parser(True, resolve_entities)
        root = etree.fromstring(data, parser, base_url=str(real_path(path)))
    tree = root.getroottree()
    undeclared = next((entry for entry in parser.error_log
                       if entry.type_name == "WAR_UNDECLARED_ENTITY"), None)
    if undeclared is not None:  # left as a reference in text, dropped from an attribute
        name = re.search(r"'([^']*)'", undeclared.message)
        reference = f"&{name[1]};" if name else "an entity"
        raise error(f"the entity {reference} is not declared: {_not_read(tree)}, and its text "
                    "would be lost; write the character or text itself, or declare the "
                    "entity in the DOCTYPE's internal subset", path, undeclared.line,
                    undeclared.column, "entity-undeclared")
    return tree


def _not_read(tree: etree._ElementTree) -> str:
    """What the parser did not read that might declare entities: the DOCTYPE's external DTD."""
    docinfo = tree.docinfo
    if docinfo.system_url or docinfo.public_id:
        return (f'the DOCTYPE\'s external DTD "{docinfo.system_url or docinfo.public_id}" is '
                "not read (nothing is fetched)")
    return "the file has no DOCTYPE that declares it"


def external_dtd(tree: etree._ElementTree, path: Path) -> Diagnostic | None:
    """A warning that the DOCTYPE's external DTD is not read, when it names one: its entities
    are not available (a file that uses one is refused, see `_parse`), nor its default
    attribute values."""
    docinfo = tree.docinfo
    if not (docinfo.system_url or docinfo.public_id):
        return None
    return warning(f"{_not_read(tree)}: the file is read without it (its entities and default "
                   "attribute values do not apply)", path, _doctype_line(path), code="external-dtd")


def included_external_dtd(path: Path) -> Diagnostic | None:
    """`external_dtd` of an XIncluded part: the expanded tree keeps only the main file's
    DOCTYPE, so the part's is read again from its prolog (the parser stops at its root)."""
    try:
        for _, root in etree.iterparse(str(path), events=("start",), resolve_entities=False,
                                       no_network=True, load_dtd=False, huge_tree=False):
            return external_dtd(root.getroottree(), path)
    except (OSError, etree.XMLSyntaxError):  # read in full before: changed since, said then
        return None
    return None


def _doctype_line(path: Path) -> int | None:
    """The line of the DOCTYPE declaration (libxml2 does not keep it)."""
    with path.open("rb") as file:
        for number, line in enumerate(file, start=1):
            if b"<!DOCTYPE" in line:
                return number
    return None


def _declaration_line(data: bytes, name: str | None = None) -> int:
    """The line of the entity declaration to fix (libxml2 reports where it gave up, often the
    DOCTYPE's first line): the one of `name`, else the first parameter entity, else the
    first entity declared."""
    declared = (re.search(rb"<!ENTITY\s+" + re.escape(name.encode()) + rb"\s", data)
                if name else None) or PARAMETER_ENTITY.search(data) or ENTITY.search(data)
    return data[: declared.start()].count(b"\n") + 1 if declared else 1


def syntax_error(exc: etree.XMLSyntaxError, path: Path, data: bytes = b"") -> EditionError:
    """libxml2's refusal of the file at `path` (its bytes `data`, where known) as one line."""
    line, column = exc.position if exc.position else (exc.lineno, None)
    message = exc.msg.split(", line ")[0].strip() if exc.msg else "syntax error"
    if "XML_PARSE_HUGE" in message:  # libxml2's advice to its programmers, not to an editor
        message = HUGE_ADVICE.sub("", message).strip(" ,;:") + " (over the parser's safety limit)"
    if "amplification" in message or "entity loop" in message.lower():
        return error("refused: entity expansion beyond the limit (an entity bomb such as "
                     f"'billion laughs'); libxml2 said: {message}", path,
                     _declaration_line(data), code="entity-refused")
    if "not proper UTF-8" in message or "encoding" in message.lower():
        message += " (the file must be UTF-8, or declare its encoding in <?xml … encoding=…?>)"
    return error(f"not well-formed XML: {message}", path, line, column, "xml-syntax")


def duplicate_ids(tree: etree._ElementTree) -> Iterator[tuple[etree._Element, etree._Element]]:
    """Each element whose xml:id an earlier element already has, with that earlier element."""
    first: dict[str, etree._Element] = {}
    for element in tree.iter():
        value = element.get(XML_ID) if isinstance(element.tag, str) else None
        if value is None:
            continue
        if value in first:
            yield element, first[value]
        else:
            first[value] = element


@dataclass
class Loaded:
    """A document as `load_with_origins` read it: its tree, the file each XIncluded part came
    from, and every file it is made of. A build's validation hands it to the transform, so
    that each file is parsed once (the project's rule: load once and hand the tree on)."""

    tree: etree._ElementTree
    origins: dict[etree._Element, Path]
    files: list[Path]


def load(path: Path, root: Path | None = None, max_bytes: int = MAX_BYTES, *,
         check_ids: bool = True, files_read: list[Path] | None = None) -> etree._ElementTree:
    """Parse `path` and expand its XIncludes, each confined to `root` (default: its folder).

    `files_read`, when given, receives every file the document is made of (the build's
    dependency list)."""
    return load_with_origins(path, root, max_bytes, check_ids=check_ids,
                             files_read=files_read)[0]


def load_with_origins(
    path: Path, root: Path | None = None, max_bytes: int = MAX_BYTES, *, check_ids: bool = True,
    files_read: list[Path] | None = None,
) -> tuple[etree._ElementTree, dict[etree._Element, Path]]:
    """Like `load`, and also the file each XIncluded root element came from, so that a problem
    found in an included part is reported at the file and line the encoder has to open."""
    path = Path(path)
    root = real_path(root or path.parent)
    tree = parse_xml(path, max_bytes, check_ids=check_ids)
    files_read = [] if files_read is None else files_read
    first = len(files_read)  # the list may hold the files of documents loaded before
    files_read.append(path)
    if tree.getroot().find(f".//{XI_INCLUDE}") is None:
        return tree, {}
    origins: dict[etree._Element, Path] = {}
    _include(tree, path, root, max_bytes, check_ids, depth=0, files_read=files_read,
             origins=origins, first=first)
    if tree.getroot().find(f".//{XI_INCLUDE}") is not None:  # text, or a part of a document
        try:
            tree.xinclude()
        except etree.XIncludeError as exc:
            raise error(f"XInclude failed: {exc}", path, code="xinclude") from None
    return tree, origins


def source_file(element: etree._Element, origins: dict[etree._Element, Path], main: Path) -> Path:
    """The file an element of a loaded tree was read from: its nearest included ancestor's file
    (found by `load_with_origins`, or by the xml:base libxml2 puts on a part it includes from
    another folder), else the main file."""
    for ancestor in (element, *element.iterancestors()):
        if ancestor in origins:
            return origins[ancestor]
        if ancestor.get(XML_BASE) is not None and ancestor.base and Path(ancestor.base).is_file():
            return _as_named(Path(ancestor.base), main)
    return main


def _include_target(include: etree._Element, path: Path, root: Path) -> Path:
    """The file an xi:include reads, resolved as libxml2 does (against the element's xml:base,
    which an attacker may have set), and confined to `root`."""
    try:
        return confine(_joined(include, path), path, root)
    except RefusedResource as refusal:
        raise error(f"XInclude {refusal}", path, include.sourceline, code="xinclude") from None


def _joined(include: etree._Element, path: Path) -> str:
    """The include's href made absolute against its base, as a URL: joining plain paths,
    urljoin turns "../" beyond the root into a relative path that would be read from here."""
    base = include.base or str(real_path(path))
    if "://" not in base and not base.startswith("file:"):
        base = "file://" + quote(base)
    return urljoin(base, include.get("href", ""))


def _include(tree: etree._ElementTree, path: Path, root: Path, max_bytes: int,
             check_ids: bool, depth: int, files_read: list[Path],
             origins: dict[etree._Element, Path] | None = None,
             including: tuple[Path, ...] = (), first: int = 0) -> None:
    """Expand the XIncludes of `tree` (transitively) with the parts as this loader parsed
    them, each part parsed once (libxml2's own XInclude would read every part again); add each
    file read to `files_read`, and to `origins` each part the main file includes, with the
    file it came from (`files_read[first:]`, this document's). Any XInclude that leaves
    `root` is refused before it is read; a cycle, a part nested too deeply, more than
    MAX_PARTS parts in all, a part of this same document (an include without href, which
    libxml2 would expand), a file a teiCorpus includes twice (one article, two ids the same)
    and a part that cannot be read at all are errors at the xi:include's own line, the line
    to fix. A text include, or one of a part of a document
    (xpointer), is checked and read here and left for libxml2 to expand."""
    including = (*including, real_path(path))
    members: dict[Path, int | None] = {}  # the files a teiCorpus here includes, at their line
    for include in list(tree.getroot().iter(XI_INCLUDE)):
        where = {"file": path, "line": include.sourceline, "code": "xinclude"}
        if not include.get("href"):
            if include.get("xpointer"):  # libxml2 copies the part, then each include in it
                raise error("XInclude of a part of this same document (xpointer "
                            f"{include.get('xpointer')!r}, no href) is refused: parts that "
                            "include each other so multiply the document (an XInclude bomb); "
                            "write the part out, or include it from a file of its own", **where)
            continue
        target = _include_target(include, path, root)
        resolved = real_path(target)
        if resolved in including and include.get("parse", "xml") == "xml":
            chain = " → ".join(part.name for part in (*including, resolved))
            raise error(f"XInclude cycle: {include.get('href')!r} includes "
                        + ("the file it is in" if resolved == including[-1]
                           else f"a file that includes it ({chain})"), **where)
        parent = include.getparent()
        if (parent is not None and parent.tag == f"{{{TEI_NS}}}teiCorpus"
                and include.get("parse", "xml") == "xml" and not include.get("xpointer")):
            if resolved in members:
                raise error(f"XInclude of {include.get('href')!r}: the corpus includes {target} "
                            f"already, on line {members[resolved]}: an article is in a book "
                            "once", **where)
            members[resolved] = include.sourceline
        if depth >= MAX_INCLUDE_DEPTH:
            raise error(f"XInclude nested too deeply: {include.get('href')!r} is the "
                        f"{depth + 1}th level (at most {MAX_INCLUDE_DEPTH})", **where)
        files_read.append(target)
        if len(files_read) - first > MAX_PARTS:
            raise error(f"XInclude of {include.get('href')!r}: more than {MAX_PARTS} parts in "
                        "one document (parts that include others again and again multiply it: "
                        "an XInclude bomb)", **where)
        try:
            if include.get("parse", "xml") != "xml":
                read_limited(target, max_bytes)
                continue
            included = parse_xml(target, max_bytes, check_ids=check_ids)
        except EditionError as refusal:
            if refusal.diagnostic.line is not None:  # a problem inside the part: at its line
                raise
            raise error(f"XInclude of {include.get('href')!r} ({target}): "
                        f"{refusal.diagnostic.message}", **where) from None
        _include(included, target, root, max_bytes, check_ids, depth + 1, files_read,
                 including=including, first=first)
        if parent is None or include.get("xpointer"):
            continue
        part = included.getroot()
        # Marked with the file it came from (libxml2 marks only a part from another folder),
        # so that every stage can tell; a path, as lxml gives the base of a document read
        # from a file, so that bases combine alike.
        part.set(XML_BASE, part.base)
        part.tail = include.tail
        parent.replace(include, part)
        if origins is not None:
            origins[part] = _as_named(target, path)


def _as_named(target: Path, main: Path) -> Path:
    """`target` named the way the user named `main` (relative stays relative)."""
    if main.is_absolute():
        return target
    folder = real_path(main.parent)
    return main.parent / target.relative_to(folder) if target.is_relative_to(folder) else target


def corpus_including(path: Path) -> tuple[Path, etree._Element] | None:
    """The teiCorpus of `path`'s folder that XIncludes it, and its root (its includes not
    expanded): edition/edition.xml for an article of the edition built on its own, whose
    header then speaks for the book the article belongs to. None for a file no corpus beside
    it includes (a file that cannot be read is not one)."""
    target = real_path(path)
    for candidate in sorted(target.parent.glob("*.xml")):
        if real_path(candidate) == target or not candidate.is_file():  # not a pipe: no wait
            continue
        try:
            with candidate.open("rb") as file:
                head = file.read(MARKUP_HEAD)
            if TEI_CORPUS not in head.decode(xml_encoding(head), "ignore"):
                continue
            root = parse_xml(candidate, check_ids=False).getroot()
            if root.tag == f"{{{TEI_NS}}}teiCorpus" and any(
                    include.get("parse", "xml") == "xml" and not include.get("xpointer")
                    and _include_target(include, candidate, candidate.parent) == target
                    for include in root.iter(XI_INCLUDE)):
                return candidate, root
        except (EditionError, OSError):  # not readable, or an include it may not make
            continue
    return None
