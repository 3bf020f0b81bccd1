"""The apparatus: every intervention of the edition, in reading order, each at the source line
where the witness has its reading; and the normalised export keeps no witness form outside it."""

from __future__ import annotations

import json
import re

import pytest

from conftest import ARTICLES, EDITION, ROOT, SOURCES
from tei_edition import tei
from tei_edition.apparatus import interventions
from tei_edition.lint import AUTHORIAL
from tei_edition.load import load
from tei_edition.registers import edition_registers
from tei_edition.text import normalised_text, reading_text
from tei_edition.views import DIPLOMATIC

FIXTURES = ROOT / "tests" / "fixtures" / "apparatus"


def source_lines(name: str) -> list[str]:
    text = (SOURCES / f"{name}.txt").read_text(encoding="utf-8")
    return [" ".join(line.split()) for line in text.split("\n")]


def test_fixture_interventions_as_data() -> None:
    found = interventions(load(FIXTURES / "good.xml"))
    assert [(i.line, i.lemma, i.reading, i.type, i.responsible, i.ref) for i in found] == [
        (1, "Shahtakhtinsky", "Shahtakhtinski", "variant", "editor",
         "persons.xml#shahtakhtinsky"),
        (1, "Nakhchivan", "Nakhiche-van", "variant", "editor", "places.xml#nakhchivan"),
        (2, "Soviet", "So viet", "extraction", "editor", ""),
    ]
    assert [i.element.tag for i in found] == [tei("choice")] * 3
    assert [i.authorial for i in found] == [True, True, False]


@pytest.mark.parametrize("name", ARTICLES)
def test_every_choice_is_one_intervention_in_reading_order(name: str) -> None:
    tree = load(EDITION / f"{name}.xml")
    found = interventions(tree)
    body = tree.getroot().find(f"{tei('text')}/{tei('body')}")
    assert [i.element for i in found] == list(body.iter(tei("choice")))
    lines = [i.line for i in found]
    assert None not in lines and lines == sorted(lines)


@pytest.mark.parametrize("name", ARTICLES)
def test_each_witness_reading_stands_on_its_source_line(name: str) -> None:
    """The line an intervention gives is the source line where its witness reading starts."""
    lines = source_lines(name)
    for intervention in interventions(load(EDITION / f"{name}.xml")):
        first = re.split(r"[\s-]", intervention.reading)[0]
        assert first in lines[intervention.line - 1], intervention


def test_the_edition_apparatus_has_what_the_editors_decided() -> None:
    found = {(i.text_id, i.line, i.lemma, i.reading, i.type) for i in
             interventions(load(EDITION / "edition.xml"))}
    expected = {
        ("kars", 5, "Sevres", "Serves", "error"),
        ("kars", 35, "RSFSR", "RFSFR", "error"),
        ("kars", 122, "mid-September", "midSeptember", "extraction"),
        ("kars", 8, "Nakhchivan", "Nakhichevan", "variant"),
        ("kars", 27, "Ordzhonikidze", "Orjonikidze", "variant"),
        ("kars", 293, "Mustafa Kemal", "Mustafa Kamal", "variant"),
        ("nakhchivan", 113, "Yusif Kamal", "Yusuf Kemal", "variant"),
        ("nakhchivan", 245, "Batumi", "Batum", "variant"),
        ("nakhchivan", 340, "Komurludagh", "Ko murludagh", "extraction"),
        ("nakhchivan", 10, "Nakhchivan", "Nakhchi van", "extraction"),
        ("nakhchivan", 172, "Shahtakhtinsky", "Shah-takhtin sky", "extraction"),
        ("nakhchivan", 190, "Republic", "Re-pub lic", "extraction"),
        ("nakhchivan", 341, "Gurdgulag", "Gurd gulag", "extraction"),
    }
    assert expected <= found
    not_interventions = {  # names with one spelling, the treaty's own annex letter
        (text_id, lemma) for text_id, _, lemma, _, _ in found
        if lemma in {"Kâzım Pasha", "Hanecki", "Jakub Hanecki", "Ali Fuat Pasha",
                     "Memduh Şevket", "Veli Bey", "Y. Kemal Bey", "I (C)", "Batum", "Sèvres"}}
    assert not_interventions == set()


def test_no_name_is_regularised_inside_a_quotation_or_a_title(run_cli) -> None:
    """Kars 485-504 (Appendix 3 of the treaty), 368-385 (a speech), Nakhchivan 340: the names
    in quotations keep the witness's spelling; the apparatus lists none of them."""
    found = interventions(load(EDITION / "edition.xml"))
    quoted = [i for i in found if i.type == "variant" and i.element.xpath(
        "ancestor::tei:quote or ancestor::tei:q or ancestor::tei:title",
        namespaces={"tei": tei("")[1:-1]})]
    assert quoted == []
    listed = run_cli("apparatus", EDITION / "treaty-of-kars.xml").stdout.splitlines()
    assert not [line for line in listed if re.match(r"(369|371|382|395|428|479|486|49\d|50[0-4]): ",
                                                   line) and "(variant" in line]
    kars = normalised_text(load(EDITION / "treaty-of-kars.xml"))
    assert "“The Territory of Nakhichevan”" in kars
    assert "Sayatdag (7,868), the village of Gurdgulag, Mount Hamsur (8,160)" in kars
    assert "I. Abilov’s conversation with Yusif Kamal." in kars
    # Yusif Kamal's instruction (223-250) and the source of note 30 (403-413) are quotations
    # the witness marks not at all or at one end only: their spelling is kept.
    assert "the right to patronize Nakhichevan which was handed over" in kars
    assert "the provision on Nakhichevan shall not be mentioned" in kars
    assert "turn the issue of Nakhichevan into an internal affair" in kars


