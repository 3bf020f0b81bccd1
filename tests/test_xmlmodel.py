"""The `<?xml-model?>` references that XML editors validate with: each edition file is checked
through its own references, so that a moved or renamed schema cannot leave them dangling."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from conftest import EDITION, ROOT
from tei_edition.cli import main
from tei_edition.load import load, parse_xml
from tei_edition.rules import check_rules
from tei_edition.xmlmodel import RELAXNG_NS, SCHEMATRON_NS, models

EDITION_FILES = sorted(EDITION.glob("*.xml"))


@pytest.mark.parametrize("path", EDITION_FILES, ids=lambda path: path.name)
def test_each_edition_file_is_valid_through_its_own_xml_model_references(path: Path) -> None:
    referenced = models(parse_xml(path, check_ids=False), path)
    assert set(referenced) == {RELAXNG_NS, SCHEMATRON_NS}, f"{path.name}: {referenced}"
    schema, rules = referenced[RELAXNG_NS], referenced[SCHEMATRON_NS]
    assert schema.is_file(), f"{path.name}: the RELAX NG reference {schema} does not exist"
    assert rules.is_file(), f"{path.name}: the Schematron reference {rules} does not exist"
    tree = load(path)  # XIncludes expanded, as oXygen and LemMinX (xInclude enabled) do
    validator = etree.RelaxNG(etree.parse(str(schema)))
    assert validator.validate(tree), f"{path.name}: {validator.error_log}"
    assert check_rules(tree, path, rules) == []


def test_the_rules_reached_through_the_reference_are_the_projects() -> None:
    """A reference that resolves to another file (a stale copy) would validate nothing."""
    path = EDITION / "treaty-of-kars.xml"
    referenced = models(parse_xml(path, check_ids=False), path)
    assert referenced[RELAXNG_NS].resolve() == ROOT / "schema" / "edition.rng"
    assert referenced[SCHEMATRON_NS].resolve() == ROOT / "schema" / "edition-rules.sch"


@pytest.mark.parametrize("folder", [".", "drafts/deeper"])
def test_an_imported_draft_references_the_schema_and_rules_from_where_it_is_written(
        folder: str, tmp_path: Path) -> None:
    output = tmp_path / folder / "draft.xml"
    output.parent.mkdir(parents=True, exist_ok=True)
    assert main(["import", str(EDITION / "sources" / "treaty-of-kars.txt"),
                 "-o", str(output)]) == 0
    referenced = models(parse_xml(output, check_ids=False), output)
    assert referenced[RELAXNG_NS].resolve() == ROOT / "schema" / "edition.rng"
    assert referenced[SCHEMATRON_NS].resolve() == ROOT / "schema" / "edition-rules.sch"
    text = output.read_text(encoding="utf-8")
    assert text.startswith("<?xml version='1.0' encoding='UTF-8'?>\n<?xml-model href=\"../")
