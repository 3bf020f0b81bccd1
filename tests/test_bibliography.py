"""The bibliography: every citation of both articles reaches a BibTeX entry, pandoc's citeproc
formats them with the shipped CSL style, and the BibTeX lint reports each kind of problem."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree

from conftest import ARTICLES, EDITION, ROOT
from tei_edition import tei
from tei_edition.biblint import lint_bibliography
from tei_edition.citations import (
    DEFAULT_STYLE,
    Citations,
    Status,
    citing_refs,
    pointers,
    read_bibtex,
    resolve_citations,
    resolve_edition,
)
from tei_edition.diagnostics import Severity
from tei_edition.load import load

BIB = sorted((ROOT / "bib").glob("*.bib"))
FIXTURES = Path(__file__).parent / "fixtures" / "bib"
CORPUS_BIB = Path(__file__).parent / "corpus" / "bib"
SHARED_CORPUS_BIB = ROOT.parent / "shared" / "corpus" / "bib"


@pytest.fixture(scope="module")
def resolved() -> dict[str, Citations]:
    """Both articles resolved once (one pandoc call each)."""
    return {result.article: result for result in resolve_edition(load(EDITION / "edition.xml"))}


# --- the mapping and the entries ------------------------------------------------------------


@pytest.mark.parametrize("name", ARTICLES)
def test_every_citation_points_to_a_key_defined_in_bib(name: str) -> None:
    article = load(EDITION / f"{name}.xml").getroot()
    defined = {path.resolve(): set(read_bibtex(path).entries()) for path in BIB}
    mapped = {pointer.number: pointer for pointer in pointers(article)}
    refs = citing_refs(article)
    assert refs
    for ref in refs:
        pointer = mapped[ref.get("n")]
        assert pointer.key in defined[pointer.bib_path], (ref.get("n"), pointer.target)


def test_the_numbers_cited_are_those_of_the_texts() -> None:
    numbers = {name: {ref.get("n") for ref in citing_refs(load(EDITION / f"{name}.xml").getroot())}
               for name in ARTICLES}
    assert numbers["treaty-of-kars"] == {str(n) for n in range(1, 39)}
    assert numbers["nakhchivan-autonomy"] == {
        "2", "3", "4", "5", "6", "9", "10", "11", "12", "15", "17", "18", "20", "22", "23", "25",
        "26", "29", "30", "33", "34", "36"}


def test_the_edition_bibliography_lints_clean() -> None:
    assert lint_bibliography(BIB, [EDITION / "edition.xml"]) == []


def test_unidentified_sources_say_so_and_are_never_invented() -> None:
    for path in BIB:
        for entry in read_bibtex(path).library.entries:
            fields = {field.key: str(field.value) for field in entry.fields}
            if "unidentified" in fields.get("keywords", ""):
                assert "not preserved in the witness" in fields["note"], entry.key
                assert not {"author", "year", "date", "publisher"} & set(fields), entry.key


# --- rendering ------------------------------------------------------------------------------


def test_citation_reports(resolved: dict[str, Citations]) -> None:
    assert resolved["nakhchivan-autonomy"].report() == (
        "nakhchivan-autonomy: 30 citations, 0 resolved, 0 probable, 30 unresolved")
    assert resolved["treaty-of-kars"].report() == (  # note 3 and notes 33-36 are probable
        "treaty-of-kars: 38 citations, 2 resolved, 5 probable, 31 unresolved")
    assert all(not result.diagnostics for result in resolved.values())


def test_known_entries_are_formatted_exactly(resolved: dict[str, Citations]) -> None:
    kars = {citation.number: citation for citation in resolved["treaty-of-kars"].citations}
    assert kars["3"].key == "dvp-sssr-4"
    assert kars["3"].note_text == (
        "Министерство иностранных дел СССР, Документы внешней политики СССР (Moscow: "
        "Государственное издательство политической литературы, 1960), 4:227–28.")
    assert kars["3"].note_html.startswith(
        "Министерство иностранных дел СССР, <em>Документы внешней политики")
    assert kars["37"].note_text == (
        "I. Abilov’s conversation with Yusif Kamal, fond 28, inventory (siyahı) 1, file (iş) 68, "
        "State Archive of "
        "the Azerbaijan Republic (SA AR), 1922, fols. 17–20.")
    assert kars["38"].note_text == "I. Abilov’s conversation with Yusif Kamal, fols. 17–20."
    entry = resolved["treaty-of-kars"].entry("dvp-sssr-4")
    assert entry.label == "[3]"
    assert entry.text == (
        "Министерство иностранных дел СССР. Документы внешней политики СССР. Vol. 4. "
        "Moscow: Государственное издательство политической литературы, 1960.")
    assert entry.annotation.startswith("Vol. 4 covers 19 March – 31 December 1921; title page "
                                       "verified.")


def test_cited_ranges_become_locators(resolved: dict[str, Citations]) -> None:
    citations = resolved["nakhchivan-autonomy"].citations
    by_number = {}
    for citation in citations:
        by_number.setdefault(citation.number, []).append(citation)
    assert by_number["3"][0].locator == "p. 11, 93"
    assert by_number["3"][0].note_text.endswith(", 11, 93.")
    assert by_number["4"][0].locator == "p. 171–172"
    assert by_number["4"][0].note_text.endswith(", 171–72.")
    # "(11, p. 48-54; 23, p. 303)": each number keeps its own range
    first_11 = by_number["11"][0]
    following = citations[citations.index(first_11) + 1]
    assert (first_11.locator, following.number, following.locator) == (
        "p. 48–54", "23", "p. 303")
    assert by_number["25"][0].locator == ""
    # a footnote takes its pages from the bibl of the listBibl
    kars = {citation.number: citation for citation in resolved["treaty-of-kars"].citations}
    assert (kars["3"].locator, kars["37"].locator) == ("p. 227–228", "fol. 17–20")


def test_bibliography_keeps_the_authors_numbers(resolved: dict[str, Citations]) -> None:
    kars = resolved["treaty-of-kars"].bibliography
    labels = [entry.label for entry in kars]
    identified = [entry for entry in kars if entry.status.resolved]
    assert {entry.label for entry in identified} == {"[3]", "[33, 34, 35, 36]", "[37, 38]"}
    assert labels[len(identified):] == [f"[{n}]" for n in (1, 2, *range(4, 33))]
    treaty = resolved["treaty-of-kars"].entry("treaty-kars-1921")
    assert treaty.status is Status.PROBABLE
    assert treaty.text == "Treaty of Kars, 13 October 1921."  # day first, as the edition writes
    assert "Probable" in next(c for c in resolved["treaty-of-kars"].citations
                              if c.number == "33").identification
    nakhchivan = resolved["nakhchivan-autonomy"].bibliography
    assert [entry.label for entry in nakhchivan][:3] == ["[2]", "[3]", "[4]"]
    assert all(entry.status is Status.UNRESOLVED for entry in nakhchivan)
    assert nakhchivan[-1].annotation.startswith(
        "Source no. 36 of the author’s reference list; not preserved in the witness.")
    assert '<div class="csl-block">' in nakhchivan[-1].html


def test_every_ref_element_has_its_formatted_citation(resolved: dict[str, Citations]) -> None:
    for result in resolved.values():
        for citation in result.citations:
            assert result.for_ref(citation.element) is citation
            assert citation.element.tag == tei("ref")
            assert citation.note_text and citation.note_html


def test_tex_accents_and_scripts_render_correctly() -> None:
    result = resolve_citations(load(FIXTURES / "accents.xml"))
    texts = [entry.text for entry in result.bibliography]
    assert "Şahtaxtinski, Behbud. Naxçıvan məsələsi. Test publisher, 1921." in texts
    assert ("Министерство иностранных дел СССР. Документы внешней политики СССР. "
            "Государственное издательство политической литературы, 1960.") in texts
    assert result.citations[0].note_text == (
        "Behbud Şahtaxtinski, Naxçıvan məsələsi (Test publisher, 1921).")


def test_unmapped_and_unknown_references_are_errors_where_they_are_fixed() -> None:
    """A number without a <bibl n> is reported at its citation; a key or file that names
    nothing, at the pointer that names it. Resolution goes on, to report every one."""
    result = resolve_citations(load(FIXTURES / "article.xml"), [FIXTURES / "mapping.bib"])
    assert [citation.status for citation in result.citations] == [
        Status.RESOLVED, Status.MISSING, Status.MISSING, Status.MISSING]
    assert result.citations[0].note_text == "A Source the Article Cites, n.d., 5–7."
    assert result.report() == "fixture-mapping: 4 citations, 1 resolved, 0 probable, 3 unresolved"
    assert [(str(d.severity), d.line, d.code) for d in result.diagnostics] == [
        ("error", 13, "citation-missing"), ("error", 20, "citation-missing"),
        ("error", 21, "citation-missing")]


def test_a_build_with_a_missing_citation_key_fails_and_keeps_the_previous_output(
        run_cli, tmp_path: Path) -> None:
    output = tmp_path / "edition.epub"
    output.write_bytes(b"the previous good build")
    result = run_cli("build", "epub", FIXTURES / "article.xml", "-o", output)
    assert result.status == 1
    assert "article.xml:20: error: reference 3 cannot be resolved: 'mapping.bib#absent' " \
        "names no entry of the bibliography" in result.stderr
    assert output.read_bytes() == b"the previous good build"
    assert list(tmp_path.iterdir()) == [output]


# A change the edition made to the style, marked in it: the upstream line it replaced was the
# commented-out `<text>` it now prints for a book.
CHANGED_FOR_THE_EDITION = re.compile(
    r"( *)<!-- changed for this edition:[^\n]*-->\n\s*<choose>\n\s*<if [^\n]*>\n"
    r"\s*(<text [^\n]*/>)\n\s*</if>\n\s*</choose>")
# A change that adds to the style: the date format of the English locale, day first.
ADDED_FOR_THE_EDITION = re.compile(
    r" *<!-- changed for this edition: dates[^\n]*-->\n *<date form=\"text\">\n"
    r"(?: *<date-part [^\n]*/>\n){3} *</date>\n")


def test_the_style_is_shipped_with_its_licence_and_its_changes_marked() -> None:
    """The licence (CC BY-SA) asks a changed copy to say what changed: each change is marked
    in the style and named in LICENSE-CSL.md, and with the marked changes undone the style is
    the upstream copy, byte for byte (the SHA-256 the note records)."""
    assert DEFAULT_STYLE.parent == ROOT / "styles"
    style = DEFAULT_STYLE.read_text(encoding="utf-8")
    assert "creativecommons.org/licenses/by-sa/3.0" in style
    note = (ROOT / "styles" / "LICENSE-CSL.md").read_text()
    assert "Attribution-ShareAlike 3.0" in note
    assert "changed for this edition" in note.lower()
    upstream, changes = CHANGED_FOR_THE_EDITION.subn(r"\1<!-- \2 -->", style)
    assert changes == 2  # the place of publication, in the bibliography and in the notes
    upstream, added = ADDED_FOR_THE_EDITION.subn("", upstream)
    assert added == 1  # dates day first
    assert hashlib.sha256(upstream.encode()).hexdigest() in note


def test_cite_command_prints_reports_and_bibliography(run_cli) -> None:
    result = run_cli("cite", EDITION / "edition.xml")
    assert result.status == 0, result.stderr
    assert ("nakhchivan-autonomy: 30 citations, 0 resolved, 0 probable, 30 unresolved"
            in result.stdout)
    assert "treaty-of-kars: 38 citations, 2 resolved, 5 probable, 31 unresolved" in result.stdout
    assert "[37, 38] I. Abilov’s conversation with Yusif Kamal." in result.stdout
    assert "[33, 34, 35, 36] (probable identification) Treaty of Kars" in result.stdout


# --- lint -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("fixture", "expected"), [
    ("duplicate-key.bib", [(5, "bib-duplicate-key")]),
    ("duplicate-field.bib", [(1, "bib-duplicate-field")]),
    ("unparseable.bib", [(5, "bib-syntax"), (8, "bib-syntax")]),
    ("missing-field.bib", [(1, "bib-missing-field"), (1, "bib-missing-field")]),
    ("latin1.bib", [(2, "bib-unreadable")]),
])
def test_each_lint_rule_fires(fixture: str, expected: list[tuple[int, str]]) -> None:
    diagnostics = lint_bibliography([FIXTURES / fixture])
    assert [(d.line, d.code) for d in diagnostics] == expected
    assert all(d.severity is Severity.ERROR and d.file.endswith(fixture) for d in diagnostics)
    assert str(diagnostics[0]).startswith(f"{FIXTURES / fixture}:{expected[0][0]}: error: ")


def test_missing_field_message_names_the_fields() -> None:
    messages = [d.message for d in lint_bibliography([FIXTURES / "missing-field.bib"])]
    assert messages == ["@book{incomplete} lacks the required field publisher",
                        "@book{incomplete} lacks the required field year or date"]


def test_lint_checks_the_mapping_against_the_tei() -> None:
    diagnostics = lint_bibliography([FIXTURES / "mapping.bib"], [FIXTURES / "article.xml"])
    found = {(Path(d.file).name, d.line, d.code) for d in diagnostics}
    assert found == {
        ("article.xml", 20, "bib-unknown-key"),
        ("article.xml", 21, "bib-unknown-file"),
        ("article.xml", 13, "reference-unmapped"),
        ("mapping.bib", 5, "bib-uncited"),
    }


def test_duplicate_keys_across_files_are_reported(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "mapping.bib", tmp_path / "a.bib")
    shutil.copy(FIXTURES / "mapping.bib", tmp_path / "b.bib")
    diagnostics = lint_bibliography([tmp_path / "a.bib", tmp_path / "b.bib"])
    assert [(Path(d.file).name, d.line, d.code) for d in diagnostics] == [
        ("b.bib", 1, "bib-duplicate-key"), ("b.bib", 5, "bib-duplicate-key")]


def _corpus_bib_files() -> list[Path]:
    folder = CORPUS_BIB if CORPUS_BIB.is_dir() else SHARED_CORPUS_BIB
    return sorted(folder.glob("*.bib"))


@pytest.mark.parametrize("path", _corpus_bib_files(), ids=lambda path: path.name)
def test_real_world_bibtex_parses_or_is_refused_cleanly(path: Path) -> None:
    bib = read_bibtex(path)
    assert bib.library.entries
    assert not bib.library.failed_blocks
    diagnostics = lint_bibliography([path])
    for diagnostic in diagnostics:
        assert diagnostic.file == str(path) and diagnostic.line and diagnostic.code
    assert not any(d.code in ("bib-syntax", "bib-unreadable") for d in diagnostics)


def test_an_article_given_twice_is_reported_once() -> None:
    once = lint_bibliography([FIXTURES / "mapping.bib"], [FIXTURES / "article.xml"])
    twice = lint_bibliography([FIXTURES / "mapping.bib"],
                              [FIXTURES / "article.xml", load(FIXTURES / "article.xml")])
    assert twice == once


# --- what pandoc would refuse or garble: validate says it, cite and the build refuse it ------


@pytest.mark.parametrize(("content", "where", "message"), [
    ("@misc{ok, title = {T}}\n@misc{bad, title = {{A}}}{ @@@ },\n}\n", "2:29",
     "pandoc's BibTeX reader refuses the file (and so every citation into it): unexpected '@'"),
    ("@book{d, title = {T}, publisher = {P},\n year = 2002 author = {C}}\n", "2:14",
     "pandoc's BibTeX reader refuses the file (and so every citation into it): unexpected 'a'"),
    ("@book{a,\n title = {Unclosed,\n year = 2000\n}\n", "1",
     "unparseable entry '@book{a,': Unexpectedly reached end of file."),
    ("@misc{c, title = {One}}\n@misc{c, title = {Two}}\n", "2",
     "duplicate key 'c' (first defined on line 1)"),
    ("This is a letter, not a bibliography.\n", "1",
     "no BibTeX entry in the file (is it BibTeX?): nothing could be cited from it"),
    ('@string{x = "foo" # undefinedmacro}\n@misc{m, title = x}\n', "1",
     "@string{x} uses the macro 'undefinedmacro', which no @string defines"),
    ("@misc{m, title = {T},\n  note = jan # { and } # zzz}\n", "2",
     "@misc{m}, field note, uses the macro 'zzz', which no @string defines"),
    ("@misc{k, title = {T}, crossref = {nothere}}\n", "1",
     "@misc{k}: crossref 'nothere' is not an entry of this file"),
], ids=["stray-brace", "missing-comma", "unclosed", "duplicate-key", "not-bibtex",
        "undefined-macro-in-string", "undefined-macro-in-field", "dangling-crossref"])
def test_what_would_drop_an_entry_is_one_error_in_validate_and_cite(
        run_cli, tmp_path: Path, content: str, where: str, message: str) -> None:
    """Each was 'valid' or printed by `cite` with rc 0 (entries dropped, a macro's name
    printed as text, pandoc's message on four lines): now validate and cite both say it on
    one line at its place, exit 1, and cite prints no bibliography."""
    bib = tmp_path / "broken.bib"
    bib.write_text(content, encoding="utf-8")
    for command in ("validate", "cite"):
        result = run_cli(command, bib)
        said = (result.stdout if command == "validate" else result.stderr).splitlines()
        errors = [line for line in said if ": error: " in line]
        assert result.status == 1, (command, result.stdout, result.stderr)
        assert len(errors) == 1, (command, errors)
        assert errors[0].startswith(f"{bib}:{where}: error: {message}"), (command, errors)
    assert result.stdout == "" and len(result.stderr.splitlines()) == 1


def test_a_bib_file_pandoc_refuses_stops_the_build_with_its_line(run_cli,
                                                                 tmp_path: Path) -> None:
    """A stray brace in one entry of the edition's bibliography: the build said pandoc's
    'exitcode 25 … (line 9, column 66):' on four lines with no file; now one line at the
    .bib's line and column, and no output."""
    for name in ("edition", "bib"):
        shutil.copytree(ROOT / name, tmp_path / name)
    bib = tmp_path / "bib" / "treaty-of-kars.bib"
    text = bib.read_text(encoding="utf-8")
    broken = "title    = {{Unidentified source of note 1 of the article}}"
    line = next(number for number, content in enumerate(text.splitlines(), start=1)
                if broken in content)
    text = text.replace(broken, broken + "}{ @@@ }", 1)
    bib.write_text(text, encoding="utf-8")
    column = text.splitlines()[line - 1].index("@@") + 2  # the first '@' starts an entry
    output = tmp_path / "edition.epub"
    result = run_cli("build", "epub", tmp_path / "edition" / "edition.xml", "-o", output)
    assert result.status == 1
    assert result.stderr.splitlines() == [
        f"{bib}:{line}:{column}: error: pandoc's BibTeX reader refuses the file (and "
        "so every citation into it): unexpected '@'"]
    assert not output.exists()


NOTES_NAMED = re.compile(r"\bnotes? (\d+(?:–\d+)?(?:(?:, | and )\d+(?:–\d+)?)*)", re.IGNORECASE)


def notes_named(text: str) -> set[int]:
    """The note numbers a sentence names: "notes 3 and 33–36", "note 3", "notes 37–38"."""
    found: set[int] = set()
    for match in NOTES_NAMED.finditer(" ".join(text.split())):
        for part in re.split(r", | and ", match[1]):
            first, _, last = part.partition("–")
            found |= set(range(int(first), int(last or first) + 1))
    return found


def test_what_the_editors_say_of_the_references_is_true_of_them(
        resolved: dict[str, Citations]) -> None:
    """The header's word on which notes have an identified source, and each reference list's
    description, name exactly the numbers the data identifies (none for the article on
    Nakhchivan): prose written once must not fall behind the entries it describes."""
    identified = {article: {int(number) for entry in result.bibliography
                            if entry.status.resolved for number in entry.numbers}
                  for article, result in resolved.items()}
    assert identified["nakhchivan-autonomy"] == set()
    header = etree.parse(str(EDITION / "edition.xml")).getroot()
    [statement] = [p for p in header.iter(tei("p"))
                   if "A source is given in the bibliography" in "".join(p.itertext())]
    sentence = re.search(r"A source is given in the bibliography[^.]*\.",
                         " ".join("".join(statement.itertext()).split()))
    assert sentence and notes_named(sentence[0]) == identified["treaty-of-kars"]
    for article, numbers in identified.items():
        [desc] = etree.parse(str(EDITION / "references" / f"{article}.xml")).getroot().iter(
            tei("desc"))
        text = "".join(desc.itertext())
        assert notes_named(text) == numbers, article
        assert ("none of its numbers can be identified" in text) == (not numbers)


def test_a_books_place_and_volume_are_printed_as_its_note_gives_them(
        resolved: dict[str, Citations]) -> None:
    """A book's place of publication stands in its entry and in every note that cites it
    ("Moscow: Государственное издательство …": CMOS 18 leaves it out, the edition's CSL prints
    it), and the volume the entry prints ("Vol. 4") is the one its annotation names, not
    "vol. IV" beside it."""
    books = {key: {name: field.value for name, field in entry.fields_dict.items()}
             for path in BIB for key, entry in read_bibtex(path).entries().items()
             if entry.entry_type == "book"}
    printed = [(entry, books[entry.key]) for result in resolved.values()
               for entry in result.bibliography if entry.key in books]
    cited = [(citation, books[citation.key]) for result in resolved.values()
             for citation in result.citations if citation.key in books]
    assert printed and cited
    for entry, fields in printed:
        assert f"{fields['location']}:" in entry.text, entry.text
        assert f"Vol. {fields['volume']}." in entry.text, entry.text
        named = re.findall(r"\bvol\. ([\w]+)", entry.annotation, re.IGNORECASE)
        assert named and set(named) == {fields["volume"]}, entry.annotation
    for citation, fields in cited:
        assert f"{fields['location']}:" in citation.note_text, citation.note_text


# A pandoc that hangs in the citeproc run (after saying its pid), and is pandoc otherwise.
HANGING_CITEPROC = """#!/bin/sh
case "$*" in *--citeproc*) echo $$ > "{pid_file}"; exec sleep 60;; esac
exec "{pandoc}" "$@"
"""


def test_a_terminated_build_leaves_no_pandoc_running(tmp_path: Path) -> None:
    """`kill` (SIGTERM) while citeproc runs: the build exits 143 and its pandoc is gone with
    it (pypandoc left it running, re-parented to init)."""
    import pypandoc

    pid_file = tmp_path / "pandoc.pid"
    fake = tmp_path / "pandoc"
    fake.write_text(HANGING_CITEPROC.format(pid_file=pid_file,
                                            pandoc=pypandoc.get_pandoc_path()))
    fake.chmod(0o755)
    build = subprocess.Popen(
        [sys.executable, "-m", "tei_edition.cli", "cite", EDITION / "edition.xml"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "PYPANDOC_PANDOC": str(fake)})
    pandoc = None
    try:
        deadline = time.monotonic() + 60
        while not pid_file.exists() or not pid_file.read_text().strip():
            assert build.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        pandoc = int(pid_file.read_text())
        build.send_signal(signal.SIGTERM)
        assert build.wait(timeout=30) == 128 + signal.SIGTERM
        assert not Path(f"/proc/{pandoc}").exists()
    finally:
        build.kill()
        build.wait()
        if pandoc is not None and Path(f"/proc/{pandoc}").exists():
            os.kill(pandoc, signal.SIGKILL)



def test_pandocs_own_warnings_are_one_line_diagnostics() -> None:
    """What pandoc says on stderr (`[WARNING] Citeproc: citation x not found`) reaches the
    diagnostics, a warning a line, without pandoc's level marker."""
    from tei_edition.citations import _run_citeproc

    _, said = _run_citeproc([("no-such-key", ""), ("nor-this", "12")], BIB, DEFAULT_STYLE)
    assert [(d.severity, d.message) for d in said] == [
        (Severity.WARNING, "pandoc: Citeproc: citation no-such-key not found"),
        (Severity.WARNING, "pandoc: Citeproc: citation nor-this not found")]