def test_the_normalised_export_calls_editorial_notes_and_says_probable_numbers(run_cli) -> None:
    """Each editorial note leaves its call "[ed. n]" where it belongs in the running text, as the
    HTML does; a note whose number the editors assigned without certainty says "probably"."""
    kars = run_cli("text", "--normalised", EDITION / "treaty-of-kars.xml").stdout
    assert "to be signed with Georgia. [ed. 1] Other parts of the instruction" in kars
    assert "without Ankara’s participation.”30 [ed. 4] However" in kars
    assert "reached Kars at 1130 [ed. 2] on" in kars
    assert "\n[ed. 1] The witness sets Yusif Kamal’s instruction" in kars
    assert "\n[probably 3] See: USSR Foreign Policy Documents" in kars


def test_every_reg_is_a_spelling_a_witness_uses() -> None:
    """A regular form is one of the witnesses' own spellings: each <reg> stands, word for word,
    in the witness form of a name of the same register entry somewhere in the edition."""
    tree = load(EDITION / "edition.xml")
    witness_forms: dict[str, set[str]] = {}
    for name in tree.getroot().iter(tei("persName"), tei("placeName"), tei("orgName")):
        witness_forms.setdefault(name.get("ref", ""), set()).add(reading_text(name, AUTHORIAL))
    regs = [(reg.text, name.get("ref", "")) for reg in tree.getroot().iter(tei("reg"))
            for name in reg.iterancestors(tei("persName"), tei("placeName"), tei("orgName"))]
    assert regs
    unattested = [(form, ref) for form, ref in regs
                  if not any(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", witness)
                             for witness in witness_forms.get(ref, ()))]
    assert unattested == []

def test_every_intervention_is_typed_and_signed() -> None:
    found = interventions(load(EDITION / "edition.xml"))
    assert {i.type for i in found} == {"extraction", "error", "variant"}
    assert {i.resp for i in found} == {"edition.xml#edition-team"}
    assert all(i.lemma and i.reading and i.lemma != i.reading for i in found)


@pytest.mark.parametrize("name", ARTICLES)
def test_the_normalised_export_keeps_no_witness_form(name: str, run_cli) -> None:
    """No variant the registers know and no witness reading of any <choice> reaches the reading
    text: they stand only in the apparatus."""
    result = run_cli("text", "--normalised", EDITION / f"{name}.xml")
    assert result.status == 0
    text = result.stdout
    tree = load(EDITION / f"{name}.xml")
    witness_forms = {
        reading_text(witness, DIPLOMATIC)
        for tag in ("orig", "sic")
        for witness in tree.getroot().iter(tei(tag))
    }
    variants = {variant for entry in edition_registers(EDITION)[0] for variant in entry.variants}
    running = load(EDITION / f"{name}.xml")  # quotations and titles keep the witness's forms,
    for kept in running.getroot().xpath(  # and the editors' notes name them
            "//tei:quote | //tei:q | //tei:title[ancestor::tei:text]"
            " | //tei:note[@type = 'editorial']", namespaces={"tei": tei("")[1:-1]}):
        kept.text, kept[:] = None, []  # emptied, its tail (the running text) kept
    running_text = normalised_text(running)
    leaks = [form for form in witness_forms | variants
             if re.search(rf"(?<!\w){re.escape(form)}(?!\w)", running_text)]
    assert leaks == []
    assert normalised_text(tree) == text


def test_the_corpus_groups_the_apparatus_by_article(run_cli) -> None:
    result = run_cli("apparatus", EDITION / "edition.xml")
    assert result.status == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "[nakhchivan]" and "[kars]" in lines
    assert "5: Sevres ] Serves  (error, edition-team)" in lines
    assert "10: Nakhchivan ] Nakhchi van  (extraction, edition-team)" in lines
    assert result.stderr.startswith(f"{len(lines) - 2} interventions (")


def test_the_apparatus_of_one_type_as_json(run_cli) -> None:
    result = run_cli("apparatus", "--type", "error", "--format", "json",
                     EDITION / "treaty-of-kars.xml")
    records = json.loads(result.stdout)
    assert [(r["line"], r["lemma"], r["reading"]) for r in records] == [
        (5, "Sevres", "Serves"), (35, "RSFSR", "RFSFR"), (535, "RSFSR", "RFSFR"),
    ]
    assert {r["ref"] for r in records} == {"places.xml#sevres", "places.xml#rsfsr"}


@pytest.mark.parametrize("name", ARTICLES)
def test_the_header_names_every_regularisation_the_edition_makes(name: str) -> None:
    """The policy in each header is true of the encoding: every regularisation of the edition is
    named there (regular form and witness form), and the names it says stay as written are read
    as written, never regularised."""
    normalization = " ".join(" ".join(load(EDITION / f"{name}.xml").getroot().find(
        f".//{tei('normalization')}").itertext()).split())
    found = interventions(load(EDITION / "edition.xml"))
    regularised = {(i.lemma, i.reading) for i in found if i.type == "variant"}
    assert regularised
    assert [pair for pair in regularised
            if not all(form in normalization for form in pair)] == []
    [kept] = re.findall(r"one spelling in both witnesses stays as written[^:]*: ([^.]+)\.",
                        normalization)
    kept_names = [re.sub(r"\s*\(.*", "", form) for form in re.split(r",\s*", kept)]
    assert len(kept_names) >= 5
    reading = " ".join(normalised_text(load(EDITION / f"{article}.xml")) for article in ARTICLES)
    lemmas = {i.lemma for i in found} | {i.reading for i in found}
    assert [form for form in kept_names if form not in reading or form in lemmas] == []
