"""The `<?xml-model?>` instructions that tell an XML editor what a TEI file must keep.

oXygen and VS Code's XML extension (LemMinX) read them (W3C "Associating Schemas with XML
documents") and validate as the editor types: against the edition's RELAX NG schema
(schema/edition.rng) and, in oXygen, the project's Schematron rules (schema/edition-rules.sch),
the same two that `edition validate` applies. The hrefs are relative to the file, so that the
project can be opened anywhere.
"""

from __future__ import annotations

import os
from pathlib import Path

from lxml import etree

from .rules import RULES
from .schemas import EDITION_SCHEMA

RELAXNG_NS = "http://relaxng.org/ns/structure/1.0"
SCHEMATRON_NS = "http://purl.oclc.org/dsdl/schematron"
MODELS = ((EDITION_SCHEMA, RELAXNG_NS), (RULES, SCHEMATRON_NS))


def instructions(document: Path) -> list[etree._ProcessingInstruction]:
    """The xml-model instructions for a file written at `document`, hrefs relative to it."""
    folder = Path(os.path.abspath(document)).parent
    return [
        etree.ProcessingInstruction(
            "xml-model", f'href="{Path(os.path.relpath(model, folder)).as_posix()}" '
            f'type="application/xml" schematypens="{namespace}"')
        for model, namespace in MODELS
    ]


def attach(tree: etree._ElementTree, document: Path) -> None:
    """Put the instructions before the root element of a tree to be written at `document`."""
    root = tree.getroot()
    for instruction in instructions(document):
        root.addprevious(instruction)


def models(tree: etree._ElementTree, document: Path) -> dict[str, Path]:
    """The schemas a parsed file's xml-model instructions name, by schema language
    (schematypens), each href resolved against the file's folder."""
    found = {}
    for node in tree.getroot().itersiblings(preceding=True):
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-model":
            found[node.get("schematypens", "")] = Path(document).parent / node.get("href", "")
    return found
