"""The project's Schematron rules: the edition passes them, and each rule fails on a small broken
fixture, at the line of the element that breaks it and in the file that holds that element."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EDITION, ROOT
from tei_edition.load import load
from tei_edition.rules import RULES, check_rules

FIXTURES = ROOT / "tests" / "fixtures" / "apparatus"


def marked_lines(path: Path) -> list[int]:
    """Lines of a fixture marked as breaking a rule."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [number for number, line in enumerate(lines, start=1) if "<!-- broken -->" in line]


def failures(path: Path) -> list[tuple[str, str, int | None]]:
    return sorted((d.code, Path(d.file).name, d.line) for d in check_rules(load(path), path))


@pytest.mark.parametrize("path", sorted(EDITION.glob("*.xml")), ids=lambda p: p.name)
def test_the_edition_keeps_every_rule(path: Path) -> None:
    assert check_rules(load(path), path) == []


def test_the_good_fixture_keeps_every_rule() -> None:
    assert failures(FIXTURES / "good.xml") == []


@pytest.mark.parametrize(
    ("fixture", "codes"),
    [
        ("broken-unlinked-name.xml", ["rule-name-has-ref"]),
        ("broken-unresolved-ref.xml", ["rule-ref-resolves", "rule-ref-resolves"]),
        ("broken-choice.xml", ["rule-choice-one-pair", "rule-choice-one-pair"]),
        ("broken-untyped-corr.xml", ["rule-corr-resp", "rule-corr-typed"]),
        ("broken-resp.xml", ["rule-resp-target"]),
        ("broken-reg-form.xml", ["rule-reg-matches-register"]),
        ("broken-reg-outside-name.xml", ["rule-reg-in-name"]),
        ("bad-register/persons.xml", ["rule-entry-authority", "rule-entry-one-regular"]),
        ("broken-reg-in-quotation.xml", ["rule-reg-not-in-quotation"]),
        ("broken-reg-no-variation.xml", ["rule-reg-name-varies", "rule-reg-name-varies"]),
        ("bad-register/places.xml", ["rule-identification-cert"]),
    ],
)
def test_each_rule_fails_on_its_broken_fixture(fixture: str, codes: list[str]) -> None:
    path = FIXTURES / fixture
    found = failures(path)
    assert [code for code, _, _ in found] == codes
    assert sorted({line for _, _, line in found}) == marked_lines(path)
    assert {name for _, name, _ in found} == {path.name}


def test_ids_unique_across_the_articles_of_a_corpus() -> None:
    """Each member is valid on its own; the clash appears only where they meet, and each failure
    names the member file and line where the id stands."""
    corpus = FIXTURES / "broken-duplicate-id.xml"
    member = FIXTURES / "member-with-same-id.xml"
    assert failures(member) == []
    good = (FIXTURES / "good.xml").read_text(encoding="utf-8")
    good_line = good[: good.index('xml:id="fixture"')].count("\n") + 1
    assert failures(corpus) == [
        ("rule-id-unique", "good.xml", good_line),
        ("rule-id-unique", "member-with-same-id.xml", marked_lines(member)[0]),
    ]


def test_messages_say_what_is_wrong() -> None:
    messages = [d.message for d in check_rules(load(FIXTURES / "broken-reg-form.xml"),
                                               FIXTURES / "broken-reg-form.xml")]
    assert messages == ["<reg> “Nakhchevan” is not a regular or accepted form of "
                        "places.xml#nakhchivan (its regular form is “Nakhchivan”)."]


def test_a_broken_article_in_the_corpus_is_reported_in_its_own_file(tmp_path: Path) -> None:
    edition = tmp_path / "edition"
    shutil.copytree(EDITION, edition)
    article = edition / "treaty-of-kars.xml"
    text = article.read_text(encoding="utf-8")
    broken = text.replace('ref="persons.xml#legran"', 'ref="persons.xml#legrand"', 1)
    article.write_text(broken, encoding="utf-8")
    line = broken[: broken.index("persons.xml#legrand")].count("\n") + 1
    corpus_failures = failures(edition / "edition.xml")
    assert corpus_failures == [("rule-ref-resolves", "treaty-of-kars.xml", line)]
    assert failures(article) == corpus_failures


def test_document_reads_nothing_outside_the_edition(tmp_path: Path) -> None:
    """A ref that climbs out of the edition folder fails the rule; the file is never read."""
    secret = tmp_path / "secret.xml"
    secret.write_text('<s xmlns="http://www.tei-c.org/ns/1.0"><person xml:id="x">TOP SECRET'
                      "</person></s>", encoding="utf-8")
    edition = tmp_path / "edition"
    shutil.copytree(FIXTURES, edition)
    article = edition / "good.xml"
    article.write_text(article.read_text(encoding="utf-8").replace(
        'ref="persons.xml#lenin"', 'ref="../secret.xml#x"'), encoding="utf-8")
    found = check_rules(load(article), article)
    assert [d.code for d in found] == ["rule-ref-resolves"]
    assert "TOP SECRET" not in str(found)


def test_the_rules_file_is_iso_schematron() -> None:
    root = load(RULES).getroot()
    assert root.tag == "{http://purl.oclc.org/dsdl/schematron}schema"
    assert root.get("queryBinding") == "xslt"  # XPath 1: lxml.isoschematron runs it
