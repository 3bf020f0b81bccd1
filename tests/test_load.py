"""The TEI is loaded once a build: validation and the transform share the tree the loader
read, and the loader expands each XInclude with the part it parsed itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from conftest import EDITION, ROOT
from tei_edition import load


def test_a_build_parses_each_file_it_is_made_of_once(run_cli, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Validation and the transform share the tree the loader read (the article and the
    references it XIncludes were parsed twice: once to validate, once to transform)."""
    parsed: list[str] = []
    parse = load._parse

    def counted(data: bytes, path: Path, resolve_entities: bool = False) -> object:
        parsed.append(Path(path).resolve().relative_to(ROOT).as_posix())
        return parse(data, path, resolve_entities)

    monkeypatch.setattr(load, "_parse", counted)
    result = run_cli("build", "html", EDITION / "treaty-of-kars.xml", "-o", tmp_path / "site")
    assert result.status == 0, result.stderr
    assert sorted(name for name in parsed if name.startswith("edition/")) == [
        "edition/edition.xml",  # the corpus including the article, read for its header
        "edition/orgs.xml", "edition/persons.xml", "edition/places.xml",
        "edition/references/treaty-of-kars.xml", "edition/treaty-of-kars.xml"]


def test_an_included_part_is_the_tree_the_loader_parsed(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The loader parses each part to check it (confinement, cycles, entities); libxml2's own
    XInclude then read every part a second time. The part in the loaded tree is now the one
    the loader parsed: a mark the loader's parse leaves on it is there."""
    part = tmp_path / "refs" / "part.xml"
    part.parent.mkdir()
    part.write_text('<?xml version="1.0"?>\n<!-- a comment -->\n<list xmlns="urn:x">\n'
                    "  <item>one</item>\n</list>\n", encoding="utf-8")
    main = tmp_path / "main.xml"
    main.write_text('<doc xmlns:xi="http://www.w3.org/2001/XInclude">\n  <xi:include '
                    'href="refs/part.xml"/> after\n</doc>\n', encoding="utf-8")
    parse = load._parse

    def marked(data: bytes, path: Path, resolve_entities: bool = False) -> etree._ElementTree:
        tree = parse(data, path, resolve_entities)
        tree.getroot().set("parsed-by", "the loader")
        return tree

    monkeypatch.setattr(load, "_parse", marked)
    tree, origins = load.load_with_origins(main)
    [included] = tree.getroot()
    assert included.get("parsed-by") == "the loader"
    assert (included.sourceline, included.tail, included.base) == (3, " after\n", str(part))
    assert origins == {included: part}


def test_an_included_parts_internal_entities_are_expanded(tmp_path: Path) -> None:
    """The loader expands a file's internal entities; libxml2's XInclude, reading the part
    again, left them as references (the element's text "by ", the entity's words lost to
    every stage that reads .text), and copied the part's DOCTYPE into the main file."""
    (tmp_path / "part.xml").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE list [<!ENTITY who "the editors">]>\n'
        '<list xmlns="urn:x"><item>by &who;</item></list>\n', encoding="utf-8")
    main = tmp_path / "main.xml"
    main.write_text('<doc xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include '
                    'href="part.xml"/></doc>\n', encoding="utf-8")
    tree = load.load(main)
    assert tree.getroot().find("{urn:x}list/{urn:x}item").text == "by the editors"
    assert tree.docinfo.internalDTD is None
