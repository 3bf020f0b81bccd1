"""The registers: valid TEI, one entry per person, place and organisation of the texts, every
name linked to one (counted: zero unlinked), every entry used, identified, and with an authority
identifier or the stated reason why it has none."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import ARTICLES, EDITION, ROOT
from tei_edition.diagnostics import EditionError
from tei_edition.lint import AUTHORIAL
from tei_edition.load import load
from tei_edition.registers import (
    NAME_TAGS,
    Authority,
    edition_registers,
    index_order,
    name_elements,
    read_register,
    register_files,
    registers_for,
)
from tei_edition.text import reading_text
from tei_edition.views import NORMALISED

REGISTERS = ("persons", "places", "orgs")
AUTHORITY_FORMS = {"wikidata": r"Q[1-9]\d*", "geonames": r"[1-9]\d*", "viaf": r"[1-9]\d*"}


@pytest.fixture(scope="module")
def registers():
    registers, unread = edition_registers(EDITION)
    assert unread == []
    return registers


@pytest.fixture(scope="module")
def names():
    return [name for article in ARTICLES
            for name in name_elements(load(EDITION / f"{article}.xml"))]


def test_the_registers_are_found_in_the_edition_folder() -> None:
    found, unread = register_files(EDITION)
    assert [path.stem for path in found] == sorted(REGISTERS) and unread == []


@pytest.mark.parametrize("name", REGISTERS)
def test_register_is_valid_tei_all(name: str, tei_all) -> None:
    tree = load(EDITION / f"{name}.xml")
    assert tei_all.validate(tree), [f"{e.line}: {e.message}" for e in tei_all.error_log][:5]


def test_every_name_in_the_texts_is_linked(names) -> None:
    assert len(names) > 600
    unlinked = [reading_text(n, NORMALISED) for n in names if not n.get("ref")]
    assert unlinked == []
    counts = Counter(NAME_TAGS[n.tag] for n in names)
    assert counts["person"] > 100 and counts["place"] > 400 and counts["org"] > 30


def test_every_ref_names_an_entry_of_its_kind(names, registers) -> None:
    wrong = [(n.get("ref"), n.sourceline) for n in names
             if (entry := registers.lookup(n.get("ref"))) is None
             or entry.kind != NAME_TAGS[n.tag]]
    assert wrong == []


def test_every_entry_is_used(names, registers) -> None:
    """The header names its authors too; every other entry is named in the texts."""
    used = {n.get("ref") for n in names}
    headers = {"persons.xml#hasanli", "persons.xml#hajiyev"}
    unused = {entry.ref for entry in registers} - used - headers
    assert unused == set()


def test_every_entry_is_identified_with_an_authority_or_the_reason_why_not(registers) -> None:
    assert len(registers) >= 100
    for entry in registers:
        assert entry.identification, entry.ref
        assert entry.authorities or entry.authority_note, entry.ref
        for authority in entry.authorities:
            assert re.fullmatch(AUTHORITY_FORMS[authority.scheme], authority.value), entry.ref
            assert authority.certainty in (None, "high", "medium", "low")
    with_ids = [e for e in registers if e.authorities]
    assert len(with_ids) >= 15


def test_every_variant_is_met_in_the_texts(names, registers) -> None:
    """The registers list the witness forms the texts really have, no more."""
    met = {reading_text(n, AUTHORIAL) for n in names} | {
        reading_text(orig, AUTHORIAL)
        for article in ARTICLES
        for orig in load(EDITION / f"{article}.xml").getroot().iter(
            "{http://www.tei-c.org/ns/1.0}orig")
    }
    listed = {variant for entry in registers for variant in entry.variants}
    assert listed and listed <= met


def test_forms_of_an_entry_do_not_overlap(registers) -> None:
    for entry in registers:
        assert not set(entry.variants) & entry.regular_forms, entry.ref
        assert entry.regular in entry.regular_forms


def test_lookup_by_ref(registers) -> None:
    chicherin = registers.lookup("persons.xml#chicherin")
    assert (chicherin.kind, chicherin.regular, chicherin.dates) == (
        "person", "Georgy Chicherin", "1872–1936")
    assert "G. Chicherin" in chicherin.accepted
    nakhchivan = registers.lookup("places.xml#nakhchivan-region")
    assert nakhchivan.variants == ("Nakhichevan",)
    tiflis = registers.lookup("places.xml#tiflis")
    assert ("modern", "Tbilisi") in tiflis.other_names
    assert tiflis.authorities[0] == Authority("wikidata", "Q994", None)
    assert tiflis.authorities[0].url == "https://www.wikidata.org/wiki/Q994"
    assert registers.lookup("persons.xml#nobody") is None
    assert [e.regular for e in registers.of_kind("org")][:2] == [
        "11th Red Army", "Armenian Revolutionary Committee"]


def test_the_index_files_persons_under_their_surname_and_ignores_accents(registers) -> None:
    headings = [entry.heading for entry in registers.of_kind("person")]
    assert registers.lookup("persons.xml#kazim-karabekir").heading == "Karabekir, Kazim"
    assert registers.lookup("persons.xml#veli-bey").heading == "Veli bey"  # no surname
    assert headings == sorted(headings, key=index_order)
    assert headings.index("Karabekir, Kazim") < headings.index("Legran, Boris")
    assert index_order("Şevket Kâzım Ağa") == index_order("Sevket Kazim Aga")
    assert index_order("Əliyev Işık") == "eliyev isik"


def test_registers_for_a_document_reads_what_its_names_point_to() -> None:
    path = EDITION / "treaty-of-kars.xml"
    found = registers_for(load(path), path)
    assert {entry.ref.partition("#")[0] for entry in found} == {f"{r}.xml" for r in REGISTERS}


def test_a_ref_outside_the_edition_reads_nothing(tmp_path: Path) -> None:
    secret = tmp_path / "persons.xml"
    secret.write_bytes((EDITION / "persons.xml").read_bytes())
    folder = tmp_path / "edition"
    folder.mkdir()
    article = folder / "article.xml"
    article.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p><persName '
        'ref="../persons.xml#lenin">V. Lenin</persName></p></body></text></TEI>',
        encoding="utf-8")
    assert len(registers_for(load(article), article)) == 0


def test_an_entry_without_a_single_headword_is_refused() -> None:
    bad = ROOT / "tests" / "fixtures" / "apparatus" / "bad-register" / "persons.xml"
    with pytest.raises(EditionError, match=r"two-headwords.*exactly one regular name, has 2"):
        read_register(bad)


def test_ids_are_unique_across_every_file_of_the_edition() -> None:
    """Registers and articles never share an id, so either could be XIncluded into the other."""
    ids = Counter(
        element.get("{http://www.w3.org/XML/1998/namespace}id")
        for path in EDITION.glob("*.xml")
        if path.name != "edition.xml"  # it XIncludes the articles
        for element in load(path).getroot().iter()
        if isinstance(element.tag, str) and element.get("{http://www.w3.org/XML/1998/namespace}id")
    )
    assert [ident for ident, count in ids.items() if count > 1] == []


def test_the_editors_notes_use_the_regular_forms(registers) -> None:
    """A name the edition regularises is regularised in the editors' own words too: an editors'
    note names Yusif Kamal, not the witness's "Yusuf Kemal"; a form the note quotes (in
    quotation marks) is the witness's and stays."""
    variants = {variant: entry.regular for entry in registers for variant in entry.variants}
    found = []
    for article in ARTICLES:
        root = load(EDITION / f"{article}.xml").getroot()
        for note in root.iter("{http://www.tei-c.org/ns/1.0}note"):
            if note.get("type") != "editorial":
                continue
            words = re.sub(r"“[^”]*”", "", " ".join("".join(note.itertext()).split()))
            found += [(article, note.get("n"), variant) for variant in variants
                      if re.search(rf"\b{re.escape(variant)}\b", words)]
    assert found == []


def test_the_editors_account_of_a_lost_note_uses_the_regular_forms(registers) -> None:
    """What a number is "Cited for" in the bibliography is the editors' words, printed in the
    tables of unidentified numbers: "Nakhchivan", not the witness's "Nakhichevan" (textual
    review)."""
    variants = {variant: entry.regular for entry in registers for variant in entry.variants}
    found = [(path.name, variant)
             for path in sorted((EDITION.parent / "bib").glob("*.bib"))
             for statement in re.findall(r"Cited(?: \([^)]*\))? for ([^}]*)",
                                         path.read_text(encoding="utf-8"))
             for variant in variants if re.search(rf"\b{re.escape(variant)}\b", statement)]
    assert found == []
