"""Stage 1, load: parse XML safely and expand XInclude inside the edition's folder only.

One loader serves every command. It refuses what hostile or broken input could do to us:
DTD entity declarations (XXE, billion laughs), network access, XInclude outside the allowed
root, files over a size limit, and input that is not UTF-8 text. Each refusal is an
`EditionError` naming the file and line.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from . import XI_NS
from .diagnostics import error
from .resources import RefusedResource, confine

MAX_BYTES = 64 * 1024 * 1024
MAX_INCLUDE_DEPTH = 8


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def read_limited(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """Read a file, refusing directories, missing files and files over the size limit."""
    if not path.exists():
        raise error("no such file", path)
    if not path.is_file():
        raise error("not a regular file", path)
    size = path.stat().st_size
    if size > max_bytes:
        raise error(f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes", path)
    if size == 0:
        raise error("file is empty", path, 1)
    return path.read_bytes()


def parse_xml(path: Path, max_bytes: int = MAX_BYTES) -> etree._ElementTree:
    """Parse one file safely, without XInclude."""
    data = read_limited(path, max_bytes)
    try:
        root = etree.fromstring(data, _parser(), base_url=str(path.resolve()))
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno, None)
        message = _syntax_message(exc)
        raise error(f"not well-formed XML: {message}", path, line, column, "xml-syntax") from None
    tree = root.getroottree()
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise error(
            "refused: the DOCTYPE declares entities (external or expanding entities are not "
            "allowed; write the characters themselves)",
            path, 1, code="entity-refused",
        )
    return tree


def _syntax_message(exc: etree.XMLSyntaxError) -> str:
    message = exc.msg.split(", line ")[0] if exc.msg else "syntax error"
    if "not proper UTF-8" in message or "encoding" in message.lower():
        return f"{message} (the file must be UTF-8 encoded)"
    return message


def load(path: Path, root: Path | None = None, max_bytes: int = MAX_BYTES) -> etree._ElementTree:
    """Parse `path` and expand its XIncludes, each confined to `root` (default: its folder)."""
    path = Path(path)
    root = (root or path.parent).resolve()
    tree = parse_xml(path, max_bytes)
    if tree.getroot().find(f".//{{{XI_NS}}}include") is not None:
        _check_includes(tree, path, root, max_bytes, depth=0)
        try:
            tree.xinclude()
        except etree.XIncludeError as exc:
            raise error(f"XInclude failed: {exc}", path, code="xinclude") from None
    return tree


def _check_includes(
    tree: etree._ElementTree, path: Path, root: Path, max_bytes: int, depth: int
) -> None:
    """Refuse any XInclude (transitively) that leaves `root`, before lxml follows it."""
    if depth > MAX_INCLUDE_DEPTH:
        raise error("XInclude nested too deeply (a cycle?)", path, code="xinclude")
    for include in tree.getroot().iter(f"{{{XI_NS}}}include"):
        href = include.get("href", "")
        if not href:
            continue
        try:
            target = confine(href, path, root)
        except RefusedResource as refusal:
            raise error(f"XInclude {refusal}", path, include.sourceline, code="xinclude") from None
        if include.get("parse", "xml") == "xml":
            _check_includes(parse_xml(target, max_bytes), target, root, max_bytes, depth + 1)
        else:
            read_limited(target, max_bytes)
