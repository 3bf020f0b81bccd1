"""The project's Schematron rules: the edition passes them, and each rule fails on a small broken
fixture, at the line of the element that breaks it and in the file that holds that element.

Every assertion of schema/edition-rules.sch, for every kind of element its rule covers (persName,
placeName and orgName alike), has a case in BREAKS: one edit of the rules fixture that breaks
that assertion and no other. A rule added to the Schematron file fails
`test_every_rule_and_every_kind_it_covers_has_a_breaking_case` until it has its cases here; a rule
weakened for one kind fails that kind's case."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from conftest import EDITION, ROOT
from tei_edition import TEI_NS
from tei_edition.load import load
from tei_edition.rules import RULES, check_rules

FIXTURES = ROOT / "tests" / "fixtures" / "apparatus"
RULES_FIXTURE = ROOT / "tests" / "fixtures" / "rules"
SCH = {"sch": "http://purl.oclc.org/dsdl/schematron"}


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


def test_a_broken_fragment_an_article_includes_is_reported_in_its_own_file(
        tmp_path: Path) -> None:
    """The references an article XIncludes from references/: a rule broken there was said at
    the article's file with the fragment's line (the rules knew only the corpus's members)."""
    edition = tmp_path / "edition"
    shutil.copytree(EDITION, edition)
    fragment = edition / "references" / "treaty-of-kars.xml"
    text = fragment.read_text(encoding="utf-8")
    broken = text.replace("Chicherin’s note", "<choice><sic>Chicherin</sic><corr type=\"error\">"
                          "Chicherin</corr></choice>’s note", 1)
    fragment.write_text(broken, encoding="utf-8")
    line = broken[: broken.index("<corr")].count("\n") + 1
    corpus = edition / "edition.xml"
    assert [(d.code, Path(d.file), d.line) for d in check_rules(load(corpus), corpus)] == [
        ("rule-corr-resp", fragment, line)]


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


# --- one breaking case per assertion and kind ------------------------------------------------

@dataclass(frozen=True)
class Break:
    """`old` replaced by `new` in a copy of a file of tests/fixtures/rules breaks `rule` (an
    assertion id of the Schematron file), and no other, at the element `new` begins with (and
    at as many elements in all as `failures` says)."""

    rule: str
    file: str
    old: str
    new: str
    failures: int = 1


END = " line.</p>"  # where a case adds an element to the rules fixture's article


BREAKS: dict[str, Break] = {
    "persName-without-ref": Break("name-has-ref", "good.xml", END,
                                  "<persName>Chicherin</persName> line.</p>"),
    "placeName-without-ref": Break("name-has-ref", "good.xml", END,
                                   "<placeName>Kars</placeName> line.</p>"),
    "orgName-without-ref": Break("name-has-ref", "good.xml", END,
                                 "<orgName>Sovnarkom</orgName> line.</p>"),
    "persName-ref-without-hash": Break("ref-form", "good.xml", END,
                                       '<persName ref="lenin">Lenin</persName> line.</p>'),
    "placeName-ref-without-id": Break("ref-form", "good.xml", END,
                                      '<placeName ref="places.xml#">Tiflis</placeName> line.</p>'),
    "orgName-ref-without-file": Break("ref-form", "good.xml", END,
                                      '<orgName ref="#revkom">Revkom</orgName> line.</p>'),
    "persName-ref-to-no-entry": Break(
        "ref-resolves", "good.xml", END,
        '<persName ref="persons.xml#chicherin">Chicherin</persName> line.</p>'),
    "placeName-ref-to-no-entry": Break(
        "ref-resolves", "good.xml", END,
        '<placeName ref="places.xml#atlantis">Atlantis</placeName> line.</p>'),
    "orgName-ref-to-no-entry": Break(
        "ref-resolves", "good.xml", END,
        '<orgName ref="orgs.xml#no-such-org">Comintern</orgName> line.</p>'),
    "persName-ref-to-a-place": Break(
        "ref-resolves", "good.xml", END,
        '<persName ref="places.xml#tiflis">Tiflis</persName> line.</p>'),
    "placeName-ref-to-an-org": Break(
        "ref-resolves", "good.xml", END,
        '<placeName ref="orgs.xml#revkom">Revkom</placeName> line.</p>'),
    "orgName-ref-to-a-person": Break(
        "ref-resolves", "good.xml", END,
        '<orgName ref="persons.xml#lenin">Lenin</orgName> line.</p>'),
    "ref-to-a-missing-register": Break(
        "ref-resolves", "good.xml", END,
        '<persName ref="nowhere.xml#lenin">Lenin</persName> line.</p>'),
    "id-used-twice": Break("id-unique", "good.xml", "<p><lb n=\"1\"/>",
                           '<p xml:id="rules-fixture"><lb n="1"/>', failures=2),
    "siglum-used-twice": Break("siglum-unique", "good.xml", "<sourceDesc><p>Made for the tests",
                               '<sourceDesc><bibl n="W">One witness</bibl><bibl n="W">Another'
                               "</bibl><p>Made for the tests", failures=2),
    "editorial-note-cites-a-witness-line": Break(
        "no-witness-line", "good.xml", END,
        '<note type="editorial">As in the caption of line 337.</note> line.</p>'),
    "identification-cites-a-witness-line": Break(
        "no-witness-line", "good.xml", END,
        '<note type="identification">The footnote at lines 44-45.</note> line.</p>'),
    "header-note-cites-a-witness-line": Break(
        "no-witness-line", "good.xml", "<sourceDesc><p>Made for the tests",
        "<sourceDesc><p><note>As the running head reads (line 333).</note>Made for the tests"),
    "note-target-to-no-id": Break(
        "note-target-resolves", "good.xml", END,
        '<note type="editorial" resp="#editor" target="#nowhere">On the line.</note>'
        " line.</p>"),
    "note-target-end-to-no-id": Break(
        "note-target-end-resolves", "good.xml", END,
        '<note type="editorial" resp="#editor" target="#rules-fixture" targetEnd="#nowhere">'
        "On the line.</note> line.</p>"),
    "choice-of-three": Break("choice-one-pair", "good.xml", "<choice><sic>So viet</sic>",
                             "<choice><sic>So viet</sic><sic>So-viet</sic>"),
    "choice-of-two-halves-of-pairs": Break("choice-one-pair", "good.xml",
                                           "<choice><orig>Tiflys</orig>",
                                           "<choice><abbr>Tiflys</abbr>"),
    "corr-of-no-known-type": Break("corr-typed", "good.xml", '<corr type="extraction"',
                                   '<corr type="typo"'),
    "corr-unsigned": Break("corr-resp", "good.xml",
                           '<corr type="extraction"\n              resp="#editor">',
                           '<corr type="extraction">'),
    "reg-untyped": Break("reg-typed", "good.xml", '<reg\n                type="variant" '
                         'resp="#editor">Tiflis', '<reg resp="#editor">Tiflis'),
    "reg-unsigned": Break("reg-resp", "good.xml", '<reg\n                type="variant" '
                          'resp="#editor">Revkom', '<reg type="variant">Revkom'),
    "resp-to-no-one": Break("resp-target", "good.xml", '<corr type="extraction"\n'
                            '              resp="#editor">', '<corr type="extraction" '
                            'resp="#nobody">'),
    "resp-to-another-file": Break("resp-target", "good.xml", '<corr type="extraction"\n'
                                  '              resp="#editor">', '<corr type="extraction" '
                                  'resp="edition.xml#editor">'),
    "resp-without-hash": Break("resp-target", "good.xml", '<corr type="extraction"\n'
                               '              resp="#editor">', '<corr type="extraction" '
                               'resp="editor">'),
    "persName-reg-not-in-register": Break("reg-matches-register", "good.xml",
                                          '<reg\n                type="variant" '
                                          'resp="#editor">V. Lenin',
                                          '<reg type="variant" resp="#editor">W. Lenin'),
    "placeName-reg-not-in-register": Break("reg-matches-register", "good.xml",
                                           '<reg\n                type="variant" '
                                           'resp="#editor">Tiflis',
                                           '<reg type="variant" resp="#editor">Tbilisi'),
    "orgName-reg-not-in-register": Break("reg-matches-register", "good.xml",
                                         '<reg\n                type="variant" '
                                         'resp="#editor">Revkom',
                                         '<reg type="variant" resp="#editor">Revkomm'),
    "reg-outside-a-name": Break(
        "reg-in-name", "good.xml", END,
        '<choice><orig>Sovyet</orig><reg type="variant" resp="#editor">Soviet</reg></choice>'
        " line.</p>"),
    "reg-in-a-quotation": Break(
        "reg-not-in-quotation", "good.xml", END,
        '<quote><placeName ref="places.xml#tiflis"><choice><orig>Tiflys</orig><reg '
        'type="variant" resp="#editor">Tiflis</reg></choice></placeName></quote> line.</p>'),
    "reg-in-a-title": Break(
        "reg-not-in-quotation", "good.xml", END,
        '<title>Treaty of <placeName ref="places.xml#tiflis"><choice><orig>Tiflys</orig><reg '
        'type="variant" resp="#editor">Tiflis</reg></choice></placeName></title> line.</p>'),
    "reg-of-a-name-without-variants": Break(
        "reg-name-varies", "good.xml", END,
        '<placeName ref="places.xml#kars"><choice><orig>Karss</orig><reg type="variant" '
        'resp="#editor">Kars</reg></choice></placeName> line.</p>'),
    "reg-equal-to-the-witness": Break(
        "reg-name-varies", "good.xml", END,
        '<placeName ref="places.xml#tiflis"><choice><orig>Tiflis</orig><reg type="variant" '
        'resp="#editor">Tiflis</reg></choice></placeName> line.</p>'),
    "uncertain-identification-without-cert": Break(
        "identification-cert", "places.xml", '        <idno type="wikidata">Q994</idno>',
        '        <note type="identification">Probably the city of Tiflis.</note>\n'
        '        <idno type="wikidata">Q994</idno>'),
    "person-without-id": Break("entry-id", "persons.xml", '<person xml:id="lenin">',
                               "<person>"),
    "place-without-id": Break("entry-id", "places.xml", '<place xml:id="tiflis">', "<place>"),
    "org-without-id": Break("entry-id", "orgs.xml", '<org xml:id="revkom">', "<org>"),
    "person-with-two-headwords": Break(
        "entry-one-regular", "persons.xml",
        '<person xml:id="lenin">\n        <persName type="regular">Vladimir Lenin</persName>\n'
        '        <persName type="accepted">',
        '<person xml:id="lenin">\n        <persName type="regular">Vladimir Lenin</persName>\n'
        '        <persName type="regular">'),
    "place-without-headword": Break(
        "entry-one-regular", "places.xml",
        '<place xml:id="tiflis">\n        <placeName type="regular">',
        '<place xml:id="tiflis">\n        <placeName type="modern">'),
    "org-without-headword": Break(
        "entry-one-regular", "orgs.xml", '<org xml:id="revkom">\n        <orgName type="regular">',
        '<org xml:id="revkom">\n        <orgName>'),
    "person-without-authority": Break(
        "entry-authority", "persons.xml",
        '<person xml:id="lenin">\n        <persName type="regular">Vladimir Lenin</persName>\n'
        '        <persName type="accepted">V. Lenin</persName>\n'
        '        <idno type="wikidata">Q1394</idno>',
        '<person xml:id="lenin">\n        <persName type="regular">Vladimir Lenin</persName>\n'
        '        <persName type="accepted">V. Lenin</persName>'),
    "place-without-authority": Break(
        "entry-authority", "places.xml",
        '<place xml:id="tiflis">\n        <placeName type="regular">Tiflis</placeName>\n'
        '        <idno type="wikidata">Q994</idno>',
        '<place xml:id="tiflis">\n        <placeName type="regular">Tiflis</placeName>'),
    "org-without-authority": Break(
        "entry-authority", "orgs.xml",
        '<org xml:id="revkom">\n        <orgName type="regular">Revkom</orgName>\n'
        '        <note type="authority">None verified.</note>',
        '<org xml:id="revkom">\n        <orgName type="regular">Revkom</orgName>'),
    "straight-apostrophe-in-an-editors-note": Break(
        "no-straight-quotes", "good.xml", END,
        ' line.<note type="editorial" resp="#editor">See'
        " <title>Lenin's letters</title>.</note></p>"),
    "straight-quotes-in-the-header": Break(
        "no-straight-quotes", "good.xml", "<sourceDesc><p>Made for the tests,",
        '<sourceDesc><p>Made for the "tests",'),
}


@pytest.fixture(scope="module")
def broken_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each case written beside a copy of the rules fixture (whose registers it refers to)."""
    folder = tmp_path_factory.mktemp("rules")
    shutil.copytree(RULES_FIXTURE, folder, dirs_exist_ok=True)
    files = {}
    for name, case in BREAKS.items():
        text = (RULES_FIXTURE / case.file).read_text(encoding="utf-8")
        assert text.count(case.old) == 1, f"{name}: the text to replace must occur once"
        files[name] = folder / f"case-{name}.xml"
        files[name].write_text(text.replace(case.old, case.new), encoding="utf-8")
    return files


def failed_rules(path: Path) -> list[tuple[str, int | None]]:
    """What the rules report for a file, loaded as `edition validate` loads it."""
    return [(d.code, d.line) for d in check_rules(load(path, check_ids=False), path)]


def test_the_rules_fixture_keeps_every_rule() -> None:
    for path in sorted(RULES_FIXTURE.glob("*.xml")):
        assert failed_rules(path) == [], path.name


def broken_element_line(name: str, path: Path) -> int:
    """The line lxml gives the element a case breaks: where its start tag ends."""
    text = path.read_text(encoding="utf-8")
    return text[: text.index(">", text.index(BREAKS[name].new))].count("\n") + 1


@pytest.mark.parametrize("name", BREAKS)
def test_each_break_fails_exactly_its_rule_at_its_element(name: str,
                                                          broken_files: dict[str, Path]) -> None:
    case, failed = BREAKS[name], failed_rules(broken_files[name])
    assert {code for code, _ in failed} == {f"rule-{case.rule}"}
    assert broken_element_line(name, broken_files[name]) in [line for _, line in failed]
    assert len(failed) == case.failures


def context_branches(context: str) -> list[str]:
    """The alternatives of a rule's context (`a | b[x | y]` → `a`, `b[x | y]`)."""
    branches, depth, start = [], 0, 0
    for index, character in enumerate(context):
        if character in "[(":
            depth += 1
        elif character in ")]":
            depth -= 1
        elif character == "|" and depth == 0:
            branches.append(context[start:index].strip())
            start = index + 1
    return [*branches, context[start:].strip()]


def rule_assertions() -> list[tuple[str, str]]:
    """(assertion id, context branch) for every assertion of the Schematron file."""
    schematron = etree.parse(str(RULES))
    found = []
    for rule in schematron.iterfind(".//sch:rule", SCH):
        for assertion in rule.iterfind("sch:assert", SCH):
            assert assertion.get("id"), "every assertion needs an id: it is the error's code"
            found += [(assertion.get("id"), branch)
                      for branch in context_branches(" ".join(rule.get("context").split()))]
    return found


def test_every_rule_and_every_kind_it_covers_has_a_breaking_case(
        broken_files: dict[str, Path]) -> None:
    """A case covers a branch when the element it breaks is one the branch matches."""
    missing = []
    for rule, branch in rule_assertions():
        covered = False
        for name, case in BREAKS.items():
            if case.rule != rule:
                continue
            path = broken_files[name]
            line = broken_element_line(name, path)
            matched = load(path, check_ids=False).xpath(f"//{branch}",
                                                        namespaces={"tei": TEI_NS})
            covered = covered or any(element.sourceline == line for element in matched)
        if not covered:
            missing.append(f"{rule} on {branch}")
    assert missing == []
    assert {case.rule for case in BREAKS.values()} <= {rule for rule, _ in rule_assertions()}
